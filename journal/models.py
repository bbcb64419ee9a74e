"""The entry model: a frozen dataclass stored as plain JSON types.

Every way into an :class:`Entry` validates: a bad date, an unknown kind or a wrong type is
an :class:`~journal.errors.EntryError` naming the field, never a half-built entry.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import MISSING, InitVar, dataclass, fields, replace
from datetime import date, datetime, timezone
from typing import Any

from journal.errors import EntryError

KINDS: tuple[str, ...] = ("reflection", "checkin", "revisit", "note")
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
    if value.isascii():  # a flag CPython keeps: most text needs no encoding to check
        return value
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # Lone surrogates (from undecodable input) cannot be stored as JSON text.
        raise EntryError(f"{field_name} contains characters that are not valid Unicode") from None
    return value


def _check_type(value: Any, field_name: str) -> str:
    """:func:`_check_text` for text a JSON parser produced (valid Unicode already)."""
    if not isinstance(value, str):
        raise EntryError(f"{field_name} must be text, got {type(value).__name__}")
    return value


def _check_json(value: Any, field_name: str) -> Any:
    """Deep-copy ``value`` while checking it holds only JSON types with string keys."""
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, str):
        return _check_text(value, field_name)
    if isinstance(value, (list, tuple)):
        return [_check_json(v, field_name) for v in value]
    if type(value) is dict or isinstance(value, Mapping):
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
        if type(data) is not dict and not isinstance(data, Mapping):
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
    """Something promised: what, by when, and when it was done (``None`` while open).

    ``moved`` counts the times its day was changed; ``missed`` is the due day it had already
    passed when it was first moved, so a late promise moved on still counts as late.
    """

    action: str
    due: str
    done: str | None = None
    note: str = ""
    moved: int = 0
    missed: str | None = None

    def __post_init__(self) -> None:
        _check_text(self.action, "follow_up.action")
        parse_day(self.due, "follow_up.due")
        if self.done is not None:
            parse_timestamp(self.done, "follow_up.done")
        _check_text(self.note, "follow_up.note")
        if type(self.moved) is not int or self.moved < 0:
            raise EntryError("follow_up.moved must be a whole number from 0 up")
        if self.missed is not None:
            parse_day(self.missed, "follow_up.missed")

    @classmethod
    def from_dict(cls, data: Any) -> FollowUp:
        """Validate and build from the stored object."""
        if type(data) is not dict and not isinstance(data, Mapping):
            raise EntryError("follow_up must be an object with action and due")
        extra = set(data) - {"action", "due", "done", "note", "moved", "missed"}
        if extra:
            raise EntryError(f"follow_up has unknown fields: {', '.join(sorted(extra))}")
        if "action" not in data or "due" not in data:
            raise EntryError("follow_up needs an action and a due date")
        return cls(
            action=data["action"],
            due=data["due"],
            done=data.get("done"),
            note=data.get("note", ""),
            moved=data.get("moved", 0),
            missed=data.get("missed"),
        )

    @property
    def is_done(self) -> bool:
        """Whether the follow-up has been marked done."""
        return self.done is not None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON form."""
        data: dict[str, Any] = {
            "action": self.action,
            "due": self.due,
            "done": self.done,
            "note": self.note,
        }
        # Only once moved: a follow-up never moved is stored exactly as before.
        if self.moved:
            data["moved"] = self.moved
        if self.missed is not None:
            data["missed"] = self.missed
        return data


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
    #: Only :meth:`from_stored` sets it: the text comes from a JSON parser, which has already
    #: refused anything that is not valid Unicode, so that one check is not paid again (the
    #: body's encoding cost more than all the other checks together). Not a field.
    from_json: InitVar[bool] = False

    def __post_init__(self, from_json: bool) -> None:
        text = _check_type if from_json else _check_text
        if not isinstance(self.uid, str) or not self.uid.strip():
            raise EntryError("uid must be a non-empty string")
        if self.kind not in KINDS:
            raise EntryError(f"kind {self.kind!r} is not one of: {', '.join(KINDS)}")
        parse_timestamp(self.created, "created")
        if self.updated != self.created:  # an entry never edited has one time, checked once
            parse_timestamp(self.updated, "updated")
        parse_day(self.day)
        text(self.title, "title")
        if "\n" in self.title or "\r" in self.title:
            raise EntryError("title must be a single line")
        text(self.body, "body")
        if not isinstance(self.tags, tuple) or not all(isinstance(t, str) for t in self.tags):
            raise EntryError("tags must be a tuple of strings")
        for tag in self.tags:
            text(tag, "a tag")  # a lone surrogate (an undecodable argument) cannot be stored
        if self.prompt is not None and not isinstance(self.prompt, PromptRef):
            raise EntryError("prompt must be a PromptRef or None")
        if self.checkin is not None:
            if type(self.checkin) is not dict and not isinstance(self.checkin, Mapping):
                raise EntryError("checkin must be an object or null")
            # Own a private deep copy so no caller can change a stored entry through it.
            object.__setattr__(self, "checkin", _check_json(self.checkin, "checkin"))
        if self.follow_up is not None and not isinstance(self.follow_up, FollowUp):
            raise EntryError("follow_up must be a FollowUp or None")
        if self.revisit_on is not None:
            parse_day(self.revisit_on, "revisit_on")
        if self.revisit_of is not None:
            text(self.revisit_of, "revisit_of")
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
    def from_dict(cls, data: Any, *, from_json: bool = False) -> Entry:
        """Validate a stored document and build the entry; unknown fields are an error.

        The fields are the dataclass's own (:func:`field_names`), so a field added to the
        class (or a subclass) is read and checked without a change here: every value goes
        through the constructor, whose ``__post_init__`` holds the one set of rules.
        """
        if type(data) is not dict and not isinstance(data, Mapping):  # the ABC check is slow
            raise EntryError(f"an entry must be an object, got {type(data).__name__}")
        schema = _schema(cls)
        if not data.keys() <= schema.known:
            extra = sorted(k for k in data if k not in schema.known)
            raise EntryError(f"unknown fields: {', '.join(map(str, extra))}")
        if not data.keys() >= schema.required:
            missing = [f for f in schema.names if f in schema.required and f not in data]
            raise EntryError(f"missing fields: {', '.join(missing)}")
        values = dict(data)
        for name, read in _FROM_JSON:
            if name in values:
                values[name] = read(values[name])
        return cls(**values, from_json=from_json)

    @classmethod
    def from_stored(cls, data: Any) -> Entry:
        """:meth:`from_dict` for a document the store parsed from JSON: the same rules, with
        the text's encoding known to be valid already (see ``from_json``)."""
        return cls.from_dict(data, from_json=True)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types, every field present in :data:`FIELDS` order, safe to mutate."""
        out = {name: getattr(self, name) for name in _schema(type(self)).names}
        for name, write in _TO_JSON:
            out[name] = write(out[name])
        return out

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


@dataclass(frozen=True)
class _Schema:
    """What :meth:`Entry.from_dict` needs to know of a class's fields, worked out once."""

    names: tuple[str, ...]
    known: frozenset[str]
    required: frozenset[str]


_SCHEMAS: dict[type[Entry], _Schema] = {}


def _schema(cls: type[Entry]) -> _Schema:
    schema = _SCHEMAS.get(cls)
    if schema is None:
        found = fields(cls)
        names = tuple(f.name for f in found)
        required = frozenset(
            f.name for f in found if f.default is MISSING and f.default_factory is MISSING
        )
        schema = _SCHEMAS[cls] = _Schema(names, frozenset(names), required)
    return schema


def field_names(cls: type[Entry]) -> tuple[str, ...]:
    """The fields of ``cls`` (Entry or a subclass), in the order they are stored."""
    return _schema(cls).names


def _tags_from_json(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise EntryError("tags must be a list of strings")
    return normalise_tags(value) if value else ()


def _prompt_from_json(value: Any) -> PromptRef | None:
    return None if value is None else PromptRef.from_dict(value)


def _follow_up_from_json(value: Any) -> FollowUp | None:
    return None if value is None else FollowUp.from_dict(value)


#: How a stored value becomes the field's value, where it is not the value itself (in field
#: order, so the first broken field is the one named).
_FROM_JSON: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("tags", _tags_from_json),
    ("prompt", _prompt_from_json),
    ("follow_up", _follow_up_from_json),
)


#: How a field's value is stored, where it is not the value itself.
def copy_json(value: Any) -> Any:
    """A deep copy of plain JSON data (dicts, lists, scalars): what ``copy.deepcopy`` gives
    for it, at a fifth of the cost (no memo table; a check-in is always JSON, see
    ``_check_json``). It made a Markdown export at 36,500 entries 0.15 s quicker."""
    if type(value) is dict:
        return {key: copy_json(item) for key, item in value.items()}
    if type(value) is list:
        return [copy_json(item) for item in value]
    return value


_TO_JSON: tuple[tuple[str, Callable[[Any], Any]], ...] = (
    ("tags", list),
    ("prompt", lambda prompt: None if prompt is None else prompt.to_dict()),
    ("checkin", copy_json),
    ("follow_up", lambda promise: None if promise is None else promise.to_dict()),
)

#: Every field of an entry, in the order :meth:`Entry.to_dict` writes them: the one list the
#: store's byte-level readers derive from (journal/store/layout.py reads INDEX_FIELDS off the
#: start of a document, journal/store/query.py cuts a plain entry's tail from to_dict).
FIELDS: tuple[str, ...] = field_names(Entry)
#: The fields the store's index needs, first in every stored document so they can be read
#: off its bytes without parsing the rest.
INDEX_FIELDS: tuple[str, ...] = FIELDS[:5]
