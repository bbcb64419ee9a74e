"""The weekly review (f8): the week's entries and check-ins, the follow-ups due, and one or two
review questions, saved as one entry tagged ``weekly-review``."""

from __future__ import annotations

from datetime import date

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static, TextArea

from journal.display import visible_line
from journal.due import due_items
from journal.errors import JournalError
from journal.models import Entry, PromptRef
from journal.prompts import (
    REVIEW_TAG,
    Prompt,
    review_body,
    review_questions,
    review_title,
    review_week,
    weekly_prompt,
)
from journal.store.drafts import Draft
from journal.tui.drafting import DraftKeeper, WritingScreen
from journal.tui.widgets.fitting_footer import FittingFooter


def week_text(entries: list[Entry], day: date) -> str:
    """The week's entries, oldest first, one line each (the user's text escaped)."""
    if not entries:
        return "Nothing written this week. That is fine: the review can start from here."
    lines = []
    for entry in sorted(entries, key=lambda e: (e.day, e.created)):
        when = date.fromisoformat(entry.day)
        mark = "check-in · " if entry.kind == "checkin" else ""
        lines.append(f"{when:%a} {when.day}  {mark}{visible_line(entry.headline)}")
    checkins = sum(e.kind == "checkin" for e in entries)
    count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
    if checkins:
        count += f", {checkins} check-in{'s' if checkins != 1 else ''}"
    return "\n".join([count, "", *lines])


class WeeklyReviewScreen(WritingScreen[str | None]):
    """Write the week's review; dismisses with the saved entry's uid (or None)."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save the review", priority=True),
        Binding("escape", "leave", "Back to Today"),
    ]

    def __init__(self, day: date) -> None:
        super().__init__(id="weekly-review")
        self.day = day
        self.prompt: Prompt | None = None
        self.questions: list[str] = []
        #: The uid of the review saved here, once saved.
        self.saved_uid: str | None = None
        #: The answers, autosaved as they are typed: a kill or a crash costs a moment of
        #: typing, and the next start offers them back on Today (as one entry's text).
        self.drafts = DraftKeeper(self)

    def compose(self) -> ComposeResult:
        """The week on the left, the review questions on the right."""
        app = self.app
        feed = app.prompt_feed()
        self.prompt = weekly_prompt(feed, self.day, app.prompt_moment(self.day))
        self.questions = (
            review_questions(self.prompt)
            if self.prompt is not None
            else ["How did this week go?", "What would you like to carry into next week?"]
        )
        with Horizontal(id="review-top"):
            yield Static("Weekly review", id="review-name")
            yield Static(review_title(self.day).split(" · ", 1)[1], id="review-when")
        with Horizontal(id="review-main"):
            with VerticalScroll(id="review-week"):
                yield Static(id="review-entries")
                yield Static(id="review-due")
            with Vertical(id="review-writer"):
                for number, question in enumerate(self.questions):
                    yield Static(Content(question), classes="field-label")
                    yield TextArea("", id=f"review-answer-{number}", soft_wrap=True)
        yield FittingFooter()

    def on_mount(self) -> None:
        """Fill in the week and put the cursor on the first question."""
        self.query_one("#review-week").border_title = "This week"
        self.refresh_week()
        self.query_one("#review-answer-0", TextArea).focus()
        self.drafts.start(offer=False)

    def on_unmount(self) -> None:
        """Release this screen's draft file (a draft in it stays for the next start)."""
        self.drafts.stop()

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        """An answer changed: keep the draft up with it."""
        self.drafts.changed()

    def current_draft(self) -> Draft:
        """The answers as an entry's draft: what a save would write."""
        prompt = self.prompt
        return Draft(
            title=review_title(self.day),
            tags=REVIEW_TAG,
            body=review_body(self.questions, self.answers()),
            prompt=PromptRef(prompt.id, prompt.pack, prompt.text) if prompt else None,
            day=self.day.isoformat(),
        )

    def discard_draft(self) -> None:
        """The user chose to discard the answers (app.guard_unsaved)."""
        self.drafts.discard()

    def flush_draft(self) -> None:
        """Write the draft now: the terminal is going away."""
        self.drafts.flush()

    def refresh_week(self) -> None:
        """List the week's entries and what is due."""
        from journal.store import make_filter

        store = self.app.store
        first, last = review_week(self.day)
        entries = store.entries(make_filter(since=first, until=last))
        self.query_one("#review-entries", Static).update(Content(week_text(entries, self.day)))
        due = [item for item in due_items(store, self.day) if item.kind == "follow_up"]
        if due:
            text = "Follow-ups due\n" + "\n".join(
                f"· {visible_line(item.label(self.day))}" for item in due
            )
        else:
            text = "Follow-ups due\n· none: every promise is kept or not yet due"
        self.query_one("#review-due", Static).update(Content(text))

    def answers(self) -> list[str]:
        """What is written now, one per question."""
        return [
            self.query_one(f"#review-answer-{n}", TextArea).text for n in range(len(self.questions))
        ]

    @property
    def has_unsaved(self) -> bool:
        """True when something is written and not saved (the quit guard asks about it)."""
        return any(a.strip() for a in self.answers())

    def action_save(self) -> None:
        """Save the review and go back to Today."""
        if self.save():
            self.dismiss(self.saved_uid)

    def save(self) -> bool:
        """Save the review as one entry; True when it is on disk."""
        body = review_body(self.questions, self.answers())
        if not body:
            self.notify("Write something first: one question is enough.", severity="warning")
            return False
        prompt = self.prompt
        entry = Entry.new(
            body,
            title=review_title(self.day),
            tags=[REVIEW_TAG],
            day=self.day,
            prompt=PromptRef(prompt.id, prompt.pack, prompt.text) if prompt else None,
            moment=self.app.now(),
        )
        store = self.app.store
        try:
            with store.transaction():
                store.add(entry)
                if prompt is not None:
                    store.log_prompt(self.day.isoformat(), prompt.id, prompt.pack, "answered")
        except JournalError as exc:
            self.app.report(exc, title="Not saved: your text is still here")
            return False
        self.saved_uid = entry.uid
        self.drafts.saved()
        for n in range(len(self.questions)):
            self.query_one(f"#review-answer-{n}", TextArea).load_text("")
        self.notify("Saved your weekly review.", title="Saved")
        return True

    def action_leave(self) -> None:
        """Back to Today (asks first when something is written)."""
        self.app.guard_unsaved(self._leave, doing="leave the review")

    def _leave(self) -> None:
        self.dismiss(self.saved_uid)
