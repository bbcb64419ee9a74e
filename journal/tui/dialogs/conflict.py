"""When an entry changed in another window (or from the shell) while it was being edited.

Nothing has been saved when this opens. The user sees both texts and chooses: keep mine
(written over theirs), keep theirs (mine leaves the editor), or keep both as two entries.
Escape keeps writing: nothing is written, the editor and its draft keep every word.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from journal.display import visible, visible_line
from journal.models import Entry

#: The answers, as the dialog dismisses with them.
KEEP_MINE = "mine"
KEEP_THEIRS = "theirs"
KEEP_BOTH = "both"
SAVE_AS_NEW = "new"
NOT_NOW = "cancel"


def same_lines(mine: str, theirs: str) -> int:
    """How many lines the two bodies share from the start."""
    count = 0
    for a, b in zip(mine.split("\n"), theirs.split("\n"), strict=False):
        if a != b:
            break
        count += 1
    return count


def _shown(entry: Entry, skip: int = 0) -> str:
    """Title, tags and body; the first ``skip`` body lines (the same on both sides) folded."""
    tags = " ".join(f"#{visible_line(t)}" for t in entry.tags)
    head = [part for part in (visible_line(entry.title), tags) if part]
    lines = entry.body.split("\n")
    if skip:
        lines = [f"… {skip} line{'s' if skip != 1 else ''} the same …", *lines[skip:]]
    body = visible("\n".join(lines))
    return "\n".join([*head, "", body]) if head else body


class ConflictScreen(ModalScreen[str]):
    """Both versions side by side and the choice; dismisses with one of the answers above.

    ``theirs`` None: the entry was deleted elsewhere, and the choice is to save mine as a
    new entry or not yet.
    """

    BINDINGS = [Binding("escape", "cancel", "Keep writing")]

    def __init__(self, mine: Entry, theirs: Entry | None) -> None:
        super().__init__()
        self.mine = mine
        self.theirs = theirs

    def compose(self) -> ComposeResult:
        """The question, the two texts, the answers."""
        with Vertical(id="conflict-dialog", classes="dialog"):
            if self.theirs is None:
                yield Static("This entry was deleted elsewhere", classes="dialog-title")
                yield Static(
                    "Another window or the shell deleted it while you were editing. "
                    "Nothing has been saved yet; your text is still here.",
                    classes="dialog-body",
                )
            else:
                yield Static("This entry changed elsewhere", classes="dialog-title")
                yield Static(
                    "Another window or the shell saved it while you were editing, and its "
                    "text differs from yours. Nothing has been saved yet.\n"
                    "Keep both: yours becomes a new entry. Keep mine: yours replaces the "
                    "other text. Keep theirs: the other text comes into the editor instead "
                    "of yours.",
                    classes="dialog-body",
                )
            # Long bodies that differ near the end: start both where they part (less one
            # line of context), so the difference is in view without scrolling.
            skip = 0
            if self.theirs is not None:
                skip = max(0, same_lines(self.mine.body, self.theirs.body) - 1)
            with Horizontal(id="conflict-texts"):
                with VerticalScroll(id="conflict-mine", classes="conflict-text") as mine:
                    mine.border_title = "Yours"
                    yield Static(_shown(self.mine, skip), markup=False)
                if self.theirs is not None:
                    with VerticalScroll(id="conflict-theirs", classes="conflict-text") as theirs:
                        theirs.border_title = "Saved elsewhere"
                        yield Static(_shown(self.theirs, skip), markup=False)
            with Horizontal(classes="dialog-buttons"):
                if self.theirs is None:
                    yield Button(
                        "Save as a new entry", id=f"answer-{SAVE_AS_NEW}", variant="primary"
                    )
                else:
                    yield Button("Keep both", id=f"answer-{KEEP_BOTH}", variant="primary")
                    yield Button("Keep mine", id=f"answer-{KEEP_MINE}")
                    yield Button("Keep theirs", id=f"answer-{KEEP_THEIRS}")
                yield Button("Not now", id=f"answer-{NOT_NOW}")

    def on_mount(self) -> None:
        """Focus the answer that loses nothing."""
        self.query(Button).first().focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        """Answer with the button's id."""
        event.stop()
        self.dismiss((event.button.id or f"answer-{NOT_NOW}").removeprefix("answer-"))

    def action_cancel(self) -> None:
        """Escape: nothing is saved and the editor keeps the text."""
        self.dismiss(NOT_NOW)
