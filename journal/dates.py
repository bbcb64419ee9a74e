"""Dates as people type them (ISO dates, ``today``, ``+3d``, ``3 days ago``, ``last friday``,
``dec 5``) and as we write them back (``Tue 24 Nov``, ``in 5 days``).

Small on purpose: the forms the README lists and nothing that needs a guess. Date libraries
that read free text (dateparser, parsedatetime) are far larger and guess where we refuse.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Literal

from journal.errors import JournalError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
_UNIT_WORDS = {"day": "d", "days": "d", "week": "w", "weeks": "w", "month": "m", "months": "m"}
_UNIT_WORDS |= {"year": "y", "years": "y"}
_REL_RE = re.compile(r"^([+-])\s*(\d{1,4})\s*([dwmy])$")
_AGO_RE = re.compile(r"^(\d{1,4})\s+([a-z]+)\s+ago$")
_IN_RE = re.compile(r"^in\s+(\d{1,4})\s+([a-z]+)$")
_DAY_MONTH_RE = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?(?:,?\s+(\d{4}))?$")
_MONTH_DAY_RE = re.compile(r"^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?$")
_NUMERIC_RE = re.compile(r"^(\d{1,4})[/.](\d{1,2})(?:[/.](\d{2,4}))?$")
HELP = (
    "Use YYYY-MM-DD, today, yesterday, tomorrow, a weekday (friday, last friday, next friday), "
    "dec 5 or 5 dec, 3 days ago, in 3 days, -2w or +3d."
)
#: Examples of the dates people can type (:func:`parse_date`), for hints beside date fields.
DATE_WORDS = "tomorrow, friday, in 3 days, +2w, dec 5"

#: Which way a bare weekday or month-and-day points: an entry's day and a ``--since`` look
#: back (the most recent one, today included); a due date looks ahead (the next one).
Towards = Literal["past", "future"]


class DateError(JournalError, ValueError):
    """A date the user typed that we cannot understand."""


def parse_date(text: str, today: date, towards: Towards = "future") -> date:
    """Resolve ``text`` relative to ``today``; raise :class:`DateError` with a hint on nonsense.

    ``towards`` says what a bare weekday or month and day means: ``"future"`` (a due date) the
    next one after today (``friday`` on a Friday is a week ahead; ``dec 5`` the next 5 Dec, today
    included), ``"past"`` (an entry's day, ``--since``) the most recent one, today included.
    ``last friday`` is always before today and ``next friday`` always after it. A date that
    could be read two ways (``5/12``) is refused with both readings.
    """
    value = " ".join(text.strip().casefold().split())
    if not value:
        raise DateError("No date given.", HELP)
    try:
        found = _parse(value, today, towards)
    except (OverflowError, ValueError):
        raise DateError(f"{text.strip()!r} is too far away.", HELP) from None
    if isinstance(found, str):
        raise DateError(found.format(text=repr(text.strip())), HELP)
    if found is None:
        raise DateError(f"{text.strip()!r} is not a date journal understands.", HELP)
    return found


def _parse(value: str, today: date, towards: Towards) -> date | str | None:
    """The date, a message (``{text}`` for what was typed) or None when it is no date at all."""
    named = {"today": 0, "tomorrow": 1, "yesterday": -1}
    if value in named:
        return today + timedelta(days=named[value])
    match = _REL_RE.match(value)
    if match:
        sign, amount, unit = match.groups()
        days = int(amount) * _UNIT_DAYS[unit]
        return today + timedelta(days=days if sign == "+" else -days)
    match = _AGO_RE.match(value) or _IN_RE.match(value)
    if match and match.group(2) in _UNIT_WORDS:
        days = int(match.group(1)) * _UNIT_DAYS[_UNIT_WORDS[match.group(2)]]
        return today + timedelta(days=-days if value.endswith("ago") else days)
    first, _, rest = value.partition(" ")
    if first in ("last", "next") and _weekday(rest) is not None:
        return _weekday_from(today, _weekday(rest) or 0, "past" if first == "last" else "future")
    if _weekday(value) is not None:
        index = _weekday(value) or 0
        if towards == "past":
            return today - timedelta(days=(today.weekday() - index) % 7)
        return _weekday_from(today, index, "future")
    if re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return "{text} is not a real date."
    match = _DAY_MONTH_RE.match(value)
    if match and _month(match.group(2)):
        return _month_day(
            today, _month(match.group(2)), int(match.group(1)), match.group(3), towards
        )
    match = _MONTH_DAY_RE.match(value)
    if match and _month(match.group(1)):
        return _month_day(
            today, _month(match.group(1)), int(match.group(2)), match.group(3), towards
        )
    match = _NUMERIC_RE.match(value)
    if match:
        return _numeric(today, *match.groups(), towards=towards)
    return None


def _weekday(word: str) -> int | None:
    """The weekday a name or a prefix of three letters or more means (``thurs``: 3)."""
    if len(word) < 3:
        return None
    hits = [i for i, name in enumerate(WEEKDAYS) if name.startswith(word)]
    return hits[0] if len(hits) == 1 else None


def _weekday_from(today: date, index: int, towards: Towards) -> date:
    """The first such weekday strictly after today (future) or strictly before it (past)."""
    if towards == "future":
        return today + timedelta(days=(index - today.weekday() - 1) % 7 + 1)
    return today - timedelta(days=(today.weekday() - index - 1) % 7 + 1)


def _month(word: str) -> int:
    """1-12 for a month's name or its first three letters or more (``sept``), else 0."""
    if len(word) < 3:
        return 0
    hits = [i + 1 for i, name in enumerate(MONTHS) if name.startswith(word)]
    return hits[0] if len(hits) == 1 else 0


def _month_day(today: date, month: int, day: int, year: str | None, towards: Towards) -> date | str:
    """A month and day: in the year given, else the nearest one on the ``towards`` side."""
    try:
        if year:
            return date(int(year), month, day)
        found = _nearest(today, month, day, towards)
    except ValueError:
        return "{text} is not a real date."
    return found


def _nearest(today: date, month: int, day: int, towards: Towards) -> date:
    """The ``month``/``day`` nearest today on the ``towards`` side, today included."""
    step = 1 if towards == "future" else -1
    for year in range(today.year, today.year + 9 * step, step):  # 29 Feb: up to 8 years
        try:
            found = date(year, month, day)
        except ValueError:
            if (month, day) != (2, 29):
                raise
            continue
        if (found >= today) if towards == "future" else (found <= today):
            return found
    raise ValueError(f"no {month}/{day}")


def _numeric(today: date, a: str, b: str, c: str | None, *, towards: Towards) -> date | str | None:
    """``2026/11/22``, ``22/11/2026``, ``22/11``: one reading, or a message naming both."""
    if len(a) == 4:  # year first: only year, month, day
        if c is None:
            return None
        try:
            return date(int(a), int(b), int(c))
        except ValueError:
            return "{text} is not a real date."
    if c is not None and len(c) != 4:
        return None  # a two-digit year is one guess too many
    readings: list[date] = []
    for day, month in ((int(a), int(b)), (int(b), int(a))):
        try:
            found = date(int(c), month, day) if c else _nearest(today, month, day, towards)
        except ValueError:
            continue
        if found not in readings:
            readings.append(found)
    if not readings:
        return "{text} is not a real date."
    if len(readings) > 1:
        one, two = readings
        return (
            "{text} could mean "
            + f"{long_day(one)} or {long_day(two)}: write it as {one.isoformat()} or "
            + f"{two.isoformat()}, or as {one.day} {one:%b} or {two.day} {two:%b}."
        )
    return readings[0]


# ---- writing dates back ------------------------------------------------------------------


def as_date(day: date | str) -> date:
    """A day given as a date or as ``YYYY-MM-DD``."""
    return day if isinstance(day, date) else date.fromisoformat(day)


def long_day(day: date | str) -> str:
    """``Tuesday 24 November 2026``."""
    d = as_date(day)
    return f"{d:%A} {d.day} {d:%B %Y}"


def short_day(day: date | str) -> str:
    """``Tue 24 Nov``."""
    d = as_date(day)
    return f"{d:%a} {d.day} {d:%b}"


def relative_day(day: date, today: date) -> str:
    """``today``, ``tomorrow``, ``in 5 days``, ``3 days ago``."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"in {delta} days" if delta > 0 else f"{-delta} days ago"
