"""Dates as the README writes them on the command line, and moving follow-ups (issue 18)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta, timezone

import pytest

import journal.cli.common
from journal.cli import main
from journal.cli.common import join_dash_dates
from journal.due import due_items, mark_done, move_follow_up
from journal.models import Entry, FollowUp
from journal.stats import compute_stats
from journal.store import Store

# A Wednesday.
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(journal.cli.common, "today", lambda: TODAY)
    monkeypatch.setattr("journal.cli.checkin.now_local", lambda: NOW)
    return TODAY


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def days_listed(capsys, *argv: str) -> list[str]:
    code, out, err = run(capsys, "list", "--json", *argv)
    assert code == 0, err
    return [e["day"] for e in json.loads(out)]


# ---- 7. every date option takes the README's forms as the README writes them --------------


def test_join_dash_dates_only_joins_date_options():
    assert join_dash_dates(["list", "--since", "-2w"]) == ["list", "--since=-2w"]
    assert join_dash_dates(["add", "x", "--date", "-3d"]) == ["add", "x", "--date=-3d"]
    assert join_dash_dates(["list", "--until", "-1D", "-n", "3"]) == [
        "list",
        "--until=-1D",
        "-n",
        "3",
    ]
    assert join_dash_dates(["list", "--tag", "-2w"]) == ["list", "--tag", "-2w"]
    assert join_dash_dates(["list", "--since", "-x"]) == ["list", "--since", "-x"]


@pytest.mark.parametrize(
    "argv",
    [
        ["list", "--since", "-2w"],
        ["list", "--since", "-4w", "--until", "-1d"],
        ["export", "-o", "out.md", "--since", "-2w"],
        ["due", "--date", "-1d"],
        ["stats", "--date", "-1w"],
        ["prompt", "--date", "-2d"],
    ],
)
def test_a_minus_date_after_a_date_option_is_a_date(capsys, argv, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Store.open(tmp_path / "data" / "journal.json").add(
        Entry.new("x", day=TODAY - timedelta(days=3), moment=NOW)
    )
    code, _, err = run(capsys, *argv)
    assert code == 0, err


def test_the_readme_date_forms_on_list(capsys, db_path):
    store = Store.open(db_path)
    for back in range(0, 20):
        store.add(Entry.new(f"day {back}", day=TODAY - timedelta(days=back), moment=NOW))
    store.close()
    assert days_listed(capsys, "--since", "-2d") == ["2026-11-25", "2026-11-24", "2026-11-23"]
    assert days_listed(capsys, "--since", "yesterday")[-1] == "2026-11-24"
    assert days_listed(capsys, "--since", "3 days ago")[-1] == "2026-11-22"
    assert days_listed(capsys, "--since", "nov 20")[-1] == "2026-11-20"
    assert days_listed(capsys, "--since", "20 nov")[-1] == "2026-11-20"
    # 8. a weekday looking back is the most recent one, today included.
    assert days_listed(capsys, "--since", "monday")[-1] == "2026-11-23"
    assert days_listed(capsys, "--since", "wednesday") == ["2026-11-25"]
    assert days_listed(capsys, "--since", "last wednesday")[-1] == "2026-11-18"
    assert days_listed(capsys, "--since", "last friday", "--until", "last friday") == ["2026-11-20"]


# ---- 8. weekdays: back for an entry's day, ahead for a due date; ambiguity refused ------------


def test_add_on_a_weekday_files_the_most_recent_one(capsys, db_path):
    code, out, err = run(capsys, "add", "Friday's call", "--date", "friday")
    assert code == 0, err
    entry = Store.open(db_path).get(out.strip())
    assert entry.day == "2026-11-20"  # last Friday, not next


def test_an_ambiguous_date_is_refused_naming_both(capsys):
    code, _, err = run(capsys, "list", "--since", "5/11")
    assert code == 2
    assert "5 November 2026" in err and "11 May 2026" in err


# ---- 9. moving a follow-up: counted, late stays late, from the command line -------------------


def _with_follow_up(store: Store, due: date) -> Entry:
    entry = Entry.new(
        "A promise",
        kind="checkin",
        follow_up=FollowUp(action="Call Sam back", due=due.isoformat()),
        day=TODAY - timedelta(days=10),
        moment=NOW - timedelta(days=10),
    )
    store.add(entry)
    return entry


def test_moving_an_overdue_follow_up_keeps_it_late(store):
    kept = _with_follow_up(store, TODAY - timedelta(days=5))
    store.update(
        mark_done(kept, NOW - timedelta(days=6)), expected=None, touch=False
    )  # kept on time
    late = _with_follow_up(store, TODAY - timedelta(days=2))
    before = compute_stats(store, TODAY)
    assert (before.follow_ups_kept_on_time, before.follow_ups_settled) == (1, 2)
    moved = move_follow_up(late, TODAY + timedelta(days=2), NOW)
    assert moved.follow_up.moved == 1 and moved.follow_up.missed == "2026-11-23"
    store.update(moved, expected=None, touch=False)
    after = compute_stats(store, TODAY)
    assert after.kept_on_time_pct == before.kept_on_time_pct == 50
    assert (after.follow_ups_moved, after.follow_ups_moved_overdue) == (1, 1)
    assert after.follow_ups_overdue == 0  # not overdue any more: due in two days
    # Done by its new day: still late, since it had missed its first one.
    store.update(
        mark_done(store.get(late.uid), NOW + timedelta(days=1)), expected=None, touch=False
    )
    assert compute_stats(store, TODAY + timedelta(days=1)).kept_on_time_pct == 50
    # Moved again: the day it first missed stays.
    again = _with_follow_up(store, TODAY - timedelta(days=1))
    twice = move_follow_up(
        move_follow_up(again, TODAY, NOW), TODAY + timedelta(days=9), NOW + timedelta(days=2)
    )
    assert twice.follow_up.moved == 2 and twice.follow_up.missed == "2026-11-24"


def test_moving_a_follow_up_before_its_day_is_not_late(store):
    entry = _with_follow_up(store, TODAY + timedelta(days=1))
    moved = move_follow_up(entry, TODAY + timedelta(days=3), NOW)
    assert moved.follow_up.missed is None and moved.follow_up.moved == 1
    store.update(mark_done(moved, NOW + timedelta(days=2)), expected=None, touch=False)
    stats = compute_stats(store, TODAY + timedelta(days=2))
    assert stats.kept_on_time_pct == 100
    assert (stats.follow_ups_moved, stats.follow_ups_moved_overdue) == (1, 0)


def test_a_follow_up_never_moved_is_stored_as_before():
    assert FollowUp("x", "2026-11-25").to_dict() == {
        "action": "x",
        "due": "2026-11-25",
        "done": None,
        "note": "",
    }
    moved = FollowUp("x", "2026-11-25", moved=1, missed="2026-11-20")
    assert FollowUp.from_dict(moved.to_dict()) == moved


def test_journal_move_from_the_command_line(capsys, db_path):
    store = Store.open(db_path)
    entry = _with_follow_up(store, TODAY - timedelta(days=1))
    store.close()
    code, out, err = run(capsys, "move", entry.uid[:8], "friday")
    assert code == 0, err
    assert "Fri 27 Nov" in out and "counts as late" in out
    stored = Store.open(db_path).get(entry.uid)
    assert stored.follow_up.due == "2026-11-27"  # a due date: the next Friday
    assert [i.status for i in due_items(Store.open(db_path), TODAY)] == ["upcoming"]
    code, out, err = run(capsys, "stats")
    assert "Follow-ups moved" in out and "1 when already overdue" in out
    code, out, err = run(capsys, "move", "nothere", "friday")
    assert code == 2 and "no entry has the id" in err
    code, _, err = run(capsys, "move", entry.uid[:8], "whenever")
    assert code == 2 and "not a date" in err
