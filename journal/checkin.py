"""The check-in after a tough call: its steps, its answers, and the entry it becomes.

This is domain code (no Textual). The screen in ``journal/tui/screens/checkin.py`` walks through
:data:`STEPS`, fills a :class:`CheckinAnswers`, and hands it to :func:`build_entry`, which
turns it into one entry of kind ``checkin``: every answer in ``entry.checkin``, the promise in
``entry.follow_up``, a date to look back in ``entry.revisit_on``, and a readable Markdown body.
A saved check-in goes back through :func:`answers_of` and :func:`rebuild_entry`, so the body and
the structured answers always say the same thing.

The check-in is quick by default (:data:`QUICK_STEPS`: the feeling, a breath and a kind phrase,
the facts, anything to do, the feeling again); the deeper steps are there for when there is time.

What is due afterwards (follow-ups and revisits) is in :mod:`journal.due`; a half-finished
check-in is kept as a :class:`CheckinDraft`, which :mod:`journal.store.drafts` writes to disk.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any

from journal.dates import as_date, long_day, short_day
from journal.errors import EntryError
from journal.models import Entry, FollowUp

#: 2 added the feeling words, the story, the say-back sentence, "not mine to carry", who could
#: help and the rating at the look-back. Version 1 check-ins load as they are.
CHECKIN_VERSION = 2
REVISIT_DEFAULT_DAYS = 90
#: At or above this first rating the check-in offers the too-raw choices; at or above it at the
#: end (or when the rating went up) it shows where to get help.
RAW_AT = 8
#: What I did first, as a neutral choice (stored under the key ``reaction``, as in version 1).
REACTIONS: tuple[str, ...] = ("reacted", "paused", "responded")
REACTION_LABELS = {
    "reacted": "I reacted",
    "paused": "I paused",
    "responded": "I responded",
}
#: Words typed in the revisit field that mean "do not bring this back".
NO_REVISIT_WORDS = ("never", "no", "none")
NEVER = "never"
MAX_FEELINGS = 12
MAX_FEELING_LENGTH = 40

#: The feeling words, each with the single key that picks it (``o`` is for my own word).
FEELINGS: tuple[tuple[str, str], ...] = (
    ("a", "angry"),
    ("x", "anxious"),
    ("e", "embarrassed"),
    ("h", "hurt"),
    ("d", "deflated"),
    ("s", "shaken"),
    ("f", "frustrated"),
    ("g", "guilty"),
    ("n", "numb"),
)
OWN_WORD_KEY = "o"

#: Labels for the answers, used by the screen, the Markdown body and the export.
FIELD_LABELS: dict[str, str] = {
    "feelings": "What I was feeling",
    "intensity_before": "How strong, at first",
    "intensity_after": "How strong, at the end",
    "intensity_revisit": "How much it still stung, looking back",
    "what_happened": "What happened",
    "reaction": "What I did first",
    "noticed": "What I noticed in myself",
    "story": "The story I am telling myself",
    "fairer_line": "A fairer line",
    "their_implication": "What it means for them",
    "their_success": "What success looks like for them",
    "say_back": "A sentence I could say back to them",
    "hard_moment_ack": "This is a hard moment",
    "shared_humanity": "I am not alone in this",
    "what_i_need": "Something kind",
    "own_later": "Mine to own",
    "not_mine": "Not mine to carry",
    "who_could_help": "Who could help",
    "keep_doing": "One thing I did well",
    "do_differently": "One thing to try next time",
    "learnt": "What I learnt",
    "notes": "Notes written in the entry",
}

#: Where to get help, shown at the kindness step, when the last rating is high or went up, in
#: the help screen and in the README. ``[help] note`` in the config file replaces it.
HELP_NOTE = (
    "If this feels like too much, you do not have to sit with it alone. Talk to someone now: "
    "a colleague, your manager, your employee assistance programme, or a crisis line for your "
    "country. In an emergency, call your local emergency number.\n"
    "If a customer was abusive, tell your team lead. It is not yours to absorb."
)


def help_note(configured: str | None) -> str:
    """The help note to show: the user's own from the config file, or :data:`HELP_NOTE`."""
    text = (configured or "").strip()
    return text or HELP_NOTE


# ---- the steps --------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One page of the check-in: what it asks, a hint, and the answer fields it fills."""

    id: str
    title: str
    hint: str
    fields: tuple[str, ...]
    deep: bool = False


QUICK_STEPS: tuple[Step, ...] = (
    Step(
        "feeling",
        "What am I feeling, and how strong is it?",
        "Press the letter of every word that fits, or o for your own word. Then a number: 0 is "
        "calm, 10 is as strong as it gets.",
        ("feelings", "intensity_before"),
    ),
    Step(
        "kindness",
        "A breath, and something kind",
        "Let one slow breath out, longer than the breath in. A hand on your chest can help. "
        "Then pick a phrase with 1, 2 or 3 and make it your own.",
        ("compassion",),
    ),
    Step(
        "what_happened",
        "What happened?",
        "Just the facts, in a line or two: who said what, and what happened next.",
        ("what_happened",),
    ),
    Step(
        "follow_up",
        "Anything to do, and by when?",
        "Nothing needed is a fine answer. Pick a date you can keep; a buffer is fine. "
        "No date means tomorrow.",
        ("follow_up",),
    ),
    Step(
        "feeling_after",
        "And now: how strong is it?",
        "The same scale as at the start. Whatever it is now is fine.",
        ("intensity_after",),
    ),
    Step(
        "deeper",
        "Go deeper now, or later from Today?",
        "Saving now is enough. The check-in stays in Today's list: open it whenever you want "
        "to add more.",
        (),
    ),
)
DEEP_STEPS: tuple[Step, ...] = (
    Step(
        "first_move",
        "In the first minute, what did I do?",
        "No verdict: just what happened in me. Not sure yet is a fine answer.",
        ("reaction", "noticed"),
        deep=True,
    ),
    Step(
        "story",
        "What is the voice in my head saying?",
        "Write the harsh line as it sounds, then a fairer one a friend might offer.",
        ("story", "fairer_line"),
        deep=True,
    ),
    Step(
        "their_side",
        "How does it look from their side?",
        "In their words, as best I can tell. Next time I can ask: what does this mean for "
        "you? How would you like this to end?",
        ("their_implication", "their_success", "say_back"),
        deep=True,
    ),
    Step(
        "own_later",
        "What is mine, and what is not?",
        "Once things are calmer: an apology or an acknowledgement, if any part is mine. "
        "Nothing is a fine answer too.",
        ("own_later", "not_mine"),
        deep=True,
    ),
    Step(
        "who_could_help",
        "Who could help with this?",
        "Was I the right person for it, or is there someone better placed to work with?",
        ("who_could_help",),
        deep=True,
    ),
    Step(
        "learning",
        "One thing that went well, one to try",
        "One line each is plenty.",
        ("keep_doing", "do_differently", "learnt"),
        deep=True,
    ),
    Step(
        "title_tags",
        "A title and tags, if you like",
        "Both optional: without a title the check-in gets a short one from what happened.",
        ("revisit_on",),
        deep=True,
    ),
)
STEPS: tuple[Step, ...] = QUICK_STEPS + DEEP_STEPS
STEP_IDS: tuple[str, ...] = tuple(s.id for s in STEPS)
#: The step that asks whether to go deeper (the last of the quick check-in).
CROSSROADS = "deeper"

#: Kind phrases for the kindness step, three at a time (picked with 1, 2, 3). Each set has one
#: for a hard moment, one for when it was not my fault, one for patience or forgiveness.
KIND_PHRASE_SETS: tuple[tuple[str, str, str], ...] = (
    (
        "That was a hard call, and it makes sense that it got to me.",
        "I did not deserve to be spoken to like that.",
        "May I be patient with myself while this settles.",
    ),
    (
        "Anyone who does this work has had a call like this one.",
        "Their anger is about their situation, not about my worth.",
        "I forgive myself for what I got wrong. I am still learning.",
    ),
    (
        "I am still new at this, and learning is allowed to be messy.",
        "Some of this was never mine to fix.",
        "I can own my part without carrying all of it.",
    ),
)


def step_index(step_id: str) -> int:
    """The position of a step (0-based); :class:`KeyError` for an unknown id."""
    try:
        return STEP_IDS.index(step_id)
    except ValueError:
        raise KeyError(step_id) from None


def intensity_word(value: int | None) -> str:
    """A word for a point on the 0-10 scale."""
    if value is None:
        return "not set"
    if value == 0:
        return "calm"
    if value <= 3:
        return "mild"
    if value <= 6:
        return "moderate"
    if value <= 8:
        return "strong"
    return "overwhelming"


def needs_help_note(before: int | None, after: int | None) -> bool:
    """Whether the end of a check-in should show where to get help: still strong, or worse."""
    if after is None:
        return False
    return after >= RAW_AT or (before is not None and after > before)


# ---- the answers ------------------------------------------------------------------------


def answer_text(value: Any) -> str | None:
    """Free text as stored: surrounding blank space trimmed, empty means not answered."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise EntryError(f"expected text, got {type(value).__name__}")
    value = value.strip()
    return value or None


def feeling_words(value: Any) -> list[str]:
    """Feeling words as stored: trimmed, one space inside, lower case, each once, in order."""
    if value is None:
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list | tuple):
        raise EntryError(f"feelings must be a list of words, not {type(value).__name__}")
    out: list[str] = []
    for word in value:
        if not isinstance(word, str):
            raise EntryError("each feeling must be a word")
        clean = " ".join(word.split()).casefold()
        if clean and clean not in out:
            out.append(clean)
    return out


#: Free-text answers at the top level of the stored check-in, in step order.
TEXT_FIELDS: tuple[str, ...] = (
    "what_happened",
    "noticed",
    "story",
    "fairer_line",
    "their_implication",
    "their_success",
    "say_back",
    "own_later",
    "not_mine",
    "who_could_help",
    "keep_doing",
    "do_differently",
    "learnt",
    "notes",
)


@dataclass
class Compassion:
    """The kindness step. ``what_i_need`` holds the kind phrase; the other two parts come from
    version 1 check-ins and are kept as they were written."""

    hard_moment_ack: str | None = None
    shared_humanity: str | None = None
    what_i_need: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """Plain JSON form."""
        return {
            "hard_moment_ack": answer_text(self.hard_moment_ack),
            "shared_humanity": answer_text(self.shared_humanity),
            "what_i_need": answer_text(self.what_i_need),
        }

    @property
    def answered(self) -> bool:
        """Whether any part was written."""
        return any(self.to_dict().values())


@dataclass
class FollowUpPlan:
    """The follow-up as answered: what I will do and by when (``due`` as ``YYYY-MM-DD``)."""

    action: str | None = None
    due: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """Plain JSON form."""
        return {"action": answer_text(self.action), "due": answer_text(self.due)}

    @property
    def answered(self) -> bool:
        """Whether an action or a date was given."""
        return any(self.to_dict().values())


@dataclass
class CheckinAnswers:
    """Everything a check-in asks; every field is optional because every step is skippable.

    ``reaction`` is what I did first (reacted, paused or responded). ``revisit_on`` is ``None``
    for the default (the check-in's day + 90 days), a ``YYYY-MM-DD`` date, or ``"never"`` for
    no revisit. ``intensity_revisit`` is filled in at the look-back, not by the stepper.
    """

    feelings: list[str] = field(default_factory=list)
    intensity_before: int | None = None
    compassion: Compassion = field(default_factory=Compassion)
    what_happened: str | None = None
    follow_up: FollowUpPlan = field(default_factory=FollowUpPlan)
    intensity_after: int | None = None
    reaction: str | None = None
    noticed: str | None = None
    story: str | None = None
    fairer_line: str | None = None
    their_implication: str | None = None
    their_success: str | None = None
    say_back: str | None = None
    own_later: str | None = None
    not_mine: str | None = None
    who_could_help: str | None = None
    keep_doing: str | None = None
    do_differently: str | None = None
    learnt: str | None = None
    #: Text written straight into the body of a check-in (before it reopened as a check-in),
    #: kept so that rebuilding the body never drops a word.
    notes: str | None = None
    revisit_on: str | None = None
    intensity_revisit: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form, every key present (``None`` where a step was skipped)."""
        out: dict[str, Any] = {
            "feelings": feeling_words(self.feelings),
            "intensity_before": self.intensity_before,
            "compassion": self.compassion.to_dict(),
            "follow_up": self.follow_up.to_dict(),
            "intensity_after": self.intensity_after,
            "reaction": self.reaction,
            "revisit_on": answer_text(self.revisit_on),
            "intensity_revisit": self.intensity_revisit,
        }
        for name in TEXT_FIELDS:
            out[name] = answer_text(getattr(self, name))
        return out

    @classmethod
    def from_dict(cls, data: Any) -> CheckinAnswers:
        """Build from :meth:`to_dict` output (or a stored ``entry.checkin``, of any version);
        unknown keys are ignored so older and newer drafts still load. Values are checked by
        :func:`problems`.
        """
        if not isinstance(data, Mapping):
            raise EntryError("check-in answers must be an object")
        compassion = data.get("compassion") or {}
        follow_up = data.get("follow_up") or {}
        if not isinstance(compassion, Mapping) or not isinstance(follow_up, Mapping):
            raise EntryError("compassion and follow_up must be objects")
        texts = {name: answer_text(data.get(name)) for name in TEXT_FIELDS}
        return cls(
            feelings=feeling_words(data.get("feelings")),
            intensity_before=data.get("intensity_before"),
            reaction=data.get("reaction"),
            compassion=Compassion(
                hard_moment_ack=answer_text(compassion.get("hard_moment_ack")),
                shared_humanity=answer_text(compassion.get("shared_humanity")),
                what_i_need=answer_text(compassion.get("what_i_need")),
            ),
            follow_up=FollowUpPlan(
                action=answer_text(follow_up.get("action")), due=answer_text(follow_up.get("due"))
            ),
            intensity_after=data.get("intensity_after"),
            intensity_revisit=data.get("intensity_revisit"),
            revisit_on=answer_text(data.get("revisit_on")),
            **texts,
        )

    @property
    def is_empty(self) -> bool:
        """True when nothing at all was answered."""
        return not self.answered_steps() and not answer_text(self.notes)

    def answered_steps(self) -> list[str]:
        """Ids of the steps that hold an answer, in order (the look-back date does not count:
        it has a default)."""
        data = self.to_dict()
        out = []
        for step in STEPS:
            for name in step.fields:
                if name == "revisit_on":
                    continue
                value = data[name]
                if isinstance(value, dict):
                    value = any(value.values())
                if value not in (None, False, []):
                    out.append(step.id)
                    break
        return out


@dataclass(frozen=True)
class Problem:
    """Something wrong with an answer: which step, which field, and what to do."""

    step: str
    field: str
    message: str


def _check_intensity(value: Any, name: str, step: str) -> list[Problem]:
    if value is None:
        return []
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10:
        return [Problem(step, name, f"A rating is a whole number from 0 to 10, not {value!r}.")]
    return []


def _is_iso_day(value: str) -> bool:
    try:
        return len(value) == 10 and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def problems(answers: CheckinAnswers) -> list[Problem]:
    """Everything that stops these answers from being saved, in step order (empty when fine).

    An action without a date is fine (it is due tomorrow, see :func:`resolve_due`).
    """
    out: list[Problem] = []
    try:
        words = feeling_words(answers.feelings)
    except EntryError as exc:
        out.append(Problem("feeling", "feelings", exc.message))
        words = []
    if len(words) > MAX_FEELINGS or any(len(w) > MAX_FEELING_LENGTH for w in words):
        out.append(
            Problem(
                "feeling",
                "feelings",
                f"Up to {MAX_FEELINGS} feeling words of up to {MAX_FEELING_LENGTH} letters.",
            )
        )
    out += _check_intensity(answers.intensity_before, "intensity_before", "feeling")
    plan = answers.follow_up.to_dict()
    if plan["due"] is not None and not _is_iso_day(plan["due"]):
        out.append(Problem("follow_up", "due", f"{plan['due']!r} is not a date. Use YYYY-MM-DD."))
    if plan["due"] and not plan["action"]:
        out.append(
            Problem(
                "follow_up",
                "action",
                "What would you like to do by then? Write it, or clear the date.",
            )
        )
    out += _check_intensity(answers.intensity_after, "intensity_after", "feeling_after")
    if answers.reaction is not None and answers.reaction not in REACTIONS:
        out.append(
            Problem(
                "first_move",
                "reaction",
                f"Choose one of {', '.join(REACTIONS)} (got {answers.reaction!r}).",
            )
        )
    revisit = answer_text(answers.revisit_on)
    if revisit is not None and revisit != NEVER and not _is_iso_day(revisit):
        out.append(
            Problem("title_tags", "revisit_on", f"{revisit!r} is not a date. Use YYYY-MM-DD.")
        )
    out += _check_intensity(answers.intensity_revisit, "intensity_revisit", "feeling")
    return out


def validate(answers: CheckinAnswers) -> None:
    """Raise :class:`EntryError` naming the first problem, if there is one."""
    found = problems(answers)
    if found:
        first = found[0]
        title = STEPS[step_index(first.step)].title
        raise EntryError(f"{title} {first.message}", "Nothing was saved; fix it and save again.")


# ---- the entry --------------------------------------------------------------------------


def resolve_revisit(answers: CheckinAnswers, day: date) -> str | None:
    """The revisit date to store: the answer, the default (day + 90), or None for never."""
    value = answer_text(answers.revisit_on)
    if value == NEVER:
        return None
    if value is None:
        return (day + timedelta(days=REVISIT_DEFAULT_DAYS)).isoformat()
    return value


def resolve_due(plan: FollowUpPlan, day: date) -> str | None:
    """The follow-up's due day: as answered, tomorrow for an action without a date, or None."""
    data = plan.to_dict()
    if not data["action"]:
        return None
    return data["due"] or (day + timedelta(days=1)).isoformat()


def _section(heading: str, text: str) -> str:
    return f"## {heading}\n\n{text}\n"


def _labelled(pairs: Iterable[tuple[str, str | None]]) -> str:
    """Several labelled answers under one heading, each label a ``###`` sub-heading."""
    return "\n".join(f"### {label}\n\n{text}\n" for label, text in pairs if text)


def _rating(value: int) -> str:
    return f"{value} out of 10 ({intensity_word(value)})"


def _words(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def render_body(answers: CheckinAnswers, revisit_on: str | None, *, done: str | None = None) -> str:
    """The readable Markdown body: one ``##`` heading per answered step, in step order.

    It describes (``What I did first: paused``), it does not grade. ``done`` is when the
    follow-up was marked done (its box is then ticked, as :func:`journal.due.mark_done` does).
    """
    data = answers.to_dict()
    parts: list[str] = []
    for step_id in answers.answered_steps():
        if step_id == "feeling":
            lines = []
            if data["feelings"]:
                words = _words(data["feelings"])
                lines.append(f"Feeling {words}.")
            if data["intensity_before"] is not None:
                lines.append(f"How strong: {_rating(data['intensity_before'])}.")
            parts.append(_section("How I felt", "\n".join(lines)))
        elif step_id == "kindness":
            text = _labelled(
                (FIELD_LABELS[name], value) for name, value in data["compassion"].items()
            )
            parts.append(f"## Being kind to myself\n\n{text}")
        elif step_id == "what_happened":
            parts.append(_section("What happened", data["what_happened"]))
        elif step_id == "follow_up":
            plan = data["follow_up"]
            due = (
                f", by {long_day(plan['due'])}" if plan["due"] and _is_iso_day(plan["due"]) else ""
            )
            box = "[x]" if done else "[ ]"
            line = f"- {box} {plan['action'] or '(no action)'}{due}"
            if done:
                line += f" (done {long_day(done[:10])})"
            parts.append(_section("Follow-up", line))
        elif step_id == "feeling_after":
            value = data["intensity_after"]
            text = f"How strong at the end: {_rating(value)}"
            before = data["intensity_before"]
            if before is not None:
                change = before - value
                if change > 0:
                    text += f", down {change} from {before}"
                elif change < 0:
                    text += f", up {-change} from {before}"
                else:
                    text += ", the same as at the start"
            parts.append(_section("How it felt after", text + "."))
        elif step_id == "first_move":
            lines = []
            if data["reaction"] in REACTIONS:
                lines.append(f"What I did first: {data['reaction']}.")
            if data["noticed"]:
                lines.append(f"### {FIELD_LABELS['noticed']}\n\n{data['noticed']}")
            parts.append(_section("In the first minute", "\n\n".join(lines)))
        else:
            step = STEPS[step_index(step_id)]
            names = [n for n in step.fields if n in TEXT_FIELDS]
            if len(names) == 1:
                parts.append(_section(FIELD_LABELS[names[0]], data[names[0]]))
            else:
                text = _labelled((FIELD_LABELS[name], data[name]) for name in names)
                parts.append(f"## {step.title}\n\n{text}")
    if data["notes"]:
        parts.append(_section(FIELD_LABELS["notes"], data["notes"]))
    if answer_text(answers.revisit_on) is not None:
        when = f"On {long_day(revisit_on)}." if revisit_on else "Not planned."
        parts.append(_section("Look back", when))
    if data["intensity_revisit"] is not None:
        parts.append(
            _section("Looking back", f"It still stung: {_rating(data['intensity_revisit'])}.")
        )
    return "\n".join(parts)


TITLE_WORDS_MAX = 50
#: A cut at a clause (comma, semicolon, dash) is kept when it leaves at least this much;
#: a shorter one loses what the title is about ("After a template change").
TITLE_CLAUSE_MIN = 30
_SENTENCE_END = re.compile(r"(?<=[.!?])\s")
_CLAUSE_END = re.compile(r"[,;:]\s|\s[-–—]\s")
_TITLE_TRIM = " ,;:.-–—…"
#: Small words a cut title does not end on ("about a double charge on the" reads as cut off).
#: Never "not": dropping it would turn what happened around.
_DANGLING_WORDS = (
    "a an the and or but so of on in at to for with about from by into than that "
    "my his her their our your its i was were is had has have been be will would"
)
_DANGLING = frozenset(_DANGLING_WORDS.split())


def short_line(text: str, limit: int = TITLE_WORDS_MAX) -> str:
    """``text`` on one line, cut to at most ``limit`` characters where it reads as whole.

    The first sentence; when that is too long, up to its last clause break (a comma, a
    semicolon, a dash) that still leaves :data:`TITLE_CLAUSE_MIN` characters, else at a word
    that is not a dangling small one ("the", "and", "of"...).
    Never an ellipsis: a title is stored, and a stored "…" reads as text that went missing.
    """
    first = _SENTENCE_END.split(" ".join(text.split()), maxsplit=1)[0]
    if len(first) > limit:
        cut = first[: limit + 1]
        clauses = [m.start() for m in _CLAUSE_END.finditer(cut) if m.start() >= TITLE_CLAUSE_MIN]
        if clauses:
            first = cut[: clauses[-1]]
        elif " " in cut.strip():
            words = cut.rsplit(" ", 1)[0].split(" ")
            while len(words) > 1 and words[-1].casefold() in _DANGLING:
                words.pop()
            first = " ".join(words)
        else:
            first = cut[:limit]
    return first.strip().rstrip(_TITLE_TRIM)


def summary_title(answers: CheckinAnswers) -> str:
    """A short, clean title: the first sentence of what happened, cut where it reads as whole
    (:func:`short_line`, never with "…"), or the feeling words, or a plain label."""
    happened = answer_text(answers.what_happened)
    if happened:
        first = short_line(happened)
        if first:
            return f"Check-in: {first}"
    words = feeling_words(answers.feelings)
    if words:
        return f"Check-in: feeling {_words(words[:3])}"
    return "Check-in after a tough call"


def entry_title(answers: CheckinAnswers, title: str | None = None) -> str:
    """The user's own title when there is one, else :func:`summary_title`."""
    own = " ".join((title or "").split())
    return own or summary_title(answers)


def _stored(answers: CheckinAnswers, revisit_on: str | None) -> dict[str, Any]:
    data = answers.to_dict()
    data["revisit_on"] = revisit_on
    data["version"] = CHECKIN_VERSION
    return data


def build_entry(
    answers: CheckinAnswers,
    day: date | str,
    moment: datetime,
    *,
    title: str | None = None,
    tags: Iterable[str] = (),
) -> Entry:
    """Turn the answers into one ``checkin`` entry (validated; :class:`EntryError` if not).

    An empty check-in is refused: there would be nothing to keep, and no reason for a revisit.
    """
    validate(answers)
    if answers.is_empty:
        raise EntryError("Nothing was answered, so there is nothing to save.")
    d = as_date(day)
    revisit_on = resolve_revisit(answers, d)
    due = resolve_due(answers.follow_up, d)
    action = answers.follow_up.to_dict()["action"]
    answers = replace(answers, follow_up=FollowUpPlan(action, due))
    follow_up = FollowUp(action=action, due=due) if action and due else None
    return Entry.new(
        render_body(answers, revisit_on),
        title=entry_title(answers, title),
        kind="checkin",
        day=d,
        tags=tags,
        checkin=_stored(answers, revisit_on),
        follow_up=follow_up,
        revisit_on=revisit_on,
        moment=moment,
    )


def answers_of(entry: Entry) -> CheckinAnswers:
    """The answers of a saved check-in, of any version (:class:`EntryError` if unreadable).

    The revisit date is the entry's own, so a look-back already done stays done.
    """
    if entry.kind != "checkin" or not isinstance(entry.checkin, Mapping):
        raise EntryError(f"Entry {entry.uid[:8]} is not a check-in.")
    answers = CheckinAnswers.from_dict(entry.checkin)
    stored = answer_text(entry.checkin.get("revisit_on"))
    # The stored date is what was resolved at save; "never" was stored as None.
    revisit = entry.revisit_on or (NEVER if stored is None else stored)
    default = (entry.day_date + timedelta(days=REVISIT_DEFAULT_DAYS)).isoformat()
    # The default stays "not answered", so the body only mentions a date that was chosen.
    answers.revisit_on = None if revisit == default else revisit
    if entry.follow_up is not None:
        answers.follow_up = FollowUpPlan(entry.follow_up.action, entry.follow_up.due)
    return answers


def title_is_own(entry: Entry) -> bool:
    """Whether a saved check-in's title was written by the user (not made from its answers)."""
    try:
        answers = answers_of(entry)
    except EntryError:
        return True
    made = (summary_title(answers), _word_cut_title(answers), _old_title(answers))
    return entry.title not in made


def _word_cut_title(answers: CheckinAnswers) -> str:
    """The title version 2 made before it cut at clauses (at a word only), so a check-in
    saved then still reads as having a made title, not one the user wrote."""
    happened = answer_text(answers.what_happened)
    if not happened:
        return summary_title(answers)
    first = _SENTENCE_END.split(" ".join(happened.split()), maxsplit=1)[0]
    if len(first) > TITLE_WORDS_MAX:
        cut = first[: TITLE_WORDS_MAX + 1]
        first = cut.rsplit(" ", 1)[0] if " " in cut else cut[:TITLE_WORDS_MAX]
    first = first.rstrip(" ,;:.-–—")
    return f"Check-in: {first}" if first else summary_title(answers)


def _old_title(answers: CheckinAnswers) -> str:
    """The title version 1 made (cut with "…"), so reopening an old check-in refreshes it."""
    happened = answer_text(answers.what_happened)
    if not happened:
        return "Check-in after a tough call"
    first = " ".join(happened.split())
    if len(first) > 60:
        first = first[:59].rstrip() + "…"
    return f"Check-in: {first}"


def rebuild_entry(
    entry: Entry,
    answers: CheckinAnswers,
    moment: datetime,
    *,
    title: str | None = None,
    tags: Iterable[str] | None = None,
) -> Entry:
    """A saved check-in with new answers: structured fields and body rewritten together.

    The follow-up keeps its done state while its action stays the same; the look-back rating
    (given at the revisit, not in the stepper) is kept.
    """
    validate(answers)
    if answers.is_empty:
        raise EntryError("Nothing would be left in this check-in.", "Delete it from History.")
    d = entry.day_date
    stored = entry.checkin if isinstance(entry.checkin, Mapping) else {}
    answers = replace(answers, intensity_revisit=stored.get("intensity_revisit"))
    if not answer_text(answers.notes) and not body_matches(entry):
        # Written by hand in the body: kept, word for word, as the check-in's notes.
        answers = replace(answers, notes=entry.body)
    revisit_on = resolve_revisit(answers, d)
    due = resolve_due(answers.follow_up, d)
    action = answers.follow_up.to_dict()["action"]
    answers = replace(answers, follow_up=FollowUpPlan(action, due))
    old = entry.follow_up
    follow_up: FollowUp | None = None
    if action and due:
        follow_up = FollowUp(action=action, due=due)
        if old is not None and old.action == action:
            follow_up = replace(old, due=due)
    done = follow_up.done if follow_up is not None else None
    data = _stored(answers, revisit_on)
    for key, value in stored.items():
        # Keys a newer version wrote are kept as they were.
        data.setdefault(key, value)
    data["version"] = CHECKIN_VERSION
    return entry.edited(
        moment,
        body=render_body(answers, revisit_on, done=done),
        title=entry_title(answers, title),
        tags=entry.tags if tags is None else list(tags),
        checkin=data,
        follow_up=follow_up,
        revisit_on=revisit_on,
    )


# ---- version 1 bodies -------------------------------------------------------------------

_V1_LABELS: dict[str, str] = {
    "what_happened": "What happened",
    "noticed": "What I noticed in myself",
    "their_implication": "What it means for them",
    "their_success": "What success looks like for them",
    "hard_moment_ack": "This is a hard moment",
    "shared_humanity": "I am not alone in this",
    "what_i_need": "What I need to hear",
    "own_later": "Mine to own, later",
    "learnt": "What I learnt",
    "keep_doing": "What I will keep doing",
    "do_differently": "What I will do differently",
}


_V1_STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("intensity_before", ("intensity_before",)),
    ("what_happened", ("what_happened",)),
    ("reaction", ("reaction", "noticed")),
    ("their_side", ("their_implication", "their_success")),
    ("compassion", ("compassion",)),
    ("own_later", ("own_later",)),
    ("follow_up", ("follow_up",)),
    ("learnt", ("learnt", "keep_doing", "do_differently")),
    ("revisit", ("revisit_on",)),
    ("intensity_after", ("intensity_after",)),
)


def _v1_answered(data: Mapping[str, Any]) -> list[str]:
    out = []
    for step_id, names in _V1_STEPS:
        for name in names:
            value = data[name]
            if isinstance(value, dict):
                value = any(value.values())
            if value is not None and value is not False:
                out.append(step_id)
                break
    return out


def _render_v1(answers: CheckinAnswers, revisit_on: str | None) -> str:
    """The body version 1 wrote, to tell a body nobody edited from one written by hand."""
    data = answers.to_dict()
    parts: list[str] = []
    for step_id in _v1_answered(data):
        if step_id == "intensity_before":
            value = data["intensity_before"]
            parts.append(
                _section("How intense it felt", f"{value} out of 10 ({intensity_word(value)}).")
            )
        elif step_id == "what_happened":
            parts.append(_section("What happened", data["what_happened"]))
        elif step_id == "reaction":
            lines = []
            if data["reaction"]:
                lines.append(REACTION_LABELS[data["reaction"]] + ".")
            if data["noticed"]:
                lines.append(f"### {_V1_LABELS['noticed']}\n\n{data['noticed']}")
            parts.append(_section("React or respond", "\n\n".join(lines)))
        elif step_id == "their_side":
            text = _labelled(
                (_V1_LABELS[name], data[name]) for name in ("their_implication", "their_success")
            )
            parts.append(f"## Their side\n\n{text}")
        elif step_id == "compassion":
            text = _labelled(
                (_V1_LABELS[name], value) for name, value in data["compassion"].items()
            )
            parts.append(f"## Being kind to myself\n\n{text}")
        elif step_id == "own_later":
            parts.append(_section("Mine to own, later", data["own_later"]))
        elif step_id == "follow_up":
            plan = data["follow_up"]
            due = (
                f", by {long_day(plan['due'])}" if plan["due"] and _is_iso_day(plan["due"]) else ""
            )
            parts.append(_section("Follow-up", f"- [ ] {plan['action'] or '(no action)'}{due}"))
        elif step_id == "learnt":
            text = _labelled(
                (_V1_LABELS[name], data[name])
                for name in ("learnt", "keep_doing", "do_differently")
            )
            parts.append(f"## Lessons\n\n{text}")
        elif step_id == "revisit":
            when = f"On {long_day(revisit_on)}." if revisit_on else "Not planned."
            parts.append(_section("Look back", when))
        elif step_id == "intensity_after":
            value = data["intensity_after"]
            text = f"{value} out of 10 ({intensity_word(value)})"
            before = data["intensity_before"]
            if before is not None:
                change = before - value
                if change > 0:
                    text += f", down {change} from {before}"
                elif change < 0:
                    text += f", up {-change} from {before}"
                else:
                    text += ", the same as at the start"
            parts.append(_section("How intense it feels now", text + "."))
    return "\n".join(parts)


def body_matches(entry: Entry) -> bool:
    """Whether a check-in's body is the one its stored answers make (no hand edits in it)."""
    try:
        answers = answers_of(entry)
    except EntryError:
        return False
    done = entry.follow_up.done if entry.follow_up is not None else None
    revisit = resolve_revisit(answers, entry.day_date)
    if entry.follow_up is not None:
        answers.follow_up = FollowUpPlan(entry.follow_up.action, entry.follow_up.due)
    body = entry.body.strip()
    if body == render_body(answers, revisit, done=done).strip():
        return True
    if entry.checkin is not None and entry.checkin.get("version", 1) == 1:
        v1 = _render_v1(answers_of(entry), entry.revisit_on).strip()
        if done and entry.follow_up is not None:
            # journal done ticks the box in the body it finds (journal.due._tick).
            box = f"- [ ] {entry.follow_up.action}"
            v1 = "\n".join(
                "- [x]" + line[5:] + f" (done {long_day(done[:10])})"
                if line.startswith(box)
                else line
                for line in v1.split("\n")
            )
        return body == v1
    return False


def with_revisit_rating(entry: Entry, rating: int, moment: datetime) -> Entry:
    """The check-in with how much it still stings at the look-back (0-10) recorded.

    The body is rewritten only when it is the one the answers make; a body written by hand
    is left as it is (the rating is still kept in the structured answers).
    """
    _check = _check_intensity(rating, "intensity_revisit", "feeling")
    if _check:
        raise EntryError(_check[0].message)
    stored = dict(entry.checkin) if isinstance(entry.checkin, Mapping) else {}
    matches = body_matches(entry)
    stored["intensity_revisit"] = rating
    changed = entry.edited(moment, checkin=stored)
    if not matches:
        return changed
    answers = answers_of(changed)
    done = entry.follow_up.done if entry.follow_up is not None else None
    body = render_body(answers, resolve_revisit(answers, entry.day_date), done=done)
    return changed.edited(moment, body=body)


def closing_message(answers: CheckinAnswers, day: date) -> str:
    """The kind line a saved check-in ends on: no numbers, just the one commitment."""
    lines = ["Saved. Taking a few minutes for yourself after a call like that counts."]
    due = resolve_due(answers.follow_up, day)
    action = answers.follow_up.to_dict()["action"]
    if action and due:
        lines.append(f"Follow-up: {action}, {short_day(due)}")
    return "\n".join(lines)


# ---- the draft of a half-finished check-in ------------------------------------------------

#: Version of the draft's JSON form; journal.store.drafts writes and reads the file.
DRAFT_VERSION = 1


@dataclass
class CheckinDraft:
    """A check-in in progress: the answers so far, the step it was on, and raw typed dates.

    ``typed`` holds what was typed in the date fields (``due``, ``revisit``) so a date that did
    not parse yet comes back exactly as typed.
    """

    answers: CheckinAnswers
    step: str = STEP_IDS[0]
    typed: dict[str, str] = field(default_factory=dict)
    saved: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form."""
        return {
            "version": DRAFT_VERSION,
            "saved": self.saved,
            "step": self.step,
            "answers": self.answers.to_dict(),
            "typed": dict(self.typed),
        }

    @classmethod
    def from_dict(cls, data: Any) -> CheckinDraft:
        """Build from :meth:`to_dict` output; :class:`EntryError` when it is not one."""
        if not isinstance(data, Mapping) or "answers" not in data:
            raise EntryError("the check-in draft is not in a form journal understands")
        typed = data.get("typed") or {}
        step = data.get("step")
        return cls(
            answers=CheckinAnswers.from_dict(data["answers"]),
            step=step if step in STEP_IDS else STEP_IDS[0],
            typed={str(k): str(v) for k, v in typed.items()} if isinstance(typed, Mapping) else {},
            saved=str(data.get("saved") or ""),
        )
