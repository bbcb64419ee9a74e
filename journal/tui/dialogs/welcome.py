"""The first start: where the journal lives, that nothing leaves the machine, three keys."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static


def where_it_lives(db_path: Path) -> Content:
    """The lines saying where the journal is and that nothing leaves the machine."""
    return Content.assemble(
        ("Your journal lives in one file on this machine:\n", ""),
        (str(db_path), "bold"),
        ("\nNothing you write leaves it. ", ""),
        ("Export it as Markdown whenever you like.", "dim"),
    )


class WelcomePanel(Vertical, can_focus=False, can_focus_children=False):
    """One calm greeting over Today, shown once when there is no journal yet.

    It takes no keys: the cursor is in the editor under it, so the first words typed land
    there and hide it (as do enter and escape, Today's bindings), and ctrl+s saves as the
    README promises. A modal screen here lost the first keystrokes.
    """

    def __init__(self, db_path: Path) -> None:
        super().__init__(id="welcome-layer")
        self.db_path = db_path

    def compose(self) -> ComposeResult:
        """A few lines."""
        with Vertical(id="welcome", classes="dialog"):
            yield Static("Welcome to journal", classes="dialog-title")
            yield Static(
                "A quiet place to reflect: a prompt each day, room to write, and a short "
                "check-in for after a hard conversation.",
                classes="dialog-body",
            )
            yield Static(where_it_lives(self.db_path), classes="dialog-body", id="welcome-where")
            yield Static(
                Content.from_markup(
                    "[b $accent]ctrl+s[/]   save what you wrote\n"
                    "[b $accent]ctrl+p[/]   every action, searchable\n"
                    "[b $accent]f1[/]       every key"
                ),
                classes="dialog-body",
                id="welcome-keys",
            )
            yield Static(
                "Start typing to begin (enter or esc just closes this).", id="welcome-begin"
            )
