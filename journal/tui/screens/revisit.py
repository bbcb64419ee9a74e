"""Looking back: the original entry (and any earlier looks back) beside the revisit questions."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widgets import Markdown, Static, TextArea

from journal.checkin import intensity_word, with_revisit_rating
from journal.dates import long_day
from journal.due import (
    REVISIT_QUESTIONS,
    STING_QUESTION,
    TO_PAST_ME,
    RevisitAnswers,
    build_revisit,
    revisits_of,
)
from journal.errors import JournalError
from journal.models import Entry
from journal.tui.drafting import WritingScreen
from journal.tui.widgets.fitting_footer import FittingFooter
from journal.tui.widgets.intensity import IntensityScale

#: The free-text questions, in the order they are asked.
QUESTIONS: dict[str, str] = {"to_past_me": TO_PAST_ME, **REVISIT_QUESTIONS}


def feeling_then(entry: Entry) -> str:
    """How the check-in felt when it was written: its feeling words and ratings, or ""."""
    answers = entry.checkin if entry.kind == "checkin" and entry.checkin else {}
    words = [w for w in answers.get("feelings") or [] if isinstance(w, str)]
    first, last = answers.get("intensity_before"), answers.get("intensity_after")
    parts = []
    if words:
        parts.append(", ".join(words))
    if isinstance(first, int):
        rating = f"{first} of 10 ({intensity_word(first)})"
        if isinstance(last, int):
            rating += f", {last} by the end"
        parts.append(rating)
    return "Then: " + " · ".join(parts) if parts else ""


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
            if isinstance(answers.get("sting"), int):
                parts += [f"**{STING_QUESTION}** {answers['sting']} of 10", ""]
            for name, question in QUESTIONS.items():
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
            with VerticalScroll(id="revisit-writer"):
                if self.original.kind == "checkin":
                    then = feeling_then(self.original) or "Then: no rating was given."
                    yield Static(Content(then), id="revisit-then")
                    yield Static(STING_QUESTION, classes="field-label")
                    yield IntensityScale(id="revisit-sting")
                for name, question in QUESTIONS.items():
                    yield Static(question, classes="field-label")
                    yield TextArea("", id=f"revisit-{name}", soft_wrap=True, tab_behavior="focus")
        yield FittingFooter()

    def on_mount(self) -> None:
        """Render the original and put the cursor on the first question."""
        self.refresh_original()
        first = self.query("#revisit-sting")
        if first:
            first.first().focus()
        else:
            self.query_one(f"#revisit-{next(iter(QUESTIONS))}", TextArea).focus()

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
        sting = self.query("#revisit-sting")
        return RevisitAnswers(
            sting=sting.first(IntensityScale).value if sting else None,
            to_past_me=self.query_one("#revisit-to_past_me", TextArea).text,
            learnt_since=self.query_one("#revisit-learnt_since", TextArea).text,
            course_corrected=self.query_one("#revisit-course_corrected", TextArea).text,
            outcome_changed=self.query_one("#revisit-outcome_changed", TextArea).text,
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
            self.notify(
                "Rate it or write something first: one question is enough.", severity="warning"
            )
            return False
        try:
            entry = build_revisit(self.original, answers, self.app.today(), self.app.now())
            rated = None
            if answers.sting is not None and self.original.kind == "checkin":
                # The rating at the look-back is the check-in's third rating.
                current = self.app.store.get(self.original.uid) or self.original
                rated = with_revisit_rating(current, answers.sting, self.app.now())
            with self.app.store.transaction():
                self.app.store.add(entry)
                if rated is not None:
                    self.app.store.update(rated, expected=current, touch=False)
            if rated is not None:
                self.original = rated
        except JournalError as exc:
            self.app.report(exc, title="Not saved: your text is still here")
            return False
        self.saved_uid = entry.uid
        for name in QUESTIONS:
            self.query_one(f"#revisit-{name}", TextArea).load_text("")
        for scale in self.query("#revisit-sting").results(IntensityScale):
            scale.value = None
        self.refresh_original()
        self.notify("Saved your look back. It is listed under the original.", title="Saved")
        return True

    def action_leave(self) -> None:
        """Back to Today (asks first when something is written)."""
        self.app.guard_unsaved(self._leave, doing="leave")

    def _leave(self) -> None:
        self.dismiss(self.saved_uid)
