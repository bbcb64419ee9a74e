"""A small dialog for one open follow-up: mark it done (with an optional note) or move it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from journal.dates import DATE_WORDS, DateError, long_day, parse_date, relative_day, short_day
from journal.models import Entry


@dataclass(frozen=True)
class FollowUpChoice:
    """What the user chose: ``done`` (with a note) or ``move`` (to ``due``)."""

    action: str
    note: str = ""
    due: date | None = None


class FollowUpScreen(ModalScreen[FollowUpChoice | None]):
    """Shows the promise; enter in the note marks it done, enter in the date moves it."""

    BINDINGS = [Binding("escape", "cancel", "Close without changing anything")]

    def __init__(self, entry: Entry, today: date) -> None:
        super().__init__()
        if entry.follow_up is None:
            raise ValueError("FollowUpScreen needs an entry with a follow-up")
        self.entry = entry
        self.follow_up = entry.follow_up
        self.today = today

    def compose(self) -> ComposeResult:
        """The promise, a note field, a new-date field and the buttons."""
        due = date.fromisoformat(self.follow_up.due)
        when = relative_day(due, self.today)
        state = "overdue, " if due < self.today else ""
        with Vertical(id="follow-up-dialog", classes="dialog"):
            yield Static("Follow-up", classes="dialog-title")
            yield Static(Content(self.follow_up.action), id="follow-up-action")
            yield Static(
                Content(f"Due {long_day(due)} ({state}{when}) · from {short_day(self.entry.day)}: ")
                + Content.styled(self.entry.headline, "italic"),
                id="follow-up-when",
                classes="dialog-body",
            )
            yield Static(
                "Done? A note on how it went (optional), then enter:", classes="field-label"
            )
            yield Input(
                placeholder="e.g. Called; they were relieved", id="follow-up-note", compact=True
            )
            yield Static(
                "Or move it to (then enter). Its day has passed, so the record keeps it as "
                "late; moving it is still the right call when you need the time:"
                if due < self.today
                else "Or move it to (then enter):",
                classes="field-label",
            )
            yield Input(placeholder=DATE_WORDS, id="follow-up-move", compact=True)
            yield Static("", id="follow-up-move-hint", classes="date-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Mark done", id="follow-up-done", variant="primary")
                yield Button("Move", id="follow-up-move-button")
                yield Button("Cancel", id="follow-up-cancel")

    def on_mount(self) -> None:
        """The note first: enter straight away marks it done."""
        self.query_one("#follow-up-note", Input).focus()

    def _new_date(self) -> tuple[date | None, str]:
        text = self.query_one("#follow-up-move", Input).value.strip()
        if not text:
            return None, "Type a new date first."
        try:
            return parse_date(text, self.today), ""
        except DateError as exc:
            return None, f"{exc.message} {exc.hint}"

    @on(Input.Changed, "#follow-up-move")
    def _update_hint(self) -> None:
        hint = self.query_one("#follow-up-move-hint", Static)
        hint.remove_class("-error", "-ok")
        if not self.query_one("#follow-up-move", Input).value.strip():
            hint.update("")
            return
        due, problem = self._new_date()
        if due is None:
            hint.update(Content(f"✗ {problem}"))
            hint.add_class("-error")
        else:
            hint.update(Content(f"→ {long_day(due)} ({relative_day(due, self.today)})"))
            hint.add_class("-ok")

    def _done(self) -> None:
        note = self.query_one("#follow-up-note", Input).value
        self.dismiss(FollowUpChoice("done", note=note.strip()))

    def _move(self) -> None:
        due, problem = self._new_date()
        if due is None:
            self.notify(problem, title="Not moved", severity="error", markup=False)
            self.query_one("#follow-up-move", Input).focus()
            return
        self.dismiss(FollowUpChoice("move", due=due))

    @on(Input.Submitted, "#follow-up-note")
    @on(Button.Pressed, "#follow-up-done")
    def _done_pressed(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        self._done()

    @on(Input.Submitted, "#follow-up-move")
    @on(Button.Pressed, "#follow-up-move-button")
    def _move_pressed(self, event: Input.Submitted | Button.Pressed) -> None:
        event.stop()
        self._move()

    @on(Button.Pressed, "#follow-up-cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_cancel(self) -> None:
        """Nothing changes."""
        self.dismiss(None)
