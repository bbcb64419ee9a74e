"""What is due after a check-in: open follow-ups and revisits, keeping or moving a promise,
and the look-back entries that revisit a check-in.

Domain code (no Textual, no store). The journal is read through an :class:`EntrySource`,
which :class:`journal.store.Store` satisfies as it is; a plain iterable of entries works too
(the tests use lists). Today, ``journal due`` and the stats read from here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any, Protocol, TypeAlias, runtime_checkable

from journal.checkin import CHECKIN_VERSION, answer_text, short_line
from journal.dates import as_date, long_day, short_day
from journal.errors import EntryError
from journal.models import Entry, timestamp

#: How far ahead an open follow-up shows as upcoming.
UPCOMING_DAYS = 7

#: The revisit questions, from the seeds' advice to look back after about three months.
REVISIT_QUESTIONS: dict[str, str] = {
    "learnt_since": "Reading it now, what do I understand that I did not then?",
    "course_corrected": "What do I do differently because of it?",
    "outcome_changed": "How did it turn out, for them and for me?",
}
#: Asked first at the look-back, beside the rating the check-in had.
STING_QUESTION = "How much does it still sting?"
TO_PAST_ME = "What would I tell the me who wrote this?"


# ---- where the entries come from --------------------------------------------------------


@runtime_checkable
class EntrySource(Protocol):
    """A journal seen from the domain: the documents that can matter to what is due.

    :class:`journal.store.Store` has both methods. It skips plain reflections without
    parsing them, so what is due and the numbers never build the thousands of entries that
    cannot matter to them.
    """

    def due_documents(self) -> Iterable[tuple[int, dict[str, Any]]]:
        """(doc id, stored document) of every entry with a follow-up, a revisit date or
        link, or of kind checkin or revisit. The documents are read, never changed."""
        ...

    def entry_from_document(self, doc_id: int, doc: dict[str, Any]) -> Entry | None:
        """The validated entry of one of those documents; None when it does not validate."""
        ...


#: What the functions here read: a store, or the entries themselves.
Source: TypeAlias = EntrySource | Iterable[Entry]

#: A stored document, read-only, and a way to build (and validate) its entry when needed:
#: None when the document does not validate (the store notes it in ``store.invalid``).
DueDocument: TypeAlias = tuple[Mapping[str, Any], Callable[[], Entry | None]]


def _entry_view(entry: Entry) -> dict[str, Any]:
    """The few stored fields :func:`due_items` and the stats read, from an entry."""
    fu = entry.follow_up
    return {
        "uid": entry.uid,
        "day": entry.day,
        "kind": entry.kind,
        "follow_up": {"due": fu.due, "done": fu.done} if fu is not None else None,
        "revisit_on": entry.revisit_on,
        "revisit_of": entry.revisit_of,
        "checkin": entry.checkin,
    }


def _same(entry: Entry) -> Entry:
    return entry


def due_documents(source: Source) -> Iterator[DueDocument]:
    """The documents of ``source`` that can matter to what is due or to the numbers.

    From a store these are its raw documents (plain reflections are skipped without being
    parsed), so the callers read a few fields and build an :class:`Entry` only for what they
    show; from entries, a small view of each.
    """
    if isinstance(source, EntrySource):
        for doc_id, doc in source.due_documents():
            yield doc, partial(source.entry_from_document, doc_id, doc)
        return
    for entry in source:
        yield _entry_view(entry), partial(_same, entry)


# ---- follow-ups -------------------------------------------------------------------------


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
    """Tick the follow-up's box in a body written by :func:`journal.checkin.render_body`.

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
    """The entry with its open follow-up due on ``new_due`` instead.

    Moving counts (``moved``); moving one already overdue keeps the day it missed
    (``missed``), so the stats still count it late however far it is moved.
    """
    follow_up = entry.follow_up
    if follow_up is None:
        raise EntryError(f"Entry {entry.uid[:8]} has no follow-up to move.")
    if follow_up.is_done:
        raise EntryError(
            f"The follow-up {follow_up.action!r} is already done; there is nothing to move.",
        )
    due = new_due.isoformat() if isinstance(new_due, date) else new_due
    missed = follow_up.missed
    if missed is None and date.fromisoformat(follow_up.due) < moment.date():
        missed = follow_up.due
    moved = replace(follow_up, due=due, moved=follow_up.moved + 1, missed=missed)
    return entry.edited(moment, follow_up=moved)


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


def due_items(source: Source, today: date, *, upcoming_days: int = UPCOMING_DAYS) -> list[DueItem]:
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
    #: How much it still stings, 0-10 (check-ins only).
    sting: int | None = None
    to_past_me: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form."""
        return {
            "sting": self.sting,
            "to_past_me": answer_text(self.to_past_me),
            "learnt_since": answer_text(self.learnt_since),
            "course_corrected": answer_text(self.course_corrected),
            "outcome_changed": answer_text(self.outcome_changed),
        }

    @property
    def is_empty(self) -> bool:
        """True when nothing was written or rated."""
        return all(v is None for v in self.to_dict().values())


def build_revisit(
    original: Entry, answers: RevisitAnswers, day: date | str, moment: datetime
) -> Entry:
    """A ``revisit`` entry looking back on ``original`` (linked by ``revisit_of``).

    The answers are kept structured in ``checkin`` (the entry's field for structured answers)
    and written out as one ``##`` section per answered question.
    """
    data = answers.to_dict()
    sections = []
    if answers.sting is not None:
        then = (original.checkin or {}).get("intensity_before")
        was = f" (it was {then} out of 10 at the time)" if isinstance(then, int) else ""
        sections.append(f"## {STING_QUESTION}\n\n{answers.sting} out of 10{was}.\n")
    questions = {"to_past_me": TO_PAST_ME, **REVISIT_QUESTIONS}
    sections += [
        f"## {questions[name]}\n\n{data[name]}\n" for name in questions if data[name] is not None
    ]
    intro = f"Looking back on {original.headline!r} from {long_day(original.day)}.\n"
    body = "\n".join([intro, *sections])
    # "Looking back: Check-in: …" says "check-in" twice; the kind already says it.
    # Cut where it reads as whole, never with "…" (an old check-in's title may end in one).
    headline = short_line(original.headline.removeprefix("Check-in: ")) or "a check-in"
    return Entry.new(
        body,
        title=f"Looking back: {headline}",
        kind="revisit",
        day=as_date(day),
        checkin={"revisit": data, "version": CHECKIN_VERSION},
        revisit_of=original.uid,
        moment=moment,
    )


def revisits_of(source: Source, uid: str) -> list[Entry]:
    """The revisit entries that look back on ``uid``, oldest first."""
    found: list[Entry] = []
    for doc, build in due_documents(source):
        if doc.get("kind") != "revisit" or doc.get("revisit_of") != uid:
            continue
        entry = build()
        if entry is not None:
            found.append(entry)
    found.sort(key=lambda e: (e.day, e.created))
    return found
