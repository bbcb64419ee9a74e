"""The ``journal`` command: assembles settings, store and prompts, then runs a command or the app.

Textual is imported only on the path that starts the app, so the other commands start fast.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from journal import __version__
from journal.cli import checkin as checkin_cli
from journal.cli import crypto as crypto_cli
from journal.cli import transfer as transfer_cli

if TYPE_CHECKING:
    from journal.config import Settings
    from journal.prompts import PromptLibrary
    from journal.store import EntryFilter, Store
    from journal.store.crypto import Key


class UsageError(Exception):
    """Bad arguments: one line on stderr and exit code 2."""


class ArgumentParser(argparse.ArgumentParser):
    """argparse with one-line errors (exit 2) instead of a usage dump."""

    def error(self, message: str) -> NoReturn:
        """Print one line and exit 2."""
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _today() -> date:
    from journal.models import now_local

    return now_local().date()


def _date_arg(value: str) -> str:
    from journal.dates import DateError, parse_date

    try:
        return parse_date(value, _today()).isoformat()
    except DateError as exc:
        raise argparse.ArgumentTypeError(f"{exc.message} {exc.hint}") from None


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _add_db_option(parser: argparse.ArgumentParser, default: Any) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        type=Path,
        default=default,
        help="journal database file (default: $JOURNAL_DB or the user data folder)",
    )


def _add_filters(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--since", type=_date_arg, metavar="DATE", help="from this day on")
    parser.add_argument("--until", type=_date_arg, metavar="DATE", help="up to this day")
    parser.add_argument(
        "--tag", action="append", default=[], metavar="TAG", help="with this tag (repeatable)"
    )
    parser.add_argument(
        "--kind", choices=("reflection", "checkin", "revisit", "note"), help="of this kind"
    )
    parser.add_argument("--search", metavar="TEXT", help="containing every word of TEXT")
    parser.add_argument("--starred", action="store_true", default=None, help="starred only")


class _Unused:
    """Stands in for the parser of a subcommand this command line does not name: it takes
    every call and keeps nothing (see :func:`build_parser`)."""

    def __getattr__(self, name: str) -> Callable[..., _Unused]:
        return self._take

    def _take(self, *args: Any, **kwargs: Any) -> _Unused:
        return self


def build_parser(argv: Sequence[str] | None = None) -> ArgumentParser:
    """The whole command line; with ``argv``, only the subcommand it names is built.

    Building every subcommand's parser takes ~6 ms, at every start, and a command line uses
    one. The others are then left out (``journal --help`` and a word that is no command
    still get the whole parser, so help and "invalid choice" list every command).
    """
    from journal.prefetch import scan_command_line

    only = scan_command_line(list(argv))[0] if argv is not None else None
    if only is not None:
        parser = _build(only)
        if parser is not None:
            return parser
    full = _build(None)
    assert full is not None
    return full


def _build(only: str | None) -> ArgumentParser | None:
    """The parser with every subcommand, or only with ``only`` (None if it is no command)."""
    built: list[str] = []
    parser = ArgumentParser(
        prog="journal",
        description="A private reflection journal for the terminal. "
        "With no command, opens the app on Today.",
        epilog="Nothing leaves your machine. Data: $JOURNAL_DB or the user data folder; "
        "config: $JOURNAL_CONFIG or config.toml in the user config folder.",
    )
    parser.add_argument("--version", action="version", version=f"journal {__version__}")
    _add_db_option(parser, None)
    parser.add_argument(
        "--demo",
        action="store_true",
        help="look around first: the app on a temporary journal of sample entries "
        "(yours is not touched; deleted on quit)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        if only is not None and name != only:
            return _Unused()  # type: ignore[return-value]
        built.append(name)
        p = sub.add_parser(name, help=help_text, description=help_text)
        _add_db_option(p, argparse.SUPPRESS)
        return p

    command("today", "open the app on Today (the default)")

    p = command("add", "add an entry without opening the app; prints its uid")
    p.add_argument("text", help="the entry's text, or - to read it from standard input")
    p.add_argument("--title", default="", help="a title for the entry")
    p.add_argument("--tag", action="append", default=[], metavar="TAG", help="a tag (repeatable)")
    p.add_argument("--date", type=_date_arg, metavar="DATE", help="the day it belongs to")
    p.add_argument(
        "--kind", choices=("reflection", "note"), default="reflection", help="entry kind"
    )

    p = command("list", "list entries, newest first")
    p.add_argument("-n", type=_positive_int, metavar="N", help="at most N entries")
    _add_filters(p)
    p.add_argument("--json", action="store_true", help="print JSON for machines")

    # Markdown out and back in: export, import (transfer_cli.py).
    transfer_cli.add_commands(command)

    p = command("prompt", "print today's prompt and its follow-up questions")
    p.add_argument("--date", type=_date_arg, metavar="DATE", help="the prompt of another day")
    p.add_argument("--theme", metavar="THEME", help="only prompts of this theme")
    p.add_argument("--next", action="store_true", help="another prompt instead")
    p.add_argument("--json", action="store_true", help="print JSON for machines")

    # Keeping your words safe (backups.py, doctor.py).
    command("backup", "back the journal up now (one a day is automatic)")
    p = command("restore", "put a backup back; the current file is kept aside first")
    p.add_argument("name", nargs="?", metavar="NAME", help="the backup's name (see --list)")
    p.add_argument("--list", action="store_true", help="list the backups, newest last")
    p = command("doctor", "check the journal and say how to fix what is wrong")
    p.add_argument(
        "--repair", action="store_true", help="fix what can be fixed without loss (copy kept)"
    )

    # After a tough call: check-in, due, done, stats (checkin_cli.py).
    checkin_cli.add_commands(command)

    # Encryption at rest: encrypt, decrypt, passphrase (crypto_cli.py).
    crypto_cli.add_commands(command)

    return parser if built or only is None else None


# ---- assembly ------------------------------------------------------------------------------


def db_path(args: argparse.Namespace) -> Path:
    """The database path from ``--db``, ``$JOURNAL_DB`` or the default."""
    from journal.paths import default_db_path

    return Path(args.db).expanduser() if getattr(args, "db", None) else default_db_path()


def load_settings() -> Settings:
    """Settings from the config file; a broken file is reported and the defaults are used."""
    from journal.config import load_settings as load
    from journal.paths import config_path

    settings, problem = load(config_path())
    if problem is not None:
        print(f"journal: warning: {problem}", file=sys.stderr)
    return settings


def open_store(args: argparse.Namespace, *, keep: int | None = None) -> Store:
    """Open the journal named by the arguments (not created until the first save).

    The daily backup rides on the store's first write of each day (see backups.DailyBackup);
    ``keep`` is read from the config file only when a backup is actually taken.
    """
    path = db_path(args)
    # An encrypted journal asks for its passphrase here (the one place: crypto_cli.py).
    return crypto_cli.with_passphrase(path, lambda key: store_with_key(args, key, keep=keep))


#: Stores the command opened, held until the process exits (see :func:`run`): a command
#: that returns would otherwise free a big journal object by object (36,500 entries: ~25 ms)
#: just before the process ends anyway.
_HELD_UNTIL_EXIT: list[Store] = []


def store_with_key(args: argparse.Namespace, key: Key | None, *, keep: int | None = None) -> Store:
    """Open the journal named by the arguments with ``key`` (None: a plain journal)."""
    from journal.store import Store

    path = db_path(args)
    store = Store.open(path, key=key)
    collect_garbage_again()  # the journal is loaded: what the command makes may be garbage
    _HELD_UNTIL_EXIT.append(store)
    store.before_write = _DailyBackupOnFirstWrite(path, keep if keep is not None else _backups_keep)
    return store


class _DailyBackupOnFirstWrite:
    """``backups.DailyBackup``, imported and built at the store's first write: a command
    that only reads (list, search, export) does not pay for the backups module."""

    def __init__(self, path: Path, keep: int | Callable[[], int]) -> None:
        self.path = path
        self.keep = keep
        self.hook: Callable[[], None] | None = None

    @property
    def problems(self) -> list[str]:
        """What the backup could not do, for the command to print (see backups.py)."""
        return list(getattr(self.hook, "problems", []))

    def __call__(self) -> None:
        if self.hook is None:
            from journal.store.backups import DailyBackup

            self.hook = DailyBackup(self.path, keep=self.keep)
        self.hook()


def _backups_keep() -> int:
    from journal.config import load_settings as load
    from journal.paths import config_path

    return load(config_path())[0].backups_keep


def _warn_backup(store: Store) -> None:
    for problem in getattr(store.before_write, "problems", ()):
        print(f"journal: warning: {problem}", file=sys.stderr)


def load_prompts(settings: Settings, *, quiet: bool = False) -> PromptLibrary:
    """The prompt library with the user's packs and settings applied."""
    from journal.paths import user_prompts_dir
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


def _filter_from(args: argparse.Namespace) -> EntryFilter:
    from journal.store import make_filter

    return make_filter(
        since=args.since,
        until=args.until,
        tags=args.tag,
        kind=args.kind,
        search=args.search,
        starred=args.starred,
    )


def _warn_invalid(store: Store) -> None:
    for bad in store.invalid:
        print(
            f"journal: warning: entry {bad.uid} (#{bad.doc_id}) is invalid and was left out: "
            f"{bad.problem}. Run `journal doctor`.",
            file=sys.stderr,
        )


# ---- commands ------------------------------------------------------------------------------


def cmd_add(args: argparse.Namespace) -> int:
    """``journal add``."""
    from journal.models import Entry

    text = sys.stdin.read() if args.text == "-" else args.text
    if not text.strip():
        raise UsageError("the entry is empty; nothing was saved")
    entry = Entry.new(
        text.rstrip("\n") + ("\n" if args.text == "-" else ""),
        title=args.title,
        tags=args.tag,
        day=args.date,
        kind=args.kind,
    )
    store = open_store(args)
    store.add(entry)
    print(entry.uid)
    _warn_backup(store)
    return 0


_CONTROL_CHARS = dict.fromkeys([*range(32), *range(127, 160)], "\N{REPLACEMENT CHARACTER}")
_CONTROL_CHARS[9] = " "  # a tab is just a wide space


def cmd_list(args: argparse.Namespace) -> int:
    """``journal list``."""
    import itertools

    store = open_store(args)
    # One pass per process: caching parsed documents or search text would only cost memory.
    store.cache_search_text = store.keep_parsed = False
    # Streamed: entries are built, printed and dropped one by one (36,500 entries: flat
    # memory instead of every Entry, every dict and the whole output at once).
    entries = itertools.islice(store.iter_entries(_filter_from(args)), args.n)
    out = sys.stdout
    if args.json:
        import orjson

        # The same text as orjson.dumps(list, OPT_INDENT_2), one entry at a time: an
        # entry's own lines are indented by two more spaces (JSON strings hold no newline).
        out.write("[")
        first = True
        for e in entries:
            text = orjson.dumps(e.to_dict(), option=orjson.OPT_INDENT_2).decode()
            out.write(("\n  " if first else ",\n  ") + text.replace("\n", "\n  "))
            first = False
        out.write("]\n" if first else "\n]\n")
    else:
        for e in entries:
            tags = " ".join(f"#{t}" for t in e.tags)
            star = "*" if e.starred else " "
            # Control characters (an ESC from a paste) must not drive the user's terminal.
            headline = e.headline.translate(_CONTROL_CHARS)
            if len(headline) > 60:
                headline = headline[:59] + "…"
            out.write(f"{e.day}  {e.uid[:8]} {star} {e.kind:<10}  {headline}  {tags}".rstrip())
            out.write("\n")
    _warn_invalid(store)
    return 0


def cmd_prompt(args: argparse.Namespace) -> int:
    """``journal prompt``: print the day's prompt (never writes to the journal)."""
    from journal.prompts import PromptFeed

    settings = load_settings()
    library = load_prompts(settings)
    store = open_store(args)
    day = date.fromisoformat(args.date) if args.date else _today()
    if args.theme and args.theme not in library.themes:
        raise UsageError(f"no theme {args.theme!r}; themes: {', '.join(library.themes)}")
    stars = [*settings.starred_prompts, *store.starred_prompts()]
    feed = PromptFeed(library, store.prompt_log(), stars)
    chosen = feed.for_day(day, theme=args.theme)
    if chosen is None:
        print("journal: no prompts are enabled (check the config file)", file=sys.stderr)
        return 1
    prompt = chosen.prompt
    if args.next:
        prompt = feed.another(day, prompt.id, theme=args.theme) or prompt
    pack = library.packs[prompt.pack]
    if args.json:
        import orjson

        payload = {
            "day": day.isoformat(),
            "id": prompt.id,
            "pack": prompt.pack,
            "pack_title": pack.title,
            "theme": prompt.theme,
            "text": prompt.text,
            "followups": list(prompt.followups),
            "tags": list(prompt.tags),
            "when": list(prompt.when),
        }
        sys.stdout.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode() + "\n")
        return 0
    print(prompt.text)
    for question in prompt.followups:
        print(f"  - {question}")
    print(f"  ({pack.title}; {prompt.id})")
    return 0


def run_app(args: argparse.Namespace, *, start: str = "today") -> int:
    """Assemble and run the full-screen app."""
    from journal.config import load_settings as load
    from journal.paths import config_path

    # A broken config file is shown inside the app (stderr would vanish under the screen).
    settings, config_problem = load(config_path())
    first_run = not db_path(args).exists()
    # An encrypted journal without JOURNAL_PASSPHRASE_FILE: the app starts on its unlock
    # screen and opens the store only once the passphrase is right (screens/unlock.py).
    locked = crypto_cli.header_of(db_path(args)) is not None and not os.environ.get(
        crypto_cli.PASSPHRASE_FILE_ENV
    )
    # Textual first: the console script is reading the journal meanwhile (prefetch.py).
    from journal.tui.app import JournalApp
    from journal.tui.screens.unlock import Locked

    store = None if locked else open_store(args, keep=settings.backups_keep)
    library = load_prompts(settings, quiet=True)

    app = JournalApp(
        settings=settings,
        store=store,
        prompts=library,
        start=start,
        config_path=config_path(),
        first_run=first_run,
        locked=Locked(
            db_path(args), lambda key: store_with_key(args, key, keep=settings.backups_keep)
        )
        if locked
        else None,
    )
    if config_problem is not None:
        app.startup_problems.append(config_problem)
    app.run()
    return app.return_code or 0


def _entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def cmd_backup(args: argparse.Namespace) -> int:
    """``journal backup``: a backup now (of a journal that parses)."""
    from journal.store.backups import backup_now

    store = open_store(args)  # refuses a damaged file: its copy would rotate a good one out
    keep = _backups_keep()
    result = backup_now(store.path, keep=keep)
    count = store.count()
    if result.path is None:
        assert result.same_as is not None
        print(f"The newest backup, {result.same_as.name}, already holds exactly this journal.")
        return 0
    print(f"Backed up {_entries(count)} to {result.path}")
    if result.removed:
        names = ", ".join(p.name for p in result.removed)
        print(f"Keeping the newest {keep}; removed {names}.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """``journal restore --list`` and ``journal restore NAME``."""
    from journal.paths import backups_dir
    from journal.store.backups import check_backup, list_backups, parse_name, restore_backup
    from journal.store.doctor import command_prefix

    path = db_path(args)
    if args.list == bool(args.name):
        raise UsageError("give either --list or the NAME of a backup to restore")
    if args.list:
        backups = list_backups(path)
        if not backups:
            print(f"No backups yet in {backups_dir(path)}. `journal backup` makes one now.")
            return 0
        key = _backups_key(path, [b.path for b in backups])
        for backup in backups:
            check = check_backup(backup, key)
            what = (
                _entries(check.entries or 0)
                if check.usable
                else f"cannot be restored: {check.problem}"
            )
            print(f"{backup.name:<48} {backup.taken:%a %d %b %Y %H:%M}  {what}")
        print(f"({len(backups)} in {backups_dir(path)}; restore one with `journal restore NAME`)")
        return 0
    from journal.store.backups import find_backup
    from journal.store.crypto import CryptoError, read_file_header

    # An encrypted backup is opened with its own passphrase (it may predate a change).
    chosen = find_backup(path, args.name).path
    key = crypto_cli.unlock(chosen, what=f"the backup {chosen.name}")
    try:
        was_encrypted = read_file_header(path) is not None
    except CryptoError:
        was_encrypted = True  # a damaged header: still an encrypted journal
    result = restore_backup(path, args.name, key=key)
    name = result.restored.backup.name
    if result.unchanged:
        print(f"The journal already holds exactly {name}; nothing was changed.")
        return 0
    print(f"Restored {name} ({_entries(result.restored.entries or 0)}) into {path}.")
    if result.restored.encrypted:
        print("It is encrypted: the journal now opens with the passphrase you just gave.")
    elif was_encrypted:
        print(
            "Note: that backup is not encrypted, so neither is the journal now; "
            "`journal encrypt` encrypts it again."
        )
    if result.kept_aside is not None:
        print(f"The journal as it was is kept as {result.kept_aside}")
        kept = parse_name(result.kept_aside)
        check = check_backup(kept, key) if kept is not None else None
        if check is not None and (check.usable or check.encrypted):
            print(f"To undo: {command_prefix(path)} restore {result.kept_aside.name}")
        else:
            print("(It does not parse, so it cannot be restored; a text editor can open it.)")
    return 0


def _backups_key(path: Path, backups: list[Path]) -> Key | None:
    """The key for listing encrypted backups: checked against the journal, else the newest."""
    from journal.store.crypto import CryptoError, read_file_header

    candidates = [path, *reversed(backups)]
    for candidate in candidates:
        try:
            header = read_file_header(candidate)
        except CryptoError:
            continue  # a damaged header: try the next file
        if header is not None:
            what = "the journal" if candidate == path else f"the backup {candidate.name}"
            return crypto_cli.unlock(candidate, what=what)
    return None


def cmd_doctor(args: argparse.Namespace) -> int:
    """``journal doctor [--repair]``: exit 0 only when the journal is healthy."""
    from journal.errors import JournalError
    from journal.store.doctor import examine, render, repair

    path = db_path(args)
    # An encrypted journal's content is checked with its passphrase, when one can be had
    # (JOURNAL_PASSPHRASE_FILE or a terminal); a wrong one is a finding, not a crash.
    key, key_problem = None, None
    try:
        key = crypto_cli.doctor_unlock(path)
    except JournalError as exc:
        key_problem = exc.message
    report = examine(path, key=key, key_problem=key_problem)
    print(render(report))
    if args.repair and report.repairable:
        print("\nRepairing:")
        repair(path, log=lambda line: print(f"  - {line}"), key=key)
        report = examine(path, key=key, key_problem=key_problem)
        print()
        print(render(report, verbose=False))
    return 0 if report.healthy else 1


def _demo(args: argparse.Namespace) -> int:
    """``journal --demo [today|checkin|history]`` (demo_cli.py)."""
    from journal.cli.demo import APP_COMMANDS, run_demo

    if args.command not in APP_COMMANDS:
        raise UsageError(
            f"--demo is for the app only (`journal --demo`, or `journal --demo checkin`), "
            f"not for `{args.command}`; nothing was run"
        )
    if getattr(args, "db", None):
        raise UsageError("--demo uses its own temporary journal; leave out --db")
    return run_demo(start=args.command if args.command in ("checkin", "history") else "today")


COMMANDS = {
    "backup": cmd_backup,
    "restore": cmd_restore,
    "doctor": cmd_doctor,
    "add": cmd_add,
    "list": cmd_list,
    "prompt": cmd_prompt,
}

# After a tough call (checkin_cli.py): checkin, due, done, stats.
COMMANDS.update(checkin_cli.COMMANDS)
# Encryption at rest (crypto_cli.py): encrypt, decrypt, passphrase.
COMMANDS.update(crypto_cli.COMMANDS)
# Markdown out and back in (transfer_cli.py): export, import.
COMMANDS.update(transfer_cli.COMMANDS)


def _read_journal_early(args: argparse.Namespace) -> None:
    """Start reading the journal file in a thread while the command imports what it needs
    (see prefetch.py: ~40 ms at 36,500 entries, on another core). The console script has
    usually started it already (launch.py); then nothing more happens."""
    from journal import prefetch

    try:
        path = db_path(args)
    except (OSError, RuntimeError, ValueError):
        return  # the command finds the path itself and says what is wrong
    prefetch.start(path)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``journal`` with these arguments (the command line's when None); the exit code."""
    from journal import prefetch

    try:
        words = sys.argv[1:] if argv is None else list(argv)
        return _dispatch(build_parser(words).parse_args(words))
    finally:
        _HELD_UNTIL_EXIT.clear()  # called in a process that goes on (tests): let them go
        prefetch.forget()


def _starts_app(args: argparse.Namespace) -> bool:
    """Whether these arguments start the app (``--demo``, no command, or ``today``)."""
    return bool(args.demo) or args.command in (None, "today")


def collect_garbage_again() -> None:
    """Turn the garbage collector back on, if the console script turned it off for start-up
    (launch.py), once the modules are imported and the journal loaded.

    What exists then lives until the process ends: it is frozen, so no collection walks it
    again (a full one over a 36,500-entry journal took ~10 ms). Where the collector was
    never turned off (tests calling :func:`main`), nothing changes.
    """
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _dispatch(args: argparse.Namespace) -> int:
    from journal import prefetch
    from journal.errors import JournalError

    try:
        if args.command in prefetch.READS_JOURNAL and not args.demo:
            _read_journal_early(args)  # the collector comes back once the store is open
        else:
            collect_garbage_again()
        if args.demo:
            return _demo(args)
        if args.command in (None, "today"):
            return run_app(args)
        return COMMANDS[args.command](args)
    except UsageError as exc:
        print(f"journal: error: {exc}", file=sys.stderr)
        return 2
    except JournalError as exc:
        print(f"journal: error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(exc.hint, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # `journal list | head` closed the pipe: not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0


def run() -> NoReturn:
    """The ``journal`` console script: :func:`main`, then exit.

    A command that read a big journal holds tens of thousands of small objects, and tearing
    the interpreter down freed them one by one (15-40 ms at 3,650-36,500 entries, measured);
    the operating system takes the memory back at once. So a command other than the app
    flushes its output and leaves with ``os._exit``: everything it wrote is already closed
    (the store and the exports write through closed, fsynced files). The app, with its
    threads and terminal to restore, exits the usual way.
    """
    args = build_parser(sys.argv[1:]).parse_args(sys.argv[1:])
    code = _dispatch(args)
    if _starts_app(args):
        sys.exit(code)
    try:
        sys.stdout.flush()
    except BrokenPipeError:
        pass  # `journal list | head`: as _dispatch says, not an error
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
