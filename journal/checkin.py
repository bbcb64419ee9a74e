"""The check-in after a tough call: its steps, its answers, the entry it becomes, and what is due.

This is domain code (no Textual). The screen in ``journal/tui/screens/checkin.py`` walks through
:data:`STEPS`, fills a :class:`CheckinAnswers`, and hands it to :func:`build_entry`, which
turns it into one entry of kind ``checkin``: every answer in ``entry.checkin``, the promise in
``entry.follow_up``, a date to look back in ``entry.revisit_on``, and a readable Markdown body.

What is due (follow-ups and revisits) is computed here too, for Today, ``journal due`` and the
stats, and so is the draft a half-finished check-in leaves behind.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.checkin_labels import FIELD_LABELS
from journal.errors import EntryError
from journal.models import Entry, FollowUp, parse_timestamp, timestamp

if TYPE_CHECKING:
    from journal.store import Store
    from journal.store.crypto import Key

CHECKIN_VERSION = 1
REVISIT_DEFAULT_DAYS = 90
UPCOMING_DAYS = 7
REACTIONS: tuple[str, ...] = ("reacted", "paused", "responded")
REACTION_LABELS = {
    "reacted": "I reacted",
    "paused": "I paused",
    "responded": "I responded",
}
#: Words typed in the revisit field that mean "do not bring this back".
NO_REVISIT_WORDS = ("never", "no", "none")
NEVER = "never"
#: Examples of the dates people can type (journal.dates.parse_date).
DATE_WORDS = "tomorrow, friday, +3d, +2w, 2026-12-01"


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

#: The revisit questions, from the seeds' advice to look back after about three months.
REVISIT_QUESTIONS: dict[str, str] = {
    "learnt_since": "What have I learnt since?",
    "course_corrected": "How have I course-corrected?",
    "outcome_changed": "What changed in the outcome?",
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


def _text(value: Any) -> str | None:
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
            "hard_moment_ack": _text(self.hard_moment_ack),
            "shared_humanity": _text(self.shared_humanity),
            "what_i_need": _text(self.what_i_need),
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
        return {"action": _text(self.action), "due": _text(self.due)}

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
            "what_happened": _text(self.what_happened),
            "reaction": self.reaction,
            "noticed": _text(self.noticed),
            "their_implication": _text(self.their_implication),
            "their_success": _text(self.their_success),
            "compassion": self.compassion.to_dict(),
            "own_later": _text(self.own_later),
            "follow_up": self.follow_up.to_dict(),
            "learnt": _text(self.learnt),
            "keep_doing": _text(self.keep_doing),
            "do_differently": _text(self.do_differently),
            "revisit_on": _text(self.revisit_on),
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
            name: _text(data.get(name))
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
                hard_moment_ack=_text(compassion.get("hard_moment_ack")),
                shared_humanity=_text(compassion.get("shared_humanity")),
                what_i_need=_text(compassion.get("what_i_need")),
            ),
            follow_up=FollowUpPlan(
                action=_text(follow_up.get("action")), due=_text(follow_up.get("due"))
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
    revisit = _text(answers.revisit_on)
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


def _as_date(day: date | str) -> date:
    return day if isinstance(day, date) else date.fromisoformat(day)


def long_day(day: date | str) -> str:
    """``Tuesday 24 November 2026``."""
    d = _as_date(day)
    return f"{d:%A} {d.day} {d:%B %Y}"


def relative_day(day: date, today: date) -> str:
    """``today``, ``tomorrow``, ``in 5 days``, ``3 days ago``."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"in {delta} days" if delta > 0 else f"{-delta} days ago"


def short_day(day: date | str) -> str:
    """``Tue 24 Nov``."""
    d = _as_date(day)
    return f"{d:%a} {d.day} {d:%b}"


def resolve_revisit(answers: CheckinAnswers, day: date) -> str | None:
    """The revisit date to store: the answer, the default (day + 90), or None for never."""
    value = _text(answers.revisit_on)
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
    happened = _text(answers.what_happened)
    if not happened:
        return "Check-in after a tough call"
    first = " ".join(happened.split())
    if len(first) > 60:
        first = first[:59].rstrip() + "…"
    return f"Check-in: {first}"


def build_entry(answers: CheckinAnswers, day: date | str, moment: datetime) -> Entry:
    """Turn the answers into one ``checkin`` entry (validated; :class:`EntryError` if not)."""
    validate(answers)
    d = _as_date(day)
    revisit_on = resolve_revisit(answers, d)
    data = answers.to_dict()
    data["revisit_on"] = revisit_on
    data["version"] = CHECKIN_VERSION
    plan = answers.follow_up.to_dict()
    follow_up = FollowUp(action=plan["action"], due=plan["due"]) if plan["action"] else None
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


# ---- follow-ups -------------------------------------------------------------------------


def done_day(follow_up: FollowUp) -> date | None:
    """The local day a follow-up was marked done, as recorded (its own UTC offset)."""
    if follow_up.done is None:
        return None
    return parse_timestamp(follow_up.done, "follow_up.done").date()


def mark_done(entry: Entry, moment: datetime, note: str = "") -> Entry:
    """The entry with its follow-up marked done at ``moment`` (with an optional note)."""
    follow_up = entry.follow_up
    if follow_up is None:
        raise EntryError(f"Entry {entry.uid[:8]} has no follow-up to mark done.")
    if follow_up.is_done:
        raise EntryError(
            f"The follow-up {follow_up.action!r} was already marked done on "
            f"{follow_up.done[:10] if follow_up.done else '?'}.",
            "Nothing was changed.",
        )
    done = replace(follow_up, done=timestamp(moment), note=note.strip())
    return entry.edited(moment, follow_up=done, body=_tick(entry.body, follow_up.action, moment))


def _tick(body: str, action: str, moment: datetime) -> str:
    """Tick the follow-up's box in a body written by :func:`render_body`.

    Only the line we wrote is touched (the first ``- [ ] <action>``); a body the user
    rewrote is left exactly as it is.
    """
    box = f"- [ ] {action}"
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if line.startswith(box):
            lines[i] = "- [x]" + line[len("- [ ]") :] + f" (done {long_day(moment.date())})"
            return "\n".join(lines)
    return body


def move_follow_up(entry: Entry, new_due: date | str, moment: datetime) -> Entry:
    """The entry with its open follow-up due on ``new_due`` instead."""
    follow_up = entry.follow_up
    if follow_up is None:
        raise EntryError(f"Entry {entry.uid[:8]} has no follow-up to move.")
    if follow_up.is_done:
        raise EntryError(
            f"The follow-up {follow_up.action!r} is already done; there is nothing to move.",
        )
    due = new_due.isoformat() if isinstance(new_due, date) else new_due
    return entry.edited(moment, follow_up=replace(follow_up, due=due))


# ---- what is due ------------------------------------------------------------------------

#: Order of the groups in :func:`due_items`.
STATUS_ORDER = {"overdue": 0, "today": 1, "upcoming": 2, "revisit": 3}


@dataclass(frozen=True)
class DueItem:
    """One thing due: an open follow-up (overdue, today, upcoming) or a revisit."""

    kind: str  # "follow_up" or "revisit"
    status: str  # "overdue", "today", "upcoming" or "revisit"
    due: date
    uid: str
    text: str
    entry_day: str

    def label(self, today: date) -> str:
        """``overdue · Call Sam back · due Tue 17 Nov`` (one line for lists)."""
        if self.kind == "revisit":
            return f"look back · {self.text} · from {short_day(self.due)}"
        if self.status == "today":
            return f"today · {self.text}"
        return f"{self.status} · {self.text} · due {short_day(self.due)}"

    def to_dict(self) -> dict[str, str]:
        """Plain JSON form (for ``journal due --json``)."""
        return {
            "kind": self.kind,
            "status": self.status,
            "due": self.due.isoformat(),
            "uid": self.uid,
            "text": self.text,
            "entry_day": self.entry_day,
        }


def relevant_doc(doc: Mapping[str, Any]) -> bool:
    """Whether a stored document can matter to what is due or to the check-in numbers."""
    return (
        doc.get("follow_up") is not None
        or doc.get("revisit_on") is not None
        or doc.get("kind") in ("checkin", "revisit")
    )


def relevant_entries(source: Store | Iterable[Entry]) -> Iterable[Entry]:
    """Entries of ``source`` with a follow-up, a revisit date, or of kind checkin or revisit.

    From a store this skips building the plain reflections, which are most of a journal.
    """
    where = getattr(source, "iter_entries_where", None)
    if where is not None:
        return where(relevant_doc)
    return source  # type: ignore[return-value]


#: A stored document, read-only, and a way to build (and validate) its entry when needed:
#: None when the document does not validate (the store notes it in ``store.invalid``).
DueDocument = tuple[Mapping[str, Any], Callable[[], "Entry | None"]]


def _entry_view(entry: Entry) -> dict[str, Any]:
    """The few stored fields :func:`due_items` and the stats read, from an entry."""
    fu = entry.follow_up
    return {
        "kind": entry.kind,
        "follow_up": {"due": fu.due, "done": fu.done} if fu is not None else None,
        "revisit_on": entry.revisit_on,
        "revisit_of": entry.revisit_of,
        "checkin": entry.checkin,
    }


def due_documents(source: Store | Iterable[Entry]) -> Iterator[DueDocument]:
    """The documents of ``source`` that can matter to what is due or to the numbers.

    From a store these are its raw documents (:meth:`Store.due_documents`: plain reflections
    are skipped without being parsed), so the callers read a few fields and build an
    :class:`Entry` only for what they show; from entries, a small view of each.
    """
    documents = getattr(source, "due_documents", None)
    if documents is not None:
        build = source.entry_from_document  # type: ignore[union-attr]
        for doc_id, doc in documents():
            yield doc, partial(build, doc_id, doc)
        return
    for entry in source:  # type: ignore[union-attr]
        yield _entry_view(entry), partial(_same, entry)


def _same(entry: Entry) -> Entry:
    return entry


def due_items(
    source: Store | Iterable[Entry], today: date, *, upcoming_days: int = UPCOMING_DAYS
) -> list[DueItem]:
    """What is due as of ``today``, in the order Today shows it.

    Overdue and today's open follow-ups first (oldest first), then follow-ups due in the next
    ``upcoming_days`` days, then revisits whose day has come and that have no revisit yet.

    Entries are built (and validated) only for open follow-ups, revisits that are due and
    revisit entries: a few dozen in a journal of thousands of check-ins.
    """
    horizon = today + timedelta(days=upcoming_days)
    today_iso = today.isoformat()
    follow_ups: list[DueItem] = []
    revisit_candidates: list[Entry] = []
    revisited: set[str] = set()
    for doc, build in due_documents(source):
        fu = doc.get("follow_up")
        revisit_on = doc.get("revisit_on")
        wanted = (
            (doc.get("kind") == "revisit" and doc.get("revisit_of") is not None)
            or (isinstance(fu, Mapping) and fu.get("done") is None)
            or (isinstance(revisit_on, str) and revisit_on <= today_iso)
        )
        if not wanted:
            continue
        entry = build()
        if entry is None:
            continue
        if entry.kind == "revisit" and entry.revisit_of:
            revisited.add(entry.revisit_of)
        efu = entry.follow_up
        if efu is not None and not efu.is_done:
            due = date.fromisoformat(efu.due)
            if due <= horizon:
                status = "overdue" if due < today else "today" if due == today else "upcoming"
                follow_ups.append(
                    DueItem("follow_up", status, due, entry.uid, efu.action, entry.day)
                )
        if entry.revisit_on is not None and entry.revisit_on <= today_iso:
            revisit_candidates.append(entry)
    revisits = [
        DueItem(
            "revisit",
            "revisit",
            date.fromisoformat(e.revisit_on or e.day),
            e.uid,
            e.headline,
            e.day,
        )
        for e in revisit_candidates
        if e.uid not in revisited
    ]
    items = follow_ups + revisits
    items.sort(key=lambda i: (STATUS_ORDER[i.status], i.due, i.entry_day, i.uid))
    return items


# ---- revisits ---------------------------------------------------------------------------


@dataclass
class RevisitAnswers:
    """Answers to the revisit questions (all optional)."""

    learnt_since: str | None = None
    course_corrected: str | None = None
    outcome_changed: str | None = None

    def to_dict(self) -> dict[str, str | None]:
        """Plain JSON form."""
        return {
            "learnt_since": _text(self.learnt_since),
            "course_corrected": _text(self.course_corrected),
            "outcome_changed": _text(self.outcome_changed),
        }

    @property
    def is_empty(self) -> bool:
        """True when nothing was written."""
        return not any(self.to_dict().values())


def build_revisit(
    original: Entry, answers: RevisitAnswers, day: date | str, moment: datetime
) -> Entry:
    """A ``revisit`` entry looking back on ``original`` (linked by ``revisit_of``).

    The answers are kept structured in ``checkin`` (the entry's field for structured answers)
    and written out as one ``##`` section per answered question.
    """
    data = answers.to_dict()
    sections = [
        _section(REVISIT_QUESTIONS[name], text) for name, text in data.items() if text is not None
    ]
    intro = f"Looking back on {original.headline!r} from {long_day(original.day)}.\n"
    body = "\n".join([intro, *sections])
    # "Looking back: Check-in: …" says "check-in" twice; the kind already says it.
    headline = original.headline.removeprefix("Check-in: ")
    if len(headline) > 50:
        headline = headline[:49].rstrip() + "…"
    return Entry.new(
        body,
        title=f"Looking back: {headline}",
        kind="revisit",
        day=_as_date(day),
        checkin={"revisit": data, "version": CHECKIN_VERSION},
        revisit_of=original.uid,
        moment=moment,
    )


def revisits_of(source: Store | Iterable[Entry], uid: str) -> list[Entry]:
    """The revisit entries that look back on ``uid``, oldest first."""
    candidates: Iterable[Entry]
    if hasattr(source, "entries"):
        from journal.store import make_filter

        candidates = source.entries(make_filter(kind="revisit"))  # type: ignore[union-attr]
    else:
        candidates = source  # type: ignore[assignment]
    found = [e for e in candidates if e.kind == "revisit" and e.revisit_of == uid]
    found.sort(key=lambda e: (e.day, e.created))
    return found


# ---- the draft of a half-finished check-in ------------------------------------------------

DRAFT_FILE = "checkin.json"
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


def draft_path(db_path: Path) -> Path:
    """Where the check-in draft of this journal lives (beside the Today editor's drafts)."""
    from journal.paths import drafts_dir

    return drafts_dir(db_path) / DRAFT_FILE


def save_draft(
    db_path: Path, draft: CheckinDraft, moment: datetime | None = None, key: Key | None = None
) -> Path:
    """Write the draft atomically, private to the user (0600 in a 0700 folder).

    With ``key`` (an encrypted journal's) the draft is written encrypted (crypto.py).
    """
    import orjson

    from journal.paths import ensure_private_dir
    from journal.store.atomic import atomic_write_bytes
    from journal.store.crypto import seal

    path = draft_path(db_path)
    ensure_private_dir(path.parent)
    draft.saved = timestamp(moment)
    payload = orjson.dumps(draft.to_dict(), option=orjson.OPT_INDENT_2)
    atomic_write_bytes(path, seal(payload, key))
    return path


def load_draft(db_path: Path, key: Key | None = None) -> CheckinDraft | None:
    """The saved draft, or None. A draft that cannot be read is moved aside, never deleted,
    and :class:`EntryError` says where it went. ``key`` opens an encrypted draft.
    """
    import orjson

    from journal.store.crypto import CryptoError, unseal

    path = draft_path(db_path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        return CheckinDraft.from_dict(orjson.loads(unseal(raw, key, what="The check-in draft")))
    except (orjson.JSONDecodeError, EntryError, CryptoError, TypeError, ValueError) as exc:
        aside = path.with_name(f"{path.name}.unreadable")
        with contextlib.suppress(OSError):
            os.replace(path, aside)
        raise EntryError(
            f"The check-in draft could not be read ({getattr(exc, 'message', exc)}).",
            f"It was moved to {aside}; its text is still there.",
        ) from None


def delete_draft(db_path: Path) -> None:
    """Remove the draft (after a successful save, or when the user starts fresh)."""
    with contextlib.suppress(FileNotFoundError):
        draft_path(db_path).unlink()
