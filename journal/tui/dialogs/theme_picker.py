"""A small modal to narrow the prompt feed to one theme."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from journal.tui.widgets.prompt_card import theme_label

ALL_THEMES = ""


class ThemePickerScreen(ModalScreen[str | None]):
    """Dismisses with a theme id, ``""`` for every theme, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, themes: Sequence[str]) -> None:
        super().__init__()
        self.themes = list(themes)

    def compose(self) -> ComposeResult:
        """A title and the list of themes."""
        with Vertical(classes="dialog", id="theme-picker"):
            yield Static("Which theme would you like prompts from?", classes="dialog-title")
            yield OptionList(
                Option("Every theme", id="theme:"),
                *(Option(theme_label(t), id=f"theme:{t}") for t in self.themes),
                id="theme-options",
            )

    @on(OptionList.OptionSelected, "#theme-options")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss((event.option.id or "theme:").removeprefix("theme:"))

    def action_cancel(self) -> None:
        """Keep the feed as it is."""
        self.dismiss(None)
