"""History: every entry in a virtualised table, searchable as you type, with a preview."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Checkbox, DataTable, Input, Markdown, Select, Static
from textual.widgets.data_table import ColumnKey
from textual.worker import get_current_worker

from journal.dates import DateError, parse_date
from journal.errors import JournalError
from journal.models import KINDS, Entry
from journal.store import EntryFilter, make_filter
from journal.transfer.render import render_entry
from journal.tui.messages import EntriesChanged
from journal.tui.widgets.fitting_footer import FittingFooter
from journal.tui.widgets.prompt_card import theme_label

if TYPE_CHECKING:
    from journal.tui.app import JournalApp

#: Rows put in the table at once: enough to fill the screen. More are added as the cursor
#: nears the end, so every keystroke of a search redraws a short table.
PAGE = 60
#: Longest body rendered in the preview (the Markdown widget is slow on tens of KB).
PREVIEW_CHARS = 20_000
#: Up to this many entries a search runs at once on each keystroke (3,650 entries: a few
#: ms over the cached text). A larger journal searches in a worker after a short pause in the
#: typing, so the screen keeps answering keys.
SYNC_LIMIT = 10_000
#: The pause in the typing that starts a search in a worker (larger journals only).
SEARCH_DEBOUNCE = 0.02


@dataclass(frozen=True)
class HistoryQuery:
    """What the filter bar asks for, plus the problems found reading it."""

    flt: EntryFilter
    summary: list[str]
    problems: list[str]


KIND_SYMBOL = {"reflection": "", "checkin": "◆", "revisit": "↺", "note": "·"}
FIXED_COLUMNS = {"day": 10, "kind": 1, "star": 1}


def clip_words(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters at a word, with an ellipsis when cut."""
    width = max(width, 1)
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    if " " in cut.strip() and not text[width - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip() + "…"


def row_of(entry: Entry, width: int = 200) -> tuple[Text, Text, Text, Text, Text]:
    """The table cells of one entry, the title cut to ``width`` characters (the column's:
    DataTable measures and renders every character it is given, shown or not).

    Cells are Text, not str: DataTable reads a str as markup, which costs a parse per cell on
    every redraw, and would eat a title such as "[draft] notes" or fail on "[/]".
    """
    headline = clip_words(entry.headline.replace("\n", " "), width)
    tags = " ".join(f"#{t}" for t in entry.tags)
    return (
        Text(entry.day, no_wrap=True, end=""),
        Text(KIND_SYMBOL.get(entry.kind, "?"), no_wrap=True, end=""),
        Text(headline, no_wrap=True, end=""),
        Text(tags, no_wrap=True, end=""),
        Text("★" if entry.starred else "", no_wrap=True, end=""),
    )


class HistoryScreen(Screen[None]):
    """Browse, search and filter every entry; open, star or delete one."""

    app: JournalApp

    BINDINGS = [
        Binding("escape", "back", "Back", tooltip="Back to Today"),
        Binding("ctrl+f", "focus_search", "Search", priority=True, tooltip="Search as you type"),
        Binding("ctrl+o", "open_entry", "Edit", priority=True, tooltip="Open the entry to edit"),
        Binding("ctrl+b", "toggle_star", "Star", priority=True, tooltip="Star or unstar the entry"),
        Binding("delete", "delete_entry", "Delete", tooltip="Delete the entry (asks first)"),
        Binding(
            "ctrl+z",
            "undo_delete",
            "Undo delete",
            priority=True,
            show=False,
            tooltip="Bring back the last entry deleted in this session",
        ),
        Binding(
            "ctrl+r",
            "clear_filters",
            "Clear filters",
            priority=True,
            show=False,
            tooltip="Clear every filter and show all entries",
        ),
    ]

    def __init__(self, select_uid: str | None = None) -> None:
        super().__init__(id="history")
        self._uids: list[str] = []
        self._more: list[Entry] = []
        self._total = -1  # nothing shown yet: the first results are always drawn
        self._select_uid = select_uid
        self._debounce: Timer | None = None
        self._preview_uid: str | None = None
        self._preview_wanted: str | None = None
        #: The columns were sized to the terminal (before that, titles are not cut).
        self._fitted = False
        #: (uid, updated) of every row in the table, to tell when new results are the same.
        self._shown: list[tuple[str, str]] = []

    # ---- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Filter bar, table and preview."""
        library = self.app.prompts
        with Horizontal(id="topbar"):
            yield Static("History", id="date")
            yield Static("", id="status")
        with Vertical(id="history-filters"):
            with Horizontal(classes="filter-row"):
                yield Input(placeholder="Search text, tags, answers…", id="search", compact=True)
                yield Select([(k, k) for k in KINDS], prompt="Any kind", id="kind", compact=True)
                yield Select(
                    [(theme_label(t), t) for t in library.themes],
                    prompt="Any theme",
                    id="theme",
                    compact=True,
                )
                yield Checkbox("Starred", id="starred", compact=True)
            with Horizontal(classes="filter-row"):
                yield Input(placeholder="Since, e.g. -4w", id="since", compact=True)
                yield Input(placeholder="Until, e.g. today", id="until", compact=True)
                yield Input(placeholder="Tag", id="tag", compact=True)
                yield Static("", id="active-filters")
        with Horizontal(id="history-main"):
            yield DataTable(id="history-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="history-preview"):
                yield Markdown("", id="preview")
        yield FittingFooter()

    def on_mount(self) -> None:
        """Columns, the first page of rows, cursor in the search box."""
        table = self.query_one("#history-table", DataTable)
        table.add_column("Day", width=10, key="day")
        table.add_column("", width=1, key="kind")
        table.add_column("Title or first line", width=40, key="title")
        table.add_column("Tags", width=14, key="tags")
        table.add_column("★", width=1, key="star")
        self.refresh_rows()
        self.query_one("#search", Input).focus()

    def on_resize(self) -> None:
        """Share the table's width between title and tags, once the new layout is in place
        (the size classes of app.tcss may have moved the preview under the table)."""
        self.call_after_refresh(self._fit_columns)

    def _fit_columns(self) -> None:
        table = self.query_one("#history-table", DataTable)
        width = table.scrollable_content_region.width
        if width <= 0:
            return
        # Cell padding is one each side; keep room for the vertical scrollbar too.
        padding = 2 * len(table.columns) + 2
        free = max(width - sum(FIXED_COLUMNS.values()) - padding, 16)
        tags = min(16, free // 4) if free >= 40 else 0
        before = self._title_width()
        for key, size in (("title", free - tags), ("tags", tags)):
            column = table.columns[ColumnKey(key)]
            column.auto_width = False
            column.width = size
        self._fitted = True
        if self._title_width() != before and self._uids:
            # Rows drawn for another width: cut their titles again, at a word.
            title_column = table.get_column_index("title")
            for row, uid in enumerate(self._uids):
                entry = self.app.store.get(uid)
                if entry is not None:
                    cell = row_of(entry, free - tags)[2]
                    table.update_cell_at(Coordinate(row, title_column), cell)
        search = self.query_one("#search", Input)
        search.placeholder = "Search…" if self.size.width < 70 else "Search text, tags, answers…"
        # DataTable has no public way to resize a column; this asks it to re-measure.
        table._require_update_dimensions = True
        table.refresh()

    # ---- filters --------------------------------------------------------------------------

    def read_query(self) -> HistoryQuery:
        """Turn the filter bar into an EntryFilter; bad dates are reported, not applied."""
        today = self.app.today()
        summary: list[str] = []
        problems: list[str] = []
        search = self.query_one("#search", Input).value.strip()
        if search:
            summary.append(f"“{search}”")
        kind_value = self.query_one("#kind", Select).value
        kind = None if kind_value is Select.NULL else str(kind_value)
        if kind:
            summary.append(kind)
        theme_value = self.query_one("#theme", Select).value
        packs: list[str] = []
        if theme_value is not Select.NULL:
            packs = [p.id for p in self.app.prompts.packs.values() if p.theme == theme_value]
            summary.append(f"theme {theme_label(str(theme_value)).lower()}")
        starred = True if self.query_one("#starred", Checkbox).value else None
        if starred:
            summary.append("starred")
        dates: dict[str, str | None] = {"since": None, "until": None}
        for name in dates:
            text = self.query_one(f"#{name}", Input).value.strip()
            if not text:
                continue
            try:
                dates[name] = parse_date(text, today, "past").isoformat()
                summary.append(f"{name} {dates[name]}")
            except DateError as exc:
                problems.append(f"{name}: {exc.message}")
        tag = self.query_one("#tag", Input).value.strip()
        if tag:
            summary.append(f"#{tag.lstrip('#')}")
        # "#calls" among the search words means the tag, as in `journal list --tag calls`.
        words = search.split()
        tagged = [w[1:] for w in words if w.startswith("#") and len(w) > 1]
        if tagged:
            search = " ".join(w for w in words if not (w.startswith("#") and len(w) > 1))
        flt = make_filter(
            since=dates["since"],
            until=dates["until"],
            tags=([tag] if tag else []) + tagged,
            kind=kind,
            search=search or None,
            starred=starred,
            packs=packs,
        )
        return HistoryQuery(flt, summary, problems)

    @on(Input.Changed, "#search, #since, #until, #tag")
    @on(Select.Changed, "#kind, #theme")
    @on(Checkbox.Changed, "#starred")
    def _filters_changed(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        if self._small():
            self.refresh_rows()
            return
        # Debounce: a fast typist should not pay for every intermediate search.
        self._debounce = self.set_timer(SEARCH_DEBOUNCE, self.refresh_rows)

    def _small(self) -> bool:
        return self.app.store.count() <= SYNC_LIMIT

    @on(Input.Submitted, "#search, #since, #until, #tag")
    def _submitted(self) -> None:
        self.query_one("#history-table", DataTable).focus()

    # ---- rows -----------------------------------------------------------------------------

    def on_entries_changed(self, _: EntriesChanged) -> None:
        """An import or an undone delete from the palette: search again."""
        self.refresh_rows()

    def refresh_rows(self) -> None:
        """Search: at once on a small journal, in a worker on a large one (the screen keeps
        answering keys meanwhile)."""
        query = self.read_query()
        self._show_filters(query)
        if not self._small():
            self._search(query)
            return
        try:
            entries, total = self.app.store.entries_counted(query.flt, limit=PAGE * 2)
        except JournalError as exc:
            self.notify(exc.message, severity="warning")
            return
        self._show_rows(entries, total)

    @work(exclusive=True, thread=True, group="history-search")
    def _search(self, query: HistoryQuery) -> None:
        worker = get_current_worker()
        try:
            # One pass: the first pages and the count together.
            entries, total = self.app.store.entries_counted(query.flt, limit=PAGE * 2)
        except JournalError as exc:
            # The Store is safe to share with this thread (it holds one lock): no other error
            # is expected here, and a real one should surface as the bug it is.
            self.app.call_from_thread(self.notify, exc.message, severity="warning")
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self._show_rows, entries, total)

    def _show_rows(self, entries: list[Entry], total: int) -> None:
        table = self.query_one("#history-table", DataTable)
        keep = self._select_uid or self._current_uid()
        first, self._more = entries[:PAGE], entries[PAGE:]
        shown = [(e.uid, e.updated) for e in first]
        if shown == self._shown and total == self._total and self._select_uid is None:
            # The same rows as on screen (another letter that matches the same entries):
            # leave the table alone, so nothing is redrawn.
            return
        self._shown = shown
        table.clear()
        self._uids = [e.uid for e in first]
        width = self._title_width()
        table.add_rows(row_of(e, width) for e in first)
        self._total = total
        self._update_count()
        if self._uids:
            index = self._uids.index(keep) if keep in self._uids else 0
            table.move_cursor(row=index)
            self._select_uid = None
            self._preview_soon(self._uids[index])
        else:
            self._preview_soon(None)

    def _title_width(self) -> int:
        """Characters the title column can show (cells are cut to it; one more than fits)."""
        table = self.query_one("#history-table", DataTable)
        column = table.columns.get(ColumnKey("title"))
        if column is None or not self._fitted:
            # Before the first resize the width is a guess: keep enough for any terminal.
            return 200
        return column.width

    def _update_count(self) -> None:
        status = self.query_one("#status", Static)
        shown = len(self._uids)
        if shown < self._total:
            status.update(f"{shown:,} of {self._total:,} · scroll down for more")
        else:
            status.update(f"{self._total:,} entries" if self._total != 1 else "1 entry")

    def _show_filters(self, query: HistoryQuery) -> None:
        label = self.query_one("#active-filters", Static)
        if query.problems:
            label.update("⚠ " + "; ".join(query.problems))
            label.set_class(True, "-problem")
            return
        label.set_class(False, "-problem")
        label.update(
            "Filters: " + " · ".join(query.summary) + " (ctrl+r clears)"
            if query.summary
            else "No filters"
        )

    @on(DataTable.RowHighlighted, "#history-table")
    def _row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = event.cursor_row
        if 0 <= row < len(self._uids):
            self._preview_soon(self._uids[row])
        # Near the end of the page: add the next page, so scrolling never hits a wall.
        if row >= len(self._uids) - 5 and len(self._uids) < self._total:
            self._load_more()

    def _load_more(self) -> None:
        if not self._more:
            entries = self.app.store.entries(self.read_query().flt, limit=len(self._uids) + PAGE)
            self._more = entries[len(self._uids) :]
        batch, self._more = self._more[:PAGE], self._more[PAGE:]
        table = self.query_one("#history-table", DataTable)
        width = self._title_width()
        table.add_rows(row_of(e, width) for e in batch)
        self._uids.extend(e.uid for e in batch)
        self._shown.extend((e.uid, e.updated) for e in batch)
        self._update_count()

    @on(DataTable.RowSelected, "#history-table")
    def _row_selected(self) -> None:
        self.action_open_entry()

    def _current_uid(self) -> str | None:
        table = self.query_one("#history-table", DataTable)
        row = table.cursor_row
        if table.row_count and 0 <= row < len(self._uids):
            return self._uids[row]
        return None

    def _preview_soon(self, uid: str | None) -> None:
        """Show ``uid`` in the preview after the next refresh: the table's new rows are drawn
        first (the Markdown widget is the slowest part of a redraw), and a burst of cursor
        moves renders one preview, the last."""
        self._preview_wanted = uid
        self.call_after_refresh(self._show_wanted_preview)

    def _show_wanted_preview(self) -> None:
        if self.is_attached:
            self._preview(self._preview_wanted)

    def _preview(self, uid: str | None) -> None:
        # "Nothing" is always drawn again: after deleting the last match, the deleted entry
        # would otherwise stay on show (the remembered uid is None then too).
        if uid is not None and uid == self._preview_uid:
            return
        self._preview_uid = uid
        markdown = self.query_one("#preview", Markdown)
        if uid is None:
            markdown.update("*Nothing matches. Clear a filter with ctrl+r.*")
            return
        entry = self.app.store.get(uid)
        if entry is None:
            markdown.update("*This entry no longer exists.*")
            return
        text = render_entry(entry)
        if len(text) > PREVIEW_CHARS:
            text = text[:PREVIEW_CHARS] + "\n\n*… the preview stops here; ctrl+o opens it all.*"
        markdown.update(text)
        self.query_one("#history-preview", VerticalScroll).scroll_home(animate=False)

    # ---- actions --------------------------------------------------------------------------

    def select(self, uid: str) -> None:
        """Highlight an entry (clearing filters if it is hidden by them)."""
        if uid in self._uids:
            self.query_one("#history-table", DataTable).move_cursor(row=self._uids.index(uid))
            return
        self._select_uid = uid
        self.action_clear_filters()

    def action_back(self) -> None:
        """Back to Today."""
        self.dismiss(None)

    def action_focus_search(self) -> None:
        """Put the cursor in the search box."""
        self.query_one("#search", Input).focus()

    def action_clear_filters(self) -> None:
        """Show every entry again."""
        with self.prevent(Input.Changed, Select.Changed, Checkbox.Changed):
            for name in ("search", "since", "until", "tag"):
                self.query_one(f"#{name}", Input).value = ""
            self.query_one("#kind", Select).clear()
            self.query_one("#theme", Select).clear()
            self.query_one("#starred", Checkbox).value = False
        self.refresh_rows()

    def action_open_entry(self) -> None:
        """Open the highlighted entry on Today to edit it."""
        uid = self._current_uid()
        if uid is not None:
            self.app.edit_entry(uid)

    def action_toggle_star(self) -> None:
        """Star or unstar the highlighted entry."""
        uid = self._current_uid()
        entry = self.app.store.get(uid) if uid else None
        if entry is None:
            return
        try:
            self.app.store.update(
                entry.edited(self.app.now(), starred=not entry.starred),
                expected=entry,
                touch=False,
            )
        except JournalError as exc:
            self.app.report(exc, title="Not starred")
            return
        self._select_uid = uid
        self._preview_uid = None
        self.refresh_rows()

    def action_delete_entry(self) -> None:
        """Delete the highlighted entry after asking; ctrl+z brings it back."""
        uid = self._current_uid()
        entry = self.app.store.get(uid) if uid else None
        if entry is None:
            return
        from journal.tui.dialogs.confirm import ConfirmScreen

        def answered(answer: str | None) -> None:
            if answer != "delete":
                return
            try:
                self.app.delete_entry(entry.uid)
            except JournalError as exc:
                self.app.report(exc, title="Not deleted")
                return
            self._preview_uid = None
            self.refresh_rows()
            self.notify("Deleted. ctrl+z brings it back while journal is open.")

        self.app.push_screen(
            ConfirmScreen(
                f"Delete “{entry.headline[:60]}” from {entry.day}?",
                [("delete", "Delete", "error"), ("cancel", "Keep it", "default")],
                title="Delete this entry?",
            ),
            answered,
        )

    def action_undo_delete(self) -> None:
        """Bring back the last entry deleted in this session."""
        restored = self.app.undo_delete()
        if restored is not None:
            self._select_uid = restored.uid
            self._preview_uid = None
            self.refresh_rows()
