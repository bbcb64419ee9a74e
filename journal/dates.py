"""Dates as people type them (ISO dates, ``today``, ``tomorrow``, ``+3d``, weekday names) and as
we write them back (``Tue 24 Nov``, ``in 5 days``)."""

from __future__ import annotations

import re
from datetime import date, timedelta

from journal.errors import JournalError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_REL_RE = re.compile(r"^([+-])\s*(\d{1,4})\s*([dwmy])$")
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
HELP = "Use YYYY-MM-DD, today, tomorrow, yesterday, +3d, +2w, +3m, or a weekday name."
#: Examples of the dates people can type (:func:`parse_date`), for hints beside date fields.
DATE_WORDS = "tomorrow, friday, +3d, +2w, 2026-12-01"


class DateError(JournalError, ValueError):
    """A date the user typed that we cannot understand."""


def parse_date(text: str, today: date) -> date:
    """Resolve ``text`` relative to ``today``; raise :class:`DateError` with a hint on nonsense.

    Weekday names mean the next such day after today (``friday`` on a Friday is a week ahead).
    """
    value = text.strip().casefold()
    if not value:
        raise DateError("No date given.", HELP)
    if value == "today":
        return today
    if value == "tomorrow":
        return today + timedelta(days=1)
    if value == "yesterday":
        return today - timedelta(days=1)
    match = _REL_RE.match(value)
    if match:
        sign, amount, unit = match.groups()
        days = int(amount) * _UNIT_DAYS[unit]
        try:
            return today + timedelta(days=days if sign == "+" else -days)
        except OverflowError:
            raise DateError(f"{text!r} is too far away.", HELP) from None
    if len(value) >= 3:
        hits = [i for i, name in enumerate(WEEKDAYS) if name.startswith(value)]
        if len(hits) == 1:
            ahead = (hits[0] - today.weekday() - 1) % 7 + 1
            return today + timedelta(days=ahead)
    if re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise DateError(f"{text!r} is not a real date.", HELP) from None
    raise DateError(f"{text!r} is not a date journal understands.", HELP)


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
