"""The feed follows the moment: a year of a new journal and a year of a two-year-old one,
simulated day by day with a frozen clock, plus the rules one at a time."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any

import pytest

import journal.cli.common
import journal.cli.entries
from journal.cli import main
from journal.models import Entry
from journal.prompts import (
    AFTER_CALL,
    DAILY,
    LOOKBACK,
    WEEKLY,
    Moment,
    PromptFeed,
    PromptLibrary,
    in_kind,
    read_moment,
)
from journal.store import Store, make_filter

ZONE = timezone(timedelta(hours=1))
FRIDAY = 4


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


@dataclass
class FakeJournal:
    """The journal as the feed reads it, in memory (the store's own methods, over a list)."""

    items: list[Entry] = field(default_factory=list)

    def entries(
        self, flt: Any = None, *, limit: int | None = None, oldest_first: bool = False
    ) -> list[Entry]:
        if limit == 1 and oldest_first and self.items:
            return [min(self.items, key=lambda e: (e.day, e.created))]
        out = sorted(self.items, key=lambda e: (e.day, e.created), reverse=not oldest_first)
        return out[:limit] if limit else out

    def due_documents(self) -> list[tuple[int, dict[str, Any]]]:
        # As the store: only the entries that can be due (check-ins, revisits).
        return [
            (i, e.to_dict()) for i, e in enumerate(self.items) if e.kind in ("checkin", "revisit")
        ]

    def entry_from_document(self, doc_id: int, doc: dict[str, Any]) -> Entry | None:
        return self.items[doc_id]

    def between(self, since: date, until: date) -> Iterable[Entry]:
        lo, hi = since.isoformat(), until.isoformat()
        return [e for e in self.items if lo <= e.day <= hi]

    def uids(self) -> set[str]:
        return {e.uid for e in self.items}


def checkin(day: date, hour: int, *, revisit_days: int = 90) -> Entry:
    return Entry.new(
        "What happened: the delivery was late again.",
        title=f"Tough call {day}",
        kind="checkin",
        day=day,
        checkin={"intensity_before": 7, "intensity_after": 4},
        revisit_on=(day + timedelta(days=revisit_days)).isoformat(),
        moment=at(day, hour),
    )


def moment(j: FakeJournal, day: date, hour: int, weekday: int | None = FRIDAY) -> Moment:
    return read_moment(j, day, hour=hour, review_weekday=weekday, between=j.between)


@dataclass
class Tally:
    ordinary_non_daily: int = 0
    weekly_off_day: int = 0
    weekly_days: int = 0
    lookbacks: int = 0
    lookback_without_entry: int = 0
    checkins: int = 0
    after_call_missing: int = 0
    kinds: Counter[str] = field(default_factory=Counter)


def simulate(
    library: PromptLibrary, j: FakeJournal, start: date, days: int, checkin_every: int
) -> Tally:
    """Open the app each day as the app does (read the moment, take the feed's choice, log
    it), write most days, check in on some days, and tally what the feed offered."""
    log: list[dict[str, Any]] = []
    tally = Tally()
    for n in range(days):
        day = start + timedelta(days=n)
        hour = (7, 13, 20)[n % 3]
        m = moment(j, day, hour)
        chosen = PromptFeed(library, log).for_day(day, moment=m)
        assert chosen is not None
        prompt = chosen.prompt
        # Stable within the day: asking again gives the same prompt.
        assert PromptFeed(library, log).for_day(day, moment=m) == chosen
        log.append(
            {
                "day": day.isoformat(),
                "prompt": prompt.id,
                "pack": prompt.pack,
                "status": "shown",
                "at": at(day, hour).isoformat(),
            }
        )
        tally.kinds[chosen.kind] += 1
        assert in_kind(prompt, chosen.kind), (day, chosen.kind, prompt.id)
        if chosen.kind == WEEKLY:
            tally.weekly_days += 1
            tally.weekly_off_day += day.weekday() != FRIDAY
        elif chosen.kind == LOOKBACK:
            tally.lookbacks += 1
            look = chosen.lookback
            ok = look is not None and look.uid in j.uids()
            if ok and look is not None and look.why == "months":
                ok = 90 <= (day - date.fromisoformat(look.day)).days <= 96
            if ok and look is not None and look.why == "revisit":
                ok = look.since <= day
            tally.lookback_without_entry += not ok
        elif day.weekday() != FRIDAY and m.lookback_today() is None:
            tally.ordinary_non_daily += not in_kind(prompt, DAILY)
        if n % 7 not in (2, 5):
            j.items.append(Entry.new("A few lines.", day=day, moment=at(day, hour, 5)))
        if n % checkin_every == 3:
            for k in range(1 + (n % (checkin_every * 4) == 3)):  # now and then two in a day
                j.items.append(checkin(day, hour + 1 + k))
                tally.checkins += 1
                after = moment(j, day, hour + 1 + k)
                nxt = PromptFeed(library, log).for_day(day, moment=after)
                assert nxt is not None
                shown_today = {r["prompt"] for r in log if r["day"] == day.isoformat()}
                if (
                    nxt.kind != AFTER_CALL
                    or AFTER_CALL not in nxt.prompt.when
                    or nxt.logged
                    or nxt.prompt.id in shown_today
                ):
                    tally.after_call_missing += 1
                log.append(
                    {
                        "day": day.isoformat(),
                        "prompt": nxt.prompt.id,
                        "pack": nxt.prompt.pack,
                        "status": "shown",
                        "at": at(day, hour + 1 + k, 30).isoformat(),
                    }
                )
    return tally


def test_a_year_of_a_new_journal(library: PromptLibrary) -> None:
    start = date(2026, 11, 22)
    tally = simulate(library, FakeJournal(), start, 365, checkin_every=11)
    assert tally.ordinary_non_daily == 0
    assert tally.weekly_off_day == 0
    assert tally.weekly_days == 52  # every Friday of the year, and no other day
    assert tally.lookback_without_entry == 0
    assert tally.after_call_missing == 0 and tally.checkins > 30
    assert tally.lookbacks > 0  # once the journal is three months old they do come


def test_no_lookback_in_the_first_90_days(library: PromptLibrary) -> None:
    j = FakeJournal()
    start = date(2026, 11, 22)
    log: list[dict[str, Any]] = []
    for n in range(90):
        day = start + timedelta(days=n)
        j.items.append(checkin(day, 10, revisit_days=7))  # revisits due within the first weeks
        chosen = PromptFeed(library, log).for_day(day, moment=moment(j, day, 9))
        assert chosen is not None and chosen.kind != LOOKBACK
        assert LOOKBACK not in chosen.prompt.when


def test_a_year_of_a_two_year_old_journal(library: PromptLibrary) -> None:
    start = date(2026, 11, 22)
    j = FakeJournal()
    for n in range(730, 0, -1):
        day = start - timedelta(days=n)
        if n % 3:
            j.items.append(Entry.new("An older day.", day=day, moment=at(day, 19)))
        if n % 17 == 0:
            j.items.append(checkin(day, 12))
    tally = simulate(library, j, start, 365, checkin_every=6)
    assert tally.ordinary_non_daily == 0
    assert tally.weekly_off_day == 0 and tally.weekly_days == 52
    assert tally.lookback_without_entry == 0
    assert tally.lookbacks >= 52  # a look-back a week at least, each beside its entry
    assert tally.after_call_missing == 0 and tally.checkins > 55


def test_lookback_only_with_its_entry(library: PromptLibrary) -> None:
    start = date(2026, 1, 5)
    j = FakeJournal([Entry.new("First day.", day=start, moment=at(start, 9))])
    monday = date(2026, 6, 1)  # three days after Friday: the weekly look-back day
    assert monday.weekday() == 0
    # Old enough, but nothing about three months old: a daily prompt.
    chosen = PromptFeed(library).for_day(monday, moment=moment(j, monday, 9))
    assert chosen is not None and chosen.kind == DAILY
    old = Entry.new("The Brookside call.", title="Brookside", day=monday - timedelta(days=92))
    j.items.append(old)
    chosen = PromptFeed(library).for_day(monday, moment=moment(j, monday, 9))
    assert chosen is not None and chosen.kind == LOOKBACK and chosen.lookback is not None
    assert chosen.lookback.uid == old.uid and chosen.lookback.headline == "Brookside"
    assert chosen.reason == f"look-back of entry {old.uid}"
    # Tuesday is an ordinary day again.
    tuesday = monday + timedelta(days=1)
    chosen = PromptFeed(library).for_day(tuesday, moment=moment(j, tuesday, 9))
    assert chosen is not None and chosen.kind == DAILY


def test_due_revisit_brings_its_checkin_and_intensity(library: PromptLibrary) -> None:
    start = date(2026, 1, 5)
    j = FakeJournal([Entry.new("First day.", day=start, moment=at(start, 9))])
    call = checkin(date(2026, 3, 3), 11, revisit_days=91)  # due Wed 2 Jun 2026
    j.items.append(call)
    due = date(2026, 6, 2)
    chosen = PromptFeed(library).for_day(due, moment=moment(j, due, 9))
    assert chosen is not None and chosen.kind == LOOKBACK and chosen.lookback is not None
    assert chosen.lookback.uid == call.uid and chosen.lookback.intensity == (7, 4)
    # Once revisited it no longer comes back.
    j.items.append(Entry.new("Looked back.", kind="revisit", revisit_of=call.uid, day=due))
    later = due + timedelta(days=6)  # the next weekly look-back day (Monday)
    chosen = PromptFeed(library).for_day(later, moment=moment(j, later, 9))
    assert chosen is not None and chosen.kind != LOOKBACK


def test_weekly_review_on_the_configured_weekday(library: PromptLibrary) -> None:
    j = FakeJournal()
    tuesday = date(2026, 11, 24)
    friday = date(2026, 11, 27)
    feed = PromptFeed(library)
    assert feed.for_day(friday, moment=moment(j, friday, 9)).kind == WEEKLY
    assert feed.for_day(tuesday, moment=moment(j, tuesday, 9)).kind == DAILY
    assert feed.for_day(tuesday, moment=moment(j, tuesday, 9, weekday=1)).kind == WEEKLY
    assert feed.for_day(friday, moment=moment(j, friday, 9, weekday=None)).kind == DAILY


def test_after_a_checkin_the_next_prompt_is_for_a_tough_call(library: PromptLibrary) -> None:
    j = FakeJournal()
    day = date(2026, 11, 24)
    first = PromptFeed(library).for_day(day, moment=moment(j, day, 9))
    log = [
        {
            "day": day.isoformat(),
            "prompt": first.prompt.id,
            "status": "shown",
            "at": at(day, 9).isoformat(),
        }
    ]
    j.items.append(checkin(day, 14))
    after = PromptFeed(library, log).for_day(day, moment=moment(j, day, 14))
    assert after.kind == AFTER_CALL and not after.logged
    assert AFTER_CALL in after.prompt.when
    assert after.reason == "after a check-in today"
    # Once shown it stays, and "another one" stays after a tough call.
    log.append(
        {
            "day": day.isoformat(),
            "prompt": after.prompt.id,
            "status": "shown",
            "at": at(day, 14, 10).isoformat(),
        }
    )
    again = PromptFeed(library, log).for_day(day, moment=moment(j, day, 15))
    assert again.prompt == after.prompt and again.logged
    other = PromptFeed(library, log).another(day, after.prompt.id, moment=moment(j, day, 15))
    assert other is not None and other != after.prompt and AFTER_CALL in other.when


def test_morning_and_evening_hints(library: PromptLibrary) -> None:
    morning = [p for p in PromptFeed(library).pool(DAILY) if p.time == "morning"]
    evening = [p for p in PromptFeed(library).pool(DAILY) if p.time == "evening"]
    assert morning and evening
    day = date(2026, 11, 24)
    log: list[dict[str, Any]] = []
    for n in range(60):
        d = day + timedelta(days=n)
        for hour, wrong in ((8, "evening"), (21, "morning")):
            chosen = PromptFeed(library, log).for_day(
                d, moment=Moment(d, hour=hour, review_weekday=None)
            )
            assert chosen.prompt.time != wrong, (d, hour, chosen.prompt.id)


# ---- the CLI agrees with the app ---------------------------------------------------------------


@pytest.fixture
def frozen_cli(monkeypatch: pytest.MonkeyPatch) -> datetime:
    now = datetime(2026, 11, 27, 9, 30, tzinfo=ZONE)  # a Friday morning
    monkeypatch.setattr(journal.cli.common, "today", lambda: now.date())
    monkeypatch.setattr(journal.cli.entries, "now_local", lambda: now)
    return now


def cli_prompt(capsys: pytest.CaptureFixture[str], day: date) -> dict[str, Any]:
    assert main(["prompt", "--json", "--date", day.isoformat()]) == 0
    return json.loads(capsys.readouterr().out)


def test_cli_prompt_json_agrees_with_the_feed_on_a_real_journal(
    capsys: pytest.CaptureFixture[str], store: Store, library: PromptLibrary, frozen_cli: datetime
) -> None:
    start = date(2026, 1, 5)
    store.add(Entry.new("First day.", day=start, moment=at(start, 9)))
    old = store.add(Entry.new("Three months back.", title="Back then", day=date(2026, 8, 29)))
    call = store.add(checkin(date(2026, 12, 1), 11, revisit_days=90))
    store.close()
    days = {
        "ordinary": date(2026, 11, 25),
        "weekly": date(2026, 11, 27),
        "look-back": date(2026, 11, 30),
        "after a check-in": date(2026, 12, 1),
    }
    seen = {}
    for name, day in days.items():
        data = cli_prompt(capsys, day)
        s = Store.open(store.path)
        m = read_moment(
            s,
            day,
            hour=9,
            review_weekday=FRIDAY,
            between=lambda a, b, s=s: s.entries(make_filter(since=a, until=b)),
        )
        chosen = PromptFeed(library, s.prompt_log()).for_day(day, moment=m)
        s.close()
        assert chosen is not None
        assert data["id"] == chosen.prompt.id, name
        assert data["reason"] == chosen.to_dict(), name
        assert data["when"] == list(chosen.prompt.when)
        seen[name] = data["reason"]["kind"]
    assert seen == {
        "ordinary": DAILY,
        "weekly": WEEKLY,
        "look-back": LOOKBACK,
        "after a check-in": AFTER_CALL,
    }
    assert cli_prompt(capsys, days["look-back"])["reason"]["entry"]["uid"] == old.uid
    assert call.kind == "checkin"


def test_weekly_review_weekday_from_the_config(tmp_path) -> None:
    from journal.config import Settings, load_settings, parse_settings

    assert Settings().review_weekday == FRIDAY
    assert parse_settings({"prompts": {"weekly_review": "Monday"}}).review_weekday == 0
    assert parse_settings({"prompts": {"weekly_review": "sun"}}).review_weekday == 6
    assert parse_settings({"prompts": {"weekly_review": "off"}}).review_weekday is None
    path = tmp_path / "config.toml"
    path.write_text('[prompts]\nweekly_review = "someday"\n', "utf-8")
    settings, problem = load_settings(path)
    assert settings.review_weekday == FRIDAY and problem is not None
    assert "weekly_review" in problem.message and "line 2" in problem.message


def test_the_first_90_days_as_the_review_measured_them(library: PromptLibrary) -> None:
    """The issue's measure (``python -m tests.prompt_sim``): 33 of 90 wrong before the fix."""
    from tests.prompt_sim import simulate as first_days

    counts = first_days(library, date(2026, 11, 22), 90)
    assert counts.wrong_kind == 0, counts.examples
    # The only prompts without "daily" are the weekly-review ones on the 13 Fridays.
    assert counts.not_daily <= 13
    assert counts.by_when["revisit"] == 0
