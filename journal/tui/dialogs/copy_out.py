"""Copy the editor's text out when the journal cannot take it (a full disk, a read-only folder).

Asks where: a file the user names (on another disk, say), or the clipboard. Dismisses with
the choice; Today does the writing and says how it went.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


@dataclass(frozen=True)
class CopyOutChoice:
    """Where the text goes: ``"file"`` (at ``path``) or ``"clipboard"``."""

    where: str
    path: str = ""


class CopyOutScreen(ModalScreen[CopyOutChoice | None]):
    """Ask for a file name (or the clipboard); ``escape`` cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, suggested: str, why: str = "") -> None:
        super().__init__()
        self.suggested = suggested
        self.why = why

    def compose(self) -> ComposeResult:
        """The question, the file name and the answers."""
        with Vertical(id="copy-out-dialog", classes="dialog"):
            yield Static("Copy the text out", classes="dialog-title")
            yield Static(
                (f"{self.why}\n\n" if self.why else "")
                + "Write it to a file (a new one; nothing is overwritten), or copy it to the "
                "clipboard. The editor keeps it either way.",
                classes="dialog-body",
                markup=False,
            )
            yield Input(self.suggested, id="copy-out-path", compact=True)
            with Horizontal(classes="dialog-buttons"):
                yield Button("Write the file", id="copy-out-file", variant="primary")
                yield Button("Copy to the clipboard", id="copy-out-clipboard")
                yield Button("Cancel", id="copy-out-cancel")

    def on_mount(self) -> None:
        """Put the cursor in the file name."""
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in the file name writes the file."""
        event.stop()
        self._file()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer with the button's choice."""
        event.stop()
        if event.button.id == "copy-out-file":
            self._file()
        elif event.button.id == "copy-out-clipboard":
            self.dismiss(CopyOutChoice("clipboard"))
        else:
            self.dismiss(None)

    def _file(self) -> None:
        path = self.query_one(Input).value.strip()
        if not path:
            self.notify("Type a file name first.", severity="warning")
            return
        self.dismiss(CopyOutChoice("file", path))

    def action_cancel(self) -> None:
        """Escape: nothing is written."""
        self.dismiss(None)
