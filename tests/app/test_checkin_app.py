"""Pilot tests for the check-in, the due panel on Today, the follow-up dialog and revisits.

They set fields directly or press a few keys: typing key by key belongs to the tmux tests.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import Input, Static, TextArea

from journal.checkin import (
    HELP_NOTE,
    KIND_PHRASE_SETS,
    CheckinAnswers,
    CheckinDraft,
    FollowUpPlan,
    answers_of,
    body_matches,
    build_entry,
)
from journal.config import Settings
from journal.due import revisits_of
from journal.models import FollowUp
from journal.store import make_filter
from journal.store.drafts import load_checkin_draft, save_checkin_draft
from journal.tui.dialogs.confirm import ConfirmScreen
from journal.tui.dialogs.follow_up import FollowUpScreen
from journal.tui.dialogs.help import HelpScreen
from journal.tui.screens.checkin import CheckinScreen
from journal.tui.screens.checkin_care import BreathingScreen, HelpNoteScreen, TooRawScreen
from journal.tui.screens.revisit import RevisitScreen
from journal.tui.screens.today import TodayScreen
from journal.tui.widgets.checkin_steps import FeelingPicker
from journal.tui.widgets.due_list import DueList
from journal.tui.widgets.intensity import IntensityScale
from tests.conftest import FROZEN
from tests.textual_patches import notifications_raised
from tests.waiting import until

README = Path(__file__).resolve().parents[2] / "README.md"


def checkins(store):
    return store.entries(make_filter(kind="checkin"))


def notes(app) -> list[str]:
    return [n.message for n in notifications_raised(app)]


async def type_text(pilot, text: str) -> None:
    await pilot.press(*text)


async def test_the_quick_check_in_by_a_few_keys(make_app, store):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckinScreen)
        assert "Step 1 of 5" in str(screen.query_one("#checkin-step").content)
        # 1. feeling words by their letters, then the rating from the same place.
        await pilot.press("h", "f", "h", "h", "6")
        assert screen.query_one("#feelings", FeelingPicker).chosen == ["frustrated", "hurt"]
        assert screen.query_one("#intensity_before", IntensityScale).value == 6
        await pilot.press("alt+right")
        # 2. a kind phrase with 2, then editable.
        assert screen.step_id == "kindness"
        await pilot.press("2")
        phrase = screen.query_one("#what_i_need", Input)
        assert phrase.value == KIND_PHRASE_SETS[0][1]
        assert app.focused is phrase
        await pilot.press("alt+right")
        # 3. what happened; 4. an action without a date.
        screen.query_one("#what_happened", TextArea).load_text("Sam shouted about the delivery.")
        await pilot.press("alt+right")
        screen.query_one("#fu-action", Input).value = "Call Sam"
        await pilot.pause()
        assert "tomorrow, Mon 23 Nov" in str(screen.query_one("#fu-due-hint").content)
        await pilot.press("alt+right")
        # 5. the same feeling again, beside the start.
        assert "hurt" in str(screen.query_one("#feeling-then").content)
        await pilot.press("3")
        assert "Down 3." in str(screen.query_one("#intensity-compare").content)
        await pilot.press("alt+right")
        assert screen.step_id == "deeper"
        await pilot.press("enter")  # "Save now" is the first choice
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        (entry,) = checkins(store)
        c = entry.checkin
        assert c["feelings"] == ["frustrated", "hurt"]
        assert (c["intensity_before"], c["intensity_after"]) == (6, 3)
        assert entry.follow_up == FollowUp("Call Sam", "2026-11-23")
        assert entry.title == "Check-in: Sam shouted about the delivery"
        assert load_checkin_draft(store.path) is None


async def test_the_kind_ending_has_no_numbers(make_app, store):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("8")
        screen._raw_offered = True  # the too-raw offer has its own test
        screen.query_one("#intensity_after", IntensityScale).value = 2
        screen.query_one("#fu-action", Input).value = "call Sam"
        screen.query_one("#fu-due", Input).value = "friday"
        await pilot.press("ctrl+s")
        await pilot.pause()
        (message,) = [m for m in notes(app) if m.startswith("Saved.")]
        assert message.endswith("Follow-up: call Sam, Fri 27 Nov")
        assert not any(ch in message for ch in "%→") and "8" not in message
        assert "responded" not in message


async def test_no_follow_up_means_nothing_due(make_app, store):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("4", "ctrl+s")
        await pilot.pause()
        (entry,) = checkins(store)
        assert entry.follow_up is None
        assert not app.screen.query_one("#due", DueList).display
        message = next(m for m in notes(app) if m.startswith("Saved."))
        assert "Follow-up" not in message


async def test_every_step_is_skippable_and_an_empty_check_in_is_not_saved(make_app, store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)
        for _ in range(5):
            await pilot.press("alt+right")
        assert app.screen.step_id == "deeper"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert checkins(store) == []
        assert any("nothing was saved" in m for m in notes(app))
        assert load_checkin_draft(store.path) is None


async def test_going_deeper_walks_the_deeper_steps_and_keeps_the_quick_answers(make_app, store):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("n", "5", "alt+right", "alt+right", "alt+right", "alt+right")
        await pilot.press("alt+right")
        assert screen.step_id == "deeper"
        await pilot.press("down", "enter")
        assert screen.step_id == "first_move"
        assert "Deeper 1 of 7" in str(screen.query_one("#checkin-step").content)
        await pilot.press("down", "enter")  # paused
        screen.query_one("#story", TextArea).load_text("I always get these wrong.")
        screen.query_one("#fairer_line", TextArea).load_text("Most calls go fine.")
        screen.query_one("#say_back", TextArea).load_text("You need a date you can trust.")
        screen.query_one("#not_mine", TextArea).load_text("The warehouse delay.")
        screen.query_one("#who_could_help", TextArea).load_text("Priya in logistics.")
        screen.query_one("#keep_doing", TextArea).load_text("I stayed calm.")
        screen.query_one("#checkin-title", Input).value = "The Sam call"
        screen.query_one("#checkin-tags", Input).value = "calls, delivery"
        for _ in range(6):
            await pilot.press("alt+right")
        assert screen.step_id == "title_tags"
        await pilot.press("alt+right")  # the last step saves
        await pilot.pause()
        (entry,) = checkins(store)
        c = entry.checkin
        assert c["feelings"] == ["numb"] and c["intensity_before"] == 5
        assert c["reaction"] == "paused" and c["story"] and c["fairer_line"]
        assert c["say_back"] and c["not_mine"] and c["who_could_help"] == "Priya in logistics."
        assert entry.title == "The Sam call" and list(entry.tags) == ["calls", "delivery"]
        assert entry.revisit_on == "2027-02-20"
        assert "What I did first: paused." in entry.body


async def test_back_and_forward_keep_answers(make_app):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("a", "o")
        assert app.focused is screen.query_one("#own-feeling", Input)
        await type_text(pilot, "let down")
        await pilot.press("alt+right", "1", "alt+right")
        screen.query_one("#what_happened", TextArea).load_text("Facts only.")
        await pilot.press("alt+right", "alt+left", "alt+left", "alt+left")
        assert screen.step_id == "feeling"
        assert isinstance(app.focused, FeelingPicker)
        await pilot.press("alt+left")  # nothing before the first step
        assert screen.step_id == "feeling"
        await pilot.press("alt+right", "alt+right")
        assert app.focused.text == "Facts only."  # type: ignore[union-attr]
        answers = screen.collect()
        assert answers.feelings == ["angry", "let down"]
        assert answers.compassion.what_i_need == KIND_PHRASE_SETS[0][0]


async def test_a_nonsense_due_date_blocks_next_until_fixed(make_app):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.show_step(3)
        screen.query_one("#fu-action", Input).value = "Call Sam"
        screen.query_one("#fu-due", Input).value = "someday"
        await pilot.pause()
        hint = screen.query_one("#fu-due-hint")
        assert hint.has_class("-error") and "not a date" in str(hint.content)
        await pilot.press("alt+right")
        assert screen.step_id == "follow_up"
        screen.query_one("#fu-due", Input).value = "fri"
        await pilot.pause()
        assert "Friday 27 November 2026" in str(hint.content)
        await pilot.press("alt+right")
        assert screen.step_id == "feeling_after"


async def test_the_example_date_is_never_in_the_past(make_app):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        placeholder = app.screen.query_one("#fu-due", Input).placeholder
        assert "2026-11-29" in placeholder  # a week after the frozen day


# ---- too raw right now ----------------------------------------------------------------------


async def test_too_raw_breathe_for_a_minute_then_back(make_app, monkeypatch):
    # Long enough never to end on its own here; the test moves the clock on instead.
    monkeypatch.setattr(CheckinScreen, "breath_seconds", 30.0)
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        checkin = app.screen
        await pilot.press("9", "alt+right")
        await pilot.pause()
        assert isinstance(app.screen, TooRawScreen)
        await pilot.press("1")
        await pilot.pause()
        breathing = app.screen
        assert isinstance(breathing, BreathingScreen)
        assert breathing.seconds == 30.0
        assert "Breathe in" in str(breathing.query_one("#breath-now").content)
        breathing.elapsed = 29.5
        breathing._tick()
        assert "and out" in str(breathing.query_one("#breath-now").content)
        breathing._tick()  # 30 s: the time is up
        await until(pilot, lambda: app.screen is checkin and checkin.step_id == "kindness")
        assert checkin.query_one("#intensity_before", IntensityScale).value == 9
        # Offered once: back on the first step and forward again goes straight on.
        await pilot.press("alt+left", "alt+right")
        assert app.screen is checkin and checkin.step_id == "kindness"


async def test_the_breathing_minute_is_sixty_seconds_unless_told(make_app):
    assert CheckinScreen.breath_seconds == 60.0
    screen = BreathingScreen()
    assert screen.seconds == 60.0
    assert screen.cue(1) == "Breathe in…" and screen.cue(5) == "…and out, slowly"


async def test_too_raw_save_just_this_and_finish_later(make_app, store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("s", "1", "0", "alt+right")
        await pilot.pause()
        assert isinstance(app.screen, TooRawScreen)
        await pilot.press("2")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert checkins(store) == []
        draft = load_checkin_draft(store.path)
        assert draft is not None and draft.answers.intensity_before == 10
        assert draft.answers.feelings == ["shaken"]
    # Today offers it back at the next start, and f2 picks it up.
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert any("f2 picks it up" in m for m in notes(again))
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(again.screen, ConfirmScreen)
        await pilot.press("enter")
        await pilot.pause()
        assert again.screen.query_one("#intensity_before", IntensityScale).value == 10


async def test_too_raw_where_to_get_help(make_app):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        checkin = app.screen
        await pilot.press("8", "alt+right")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
        assert isinstance(app.screen, HelpNoteScreen)
        assert str(app.screen.query_one("#help-note-full").content) == HELP_NOTE
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is checkin and checkin.step_id == "kindness"


async def test_a_first_rating_below_eight_goes_straight_on(make_app):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("7", "alt+right")
        assert isinstance(app.screen, CheckinScreen) and app.screen.step_id == "kindness"


# ---- where to get help ----------------------------------------------------------------------


def shown(widget: Static) -> str:
    return str(widget.content) if widget.display else ""


async def test_the_help_note_shows_at_kindness_at_a_high_end_and_in_help(make_app):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        # 1. At the kindness step.
        screen.show_step(1)
        await pilot.pause()
        assert shown(screen.query_one("#help-note-kindness", Static)) == HELP_NOTE
        # 2. At the end, when it is 8 or more, or has gone up; not when it has come down.
        before = screen.query_one("#intensity_before", IntensityScale)
        after = screen.query_one("#intensity_after", IntensityScale)
        note = screen.query_one("#help-note-after", Static)
        for first, last, expected in ((5, 3, False), (5, 7, True), (None, 8, True), (9, 9, True)):
            before.value, after.value = first, last
            await pilot.pause()
            assert bool(shown(note)) is expected, (first, last)
        # 3. In the help screen (f1).
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert str(app.screen.query_one("#help-note-keys").content) == HELP_NOTE


def test_the_help_note_is_in_the_readme():
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert "employee assistance programme" in text
    assert "local emergency number" in text
    assert "tell your team lead" in text
    assert "[help]" in text  # and how to put your own in


async def test_the_help_note_comes_from_the_config_file(make_app):
    own = "Call Ana on 0123 456 789, or the Samaritans on 116 123."
    app = make_app(start="checkin", settings=Settings(help_note=own))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert str(app.screen.query_one("#help-note-kindness", Static).content) == own
        await pilot.press("f1")
        await pilot.pause()
        assert str(app.screen.query_one("#help-note-keys").content) == own


# ---- a saved check-in reopens as a check-in ------------------------------------------------


def _seed(store, **answers):
    moment = FROZEN - timedelta(days=100)
    entry = build_entry(CheckinAnswers(**answers), moment.date(), moment)
    store.add(entry)
    return entry


async def test_a_saved_check_in_reopens_in_the_stepper_and_saves_both_ways(make_app, store):
    moment = FROZEN - timedelta(hours=2)
    entry = build_entry(
        CheckinAnswers(
            feelings=["hurt", "let down"],
            intensity_before=7,
            what_happened="Sam shouted.",
            intensity_after=4,
            follow_up=FollowUpPlan("Call Sam", "2026-11-24"),
        ),
        moment.date(),
        moment,
    )
    store.add(entry)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.open_entry(entry.uid)  # what picking it in Today's list does
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckinScreen) and screen.entry is not None
        assert screen.query_one("#feelings", FeelingPicker).chosen == ["hurt"]
        assert screen.query_one("#own-feeling", Input).value == "let down"
        assert screen.query_one("#intensity_after", IntensityScale).value == 4
        assert screen.query_one("#checkin-title", Input).value == ""  # made, not typed
        assert not screen.has_unsaved
        screen.query_one("#intensity_after", IntensityScale).value = 2
        await pilot.pause()
        assert screen.has_unsaved
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        (saved,) = checkins(store)
        assert saved.uid == entry.uid and saved.created == entry.created
        assert saved.checkin["intensity_after"] == 2
        assert "2 out of 10 (mild), down 5 from 7." in saved.body
        assert body_matches(saved) and saved.follow_up == entry.follow_up
        assert load_checkin_draft(store.path) is None  # a saved check-in writes no draft


async def test_picking_a_check_in_on_today_leaves_todays_text_alone(make_app, store):
    from journal.tui.widgets.entry_list import EntryList

    entry = build_entry(CheckinAnswers(intensity_before=3), FROZEN.date(), FROZEN)
    store.add(entry)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        today = app.screen
        today.query_one("#editor", TextArea).load_text("Half a reflection")
        entries = today.query_one("#today-entries", EntryList)
        entries.post_message(EntryList.EntrySelected(entries, entry.uid))
        await pilot.pause()
        assert isinstance(app.screen, CheckinScreen)  # no question about Today's text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is today
        assert today.query_one("#editor", TextArea).text == "Half a reflection"


async def test_history_opens_a_check_in_as_a_check_in_and_leaving_asks(make_app, store):
    entry = _seed(store, feelings=["numb"], intensity_before=5)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.edit_entry(entry.uid)  # History's ctrl+o, and the palette's entry search via History
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckinScreen)
        assert "Check-in of Fri 14 Aug" in str(screen.query_one("#checkin-name").content)
        screen.query_one("#what_happened", TextArea).load_text("A new line")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # unsaved changes: asked first


async def test_the_palette_opens_a_check_in_in_the_stepper(make_app, store):
    from journal.tui.commands import EntriesProvider

    entry = _seed(store, feelings=["numb"], intensity_before=5, what_happened="The refund call.")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        (hit,) = [h async for h in EntriesProvider(app.screen, None).search("refund")]
        assert hit.help == "Check-in · opens with its answers"
        hit.command()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckinScreen) and screen.entry is not None
        assert screen.entry.uid == entry.uid
        assert screen.query_one("#intensity_before", IntensityScale).value == 5
        # Picked again from the stepper itself: the one already open stays the only one.
        (again,) = [h async for h in EntriesProvider(screen, None).search("refund")]
        again.command()
        await pilot.pause()
        assert app.screen is screen
        assert sum(isinstance(s, CheckinScreen) for s in app.screen_stack) == 1
        assert "This check-in is already open." in notes(app)


async def test_a_closed_terminal_keeps_the_changes_to_a_saved_check_in(make_app, store):
    entry = _seed(store, feelings=["numb"], intensity_before=5)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.edit_entry(entry.uid)
        await pilot.pause()
        screen = app.screen
        screen.query_one("#what_happened", TextArea).load_text("Written just before the hang-up")
        screen.flush_draft()  # what the app does on SIGHUP or SIGTERM
        saved = store.get(entry.uid)
        assert saved.checkin["what_happened"] == "Written just before the hang-up"
        assert body_matches(saved)


async def test_an_old_check_in_opens_with_every_answer(make_app, store):
    from tests.unit.test_checkin_domain import v1_entry

    old = v1_entry()
    store.add(old)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.open_entry(old.uid)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckinScreen)
        assert screen.query_one("#intensity_before", IntensityScale).value == 7
        old_field = screen.query_one("#hard_moment_ack", Input)
        assert old_field.display and old_field.value == "That stung."
        assert screen.query_one("#reaction-reacted").value
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = store.get(old.uid)
        assert saved.checkin["version"] == 2
        assert saved.checkin["compassion"]["hard_moment_ack"] == "That stung."
        assert answers_of(saved).intensity_after == 4


# ---- drafts --------------------------------------------------------------------------------


async def test_leaving_half_way_keeps_a_draft_that_is_offered_back(make_app, store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("x", "6", "alt+right", "alt+right")
        app.screen.query_one("#what_happened", TextArea).load_text("The call went sideways.")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        assert checkins(store) == []
        draft = load_checkin_draft(store.path)
        assert draft is not None
        assert draft.step == "what_happened"
        assert draft.answers.feelings == ["anxious"]
        assert draft.answers.what_happened == "The call went sideways."
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # Resume has the focus
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckinScreen)
        assert screen.step_id == "what_happened"
        assert screen.query_one("#feelings", FeelingPicker).chosen == ["anxious"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        (entry,) = checkins(store)
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
        assert screen.step_id == "feeling"
        assert screen.query_one("#what_happened", TextArea).text == ""
        assert load_checkin_draft(store.path) is None


async def test_a_draft_is_written_while_typing(make_app, store):
    """Even without a step change, the latest answers reach the draft (timer or exit)."""
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("g")
    draft = load_checkin_draft(store.path)
    assert draft is not None
    assert draft.answers.feelings == ["guilty"]


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


async def test_after_a_check_in_the_due_panel_shows_no_percentage(make_app, store):
    # A record to score (one promise kept on time, one moved): Insights shows it, Today not.
    kept = _seed(store, follow_up=FollowUpPlan("Thank Ana", "2026-11-10"), revisit_on="never")
    done = FollowUp("Thank Ana", "2026-11-10", done="2026-11-09T10:00:00+01:00")
    store.update(kept.edited(follow_up=done), expected=kept)
    _seed(store, follow_up=FollowUpPlan("Call Sam back", "2026-11-20"), revisit_on="never")
    moved = store.entries(make_filter(kind="checkin"))[-1]
    assert moved.follow_up is not None
    store.update(
        moved.edited(follow_up=FollowUp("Call Sam back", "2026-11-20", moved=1)), expected=moved
    )
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen.query_one("#fu-action", Input).value = "Write to Priya"
        await pilot.press("4", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
        due = app.screen.query_one("#due", DueList)
        assert due.display and len(due.items) == 3
        shown_text = [due.border_title or "", due.border_subtitle or ""] + [
            str(due.get_option_at_index(i).prompt) for i in range(due.option_count)
        ]
        assert not any("%" in text or "moved" in text for text in shown_text), shown_text


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
        # No rating at the time: it says so, and still asks how much it stings now.
        assert "no rating" in str(screen.query_one("#revisit-then").content)
        assert app.focused is screen.query_one("#revisit-sting", IntensityScale)
        await pilot.press("tab")
        assert app.focused is screen.query_one("#revisit-to_past_me", TextArea)
        await type_text(pilot, "Go easy.")
        screen.query_one("#revisit-learnt_since", TextArea).load_text("Warn people first.")
        screen.query_one("#revisit-outcome_changed", TextArea).load_text("No complaints since.")
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
        await pilot.press("tab")  # past "how much does it still sting"
        await type_text(pilot, "half")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep writing
        await pilot.pause()
        assert isinstance(app.screen, RevisitScreen)
        assert store.entries(make_filter(kind="revisit")) == []


async def test_the_look_back_asks_how_much_it_still_stings(make_app, store):
    original = _seed(store, feelings=["hurt"], intensity_before=8, intensity_after=5)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.push_screen(RevisitScreen(original))
        await pilot.pause()
        screen = app.screen
        then = str(screen.query_one("#revisit-then").content)
        assert "hurt" in then and "8 of 10" in then
        assert app.focused is screen.query_one("#revisit-sting", IntensityScale)
        await pilot.press("2")
        screen.query_one("#revisit-to_past_me", TextArea).load_text("It passes. Breathe.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        (revisit,) = store.entries(make_filter(kind="revisit"))
        assert revisit.checkin["revisit"]["sting"] == 2
        assert revisit.checkin["revisit"]["to_past_me"] == "It passes. Breathe."
        assert "How much does it still sting?" in revisit.body
        rated = store.get(original.uid)
        assert rated.checkin["intensity_revisit"] == 2
        assert "It still stung: 2 out of 10 (mild)." in rated.body


async def test_checkin_fits_and_works_at_80_by_24(make_app):
    app = make_app(start="checkin")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        screen._raw_offered = True
        for index in range(len(screen.query_one("#checkin-steps").children)):
            screen.show_step(index)
            await pilot.pause()
            # Every page and the navigation row are on screen at the smallest size.
            page = screen.query_one(f"#step-{screen.step_id}")
            assert page.region.bottom <= 22, screen.step_id
            nav = screen.query_one("#checkin-nav")
            assert nav.region.bottom <= 23


def test_frozen_clock_is_a_sunday():
    # The app tests above rely on the frozen day: Sunday 22 November 2026.
    assert FROZEN.date().isoformat() == "2026-11-22"
    assert datetime(2026, 11, 22).strftime("%A") == "Sunday"


async def test_insights_show_before_after_and_at_the_look_back(make_app, store):
    from journal.checkin import with_revisit_rating
    from journal.tui.screens.insights import InsightsScreen

    first = _seed(store, feelings=["hurt"], intensity_before=8, intensity_after=5)
    store.update(with_revisit_rating(first, 2, FROZEN), expected=first, touch=False)
    _seed(store, intensity_before=6, intensity_after=3)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.action_insights()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        await until(pilot, lambda: screen.data is not None)
        assert sorted(screen.data.before) == [6, 8] and sorted(screen.data.after) == [3, 5]
        assert screen.data.revisit == [2]
        assert screen.query_one("#spark-revisit").display
        assert "still stings, looking back 2.0" in str(
            screen.query_one("#intensity-summary").content
        )


# ---- old check-ins, imported ----------------------------------------------------------------

#: What version 1 (before the quick check-in) exported: ``journal export -o`` and
#: ``--per-entry`` of two check-ins, one full with its follow-up done, one short. Made by
#: running the code of commit d263c38; kept byte for byte.
V1_EXPORT = Path(__file__).resolve().parents[1] / "data" / "v1-checkin-export"
V1_FULL = "dac9367a0a1a427ba00bc980e766aa36"


@pytest.mark.parametrize("source", ["journal.md", "per-entry"])
async def test_an_old_export_imports_and_its_check_ins_open_in_the_stepper(
    make_app, store, db_path, capsys, source
):
    from journal import cli

    assert cli.main(["import", "--db", str(db_path), str(V1_EXPORT / source)]) == 0, (
        capsys.readouterr()
    )
    old = store.get(V1_FULL)
    assert old.checkin["version"] == 1 and len(checkins(store)) == 2
    assert body_matches(old)  # nobody wrote in it: it is the body its answers make
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.open_entry(old.uid)
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CheckinScreen) and screen.entry is not None
        assert screen.query_one("#intensity_before", IntensityScale).value == 8
        assert screen.query_one("#intensity_after", IntensityScale).value == 5
        assert screen.query_one("#what_i_need", Input).value == "I did what I could."
        assert screen.query_one("#hard_moment_ack", Input).value == "That stung."
        assert screen.query_one("#reaction-reacted").value
        assert screen.query_one("#checkin-title", Input).value == ""  # the old made title
        screen.query_one("#feelings", FeelingPicker).chosen = ["hurt"]
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, TodayScreen)
    saved = store.get(V1_FULL)
    c = saved.checkin
    assert c["version"] == 2 and c["feelings"] == ["hurt"]
    assert (c["intensity_before"], c["intensity_after"]) == (8, 5)
    assert c["own_later"] == "I cut them off once: say sorry for that."
    assert saved.follow_up.done == old.follow_up.done  # still done
    assert "- [x] Email the refund confirmation" in saved.body
    assert "What I did first: reacted." in saved.body and "React or respond" not in saved.body
    # The old title was cut with "…"; the made one that replaces it never is.
    assert "…" in old.title and "…" not in saved.title
    assert saved.title == "Check-in: A customer called about a double charge"
    assert body_matches(saved) and c["notes"] is None
