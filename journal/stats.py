"""The numbers that matter after tough calls: promises kept, intensity before and after, and
how often I responded rather than reacted.

Domain code (no Textual). Everything is computed from entries and an explicit ``today``, so
tests can freeze the day and the insights screen can ask about any day.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from journal.checkin import REACTIONS, due_documents
from journal.errors import EntryError
from journal.models import Entry, parse_day, parse_timestamp

if TYPE_CHECKING:
    from journal.store import Store


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
    intensity_before_avg: float | None = None
    intensity_after_avg: float | None = None
    intensity_drop_avg: float | None = None
    intensity_pairs: int = 0
    reactions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REACTIONS, 0))
    reaction_pct: dict[str, float | None] = field(
        default_factory=lambda: dict.fromkeys(REACTIONS, None)
    )

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


def compute_stats(source: Store | Iterable[Entry], today: date) -> CheckinStats:
    """Count check-ins, follow-ups and reactions across ``source`` as of ``today``.

    Read from the stored fields (:func:`journal.checkin.due_documents`): no entry is built,
    so the numbers of a journal of thousands of check-ins take milliseconds. A follow-up whose
    dates do not parse is left out of the counts rather than failing them.
    """
    checkins = revisits = 0
    follow_ups = done = open_ = overdue = settled = kept = 0
    before: list[int] = []
    after: list[int] = []
    drops: list[int] = []
    reactions = dict.fromkeys(REACTIONS, 0)
    for doc, _build in due_documents(source):
        kind = doc.get("kind")
        if kind == "revisit":
            revisits += 1
        fu = doc.get("follow_up")
        if isinstance(fu, Mapping):
            try:
                due = parse_day(fu.get("due"), "follow_up.due")
                finished = _done_on(fu.get("done"))
            except EntryError:
                fu = None
        else:
            fu = None
        if fu is not None:
            follow_ups += 1
            if finished is not None:
                done += 1
                settled += 1
                if finished <= due:
                    kept += 1
            else:
                open_ += 1
                if due < today:
                    # Past its day and not done: a promise missed. One due today still
                    # has the rest of the day, so it does not count yet.
                    overdue += 1
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
    answered = sum(reactions.values())
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
        intensity_before_avg=_mean(before),
        intensity_after_avg=_mean(after),
        intensity_drop_avg=_mean(drops),
        intensity_pairs=len(drops),
        reactions=reactions,
        reaction_pct={k: _pct(v, answered) for k, v in reactions.items()},
    )
