"""Pilot tests for the check-in, the due panel on Today, the follow-up dialog and revisits."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.widgets import Input, TextArea

from journal.checkin import (
    KIND_PHRASES,
    CheckinAnswers,
    CheckinDraft,
    FollowUpPlan,
    build_entry,
)
from journal.due import revisits_of
from journal.store import make_filter
from journal.store.drafts import checkin_draft_path, load_checkin_draft, save_checkin_draft
from journal.tui.dialogs.confirm import ConfirmScreen
from journal.tui.dialogs.follow_up import FollowUpScreen
from journal.tui.screens.checkin import CheckinScreen
from journal.tui.screens.revisit import RevisitScreen
from journal.tui.screens.today import TodayScreen
from journal.tui.widgets.due_list import DueList
from journal.tui.widgets.intensity import IntensityScale
from tests.conftest import FROZEN


def checkins(store):
    return store.entries(make_filter(kind="checkin"))


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


async def test_whole_checkin_by_keys_only(make_app, store):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckinScreen)
        assert "Step 1 of 10" in str(screen.query_one("#checkin-step").content)
        # 1. intensity: "1" then "0" is 10, left makes it 9, then 7 by number.
        await pilot.press("1", "0")
        assert screen.query_one("#intensity_before", IntensityScale).value == 10
        await pilot.press("left", "7", "alt+right")
        # 2. what happened
        await type_text(pilot, "Sam raised his voice about the late delivery.")
        await pilot.press("alt+right")
        # 3. react or respond: the third choice, then what I noticed.
        await pilot.press("down", "down", "enter", "tab")
        await type_text(pilot, "Hot face.")
        await pilot.press("alt+right")
        # 4. their side
        assert "Step 4 of 10" in str(screen.query_one("#checkin-step").content)
        await type_text(pilot, "They promised a date.")
        await pilot.press("tab")
        await type_text(pilot, "A firm new date.")
        await pilot.press("alt+right")
        # 5. self-compassion: two in my words, the third picked from the phrases.
        await type_text(pilot, "That stung.")
        await pilot.press("tab")
        await type_text(pilot, "Others have been here.")
        await pilot.press("tab", "tab", "end", "enter")
        assert app.focused is screen.query_one("#what_i_need", Input)
        await type_text(pilot, " Really.")
        await pilot.press("alt+right")
        # 6. own it later
        await type_text(pilot, "Say sorry for not calling first.")
        await pilot.press("alt+right")
        # 7. follow-up due tomorrow
        await type_text(pilot, "Call Sam back")
        await pilot.press("tab")
        await type_text(pilot, "tomorrow")
        hint = str(screen.query_one("#fu-due-hint").content)
        assert "Monday 23 November 2026" in hint
        await pilot.press("alt+right")
        # 8. learnt, keep doing, do differently
        await type_text(pilot, "Ask first.")
        await pilot.press("tab")
        await type_text(pilot, "Breathe.")
        await pilot.press("tab")
        await type_text(pilot, "Call early.")
        await pilot.press("alt+right")
        # 9. revisit: the default is selected; typing replaces it.
        assert screen.query_one("#revisit-on", Input).value == "2027-02-20"
        await type_text(pilot, "+30d")
        await pilot.press("alt+right")
        # 10. intensity now, then save with ctrl+s.
        await pilot.press("3", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        entries = checkins(store)
        assert len(entries) == 1
        entry = entries[0]
        c = entry.checkin
        assert c is not None
        assert c["intensity_before"] == 7
        assert c["what_happened"] == "Sam raised his voice about the late delivery."
        assert c["reaction"] == "responded"
        assert c["noticed"] == "Hot face."
        assert c["their_implication"] == "They promised a date."
        assert c["their_success"] == "A firm new date."
        phrase = KIND_PHRASES["what_i_need"][-1]
        assert c["compassion"] == {
            "hard_moment_ack": "That stung.",
            "shared_humanity": "Others have been here.",
            "what_i_need": f"{phrase} Really.",
        }
        assert c["own_later"] == "Say sorry for not calling first."
        assert c["follow_up"] == {"action": "Call Sam back", "due": "2026-11-23"}
        assert c["learnt"] == "Ask first."
        assert c["keep_doing"] == "Breathe."
        assert c["do_differently"] == "Call early."
        assert c["revisit_on"] == "2026-12-22"
        assert c["intensity_after"] == 3
        assert entry.follow_up is not None and entry.follow_up.due == "2026-11-23"
        assert entry.revisit_on == "2026-12-22"
        assert entry.day == "2026-11-22"
        assert len([line for line in entry.body.splitlines() if line.startswith("## ")]) == 10
        # The draft is gone once saved, and Today's due panel shows the promise.
        assert not checkin_draft_path(store.path).exists()
        due = app.screen.query_one("#due", DueList)
        assert due.display
        assert [i.text for i in due.items] == ["Call Sam back"]


async def test_skipping_every_step_still_saves(make_app, store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        for _ in range(10):
            await pilot.press("alt+right")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        (entry,) = checkins(store)
        assert entry.body == ""
        assert entry.follow_up is None
        assert entry.revisit_on == "2027-02-20"


async def test_skip_button_moves_on_and_last_step_saves(make_app, store):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.click("#checkin-skip")
        assert app.screen.step_id == "what_happened"
        for _ in range(9):
            await pilot.click("#checkin-skip")
        await pilot.pause()
        assert len(checkins(store)) == 1


async def test_back_and_forward_keep_answers(make_app):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("6", "alt+right")
        await type_text(pilot, "Facts only.")
        await pilot.press("alt+right", "down", "enter", "alt+right")
        assert screen.step_id == "their_side"
        await pilot.press("alt+left", "alt+left", "alt+left")
        assert screen.step_id == "intensity_before"
        assert app.focused is screen.query_one("#intensity_before", IntensityScale)
        await pilot.press("alt+left")  # nothing before the first step
        assert screen.step_id == "intensity_before"
        await pilot.press("alt+right")
        assert app.focused.text == "Facts only."  # type: ignore[union-attr]
        await type_text(pilot, " More.")
        await pilot.press("alt+right", "alt+right", "alt+left", "alt+left")
        answers = screen.collect()
        assert answers.intensity_before == 6
        assert answers.what_happened == "Facts only. More."
        assert answers.reaction == "paused"


async def test_nonsense_due_date_blocks_next_until_fixed(make_app):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for _ in range(6):
            await pilot.press("alt+right")
        assert screen.step_id == "follow_up"
        await type_text(pilot, "Call Sam")
        await pilot.press("tab")
        await type_text(pilot, "someday")
        hint = screen.query_one("#fu-due-hint")
        assert hint.has_class("-error")
        assert "not a date" in str(hint.content)
        await pilot.press("alt+right")
        assert screen.step_id == "follow_up"
        # An action without a date is not a promise yet either.
        await pilot.press("ctrl+u")
        assert screen.query_one("#fu-due", Input).value == ""
        await pilot.press("alt+right")
        assert screen.step_id == "follow_up"
        assert hint.has_class("-warn")
        await type_text(pilot, "fri")
        assert "Friday 27 November 2026" in str(hint.content)
        await pilot.press("alt+right")
        assert screen.step_id == "learnt"


async def test_leaving_half_way_keeps_a_draft_that_is_offered_back(make_app, store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("8", "alt+right")
        await type_text(pilot, "The call went sideways.")
        await pilot.press("alt+right")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert checkins(store) == []
        draft = load_checkin_draft(store.path)
        assert draft is not None
        assert draft.step == "reaction"
        assert draft.answers.intensity_before == 8
        assert draft.answers.what_happened == "The call went sideways."
        # Next time: offered back; resume puts everything where it was.
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # Resume has the focus
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckinScreen)
        assert screen.step_id == "reaction"
        assert screen.query_one("#intensity_before", IntensityScale).value == 8
        assert screen.query_one("#what_happened", TextArea).text == "The call went sideways."
        await pilot.press("ctrl+s")
        await pilot.pause()
        (entry,) = checkins(store)
        assert entry.checkin is not None
        assert entry.checkin["what_happened"] == "The call went sideways."
        assert load_checkin_draft(store.path) is None


async def test_start_fresh_drops_the_draft(make_app, store):
    save_checkin_draft(
        store.path, CheckinDraft(CheckinAnswers(what_happened="old"), step="what_happened")
    )
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#answer-fresh")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckinScreen)
        assert screen.step_id == "intensity_before"
        assert screen.query_one("#what_happened", TextArea).text == ""
        assert load_checkin_draft(store.path) is None


async def test_a_draft_is_written_while_typing(make_app, store):
    """Even without a step change, the latest answers reach the draft (timer or exit)."""
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("alt+right")
        await type_text(pilot, "Half a thought")
    draft = load_checkin_draft(store.path)
    assert draft is not None
    assert draft.answers.what_happened == "Half a thought"


async def test_palette_lists_the_checkin_and_due_commands(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Check-in after a tough call" in titles
        assert "What is due" in titles
        command = next(
            c for c in app.get_system_commands(app.screen) if c.title.startswith("Check-in")
        )
        command.callback()
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)


def _seed(store, **answers):
    moment = FROZEN - timedelta(days=100)
    entry = build_entry(CheckinAnswers(**answers), moment.date(), moment)
    store.add(entry)
    return entry


async def test_due_panel_shows_a_follow_up_and_marking_done_records_it(make_app, store):
    entry = _seed(
        store,
        what_happened="Sam",
        follow_up=FollowUpPlan("Call Sam back", "2026-11-20"),
        revisit_on="never",
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        due = app.screen.query_one("#due", DueList)
        assert due.display
        assert [(i.status, i.text) for i in due.items] == [("overdue", "Call Sam back")]
        assert "overdue" in due.border_title
        app.action_show_due()
        await pilot.pause()
        assert app.focused is due
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpScreen)
        await type_text(pilot, "Called; relieved")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        stored = store.get(entry.uid)
        assert stored is not None and stored.follow_up is not None
        assert stored.follow_up.done == FROZEN.isoformat(timespec="seconds")
        assert stored.follow_up.note == "Called; relieved"
        assert not due.display  # nothing left due: the panel hides


async def test_moving_a_follow_up_accepts_date_words(make_app, store):
    entry = _seed(store, follow_up=FollowUpPlan("Send the post-mortem", "2026-11-21"))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_show_due()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("tab")
        await type_text(pilot, "blah")
        assert app.screen.query_one("#follow-up-move-hint").has_class("-error")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FollowUpScreen)  # refused, still open
        await pilot.press("ctrl+u")
        await type_text(pilot, "+1w")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        stored = store.get(entry.uid)
        assert stored is not None and stored.follow_up is not None
        assert stored.follow_up.due == "2026-11-29"
        assert stored.follow_up.done is None


async def test_revisit_links_both_ways(make_app, store):
    original = _seed(store, what_happened="Priya's reports broke after the migration.")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        due = app.screen.query_one("#due", DueList)
        assert [i.kind for i in due.items] == ["revisit"]
        app.action_show_due()
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, RevisitScreen)
        assert screen.original.uid == original.uid
        await type_text(pilot, "Warn people before a schema change.")
        await pilot.press("tab")
        await type_text(pilot, "A change notice goes out a week ahead.")
        await pilot.press("tab")
        await type_text(pilot, "No complaints since.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        (revisit,) = store.entries(make_filter(kind="revisit"))
        assert revisit.revisit_of == original.uid
        assert revisit.checkin is not None
        assert revisit.checkin["revisit"]["outcome_changed"] == "No complaints since."
        assert [e.uid for e in revisits_of(store, original.uid)] == [revisit.uid]
        assert not due.display  # looked back on: no longer due
        # The original now lists its revisit when opened again.
        app.push_screen(RevisitScreen(store.get(original.uid)))
        await pilot.pause()
        markdown = app.screen.query_one("#revisit-markdown")
        assert "Looked back 1 time" in markdown.source
        assert "No complaints since." in markdown.source


async def test_leaving_a_revisit_with_text_asks_first(make_app, store):
    original = _seed(store, what_happened="Something")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(RevisitScreen(original))
        await pilot.pause()
        await type_text(pilot, "half")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep writing
        await pilot.pause()
        assert isinstance(app.screen, RevisitScreen)
        assert store.entries(make_filter(kind="revisit")) == []


async def test_checkin_saved_notification_shows_the_numbers(make_app, store):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("8")
        for _ in range(9):
            await pilot.press("alt+right")
        await pilot.press("2", "alt+right")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("Intensity 8 → 2." in m and "Intensity 8.0 → 2.0" in m for m in messages)


async def test_checkin_fits_and_works_at_80_by_24(make_app):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        for _ in range(10):
            # Every page and the navigation row are on screen at the smallest size.
            page = screen.query_one(f"#step-{screen.step_id}")
            assert page.region.bottom <= 22
            nav = screen.query_one("#checkin-nav")
            assert nav.region.bottom <= 23
            await pilot.press("alt+right")
            if not isinstance(app.screen, CheckinScreen):
                break


def test_frozen_clock_is_a_sunday():
    # The app tests above rely on the frozen day: Sunday 22 November 2026.
    assert FROZEN.date().isoformat() == "2026-11-22"
    assert datetime(2026, 11, 22).strftime("%A") == "Sunday"
