"""Rolling backups, `journal backup` and `journal restore`: nothing overwritten without a copy."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import orjson
import pytest

from journal import cli
from journal.errors import JournalError
from journal.models import Entry
from journal.paths import backups_dir
from journal.store import Store
from journal.store.backups import (
    DailyBackup,
    backup_now,
    list_backups,
    parse_name,
    prune,
    restore_backup,
)
from tests.conftest import FROZEN


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def add(store: Store, text: str) -> Entry:
    return store.add(Entry.new(text))


def bodies(db: Path) -> list[str]:
    return sorted(e.body for e in Store.open(db).entries())


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---- names and rotation ----------------------------------------------------------------------


def test_names_say_when() -> None:
    b = parse_name(Path("journal-2026-11-21T0800.json"))
    assert b is not None and b.taken == datetime(2026, 11, 21, 8, 0) and b.tag is None
    b = parse_name(Path("journal-2026-11-21T0800-3-before-restore.json"))
    assert b is not None and b.serial == 3 and b.tag == "before-restore"
    assert parse_name(Path("journal-2026-11-21.json")) is None
    assert parse_name(Path("notes.json")) is None


def test_backup_now_is_private_whatever_the_umask(store: Store, db_path: Path) -> None:
    add(store, "one")
    old = os.umask(0)
    try:
        result = backup_now(db_path, moment=FROZEN)
    finally:
        os.umask(old)
    assert result.path == backups_dir(db_path) / "journal-2026-11-22T0930.json"
    assert result.path.read_bytes() == db_path.read_bytes()
    assert mode(result.path) == 0o600
    assert mode(backups_dir(db_path)) == 0o700


def test_identical_backup_is_not_repeated(store: Store, db_path: Path) -> None:
    add(store, "one")
    first = backup_now(db_path, moment=FROZEN)
    again = backup_now(db_path, moment=FROZEN + timedelta(hours=1))
    assert again.path is None and again.same_as == first.path
    add(store, "two")
    third = backup_now(db_path, moment=FROZEN)
    assert third.path is not None and third.path.name == "journal-2026-11-22T0930-2.json"


def test_rotation_keeps_the_newest_and_never_safety_copies(store: Store, db_path: Path) -> None:
    for day in range(6):
        add(store, f"day {day}")
        backup_now(db_path, keep=100, moment=FROZEN + timedelta(days=day))
    restore_backup(db_path, "journal-2026-11-22T0930.json", moment=FROZEN + timedelta(days=9))
    removed = prune(db_path, keep=3)
    assert len(removed) == 3
    names = [b.name for b in list_backups(db_path)]
    assert names == [
        "journal-2026-11-25T0930.json",
        "journal-2026-11-26T0930.json",
        "journal-2026-11-27T0930.json",
        "journal-2026-12-01T0930-before-restore.json",
    ]


def test_no_journal_no_backup(db_path: Path) -> None:
    with pytest.raises(JournalError, match="nothing to back up"):
        backup_now(db_path)


# ---- the daily backup --------------------------------------------------------------------------


def test_daily_backup_once_a_day_before_the_first_write(store: Store, db_path: Path) -> None:
    now = [FROZEN]
    hook = DailyBackup(db_path, keep=14, clock=lambda: now[0])
    store.before_write = hook
    add(store, "first ever")  # no file yet: nothing to back up
    assert list_backups(db_path) == []
    add(store, "second")  # before this write the file held "first ever"
    [first] = list_backups(db_path)
    assert [e["body"] for e in orjson.loads(first.path.read_bytes())["entries"].values()] == [
        "first ever"
    ]
    for i in range(5):
        add(store, f"more {i}")
    assert len(list_backups(db_path)) == 1, "at most one a day"
    now[0] = FROZEN + timedelta(days=1)
    add(store, "next day")
    backups = list_backups(db_path)
    assert [b.day.isoformat() for b in backups] == ["2026-11-22", "2026-11-23"]
    assert len(orjson.loads(backups[-1].path.read_bytes())["entries"]) == 7


def test_daily_backup_counts_backups_of_other_processes(store: Store, db_path: Path) -> None:
    add(store, "x")
    backup_now(db_path, moment=FROZEN)
    store.before_write = DailyBackup(db_path, clock=lambda: FROZEN)
    add(store, "y")
    assert len(list_backups(db_path)) == 1


def test_daily_backup_rotates_to_keep(store: Store, db_path: Path) -> None:
    now = [FROZEN]
    add(store, "start")
    for day in range(5):
        now[0] = FROZEN + timedelta(days=day)
        store.before_write = DailyBackup(db_path, keep=3, clock=lambda: now[0])
        add(store, f"day {day}")
    assert len(list_backups(db_path)) == 3


def test_a_failing_backup_never_blocks_a_save(store: Store, db_path: Path, monkeypatch) -> None:
    add(store, "x")
    hook = DailyBackup(db_path, clock=lambda: FROZEN)
    store.before_write = hook

    def broken(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("journal.store.backups.backup_now", broken)
    add(store, "still saved")
    assert "still saved" in bodies(db_path)
    assert hook.problems and "No space left" in hook.problems[0]


def test_journal_add_takes_the_daily_backup(capsys, db_path: Path) -> None:
    assert run(capsys, "add", "one")[0] == 0
    assert list_backups(db_path) == []
    assert run(capsys, "add", "two")[0] == 0
    assert len(list_backups(db_path)) == 1
    assert run(capsys, "add", "three")[0] == 0
    assert len(list_backups(db_path)) == 1


def test_configured_keep_is_used(capsys, tmp_path: Path, db_path: Path) -> None:
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text("[backups]\nkeep = 2\n")
    run(capsys, "add", "one")
    for i in range(4):
        run(capsys, "add", f"more {i}")
        code, out, _ = run(capsys, "backup")
        assert code == 0
    assert len([b for b in list_backups(db_path) if b.tag is None]) == 2
    assert "Keeping the newest 2" in out


# ---- restore -----------------------------------------------------------------------------------


def test_restore_keeps_the_current_file_aside(store: Store, db_path: Path) -> None:
    add(store, "kept in the backup")
    backup = backup_now(db_path, moment=FROZEN).path
    add(store, "written after")
    current = db_path.read_bytes()
    result = restore_backup(db_path, backup.name, moment=FROZEN + timedelta(minutes=5))
    assert bodies(db_path) == ["kept in the backup"]
    assert result.kept_aside is not None
    assert result.kept_aside.read_bytes() == current
    assert result.kept_aside.name == "journal-2026-11-22T0935-before-restore.json"
    assert mode(result.kept_aside) == 0o600


def test_restore_refuses_a_damaged_backup_and_changes_nothing(store: Store, db_path: Path) -> None:
    add(store, "x")
    backup = backup_now(db_path, moment=FROZEN).path
    backup.write_bytes(backup.read_bytes()[:-5])
    before = db_path.read_bytes()
    with pytest.raises(JournalError, match="cannot be restored"):
        restore_backup(db_path, backup.name)
    assert db_path.read_bytes() == before
    assert len(list_backups(db_path)) == 1


def test_restore_unknown_name(store: Store, db_path: Path) -> None:
    add(store, "x")
    with pytest.raises(JournalError, match="no backup called"):
        restore_backup(db_path, "../journal.json")


def test_restore_over_a_damaged_journal(store: Store, db_path: Path) -> None:
    add(store, "good")
    backup = backup_now(db_path, moment=FROZEN).path
    db_path.write_bytes(b'{"entries": {"1": {"uid"')
    result = restore_backup(db_path, backup.name)
    assert bodies(db_path) == ["good"]
    assert result.kept_aside.read_bytes() == b'{"entries": {"1": {"uid"'


def test_restore_through_a_symlink_keeps_the_symlink(tmp_path: Path) -> None:
    real = tmp_path / "sync" / "journal.json"
    real.parent.mkdir()
    link = tmp_path / "data" / "journal.json"
    link.parent.mkdir()
    link.symlink_to(real)
    store = Store.open(link)
    add(store, "one")
    backup = backup_now(link, moment=FROZEN).path
    add(store, "two")
    restore_backup(link, backup.name)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert bodies(link) == ["one"]


def test_cli_backup_and_restore(capsys, db_path: Path) -> None:
    run(capsys, "add", "before the backup")
    code, out, _ = run(capsys, "backup")
    assert code == 0 and "Backed up 1 entry to" in out
    name = list_backups(db_path)[-1].name
    run(capsys, "add", "after the backup")
    code, out, _ = run(capsys, "restore", "--list")
    assert code == 0 and name in out and "1 entry" in out
    code, out, _ = run(capsys, "restore", name)
    assert code == 0
    assert f"Restored {name} (1 entry)" in out
    assert "-before-restore.json" in out and "To undo: journal restore" in out
    assert bodies(db_path) == ["before the backup"]
    undo = out.split("To undo: journal restore ")[1].strip()
    assert run(capsys, "restore", undo)[0] == 0
    assert bodies(db_path) == ["after the backup", "before the backup"]


def test_cli_restore_usage(capsys) -> None:
    assert run(capsys, "restore")[0] == 2
    code, out, _ = run(capsys, "restore", "--list")
    assert code == 0 and "No backups yet" in out


def test_cli_backup_refuses_a_damaged_journal(capsys, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"\xef\xbb\xbf{}")
    code, _, err = run(capsys, "backup")
    assert code == 1 and "byte-order mark" in err
    assert list_backups(db_path) == []


def test_backup_command_does_not_import_textual(db_path: Path) -> None:
    code = (
        "import sys; from journal.cli import main; main(['add', 'x']); main(['backup']); "
        "main(['restore', '--list']); main(['doctor']); "
        "sys.exit(1 if any(m.startswith('textual') for m in sys.modules) else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
