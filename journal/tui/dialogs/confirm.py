"""A small modal question with a few answers; it dismisses with the chosen answer's id."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static
from textual.widgets.button import ButtonVariant


class ConfirmScreen(ModalScreen[str]):
    """Ask a question; ``escape`` answers ``"cancel"``."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self,
        question: str,
        answers: Sequence[tuple[str, str, ButtonVariant]],
        *,
        title: str = "Are you sure?",
    ) -> None:
        """``answers`` are (id, label, variant) tuples; the first has the focus."""
        super().__init__()
        self.question = question
        self.answers = list(answers)
        self.title_text = title

    def compose(self) -> ComposeResult:
        """The question and one button per answer."""
        with Vertical(id="dialog", classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.question, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                for answer_id, label, variant in self.answers:
                    yield Button(label, id=f"answer-{answer_id}", variant=variant)

    def on_mount(self) -> None:
        """Focus the first answer."""
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer with the button's id."""
        event.stop()
        self.dismiss((event.button.id or "answer-cancel").removeprefix("answer-"))

    def action_cancel(self) -> None:
        """Escape means cancel."""
        self.dismiss("cancel")
