"""F1: every key of the current screen and the global ones, built from the live bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

EDITOR_KEYS = [
    ("ctrl+z / ctrl+y", "Undo / redo in the editor"),
    ("ctrl+x / ctrl+c / ctrl+v", "Cut / copy / paste"),
    ("f6 / f7", "Select line / select all"),
    ("tab / shift+tab", "Move between title, tags, editor and the lists beside it"),
]


def describe_bindings(node: DOMNode) -> list[tuple[str, str]]:
    """(keys, description) for every binding of ``node`` (the app or a screen) that has one."""
    rows: list[tuple[str, str]] = []
    for binding in node.BINDINGS:
        if not isinstance(binding, Binding) or not binding.description:
            continue
        keys = binding.key_display or " / ".join(k.strip() for k in binding.key.split(","))
        # The footer shows the short description; help can afford the longer tooltip.
        rows.append((keys, binding.tooltip or binding.description))
    return rows


class HelpScreen(ModalScreen[None]):
    """A list of keys: this screen's, the app's, and the editor's."""

    BINDINGS = [Binding("escape,f1,q", "close", "Close help")]

    def __init__(
        self,
        screen_name: str,
        screen_keys: list[tuple[str, str]],
        global_keys: list[tuple[str, str]],
        *,
        help_note: str = "",
    ) -> None:
        super().__init__()
        #: Where to get help (journal.checkin.help_note), shown under the keys.
        self.help_note = help_note
        self.screen_name = screen_name
        self.screen_keys = screen_keys
        self.global_keys = global_keys

    @staticmethod
    def _table(rows: list[tuple[str, str]]) -> str:
        width = max((len(k) for k, _ in rows), default=0)
        return "\n".join(f"  {k:<{width}}   {d}" for k, d in rows)

    def compose(self) -> ComposeResult:
        """Sections of keys."""
        with VerticalScroll(id="help", classes="dialog"):
            yield Static("Keys", classes="dialog-title")
            if self.screen_keys:
                yield Static(f"On {self.screen_name}", classes="help-heading")
                yield Static(self._table(self.screen_keys), classes="help-keys", markup=False)
            yield Static("Everywhere", classes="help-heading")
            yield Static(self._table(self.global_keys), classes="help-keys", markup=False)
            yield Static("In the editor", classes="help-heading")
            yield Static(self._table(EDITOR_KEYS), classes="help-keys", markup=False)
            if self.help_note:
                yield Static("If it is too much", classes="help-heading")
                yield Static(Content(self.help_note), id="help-note-keys", classes="help-note")
            yield Static(
                "Every action is also in the command palette (ctrl+p). Esc closes this.",
                classes="help-foot",
            )

    def action_close(self) -> None:
        """Back to where you were."""
        self.dismiss(None)
