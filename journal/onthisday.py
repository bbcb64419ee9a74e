"""On this day: entries written on the same calendar day in earlier years.

A leap day has no date of its own in other years: there, 28 February also brings back the
entries of 29 February, so they are not skipped for three years in four.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from datetime import date

from journal.models import Entry

__all__ = ["is_on_this_day", "on_this_day"]


def _month_days(target: date) -> tuple[str, ...]:
    here = f"{target.month:02d}-{target.day:02d}"
    if (target.month, target.day) == (2, 28) and not calendar.isleap(target.year):
        return (here, "02-29")
    return (here,)


def is_on_this_day(day: str, target: date) -> bool:
    """Whether an entry of ``day`` (``YYYY-MM-DD``) is from ``target``'s day in an earlier year."""
    return day[5:] in _month_days(target) and day[:4] < f"{target.year:04d}"


def on_this_day(entries: Iterable[Entry], target: date) -> Iterator[Entry]:
    """The entries of ``entries`` written on ``target``'s day in earlier years, in their order."""
    wanted = _month_days(target)
    year = f"{target.year:04d}"
    for entry in entries:
        if entry.day[5:] in wanted and entry.day[:4] < year:
            yield entry
