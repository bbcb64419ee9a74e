"""The first 90 days of a new journal, as the content review measured them (issue 16).

Run ``python -m tests.prompt_sim`` (options: ``--days``, ``--start``). Each day the app is
opened once, at a morning, midday or evening hour in turn, the day's prompt is taken from the
feed and logged as shown, and an entry is written on five days out of seven; there are no
check-ins, so no day calls for an after-a-tough-call prompt. It prints:

- ``not daily``: prompts shown whose ``when`` does not include ``daily`` (the review's count);
- ``wrong kind``: prompts that do not fit the day: a look-back (``revisit``) prompt in a
  journal younger than 90 days or without the entry it is about, else on the review weekday
  (Friday) a prompt that is not a weekly-review one, on any other day one that is not daily.

It uses only ``PromptFeed.for_day(day)`` when the feed has no ``read_moment`` (the feed as it
was before issue 16), so the same script measures the old code too: put an old checkout's
``journal`` and ``prompts`` first on ``PYTHONPATH``.
"""

from __future__ import annotations

import argparse
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

from journal import prompts as feed_module
from journal.models import Entry
from journal.prompts import PromptFeed, PromptLibrary

FRIDAY = 4
ZONE = timezone(timedelta(hours=1))


@dataclass
class MiniJournal:
    """The few reads the feed makes of a journal, over a list."""

    items: list[Entry] = field(default_factory=list)

    def entries(
        self, flt: Any = None, *, limit: int | None = None, oldest_first: bool = False
    ) -> list[Entry]:
        out = sorted(self.items, key=lambda e: (e.day, e.created), reverse=not oldest_first)
        return out[:limit] if limit else out

    def due_documents(self) -> list[tuple[int, dict[str, Any]]]:
        return [(i, e.to_dict()) for i, e in enumerate(self.items) if e.kind == "checkin"]

    def entry_from_document(self, doc_id: int, doc: dict[str, Any]) -> Entry | None:
        return self.items[doc_id]

    def between(self, since: date, until: date) -> Iterable[Entry]:
        lo, hi = since.isoformat(), until.isoformat()
        return [e for e in self.items if lo <= e.day <= hi]


@dataclass
class Counts:
    """What the simulation saw."""

    days: int = 0
    not_daily: int = 0
    wrong_kind: int = 0
    by_when: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)


def simulate(library: PromptLibrary, start: date, days: int) -> Counts:
    """Open a new journal's app once a day for ``days`` days from ``start``."""
    journal = MiniJournal()
    log: list[dict[str, Any]] = []
    counts = Counts(days=days)
    read_moment = getattr(feed_module, "read_moment", None)
    for n in range(days):
        day = start + timedelta(days=n)
        hour = (7, 13, 20)[n % 3]
        feed = PromptFeed(library, log)
        if read_moment is None:
            chosen = feed.for_day(day)
        else:
            moment = read_moment(
                journal, day, hour=hour, review_weekday=FRIDAY, between=journal.between
            )
            chosen = feed.for_day(day, moment=moment)
        assert chosen is not None
        prompt = chosen.prompt
        when = set(prompt.when)
        counts.by_when[" + ".join(prompt.when)] += 1
        counts.not_daily += "daily" not in when
        if "revisit" in when:
            # A look-back fits only beside its entry, in a journal at least 90 days old.
            fits = n >= 90 and getattr(chosen, "lookback", None) is not None
        elif day.weekday() == FRIDAY:
            fits = "weekly-review" in when
        else:
            fits = "daily" in when
        if not fits:
            counts.wrong_kind += 1
            counts.examples.append(f"day {n + 1} ({day:%a}): {prompt.id} {list(prompt.when)}")
        stamp = datetime.combine(day, time(hour), tzinfo=ZONE)
        log.append(
            {
                "day": day.isoformat(),
                "prompt": prompt.id,
                "pack": prompt.pack,
                "status": "shown",
                "at": stamp.isoformat(),
            }
        )
        if n % 7 not in (2, 5):
            journal.items.append(Entry.new("A few lines.", day=day, moment=stamp))
    return counts


def main(argv: list[str] | None = None) -> int:
    """Print the counts of the simulation."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2026, 11, 22))
    args = parser.parse_args(argv)
    library = PromptLibrary.load(user_dir=None)
    counts = simulate(library, args.start, args.days)
    print(f"{counts.days} days from {args.start} ({len(library.prompts())} prompts)")
    print(f"not daily: {counts.not_daily} of {counts.days}")
    print(f"wrong kind: {counts.wrong_kind} of {counts.days}")
    for when, number in counts.by_when.most_common():
        print(f"  {number:3d}  when = {when}")
    for line in counts.examples[:5]:
        print(f"  e.g. {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
