"""On this day: entries written on today's date in earlier years, with a preview."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from journal.display import visible, visible_line
from journal.models import Entry


class OnThisDayScreen(ModalScreen[None]):
    """A list of the day's earlier entries (newest first) beside the chosen one's text."""

    BINDINGS = [Binding("escape", "dismiss", "Close", priority=True)]

    def __init__(self, entries: list[Entry], heading: str) -> None:
        super().__init__(id="on-this-day")
        self.entries = entries
        self.heading = heading

    def compose(self) -> ComposeResult:
        """Heading, the list and the preview."""
        with Vertical(id="on-this-day-box"):
            yield Static(Content(self.heading), id="on-this-day-heading")
            with Horizontal():
                yield OptionList(
                    *(
                        Option(Content(f"{e.day[:4]} · {visible_line(e.headline)}"), id=e.uid)
                        for e in self.entries
                    ),
                    id="on-this-day-list",
                )
                yield Markdown(id="on-this-day-preview")
            yield Static(Content("esc close"), id="on-this-day-keys")

    def on_mount(self) -> None:
        """Show the newest one first."""
        if self.entries:
            self._preview(self.entries[0])
        self.query_one(OptionList).focus()

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        uid = event.option.id
        entry = next((e for e in self.entries if e.uid == uid), None)
        if entry is not None:
            self._preview(entry)

    def _preview(self, entry: Entry) -> None:
        years = entry.day[:4]
        title = visible_line(entry.title) if entry.title else f"Written in {years}"
        text = f"## {title}\n\n*{entry.day}*\n\n" + visible(entry.body)
        self.query_one(Markdown).update(text)
