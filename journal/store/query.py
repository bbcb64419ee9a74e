"""Queries over the entries table: the filter, the search text and the index.

Pure functions and plain data: the :class:`~journal.store.Store` holds the table and the lock,
this module says which documents match and in what order.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson

from journal.models import FIELDS, Entry, normalise_tag
from journal.store.layout import RawDoc


@dataclass(frozen=True)
class EntryFilter:
    """What to list: every field is optional and they combine with AND."""

    since: str | None = None
    until: str | None = None
    tags: tuple[str, ...] = ()
    kind: str | None = None
    search: str | None = None
    starred: bool | None = None
    #: Only entries answering a prompt from one of these packs (how History filters by theme).
    packs: tuple[str, ...] = ()

    def matches(self, doc: Mapping[str, Any], haystack: str | None) -> bool:
        """Whether a raw stored document passes the filter (``haystack`` for ``search``)."""
        day = doc.get("day", "")
        if self.since and day < self.since:
            return False
        if self.until and day > self.until:
            return False
        if self.kind and doc.get("kind") != self.kind:
            return False
        if self.starred is not None and bool(doc.get("starred")) != self.starred:
            return False
        if self.tags:
            have = doc.get("tags") or ()
            if not all(t in have for t in self.tags):
                return False
        if self.packs:
            prompt = doc.get("prompt")
            if not isinstance(prompt, dict) or prompt.get("pack") not in self.packs:
                return False
        if self.search and haystack is not None:
            return all(word in haystack for word in self.search_words)
        return True

    @functools.cached_property
    def search_words(self) -> list[str]:
        """The casefolded words of the search, all of which must appear (worked out once)."""
        return (self.search or "").casefold().split()


def make_filter(
    *,
    since: str | date | None = None,
    until: str | date | None = None,
    tags: Iterable[str] = (),
    kind: str | None = None,
    search: str | None = None,
    starred: bool | None = None,
    packs: Iterable[str] = (),
) -> EntryFilter:
    """Build an :class:`EntryFilter`, normalising dates and tags."""
    return EntryFilter(
        since=since.isoformat() if isinstance(since, date) else since,
        until=until.isoformat() if isinstance(until, date) else until,
        tags=tuple(t for t in (normalise_tag(t) for t in tags) if t),
        kind=kind,
        search=search.strip() if search and search.strip() else None,
        starred=starred,
        packs=tuple(packs),
    )


def haystack_of(doc: Mapping[str, Any]) -> str:
    """Everything searchable in a document, casefolded, in one string."""
    parts: list[str] = [doc.get("title") or "", doc.get("body") or ""]
    parts.extend(doc.get("tags") or ())
    prompt = doc.get("prompt")
    if isinstance(prompt, dict):
        parts.append(str(prompt.get("text", "")))
    follow_up = doc.get("follow_up")
    if isinstance(follow_up, dict):
        parts.append(str(follow_up.get("action", "")))
        parts.append(str(follow_up.get("note", "")))
    checkin = doc.get("checkin")
    if isinstance(checkin, dict):
        parts.extend(_strings_in(checkin))
    return "\n".join(parts).casefold()


def _strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings_in(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings_in(v)


# ---- what can be due ------------------------------------------------------------------------

#: Kinds that are never due by themselves (checkin and revisit always matter).
PLAIN_KINDS = frozenset({"reflection", "note"})
#: The fields that make an entry matter to what is due, besides its kind.
_DUE_FIELDS = ("follow_up", "revisit_on", "revisit_of")


def _plain_tails() -> tuple[bytes, ...]:
    """How a document written by Entry.to_dict ends when none of _DUE_FIELDS is set.

    Cut from what ``to_dict`` writes itself, so it follows :data:`journal.models.FIELDS`:
    every field from the first of _DUE_FIELDS to the last, at its default. Each member of
    the tail is a top-level member (a nested one would end in a second brace), so a body
    cannot fake it: inside a JSON string every quote is escaped. A field added after them
    with another default only makes the tail longer; one added before them is not in it.
    """
    first = min(FIELDS.index(name) for name in _DUE_FIELDS)
    tails: list[bytes] = []
    for starred in (False, True):
        doc = Entry(
            uid="x", kind="note", created="2000-01-01T00:00:00+00:00",
            updated="2000-01-01T00:00:00+00:00", day="2000-01-01", starred=starred,
        ).to_dict()  # fmt: skip
        tail = b"".join(b"," + orjson.dumps({k: doc[k]})[1:-1] for k in FIELDS[first:])
        tails.append(tail + b"}")
    return tuple(tails)


#: Computed once at import, from the model: see :func:`_plain_tails`.
PLAIN_TAILS = _plain_tails()


def is_plain_raw(value: RawDoc) -> bool:
    """Whether a document still held as bytes is an entry that can never be due.

    Read off the bytes: its kind from the index fields and its tail (36,500 entries: ~10 ms
    instead of ~0.5 s parsing them all, on every refresh of Today).
    """
    fields = value.index_fields()
    return fields is not None and fields[1] in PLAIN_KINDS and value.endswith(PLAIN_TAILS)


def can_be_due(doc: Mapping[str, Any]) -> bool:
    """Whether a parsed document can matter to what is due and to the check-in numbers."""
    return any(doc.get(name) is not None for name in _DUE_FIELDS) or doc.get("kind") in (
        "checkin",
        "revisit",
    )


# ---- the index ----------------------------------------------------------------------------


@dataclass
class Index:
    """Derived views of the entries table, rebuilt when the data changes."""

    key: tuple[int, int]
    uid_to_id: dict[str, int]
    newest_first: list[int]
    haystacks: dict[int, str] = field(default_factory=dict)
    #: doc_id -> (day, kind): filters on dates and kind skip a document without parsing it.
    day_kind: dict[int, tuple[str, str]] = field(default_factory=dict)
    #: doc_id -> created: with the day, where a new entry goes in ``newest_first``.
    created: dict[int, str] = field(default_factory=dict)

    @classmethod
    def build(
        cls,
        key: tuple[int, int],
        docs: Mapping[str, Any],
        parse: Callable[[str], Mapping[str, Any] | None],
    ) -> Index:
        """The index of the table ``docs`` (``parse(doc_id)`` reads one that is not bytes)."""
        index = cls(key=key, uid_to_id={}, newest_first=[])
        order: list[tuple[str, str, int]] = []
        for doc_id_s, value in docs.items():
            doc_id = int(doc_id_s)
            # The index needs four short fields: read them off the bytes when the document
            # is still unparsed (36,500 entries: ~60 ms instead of ~450 ms parsing them all).
            fields = value.index_fields() if isinstance(value, RawDoc) else None
            uid: object
            if fields is not None:
                uid, kind, created, day = fields
            else:
                doc = parse(doc_id_s)
                if doc is None:
                    continue
                uid, kind = doc.get("uid"), str(doc.get("kind", ""))
                created, day = str(doc.get("created", "")), str(doc.get("day", ""))
            if isinstance(uid, str):
                index.uid_to_id.setdefault(uid, doc_id)
            index.day_kind[doc_id] = (day, kind)
            index.created[doc_id] = created
            order.append((day, created, doc_id))
        order.sort(reverse=True)
        index.newest_first = [doc_id for _, _, doc_id in order]
        return index

    def add(self, doc_id: int, doc: Mapping[str, Any]) -> None:
        """Take in a document just inserted (instead of rebuilding: ~40 ms at 36,500)."""
        uid, kind = doc.get("uid"), str(doc.get("kind", ""))
        created, day = str(doc.get("created", "")), str(doc.get("day", ""))
        if isinstance(uid, str):
            self.uid_to_id.setdefault(uid, doc_id)
        self.day_kind[doc_id] = (day, kind)
        self.created[doc_id] = created
        # newest_first is sorted by (day, created, doc_id), descending: binary search.
        key = (day, created, doc_id)
        order = self.newest_first
        lo, hi = 0, len(order)
        while lo < hi:
            mid = (lo + hi) // 2
            other = order[mid]
            if (self.day_kind[other][0], self.created[other], other) > key:
                lo = mid + 1
            else:
                hi = mid
        order.insert(lo, doc_id)

    def candidates(self, flt: EntryFilter, *, oldest_first: bool = False) -> list[int]:
        """The doc ids that can pass ``flt`` by their day and kind, in order; nothing parsed.

        Today's "entries of this day" then parses one or two documents, not the journal.
        """
        order = self.newest_first[::-1] if oldest_first else self.newest_first
        since, until, kind = flt.since, flt.until, flt.kind
        if not (since or until or kind):
            return list(order)
        day_kind = self.day_kind
        out: list[int] = []
        for doc_id in order:
            day, its_kind = day_kind.get(doc_id, ("", ""))
            # The order is by day: past the range, nothing further can match.
            if (since and day < since and not oldest_first) or (
                until and day > until and oldest_first
            ):
                break
            if (since and day < since) or (until and day > until) or (kind and its_kind != kind):
                continue
            out.append(doc_id)
        return out
