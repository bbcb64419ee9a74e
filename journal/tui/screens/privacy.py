"""A calm blank screen that hides what you are writing until a key is pressed (ctrl+l)."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widgets import Static


class PrivacyScreen(Screen[None]):
    """Nothing but a faint line; any key (or a click) brings the journal back.

    The app refuses every action while this screen is up (see ``JournalApp.check_action``),
    so even ctrl+q or f1 only bring the journal back: nothing can show a word by accident.
    """

    def compose(self) -> ComposeResult:
        """One quiet line in the middle."""
        yield Static("Press any key to return", id="privacy-hint")

    def on_key(self, event: events.Key) -> None:
        """Any key returns."""
        event.stop()
        event.prevent_default()
        self.dismiss(None)

    def on_click(self, event: events.Click) -> None:
        """So does a click."""
        event.stop()
        self.dismiss(None)
