"""Keeping your words safe: ``journal backup``, ``restore`` and ``doctor``."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from journal.cli.common import (
    UsageError,
    add_command,
    backups_keep,
    db_path,
    entries_text,
    open_store,
    terminal_available,
    unlock,
)
from journal.display import visible, visible_line
from journal.errors import JournalError
from journal.paths import backups_dir

if TYPE_CHECKING:
    from journal.cli.common import Subparsers
    from journal.store.crypto import Key


def register(subparsers: Subparsers) -> None:
    """Add ``backup``, ``restore`` and ``doctor``."""
    p = add_command(subparsers, "backup", "back the journal up now (one a day is automatic)")
    p.set_defaults(func=cmd_backup)

    p = add_command(
        subparsers, "restore", "put a backup back; the current file is kept aside first"
    )
    p.add_argument("name", nargs="?", metavar="NAME", help="the backup's name (see --list)")
    p.add_argument("--list", action="store_true", help="list the backups, newest last")
    p.set_defaults(func=cmd_restore)

    p = add_command(subparsers, "doctor", "check the journal and say how to fix what is wrong")
    p.add_argument(
        "--repair", action="store_true", help="fix what can be fixed without loss (copy kept)"
    )
    p.set_defaults(func=cmd_doctor)


def cmd_backup(args: argparse.Namespace) -> int:
    """``journal backup``: a backup now (of a journal that parses)."""
    from journal.store.backups import backup_now

    store = open_store(args)  # refuses a damaged file: its copy would rotate a good one out
    keep = backups_keep()
    result = backup_now(store.path, keep=keep)
    count = store.count()
    if result.path is None:
        assert result.same_as is not None
        newest = visible_line(result.same_as.name)
        print(f"The newest backup, {newest}, already holds exactly this journal.")
        return 0
    print(f"Backed up {entries_text(count)} to {visible_line(str(result.path))}")
    if result.removed:
        names = ", ".join(visible_line(p.name) for p in result.removed)
        print(f"Keeping the newest {keep}; removed {names}.")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    """``journal restore --list`` and ``journal restore NAME``."""
    from journal.store.backups import (
        check_backup,
        find_backup,
        list_backups,
        parse_name,
        restore_backup,
    )
    from journal.store.crypto import CryptoError, read_file_header
    from journal.store.doctor import command_prefix

    path = db_path(args)
    if args.list == bool(args.name):
        raise UsageError("give either --list or the NAME of a backup to restore")
    if args.list:
        backups = list_backups(path)
        if not backups:
            folder = visible_line(str(backups_dir(path)))
            print(f"No backups yet in {folder}. `journal backup` makes one now.")
            return 0
        key = _backups_key(path, [b.path for b in backups])
        for backup in backups:
            check = check_backup(backup, key)
            what = (
                entries_text(check.entries or 0)
                if check.usable
                else f"cannot be restored: {visible_line(check.problem or '')}"
            )
            name = visible_line(backup.name)
            print(f"{name:<48} {backup.taken:%a %d %b %Y %H:%M}  {what}")
        folder = visible_line(str(backups_dir(path)))
        print(f"({len(backups)} in {folder}; restore one with `journal restore NAME`)")
        return 0

    # An encrypted backup is opened with its own passphrase (it may predate a change).
    chosen = find_backup(path, args.name).path
    key = unlock(chosen, what=f"the backup {chosen.name}")
    try:
        was_encrypted = read_file_header(path) is not None
    except CryptoError:
        was_encrypted = True  # a damaged header: still an encrypted journal
    result = restore_backup(path, args.name, key=key)
    name = visible_line(result.restored.backup.name)
    if result.unchanged:
        print(f"The journal already holds exactly {name}; nothing was changed.")
        return 0
    into = visible_line(str(path))
    print(f"Restored {name} ({entries_text(result.restored.entries or 0)}) into {into}.")
    if result.restored.encrypted:
        print("It is encrypted: the journal now opens with the passphrase you just gave.")
    elif was_encrypted:
        print(
            "Note: that backup is not encrypted, so neither is the journal now; "
            "`journal encrypt` encrypts it again."
        )
    if result.kept_aside is not None:
        print(f"The journal as it was is kept as {visible_line(str(result.kept_aside))}")
        kept = parse_name(result.kept_aside)
        kept_check = check_backup(kept, key) if kept is not None else None
        if kept_check is not None and (kept_check.usable or kept_check.encrypted):
            undo = f"{command_prefix(path)} restore {result.kept_aside.name}"
            print(f"To undo: {visible_line(undo)}")
        else:
            print("(It does not parse, so it cannot be restored; a text editor can open it.)")
    return 0


def _backups_key(path: Path, backups: list[Path]) -> Key | None:
    """The key for listing encrypted backups: checked against the journal, else the newest."""
    from journal.store.crypto import CryptoError, read_file_header

    for candidate in [path, *reversed(backups)]:
        try:
            header = read_file_header(candidate)
        except CryptoError:
            continue  # a damaged header: try the next file
        if header is not None:
            what = "the journal" if candidate == path else f"the backup {candidate.name}"
            return unlock(candidate, what=what)
    return None


def _doctor_key(path: Path) -> Key | None:
    """A key from the file or a prompt; None when neither is possible.

    A wrong passphrase raises (the doctor reports it as a finding, not a crash).
    """
    from journal.store.crypto import PASSPHRASE_FILE_ENV

    if not os.environ.get(PASSPHRASE_FILE_ENV) and not terminal_available():
        return None
    return unlock(path)


def cmd_doctor(args: argparse.Namespace) -> int:
    """``journal doctor [--repair]``: exit 0 only when the journal is healthy."""
    from journal.store.doctor import examine, render, repair

    path = db_path(args)
    # An encrypted journal's content is checked with its passphrase, when one can be had
    # (JOURNAL_PASSPHRASE_FILE or a terminal); a wrong one is a finding, not a crash.
    key, key_problem = None, None
    try:
        key = _doctor_key(path)
    except JournalError as exc:
        key_problem = exc.message
    report = examine(path, key=key, key_problem=key_problem)
    # The report quotes what it found (a title, a field, a file name): shown escaped.
    print(visible(render(report)))
    if args.repair and report.repairable:
        print("\nRepairing:")
        repair(path, log=lambda line: print(f"  - {visible(line)}"), key=key)
        report = examine(path, key=key, key_problem=key_problem)
        print()
        print(visible(render(report, verbose=False)))
    return 0 if report.healthy else 1
