"""What the command modules share: the parser's pieces, opening the journal, and warnings.

Every command module imports from here and from nothing else in ``journal.cli``, so the
package has no import cycle. Textual is imported only by :func:`run_app`.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import re
import sys
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import orjson

from journal.dates import DateError, parse_date
from journal.display import visible, visible_json, visible_line
from journal.errors import JournalError
from journal.models import now_local
from journal.paths import config_path, default_db_path, user_prompts_dir
from journal.store import EntryFilter, Store, make_filter
from journal.store.crypto import PASSPHRASE_FILE_ENV, Key
from journal.store.opening import (
    PassphraseRequest,
    backup_problems,
    header_of,
    key_for,
    open_journal,
)


class UsageError(Exception):
    """Bad arguments: one line on stderr and exit code 2."""


#: The options that take a date (every one of them, in every command).
DATE_OPTIONS = frozenset({"--since", "--until", "--date"})
#: A date written with a leading minus (``-2w``, ``-3d``), which argparse takes for an option.
_DASH_DATE = re.compile(r"^-\s*\d{1,4}\s*[dwmy]$", re.IGNORECASE)


def join_dash_dates(argv: Sequence[str]) -> list[str]:
    """``--since -2w`` -> ``--since=-2w``, so the README's ``-2w`` reads as a date."""
    out: list[str] = []
    for arg in argv:
        if out and out[-1] in DATE_OPTIONS and _DASH_DATE.match(arg):
            out[-1] = f"{out[-1]}={arg}"
        else:
            out.append(arg)
    return out


class ArgumentParser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2) instead of a usage dump, and ``-2w`` dates."""

    def parse_known_args(  # type: ignore[override]  # typeshed overloads it; one call here
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """As argparse's, after joining date options to values that start with a minus."""
        argv = sys.argv[1:] if args is None else args
        return super().parse_known_args(join_dash_dates(argv), namespace)

    def error(self, message: str) -> NoReturn:
        """Print one line and exit 2."""
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


if TYPE_CHECKING:
    from typing import TypeAlias

    from journal.config import Settings
    from journal.models import Entry
    from journal.prompts import PromptLibrary
    from journal.transfer.editing import EditedFile, Editor

    #: What ``add_subparsers()`` returns: each command module's ``register`` takes it.
    Subparsers: TypeAlias = argparse._SubParsersAction[ArgumentParser]


# ---- the parser's pieces -----------------------------------------------------------------------


def today() -> date:
    """The local day now (tests fix it: relative dates resolve against it)."""
    return now_local().date()


def as_of(args: argparse.Namespace) -> date:
    """The day of ``--date``, or today."""
    return date.fromisoformat(args.date) if getattr(args, "date", None) else today()


def day_or_today(value: str | None) -> date:
    """The day of an ISO date option, or today when it was not given."""
    return date.fromisoformat(value) if value else today()


def date_arg(value: str) -> str:
    """An argparse type: a day looked back on (an entry's, ``--since``), as ``YYYY-MM-DD``.

    A weekday is the most recent one, today included (``dates.parse_date``, towards the past).
    """
    try:
        return parse_date(value, today(), "past").isoformat()
    except DateError as exc:
        raise argparse.ArgumentTypeError(f"{exc.message} {exc.hint}") from None


def due_date_arg(value: str) -> str:
    """An argparse type: a day ahead (a follow-up's due date); a weekday is the next one."""
    try:
        return parse_date(value, today(), "future").isoformat()
    except DateError as exc:
        raise argparse.ArgumentTypeError(f"{exc.message} {exc.hint}") from None


def positive_int(value: str) -> int:
    """An argparse type: a whole number from 1 up."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def add_db_option(parser: argparse.ArgumentParser, default: Any) -> None:
    """``--db PATH`` and ``-j/--journal NAME``, on the main parser and (not overriding it) on
    every subcommand, so either may come before or after the command."""
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        default=default,
        help="journal database file (default: $JOURNAL_DB or the user data folder)",
    )
    parser.add_argument(
        "-j",
        "--journal",
        metavar="NAME",
        default=default,
        help="a named journal from the config file's [journals] (--db wins)",
    )


def add_command(subparsers: Subparsers, name: str, help_text: str) -> argparse.ArgumentParser:
    """A subcommand's parser, with its help and ``--db``."""
    parser = subparsers.add_parser(name, help=help_text, description=help_text)
    add_db_option(parser, argparse.SUPPRESS)
    return parser


def add_filters(parser: argparse.ArgumentParser) -> None:
    """The options that choose entries (list, export)."""
    parser.add_argument("--since", type=date_arg, metavar="DATE", help="from this day on")
    parser.add_argument("--until", type=date_arg, metavar="DATE", help="up to this day")
    parser.add_argument(
        "--tag", action="append", default=[], metavar="TAG", help="with this tag (repeatable)"
    )
    parser.add_argument(
        "--kind", choices=("reflection", "checkin", "revisit", "note"), help="of this kind"
    )
    parser.add_argument("--search", metavar="TEXT", help="containing every word of TEXT")
    parser.add_argument("--starred", action="store_true", default=None, help="starred only")


def filter_from(args: argparse.Namespace) -> EntryFilter:
    """The filter the options of :func:`add_filters` describe."""
    return make_filter(
        since=args.since,
        until=args.until,
        tags=args.tag,
        kind=args.kind,
        search=args.search,
        starred=args.starred,
    )


# ---- settings, prompts and the journal ---------------------------------------------------------


def db_path(args: argparse.Namespace) -> Path:
    """The database path from ``--db``, ``--journal NAME``, ``$JOURNAL_DB`` or the default."""
    if getattr(args, "db", None):
        return Path(args.db).expanduser()
    name = getattr(args, "journal", None)
    if name:
        return named_journal(name)
    return default_db_path()


def named_journal(name: str) -> Path:
    """The file of the journal called ``name`` in the config file; a usage error naming the
    journals there when there is none by that name."""
    journals = dict(load_settings().journals)
    if name in journals:
        return journals[name]
    known = ", ".join(journals) or "none yet"
    raise UsageError(
        f"no journal called {visible_line(name)!r} in the config file ({config_path()}); "
        f'named journals: {known}. Add one under [journals], e.g. {name} = "~/{name}.json"'
    )


def journal_label(args: argparse.Namespace) -> str | None:
    """The name of the journal chosen with ``--journal`` (for the app's header), if any."""
    if getattr(args, "db", None):
        return None
    return getattr(args, "journal", None) or None


#: Config problems this command has reported: one warning each, however often it reads the
#: file (``journal add`` reads it for inline tags, then for the daily backup's ``keep``).
_config_warnings: set[str] = set()


def forget_config_warnings() -> None:
    """A new command starts (``cli.main``): its config problems are reported afresh."""
    _config_warnings.clear()


def load_settings() -> Settings:
    """Settings from the config file; a broken file is reported and the defaults are used."""
    from journal.config import load_settings as load_settings_file

    settings, problem = load_settings_file(config_path())
    if problem is not None and str(problem) not in _config_warnings:
        _config_warnings.add(str(problem))
        warn(f"warning: {problem}")
    return settings


def backups_keep() -> int:
    """How many rolling backups the config file asks to keep.

    Read when a backup is taken; a value that is no whole number of at least 1 is said as
    every other config problem is (not silently replaced by the default).
    """
    return load_settings().backups_keep


def load_prompts(settings: Settings, *, quiet: bool = False) -> PromptLibrary:
    """The prompt library with the user's packs and settings applied."""
    from journal.prompts import PromptLibrary

    library = PromptLibrary.load(
        user_dir=user_prompts_dir(),
        disabled=settings.disabled_packs,
        enabled_only=settings.enabled_packs,
    )
    if not quiet:
        for problem in library.problems:
            warn(f"warning: prompt pack skipped: {problem}")
        for line in library.setting_problems():
            warn(f"warning: the config file {config_path()}: {line}")
    return library


def terminal_available() -> bool:
    """Whether a hidden prompt is possible (getpass falls back to echoing stdin otherwise)."""
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return False
    os.close(fd)
    return True


def ask_hidden(prompt: str) -> str:
    """Ask on the terminal without echo (``getpass`` reads ``/dev/tty``: stdin stays free)."""
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise JournalError("No passphrase was given.", "Nothing was changed.") from None


def ask_passphrase(request: PassphraseRequest) -> str | None:
    """The command line's way to ask for a passphrase (see store/opening.py); None without a
    terminal, so the command says to set ``$JOURNAL_PASSPHRASE_FILE``."""
    if not terminal_available():
        return None
    if request.note is not None:
        warn(f"{request.note}.")
    return ask_hidden(request.prompt)


def open_store(args: argparse.Namespace, *, keep: int | None = None) -> Store:
    """Open the journal named by the arguments (not created until the first save).

    An encrypted journal asks for its passphrase here. The daily backup rides on the store's
    first write of each day; ``keep`` is read from the config file only when one is taken.
    """
    return open_journal(
        db_path(args),
        passphrase=ask_passphrase,
        keep_backups=keep if keep is not None else backups_keep,
    )


def unlock(path: Path, *, what: str | None = None) -> Key | None:
    """The checked key of the encrypted file at ``path`` (asked for), or None when it is plain."""
    return key_for(path, passphrase=ask_passphrase, what=what)


def resolve_entry(store: Store, given: str) -> Entry:
    """The entry whose uid is ``given`` or starts with it; a clear error when none or several
    match (the several are listed, so the user can pick a longer prefix)."""
    wanted = given.strip().lower()
    if not wanted:
        raise UsageError("give an entry's id (see `journal list`)")
    exact = store.get(wanted)
    if exact is not None:
        return exact
    matches = [e for e in store.entries() if e.uid.startswith(wanted)]
    if not matches:
        raise UsageError(
            f"no entry's id starts with {visible_line(given)!r} (ids are in `journal list`)"
        )
    if len(matches) > 1:
        lines = [f"{visible_line(given)!r} is the start of {len(matches)} ids; give more of one:"]
        for e in matches[:20]:
            lines.append(f"  {e.uid[:12]}  {e.day}  {visible_line(e.headline)[:50]}")
        if len(matches) > 20:
            lines.append(f"  ... and {len(matches) - 20} more")
        raise UsageError("\n".join(lines))
    return matches[0]


# ---- the editor ---------------------------------------------------------------------------


def _editor() -> Editor:
    from journal.transfer.editing import find_editor

    editor = find_editor()
    if editor.source == "fallback" and not sys.stdin.isatty():
        from journal.transfer.editing import EditorError

        raise EditorError(
            "No editor is set and there is no terminal to start one on.",
            'Set $EDITOR, or give the text (journal add "..." or journal add - < file).',
        )
    if editor.source == "fallback":
        print(
            f"journal: neither $VISUAL nor $EDITOR is set; using {editor.name} "
            "(set $EDITOR to choose another).",
            file=sys.stderr,
        )
    return editor


def edit_text(text: str, *, name: str) -> tuple[str, bool]:
    """Let the user edit ``text`` in their editor: (the text after, whether it changed).

    Raises :class:`~journal.transfer.editing.EditorError` when the editor fails (nothing
    is to be applied then).
    """
    from journal.transfer.editing import private_edit_file, read_edited, run_editor

    editor = _editor()
    with private_edit_file(text, name=name) as path:
        run_editor(editor, path)
        after = read_edited(path)
    return after, after != text


def parse_or_keep(
    text: str, store: Store, *, again: str, uid: str = "", base: Entry | None = None
) -> EditedFile:
    """The edited file read back; when it does not parse, it is kept aside (sealed with the
    journal's key when the journal is encrypted, named with ``base``'s version) and the error
    says where and how to open it again (``again``: the command, to which ``--from FILE`` is
    added). Nothing is applied."""
    from journal.transfer.editing import EditedFileError, keep_aside, parse_editor_text

    try:
        return parse_editor_text(text)
    except EditedFileError as exc:
        kept = keep_aside(text, store.path, store.key, uid=uid, base=base)
        sealed = " (encrypted, as the journal is)" if store.encrypted else ""
        raise JournalError(
            f"Your edit was not applied: {exc.message}",
            f"{exc.hint + ' ' if exc.hint else ''}Your text is kept in {kept}{sealed}; "
            f"`{again} --from {kept}` opens it in the editor again.",
        ) from None


def start_text(args: argparse.Namespace, store: Store, default: str) -> str:
    """What the editor opens: ``default``, or the kept edit named by ``--from FILE``."""
    given = getattr(args, "from_file", None)
    if given is None:
        return default
    from journal.transfer.editing import read_kept

    return read_kept(Path(given).expanduser(), store.key)


def kept_base_changed(args: argparse.Namespace, entry: Entry) -> bool:
    """Whether the kept edit of ``--from FILE`` was made from another version of ``entry``
    than the one stored now (so applying it would overwrite what changed since)."""
    from journal.transfer.editing import entry_version, kept_version

    given = getattr(args, "from_file", None)
    version = kept_version(Path(given)) if given is not None else None
    return version is not None and version != entry_version(entry)


def forget_kept(args: argparse.Namespace) -> None:
    """The kept edit of ``--from FILE`` has been applied (or kept again): remove it, when it
    is one of ours (in an ``unapplied-edits`` folder)."""
    from journal.transfer.editing import KEPT_FOLDER

    given = getattr(args, "from_file", None)
    if given is None:
        return
    path = Path(given).expanduser()
    if path.parent.name == KEPT_FOLDER:
        with contextlib.suppress(OSError):
            path.unlink()


@contextlib.contextmanager
def importing(path: Path) -> Iterator[None]:
    """Turn what reading an import file can run into (nesting too deep for the parser, not
    enough memory, text that is not valid Unicode such as a lone surrogate in a jrnl title)
    into one error naming the file. Nothing is written before the whole file is read."""
    hint = "Nothing was imported; the journal has not been changed. Fix the file and try again."
    try:
        yield
    except RecursionError:
        message = f"Cannot import {path}: it is nested too deeply to read."
        raise JournalError(message, hint) from None
    except MemoryError:
        raise JournalError(
            f"Cannot import {path}: there is not enough memory to read it.",
            "Split it, or close other programs. " + hint,
        ) from None
    except UnicodeError as exc:
        raise JournalError(
            f"Cannot import {path}: it holds text that is not valid Unicode{_culprit(exc)}.",
            hint,
        ) from None


def _culprit(exc: UnicodeError) -> str:
    """`` (a lone surrogate, \\ud800)``: what the codec refused, when it says."""
    text = getattr(exc, "object", None)
    start = getattr(exc, "start", None)
    if not isinstance(text, str) or not isinstance(start, int) or start >= len(text):
        return ""
    char = text[start]
    kind = "a lone surrogate, " if "\ud800" <= char <= "\udfff" else ""
    return f" ({kind}{visible_line(char)})"


# ---- output ------------------------------------------------------------------------------------


def entries_text(count: int) -> str:
    """``1 entry``, ``2 entries``."""
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def warn(text: str) -> None:
    """``journal: TEXT`` on stderr, control characters escaped (it may quote stored text)."""
    print(f"journal: {visible(text)}", file=sys.stderr)


def json_text(payload: Any) -> str:
    """``payload`` as indented JSON, safe to print: control characters are ``\\u`` escapes."""
    try:
        text = orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode()
    except orjson.JSONEncodeError:
        # orjson refuses a lone surrogate (text from a surrogate-escaped argument or file
        # name); the standard encoder writes it as itself and visible_json escapes it.
        import json

        text = json.dumps(payload, indent=2, ensure_ascii=False)
    return visible_json(text)


def print_json(payload: Any) -> None:
    """Indented JSON on stdout, for machines."""
    sys.stdout.write(json_text(payload) + "\n")


def warn_invalid(store: Store) -> None:
    """One warning line per stored entry that does not validate (left out of the command)."""
    for bad in store.invalid:
        uid = visible_line(str(bad.uid))
        warn(
            f"warning: entry {uid} (#{bad.doc_id}) is invalid and was left out: "
            f"{bad.problem}. Run `journal doctor`."
        )


def warn_backup(store: Store) -> None:
    """What the daily backup could not do (the save itself went through)."""
    for problem in backup_problems(store):
        warn(f"warning: {problem}")


# ---- the app -----------------------------------------------------------------------------------


def run_app(args: argparse.Namespace, *, start: str = "today") -> int:
    """Assemble and run the full-screen app."""
    from journal.config import load_settings as load_settings_file

    # Textual costs about 0.2 s to import: only the app's path pays for it.
    from journal.tui.app import JournalApp
    from journal.tui.screens.unlock import Locked

    # A broken config file is shown inside the app (stderr would vanish under the screen).
    settings, config_problem = load_settings_file(config_path())
    path = db_path(args)
    first_run = not path.exists()
    # An encrypted journal without JOURNAL_PASSPHRASE_FILE: the app starts on its unlock
    # screen and opens the store only once the passphrase is right (screens/unlock.py).
    locked = header_of(path) is not None and not os.environ.get(PASSPHRASE_FILE_ENV)
    store = None if locked else open_store(args, keep=settings.backups_keep)
    library = load_prompts(settings, quiet=True)

    app = JournalApp(
        settings=settings,
        store=store,
        prompts=library,
        start=start,
        config_path=config_path(),
        first_run=first_run,
        locked=Locked(path, keep_backups=settings.backups_keep) if locked else None,
    )
    if config_problem is not None:
        app.startup_problems.append(config_problem)
    app.journal_name = journal_label(args)
    app.run()
    return app.return_code or 0
