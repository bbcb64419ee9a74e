"""The app on a full disk, a read-only disk and a read-only journal: it starts, reads, lets you
write, says what happened in plain words, keeps every word and saves once it can.

Issue 15, item 2 (and the chmod 400 part of item 16). The disk tests mount a small tmpfs,
which needs root (CI runs as root); elsewhere they skip and say why.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, TextArea

from journal.models import Entry
from journal.store import Store
from journal.tui.app import JournalApp
from journal.tui.dialogs.copy_out import CopyOutScreen
from tests.conftest import FROZEN
from tests.textual_patches import notifications_raised
from tests.waiting import until

needs_root = pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("mount") is None,
    reason="mounting a small tmpfs to fill (or make read-only) needs root and mount(8)",
)


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB tmpfs, unmounted after the test."""
    where = tmp_path / "disk"
    where.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)], check=True)
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def fill(disk: Path) -> Path:
    """Fill the disk to the last byte; the file to remove to free it again."""
    filler = disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for size in (65536, 4096, 1):  # big blocks first, then whatever is left
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * size)
    finally:
        os.close(fd)
    with pytest.raises(OSError) as caught:
        (disk / "probe").write_bytes(b"x" * 8192)
    assert caught.value.errno == errno.ENOSPC
    return filler


def _notes(app: JournalApp) -> str:
    return "\n".join(str(n.message) for n in notifications_raised(app))


def _editor(app: JournalApp) -> TextArea:
    return app.home.query_one("#editor", TextArea)


def _journal_on(disk: Path) -> Path:
    db = disk / "j" / "journal.json"
    Store.open(db).add(Entry.new("Written before the disk filled.", day=FROZEN.date()))
    return db


@needs_root
async def test_disk_fills_while_the_app_runs(make_app: Callable[..., JournalApp], small_disk):
    db = _journal_on(small_disk)
    app = make_app(store=Store.open(db))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"Before.")
        filler = fill(small_disk)
        await pilot.press(*" Typed after the disk filled.")
        # The autosave fails and says so in plain words.
        await until(pilot, lambda: "could not be autosaved: the disk is full" in _notes(app))
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "could not be written: the disk is full" in _notes(app))
        assert app.is_running
        assert _editor(app).text == "Before. Typed after the disk filled."
        assert app.home.has_unsaved
        assert [e.body for e in Store.open(db).entries()] == ["Written before the disk filled."]
        # Copy it out to a file on another disk while this one is full.
        outside = small_disk.parent / "copied.md"
        await pilot.press("alt+o")
        await until(pilot, lambda: isinstance(app.screen, CopyOutScreen))
        app.screen.query_one(Input).value = str(outside)
        await pilot.press("enter")
        await until(pilot, outside.exists)
        assert "Typed after the disk filled." in outside.read_text()
        # Room again: ctrl+s saves every word.
        filler.unlink()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not app.home.has_unsaved)
        bodies = sorted(e.body for e in Store.open(db).entries())
        assert bodies == ["Before. Typed after the disk filled.", "Written before the disk filled."]


@needs_root
async def test_app_starts_reads_and_writes_on_a_full_disk(make_app, small_disk):
    db = _journal_on(small_disk)
    fill(small_disk)
    app = make_app(store=Store.open(db))
    async with app.run_test(size=(100, 30)) as pilot:
        # Logging today's prompt fails at start: said once, and the app carries on.
        await until(
            pilot,
            lambda: (
                "Prompt log not saved" in "\n".join(str(n.title) for n in notifications_raised(app))
            ),
        )
        assert app.home.query_one("#today-entries").option_count == 1  # type: ignore[attr-defined]
        await pilot.press(*"Still writing.")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "the disk is full" in _notes(app) and "ctrl+s" in _notes(app))
        assert _editor(app).text == "Still writing."
        assert app.is_running


@needs_root
async def test_app_on_a_read_only_disk(make_app, small_disk):
    db = _journal_on(small_disk)
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    app = make_app(store=Store.open(db))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.home.query_one("#today-entries").option_count == 1  # type: ignore[attr-defined]
        await pilot.press(*"On a read-only disk.")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "the disk is read-only" in _notes(app))
        assert _editor(app).text == "On a read-only disk."
        assert app.home.has_unsaved and app.is_running


async def test_app_on_a_journal_made_read_only(make_app, db_path: Path):
    Store.open(db_path).add(Entry.new("Keep this file as it is.", day=FROZEN.date()))
    os.chmod(db_path, 0o400)
    before = db_path.read_bytes()
    app = make_app(store=Store.open(db_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"Not into a read-only journal.")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: "is read-only" in _notes(app))
        assert "chmod u+w" in _notes(app)
        assert _editor(app).text == "Not into a read-only journal."
        assert app.home.has_unsaved
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o400
    assert db_path.read_bytes() == before
