"""The check-in after a tough call: ten short steps, keyboard only, every one skippable.

alt+→ and alt+← move between steps without losing anything (they are not bound by TextArea or
Input, and they reach the app through tmux and ordinary terminals); ctrl+s saves from any
step; escape leaves and keeps a draft that is offered back next time. The answers become ONE
entry of kind ``checkin`` (built by :func:`journal.checkin.build_entry`).
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime, timedelta

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widget import Widget
from textual.widgets import (
    Button,
    ContentSwitcher,
    Footer,
    Input,
    OptionList,
    RadioButton,
    RadioSet,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from journal.checkin import (
    DATE_WORDS,
    FIELD_LABELS,
    KIND_PHRASES,
    NEVER,
    NO_REVISIT_WORDS,
    REACTION_LABELS,
    REACTIONS,
    REVISIT_DEFAULT_DAYS,
    STEP_IDS,
    STEPS,
    CheckinAnswers,
    CheckinDraft,
    Compassion,
    FollowUpPlan,
    build_entry,
    delete_draft,
    intensity_word,
    load_draft,
    long_day,
    problems,
    relative_day,
    save_draft,
    short_day,
    step_index,
)
from journal.dates import DateError, parse_date
from journal.errors import JournalError
from journal.tui.dialogs.confirm import ConfirmScreen
from journal.tui.drafting import WritingScreen
from journal.tui.widgets.intensity import IntensityScale

#: Free-text fields that are TextAreas, with their placeholders.
TEXT_AREAS: dict[str, str] = {
    "what_happened": "Facts only: who said what, and what happened next. The judgement can wait.",
    "noticed": "What I noticed in myself: heat, speed, the urge to explain or defend…",
    "their_implication": "What is the implication for them? (Ask: what does this mean for you?)",
    "their_success": "What would success look like for them? (Ask: how would you like this "
    "to end?)",
    "own_later": "The acknowledgement or apology to make, and roughly what I would say.",
    "learnt": "What I learnt",
    "keep_doing": "What I will keep doing",
    "do_differently": "What I will do differently next time",
}
COMPASSION_FIELDS = ("hard_moment_ack", "shared_humanity", "what_i_need")
COMPASSION_PLACEHOLDERS = {
    "hard_moment_ack": "This is hard because…",
    "shared_humanity": "Other people have been here too…",
    "what_i_need": "What I need to hear right now…",
}
NOT_SURE = "not-sure"
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
            yield from self._compose_steps()
        with Horizontal(id="checkin-nav"):
            yield Button("‹ Back", id="checkin-back", compact=True)
            yield Button("Skip", id="checkin-skip", compact=True)
            yield Button("Next ›", id="checkin-next", compact=True, variant="primary")
        yield Footer()

    def _label(self, text: str) -> Static:
        return Static(text, classes="field-label")

    def _text_area(self, name: str) -> TextArea:
        return TextArea(
            "", id=name, soft_wrap=True, tab_behavior="focus", placeholder=TEXT_AREAS[name]
        )

    def _compose_steps(self) -> ComposeResult:
        with Vertical(id="step-intensity_before", classes="checkin-page"):
            yield IntensityScale(id="intensity_before")
        with Vertical(id="step-what_happened", classes="checkin-page"):
            yield self._text_area("what_happened")
        with Vertical(id="step-reaction", classes="checkin-page"):
            with RadioSet(id="reaction", compact=True):
                for value in REACTIONS:
                    yield RadioButton(REACTION_LABELS[value], id=f"reaction-{value}")
                yield RadioButton("Not sure yet", id=f"reaction-{NOT_SURE}")
            yield self._label(FIELD_LABELS["noticed"])
            yield self._text_area("noticed")
        with Vertical(id="step-their_side", classes="checkin-page"):
            yield self._label(FIELD_LABELS["their_implication"])
            yield self._text_area("their_implication")
            yield self._label(FIELD_LABELS["their_success"])
            yield self._text_area("their_success")
        with Vertical(id="step-compassion", classes="checkin-page"):
            for name in COMPASSION_FIELDS:
                yield self._label(FIELD_LABELS[name])
                yield Input(
                    placeholder=COMPASSION_PLACEHOLDERS[name],
                    id=name,
                    compact=True,
                    select_on_focus=False,
                )
            yield self._label("Kind phrases (enter puts one in its field; then edit it)")
            yield OptionList(*self._phrase_options(), id="phrases")
        with Vertical(id="step-own_later", classes="checkin-page"):
            yield self._text_area("own_later")
        with Vertical(id="step-follow_up", classes="checkin-page"):
            yield self._label("What I will do")
            yield Input(
                placeholder="e.g. Call Sam back with the new delivery date",
                id="fu-action",
                compact=True,
                select_on_focus=False,
            )
            yield self._label("By when")
            yield Input(placeholder=DATE_WORDS, id="fu-due", compact=True, select_on_focus=False)
            yield Static("", id="fu-due-hint", classes="date-hint")
        with Vertical(id="step-learnt", classes="checkin-page"):
            for name in ("learnt", "keep_doing", "do_differently"):
                yield self._label(FIELD_LABELS[name])
                yield self._text_area(name)
        with Vertical(id="step-revisit", classes="checkin-page"):
            yield self._label("Look back on")
            yield Input(
                self.default_revisit().isoformat(),
                placeholder="a date, +6m, or never",
                id="revisit-on",
                compact=True,
            )
            yield Static("", id="revisit-hint", classes="date-hint")
        with Vertical(id="step-intensity_after", classes="checkin-page"):
            yield IntensityScale(id="intensity_after")
            yield Static("", id="intensity-compare")

    @staticmethod
    def _phrase_options() -> list[Option]:
        options: list[Option] = []
        for name in COMPASSION_FIELDS:
            options.append(
                Option(Content.styled(FIELD_LABELS[name], "bold $text-muted"), disabled=True)
            )
            for n, phrase in enumerate(KIND_PHRASES[name]):
                options.append(Option(f"  {phrase}", id=f"{name}:{n}"))
        return options

    def on_mount(self) -> None:
        """Show the first step, then offer back a draft if one was left."""
        self.show_step(0, write=False)
        self._update_due_hint()
        self._update_revisit_hint()
        self.set_interval(2.0, self._write_if_dirty)
        try:
            draft = load_draft(self.app.store.path, self.app.store.key)
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
                delete_draft(self.app.store.path)
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
        return self.day + timedelta(days=REVISIT_DEFAULT_DAYS)

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
        with contextlib.suppress(Exception):
            self._snapshot = self.snapshot()
        self._store_draft()

    def _store_draft(self) -> None:
        draft = self._snapshot
        if draft is None:
            return
        path = self.app.store.path
        try:
            if draft.answers.is_empty and not draft.typed.get("due", "").strip():
                delete_draft(path)
            else:
                save_draft(path, draft, self.app.now(), key=self.app.store.key)
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
        with contextlib.suppress(Exception):
            self._snapshot = self.snapshot()

    def flush_draft(self) -> None:
        """Write the answers so far now (the app calls this when the terminal goes away)."""
        if self._ready and not self._finished:
            self._store_draft()

    def on_unmount(self) -> None:
        """Quitting mid-way keeps the latest answers as a draft."""
        if self._ready and not self._finished and self._dirty:
            self._store_draft()

    # ---- the date fields --------------------------------------------------------------------

    def _date_problem(self, text: str) -> str | None:
        try:
            parse_date(text, self.day)
        except DateError as exc:
            return f"{exc.message} {exc.hint}"
        return None

    @on(Input.Changed, "#fu-due, #fu-action")
    def _update_due_hint(self) -> None:
        hint = self.query_one("#fu-due-hint", Static)
        text = self._value("fu-due").strip()
        action = self._value("fu-action").strip()
        hint.remove_class("-error", "-ok", "-warn")
        if not text:
            if action:
                hint.update("When will you do it? A follow-up needs a date.")
                hint.add_class("-warn")
            else:
                hint.update(f"Dates: {DATE_WORDS}. Leave both empty for no follow-up.")
            return
        problem = self._date_problem(text)
        if problem:
            hint.update(Content(f"✗ {problem}"))
            hint.add_class("-error")
            return
        due = parse_date(text, self.day)
        note = relative_day(due, self.day)
        if due < self.day:
            note += ", already past"
        hint.update(Content(f"→ {long_day(due)} ({note})"))
        hint.add_class("-ok")

    @on(Input.Changed, "#revisit-on")
    def _update_revisit_hint(self) -> None:
        hint = self.query_one("#revisit-hint", Static)
        text = self._value("revisit-on").strip()
        hint.remove_class("-error", "-ok", "-warn")
        default = self.default_revisit()
        if not text:
            hint.update(Content(f"Empty means the default: {long_day(default)} (in 90 days)."))
            return
        if text.casefold() in NO_REVISIT_WORDS:
            hint.update("No revisit: this one will not come back.")
            hint.add_class("-warn")
            return
        problem = self._date_problem(text)
        if problem:
            hint.update(Content(f"✗ {problem} Or type never."))
            hint.add_class("-error")
            return
        day = parse_date(text, self.day)
        hint.update(Content(f"→ {long_day(day)} ({relative_day(day, self.day)})"))
        hint.add_class("-ok")

    def step_problem(self, step_id: str) -> tuple[str, str] | None:
        """(widget id, message) for the first thing stopping ``step_id``, or None."""
        if step_id == "follow_up":
            due = self._value("fu-due").strip()
            if due and (problem := self._date_problem(due)):
                return "fu-due", problem
        if step_id == "revisit":
            text = self._value("revisit-on").strip()
            if text and text.casefold() not in NO_REVISIT_WORDS:
                problem = self._date_problem(text)
                if problem:
                    return "revisit-on", problem
        widget_for = {"due": "fu-due", "action": "fu-action", "revisit_on": "revisit-on"}
        for found in problems(self.collect()):
            if found.step == step_id:
                return widget_for.get(found.field, found.field), found.message
        return None

    def _show_problem(self, widget_id: str, message: str) -> None:
        self.notify(message, title="Not yet", severity="error", markup=False)
        with contextlib.suppress(Exception):
            self.query_one(f"#{widget_id}", Widget).focus()

    # ---- phrases ----------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#phrases")
    def _phrase_picked(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        name, _, n = (event.option.id or "").partition(":")
        if name not in KIND_PHRASES:
            return
        phrase = KIND_PHRASES[name][int(n)]
        field = self.query_one(f"#{name}", Input)
        current = field.value.rstrip()
        # Added after what is there, never over it: the user's own words come first.
        field.value = f"{current} {phrase}" if current else phrase
        field.focus()
        field.cursor_position = len(field.value)

    # ---- intensity --------------------------------------------------------------------------

    @on(IntensityScale.Changed, "#intensity_after")
    def _update_compare(self) -> None:
        before = self.query_one("#intensity_before", IntensityScale).value
        after = self.query_one("#intensity_after", IntensityScale).value
        compare = self.query_one("#intensity-compare", Static)
        if before is None:
            compare.update("")
            return
        text = f"At the start: {before} of 10 ({intensity_word(before)})."
        if after is not None:
            change = before - after
            if change > 0:
                text += f" Down {change}."
            elif change < 0:
                text += f" Up {-change}: that happens, and it is worth knowing."
            else:
                text += " About the same."
        compare.update(Content(text))

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
            delete_draft(self.app.store.path)
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
