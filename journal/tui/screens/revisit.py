"""Looking back: the original entry (and any earlier looks back) beside the revisit questions."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Markdown, Static, TextArea

from journal.dates import long_day
from journal.due import REVISIT_QUESTIONS, RevisitAnswers, build_revisit, revisits_of
from journal.errors import JournalError
from journal.models import Entry
from journal.tui.drafting import WritingScreen
from journal.tui.widgets.fitting_footer import FittingFooter


def original_markdown(entry: Entry, revisits: list[Entry]) -> str:
    """The original entry as one Markdown document, its earlier revisits listed under it."""
    parts = [f"# {entry.headline}", "", f"*{long_day(entry.day)}*", "", entry.body.strip()]
    if entry.follow_up is not None:
        fu = entry.follow_up
        state = f"done {fu.done[:10]}" if fu.done else f"due {fu.due}"
        note = f" ({fu.note})" if fu.note else ""
        parts += ["", f"**Follow-up:** {fu.action}, {state}{note}"]
    parts += ["", "---", ""]
    if revisits:
        parts += [f"# Looked back {len(revisits)} time{'s' if len(revisits) != 1 else ''}", ""]
        for revisit in revisits:
            parts += [f"## {long_day(revisit.day)}", ""]
            answers = (revisit.checkin or {}).get("revisit") or {}
            for name, question in REVISIT_QUESTIONS.items():
                if answers.get(name):
                    parts += [f"**{question}** {answers[name]}", ""]
    else:
        parts.append("*Not looked back on yet.*")
    return "\n".join(parts)


class RevisitScreen(WritingScreen[str | None]):
    """Write a look back on one entry; dismisses with the new revisit's uid (or None)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save the look back", priority=True),
        Binding("escape", "leave", "Back to Today"),
    ]

    def __init__(self, original: Entry) -> None:
        super().__init__(id="revisit")
        self.original = original
        #: The uid of the revisit saved here, once saved.
        self.saved_uid: str | None = None

    def compose(self) -> ComposeResult:
        """Original (read-only, rendered) on the left, the three questions on the right."""
        with Horizontal(id="revisit-top"):
            yield Static("Looking back", id="revisit-name")
            yield Static(f"on {long_day(self.original.day)}", id="revisit-when")
        with Horizontal(id="revisit-main"):
            with VerticalScroll(id="revisit-original"):
                yield Markdown(id="revisit-markdown")
            with Vertical(id="revisit-writer"):
                for name, question in REVISIT_QUESTIONS.items():
                    yield Static(question, classes="field-label")
                    yield TextArea("", id=f"revisit-{name}", soft_wrap=True, tab_behavior="focus")
        yield FittingFooter()

    def on_mount(self) -> None:
        """Render the original and put the cursor on the first question."""
        self.refresh_original()
        self.query_one(f"#revisit-{next(iter(REVISIT_QUESTIONS))}", TextArea).focus()

    def refresh_original(self) -> None:
        """Show the original with its revisits (both directions of the link)."""
        revisits = revisits_of(self.app.store, self.original.uid)
        self.query_one("#revisit-original").border_title = (
            f"The entry · looked back {len(revisits)}×" if revisits else "The entry"
        )
        self.query_one("#revisit-markdown", Markdown).update(
            original_markdown(self.original, revisits)
        )

    def answers(self) -> RevisitAnswers:
        """What is written now."""
        return RevisitAnswers(
            **{
                name: self.query_one(f"#revisit-{name}", TextArea).text
                for name in REVISIT_QUESTIONS
            }
        )

    @property
    def has_unsaved(self) -> bool:
        """True when something is written and not saved (the quit guard asks about it)."""
        return not self.answers().is_empty

    def action_save(self) -> None:
        """Save the look back and go back to Today."""
        if self.save():
            self.dismiss(self.saved_uid)

    def save(self) -> bool:
        """Save one ``revisit`` entry linked to the original; True when it is on disk."""
        answers = self.answers()
        if answers.is_empty:
            self.notify("Write something first: one question is enough.", severity="warning")
            return False
        try:
            entry = build_revisit(self.original, answers, self.app.today(), self.app.now())
            self.app.store.add(entry)
        except JournalError as exc:
            self.app.report(exc, title="Not saved: your text is still here")
            return False
        self.saved_uid = entry.uid
        for name in REVISIT_QUESTIONS:
            self.query_one(f"#revisit-{name}", TextArea).load_text("")
        self.refresh_original()
        self.notify("Saved your look back. It is listed under the original.", title="Saved")
        return True

    def action_leave(self) -> None:
        """Back to Today (asks first when something is written)."""
        self.app.guard_unsaved(self._leave, doing="leave")

    def _leave(self) -> None:
        self.dismiss(self.saved_uid)
