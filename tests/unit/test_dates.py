"""Parsing the dates people type."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from journal.dates import HELP, WEEKDAYS, DateError, parse_date

# A Sunday.
TODAY = date(2026, 11, 22)
assert TODAY.weekday() == 6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-11-22", date(2026, 11, 22)),
        ("2024-02-29", date(2024, 2, 29)),
        ("1999-01-01", date(1999, 1, 1)),
        ("  2027-03-04  ", date(2027, 3, 4)),
    ],
)
def test_iso_dates(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize(
    ("text", "delta"),
    [
        ("today", 0),
        ("TODAY", 0),
        (" Today ", 0),
        ("tomorrow", 1),
        ("Tomorrow", 1),
        ("yesterday", -1),
        ("+3d", 3),
        ("+0d", 0),
        ("-1d", -1),
        ("+2w", 14),
        ("-2w", -14),
        ("+1m", 30),
        ("+3m", 90),
        ("+1y", 365),
        ("+ 3d", 3),
        ("+10D", 10),
        ("+400d", 400),
    ],
)
def test_relative_dates(text: str, delta: int) -> None:
    assert parse_date(text, TODAY) == TODAY + timedelta(days=delta)


def test_relative_dates_cross_month_and_year() -> None:
    assert parse_date("+10d", date(2026, 12, 25)) == date(2027, 1, 4)
    assert parse_date("-1d", date(2026, 3, 1)) == date(2026, 2, 28)


@pytest.mark.parametrize("index", range(7))
def test_weekday_names_mean_the_next_such_day(index: int) -> None:
    name = WEEKDAYS[index]
    for offset in range(7):
        today = TODAY + timedelta(days=offset)
        got = parse_date(name, today)
        assert got.weekday() == index
        assert 1 <= (got - today).days <= 7
        if today.weekday() == index:
            assert got == today + timedelta(days=7)  # a week ahead, never today


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mon", date(2026, 11, 23)),
        ("Tue", date(2026, 11, 24)),
        ("wed", date(2026, 11, 25)),
        ("thu", date(2026, 11, 26)),
        ("fri", date(2026, 11, 27)),
        ("sat", date(2026, 11, 28)),
        ("sun", date(2026, 11, 29)),  # today is Sunday: next week's
        ("sunday", date(2026, 11, 29)),
        ("FRIDAY", date(2026, 11, 27)),
        ("thurs", date(2026, 11, 26)),
        ("wednes", date(2026, 11, 25)),
    ],
)
def test_weekday_names_and_prefixes(text: str, expected: date) -> None:
    assert parse_date(text, TODAY) == expected


def test_friday_on_a_friday_is_a_week_ahead() -> None:
    friday = date(2026, 11, 27)
    assert parse_date("friday", friday) == date(2026, 12, 4)
    assert parse_date("fri", friday) == date(2026, 12, 4)
    assert parse_date("sat", friday) == date(2026, 11, 28)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "nonsense",
        "2026-02-30",
        "2026-13-01",
        "20261122",
        "mo",  # too short to be sure
        "t",
        "fr",
        "frid4y",
        "3d",
        "+3",
        "+3x",
        "++3d",
        "+12345d",
        "next fr",
        "last",
        "3 days",
        "in 3 parsecs",
        "31 feb",
        "feb 30 2026",
        "ju 5",  # june or july?
        "5/13/26",  # a two-digit year
        "+9999y",  # past the year 9999
        "-9999y",
    ],
)
def test_nonsense_raises_with_a_hint(text: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(text, TODAY)
    assert info.value.hint == HELP
    assert "YYYY-MM-DD" in str(info.value)


def test_bad_iso_date_says_not_real() -> None:
    with pytest.raises(DateError, match="not a real date"):
        parse_date("2026-02-30", TODAY)


def test_date_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_date("whenever", TODAY)


# ---- issue 18: which way a weekday points, and the forms the README lists ------------------


@pytest.mark.parametrize("index", range(7))
def test_a_weekday_looking_back_is_the_most_recent_today_included(index: int) -> None:
    name = WEEKDAYS[index]
    for offset in range(7):
        today = TODAY + timedelta(days=offset)
        got = parse_date(name, today, "past")
        assert got.weekday() == index
        assert 0 <= (today - got).days <= 6


def test_friday_on_a_wednesday() -> None:
    wednesday = date(2026, 11, 25)
    assert parse_date("friday", wednesday, "past") == date(2026, 11, 20)
    assert parse_date("friday", wednesday) == date(2026, 11, 27)
    assert parse_date("wednesday", wednesday, "past") == wednesday
    assert parse_date("last friday", wednesday) == date(2026, 11, 20)
    assert parse_date("next friday", wednesday, "past") == date(2026, 11, 27)
    assert parse_date("last wednesday", wednesday) == date(2026, 11, 18)
    assert parse_date("next wed", wednesday) == date(2026, 12, 2)


@pytest.mark.parametrize(
    ("text", "towards", "expected"),
    [
        ("dec 5", "past", date(2025, 12, 5)),
        ("dec 5", "future", date(2026, 12, 5)),
        ("5 dec", "future", date(2026, 12, 5)),
        ("5 December", "past", date(2025, 12, 5)),
        ("December 5, 2024", "past", date(2024, 12, 5)),
        ("5th dec 2027", "past", date(2027, 12, 5)),
        ("nov 22", "past", TODAY),
        ("nov 22", "future", TODAY),
        ("sept 1", "past", date(2026, 9, 1)),
        ("feb 29", "future", date(2028, 2, 29)),
        ("feb 29", "past", date(2024, 2, 29)),
        ("3 days ago", "future", date(2026, 11, 19)),
        ("in 3 days", "past", date(2026, 11, 25)),
        ("1 day ago", "past", date(2026, 11, 21)),
        ("in 2 weeks", "past", date(2026, 12, 6)),
        ("2 weeks ago", "past", date(2026, 11, 8)),
        ("in  3   days", "past", date(2026, 11, 25)),
        ("yesterday", "past", date(2026, 11, 21)),
        ("22/11/2026", "past", TODAY),
        ("2026/11/22", "past", TODAY),
        ("13/5", "past", date(2026, 5, 13)),
        ("5/13", "past", date(2026, 5, 13)),
        ("5/5", "past", date(2026, 5, 5)),
    ],
)
def test_the_readme_forms(text: str, towards, expected: date) -> None:
    assert parse_date(text, TODAY, towards) == expected


@pytest.mark.parametrize("text", ["5/12", "05/12/2026", "1.2.2027"])
def test_a_date_that_could_mean_two_things_is_refused_naming_both(text: str) -> None:
    with pytest.raises(DateError) as info:
        parse_date(text, TODAY, "future")
    message = info.value.message
    assert "could mean" in message
    day, month = (int(x) for x in text.split("/" if "/" in text else ".")[:2])
    assert f"{day} {date(2026, month, 1):%B}" in message
    assert f"{month} {date(2026, day, 1):%B}" in message


def test_a_real_date_only_once() -> None:
    with pytest.raises(DateError, match="not a real date"):
        parse_date("31 feb", TODAY)
    with pytest.raises(DateError, match="not a real date"):
        parse_date("2026/02/30", TODAY)


# ---- issue 18, item 6: the example dates beside a due-date field are never in the past ------


@pytest.mark.parametrize("offset", [0, 9, 40, 200, 365 * 3])
def test_the_date_examples_never_name_a_past_day(offset: int) -> None:
    """The move dialog (DATE_WORDS) and the check-in's "By when" field show examples that, typed
    as a due date, all land today or later, whatever day it is (a fixed ISO date once showed)."""
    from journal.dates import DATE_WORDS
    from journal.tui.widgets.checkin_steps import date_examples

    today = TODAY + timedelta(days=offset)
    for examples in (DATE_WORDS, date_examples(today)):
        for word in examples.split(", "):
            assert parse_date(word, today, "future") >= today, (examples, word)
