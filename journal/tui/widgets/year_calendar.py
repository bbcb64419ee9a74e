"""A year of days as a contribution graph: one cell per day, shaded by how much was written."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date, timedelta

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.widget import Widget

from journal.stats import year_weeks

LABEL_WIDTH = 4
WEEKDAY_LABELS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


class YearCalendar(Widget, can_focus=True):
    """Move with the arrow keys; the highlighted day is announced with :class:`DayHighlighted`."""

    BINDINGS = [
        Binding("left", "move(-7)", "Week back", show=False),
        Binding("right", "move(7)", "Week on", show=False),
        Binding("up", "move(-1)", "Day back", show=False),
        Binding("down", "move(1)", "Day on", show=False),
        Binding("pageup", "year(-1)", "Year back", show=False),
        Binding("pagedown", "year(1)", "Year on", show=False),
        Binding("home", "go_today", "Today", show=False),
    ]

    COMPONENT_CLASSES = {
        "year-calendar--empty",
        "year-calendar--level-1",
        "year-calendar--level-2",
        "year-calendar--level-3",
        "year-calendar--level-4",
        "year-calendar--today",
        "year-calendar--cursor",
        "year-calendar--label",
    }

    class DayHighlighted(Message):
        """The cursor moved to ``day``."""

        def __init__(self, calendar_widget: YearCalendar, day: date) -> None:
            super().__init__()
            self.calendar_widget = calendar_widget
            self.day = day

        @property
        def control(self) -> YearCalendar:
            """The calendar (for ``@on`` selectors)."""
            return self.calendar_widget

    cursor: reactive[date] = reactive(date(2000, 1, 1))

    def __init__(
        self,
        today: date,
        levels: Mapping[str, int],
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.today = today
        self.levels = dict(levels)
        self.set_reactive(YearCalendar.cursor, today)

    # ---- data -----------------------------------------------------------------------------

    def set_levels(self, levels: Mapping[str, int]) -> None:
        """New shading (after the journal changed)."""
        self.levels = dict(levels)
        self.refresh()

    @property
    def year(self) -> int:
        """The year on show: the cursor's."""
        return self.cursor.year

    def _cell_width(self) -> int:
        weeks = len(year_weeks(self.year))
        return 2 if self.size.width >= LABEL_WIDTH + weeks * 2 else 1

    def get_content_width(self, container: Size, viewport: Size) -> int:
        """Two columns per week when there is room, else one."""
        weeks = len(year_weeks(self.year))
        wide = LABEL_WIDTH + weeks * 2
        return wide if container.width >= wide else LABEL_WIDTH + weeks

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """A month-label row and seven weekday rows."""
        return 8

    # ---- drawing --------------------------------------------------------------------------

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"year-calendar--{name}", partial=False)

    def render_line(self, y: int) -> Strip:
        """Row 0: month labels; rows 1-7: Monday to Sunday."""
        weeks = year_weeks(self.year)
        cell = self._cell_width()
        label_style = self._style("label")
        if y == 0:
            return Strip([Segment(self._month_row(weeks, cell), label_style)])
        if y > 7:
            return Strip.blank(self.size.width)
        weekday = y - 1
        segments = [Segment(WEEKDAY_LABELS[weekday].ljust(LABEL_WIDTH), label_style)]
        gap = Segment(" " * (cell - 1), label_style) if cell > 1 else None
        for week in weeks:
            day = week[weekday]
            if day is None:
                segments.append(Segment(" " * cell, label_style))
                continue
            level = self.levels.get(day.isoformat(), 0)
            style = self._style(f"level-{level}" if level else "empty")
            if day == self.today:
                style = style + self._style("today")
            if day == self.cursor and self.has_focus:
                style = style + self._style("cursor")
            segments.append(Segment("■" if day <= self.today or level else "·", style))
            if gap is not None:
                segments.append(gap)
        return Strip(segments)

    def _month_row(self, weeks: list[list[date | None]], cell: int) -> str:
        """Each month's name above the week holding its first day (when it fits)."""
        row = [" "] * (LABEL_WIDTH + len(weeks) * cell)
        for index, week in enumerate(weeks):
            first = next((d for d in week if d is not None and d.day == 1), None)
            if first is None:
                continue
            name = calendar.month_abbr[first.month]
            at = LABEL_WIDTH + index * cell
            if all(c == " " for c in row[max(at - 1, 0) : at + len(name)]):
                row[at : at + len(name)] = list(name)
        return "".join(row)

    # ---- moving ---------------------------------------------------------------------------

    def watch_cursor(self, day: date) -> None:
        """Redraw and announce the highlighted day."""
        self.refresh()
        self.post_message(self.DayHighlighted(self, day))

    def on_focus(self) -> None:
        """Show the cursor."""
        self.refresh()

    def on_blur(self) -> None:
        """Hide the cursor."""
        self.refresh()

    def action_move(self, days: int) -> None:
        """Move the cursor by ``days``."""
        self.cursor = self.cursor + timedelta(days=days)

    def action_year(self, years: int) -> None:
        """Jump a year, keeping the day of the year roughly."""
        target = self.cursor.year + years
        try:
            self.cursor = self.cursor.replace(year=target)
        except ValueError:  # 29 February
            self.cursor = self.cursor.replace(year=target, day=28)

    def action_go_today(self) -> None:
        """Back to today."""
        self.cursor = self.today

    def on_click(self, event: events.Click) -> None:
        """Click a day to highlight it."""
        x, y = event.x, event.y
        if y < 1 or y > 7 or x < LABEL_WIDTH:
            return
        weeks = year_weeks(self.year)
        index = (x - LABEL_WIDTH) // self._cell_width()
        if 0 <= index < len(weeks):
            day = weeks[index][y - 1]
            if day is not None:
                self.cursor = day
