"""The check-in after a tough call: ten short steps, keyboard only, every one skippable.

The pages are in ``widgets/checkin_steps.py``; this screen moves between them, keeps the
answers as a draft and saves them.

alt+→ and alt+← move between steps without losing anything (they are not bound by TextArea or
Input, and they reach the app through tmux and ordinary terminals); ctrl+s saves from any
step; escape leaves and keeps a draft that is offered back next time. The answers become ONE
entry of kind ``checkin`` (built by :func:`journal.checkin.build_entry`).
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import (
    Button,
    ContentSwitcher,
    Input,
    RadioButton,
    RadioSet,
    Static,
    TextArea,
)

from journal.checkin import (
    NEVER,
    NO_REVISIT_WORDS,
    REACTIONS,
    STEP_IDS,
    STEPS,
    CheckinAnswers,
    CheckinDraft,
    Compassion,
    FollowUpPlan,
    build_entry,
    problems,
    step_index,
)
from journal.dates import DateError, parse_date, short_day
from journal.errors import JournalError
from journal.store.drafts import delete_checkin_draft, load_checkin_draft, save_checkin_draft
from journal.tui.dialogs.confirm import ConfirmScreen
from journal.tui.drafting import WritingScreen
from journal.tui.widgets.checkin_steps import (
    COMPASSION_FIELDS,
    TEXT_AREAS,
    CompassionPage,
    FollowUpPage,
    IntensityPage,
    ReactionPage,
    RevisitPage,
    TextPage,
    date_problem,
    default_revisit,
)
from journal.tui.widgets.fitting_footer import FittingFooter
from journal.tui.widgets.intensity import IntensityScale

#: Widgets that can take the focus when a step opens, first one wins.
FOCUSABLE = "IntensityScale, RadioSet, TextArea, Input, OptionList"


class CheckinScreen(WritingScreen[str | None]):
    """The stepper. Dismisses with the saved entry's uid, or None when left (draft kept).

    Its answers are never at risk (every change is kept as a draft), so it keeps
    :class:`WritingScreen`'s ``has_unsaved`` of False: quitting never asks.
    """

    BINDINGS = [
        Binding("alt+right", "next", "Next step", key_display="alt+→", priority=True),
        Binding("alt+left", "back", "Previous step", key_display="alt+←", priority=True),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "leave", "Leave (draft kept)"),
    ]

    def __init__(self) -> None:
        super().__init__(id="checkin")
        self.step = 0
        self.day: date = self.app.today()
        # Nothing is written until the resume question is answered: a stray write before
        # that could replace the draft the user is about to be offered back.
        self._ready = False
        self._finished = False
        self._dirty = False
        self._snapshot: CheckinDraft | None = None

    # ---- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Step indicator, one page per step, the navigation row and the footer."""
        with Horizontal(id="checkin-top"):
            yield Static("After a tough call", id="checkin-name")
            yield Static("", id="checkin-dots")
        yield Static("", id="checkin-step")
        yield Static("", id="checkin-hint")
        with ContentSwitcher(id="checkin-steps", initial=f"step-{STEP_IDS[0]}"):
            yield IntensityPage("intensity_before")
            yield TextPage("what_happened", "what_happened", labelled=False)
            yield ReactionPage("reaction")
            yield TextPage("their_side", "their_implication", "their_success")
            yield CompassionPage("compassion")
            yield TextPage("own_later", "own_later", labelled=False)
            yield FollowUpPage("follow_up", self.day)
            yield TextPage("learnt", "learnt", "keep_doing", "do_differently")
            yield RevisitPage("revisit", self.day)
            yield IntensityPage("intensity_after", compare=True)
        with Horizontal(id="checkin-nav"):
            yield Button("‹ Back", id="checkin-back", compact=True)
            yield Button("Skip", id="checkin-skip", compact=True)
            yield Button("Next ›", id="checkin-next", compact=True, variant="primary")
        yield FittingFooter()

    def on_mount(self) -> None:
        """Show the first step, then offer back a draft if one was left."""
        self.show_step(0, write=False)
        self.set_interval(2.0, self._write_if_dirty)
        try:
            draft = load_checkin_draft(self.app.store.path, self.app.store.key)
        except JournalError as exc:
            self.app.report(exc, title="Check-in draft moved aside")
            draft = None
        if draft is None or (draft.answers.is_empty and not any(draft.typed.values())):
            self._ready = True
            return
        when = ""
        with contextlib.suppress(ValueError):
            saved = datetime.fromisoformat(draft.saved)
            when = f" on {short_day(saved.date())} at {saved:%H:%M}"
        step_title = STEPS[step_index(draft.step)].title

        def answered(answer: str | None) -> None:
            if answer == "fresh":
                delete_checkin_draft(self.app.store.path)
            else:
                # Resume is also what escape means: never drop the words by accident.
                self.restore(draft)
            self._ready = True
            self._focus_step()

        self.app.push_screen(
            ConfirmScreen(
                f"You left a check-in half-way{when}, at “{step_title}”. "
                "Pick it up where you left off?",
                [("resume", "Resume", "primary"), ("fresh", "Start fresh", "default")],
                title="Unfinished check-in",
            ),
            answered,
        )

    # ---- steps ----------------------------------------------------------------------------

    @property
    def step_id(self) -> str:
        """The id of the step on screen."""
        return STEP_IDS[self.step]

    def show_step(self, index: int, *, write: bool = True) -> None:
        """Switch to step ``index`` (answers on every page stay as they are)."""
        self.step = max(0, min(index, len(STEPS) - 1))
        step = STEPS[self.step]
        self.query_one("#checkin-steps", ContentSwitcher).current = f"step-{step.id}"
        self.query_one("#checkin-step", Static).update(
            Content(f"Step {self.step + 1} of {len(STEPS)} · {step.title}")
        )
        self.query_one("#checkin-hint", Static).update(Content(step.hint))
        dots = "".join("●" if n <= self.step else "○" for n in range(len(STEPS)))
        self.query_one("#checkin-dots", Static).update(dots)
        self.query_one("#checkin-back", Button).disabled = self.step == 0
        last = self.step == len(STEPS) - 1
        self.query_one("#checkin-next", Button).label = "Save" if last else "Next ›"
        self.query_one("#checkin-skip", Button).label = "Skip and save" if last else "Skip"
        if step.id == "intensity_after":
            self._update_compare()
        self._focus_step()
        if write:
            self.write_draft()

    def _focus_step(self) -> None:
        page = self.query_one(f"#step-{self.step_id}")
        target = page.query(FOCUSABLE).first()
        # Synchronously, not widget.focus() (which is deferred): keys typed straight after
        # alt+→ must land on the new step, not on the page that was just hidden.
        self.set_focus(target)

    def action_next(self) -> None:
        """Check this step, then move on (on the last step: save)."""
        problem = self.step_problem(self.step_id)
        if problem is not None:
            field_id, message = problem
            self._show_problem(field_id, message)
            return
        if self.step == len(STEPS) - 1:
            self.action_save()
        else:
            self.show_step(self.step + 1)

    def action_skip(self) -> None:
        """Move on without checking this step (its answers stay; saving checks everything)."""
        if self.step == len(STEPS) - 1:
            self.action_save()
        else:
            self.show_step(self.step + 1)

    def action_back(self) -> None:
        """Back one step."""
        if self.step > 0:
            self.show_step(self.step - 1)

    @on(Button.Pressed, "#checkin-back")
    def _pressed_back(self) -> None:
        self.action_back()

    @on(Button.Pressed, "#checkin-skip")
    def _pressed_skip(self) -> None:
        self.action_skip()

    @on(Button.Pressed, "#checkin-next")
    def _pressed_next(self) -> None:
        self.action_next()

    # ---- reading and writing the form -----------------------------------------------------

    def default_revisit(self) -> date:
        """Today + 90 days."""
        return default_revisit(self.day)

    def _value(self, widget_id: str) -> str:
        widget = self.query_one(f"#{widget_id}")
        if isinstance(widget, TextArea):
            return widget.text
        if isinstance(widget, Input):
            return widget.value
        raise TypeError(widget_id)

    def _resolve_date(self, text: str) -> str | None:
        """A typed date as ``YYYY-MM-DD``; what was typed when it does not parse; None if empty."""
        text = text.strip()
        if not text:
            return None
        try:
            return parse_date(text, self.day).isoformat()
        except DateError:
            return text

    def _resolve_revisit(self, text: str) -> str | None:
        text = text.strip()
        if text.casefold() in NO_REVISIT_WORDS:
            return NEVER
        resolved = self._resolve_date(text)
        # The default stays "not answered", so the body only mentions a date that was chosen.
        return None if resolved == self.default_revisit().isoformat() else resolved

    def collect(self) -> CheckinAnswers:
        """Read every page into a :class:`CheckinAnswers`."""
        pressed = self.query_one("#reaction", RadioSet).pressed_button
        reaction = (pressed.id or "").removeprefix("reaction-") if pressed else None
        return CheckinAnswers(
            intensity_before=self.query_one("#intensity_before", IntensityScale).value,
            what_happened=self._value("what_happened"),
            reaction=reaction if reaction in REACTIONS else None,
            noticed=self._value("noticed"),
            their_implication=self._value("their_implication"),
            their_success=self._value("their_success"),
            compassion=Compassion(**{name: self._value(name) for name in COMPASSION_FIELDS}),
            own_later=self._value("own_later"),
            follow_up=FollowUpPlan(
                action=self._value("fu-action"), due=self._resolve_date(self._value("fu-due"))
            ),
            learnt=self._value("learnt"),
            keep_doing=self._value("keep_doing"),
            do_differently=self._value("do_differently"),
            revisit_on=self._resolve_revisit(self._value("revisit-on")),
            intensity_after=self.query_one("#intensity_after", IntensityScale).value,
        )

    def _typed(self) -> dict[str, str]:
        typed = {"due": self._value("fu-due")}
        revisit = self._value("revisit-on")
        if revisit.strip() != self.default_revisit().isoformat():
            typed["revisit"] = revisit
        return typed

    def snapshot(self) -> CheckinDraft:
        """The whole check-in as it stands, as a draft."""
        return CheckinDraft(self.collect(), self.step_id, self._typed())

    def restore(self, draft: CheckinDraft) -> None:
        """Put a draft's answers back on every page and go to its step."""
        a = draft.answers
        self.query_one("#intensity_before", IntensityScale).value = a.intensity_before
        self.query_one("#intensity_after", IntensityScale).value = a.intensity_after
        for name in TEXT_AREAS:
            self.query_one(f"#{name}", TextArea).load_text(getattr(a, name) or "")
        for name in COMPASSION_FIELDS:
            self.query_one(f"#{name}", Input).value = getattr(a.compassion, name) or ""
        if a.reaction in REACTIONS:
            self.query_one(f"#reaction-{a.reaction}", RadioButton).value = True
        self.query_one("#fu-action", Input).value = a.follow_up.action or ""
        self.query_one("#fu-due", Input).value = draft.typed.get("due", a.follow_up.due or "")
        revisit = draft.typed.get("revisit")
        if revisit is None:
            revisit = a.revisit_on or self.default_revisit().isoformat()
        self.query_one("#revisit-on", Input).value = revisit
        self.show_step(step_index(draft.step), write=False)

    def write_draft(self) -> None:
        """Keep the answers so far in the draft file (or remove it when there are none)."""
        if not self._ready or self._finished:
            return
        # Before the pages are mounted there is nothing to read yet: keep the last snapshot.
        with contextlib.suppress(NoMatches):
            self._snapshot = self.snapshot()
        self._store_draft()

    def _store_draft(self) -> None:
        draft = self._snapshot
        if draft is None:
            return
        path = self.app.store.path
        try:
            if draft.answers.is_empty and not draft.typed.get("due", "").strip():
                delete_checkin_draft(path)
            else:
                save_checkin_draft(path, draft, self.app.now(), key=self.app.store.key)
            self._dirty = False
        except OSError as exc:
            self.notify(
                f"The check-in draft could not be written ({exc}). Your answers are still here.",
                severity="warning",
                markup=False,
            )

    def _write_if_dirty(self) -> None:
        if self._dirty:
            self.write_draft()

    @on(TextArea.Changed)
    @on(Input.Changed)
    @on(RadioSet.Changed)
    @on(IntensityScale.Changed)
    def _changed(self, event: object) -> None:
        if not self._ready or self._finished:
            return
        self._dirty = True
        # Kept current on every change, so even an abrupt exit can write the latest answers.
        with contextlib.suppress(NoMatches):
            self._snapshot = self.snapshot()

    def flush_draft(self) -> None:
        """Write the answers so far now (the app calls this when the terminal goes away)."""
        if self._ready and not self._finished:
            self._store_draft()

    def on_unmount(self) -> None:
        """Quitting mid-way keeps the latest answers as a draft."""
        if self._ready and not self._finished and self._dirty:
            self._store_draft()

    # ---- checking -------------------------------------------------------------------------

    def step_problem(self, step_id: str) -> tuple[str, str] | None:
        """(widget id, message) for the first thing stopping ``step_id``, or None."""
        if step_id == "follow_up":
            due = self._value("fu-due").strip()
            if due and (problem := date_problem(due, self.day)):
                return "fu-due", problem
        if step_id == "revisit":
            text = self._value("revisit-on").strip()
            if text and text.casefold() not in NO_REVISIT_WORDS:
                problem = date_problem(text, self.day)
                if problem:
                    return "revisit-on", problem
        widget_for = {"due": "fu-due", "action": "fu-action", "revisit_on": "revisit-on"}
        for found in problems(self.collect()):
            if found.step == step_id:
                return widget_for.get(found.field, found.field), found.message
        return None

    def _show_problem(self, widget_id: str, message: str) -> None:
        self.notify(message, title="Not yet", severity="error", markup=False)
        # A problem may name a field no page shows (nothing to focus then).
        with contextlib.suppress(NoMatches):
            self.query_one(f"#{widget_id}", Widget).focus()

    # ---- intensity --------------------------------------------------------------------------

    @on(IntensityScale.Changed, "#intensity_after")
    def _update_compare(self) -> None:
        before = self.query_one("#intensity_before", IntensityScale).value
        after = self.query_one("#intensity_after", IntensityScale).value
        self.query_one("#step-intensity_after", IntensityPage).show_change(before, after)

    # ---- saving and leaving -----------------------------------------------------------------

    def action_save(self) -> None:
        """Save the check-in as one entry and go back to Today."""
        self.save()

    def save(self) -> bool:
        """Check every step, save one entry, remove the draft; True when it is on disk."""
        for step_id in ("follow_up", "revisit"):
            problem = self.step_problem(step_id)
            if problem is not None:
                self.show_step(step_index(step_id))
                self._show_problem(*problem)
                return False
        answers = self.collect()
        found = problems(answers)
        if found:
            self.show_step(step_index(found[0].step))
            self._show_problem(found[0].field, found[0].message)
            return False
        try:
            entry = build_entry(answers, self.app.today(), self.app.now())
            self.app.store.add(entry)
        except JournalError as exc:
            self.app.report(exc, title="Not saved: your answers are still here")
            return False
        self._finished = True
        try:
            delete_checkin_draft(self.app.store.path)
        except OSError:
            pass
        self.notify(self._saved_message(answers, entry.revisit_on), title="Check-in saved")
        self.dismiss(entry.uid)
        return True

    def _saved_message(self, answers: CheckinAnswers, revisit_on: str | None) -> str:
        from journal.stats import compute_stats

        lines = []
        if answers.intensity_before is not None and answers.intensity_after is not None:
            lines.append(f"Intensity {answers.intensity_before} → {answers.intensity_after}.")
        plan = answers.follow_up
        if plan.action and plan.due:
            lines.append(f"Follow-up due {short_day(plan.due)}: {plan.action.strip()}")
        if revisit_on:
            lines.append(f"It comes back for a second look on {short_day(revisit_on)}.")
        try:
            summary = compute_stats(self.app.store, self.app.today()).summary()
        except JournalError:
            summary = ""
        if summary:
            lines.append(summary[0].upper() + summary[1:] + ".")
        return "\n".join(lines) or "Saved."

    def action_leave(self) -> None:
        """Back to Today; the answers so far stay as a draft for next time."""
        self.write_draft()
        kept = self._snapshot is not None and not self._snapshot.answers.is_empty
        self._finished = True
        if kept:
            self.notify("Kept as a draft: f2 picks it up again.", title="Check-in paused")
        self.dismiss(None)
