"""The check-in after a tough call: its steps, its answers, and the entry it becomes.

This is domain code (no Textual). The screen in ``journal/tui/screens/checkin.py`` walks through
:data:`STEPS`, fills a :class:`CheckinAnswers`, and hands it to :func:`build_entry`, which
turns it into one entry of kind ``checkin``: every answer in ``entry.checkin``, the promise in
``entry.follow_up``, a date to look back in ``entry.revisit_on``, and a readable Markdown body.

What is due afterwards (follow-ups and revisits) is in :mod:`journal.due`; a half-finished
check-in is kept as a :class:`CheckinDraft`, which :mod:`journal.store.drafts` writes to disk.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from journal.dates import as_date, long_day
from journal.errors import EntryError
from journal.models import Entry, FollowUp

CHECKIN_VERSION = 1
REVISIT_DEFAULT_DAYS = 90
REACTIONS: tuple[str, ...] = ("reacted", "paused", "responded")
REACTION_LABELS = {
    "reacted": "I reacted",
    "paused": "I paused",
    "responded": "I responded",
}
#: Words typed in the revisit field that mean "do not bring this back".
NO_REVISIT_WORDS = ("never", "no", "none")
NEVER = "never"
#: Labels for the free-text fields, used by the screen, the Markdown body and the export.
FIELD_LABELS: dict[str, str] = {
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


# ---- the steps --------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One page of the check-in: what it asks, a hint, and the answer fields it fills."""

    id: str
    title: str
    hint: str
    fields: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step(
        "intensity_before",
        "How intense does it feel right now?",
        "0 is calm, 10 is as strong as it gets. Use ← → or type a number; there is no wrong "
        "answer.",
        ("intensity_before",),
    ),
    Step(
        "what_happened",
        "What happened?",
        "Facts only, as a camera would have seen it: who said what, and what happened next.",
        ("what_happened",),
    ),
    Step(
        "reaction",
        "Did I react or respond?",
        "Reacting is the soldier: defend, explain, blame. Responding is the scout: curious "
        "about what is really going on. A pause counts.",
        ("reaction", "noticed"),
    ),
    Step(
        "their_side",
        "How does it look from their side?",
        "In their words, not mine. Ask what and how, not why.",
        ("their_implication", "their_success"),
    ),
    Step(
        "compassion",
        "A short break to be kind to myself",
        "Pick a phrase with enter and make it your own, or write your own words.",
        ("compassion",),
    ),
    Step(
        "own_later",
        "What is mine to own, later?",
        "Once the storm has passed: the acknowledgement or apology to make, if any part of "
        "this is mine. Not in the heat of the moment.",
        ("own_later",),
    ),
    Step(
        "follow_up",
        "What will I do, and by when?",
        "Trust comes from keeping the time you promise. Dates: tomorrow, friday, +3d, +2w, "
        "2026-12-01.",
        ("follow_up",),
    ),
    Step(
        "learnt",
        "What did I learn?",
        "One thing is enough. What worked, and what I would try next time.",
        ("learnt", "keep_doing", "do_differently"),
    ),
    Step(
        "revisit",
        "When should I look back at this?",
        "In a few months it will look different. The default is 90 days from today; type a "
        "date, +6m, or never.",
        ("revisit_on",),
    ),
    Step(
        "intensity_after",
        "How intense does it feel now?",
        "The same scale as at the start. Whatever it is now is fine.",
        ("intensity_after",),
    ),
)
STEP_IDS: tuple[str, ...] = tuple(s.id for s in STEPS)

#: Kind phrases offered in the self-compassion step, by the field they fill. Plain words a
#: friend might say; the user can edit any of them.
KIND_PHRASES: dict[str, tuple[str, ...]] = {
    "hard_moment_ack": (
        "That was a hard call, and it is fine that it got to me.",
        "This is difficult right now. It will not feel like this for ever.",
        "I am allowed to find this hard.",
    ),
    "shared_humanity": (
        "Everyone who does this work has had a call like this one.",
        "Getting things wrong sometimes is part of being a person, not proof I am bad at this.",
        "Someone else is sitting with the same knot in their stomach today.",
    ),
    "what_i_need": (
        "I did what I could with what I knew in that moment.",
        "I can take a breath before I decide what to do next.",
        "One rough call does not undo the trust I have built.",
        "I can own my part without carrying all of it.",
    ),
}


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


# ---- the answers ------------------------------------------------------------------------


def answer_text(value: Any) -> str | None:
    """Free text as stored: surrounding blank space trimmed, empty means not answered."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise EntryError(f"expected text, got {type(value).__name__}")
    value = value.strip()
    return value or None


@dataclass
class Compassion:
    """The three parts of the self-compassion break."""

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

    ``revisit_on`` is ``None`` for the default (the check-in's day + 90 days), a
    ``YYYY-MM-DD`` date, or ``"never"`` for no revisit.
    """

    intensity_before: int | None = None
    what_happened: str | None = None
    reaction: str | None = None
    noticed: str | None = None
    their_implication: str | None = None
    their_success: str | None = None
    compassion: Compassion = field(default_factory=Compassion)
    own_later: str | None = None
    follow_up: FollowUpPlan = field(default_factory=FollowUpPlan)
    learnt: str | None = None
    keep_doing: str | None = None
    do_differently: str | None = None
    revisit_on: str | None = None
    intensity_after: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form, every key present (``None`` where a step was skipped)."""
        return {
            "intensity_before": self.intensity_before,
            "what_happened": answer_text(self.what_happened),
            "reaction": self.reaction,
            "noticed": answer_text(self.noticed),
            "their_implication": answer_text(self.their_implication),
            "their_success": answer_text(self.their_success),
            "compassion": self.compassion.to_dict(),
            "own_later": answer_text(self.own_later),
            "follow_up": self.follow_up.to_dict(),
            "learnt": answer_text(self.learnt),
            "keep_doing": answer_text(self.keep_doing),
            "do_differently": answer_text(self.do_differently),
            "revisit_on": answer_text(self.revisit_on),
            "intensity_after": self.intensity_after,
        }

    @classmethod
    def from_dict(cls, data: Any) -> CheckinAnswers:
        """Build from :meth:`to_dict` output (or a stored ``entry.checkin``); unknown keys are
        ignored so older and newer drafts still load. Values are checked by :func:`problems`.
        """
        if not isinstance(data, Mapping):
            raise EntryError("check-in answers must be an object")
        compassion = data.get("compassion") or {}
        follow_up = data.get("follow_up") or {}
        if not isinstance(compassion, Mapping) or not isinstance(follow_up, Mapping):
            raise EntryError("compassion and follow_up must be objects")
        texts = {
            name: answer_text(data.get(name))
            for name in (
                "what_happened",
                "noticed",
                "their_implication",
                "their_success",
                "own_later",
                "learnt",
                "keep_doing",
                "do_differently",
                "revisit_on",
            )
        }
        return cls(
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
            **texts,
        )

    def answered_steps(self) -> list[str]:
        """Ids of the steps that hold an answer, in order."""
        data = self.to_dict()
        out = []
        for step in STEPS:
            for name in step.fields:
                value = data[name]
                if isinstance(value, dict):
                    value = any(value.values())
                if value is not None and value is not False:
                    out.append(step.id)
                    break
        return out

    @property
    def is_empty(self) -> bool:
        """True when no step holds an answer."""
        return not self.answered_steps()


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
        return [
            Problem(step, name, f"Intensity must be a whole number from 0 to 10, not {value!r}.")
        ]
    return []


def _is_iso_day(value: str) -> bool:
    try:
        return len(value) == 10 and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def problems(answers: CheckinAnswers) -> list[Problem]:
    """Everything that stops these answers from being saved, in step order (empty when fine)."""
    out: list[Problem] = []
    out += _check_intensity(answers.intensity_before, "intensity_before", "intensity_before")
    if answers.reaction is not None and answers.reaction not in REACTIONS:
        out.append(
            Problem(
                "reaction",
                "reaction",
                f"Choose one of {', '.join(REACTIONS)} (got {answers.reaction!r}).",
            )
        )
    plan = answers.follow_up.to_dict()
    if plan["due"] is not None and not _is_iso_day(plan["due"]):
        out.append(Problem("follow_up", "due", f"{plan['due']!r} is not a date. Use YYYY-MM-DD."))
    if plan["action"] and not plan["due"]:
        out.append(
            Problem(
                "follow_up",
                "due",
                "When will you do it? Give a date (tomorrow, friday, +3d) or clear the action.",
            )
        )
    if plan["due"] and not plan["action"]:
        out.append(
            Problem(
                "follow_up",
                "action",
                "What will you do by then? Write the action or clear the date.",
            )
        )
    revisit = answer_text(answers.revisit_on)
    if revisit is not None and revisit != NEVER and not _is_iso_day(revisit):
        out.append(Problem("revisit", "revisit_on", f"{revisit!r} is not a date. Use YYYY-MM-DD."))
    out += _check_intensity(answers.intensity_after, "intensity_after", "intensity_after")
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


def _section(heading: str, text: str) -> str:
    return f"## {heading}\n\n{text}\n"


def _labelled(pairs: Iterable[tuple[str, str | None]]) -> str:
    """Several labelled answers under one heading, each label a ``###`` sub-heading."""
    return "\n".join(f"### {label}\n\n{text}\n" for label, text in pairs if text)


def render_body(answers: CheckinAnswers, revisit_on: str | None) -> str:
    """The readable Markdown body: one ``##`` heading per answered step, in step order."""
    data = answers.to_dict()
    parts: list[str] = []
    for step_id in answers.answered_steps():
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
                lines.append(f"### {FIELD_LABELS['noticed']}\n\n{data['noticed']}")
            parts.append(_section("React or respond", "\n\n".join(lines)))
        elif step_id == "their_side":
            text = _labelled(
                (FIELD_LABELS[name], data[name]) for name in ("their_implication", "their_success")
            )
            parts.append(f"## Their side\n\n{text}")
        elif step_id == "compassion":
            text = _labelled(
                (FIELD_LABELS[name], value) for name, value in data["compassion"].items()
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
                (FIELD_LABELS[name], data[name])
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


def entry_title(answers: CheckinAnswers) -> str:
    """A one-line title: the start of what happened, or a plain label."""
    happened = answer_text(answers.what_happened)
    if not happened:
        return "Check-in after a tough call"
    first = " ".join(happened.split())
    if len(first) > 60:
        first = first[:59].rstrip() + "…"
    return f"Check-in: {first}"


def build_entry(answers: CheckinAnswers, day: date | str, moment: datetime) -> Entry:
    """Turn the answers into one ``checkin`` entry (validated; :class:`EntryError` if not)."""
    validate(answers)
    d = as_date(day)
    revisit_on = resolve_revisit(answers, d)
    data = answers.to_dict()
    data["revisit_on"] = revisit_on
    data["version"] = CHECKIN_VERSION
    plan = answers.follow_up.to_dict()
    # validate() has made sure an action comes with a date and a date with an action.
    action, due = plan["action"], plan["due"]
    follow_up = FollowUp(action=action, due=due) if action and due else None
    return Entry.new(
        render_body(answers, revisit_on),
        title=entry_title(answers),
        kind="checkin",
        day=d,
        checkin=data,
        follow_up=follow_up,
        revisit_on=revisit_on,
        moment=moment,
    )


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
