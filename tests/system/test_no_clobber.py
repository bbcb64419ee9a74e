"""No clobbering: simultaneous writers, the app beside the shell, a symlinked journal."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import filelock
import orjson
import pytest

from journal import cli
from journal.models import Entry
from journal.store import Store
from journal.store import jsonfile as storage
from tests.conftest import FROZEN
from tests.waiting import until

JOURNAL = str(Path(sys.executable).parent / "journal")


def start_add(text: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [JOURNAL, "add", text],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        env=os.environ.copy(),
    )


@pytest.mark.slow
def test_two_journal_adds_at_once_40_rounds(db_path: Path) -> None:
    """40 rounds of two simultaneous `journal add`; two rounds in flight keep it quick."""
    promised: set[str] = set()
    busy = 0
    for wave in range(20):
        procs = [start_add(f"round {2 * wave + r} writer {w}") for r in (0, 1) for w in (1, 2)]
        for proc in procs:
            out, err = proc.communicate(timeout=60)
            if proc.returncode == 0:
                promised.add(out.strip())
            else:
                # The only acceptable failure: a clear "busy" message, exit 1.
                assert proc.returncode == 1, err
                assert "is busy" in err and "Try again" in err, err
                busy += 1
    stored = {e.uid for e in Store.open(db_path).entries()}
    assert promised <= stored, f"{len(promised - stored)} saved entries were lost"
    assert len(stored) == len(promised) == 80 - busy
    assert busy == 0, "with a 10 s lock wait, no add should give up"


def test_busy_journal_says_so_clearly(capsys, db_path: Path, monkeypatch) -> None:
    Store.open(db_path).add(Entry.new("already there"))
    real_open = Store.open
    monkeypatch.setattr(Store, "open", lambda path, **kw: real_open(path, lock_timeout=0.2))
    holder = filelock.FileLock(str(real_open(db_path).lock_path), timeout=0)
    holder.acquire()
    try:
        code = cli.main(["add", "a thought that must not vanish silently"])
    finally:
        holder.release()
    _, err = capsys.readouterr()
    assert code == 1
    assert "is busy: another journal process has held it" in err
    assert "Try again in a moment" in err
    assert [e.body for e in Store.open(db_path).entries()] == ["already there"]


def test_a_replace_during_open_is_never_mistaken_for_our_file(db_path: Path, monkeypatch) -> None:
    """Another process replaces the file after we read it but before we note its identity.

    Found by the crash harness: the identity was taken with stat() after reading, so it
    described the newer file; the next write then dropped that file's entries.
    """
    Store.open(db_path).add(Entry.new("first"))
    raced: list[bool] = []

    def racing(real):
        def read_then_race(*args, **kwargs):
            data = real(*args, **kwargs)
            if not raced:
                raced.append(True)
                Store(db_path).add(Entry.new("written by another process meanwhile"))
            return data

        return read_then_race

    # Whichever reader the storage uses for this file (its own layout, or any JSON).
    for name in ("_decode_layout", "decode_database"):
        if hasattr(storage, name):
            monkeypatch.setattr(storage, name, racing(getattr(storage, name)))
    slow_reader = Store.open(db_path)
    monkeypatch.undo()
    assert raced, "the race was not staged"
    slow_reader.add(Entry.new("ours"))
    bodies = sorted(e.body for e in Store.open(db_path).entries())
    assert bodies == ["first", "ours", "written by another process meanwhile"]


def test_journal_add_through_a_symlink_keeps_it(tmp_path: Path, capsys) -> None:
    real = tmp_path / "sync" / "journal.json"
    real.parent.mkdir()
    link = tmp_path / "data" / "journal.json"
    link.parent.mkdir()
    link.symlink_to(real)
    for text in ("one", "two", "three"):
        assert cli.main(["--db", str(link), "add", text]) == 0
    assert cli.main(["--db", str(link), "backup"]) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert len(orjson.loads(real.read_bytes())["entries"]) == 3


# ---- the app open while the shell writes -----------------------------------------------------


async def test_app_shows_an_entry_added_elsewhere_and_its_save_keeps_it(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        added = subprocess.run(
            [JOURNAL, "add", "Added from the shell", "--date", FROZEN.date().isoformat()],
            capture_output=True,
            text=True,
            env=os.environ.copy(),
            timeout=60,
        )
        assert added.returncode == 0, added.stderr
        entry_list = app.screen.query_one("#today-entries")

        def shown() -> bool:  # Today looks for outside changes every 2 s
            first = entry_list.get_option_at_index(0).prompt
            return "Added from the shell" in str(first)

        await until(pilot, shown)
        assert "Added from the shell" in str(entry_list.get_option_at_index(0).prompt)
        await pilot.press(*"Written in the app")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert entry_list.option_count == 2
    bodies = sorted(e.body for e in Store.open(db_path).entries())
    assert bodies == ["Added from the shell", "Written in the app"]


async def test_app_save_right_after_an_outside_add_keeps_both(make_app, db_path):
    """No waiting for the poll: the save itself reloads the file under the lock."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"Written in the app")
        other_process = Store.open(db_path)
        other_process.add(Entry.new("Added elsewhere", day=FROZEN.date()))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen.query_one("#today-entries").option_count == 2
    bodies = sorted(e.body for e in Store.open(db_path).entries())
    assert bodies == ["Added elsewhere", "Written in the app"]
