"""Insights: the domain numbers and the screen (calendar moved by keys, panels filled)."""

from __future__ import annotations

from datetime import date, datetime, timezone

from journal.checkin import CheckinAnswers, FollowUpPlan, build_entry
from journal.due import mark_done
from journal.models import Entry, PromptRef
from journal.stats import (
    bar,
    by_theme,
    gentle_counts,
    shade_levels,
    spark,
    year_weeks,
)
from journal.tui.screens.insights import InsightsScreen, short_label
from journal.tui.widgets.entry_list import EntryList
from journal.tui.widgets.year_calendar import YearCalendar


def test_year_weeks_cover_every_day_once_monday_first():
    weeks = year_weeks(2026)
    days = [d for week in weeks for d in week if d is not None]
    assert days[0] == date(2026, 1, 1) and days[-1] == date(2026, 12, 31)
    assert len(days) == 365 == len(set(days))
    for week in weeks:
        for weekday, day in enumerate(week):
            assert day is None or day.weekday() == weekday


def test_shade_levels_are_relative_quartiles():
    chars = {f"2026-01-{i:02d}": i * 100 for i in range(1, 9)}
    levels = shade_levels(chars)
    assert set(levels.values()) == {1, 2, 3, 4}
    assert levels["2026-01-01"] == 1 and levels["2026-01-08"] == 4
    assert shade_levels({}) == {}


def test_gentle_counts_have_no_streaks():
    chars = {"2026-11-01": 5, "2026-11-20": 9, "2026-10-03": 4, "2025-12-31": 1, "2026-11-23": 2}
    counts = gentle_counts(chars, date(2026, 11, 22))
    assert (counts.month_days, counts.year_days, counts.all_days) == (2, 3, 4)
    assert counts.month_length_so_far == 22
    assert "streak" not in counts.sentence().casefold()


def test_by_theme_groups_packs_and_sorts():
    out = by_theme({"a": 2, "b": 5, "gone": 1}, {"a": "calm", "b": "calm"})
    assert out == {"calm": 7, "other": 1}


def test_bar_and_spark_shapes():
    assert bar(0.5, 10).rstrip() == "█████"
    assert len(bar(0.33, 10)) == 10
    assert bar(2, 4) == "████"
    assert spark([0, 5, 10]) == "▁▅█"
    assert short_label("Respond not react", 12).endswith("…")


def seed(store):
    moment = datetime(2026, 11, 20, 15, tzinfo=timezone.utc)
    entries = [
        Entry.new(
            "First words",
            day="2026-11-20",
            prompt=PromptRef("their-side-001", "their-side", "text"),
            moment=moment,
        ),
        Entry.new("Second words", day="2026-11-13", moment=moment),
    ]
    answers = CheckinAnswers(
        intensity_before=8,
        intensity_after=4,
        reaction="responded",
        what_happened="A customer shouted about an invoice.",
        follow_up=FollowUpPlan("Send the corrected invoice", "2026-11-21"),
    )
    done = mark_done(build_entry(answers, "2026-11-20", moment), moment)
    store.add_many([*entries, done])


async def test_insights_screen_shows_numbers_and_moves_by_keys(make_app, store):
    seed(store)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, InsightsScreen)
        assert "2 of 22 days this month" in str(screen.query_one("#gentle").content)
        assert "8.0" in str(screen.query_one("#intensity-summary").content)
        assert "100%" in str(screen.query_one("#promises").content)
        assert "Their side" in str(screen.query_one("#themes").content)
        calendar_widget = screen.query_one("#year", YearCalendar)
        assert calendar_widget.has_focus and calendar_widget.cursor == date(2026, 11, 22)
        await pilot.press("up", "up")
        await pilot.pause()
        assert calendar_widget.cursor == date(2026, 11, 20)
        assert screen.query_one("#day-entries", EntryList).option_count == 2
        await pilot.press("left")
        await pilot.pause()
        assert calendar_widget.cursor == date(2026, 11, 13)
        assert "Friday 13 November 2026: 1 entry" in str(screen.query_one("#day-label").content)
        await pilot.press("pageup")
        await pilot.pause()
        assert calendar_widget.cursor == date(2025, 11, 13)
        await pilot.press("home")
        await pilot.pause()
        assert calendar_widget.cursor == date(2026, 11, 22)


async def test_insights_on_an_empty_journal_is_kind(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert "0 of 22 days" in str(screen.query_one("#gentle").content)
        assert "No check-ins yet" in str(screen.query_one("#intensity-summary").content)
        assert "A rest day" in str(
            screen.query_one("#day-entries", EntryList).get_option_at_index(0).prompt
        )


async def test_open_day_jumps_to_history(make_app, store):
    from journal.tui.screens.history import HistoryScreen

    seed(store)
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await app.workers.wait_for_complete()
        await pilot.press("up", "up", "ctrl+o")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.store.get(app.screen._current_uid()).day == "2026-11-20"
