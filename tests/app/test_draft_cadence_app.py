"""The draft follows the typing closely, and text already saved is never offered back
(issue 15, item 5)."""

from __future__ import annotations

from pathlib import Path

import orjson

from journal.models import Entry
from journal.paths import drafts_dir
from journal.store.drafts import Draft, DraftBox
from journal.tui.dialogs.confirm import ConfirmScreen
from tests.conftest import FROZEN
from tests.textual_patches import notifications_raised
from tests.waiting import until


def bodies(db_path: Path) -> list[str]:
    folder = drafts_dir(db_path)
    found = sorted(folder.glob("draft-*.json")) if folder.exists() else []
    return [orjson.loads(p.read_bytes())["body"] for p in found]


async def test_the_first_key_is_on_disk_without_waiting_for_a_pause(make_app, db_path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("a")
        await pilot.pause()
        # Written as the change is handled, not a second after the typing stops.
        assert bodies(db_path) == ["a"]
        await pilot.press(*"nd then more")
        await until(pilot, lambda: bodies(db_path) == ["and then more"])


def _orphan(db_path: Path, draft: Draft) -> Path:
    """A draft an ended session left (its lock is not held)."""
    box = DraftBox(db_path, session="ended-1234")
    path = box.save(draft, moment=FROZEN)
    box.close()
    return path


async def test_a_draft_whose_text_is_saved_is_not_offered_back(make_app, store, db_path):
    store.add(Entry.new("Saved before the kill.", title="T", day=FROZEN.date(), moment=FROZEN))
    edited = store.add(Entry.new("An edit, saved too.", day=FROZEN.date(), moment=FROZEN))
    new = _orphan(db_path, Draft("T", "", "Saved before the kill.", day="2026-11-22"))
    edit = DraftBox(db_path, session="ended-5678")
    edit_path = edit.save(
        Draft("", "", "An edit, saved too.", editing=edited.uid, day="2026-11-22"), moment=FROZEN
    )
    edit.close()
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: not new.exists() and not edit_path.exists())
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
    assert store.count() == 2


async def test_a_draft_with_more_than_was_saved_is_still_offered(make_app, store, db_path):
    store.add(Entry.new("Saved part.", day=FROZEN.date(), moment=FROZEN))
    path = _orphan(db_path, Draft("", "", "Saved part. And the unsaved rest.", day="2026-11-22"))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        assert "Saved part." in app.screen.question
        assert path.exists()


async def test_a_fifo_among_the_drafts_is_said_and_the_real_draft_offered(make_app, store, db_path):
    """A named pipe in the drafts folder never blocks the start (issue 15, item 8)."""
    import os
    import threading

    store.add(Entry.new("Saved.", day=FROZEN.date(), moment=FROZEN))
    _orphan(db_path, Draft("", "", "Unsaved words.", day="2026-11-22"))
    fifo = drafts_dir(db_path) / "draft-odd.json"
    os.mkfifo(fifo)
    # A regression would block the app's start opening the FIFO: this writer end, opened
    # after a minute, releases it so the test fails instead of hanging.
    released = threading.Event()
    watchdog = threading.Timer(60, lambda: (released.set(), os.close(os.open(fifo, os.O_RDWR))))
    watchdog.daemon = True
    watchdog.start()
    app = make_app()
    try:
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
            assert "Unsaved words." in app.screen.question
            await until(
                pilot, lambda: any(n.title == "Not a draft" for n in notifications_raised(app))
            )
            [note] = [n for n in notifications_raised(app) if n.title == "Not a draft"]
            assert f"{fifo} was not read: it is a named pipe (FIFO)" in note.message
    finally:
        watchdog.cancel()
    assert not released.is_set()
    assert fifo.exists()  # left alone
