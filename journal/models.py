"""The entry model: a frozen dataclass stored as plain JSON types.

Every way into an :class:`Entry` validates: a bad date, an unknown kind or a wrong type is
an :class:`~journal.errors.EntryError` naming the field, never a half-built entry.
"""

from __future__ import annotations

import copy
import functools
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from typing import Any

from journal.errors import EntryError

KINDS: tuple[str, ...] = ("reflection", "checkin", "revisit", "note")
#: Every field of an entry, in the order :meth:`Entry.to_dict` writes them: the one list the
#: store's byte-level readers derive from (journal/store/layout.py reads INDEX_FIELDS off the
#: start of a document, journal/store/query.py recognises a plain entry by its tail).
FIELDS: tuple[str, ...] = (
    "uid",
    "kind",
    "created",
    "updated",
    "day",
    "title",
    "body",
    "tags",
    "prompt",
    "checkin",
    "follow_up",
    "revisit_on",
    "revisit_of",
    "starred",
)
#: The fields the store's index needs, first in every stored document so they can be read
#: off its bytes without parsing the rest.
INDEX_FIELDS: tuple[str, ...] = FIELDS[:5]
_DAY_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TAG_SPACE_RE = re.compile(r"\s+")
_TAG_EDGE_RE = re.compile(r"^[#\-]+|-+$")


def now_local() -> datetime:
    """The current time as an aware datetime in the local zone (one place to freeze in tests)."""
    return datetime.now(timezone.utc).astimezone()


def timestamp(moment: datetime | None = None) -> str:
    """ISO 8601 with UTC offset, to the second."""
    moment = moment or now_local()
    if moment.tzinfo is None:
        moment = moment.astimezone()
    return moment.isoformat(timespec="seconds")


def parse_day(value: Any, field_name: str = "day") -> date:
    """Parse a ``YYYY-MM-DD`` string strictly (no times, no week dates)."""
    if not isinstance(value, str):
        raise EntryError(
            f"{field_name} must be a date string YYYY-MM-DD, got {type(value).__name__}"
        )
    if not _DAY_RE.match(value):
        raise EntryError(f"{field_name} {value!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise EntryError(f"{field_name} {value!r} is not a real date ({exc})") from None


def parse_timestamp(value: Any, field_name: str) -> datetime:
    """Parse an ISO 8601 timestamp that carries a UTC offset."""
    if not isinstance(value, str):
        raise EntryError(f"{field_name} must be an ISO 8601 timestamp string")
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise EntryError(f"{field_name} {value!r} is not an ISO 8601 timestamp") from None
    if moment.tzinfo is None:
        raise EntryError(f"{field_name} {value!r} has no UTC offset")
    return moment


# Tags repeat across a journal (a few dozen names in thousands of entries): remembering each
# one's normal form saves two regular expressions per tag per entry read.
@functools.lru_cache(maxsize=4096)
def normalise_tag(tag: str) -> str:
    """``'#Hard Calls '`` -> ``'hard-calls'``: no leading ``#``, lower case, no spaces.

    Idempotent: a normalised tag normalises to itself (so a tag never changes between two
    reads). Every leading ``#``, ``-`` and space goes at once, since removing one kind can
    expose another (``'-#x'``).
    """
    cleaned = _TAG_SPACE_RE.sub("-", tag.casefold().strip())
    return _TAG_EDGE_RE.sub("", cleaned)


def normalise_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Normalise, drop empties and duplicates, keep first-seen order."""
    seen: dict[str, None] = {}
    for tag in tags:
        if not isinstance(tag, str):
            raise EntryError(f"tags must be strings, got {type(tag).__name__}")
        norm = normalise_tag(tag)
        if norm:
            seen.setdefault(norm, None)
    return tuple(seen)


def _check_text(value: Any, field_name: str) -> str:
    if not isinstance(value, str):
        raise EntryError(f"{field_name} must be text, got {type(value).__name__}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates (from undecodable input) cannot be stored as JSON text.
        raise EntryError(f"{field_name} contains characters that are not valid Unicode") from None
    return value


def _check_json(value: Any, field_name: str) -> Any:
    """Deep-copy ``value`` while checking it holds only JSON types with string keys."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return _check_text(value, field_name)
    if isinstance(value, (list, tuple)):
        return [_check_json(v, field_name) for v in value]
    if isinstance(value, Mapping):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if not isinstance(k, str):
                raise EntryError(f"{field_name} has a non-text key {k!r}")
            out[k] = _check_json(v, f"{field_name}.{k}")
        return out
    raise EntryError(f"{field_name} holds a {type(value).__name__}, which is not a JSON type")


@dataclass(frozen=True, slots=True)
class PromptRef:
    """The prompt an entry answered, as it was shown at the time."""

    id: str
    pack: str
    text: str

    @classmethod
    def from_dict(cls, data: Any) -> PromptRef:
        """Validate and build from the stored ``{id, pack, text}`` object."""
        if not isinstance(data, Mapping):
            raise EntryError("prompt must be an object with id, pack and text")
        extra = set(data) - {"id", "pack", "text"}
        if extra:
            raise EntryError(f"prompt has unknown fields: {', '.join(sorted(extra))}")
        try:
            return cls(
                id=_check_text(data["id"], "prompt.id"),
                pack=_check_text(data["pack"], "prompt.pack"),
                text=_check_text(data["text"], "prompt.text"),
            )
        except KeyError as exc:
            raise EntryError(f"prompt is missing {exc.args[0]}") from None

    def to_dict(self) -> dict[str, str]:
        """Plain JSON form."""
        return {"id": self.id, "pack": self.pack, "text": self.text}


@dataclass(frozen=True, slots=True)
class FollowUp:
    """Something promised: what, by when, and when it was done (``None`` while open)."""

    action: str
    due: str
    done: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        _check_text(self.action, "follow_up.action")
        parse_day(self.due, "follow_up.due")
        if self.done is not None:
            parse_timestamp(self.done, "follow_up.done")
        _check_text(self.note, "follow_up.note")

    @classmethod
    def from_dict(cls, data: Any) -> FollowUp:
        """Validate and build from the stored object."""
        if not isinstance(data, Mapping):
            raise EntryError("follow_up must be an object with action and due")
        extra = set(data) - {"action", "due", "done", "note"}
        if extra:
            raise EntryError(f"follow_up has unknown fields: {', '.join(sorted(extra))}")
        if "action" not in data or "due" not in data:
            raise EntryError("follow_up needs an action and a due date")
        return cls(
            action=data["action"],
            due=data["due"],
            done=data.get("done"),
            note=data.get("note", ""),
        )

    @property
    def is_done(self) -> bool:
        """Whether the follow-up has been marked done."""
        return self.done is not None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form."""
        return {"action": self.action, "due": self.due, "done": self.done, "note": self.note}


@dataclass(frozen=True, slots=True)
class Entry:
    """One journal entry. Immutable: change one with :meth:`edited` and save it again."""

    uid: str
    kind: str
    created: str
    updated: str
    day: str
    title: str = ""
    body: str = ""
    tags: tuple[str, ...] = ()
    prompt: PromptRef | None = None
    checkin: dict[str, Any] | None = None
    follow_up: FollowUp | None = None
    revisit_on: str | None = None
    revisit_of: str | None = None
    starred: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.uid, str) or not self.uid.strip():
            raise EntryError("uid must be a non-empty string")
        if self.kind not in KINDS:
            raise EntryError(f"kind {self.kind!r} is not one of: {', '.join(KINDS)}")
        parse_timestamp(self.created, "created")
        parse_timestamp(self.updated, "updated")
        parse_day(self.day)
        _check_text(self.title, "title")
        if "\n" in self.title or "\r" in self.title:
            raise EntryError("title must be a single line")
        _check_text(self.body, "body")
        if not isinstance(self.tags, tuple) or not all(isinstance(t, str) for t in self.tags):
            raise EntryError("tags must be a tuple of strings")
        if self.prompt is not None and not isinstance(self.prompt, PromptRef):
            raise EntryError("prompt must be a PromptRef or None")
        if self.checkin is not None:
            if not isinstance(self.checkin, Mapping):
                raise EntryError("checkin must be an object or null")
            # Own a private deep copy so no caller can change a stored entry through it.
            object.__setattr__(self, "checkin", _check_json(self.checkin, "checkin"))
        if self.follow_up is not None and not isinstance(self.follow_up, FollowUp):
            raise EntryError("follow_up must be a FollowUp or None")
        if self.revisit_on is not None:
            parse_day(self.revisit_on, "revisit_on")
        if self.revisit_of is not None:
            _check_text(self.revisit_of, "revisit_of")
        if not isinstance(self.starred, bool):
            raise EntryError("starred must be true or false")

    @classmethod
    def new(
        cls,
        body: str = "",
        *,
        title: str = "",
        kind: str = "reflection",
        day: str | date | None = None,
        tags: Iterable[str] = (),
        prompt: PromptRef | None = None,
        checkin: Mapping[str, Any] | None = None,
        follow_up: FollowUp | None = None,
        revisit_on: str | None = None,
        revisit_of: str | None = None,
        starred: bool = False,
        moment: datetime | None = None,
    ) -> Entry:
        """A fresh entry with a new uid, stamped now (or at ``moment``)."""
        moment = moment or now_local()
        if day is None:
            day = moment.date().isoformat()
        elif isinstance(day, date):
            day = day.isoformat()
        stamp = timestamp(moment)
        return cls(
            uid=uuid.uuid4().hex,
            kind=kind,
            created=stamp,
            updated=stamp,
            day=day,
            title=title.strip(),
            body=body,
            tags=normalise_tags(tags),
            prompt=prompt,
            checkin=dict(checkin) if checkin is not None else None,
            follow_up=follow_up,
            revisit_on=revisit_on,
            revisit_of=revisit_of,
            starred=starred,
        )

    @classmethod
    def from_dict(cls, data: Any) -> Entry:
        """Validate a stored document and build the entry; unknown fields are an error."""
        if not isinstance(data, Mapping):
            raise EntryError(f"an entry must be an object, got {type(data).__name__}")
        extra = set(data) - set(FIELDS)
        if extra:
            raise EntryError(f"unknown fields: {', '.join(sorted(extra))}")
        missing = [f for f in ("uid", "kind", "created", "updated", "day") if f not in data]
        if missing:
            raise EntryError(f"missing fields: {', '.join(missing)}")
        tags = data.get("tags", [])
        if not isinstance(tags, list):
            raise EntryError("tags must be a list of strings")
        prompt = data.get("prompt")
        follow_up = data.get("follow_up")
        return cls(
            uid=data["uid"],
            kind=data["kind"],
            created=data["created"],
            updated=data["updated"],
            day=data["day"],
            title=data.get("title", ""),
            body=data.get("body", ""),
            tags=normalise_tags(tags),
            prompt=PromptRef.from_dict(prompt) if prompt is not None else None,
            checkin=data.get("checkin"),
            follow_up=FollowUp.from_dict(follow_up) if follow_up is not None else None,
            revisit_on=data.get("revisit_on"),
            revisit_of=data.get("revisit_of"),
            starred=data.get("starred", False),
        )

    @classmethod
    def from_stored(cls, data: Any, *, private: bool = False) -> Entry:
        """:meth:`from_dict` for a document parsed from JSON by the store, faster.

        JSON already gives plain types, text keys and valid Unicode (orjson refuses lone
        surrogates), so a document exactly as :meth:`to_dict` writes it (every field, in
        order) needs only the entry's own rules checked, not the encoding of every string
        or a deep check of its check-in. Anything else goes through :meth:`from_dict`, with
        the same result and the same errors. ``private`` says nobody else holds ``data``,
        so the entry may keep its check-in instead of a copy.
        """
        entry = _entry_from_json(cls, data, private) if type(data) is dict else None
        return entry if entry is not None else cls.from_dict(data)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types, every field present, safe to mutate (a deep copy)."""
        return {
            "uid": self.uid,
            "kind": self.kind,
            "created": self.created,
            "updated": self.updated,
            "day": self.day,
            "title": self.title,
            "body": self.body,
            "tags": list(self.tags),
            "prompt": self.prompt.to_dict() if self.prompt else None,
            "checkin": copy.deepcopy(self.checkin),
            "follow_up": self.follow_up.to_dict() if self.follow_up else None,
            "revisit_on": self.revisit_on,
            "revisit_of": self.revisit_of,
            "starred": self.starred,
        }

    def edited(self, moment: datetime | None = None, **changes: Any) -> Entry:
        """A copy with ``changes`` applied and ``updated`` stamped now."""
        if "tags" in changes:
            changes["tags"] = normalise_tags(changes["tags"])
        if "uid" in changes or "created" in changes:
            raise EntryError("uid and created never change")
        return replace(self, updated=timestamp(moment), **changes)

    @property
    def day_date(self) -> date:
        """``day`` as a :class:`date`."""
        return date.fromisoformat(self.day)

    @property
    def headline(self) -> str:
        """The title, or the body's first non-empty line, for one-line listings."""
        if self.title:
            return self.title
        for line in self.body.splitlines():
            text = line.strip().lstrip("#").strip()
            if text:
                return text
        return "(empty)"


_KIND_SET = frozenset(KINDS)
_PROMPT_FIELDS = ("id", "pack", "text")
_FOLLOW_UP_FIELDS = ("action", "due", "done", "note")


def _follow_up_from_json(data: Any) -> FollowUp | None:
    """The follow-up of a JSON object in :meth:`FollowUp.to_dict`'s exact form, or None
    (then :meth:`FollowUp.from_dict` decides). EntryError when a value breaks a rule."""
    if type(data) is not dict or tuple(data) != _FOLLOW_UP_FIELDS:
        return None
    action, due, done, note = data["action"], data["due"], data["done"], data["note"]
    if type(action) is not str or type(note) is not str or type(due) is not str:
        return None
    parse_day(due, "follow_up.due")
    if done is not None:
        if type(done) is not str:
            return None
        parse_timestamp(done, "follow_up.done")
    # The checks of __post_init__, done above (JSON text is valid Unicode already).
    promise = object.__new__(FollowUp)
    _SET_FIELD(promise, "action", action)
    _SET_FIELD(promise, "due", due)
    _SET_FIELD(promise, "done", done)
    _SET_FIELD(promise, "note", note)
    return promise


_SET_FIELD = object.__setattr__


def _entry_from_json(cls: type[Entry], data: dict[str, Any], private: bool) -> Entry | None:
    """The entry of a JSON document in :meth:`Entry.to_dict`'s exact form, or None.

    None means "not in that form, or not valid": :meth:`Entry.from_dict` then decides, with
    its error messages. Every check here is one of ``__post_init__``'s (tests/test_models.py
    checks both agree on valid and broken documents).
    """
    if tuple(data) != FIELDS:
        return None
    uid, kind, title, body = data["uid"], data["kind"], data["title"], data["body"]
    tags, prompt, checkin = data["tags"], data["prompt"], data["checkin"]
    follow_up, revisit_on, revisit_of = data["follow_up"], data["revisit_on"], data["revisit_of"]
    starred = data["starred"]
    if (
        type(uid) is not str
        or not uid
        or uid.isspace()
        or type(kind) is not str
        or kind not in _KIND_SET
        or type(title) is not str
        or "\n" in title
        or "\r" in title
        or type(body) is not str
        or type(tags) is not list
        or (revisit_of is not None and type(revisit_of) is not str)
        or type(starred) is not bool
        or (checkin is not None and type(checkin) is not dict)
    ):
        return None
    created, updated = data["created"], data["updated"]
    try:
        parse_timestamp(created, "created")
        if updated != created:  # an entry never edited has one time, checked once
            parse_timestamp(updated, "updated")
        parse_day(data["day"])
        if revisit_on is not None:
            parse_day(revisit_on, "revisit_on")
        normal = normalise_tags(tags) if tags else ()
        ref = None
        if prompt is not None:
            if type(prompt) is not dict or tuple(prompt) != _PROMPT_FIELDS:
                return None
            if not all(type(value) is str for value in prompt.values()):
                return None
            ref = PromptRef(prompt["id"], prompt["pack"], prompt["text"])
        promise = _follow_up_from_json(follow_up) if follow_up is not None else None
    except EntryError:
        return None
    if promise is None and follow_up is not None:
        return None
    if checkin is not None and not private:
        checkin = _check_json(checkin, "checkin")
    # Straight-line stores: a loop over (name, value) pairs cost twice as much.
    entry = object.__new__(cls)
    _SET_FIELD(entry, "uid", uid)
    _SET_FIELD(entry, "kind", kind)
    _SET_FIELD(entry, "created", created)
    _SET_FIELD(entry, "updated", updated)
    _SET_FIELD(entry, "day", data["day"])
    _SET_FIELD(entry, "title", title)
    _SET_FIELD(entry, "body", body)
    _SET_FIELD(entry, "tags", normal)
    _SET_FIELD(entry, "prompt", ref)
    _SET_FIELD(entry, "checkin", checkin)
    _SET_FIELD(entry, "follow_up", promise)
    _SET_FIELD(entry, "revisit_on", revisit_on)
    _SET_FIELD(entry, "revisit_of", revisit_of)
    _SET_FIELD(entry, "starred", starred)
    return entry
