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

    [backups]
    keep = 14                               # daily backups to keep
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from journal.errors import ConfigError
from journal.paths import ensure_private_dir


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
    source: Path | None = field(default=None, compare=False)


def _strings(value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where} must be a list of strings")
    return tuple(value)


def parse_settings(data: dict[str, Any], source: Path | None = None) -> Settings:
    """Validate a parsed config table; unknown keys and wrong types are errors."""
    settings = Settings(source=source)
    known_top = {"theme", "prompts", "backups"}
    unknown = set(data) - known_top
    if unknown:
        raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
    if "theme" in data:
        if not isinstance(data["theme"], str):
            raise ConfigError("theme must be a string")
        settings = replace(settings, theme=data["theme"])
    prompts = data.get("prompts", {})
    if not isinstance(prompts, dict):
        raise ConfigError("[prompts] must be a table")
    unknown = set(prompts) - {"disabled_packs", "enabled_packs", "starred"}
    if unknown:
        raise ConfigError(f"unknown setting(s) in [prompts]: {', '.join(sorted(unknown))}")
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
    backups = data.get("backups", {})
    if not isinstance(backups, dict):
        raise ConfigError("[backups] must be a table")
    unknown = set(backups) - {"keep"}
    if unknown:
        raise ConfigError(f"unknown setting(s) in [backups]: {', '.join(sorted(unknown))}")
    if "keep" in backups:
        keep = backups["keep"]
        if not isinstance(keep, int) or isinstance(keep, bool) or keep < 1:
            raise ConfigError("backups.keep must be a whole number of at least 1")
        settings = replace(settings, backups_keep=keep)
    return settings


def load_settings(path: Path) -> tuple[Settings, ConfigError | None]:
    """Settings from ``path``: (settings, None), or (defaults, the problem) when it is broken."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings(), None
    except OSError as exc:
        return Settings(), ConfigError(
            f"The config file {path} cannot be read ({exc.strerror}); using defaults."
        )
    hint = f"Fix or remove {path}; journal uses its defaults until then."
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


def _line_of(text: str, message: str) -> str:
    """``", line N"`` for the setting a validation message names, so the user can find it."""
    names = re.findall(r"(?:^|: |, |\[|\.)([A-Za-z_][\w-]*)(?=\]| must|,|$)", message)
    # "unknown setting(s) in [prompts]: foo": the names after the colon are the culprits.
    culprits = [n for n in names if n in message.rsplit(": ", 1)[-1].split(", ")]
    for name in culprits + names:
        pattern = re.compile(rf"^\s*(\[\s*)?{re.escape(name)}\s*(=|\])")
        for number, line in enumerate(text.splitlines(), 1):
            if pattern.match(line):
                return f", line {number}"
    return ""


def save_theme(path: Path, theme: str, *, write: Callable[[Path, bytes], object]) -> None:
    """Remember the chosen theme, keeping the rest of the file as the user wrote it.

    ``write`` is the store's atomic writer (``journal.store.atomic.atomic_write_bytes``),
    handed in by the caller: the domain never imports the store layer.
    """
    try:
        text = path.read_text("utf-8")
    except FileNotFoundError:
        text = ""
    line = f'theme = "{theme}"'
    if re.search(r"(?m)^theme\s*=.*$", text):
        text = re.sub(r"(?m)^theme\s*=.*$", line, text, count=1)
    else:
        text = line + "\n" + text
    ensure_private_dir(path.parent)
    write(path, text.encode("utf-8"))
