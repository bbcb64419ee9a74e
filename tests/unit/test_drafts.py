"""Drafts: the editor's text autosaved to its own file, offered back after a crash."""

from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta
from pathlib import Path

import filelock
import orjson
import pytest
from textual.widgets import Input, TextArea

from journal.models import Entry, PromptRef
from journal.paths import drafts_dir
from journal.store.drafts import Draft, DraftBox, describe_when
from journal.tui.dialogs.confirm import ConfirmScreen
from tests.conftest import FROZEN
from tests.waiting import until


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def draft_files(db_path: Path) -> list[Path]:
    folder = drafts_dir(db_path)
    return sorted(folder.glob("draft-*.json")) if folder.exists() else []


def read_draft(path: Path) -> dict:
    return orjson.loads(path.read_bytes())


# ---- the draft box (domain) ------------------------------------------------------------------


def test_save_writes_a_private_file_beside_the_journal(db_path: Path) -> None:
    old = os.umask(0)
    try:
        box = DraftBox(db_path)
        box.save(Draft("Title", "calls", "the body", prompt=PromptRef("p1", "pack", "Q?")))
    finally:
        os.umask(old)
    assert box.path.parent == drafts_dir(db_path)
    assert mode(box.path) == 0o600
    assert mode(box.path.parent) == 0o700
    data = read_draft(box.path)
    assert data["body"] == "the body" and data["prompt"]["id"] == "p1"
    assert not db_path.exists(), "a draft never touches the journal"


def test_empty_draft_removes_the_file(db_path: Path) -> None:
    box = DraftBox(db_path)
    box.save(Draft("", "", "words"))
    assert box.path.exists()
    box.save(Draft("", "", "  \n"))
    assert not box.path.exists()


def test_own_and_live_sessions_are_not_orphans(db_path: Path) -> None:
    mine = DraftBox(db_path)
    other = DraftBox(db_path)
    mine.save(Draft("", "", "mine"))
    other.save(Draft("", "", "still being written elsewhere"))
    assert mine.orphans() == []
    other.close()  # that session ended without saving
    orphans = mine.orphans()
    assert [d.body for d in orphans] == ["still being written elsewhere"]


def test_orphans_are_newest_first_and_broken_files_are_left_alone(db_path: Path) -> None:
    folder = drafts_dir(db_path)
    folder.mkdir(parents=True)
    for name, body, at in [("a", "older", "2026-11-20T08:00:00+01:00"), ("b", "newer", None)]:
        box = DraftBox(db_path, session=name)
        box.save(Draft("", "", body), moment=datetime.fromisoformat(at) if at else FROZEN)
        box.close()
    broken = folder / "draft-broken.json"
    broken.write_bytes(b"{not json")
    orphans = DraftBox(db_path).orphans()
    assert [d.body for d in orphans] == ["newer", "older"]
    assert broken.read_bytes() == b"{not json"


def test_adopt_writes_ours_before_removing_theirs(db_path: Path) -> None:
    crashed = DraftBox(db_path, session="crashed")
    crashed.save(Draft("T", "x", "lost and found", editing="abc"))
    crashed.close()
    box = DraftBox(db_path)
    [orphan] = box.orphans()
    box.adopt(orphan)
    assert not crashed.path.exists()
    assert read_draft(box.path)["body"] == "lost and found"
    assert read_draft(box.path)["editing"] == "abc"


def test_discard_removes_only_that_draft(db_path: Path) -> None:
    a = DraftBox(db_path, session="a")
    a.save(Draft("", "", "a"))
    a.close()
    b = DraftBox(db_path, session="b")
    b.save(Draft("", "", "b"))
    b.close()
    box = DraftBox(db_path)
    first = box.orphans()[0]
    box.discard(first)
    assert len(box.orphans()) == 1


def test_ended_sessions_temp_files_are_cleaned_live_ones_kept(db_path: Path) -> None:
    ended = DraftBox(db_path, session="ended")
    ended.save(Draft("", "", "x"))
    ended.close()
    live = DraftBox(db_path, session="live")
    live.save(Draft("", "", "y"))
    folder = drafts_dir(db_path)
    dead_tmp = folder / ".draft-ended.json.k2j3.tmp"
    live_tmp = folder / ".draft-live.json.a8b9.tmp"
    dead_tmp.write_bytes(b"partial")
    live_tmp.write_bytes(b"partial")
    DraftBox(db_path).orphans()
    assert not dead_tmp.exists()
    assert live_tmp.exists()


def test_a_probe_never_blocks_the_owner(db_path: Path) -> None:
    box = DraftBox(db_path)
    box.save(Draft("", "", "first"))
    lock = drafts_dir(db_path) / f".draft-{box.session}.lock"
    probe = filelock.FileLock(str(lock), timeout=0)
    with pytest.raises(filelock.Timeout):
        probe.acquire()
    box.save(Draft("", "", "second"))
    assert read_draft(box.path)["body"] == "second"


@pytest.mark.parametrize(
    ("saved_at", "expected"),
    [
        ("2026-11-22T09:05:00+01:00", "today at 09:05"),
        ("2026-11-21T21:10:00+01:00", "yesterday at 21:10"),
        ("2026-11-20T08:05:00+01:00", "Friday 20 November 2026 at 08:05"),
        ("2026-11-22T07:05:00+00:00", "today at 08:05"),
        ("garbage", "an earlier session"),
    ],
)
def test_describe_when(saved_at: str, expected: str) -> None:
    assert describe_when(saved_at, FROZEN) == expected


def test_preview_and_words() -> None:
    draft = Draft("", "", "\n# Heading\x1b[2J here\nmore words")
    assert draft.preview() == "Heading[2J here"
    assert draft.words == 5
    assert Draft("", "calls", "").preview() == "(only tags)"


# ---- in the app ------------------------------------------------------------------------------


async def test_typing_is_autosaved_within_two_seconds(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        journal_before = db_path.read_bytes()
        app.screen.query_one("#title", Input).value = "A title"
        await pilot.press(*"half a thought")
        # The draft follows the typing (drafting.INTERVAL): wait for the last key in it.
        await until(
            pilot,
            lambda: [read_draft(p)["body"] for p in draft_files(db_path)] == ["half a thought"],
        )
        [path] = draft_files(db_path)
        data = read_draft(path)
        assert data["body"] == "half a thought"
        assert data["title"] == "A title"
        assert data["editing"] is None
        assert data["prompt"]["id"] == app.screen.prompt.id
        assert data["saved_at"].startswith("2026-11-22T09:30")
        assert mode(path) == 0o600
        assert db_path.read_bytes() == journal_before, "autosave never rewrites the journal"


async def test_saving_removes_the_draft(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"words")
        app.screen.flush_draft()
        assert draft_files(db_path)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert draft_files(db_path) == []
        await pilot.pause(1.2)  # the pending autosave finds nothing unsaved
        assert draft_files(db_path) == []


async def test_discarding_at_quit_removes_the_draft(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"not worth keeping")
        app.screen.flush_draft()
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#answer-discard")
        await pilot.pause()
    assert draft_files(db_path) == []


async def test_discarding_for_a_new_entry_removes_the_draft(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"scrap")
        app.screen.flush_draft()
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.click("#answer-discard")
        await pilot.pause(1.2)
        assert draft_files(db_path) == []
        await pilot.press(*"fresh start")
        await until(
            pilot, lambda: [read_draft(p)["body"] for p in draft_files(db_path)] == ["fresh start"]
        )


async def crash_with_text(make_app, text: str, *, edit: Entry | None = None) -> None:
    """Run an app, type, let the autosave happen and end without saving (like a crash)."""
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        if edit is not None:
            app.screen.open_entry(edit.uid)
            await pilot.pause()
        await pilot.press(*text)
        app.screen.flush_draft()


async def test_next_start_offers_the_draft_and_restores_it(make_app, db_path: Path) -> None:
    await crash_with_text(make_app, "what success looks like")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        assert "Restore the text you were writing today at 09:30?" in app.screen.question
        assert "what success looks like" in app.screen.question
        await pilot.click("#answer-restore")
        await pilot.pause()
        editor = app.screen.query_one("#editor", TextArea)
        assert editor.text == "what success looks like"
        assert app.screen.has_unsaved
        # Still safe on disk (now as this session's draft) until it is saved.
        assert [read_draft(p)["body"] for p in draft_files(db_path)] == [editor.text]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [e.body for e in app.store.entries()] == ["what success looks like"]
        assert draft_files(db_path) == []


async def test_not_now_keeps_the_draft_for_next_time(make_app, db_path: Path) -> None:
    await crash_with_text(make_app, "keep me")
    for _ in range(2):
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen.query_one("#editor", TextArea).text == ""
    assert [read_draft(p)["body"] for p in draft_files(db_path)] == ["keep me"]


async def test_discard_deletes_the_draft(make_app, db_path: Path) -> None:
    await crash_with_text(make_app, "let it go")
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.click("#answer-discard")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
    assert draft_files(db_path) == []


async def test_a_restored_edit_updates_the_same_entry(make_app, store, db_path: Path) -> None:
    entry = store.add(Entry.new("The first version.", moment=FROZEN, day="2026-11-22"))
    await crash_with_text(make_app, " And an afterthought.", edit=entry)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.click("#answer-restore")
        await pilot.pause()
        assert app.screen.editing is not None and app.screen.editing.uid == entry.uid
        await pilot.press("ctrl+s")
        await pilot.pause()
    [saved] = store.entries()
    assert saved.uid == entry.uid
    assert saved.body == "The first version. And an afterthought."


async def test_a_window_still_open_is_not_offered_its_draft(make_app, db_path: Path) -> None:
    other_window = DraftBox(db_path)
    other_window.save(Draft("", "", "typing in another terminal"))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmScreen)
    assert other_window.path.exists()


async def test_a_draft_from_yesterday_says_so(make_app, db_path: Path) -> None:
    box = DraftBox(db_path, session="yesterday")
    box.save(Draft("", "", "late night"), moment=FROZEN - timedelta(hours=12))
    box.close()
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "yesterday at 21:30" in app.screen.question


def test_trust_modules_are_domain_core() -> None:
    """drafts, backups and doctor never import Textual (the CLI uses them without the app)."""
    from tests.unit.test_architecture import import_in_fresh_interpreter

    report = import_in_fresh_interpreter(
        "journal.store.drafts", "journal.store.backups", "journal.store.doctor"
    )
    assert report["textual"] == []
