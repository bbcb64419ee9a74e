"""The check-in's pages, one small widget per kind of step.

:class:`~journal.tui.screens.checkin.CheckinScreen` stacks them in a ``ContentSwitcher`` and
keeps the navigation, the draft and the save; each page composes its fields and keeps its own
hints up to date. Every field keeps the id the screen reads it by (``#what_happened``,
``#fu-due``, ...), and every change bubbles up to the screen as the field's own message.
"""

from __future__ import annotations

from datetime import date, timedelta

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, OptionList, RadioButton, RadioSet, Static, TextArea
from textual.widgets.option_list import Option

from journal.checkin import (
    FEELINGS,
    FIELD_LABELS,
    KIND_PHRASE_SETS,
    NO_REVISIT_WORDS,
    OWN_WORD_KEY,
    REACTION_LABELS,
    REACTIONS,
    REVISIT_DEFAULT_DAYS,
    intensity_word,
    needs_help_note,
)
from journal.dates import DateError, long_day, parse_date, relative_day, short_day
from journal.tui.widgets.intensity import IntensityScale

#: Free-text fields that are TextAreas, with their placeholders.
TEXT_AREAS: dict[str, str] = {
    "what_happened": "Who said what, and what happened next. The judgement can wait.",
    "noticed": "What I noticed in myself: heat, speed, the urge to explain or defend…",
    "story": "What the critic in my head is saying, as it sounds",
    "fairer_line": "What a friend who was there would say instead",
    "their_implication": "What does this mean for them, in their words?",
    "their_success": "How would they like this to end?",
    "say_back": "So what you need is…",
    "own_later": "An acknowledgement or apology to make, if any. Nothing is fine.",
    "not_mine": "What belongs to them, the system, or the day",
    "who_could_help": "A colleague, a specialist, my team lead…",
    "keep_doing": "One thing I did well",
    "do_differently": "One thing to try next time",
    "learnt": "Anything else I learnt (optional)",
}
#: The kindness step's fields: the phrase, then the two parts version 1 asked for (shown only
#: when an old check-in has them, so nothing written is hidden).
COMPASSION_FIELDS = ("what_i_need", "hard_moment_ack", "shared_humanity")
OLD_COMPASSION_FIELDS = ("hard_moment_ack", "shared_humanity")
NOT_SURE = "not-sure"
CHOICE_SAVE = "save"
CHOICE_DEEPER = "deeper"


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


def date_examples(today: date) -> str:
    """Date words to type, with an example date that is never in the past."""
    return f"tomorrow, friday, +3d, +2w, {(today + timedelta(days=7)).isoformat()}"


def field_label(text: str) -> Static:
    """The small label above a field."""
    return Static(text, classes="field-label")


def text_area(name: str) -> TextArea:
    """The free-text field ``name`` of :data:`TEXT_AREAS`."""
    return TextArea("", id=name, soft_wrap=True, tab_behavior="focus", placeholder=TEXT_AREAS[name])


def help_note_widget(text: str, widget_id: str) -> Static:
    """The where-to-get-help note, shown calmly (the text may come from the config file)."""
    return Static(Content(text), id=widget_id, classes="help-note")


class CheckinPage(Vertical):
    """One step's page; its id is ``step-<step id>``."""

    def __init__(self, step_id: str) -> None:
        super().__init__(id=f"step-{step_id}", classes="checkin-page")
        self.step_id = step_id


# ---- 1. the feeling ---------------------------------------------------------------------


class FeelingPicker(Widget, can_focus=True):
    """The feeling words, each picked (or unpicked) with its own key; digits and arrows rate.

    Posts :class:`Changed` with the chosen words, :class:`OwnWordWanted` for ``o`` and
    :class:`RatingKey` for a key meant for the 0-10 scale beside it.
    """

    class Changed(Message):
        """The chosen words changed."""

        def __init__(self, picker: FeelingPicker) -> None:
            super().__init__()
            self.picker = picker

        @property
        def control(self) -> FeelingPicker:
            """The picker (for ``@on`` selectors)."""
            return self.picker

    class OwnWordWanted(Message):
        """The user wants to type a word of their own."""

    class RatingKey(Message):
        """A digit or arrow typed here, for the rating scale."""

        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.chosen: list[str] = []

    def set_chosen(self, words: list[str]) -> None:
        """Choose exactly these vocabulary words."""
        vocabulary = {w for _, w in FEELINGS}
        self.chosen = [w for w in words if w in vocabulary]
        self.refresh()

    def toggle(self, word: str) -> None:
        """Pick a word, or unpick it."""
        if word in self.chosen:
            self.chosen.remove(word)
        else:
            self.chosen.append(word)
        self.refresh()
        self.post_message(self.Changed(self))

    def on_key(self, event: events.Key) -> None:
        """A word's letter toggles it; ``o`` asks for my own word; digits and arrows rate."""
        key = event.key
        words = dict(FEELINGS)
        if key in words:
            self.toggle(words[key])
        elif key == OWN_WORD_KEY:
            self.post_message(self.OwnWordWanted())
        elif (key.isdigit() and len(key) == 1) or key in ("left", "right", "home", "end"):
            self.post_message(self.RatingKey(key))
        else:
            return
        event.stop()
        event.prevent_default()

    def render(self) -> Content:
        """``[a] angry`` and so on, the chosen ones highlighted."""
        cells: list[Content | tuple[str, str] | str] = []
        # 14 cells a word, five to a row at 80 columns; fewer on a narrower terminal, so a
        # row never wraps in the middle of the grid.
        per_row = max(1, min(5, (self.size.width + 1) // 14)) if self.size.width else 5
        for n, (key, word) in enumerate(FEELINGS):
            if n and n % per_row == 0:
                cells.append("\n")
            chosen = word in self.chosen
            cells.append((key, "bold $accent" if not chosen else "bold reverse"))
            cells.append((f" {word:<11} ", "bold reverse" if chosen else ""))
        if len(FEELINGS) % per_row == 0:
            cells.append("\n")
        cells.append((OWN_WORD_KEY, "bold $accent"))
        cells.append(" my own word")
        return Content.assemble(*cells)


class FeelingPage(CheckinPage):
    """What I am feeling (words) and how strong it is (0-10)."""

    def compose(self) -> ComposeResult:
        """The words, a field for my own, the scale."""
        yield FeelingPicker(id="feelings")
        yield Input(
            placeholder="My own words, commas between (press o)",
            id="own-feeling",
            compact=True,
            select_on_focus=False,
        )
        yield field_label("How strong is it, from 0 to 10?")
        yield IntensityScale(id="intensity_before")

    @on(FeelingPicker.OwnWordWanted)
    def _own_word(self, event: FeelingPicker.OwnWordWanted) -> None:
        event.stop()
        self.query_one("#own-feeling", Input).focus()

    @on(FeelingPicker.RatingKey)
    def _rating_key(self, event: FeelingPicker.RatingKey) -> None:
        event.stop()
        self.query_one("#intensity_before", IntensityScale).type_key(event.key)


# ---- 2. a breath and something kind -----------------------------------------------------


class PhrasePicker(Widget, can_focus=True):
    """Three kind phrases, picked with 1, 2 or 3; ``m`` shows three others."""

    BINDINGS = [Binding("m", "more", "More phrases", show=False)]

    class Picked(Message):
        """A phrase was picked."""

        def __init__(self, phrase: str) -> None:
            super().__init__()
            self.phrase = phrase

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.set_index = 0

    @property
    def phrases(self) -> tuple[str, str, str]:
        """The three on show."""
        return KIND_PHRASE_SETS[self.set_index % len(KIND_PHRASE_SETS)]

    def action_more(self) -> None:
        """Three other phrases."""
        self.set_index += 1
        self.refresh()

    def on_key(self, event: events.Key) -> None:
        """1, 2 or 3 picks a phrase."""
        if event.key in ("1", "2", "3"):
            event.stop()
            event.prevent_default()
            self.post_message(self.Picked(self.phrases[int(event.key) - 1]))

    def render(self) -> Content:
        """The numbered phrases."""
        lines: list[Content | tuple[str, str] | str] = []
        for n, phrase in enumerate(self.phrases, start=1):
            lines += [(f" {n} ", "bold $accent"), f" {phrase}\n"]
        lines.append((" m  three other phrases", "$text-muted"))
        return Content.assemble(*lines)


class KindnessPage(CheckinPage):
    """A breath cue, kind phrases to pick from, the phrase (editable), and where to get help."""

    def __init__(self, step_id: str, note: str) -> None:
        super().__init__(step_id)
        self.note = note

    def compose(self) -> ComposeResult:
        """Phrases, the field, the help note (the step's hint is the breath cue)."""
        yield PhrasePicker(id="phrases")
        yield Input(
            placeholder="Something kind: pick one with 1, 2 or 3 (then edit it), or write your own",
            id="what_i_need",
            compact=True,
            select_on_focus=False,
        )
        for name in OLD_COMPASSION_FIELDS:
            # Version 1 asked these too; shown only when an old check-in answered them.
            label = field_label(FIELD_LABELS[name])
            label.display = False
            label.id = f"label-{name}"
            yield label
            old = Input(id=name, compact=True, select_on_focus=False)
            old.display = False
            yield old
        yield help_note_widget(self.note, "help-note-kindness")

    @on(PhrasePicker.Picked)
    def _picked(self, event: PhrasePicker.Picked) -> None:
        event.stop()
        field = self.query_one("#what_i_need", Input)
        field.value = event.phrase
        field.focus()
        field.cursor_position = len(field.value)

    def show_old(self, name: str, text: str) -> None:
        """Show a version 1 field with its text."""
        self.query_one(f"#label-{name}").display = bool(text)
        field = self.query_one(f"#{name}", Input)
        field.value = text
        field.display = bool(text)


# ---- text, follow-up, the feeling again ----------------------------------------------------


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


class FollowUpPage(CheckinPage):
    """Anything to do and by when, with a hint that reads the date back (none: tomorrow)."""

    def __init__(self, step_id: str, today: date) -> None:
        super().__init__(step_id)
        self.today = today

    def compose(self) -> ComposeResult:
        """The action, the date and its hint."""
        yield field_label("What I will do (leave it empty if nothing is needed)")
        yield Input(
            placeholder="e.g. Call Sam back with the new delivery date",
            id="fu-action",
            compact=True,
            select_on_focus=False,
        )
        yield field_label("By when")
        yield Input(
            placeholder=date_examples(self.today), id="fu-due", compact=True, select_on_focus=False
        )
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
                tomorrow = self.today + timedelta(days=1)
                hint.update(Content(f"→ No date: tomorrow, {short_day(tomorrow)}."))
                hint.add_class("-ok")
            else:
                hint.update("Nothing needed is fine. Without a date it is due tomorrow.")
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


class FeelingAfterPage(CheckinPage):
    """The same feeling again, compared with the start; the help note when it is still strong."""

    def __init__(self, step_id: str, note: str) -> None:
        super().__init__(step_id)
        self.note = note

    def compose(self) -> ComposeResult:
        """The start, the scale, the comparison and the help note."""
        yield Static("", id="feeling-then")
        yield IntensityScale(id="intensity_after")
        yield Static("", id="intensity-compare")
        note = help_note_widget(self.note, "help-note-after")
        note.display = False
        yield note

    def show_change(self, words: list[str], before: int | None, after: int | None) -> None:
        """Say how it compares with the start, and show the help note when it is needed."""
        then = self.query_one("#feeling-then", Static)
        named = ", ".join(words)
        if before is None:
            then.update(Content(f"At the start: {named}." if named else ""))
        else:
            feeling = f"{named}, " if named else ""
            then.update(
                Content(f"At the start: {feeling}{before} of 10 ({intensity_word(before)}).")
            )
        compare = self.query_one("#intensity-compare", Static)
        text = ""
        if before is not None and after is not None:
            change = before - after
            if change > 0:
                text = f"Down {change}."
            elif change < 0:
                text = f"Up {-change}: that happens, and it is worth knowing."
            else:
                text = "About the same."
        if needs_help_note(before, after):
            text += (
                " It is still strong, and that is normal after a call like this. A glass of "
                "water, a short walk or a word with someone can help."
            )
        compare.update(Content(text.strip()))
        self.query_one("#help-note-after").display = needs_help_note(before, after)


class CrossroadsPage(CheckinPage):
    """Save now (and go deeper later from Today), or go deeper now."""

    def compose(self) -> ComposeResult:
        """The two choices."""
        yield OptionList(
            Option("Save now. I can go deeper later from Today's list.", id=CHOICE_SAVE),
            Option("Go deeper now: a few more questions, all skippable.", id=CHOICE_DEEPER),
            id="deeper-choice",
        )


# ---- the deeper steps ---------------------------------------------------------------------


class ReactionPage(CheckinPage):
    """What I did first (reacted, paused, responded, not sure yet), and what I noticed."""

    def compose(self) -> ComposeResult:
        """The choices, then the free text."""
        with RadioSet(id="reaction", compact=True):
            for value in REACTIONS:
                yield RadioButton(REACTION_LABELS[value], id=f"reaction-{value}")
            yield RadioButton("Not sure yet", id=f"reaction-{NOT_SURE}")
        yield field_label(FIELD_LABELS["noticed"])
        yield text_area("noticed")


class TitlePage(CheckinPage):
    """A title and tags of my own, and when to look back (90 days unless I say otherwise)."""

    def __init__(self, step_id: str, today: date) -> None:
        super().__init__(step_id)
        self.today = today

    def compose(self) -> ComposeResult:
        """Title, tags, the look-back date and its hint."""
        yield field_label("Title")
        yield Input(placeholder="Made from what happened", id="checkin-title", compact=True)
        yield field_label("Tags")
        yield Input(placeholder="calls, delivery", id="checkin-tags", compact=True)
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
            hint.update("No look-back: this one will not come back.")
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
