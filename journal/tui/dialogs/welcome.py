"""The first start: where the journal lives, that nothing leaves the machine, three keys."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class WelcomeScreen(ModalScreen[None]):
    """One calm screen, shown once when there is no journal yet.

    It takes no writing: a printable key closes it and is passed on to ``type_into`` (Today's
    editor), with every key typed before it has gone; ctrl+s closes it and saves, as the README
    promises.
    """

    BINDINGS = [
        Binding("escape,enter", "begin", "Begin writing"),
        Binding("ctrl+s", "save", "Save", priority=True, show=False),
    ]

    def __init__(self, db_path: Path, type_into: Callable[[str], None]) -> None:
        super().__init__()
        self.db_path = db_path
        self.type_into = type_into
        self._closing = False

    def compose(self) -> ComposeResult:
        """A few lines and one button."""
        with Vertical(id="welcome", classes="dialog"):
            yield Static("Welcome to journal", classes="dialog-title")
            yield Static(
                "A quiet place to reflect: a prompt each day, room to write, and a short "
                "check-in for after a hard conversation.",
                classes="dialog-body",
            )
            yield Static(
                Content.assemble(
                    ("Your journal lives in one file on this machine:\n", ""),
                    (str(self.db_path), "bold"),
                    ("\nNothing you write leaves it. ", ""),
                    ("Export it as Markdown whenever you like.", "dim"),
                ),
                classes="dialog-body",
            )
            yield Static(
                Content.from_markup(
                    "[b $accent]ctrl+s[/]   save what you wrote\n"
                    "[b $accent]ctrl+p[/]   every action, searchable\n"
                    "[b $accent]f1[/]       every key"
                ),
                classes="dialog-body",
                id="welcome-keys",
            )
            yield Button("Begin writing", id="begin", variant="primary")

    def on_mount(self) -> None:
        """Enter (or the button) begins."""
        self.query_one("#begin", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Close and put the cursor in the editor."""
        event.stop()
        self.action_begin()

    def on_key(self, event: events.Key) -> None:
        """A printable key (space too) begins writing with that character."""
        if event.is_printable and event.character:
            event.stop()
            event.prevent_default()
            # Keys typed fast (a paste, a quick typist) reach this screen until it is gone:
            # each goes on to the editor as it comes, in order, and the screen closes once.
            self.type_into(event.character)
            self.action_begin()

    def action_begin(self) -> None:
        """Close the welcome (once, however many keys arrive while it closes)."""
        if not self._closing:
            self._closing = True
            self.dismiss(None)

    def action_save(self) -> None:
        """Close the welcome and save, as ctrl+s does on Today."""
        self.action_begin()
        self.app.call_later(self.app.run_action, "screen.save")
