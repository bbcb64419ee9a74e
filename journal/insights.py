"""Pictures of a journal, as numbers: a year of written days, gentle counts, prompts per theme.

Domain code (no Textual). No streaks: a day without writing is a rest day, not a failure.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

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
