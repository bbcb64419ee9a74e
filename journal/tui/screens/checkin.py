"""The check-in after a tough call: five quick steps, keyboard only, every one skippable, then
"go deeper now, or later from Today?".

The pages are in ``widgets/checkin_steps.py``; this screen moves between them, keeps the
answers as a draft and saves them. The too-raw choices, the breathing minute and the help note
are in ``screens/checkin_care.py``.

alt+→ and alt+← move between steps without losing anything (they are not bound by TextArea or
Input, and they reach the app through tmux and ordinary terminals); ctrl+s saves from any
step; escape leaves and keeps a draft that is offered back next time. The answers become ONE
entry of kind ``checkin`` (built by :func:`journal.checkin.build_entry`). A saved check-in
reopens here with its answers (:func:`journal.checkin.answers_of`), and saving it rewrites the
structured answers and the body together (:func:`journal.checkin.rebuild_entry`).
"""

from __future__ import annotations

import contextlib
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.css.query import NoMatches
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import (
    Button,
    ContentSwitcher,
    Input,
    OptionList,
    RadioButton,
    RadioSet,
    Static,
    TextArea,
)

from journal.checkin import (
    CROSSROADS,
    DEEP_STEPS,
    NEVER,
    NO_REVISIT_WORDS,
    QUICK_STEPS,
    RAW_AT,
    REACTIONS,
    STEP_IDS,
    STEPS,
    CheckinAnswers,
    CheckinDraft,
    Compassion,
    FollowUpPlan,
    answers_of,
    build_entry,
    closing_message,
    feeling_words,
    help_note,
    problems,
    rebuild_entry,
    step_index,
    title_is_own,
)
from journal.dates import DateError, parse_date, short_day
from journal.errors import JournalError
from journal.models import Entry, normalise_tags
from journal.store import EditConflictError
from journal.store.drafts import delete_checkin_draft, load_checkin_draft, save_checkin_draft
from journal.tui.dialogs.confirm import ConfirmScreen
from journal.tui.drafting import WritingScreen
from journal.tui.screens.checkin_care import (
    BREATH_SECONDS,
    RAW_BREATHE,
    RAW_HELP,
    RAW_LATER,
    BreathingScreen,
    HelpNoteScreen,
    TooRawScreen,
)
from journal.tui.widgets.checkin_steps import (
    CHOICE_DEEPER,
    OLD_COMPASSION_FIELDS,
    TEXT_AREAS,
    CrossroadsPage,
    FeelingAfterPage,
    FeelingPage,
    FeelingPicker,
    FollowUpPage,
    KindnessPage,
    ReactionPage,
    TextPage,
    TitlePage,
    date_problem,
    default_revisit,
)
from journal.tui.widgets.fitting_footer import FittingFooter
from journal.tui.widgets.intensity import IntensityScale

if TYPE_CHECKING:
    from journal.tui.app import JournalApp

#: Widgets that can take the focus when a step opens, first one wins.
FOCUSABLE = "FeelingPicker, PhrasePicker, IntensityScale, RadioSet, TextArea, Input, OptionList"


def offer_unfinished_checkin(screen: Screen[Any], app: JournalApp) -> None:
    """Tell the user, on Today, that a check-in is waiting to be finished (f2 resumes it)."""
    if app.start == "checkin":
        return  # the check-in opens next and asks about its draft itself
    store = app.store
    try:
        draft = load_checkin_draft(store.path, store.key)
    except (JournalError, OSError):
        return
    if draft is None or draft.answers.is_empty:
        return
    screen.notify(
        "A check-in is waiting for you to finish it, whenever you are ready: f2 picks it up.",
        title="Unfinished check-in",
        timeout=12,
    )


class CheckinScreen(WritingScreen[str | None]):
    """The stepper. Dismisses with the saved entry's uid, or None when left (draft kept).

    A new check-in's answers are never at risk (every change is kept as a draft), so quitting
    never asks; a saved check-in opened here asks before its changes are dropped.
    """

    BINDINGS = [
        Binding("alt+right", "next", "Next step", key_display="alt+→", priority=True),
        Binding("alt+left", "back", "Previous step", key_display="alt+←", priority=True),
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "leave", "Leave (draft kept)"),
    ]

    #: How long "breathe for a minute" lasts; tests set it shorter.
    breath_seconds: float = BREATH_SECONDS

    def __init__(self, entry: Entry | None = None) -> None:
        super().__init__(id="checkin")
        self.step = 0
        #: The saved check-in being changed, or None for a new one.
        self.entry = entry
        self.day: date = entry.day_date if entry is not None else self.app.today()
        # Nothing is written until the resume question is answered: a stray write before
        # that could replace the draft the user is about to be offered back.
        self._ready = False
        self._finished = False
        self._dirty = False
        self._raw_offered = False
        self._snapshot: CheckinDraft | None = None
        self._loaded: dict[str, object] | None = None
        self.note = help_note(self.app.settings.help_note)

    # ---- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Step indicator, one page per step, the navigation row and the footer."""
        with Horizontal(id="checkin-top"):
            name = "Check-in" if self.entry is None else f"Check-in of {short_day(self.day)}"
            yield Static(f"{name} · after a tough call", id="checkin-name")
            yield Static("", id="checkin-dots")
        yield Static("", id="checkin-step")
        yield Static("", id="checkin-hint")
        with ContentSwitcher(id="checkin-steps", initial=f"step-{STEP_IDS[0]}"):
            yield from self._pages()
        with Horizontal(id="checkin-nav"):
            yield Button("‹ Back", id="checkin-back", compact=True)
            yield Button("Skip", id="checkin-skip", compact=True)
            yield Button("Next ›", id="checkin-next", compact=True, variant="primary")
        yield FittingFooter()

    def _pages(self) -> ComposeResult:
        yield FeelingPage("feeling")
        yield KindnessPage("kindness", self.note)
        yield TextPage("what_happened", "what_happened", labelled=False)
        yield FollowUpPage("follow_up", self.day)
        yield FeelingAfterPage("feeling_after", self.note)
        yield CrossroadsPage(CROSSROADS)
        yield ReactionPage("first_move")
        yield TextPage("story", "story", "fairer_line")
        yield TextPage("their_side", "their_implication", "their_success", "say_back")
        yield TextPage("own_later", "own_later", "not_mine")
        yield TextPage("who_could_help", "who_could_help", labelled=False)
        yield TextPage("learning", "keep_doing", "do_differently", "learnt")
        yield TitlePage("title_tags", self.day)

    def on_mount(self) -> None:
        """Show the first step; a saved check-in fills in its answers, a new one offers back
        a draft if one was left."""
        self.show_step(0, write=False)
        if self.entry is not None:
            self._open_saved(self.entry)
            return
        self.set_interval(2.0, self._write_if_dirty)
        try:
            draft = load_checkin_draft(self.app.store.path, self.app.store.key)
        except JournalError as exc:
            self.app.report(exc, title="Check-in draft not restored")
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

    def _open_saved(self, entry: Entry) -> None:
        try:
            answers = answers_of(entry)
        except JournalError as exc:
            self.app.report(exc, title="This check-in cannot be opened as a check-in")
            self._finished = True
            self.dismiss(None)
            return
        self.restore(CheckinDraft(answers, STEP_IDS[0]))
        self.query_one("#checkin-title", Input).value = entry.title if title_is_own(entry) else ""
        self.query_one("#checkin-tags", Input).value = ", ".join(entry.tags)
        self._loaded = self._form_state()
        self._raw_offered = True  # a saved check-in is not the raw moment itself
        self._ready = True

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
        quick = len(QUICK_STEPS) - 1  # the crossroads is not counted as a step
        if step.deep:
            n = self.step - len(QUICK_STEPS) + 1
            where = f"Deeper {n} of {len(DEEP_STEPS)}"
            dots = "".join("●" if i < n else "○" for i in range(len(DEEP_STEPS)))
        elif step.id == CROSSROADS:
            where, dots = "Done", "●" * quick
        else:
            where = f"Step {self.step + 1} of {quick}"
            dots = "".join("●" if i <= self.step else "○" for i in range(quick))
        self.query_one("#checkin-step", Static).update(Content(f"{where} · {step.title}"))
        self.query_one("#checkin-hint", Static).update(Content(step.hint))
        self.query_one("#checkin-dots", Static).update(dots)
        self.query_one("#checkin-back", Button).disabled = self.step == 0
        last = self.step == len(STEPS) - 1
        self.query_one("#checkin-next", Button).label = "Save" if last else "Next ›"
        self.query_one("#checkin-skip", Button).label = "Skip and save" if last else "Skip"
        self.query_one("#checkin-skip", Button).display = step.id != CROSSROADS
        if step.id == "feeling_after":
            self._update_compare()
        self._focus_step()
        if write:
            self.write_draft()

    def _focus_step(self) -> None:
        page = self.query_one(f"#step-{self.step_id}")
        found = page.query(FOCUSABLE)
        target = next((w for w in found if w.display), None)
        # Synchronously, not widget.focus() (which is deferred): keys typed straight after
        # alt+→ must land on the new step, not on the page that was just hidden.
        self.set_focus(target)

    def action_next(self) -> None:
        """Check this step, then move on (at the crossroads: save; on the last step: save)."""
        problem = self.step_problem(self.step_id)
        if problem is not None:
            field_id, message = problem
            self._show_problem(field_id, message)
            return
        if self.step_id == CROSSROADS:
            choice = self.query_one("#deeper-choice", OptionList)
            if choice.highlighted == 1:
                self.show_step(self.step + 1)
            else:
                self.action_save()
            return
        if self.step == len(STEPS) - 1:
            self.action_save()
            return
        if self.step_id == "feeling" and self._too_raw():
            return
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

    @on(OptionList.OptionSelected, "#deeper-choice")
    def _deeper_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == CHOICE_DEEPER:
            self.show_step(self.step + 1)
        else:
            self.action_save()

    # ---- too raw right now ----------------------------------------------------------------

    def _too_raw(self) -> bool:
        """Offer the too-raw choices once, when the first rating is high; True when offered."""
        rating = self.query_one("#intensity_before", IntensityScale).value
        if self._raw_offered or rating is None or rating < RAW_AT:
            return False
        self._raw_offered = True
        self.app.push_screen(TooRawScreen(), self._raw_chosen)
        return True

    def _raw_chosen(self, choice: str | None) -> None:
        # After the choices have gone, so the next screen's answer comes back to this one.
        self.call_after_refresh(self._after_raw, choice)

    def _after_raw(self, choice: str | None) -> None:
        def carry_on(_: object = None) -> None:
            self.show_step(step_index("kindness"))

        if choice == RAW_BREATHE:
            self.app.push_screen(BreathingScreen(self.breath_seconds), carry_on)
        elif choice == RAW_HELP:
            self.app.push_screen(HelpNoteScreen(self.note), carry_on)
        elif choice == RAW_LATER:
            self.finish_later()
        else:
            carry_on()

    def finish_later(self) -> None:
        """Keep what is here as a draft that Today offers back, and leave."""
        self.write_draft()
        self._finished = True
        self.notify(
            "Kept for later. Go gently. Today will remind you, and f2 picks it up.",
            title="Check-in kept",
        )
        self.dismiss(None)

    # ---- reading and writing the form -----------------------------------------------------

    def default_revisit(self) -> date:
        """The check-in's day + 90 days."""
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
        """Read every page into a :class:`CheckinAnswers` (keeping what no page shows)."""
        pressed = self.query_one("#reaction", RadioSet).pressed_button
        reaction = (pressed.id or "").removeprefix("reaction-") if pressed else None
        picked = self.query_one("#feelings", FeelingPicker).chosen
        own = self._value("own-feeling").split(",")
        base = self._base
        texts = {name: self._value(name) for name in TEXT_AREAS}
        return CheckinAnswers(
            feelings=feeling_words([*picked, *own]),
            intensity_before=self.query_one("#intensity_before", IntensityScale).value,
            compassion=Compassion(
                what_i_need=self._value("what_i_need"),
                **{name: self._value(name) for name in OLD_COMPASSION_FIELDS},
            ),
            follow_up=FollowUpPlan(
                action=self._value("fu-action"), due=self._resolve_date(self._value("fu-due"))
            ),
            intensity_after=self.query_one("#intensity_after", IntensityScale).value,
            reaction=reaction if reaction in REACTIONS else None,
            revisit_on=self._resolve_revisit(self._value("revisit-on")),
            intensity_revisit=base.intensity_revisit,
            notes=base.notes,
            **texts,
        )

    @property
    def _base(self) -> CheckinAnswers:
        """What the saved check-in holds that no page edits (empty for a new one)."""
        if self.entry is None:
            return CheckinAnswers()
        try:
            return answers_of(self.entry)
        except JournalError:
            return CheckinAnswers()

    def _title_and_tags(self) -> tuple[str, list[str]]:
        title = self._value("checkin-title")
        tags = normalise_tags(t for t in self._value("checkin-tags").split(",") if t.strip())
        return title, list(tags)

    def _form_state(self) -> dict[str, object]:
        return {"answers": self.collect().to_dict(), "meta": self._title_and_tags()}

    def _typed(self) -> dict[str, str]:
        typed = {"due": self._value("fu-due")}
        revisit = self._value("revisit-on")
        if revisit.strip() != self.default_revisit().isoformat():
            typed["revisit"] = revisit
        title, tags = self._title_and_tags()
        if title.strip():
            typed["title"] = title
        if tags:
            typed["tags"] = ", ".join(tags)
        return typed

    def snapshot(self) -> CheckinDraft:
        """The whole check-in as it stands, as a draft."""
        return CheckinDraft(self.collect(), self.step_id, self._typed())

    def restore(self, draft: CheckinDraft) -> None:
        """Put a draft's answers back on every page and go to its step."""
        a = draft.answers
        picker = self.query_one("#feelings", FeelingPicker)
        picker.set_chosen(a.feelings)
        own = [w for w in feeling_words(a.feelings) if w not in picker.chosen]
        self.query_one("#own-feeling", Input).value = ", ".join(own)
        self.query_one("#intensity_before", IntensityScale).value = a.intensity_before
        self.query_one("#intensity_after", IntensityScale).value = a.intensity_after
        for name in TEXT_AREAS:
            self.query_one(f"#{name}", TextArea).load_text(getattr(a, name) or "")
        self.query_one("#what_i_need", Input).value = a.compassion.what_i_need or ""
        kindness = self.query_one("#step-kindness", KindnessPage)
        for name in OLD_COMPASSION_FIELDS:
            kindness.show_old(name, getattr(a.compassion, name) or "")
        if a.reaction in REACTIONS:
            self.query_one(f"#reaction-{a.reaction}", RadioButton).value = True
        self.query_one("#fu-action", Input).value = a.follow_up.action or ""
        self.query_one("#fu-due", Input).value = draft.typed.get("due", a.follow_up.due or "")
        revisit = draft.typed.get("revisit")
        if revisit is None:
            revisit = a.revisit_on or self.default_revisit().isoformat()
        self.query_one("#revisit-on", Input).value = revisit
        self.query_one("#checkin-title", Input).value = draft.typed.get("title", "")
        self.query_one("#checkin-tags", Input).value = draft.typed.get("tags", "")
        self.show_step(step_index(draft.step), write=False)

    @property
    def has_unsaved(self) -> bool:
        """A saved check-in with changes not saved yet (a new one always has its draft)."""
        if self.entry is None or self._finished or self._loaded is None:
            return False
        with contextlib.suppress(NoMatches):
            return self._form_state() != self._loaded
        return False

    def write_draft(self) -> None:
        """Keep the answers so far in the draft file (or remove it when there are none)."""
        if not self._ready or self._finished or self.entry is not None:
            return
        # Before the pages are mounted there is nothing to read yet: keep the last snapshot.
        with contextlib.suppress(NoMatches):
            self._snapshot = self.snapshot()
        self._store_draft()

    def _store_draft(self) -> None:
        draft = self._snapshot
        if draft is None or self.entry is not None:
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
    @on(FeelingPicker.Changed)
    def _changed(self, event: object) -> None:
        if not self._ready or self._finished or self.entry is not None:
            return
        self._dirty = True
        # Kept current on every change, so even an abrupt exit can write the latest answers.
        with contextlib.suppress(NoMatches):
            self._snapshot = self.snapshot()

    def flush_draft(self) -> None:
        """Write the answers so far now (the app calls this when the terminal goes away).

        A saved check-in has no draft file (that is the new check-in's): its changes are
        saved into it instead, so a closed terminal loses nothing.
        """
        if not self._ready or self._finished:
            return
        if self.entry is None:
            self._store_draft()
            return
        if self.has_unsaved:
            title, tags = self._title_and_tags()
            with contextlib.suppress(JournalError, OSError):
                changed = rebuild_entry(
                    self.entry, self.collect(), self.app.now(), title=title, tags=tags
                )
                self.app.store.update(changed, expected=self.entry, touch=False)

    def _save_reopened(self, answers: CheckinAnswers, title: str, tags: list[str]) -> Entry:
        """Save a reopened check-in, compared with it as opened (store/conflicts.py).

        The body is made from the answers, so when the stored copy changed meanwhile (a
        `journal done` ticks the follow-up's box in the body) the body differs on both sides:
        the answers are then laid on the stored copy instead, which keeps what changed there
        (the follow-up done, its note, a look-back rating) and writes these answers.
        """
        assert self.entry is not None
        store = self.app.store
        entry = rebuild_entry(self.entry, answers, self.app.now(), title=title, tags=tags)
        try:
            return store.update(entry, expected=self.entry, touch=False)
        except EditConflictError as exc:
            if exc.stored is None:
                raise
            again = rebuild_entry(exc.stored, answers, self.app.now(), title=title, tags=tags)
            return store.update(again, expected=exc.stored, touch=False)

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
        if step_id == "title_tags":
            text = self._value("revisit-on").strip()
            if text and text.casefold() not in NO_REVISIT_WORDS:
                problem = date_problem(text, self.day)
                if problem:
                    return "revisit-on", problem
        widget_for = {
            "due": "fu-due",
            "action": "fu-action",
            "revisit_on": "revisit-on",
            "feelings": "own-feeling",
        }
        for found in problems(self.collect()):
            if found.step == step_id:
                return widget_for.get(found.field, found.field), found.message
        return None

    def _show_problem(self, widget_id: str, message: str) -> None:
        self.notify(message, title="One thing to fix", severity="warning", markup=False)
        # A problem may name a field no page shows (nothing to focus then).
        with contextlib.suppress(NoMatches):
            self.query_one(f"#{widget_id}", Widget).focus()

    # ---- the feeling again ------------------------------------------------------------------

    @on(IntensityScale.Changed, "#intensity_after")
    @on(IntensityScale.Changed, "#intensity_before")
    def _update_compare(self) -> None:
        with contextlib.suppress(NoMatches):
            before = self.query_one("#intensity_before", IntensityScale).value
            after = self.query_one("#intensity_after", IntensityScale).value
            words = self.collect().feelings
            self.query_one("#step-feeling_after", FeelingAfterPage).show_change(
                words, before, after
            )

    # ---- saving and leaving -----------------------------------------------------------------

    def action_save(self) -> None:
        """Save the check-in as one entry and go back to Today."""
        self.save()

    def save(self) -> bool:
        """Check every step, save one entry, remove the draft; True when it is on disk."""
        for step_id in ("follow_up", "title_tags"):
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
        if answers.is_empty and self.entry is None:
            self._finished = True
            with contextlib.suppress(OSError):
                delete_checkin_draft(self.app.store.path)
            self.notify(
                "Nothing was written, so nothing was saved. Stopping here is fine too.",
                title="Check-in not saved",
            )
            self.dismiss(None)
            return True
        title, tags = self._title_and_tags()
        try:
            if self.entry is None:
                entry = build_entry(
                    answers, self.app.today(), self.app.now(), title=title, tags=tags
                )
                self.app.store.add(entry)
            else:
                entry = self._save_reopened(answers, title, tags)
        except JournalError as exc:
            self.app.report(exc, title="Not saved: your answers are still here")
            return False
        self._finished = True
        if self.entry is None:
            with contextlib.suppress(OSError):
                delete_checkin_draft(self.app.store.path)
        self.notify(closing_message(answers, self.day), title="Check-in saved", timeout=8)
        self.dismiss(entry.uid)
        return True

    def action_leave(self) -> None:
        """Back to Today; a new check-in's answers so far stay as a draft for next time."""
        if self.entry is not None:
            self.app.guard_unsaved(self._leave_saved, doing="leave this check-in")
            return
        self.write_draft()
        kept = self._snapshot is not None and not self._snapshot.answers.is_empty
        self._finished = True
        if kept:
            self.notify("Kept as a draft: f2 picks it up again.", title="Check-in paused")
        self.dismiss(None)

    def _leave_saved(self) -> None:
        self._finished = True
        self.dismiss(None)
