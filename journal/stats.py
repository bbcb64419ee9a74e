"""A journal as numbers: the ones that matter after tough calls (promises kept, ratings
before, after and at the look-back, the feelings named most, what I did first), and the
pictures of the insights screen (a year of written days, gentle counts, prompts per theme).

Domain code (no Textual). Everything is computed from entries and an explicit ``today``, so
tests can freeze the day and the insights screen can ask about any day. No streaks: a day
without writing is a rest day, not a failure.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any

from journal.checkin import REACTIONS
from journal.due import Source, due_documents
from journal.errors import EntryError
from journal.models import parse_day, parse_timestamp

# ---- after tough calls ------------------------------------------------------------------

#: How many of the most frequent feeling words the stats name.
TOP_FEELINGS = 5


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _mean(values: list[int]) -> float | None:
    return round(sum(values) / len(values), 2) if values else None


@dataclass(frozen=True)
class CheckinStats:
    """Counts and rates as of ``today``. A rate is ``None`` when there is nothing to rate yet.

    Follow-ups "kept on time" are those marked done on or before their due day. The rate is
    taken over the follow-ups that are settled: done (a promise kept early counts as soon as
    it is kept) or past their due day. One due today and still open does not count yet.
    """

    today: str
    checkins: int = 0
    revisits: int = 0
    follow_ups: int = 0
    follow_ups_done: int = 0
    follow_ups_open: int = 0
    follow_ups_overdue: int = 0
    follow_ups_settled: int = 0
    follow_ups_kept_on_time: int = 0
    kept_on_time_pct: float | None = None
    #: Follow-ups whose day was moved, and of those how many were already overdue then
    #: (those count as late, wherever they were moved to).
    follow_ups_moved: int = 0
    follow_ups_moved_overdue: int = 0
    intensity_before_avg: float | None = None
    intensity_after_avg: float | None = None
    intensity_drop_avg: float | None = None
    intensity_pairs: int = 0
    reactions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REACTIONS, 0))
    reaction_pct: dict[str, float | None] = field(
        default_factory=lambda: dict.fromkeys(REACTIONS, None)
    )
    #: The feeling words named most often, most first: ``[{"word", "count"}]``.
    feelings_top: list[dict[str, Any]] = field(default_factory=list)
    #: Check-ins rated again at their look-back, oldest first:
    #: ``[{"uid", "day", "first", "last", "revisit"}]`` (``first``/``last`` may be None).
    revisit_stings: list[dict[str, Any]] = field(default_factory=list)
    revisit_sting_avg: float | None = None

    @property
    def responded_pct(self) -> float | None:
        """How often I responded, of the check-ins that answered the question."""
        return self.reaction_pct.get("responded")

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form (for ``journal stats --json``)."""
        return asdict(self)

    def summary(self) -> str:
        """One short line for the app: only the numbers that exist yet."""
        parts: list[str] = []
        if self.kept_on_time_pct is not None:
            parts.append(
                f"follow-ups kept on time {self.kept_on_time_pct:.0f}% "
                f"({self.follow_ups_kept_on_time}/{self.follow_ups_settled})"
            )
        if self.intensity_before_avg is not None and self.intensity_after_avg is not None:
            parts.append(
                f"intensity {self.intensity_before_avg:.1f} → {self.intensity_after_avg:.1f}"
            )
        if self.responded_pct is not None:
            parts.append(f"responded {self.responded_pct:.0f}%")
        return " · ".join(parts)


def _intensity(value: Any) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        return None
    return value


def _done_on(done: Any) -> date | None:
    """The local day a stored ``follow_up.done`` timestamp falls on (its own UTC offset)."""
    return None if done is None else parse_timestamp(done, "follow_up.done").date()


def compute_stats(source: Source, today: date) -> CheckinStats:
    """Count check-ins, follow-ups and reactions across ``source`` as of ``today``.

    Read from the stored fields (:func:`journal.due.due_documents`): no entry is built,
    however many check-ins the journal holds. A follow-up whose dates do not parse is left
    out of the counts rather than failing them.
    """
    checkins = revisits = 0
    follow_ups = done = open_ = overdue = settled = kept = moved = moved_overdue = 0
    before: list[int] = []
    after: list[int] = []
    drops: list[int] = []
    reactions = dict.fromkeys(REACTIONS, 0)
    feelings: Counter[str] = Counter()
    stings: list[dict[str, Any]] = []
    for doc, _build in due_documents(source):
        kind = doc.get("kind")
        if kind == "revisit":
            revisits += 1
        fu = doc.get("follow_up")
        if isinstance(fu, Mapping):
            try:
                due = parse_day(fu.get("due"), "follow_up.due")
                finished = _done_on(fu.get("done"))
                missed = fu.get("missed")
                # Moved when already overdue: judged by the day it missed.
                judged = due if missed is None else min(due, parse_day(missed, "follow_up.missed"))
            except EntryError:
                fu = None
        else:
            fu = None
        if fu is not None:
            follow_ups += 1
            times = fu.get("moved")
            if type(times) is int and times > 0:
                moved += 1
                moved_overdue += fu.get("missed") is not None
            if finished is not None:
                done += 1
                settled += 1
                if finished <= judged:
                    kept += 1
            else:
                open_ += 1
                if due < today:
                    overdue += 1
                if judged < today:
                    # Past its day and not done: a promise missed. One due today still
                    # has the rest of the day, so it does not count yet.
                    settled += 1
        answers = doc.get("checkin")
        if kind != "checkin" or not isinstance(answers, Mapping):
            continue
        checkins += 1
        b = _intensity(answers.get("intensity_before"))
        a = _intensity(answers.get("intensity_after"))
        if b is not None:
            before.append(b)
        if a is not None:
            after.append(a)
        if a is not None and b is not None:
            drops.append(b - a)
        reaction = answers.get("reaction")
        if isinstance(reaction, str) and reaction in reactions:
            reactions[reaction] += 1
        words = answers.get("feelings")
        if isinstance(words, list):
            feelings.update({w for w in words if isinstance(w, str) and w})
        sting = _intensity(answers.get("intensity_revisit"))
        if sting is not None:
            stings.append(
                {
                    "uid": doc.get("uid"),
                    "day": doc.get("day"),
                    "first": b,
                    "last": a,
                    "revisit": sting,
                }
            )
    answered = sum(reactions.values())
    stings.sort(key=lambda s: str(s["day"]))
    return CheckinStats(
        today=today.isoformat(),
        checkins=checkins,
        revisits=revisits,
        follow_ups=follow_ups,
        follow_ups_done=done,
        follow_ups_open=open_,
        follow_ups_overdue=overdue,
        follow_ups_settled=settled,
        follow_ups_kept_on_time=kept,
        kept_on_time_pct=_pct(kept, settled),
        follow_ups_moved=moved,
        follow_ups_moved_overdue=moved_overdue,
        intensity_before_avg=_mean(before),
        intensity_after_avg=_mean(after),
        intensity_drop_avg=_mean(drops),
        intensity_pairs=len(drops),
        reactions=reactions,
        reaction_pct={k: _pct(v, answered) for k, v in reactions.items()},
        feelings_top=[
            {"word": word, "count": count}
            for word, count in sorted(feelings.items(), key=lambda kv: (-kv[1], kv[0]))[
                :TOP_FEELINGS
            ]
        ],
        revisit_stings=stings,
        revisit_sting_avg=_mean([s["revisit"] for s in stings]),
    )


# ---- the calendar and the gentle counts ------------------------------------------------

LEVELS = 4


def shade_levels(chars_by_day: Mapping[str, int]) -> dict[str, int]:
    """Map each written day to a shade 1..LEVELS by how much was written (quartiles).

    Relative to the writer's own days, so a short-form journaler still sees contrast.
    """
    amounts = sorted(v for v in chars_by_day.values() if v > 0)
    if not amounts:
        return {}
    cuts = [amounts[min(len(amounts) - 1, (len(amounts) * q) // LEVELS)] for q in (1, 2, 3)]
    levels: dict[str, int] = {}
    for day, amount in chars_by_day.items():
        if amount <= 0:
            levels[day] = 1
            continue
        levels[day] = 1 + sum(amount > cut for cut in cuts)
    return levels


def year_weeks(year: int) -> list[list[date | None]]:
    """Columns of a contribution graph: weeks (Monday first) covering ``year``.

    Days outside the year are None so the grid stays rectangular.
    """
    first = date(year, 1, 1)
    start = first - timedelta(days=first.weekday())
    last = date(year, 12, 31)
    weeks: list[list[date | None]] = []
    day = start
    while day <= last:
        week: list[date | None] = []
        for _ in range(7):
            week.append(day if day.year == year else None)
            day += timedelta(days=1)
        weeks.append(week)
    return weeks


@dataclass(frozen=True)
class GentleCounts:
    """Days written, without streaks: this month, this year, and in all."""

    month_days: int
    month_length_so_far: int
    year_days: int
    year_length_so_far: int
    all_days: int

    def sentence(self) -> str:
        """One kind line about it."""
        return (
            f"You wrote on {self.month_days} of {self.month_length_so_far} days this month "
            f"and {self.year_days} of {self.year_length_so_far} this year. "
            "Days off are part of it."
        )


def gentle_counts(chars_by_day: Mapping[str, int], today: date) -> GentleCounts:
    """Count written days up to ``today`` in its month and year."""
    month_prefix = today.strftime("%Y-%m-")
    year_prefix = today.strftime("%Y-")
    limit = today.isoformat()
    written = [d for d, n in chars_by_day.items() if d <= limit]
    return GentleCounts(
        month_days=sum(1 for d in written if d.startswith(month_prefix)),
        month_length_so_far=today.day,
        year_days=sum(1 for d in written if d.startswith(year_prefix)),
        year_length_so_far=today.timetuple().tm_yday,
        all_days=len(written),
    )


def by_theme(answered_by_pack: Mapping[str, int], pack_themes: Mapping[str, str]) -> dict[str, int]:
    """Answered prompts per theme, most first (packs no longer installed count as 'other')."""
    out: dict[str, int] = {}
    for pack, count in answered_by_pack.items():
        theme = pack_themes.get(pack, "other")
        out[theme] = out.get(theme, 0) + count
    return dict(sorted(out.items(), key=lambda kv: (-kv[1], kv[0])))


def bar(fraction: float, width: int) -> str:
    """A text bar of ``width`` cells, filled to ``fraction`` (0..1), eighths for smoothness."""
    fraction = max(0.0, min(1.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    partial = " ▏▎▍▌▋▊▉"[part] if part else ""
    return ("█" * full + partial).ljust(width, " ")


SPARKS = "▁▂▃▄▅▆▇█"


def spark(values: list[int], low: int = 0, high: int = 10) -> str:
    """A one-line sparkline on a fixed scale, so two series can be compared by eye."""
    span = high - low or 1
    out = []
    for value in values:
        clipped = max(low, min(high, value))
        out.append(SPARKS[round((clipped - low) / span * (len(SPARKS) - 1))])
    return "".join(out)
