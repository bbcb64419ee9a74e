"""User settings from an optional TOML file.

A missing file is fine (defaults). A broken one never stops the user from writing: loading
returns the defaults plus a problem that names the file and line, which the CLI prints and
the app shows once.

Example ``config.toml``::

    theme = "journal-calm"

    [prompts]
    disabled_packs = ["self-compassion"]   # packs to leave out of the feed
    enabled_packs = []                      # if not empty, only these packs are used
    starred = ["their-side-003"]            # prompts that come back more often
    weekly_review = "friday"                # the weekday of the weekly review, or "off"

    [backups]
    keep = 14                               # daily backups to keep

    [journals]                              # named journals: journal -j work ...
    work = "~/journals/work.json"
    personal = "~/journals/personal.json"

    [tags]
    inline = true                           # #word and @word in text become tags
    [help]
    note = "Talk to someone now: ..."       # where to get help, in your own words and numbers
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from journal.errors import ConfigError
from journal.paths import ensure_private_dir
from journal.safe_read import FileTooLargeError, NotRegularFileError, read_capped


def _toml() -> Any:
    """The TOML reader, imported only when there is a file to read (~10 ms otherwise spent by
    every command, most of which run without a config file)."""
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib


DEFAULT_THEME = "journal-calm"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, with its default."""

    theme: str = DEFAULT_THEME
    disabled_packs: tuple[str, ...] = ()
    enabled_packs: tuple[str, ...] = ()
    starred_prompts: tuple[str, ...] = ()
    backups_keep: int = 14
    #: Named journals, ``(name, path)`` in the file's order (``journal --journal NAME``).
    journals: tuple[tuple[str, Path], ...] = ()
    #: Whether ``#word`` / ``@word`` in text written from the shell or an editor become tags.
    inline_tags: bool = True
    #: The weekly-review weekday, Monday 0 (``[prompts] weekly_review``); None: off.
    review_weekday: int | None = 4
    #: Where to get help, as the user wrote it; None shows journal.checkin.HELP_NOTE.
    help_note: str | None = None
    source: Path | None = field(default=None, compare=False)


#: How many unknown keys a message names: a file of 20,000 of them gives one readable line.
_NAMED_AT_MOST = 10


def _refuse_unknown(table: dict[str, Any], known: set[str], name: str) -> None:
    """ConfigError naming the keys of ``table`` not in ``known``, in the file's order (the
    first one is the line the message points at)."""
    unknown = [key for key in table if key not in known]
    if not unknown:
        return
    listed = ", ".join(unknown[:_NAMED_AT_MOST])
    if len(unknown) > _NAMED_AT_MOST:
        listed += f", and {len(unknown) - _NAMED_AT_MOST:,} more"
    where = f" in [{name}]" if name else ""
    raise ConfigError(f"unknown setting(s){where}: {listed}")


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def _weekday(value: Any) -> int | None:
    from journal.prompts import parse_weekday

    if isinstance(value, str) and value.strip().casefold() == "off":
        return None
    try:
        return parse_weekday(value if isinstance(value, str) else "")
    except ValueError:
        raise ConfigError(
            'prompts.weekly_review must be a weekday such as "friday", or "off"'
        ) from None


def parse_settings(data: dict[str, Any], source: Path | None = None) -> Settings:
    """Validate a parsed config table; unknown keys and wrong types are errors."""
    settings = Settings(source=source)
    _refuse_unknown(data, {"theme", "prompts", "backups", "journals", "tags", "help"}, "")
    if "theme" in data:
        if not isinstance(data["theme"], str):
            raise ConfigError("theme must be a string")
        settings = replace(settings, theme=data["theme"])
    prompts = data.get("prompts", {})
    if not isinstance(prompts, dict):
        raise ConfigError("[prompts] must be a table")
    known = {"disabled_packs", "enabled_packs", "starred", "weekly_review"}
    _refuse_unknown(prompts, known, "prompts")
    if "disabled_packs" in prompts:
        settings = replace(
            settings, disabled_packs=_strings(prompts["disabled_packs"], "prompts.disabled_packs")
        )
    if "enabled_packs" in prompts:
        settings = replace(
            settings, enabled_packs=_strings(prompts["enabled_packs"], "prompts.enabled_packs")
        )
    if "starred" in prompts:
        settings = replace(
            settings, starred_prompts=_strings(prompts["starred"], "prompts.starred")
        )
    if "weekly_review" in prompts:
        settings = replace(settings, review_weekday=_weekday(prompts["weekly_review"]))
    backups = data.get("backups", {})
    if not isinstance(backups, dict):
        raise ConfigError("[backups] must be a table")
    _refuse_unknown(backups, {"keep"}, "backups")
    if "keep" in backups:
        keep = backups["keep"]
        if not isinstance(keep, int) or isinstance(keep, bool) or keep < 1:
            raise ConfigError("backups.keep must be a whole number of at least 1")
        settings = replace(settings, backups_keep=keep)
    help_table = data.get("help", {})
    if not isinstance(help_table, dict) or set(help_table) - {"note"}:
        raise ConfigError("[help] must be a table with one setting, note")
    if "note" in help_table:
        if not isinstance(help_table["note"], str):
            raise ConfigError("help.note must be a string")
        settings = replace(settings, help_note=help_table["note"])
    return _parse_journals_and_tags(data, settings)


def _parse_journals_and_tags(data: dict[str, Any], settings: Settings) -> Settings:
    journals = data.get("journals", {})
    if not isinstance(journals, dict):
        raise ConfigError('[journals] must be a table of name = "path"')
    named: list[tuple[str, Path]] = []
    for name, value in journals.items():
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"journals.{name} must be a path in quotes")
        if not _JOURNAL_NAME_RE.fullmatch(name):
            raise ConfigError(
                f"journals.{name}: a journal's name is letters, digits, '-' and '_' only"
            )
        named.append((name, Path(value).expanduser()))
    tags = data.get("tags", {})
    if not isinstance(tags, dict):
        raise ConfigError("[tags] must be a table")
    _refuse_unknown(tags, {"inline"}, "tags")
    inline = tags.get("inline", True)
    if not isinstance(inline, bool):
        raise ConfigError("tags.inline must be true or false")
    return replace(settings, journals=tuple(named), inline_tags=inline)


_JOURNAL_NAME_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")


#: The largest config file read: a hand-written one is a few KB; more is no config (and
#: TOML in memory takes many times its size).
CONFIG_CAP = 2**20


def load_settings(path: Path) -> tuple[Settings, ConfigError | None]:
    """Settings from ``path``: (settings, None), or (defaults, the problem) when it is broken.

    Only a regular file of at most :data:`CONFIG_CAP` bytes is read: a FIFO or a link to a
    device is a problem named like any other, never a hang or a read without end.
    """
    hint = f"Fix or remove {path}; journal uses its defaults until then."
    try:
        raw = read_capped(path, CONFIG_CAP)
    except FileNotFoundError:
        return Settings(), None
    except (NotRegularFileError, FileTooLargeError) as exc:
        return Settings(), ConfigError(
            f"The config file {path} was not read: {exc.strerror}; using defaults.",
            f"Replace {path} with a small text file, or remove it.",
        )
    except OSError as exc:
        return Settings(), ConfigError(
            f"The config file {path} cannot be read ({exc.strerror}); using defaults."
        )
    tomllib = _toml()
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return Settings(), ConfigError(f"The config file {path} is not UTF-8 text.", hint)
    except RecursionError:  # tomllib recurses once per level of nesting
        return Settings(), ConfigError(f"The config file {path} is nested too deeply.", hint)
    except tomllib.TOMLDecodeError as exc:
        detail = str(exc)
        line = re.search(r"line (\d+)", detail)
        where = f" on line {line.group(1)}" if line else ""
        return Settings(), ConfigError(
            f"The config file {path} is not valid TOML{where}: {detail}.", hint
        )
    try:
        return parse_settings(data, path), None
    except ConfigError as exc:
        where = _line_of(raw.decode("utf-8"), exc.message)
        return Settings(), ConfigError(f"The config file {path}{where}: {exc.message}.", hint)


#: A line that sets a key or opens a table: ``name = ...`` or ``[name]`` (the name in group 1).
_KEY_LINE = re.compile(r"\s*(?:\[\s*)?([A-Za-z_][\w-]*)\s*(?:=|\])")


def _line_of(text: str, message: str) -> str:
    """``", line N"`` for the setting a validation message names, so the user can find it.

    Linear in the text and the message: the text is scanned once, each line matched once
    against the set of names wanted (a search per name was quadratic: 30 s for a file of
    20,000 unknown keys).
    """
    names = re.findall(r"(?:^|: |, |\[|\.)([A-Za-z_][\w-]*)(?=\]| must|,|$)", message)
    # "unknown setting(s) in [prompts]: foo": the names after the colon are the culprits.
    listed = set(message.rsplit(": ", 1)[-1].split(", "))
    order = [n for n in names if n in listed] + names
    wanted = set(order)
    first_line: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _KEY_LINE.match(line)
        if match is not None and match.group(1) in wanted:
            first_line.setdefault(match.group(1), number)
    for name in order:
        if name in first_line:
            return f", line {first_line[name]}"
    return ""


def save_theme(path: Path, theme: str, *, write: Callable[[Path, bytes], object]) -> None:
    """Remember the chosen theme, keeping the rest of the file as the user wrote it.

    ``write`` is the store's atomic writer (``journal.store.atomic.atomic_write_bytes``),
    handed in by the caller: the domain never imports the store layer. A symlinked file (a
    dotfiles repository) is written through the link: the atomic rename replaces its
    target, and the link stays a link. ``OSError`` when the file cannot be read or written
    (a FIFO, a device or a file over :data:`CONFIG_CAP` included), :class:`ConfigError`
    when it is not UTF-8 text.
    """
    path = Path(os.path.realpath(path))
    try:
        text = read_capped(path, CONFIG_CAP).decode("utf-8")
    except FileNotFoundError:
        text = ""
    except UnicodeDecodeError:
        # Rewriting it would turn bytes we cannot read into others: leave the file alone.
        raise ConfigError(f"The config file {path} is not UTF-8 text.") from None
    line = f'theme = "{theme}"'
    if re.search(r"(?m)^theme\s*=.*$", text):
        text = re.sub(r"(?m)^theme\s*=.*$", line, text, count=1)
    else:
        text = line + "\n" + text
    ensure_private_dir(path.parent)
    write(path, text.encode("utf-8"))
