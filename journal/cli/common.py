"""What the command modules share: the parser's pieces, opening the journal, and warnings.

Every command module imports from here and from nothing else in ``journal.cli``, so the
package has no import cycle. Textual is imported only by :func:`run_app`.
"""

from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import orjson

from journal.dates import DateError, parse_date
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
    from journal.prompts import PromptLibrary

    #: What ``add_subparsers()`` returns: each command module's ``register`` takes it.
    Subparsers: TypeAlias = argparse._SubParsersAction[ArgumentParser]


# ---- the parser's pieces -----------------------------------------------------------------------


def today() -> date:
    """The local day now (tests fix it: relative dates resolve against it)."""
    return now_local().date()


def as_of(args: argparse.Namespace) -> date:
    """The day of ``--date``, or today."""
    return date.fromisoformat(args.date) if getattr(args, "date", None) else today()


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
    """``--db PATH``, on the main parser and (not overriding it) on every subcommand."""
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        default=default,
        help="journal database file (default: $JOURNAL_DB or the user data folder)",
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
    """The database path from ``--db``, ``$JOURNAL_DB`` or the default."""
    return Path(args.db).expanduser() if getattr(args, "db", None) else default_db_path()


def load_settings() -> Settings:
    """Settings from the config file; a broken file is reported and the defaults are used."""
    from journal.config import load_settings as load_settings_file

    settings, problem = load_settings_file(config_path())
    if problem is not None:
        print(f"journal: warning: {problem}", file=sys.stderr)
    return settings


def backups_keep() -> int:
    """How many rolling backups the config file asks to keep."""
    from journal.config import load_settings as load_settings_file

    return load_settings_file(config_path())[0].backups_keep


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
            print(f"journal: warning: prompt pack skipped: {problem}", file=sys.stderr)
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
        print(f"journal: {request.note}.", file=sys.stderr)
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


# ---- output ------------------------------------------------------------------------------------


def entries_text(count: int) -> str:
    """``1 entry``, ``2 entries``."""
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def print_json(payload: Any) -> None:
    """Indented JSON on stdout, for machines."""
    sys.stdout.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode() + "\n")


def warn_invalid(store: Store) -> None:
    """One warning line per stored entry that does not validate (left out of the command)."""
    for bad in store.invalid:
        print(
            f"journal: warning: entry {bad.uid} (#{bad.doc_id}) is invalid and was left out: "
            f"{bad.problem}. Run `journal doctor`.",
            file=sys.stderr,
        )


def warn_backup(store: Store) -> None:
    """What the daily backup could not do (the save itself went through)."""
    for problem in backup_problems(store):
        print(f"journal: warning: {problem}", file=sys.stderr)


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
    app.run()
    return app.return_code or 0
