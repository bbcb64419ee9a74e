"""Parsing the dates people type: ISO dates, ``today``, ``tomorrow``, ``+3d``, weekday names."""

from __future__ import annotations

import re
from datetime import date, timedelta

from journal.errors import JournalError

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_REL_RE = re.compile(r"^([+-])\s*(\d{1,4})\s*([dwmy])$")
_UNIT_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}
HELP = "Use YYYY-MM-DD, today, tomorrow, yesterday, +3d, +2w, +3m, or a weekday name."


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
