"""For when a check-in is too much right now: the too-raw choices, a minute of paced breathing,
and the where-to-get-help note.

Opened by :class:`~journal.tui.screens.checkin.CheckinScreen`; each dismisses with the choice
made (or None), and the check-in does the rest.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

#: How long "breathe for a minute" lasts, in seconds.
BREATH_SECONDS = 60.0
#: One paced breath: in for 4 seconds, out for 6 (a longer breath out is the calming part).
BREATH_IN, BREATH_OUT = 4.0, 6.0

RAW_BREATHE = "breathe"
RAW_LATER = "later"
RAW_HELP = "help"
RAW_CARRY_ON = "carry-on"
RAW_CHOICES: tuple[tuple[str, str], ...] = (
    (RAW_BREATHE, "1  Breathe for a minute with me, then come back here"),
    (RAW_LATER, "2  Save just this and finish it later"),
    (RAW_HELP, "3  Where to get help"),
    (RAW_CARRY_ON, "4  Carry on with the check-in"),
)


class TooRawScreen(ModalScreen[str | None]):
    """ "That sounds like a lot": breathe, save for later, get help, or carry on (1-4)."""

    BINDINGS = [
        Binding("1", f"choose('{RAW_BREATHE}')", "Breathe", show=False),
        Binding("2", f"choose('{RAW_LATER}')", "Finish later", show=False),
        Binding("3", f"choose('{RAW_HELP}')", "Get help", show=False),
        Binding("4,escape", f"choose('{RAW_CARRY_ON}')", "Carry on", show=False),
    ]

    def compose(self) -> ComposeResult:
        """A kind line and the four choices."""
        with Vertical(id="too-raw", classes="dialog"):
            yield Static("That sounds like a lot right now", classes="dialog-title")
            yield Static(
                "There is no need to write anything yet. What would help most?",
                classes="dialog-body",
            )
            yield OptionList(
                *(Option(label, id=value) for value, label in RAW_CHOICES), id="too-raw-choices"
            )

    def on_mount(self) -> None:
        """The choices take the keys."""
        self.query_one("#too-raw-choices", OptionList).focus()

    @on(OptionList.OptionSelected, "#too-raw-choices")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_choose(self, choice: str) -> None:
        """Dismiss with ``choice``."""
        self.dismiss(choice)


class BreathingScreen(ModalScreen[None]):
    """A minute of paced breathing: in for 4, out for 6, then back. Any of esc/enter ends it."""

    BINDINGS = [Binding("escape,enter,space", "done", "Back to the check-in")]

    def __init__(self, seconds: float = BREATH_SECONDS) -> None:
        super().__init__()
        self.seconds = seconds
        self.elapsed = 0.0

    def compose(self) -> ComposeResult:
        """The cue and how far through the minute we are."""
        with Vertical(id="breathing", classes="dialog"):
            yield Static("Breathe with me", classes="dialog-title")
            yield Static("Breathe in…", id="breath-now")
            yield ProgressBar(
                total=self.seconds, show_eta=False, show_percentage=False, id="breath-bar"
            )
            yield Static(
                "Follow the words: in through the nose, out slowly. Esc comes back early.",
                classes="dialog-body",
            )

    def on_mount(self) -> None:
        """Tick a few times a second until the time is up."""
        self._ticker = self.set_interval(0.25, self._tick)

    def cue(self, elapsed: float) -> str:
        """What to do at ``elapsed`` seconds: breathe in, or out."""
        phase = elapsed % (BREATH_IN + BREATH_OUT)
        return "Breathe in…" if phase < BREATH_IN else "…and out, slowly"

    def _tick(self) -> None:
        self.elapsed += 0.25
        self.query_one("#breath-now", Static).update(self.cue(self.elapsed))
        self.query_one("#breath-bar", ProgressBar).update(progress=min(self.elapsed, self.seconds))
        if self.elapsed >= self.seconds:
            self.action_done()

    def action_done(self) -> None:
        """Back to the check-in."""
        self._ticker.stop()
        if self.is_current:
            self.dismiss(None)


class HelpNoteScreen(ModalScreen[None]):
    """The where-to-get-help note, on its own."""

    BINDINGS = [Binding("escape,enter", "close", "Back")]

    def __init__(self, note: str) -> None:
        super().__init__()
        self.note = note

    def compose(self) -> ComposeResult:
        """The note and how to go back."""
        with Vertical(id="help-note-dialog", classes="dialog"):
            yield Static("Where to get help", classes="dialog-title")
            yield Static(Content(self.note), id="help-note-full", classes="help-note")
            yield Static("Enter or esc goes back to the check-in.", classes="dialog-body")

    def action_close(self) -> None:
        """Back."""
        self.dismiss(None)
