"""A journal the user made read-only (chmod 400) is never replaced (issue 15, item 16).

The store refuses its own writes (test_lost_update.py); these are the command-line paths,
including the two that write the journal file without the store: restore and doctor --repair.
"""

from __future__ import annotations

import dataclasses
import os
import stat
from pathlib import Path

import pytest

from journal.cli import main
from journal.models import Entry, FollowUp
from journal.store import Store
from journal.store.backups import backup_now, list_backups


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


@pytest.fixture
def read_only(db_path: Path) -> tuple[Entry, bytes]:
    """A journal of one entry, a backup of it, one more entry, then chmod 400."""
    store = Store.open(db_path)
    first = store.add(
        dataclasses.replace(Entry.new("The first words."), follow_up=FollowUp("Call", "2026-11-24"))
    )
    backup_now(db_path)
    store.add(Entry.new("The second words."))
    os.chmod(db_path, 0o400)
    return first, db_path.read_bytes()


@pytest.mark.parametrize(
    "command",
    [
        ["add", "refused"],
        ["add", "--no-inline-tags", "refused"],
        ["delete", "--yes", "UID"],
        ["done", "UID", "--note", "went fine"],
        ["move", "UID", "2026-11-30"],
    ],
)
def test_store_writes_from_the_shell_are_refused(
    capsys, db_path: Path, read_only: tuple[Entry, bytes], command: list[str]
) -> None:
    first, before = read_only
    argv = [first.uid if word == "UID" else word for word in command]
    code, _, err = run(capsys, *argv)
    assert code == 1
    assert "is read-only" in err and f"chmod u+w {db_path}" in err
    assert db_path.read_bytes() == before and mode(db_path) == 0o400


def test_restore_does_not_replace_a_read_only_journal(
    capsys, db_path: Path, read_only: tuple[Entry, bytes]
) -> None:
    _, before = read_only
    [backup] = list_backups(db_path)
    code, out, err = run(capsys, "restore", backup.name)
    assert code == 1, out
    assert f"The journal {db_path} is read-only" in err and "chmod u+w" in err
    assert db_path.read_bytes() == before and mode(db_path) == 0o400
    assert [b.name for b in list_backups(db_path)] == [backup.name]  # no copy taken either


def test_doctor_calls_a_read_only_journal_healthy_and_says_so(
    capsys, db_path: Path, read_only: tuple[Entry, bytes]
) -> None:
    code, out, _ = run(capsys, "doctor")
    assert code == 0, out
    assert "The journal is read-only (mode 0400)" in out
    assert "restore" not in out.split("read-only", 1)[0]


def test_doctor_repair_keeps_a_read_only_journal_as_it_is(
    capsys, db_path: Path, read_only: tuple[Entry, bytes]
) -> None:
    """CRLF line endings (repair rewrites them) and mode 0444 (repair makes it private):
    the bytes stay, and private means 0400, not a writable 0600."""
    _, before = read_only
    os.chmod(db_path, 0o600)
    crlf = before.replace(b"\n", b"\r\n")
    db_path.write_bytes(crlf)
    os.chmod(db_path, 0o444)
    code, out, _ = run(capsys, "doctor")
    assert code == 1 and "should be 0400" in out and "chmod 400" in out
    _, out, _ = run(capsys, "doctor", "--repair")
    assert "left the journal as it is: it is read-only" in out
    assert db_path.read_bytes() == crlf
    assert mode(db_path) == 0o400
    assert not [b for b in list_backups(db_path) if b.tag == "before-repair"]
