"""Insights: pictures, not paragraphs. A year of written days, check-ins, promises, themes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from journal.checkin import REACTION_LABELS
from journal.errors import JournalError
from journal.models import Entry
from journal.stats import (
    CheckinStats,
    GentleCounts,
    bar,
    by_theme,
    compute_stats,
    gentle_counts,
    shade_levels,
    spark,
)
from journal.store import make_filter
from journal.tui.widgets.entry_list import EntryList
from journal.tui.widgets.fitting_footer import FittingFooter
from journal.tui.widgets.prompt_card import theme_label
from journal.tui.widgets.year_calendar import YearCalendar

if TYPE_CHECKING:
    from journal.tui.app import JournalApp

BAR_WIDTH = 10
LABEL_WIDTH = 19


@dataclass
class InsightsData:
    """Everything the screen shows, computed off the UI thread."""

    chars_by_day: dict[str, int]
    counts: GentleCounts
    stats: CheckinStats
    before: list[int] = field(default_factory=list)
    after: list[int] = field(default_factory=list)
    #: How much it still stung at the look-back, for the check-ins rated again.
    revisit: list[int] = field(default_factory=list)
    themes: dict[str, int] = field(default_factory=dict)


def _labelled_bar(label: str, value: int, total: int, width: int = BAR_WIDTH) -> Content:
    fraction = value / total if total else 0.0
    return Content.assemble(
        (f"{label:<{LABEL_WIDTH}}", "$text-muted"), (bar(fraction, width), "$primary"), f" {value}"
    )


def short_label(text: str, width: int = LABEL_WIDTH - 1) -> str:
    """Fit a label in ``width`` cells, cutting at a word where possible."""
    if len(text) <= width:
        return text
    cut = text[: width - 1].rsplit(" ", 1)[0]
    return cut + "…"


class InsightsScreen(Screen[None]):
    """Move through the year with the arrow keys; the day's entries show below it."""

    app: JournalApp

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to Today"),
        # The arrows belong to the calendar; the page scrolls with shift (or the mouse wheel).
        Binding(
            "shift+down",
            "scroll_page(4)",
            "Scroll",
            key_display="shift+↓↑",
            tooltip="Scroll the page down or up (the arrows move through the calendar)",
        ),
        Binding("shift+up", "scroll_page(-4)", "Scroll up", show=False),
        Binding(
            "ctrl+o",
            "open_day",
            "Open day",
            priority=True,
            tooltip="Show the highlighted day's entries in History",
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="insights")
        self.data: InsightsData | None = None

    def compose(self) -> ComposeResult:
        """Calendar on top, three small panels below."""
        today = self.app.today()
        with Horizontal(id="topbar"):
            yield Static("Insights", id="date")
            yield Static(f"as of {today:%A} {today.day} {today:%B %Y}", id="status")
        with VerticalScroll(id="insights-body"):
            yield Static("Counting your days…", id="gentle")
            with Vertical(id="calendar-box"):
                yield YearCalendar(today, {}, id="year")
                yield Static("", id="day-label")
                yield EntryList(id="day-entries", empty_text="A rest day.")
            with Horizontal(id="insight-panels"):
                with Vertical(classes="insight-panel", id="panel-intensity"):
                    yield Static("", id="intensity-summary")
                    yield Static("", id="spark-before", classes="spark")
                    yield Static("", id="spark-after", classes="spark")
                    yield Static("", id="spark-revisit", classes="spark")
                with Vertical(classes="insight-panel", id="panel-promises"):
                    yield Static("", id="promises")
                    yield Static("", id="reactions")
                with Vertical(classes="insight-panel", id="panel-themes"):
                    yield Static("", id="themes")
        yield FittingFooter()

    def action_scroll_page(self, lines: int) -> None:
        """Scroll the page ``lines`` down (up when negative)."""
        self.query_one("#insights-body", VerticalScroll).scroll_relative(y=lines, animate=False)

    def on_resize(self) -> None:
        """Side by side when there is room, stacked on a narrow terminal."""
        self.query_one("#insight-panels").set_class(self.size.width < 110, "-stacked")

    def on_mount(self) -> None:
        """Titles, then the numbers from a worker."""
        box = self.query_one("#calendar-box")
        box.border_title = f"{self.app.today().year} · days written"
        box.border_subtitle = "arrows move · PgUp/PgDn year · Home today"
        self.query_one("#panel-intensity").border_title = "After tough calls"
        self.query_one("#panel-promises").border_title = "Promises and responses"
        self.query_one("#panel-themes").border_title = "Prompts answered by theme"
        self.query_one("#year", YearCalendar).focus()
        self.load()

    @work(thread=True, exclusive=True, group="insights")
    def load(self) -> None:
        """Read the journal once, off the UI thread (it can be large)."""
        store = self.app.store
        today = self.app.today()
        try:
            chars = store.days_written()
            stats = compute_stats(store, today)
            checkins = store.entries(make_filter(kind="checkin"), oldest_first=True)
            answered = store.prompts_answered_by_pack()
        except JournalError as exc:
            self.app.call_from_thread(self.app.report, exc, title="Insights not loaded")
            return
        before = [c.checkin.get("intensity_before") for c in checkins if c.checkin]
        after = [c.checkin.get("intensity_after") for c in checkins if c.checkin]
        revisit = [c.checkin.get("intensity_revisit") for c in checkins if c.checkin]
        pack_themes = {p.id: p.theme for p in self.app.prompts.packs.values()}
        data = InsightsData(
            chars_by_day=chars,
            counts=gentle_counts(chars, today),
            stats=stats,
            before=[v for v in before if isinstance(v, int)],
            after=[v for v in after if isinstance(v, int)],
            revisit=[v for v in revisit if isinstance(v, int)],
            themes=by_theme(answered, pack_themes),
        )
        self.app.call_from_thread(self.show, data)

    def show(self, data: InsightsData) -> None:
        """Draw everything from ``data``."""
        self.data = data
        self.query_one("#gentle", Static).update(data.counts.sentence())
        calendar_widget = self.query_one("#year", YearCalendar)
        calendar_widget.set_levels(shade_levels(data.chars_by_day))
        self._show_day(calendar_widget.cursor)
        self._show_intensity(data)
        self._show_promises(data.stats)
        self._show_themes(data.themes)

    def _show_intensity(self, data: InsightsData) -> None:
        stats = data.stats
        summary = self.query_one("#intensity-summary", Static)
        if stats.intensity_before_avg is None or stats.intensity_after_avg is None:
            summary.update(
                Content.styled("No check-ins yet. f2 starts one after a hard call.", "italic")
            )
        else:
            summary.update(
                Content.assemble(
                    ("intensity on average ", "$text-muted"),
                    (f"{stats.intensity_before_avg:.1f}", "bold $warning"),
                    " → ",
                    (f"{stats.intensity_after_avg:.1f}", "bold $success"),
                    (f"\nacross {stats.checkins} check-ins, 0-10", "$text-muted"),
                    *(
                        (
                            ("\nstill stings, looking back ", "$text-muted"),
                            (f"{stats.revisit_sting_avg:.1f}", "bold $accent"),
                        )
                        if stats.revisit_sting_avg is not None
                        else ()
                    ),
                )
            )
        for name, values, colour in (
            ("before", data.before, "$warning"),
            ("after", data.after, "$success"),
            ("revisit", data.revisit, "$accent"),
        ):
            line = self.query_one(f"#spark-{name}", Static)
            # Both lines share the 0-10 scale, so they can be compared by eye.
            line.update(
                Content.assemble((f"{name:<7}", "$text-muted"), (spark(values[-30:]), colour))
            )
            line.display = bool(values)

    def _show_promises(self, stats: CheckinStats) -> None:
        promises = self.query_one("#promises", Static)
        if stats.kept_on_time_pct is None:
            promises.update(Content.styled("No follow-ups settled yet.", "italic"))
        else:
            kept = stats.follow_ups_kept_on_time
            promises.update(
                Content.assemble(
                    ("follow-ups kept on time ", "$text-muted"),
                    (f"{stats.kept_on_time_pct:.0f}%", "bold $success"),
                    "\n",
                    _labelled_bar("on time", kept, stats.follow_ups_settled),
                    (f"/{stats.follow_ups_settled}", "$text-muted"),
                )
            )
        total = sum(stats.reactions.values())
        reactions = self.query_one("#reactions", Static)
        if not total:
            reactions.update("")
            return
        lines = [
            _labelled_bar(REACTION_LABELS.get(name, name), count, total)
            for name, count in stats.reactions.items()
        ]
        reactions.update(Content("\n").join(lines))

    def _show_themes(self, themes: dict[str, int]) -> None:
        widget = self.query_one("#themes", Static)
        if not themes:
            widget.update(Content.styled("No prompts answered yet.", "italic"))
            return
        top = max(themes.values())
        lines = [
            _labelled_bar(short_label(theme_label(theme)), count, top)
            for theme, count in list(themes.items())[:8]
        ]
        widget.update(Content("\n").join(lines))

    # ---- the highlighted day ----------------------------------------------------------------

    @on(YearCalendar.DayHighlighted, "#year")
    def _day_highlighted(self, event: YearCalendar.DayHighlighted) -> None:
        self._show_day(event.day)
        box = self.query_one("#calendar-box")
        box.border_title = f"{event.day.year} · days written"

    def _show_day(self, day: date) -> None:
        entries: list[Entry] = self.app.store.entries(make_filter(since=day, until=day))
        label = self.query_one("#day-label", Static)
        count = len(entries)
        words = "entry" if count == 1 else "entries"
        label.update(f"{day:%A} {day.day} {day:%B %Y}: {count or 'no'} {words}")
        self.query_one("#day-entries", EntryList).show(entries)

    @on(EntryList.EntrySelected, "#day-entries")
    def _entry_picked(self, event: EntryList.EntrySelected) -> None:
        self.app.action_history(event.uid)

    def action_open_day(self) -> None:
        """Open History on the highlighted day's first entry."""
        day = self.query_one("#year", YearCalendar).cursor
        entries = self.app.store.entries(make_filter(since=day, until=day), limit=1)
        if entries:
            self.app.action_history(entries[0].uid)
        else:
            self.notify("Nothing written that day. A rest day is fine.")

    def action_back(self) -> None:
        """Back to Today."""
        self.dismiss(None)
