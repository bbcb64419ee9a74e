"""Two windows (or the app and the shell) on one entry: nobody's saved words are lost.

Issue 15, item 1: window one appends and saves, window two appends other text and saves;
today window two's save silently drops window one's. Now window two is asked (keep mine,
keep theirs, keep both) and nothing is written until it answers. An app save of a check-in
never undoes a `journal done` made from the shell meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AsyncExitStack
from pathlib import Path

from textual.widgets import Button, TextArea

from journal import cli
from journal.models import Entry, FollowUp
from journal.store import Store
from journal.tui.app import JournalApp
from journal.tui.dialogs.conflict import ConflictScreen
from journal.tui.screens.today import TodayScreen
from tests.conftest import FROZEN
from tests.waiting import until


def _today(app: JournalApp) -> TodayScreen:
    return app.home


async def _two_windows_on_one_entry(
    make_app: Callable[..., JournalApp], db_path: Path, answer: str
) -> tuple[Store, str]:
    first = Store.open(db_path).add(Entry.new("Start.", day=FROZEN.date(), moment=FROZEN))
    one = make_app(store=Store.open(db_path))
    two = make_app(store=Store.open(db_path))
    async with AsyncExitStack() as stack:
        p1 = await stack.enter_async_context(one.run_test(size=(100, 30)))
        p2 = await stack.enter_async_context(two.run_test(size=(100, 30)))
        await p1.pause()
        await p2.pause()
        _today(one).open_entry(first.uid)
        _today(two).open_entry(first.uid)
        await p1.pause()
        await p2.pause()
        # Both type before either saves (an editor with nothing typed would simply follow
        # the other window's save, which is right but no conflict).
        await p1.press(*" From one.")
        await p2.press(*" From two.")
        await p1.press("ctrl+s")
        await until(p1, lambda: not _today(one).has_unsaved)
        await p2.press("ctrl+s")
        await until(p2, lambda: isinstance(two.screen, ConflictScreen))
        # Nothing was written yet: window one's acknowledged save is intact.
        assert Store.open(db_path).get(first.uid).body == "Start. From one."  # type: ignore[union-attr]
        two.screen.query_one(f"#answer-{answer}", Button).press()
        await until(p2, lambda: not isinstance(two.screen, ConflictScreen))
        await p2.pause()
        editor = two.screen.query_one("#editor", TextArea).text
    return Store.open(db_path), editor


async def test_keep_both_keeps_each_window_s_text(make_app, db_path: Path) -> None:
    store, _ = await _two_windows_on_one_entry(make_app, db_path, "both")
    assert sorted(e.body for e in store.entries()) == ["Start. From one.", "Start. From two."]


async def test_keep_mine_writes_over_theirs_after_asking(make_app, db_path: Path) -> None:
    store, editor = await _two_windows_on_one_entry(make_app, db_path, "mine")
    assert [e.body for e in store.entries()] == ["Start. From two."]
    assert editor == "Start. From two."


async def test_keep_theirs_puts_their_text_in_the_editor(make_app, db_path: Path) -> None:
    store, editor = await _two_windows_on_one_entry(make_app, db_path, "theirs")
    assert [e.body for e in store.entries()] == ["Start. From one."]
    assert editor == "Start. From one."


async def test_not_now_writes_nothing_and_keeps_the_text(make_app, db_path: Path) -> None:
    store, editor = await _two_windows_on_one_entry(make_app, db_path, "cancel")
    assert [e.body for e in store.entries()] == ["Start. From one."]
    assert editor == "Start. From two."


def _checkin(db_path: Path, kind: str = "checkin") -> Entry:
    entry = Entry.new(
        "What happened: the call.\n\n- [ ] Send the refund",
        title="Tough call",
        kind=kind,
        day=FROZEN.date(),
        checkin={"intensity_before": 7},
        follow_up=FollowUp("Send the refund", "2026-11-25"),
        moment=FROZEN,
    )
    return Store.open(db_path).add(entry)


async def test_app_save_of_a_checkin_keeps_a_journal_done_from_the_shell(
    make_app, db_path: Path
) -> None:
    from journal.checkin import CheckinAnswers, FollowUpPlan, build_entry
    from journal.tui.screens.checkin import CheckinScreen
    from journal.tui.widgets.intensity import IntensityScale

    saved = Store.open(db_path).add(
        build_entry(
            CheckinAnswers(
                feelings=["hurt"],
                intensity_before=7,
                what_happened="The call.",
                intensity_after=5,
                follow_up=FollowUpPlan("Send the refund", "2026-11-25"),
            ),
            FROZEN.date(),
            FROZEN,
        )
    )
    app = make_app(store=Store.open(db_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        _today(app).open_entry(saved.uid)  # a check-in reopens in its stepper
        await until(pilot, lambda: isinstance(app.screen, CheckinScreen))
        await pilot.pause()
        await until(pilot, lambda: bool(app.screen.query("#intensity_after")))
        # Meanwhile, from the shell:
        assert cli.main(["done", saved.uid[:8], "--note", "Refund sent."]) == 0
        app.screen.query_one("#intensity_after", IntensityScale).value = 3
        await pilot.pause()
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, CheckinScreen))
        stored = Store.open(db_path).get(saved.uid)
        assert stored is not None and stored.checkin is not None
        assert stored.checkin["intensity_after"] == 3
        assert stored.follow_up is not None and stored.follow_up.is_done
        assert stored.follow_up.note == "Refund sent."


async def test_body_edited_on_both_sides_asks_and_keep_mine_keeps_done(
    make_app, db_path: Path
) -> None:
    # An entry with a follow-up that Today's editor opens (a check-in opens in its stepper).
    saved = _checkin(db_path, kind="reflection")
    app = make_app(store=Store.open(db_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        _today(app).open_entry(saved.uid)
        await pilot.pause()
        await pilot.press(*"\nWhat I learnt: slow down.")
        assert cli.main(["done", saved.uid[:8], "--note", "Refund sent."]) == 0
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        app.screen.query_one("#answer-mine", Button).press()
        await until(pilot, lambda: not _today(app).has_unsaved)
        stored = Store.open(db_path).get(saved.uid)
        assert stored is not None
        assert stored.body.endswith("What I learnt: slow down.")
        assert stored.follow_up is not None and stored.follow_up.note == "Refund sent."


async def test_an_open_entry_with_nothing_typed_follows_a_save_elsewhere(
    make_app, db_path: Path
) -> None:
    first = Store.open(db_path).add(Entry.new("Old words.", day=FROZEN.date(), moment=FROZEN))
    app = make_app(store=Store.open(db_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        _today(app).open_entry(first.uid)
        await pilot.pause()
        other = Store.open(db_path)
        loaded = other.get(first.uid)
        assert loaded is not None
        other.update(loaded.edited(body="New words from elsewhere."), expected=loaded)
        await until(
            pilot,
            lambda: _today(app).query_one("#editor", TextArea).text == "New words from elsewhere.",
        )
        assert not _today(app).has_unsaved


async def test_an_entry_deleted_elsewhere_is_saved_again_as_a_new_one(
    make_app, db_path: Path
) -> None:
    first = Store.open(db_path).add(Entry.new("Before.", day=FROZEN.date(), moment=FROZEN))
    app = make_app(store=Store.open(db_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        _today(app).open_entry(first.uid)
        await pilot.pause()
        await pilot.press(*" And after.")
        Store.open(db_path).delete(first.uid)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        app.screen.query_one("#answer-new", Button).press()
        await until(pilot, lambda: not _today(app).has_unsaved)
    assert [e.body for e in Store.open(db_path).entries()] == ["Before. And after."]


async def test_a_restored_draft_of_an_edit_still_notices_a_save_made_since(
    make_app, db_path: Path
) -> None:
    first = Store.open(db_path).add(Entry.new("Start.", day=FROZEN.date(), moment=FROZEN))
    crashed = make_app(store=Store.open(db_path))
    async with crashed.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        _today(crashed).open_entry(first.uid)
        await pilot.pause()
        await pilot.press(*" Typed before the crash.")
        _today(crashed).flush_draft()
    # While it was down, another window saved the entry.
    other = Store.open(db_path)
    loaded = other.get(first.uid)
    assert loaded is not None
    other.update(loaded.edited(body="Start. Saved elsewhere."), expected=loaded)

    app = make_app(store=Store.open(db_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.screen.query("#answer-restore"))
        app.screen.query_one("#answer-restore", Button).press()
        await until(pilot, lambda: _today(app).has_unsaved)
        assert _today(app).query_one("#editor", TextArea).text == "Start. Typed before the crash."
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ConflictScreen))
        app.screen.query_one("#answer-both", Button).press()
        await until(pilot, lambda: not _today(app).has_unsaved)
    bodies = sorted(e.body for e in Store.open(db_path).entries())
    assert bodies == ["Start. Saved elsewhere.", "Start. Typed before the crash."]
