"""The check-in's pages, one small widget per kind of step.

:class:`~journal.tui.screens.checkin.CheckinScreen` stacks them in a ``ContentSwitcher`` and
keeps the navigation, the draft and the save; each page composes its fields and keeps its own
hints up to date. Every field keeps the id the screen reads it by (``#what_happened``,
``#fu-due``, ...), and every change bubbles up to the screen as the field's own message.
"""

from __future__ import annotations

from datetime import date, timedelta

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, OptionList, RadioButton, RadioSet, Static, TextArea
from textual.widgets.option_list import Option

from journal.checkin import (
    FIELD_LABELS,
    KIND_PHRASES,
    NO_REVISIT_WORDS,
    REACTION_LABELS,
    REACTIONS,
    REVISIT_DEFAULT_DAYS,
    intensity_word,
)
from journal.dates import DATE_WORDS, DateError, long_day, parse_date, relative_day
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


def date_problem(text: str, today: date) -> str | None:
    """What is wrong with a typed date (message and hint), or None when it parses."""
    try:
        parse_date(text, today)
    except DateError as exc:
        return f"{exc.message} {exc.hint}"
    return None


def default_revisit(today: date) -> date:
    """The look-back date a check-in gets unless another is chosen: today + 90 days."""
    return today + timedelta(days=REVISIT_DEFAULT_DAYS)


def field_label(text: str) -> Static:
    """The small label above a field."""
    return Static(text, classes="field-label")


def text_area(name: str) -> TextArea:
    """The free-text field ``name`` of :data:`TEXT_AREAS`."""
    return TextArea("", id=name, soft_wrap=True, tab_behavior="focus", placeholder=TEXT_AREAS[name])


class CheckinPage(Vertical):
    """One step's page; its id is ``step-<step id>``."""

    def __init__(self, step_id: str) -> None:
        super().__init__(id=f"step-{step_id}", classes="checkin-page")
        self.step_id = step_id


class IntensityPage(CheckinPage):
    """How strong it is now, on the 0-10 scale; after the check-in, compared with the start."""

    def __init__(self, step_id: str, *, compare: bool = False) -> None:
        super().__init__(step_id)
        self.compare = compare

    def compose(self) -> ComposeResult:
        """The scale, and on the last page the line comparing it with the start."""
        yield IntensityScale(id=self.step_id)
        if self.compare:
            yield Static("", id="intensity-compare")

    def show_change(self, before: int | None, after: int | None) -> None:
        """Say how the intensity now compares with the start (nothing without a start)."""
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


class TextPage(CheckinPage):
    """Free-text fields, each under its label (a page of one field goes without)."""

    def __init__(self, step_id: str, *names: str, labelled: bool = True) -> None:
        super().__init__(step_id)
        self.names = names
        self.labelled = labelled

    def compose(self) -> ComposeResult:
        """A label and a text area per field."""
        for name in self.names:
            if self.labelled:
                yield field_label(FIELD_LABELS[name])
            yield text_area(name)


class ReactionPage(CheckinPage):
    """Did I react or respond (or not sure yet), and what I noticed in myself."""

    def compose(self) -> ComposeResult:
        """The choices, then the free text."""
        with RadioSet(id="reaction", compact=True):
            for value in REACTIONS:
                yield RadioButton(REACTION_LABELS[value], id=f"reaction-{value}")
            yield RadioButton("Not sure yet", id=f"reaction-{NOT_SURE}")
        yield field_label(FIELD_LABELS["noticed"])
        yield text_area("noticed")


class CompassionPage(CheckinPage):
    """The self-compassion break: three short lines, and kind phrases to start them from."""

    def compose(self) -> ComposeResult:
        """A field per line, then the phrases."""
        for name in COMPASSION_FIELDS:
            yield field_label(FIELD_LABELS[name])
            yield Input(
                placeholder=COMPASSION_PLACEHOLDERS[name],
                id=name,
                compact=True,
                select_on_focus=False,
            )
        yield field_label("Kind phrases (enter puts one in its field; then edit it)")
        yield OptionList(*self._phrase_options(), id="phrases")

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


class FollowUpPage(CheckinPage):
    """What I will do and by when, with a hint that reads the date back."""

    def __init__(self, step_id: str, today: date) -> None:
        super().__init__(step_id)
        self.today = today

    def compose(self) -> ComposeResult:
        """The action, the date and its hint."""
        yield field_label("What I will do")
        yield Input(
            placeholder="e.g. Call Sam back with the new delivery date",
            id="fu-action",
            compact=True,
            select_on_focus=False,
        )
        yield field_label("By when")
        yield Input(placeholder=DATE_WORDS, id="fu-due", compact=True, select_on_focus=False)
        yield Static("", id="fu-due-hint", classes="date-hint")

    def on_mount(self) -> None:
        """The hint says what to type before anything is typed."""
        self._update_hint()

    @on(Input.Changed, "#fu-due, #fu-action")
    def _update_hint(self) -> None:
        hint = self.query_one("#fu-due-hint", Static)
        text = self.query_one("#fu-due", Input).value.strip()
        action = self.query_one("#fu-action", Input).value.strip()
        hint.remove_class("-error", "-ok", "-warn")
        if not text:
            if action:
                hint.update("When will you do it? A follow-up needs a date.")
                hint.add_class("-warn")
            else:
                hint.update(f"Dates: {DATE_WORDS}. Leave both empty for no follow-up.")
            return
        problem = date_problem(text, self.today)
        if problem:
            hint.update(Content(f"✗ {problem}"))
            hint.add_class("-error")
            return
        due = parse_date(text, self.today)
        note = relative_day(due, self.today)
        if due < self.today:
            note += ", already past"
        hint.update(Content(f"→ {long_day(due)} ({note})"))
        hint.add_class("-ok")


class RevisitPage(CheckinPage):
    """When to look back on this check-in (a date, or never), with a hint reading it back."""

    def __init__(self, step_id: str, today: date) -> None:
        super().__init__(step_id)
        self.today = today

    def compose(self) -> ComposeResult:
        """The date, filled with the default, and its hint."""
        yield field_label("Look back on")
        yield Input(
            default_revisit(self.today).isoformat(),
            placeholder="a date, +6m, or never",
            id="revisit-on",
            compact=True,
        )
        yield Static("", id="revisit-hint", classes="date-hint")

    def on_mount(self) -> None:
        """The hint reads the default date back."""
        self._update_hint()

    @on(Input.Changed, "#revisit-on")
    def _update_hint(self) -> None:
        hint = self.query_one("#revisit-hint", Static)
        text = self.query_one("#revisit-on", Input).value.strip()
        hint.remove_class("-error", "-ok", "-warn")
        default = default_revisit(self.today)
        if not text:
            hint.update(Content(f"Empty means the default: {long_day(default)} (in 90 days)."))
            return
        if text.casefold() in NO_REVISIT_WORDS:
            hint.update("No revisit: this one will not come back.")
            hint.add_class("-warn")
            return
        problem = date_problem(text, self.today)
        if problem:
            hint.update(Content(f"✗ {problem} Or type never."))
            hint.add_class("-error")
            return
        day = parse_date(text, self.today)
        hint.update(Content(f"→ {long_day(day)} ({relative_day(day, self.today)})"))
        hint.add_class("-ok")
