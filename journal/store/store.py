"""The journal store: entries, meta and the prompt log in one TinyDB file.

Only this module talks to TinyDB. Callers get :class:`~journal.models.Entry` objects (frozen
copies), never the documents held in memory.

Every write takes a file lock, re-reads the file if another process replaced it, applies the
change to that fresh data and writes it back atomically: two writers never lose each other's
entries, whichever order they come in.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from tinydb import TinyDB
from tinydb.table import Document, Table

from journal.errors import DatabaseBusyError, DatabaseError, EntryError
from journal.models import FIELDS, Entry, normalise_tag, now_local, timestamp
from journal.store.jsonfile import LazyTable, RawDoc, SafeJSONStorage

if TYPE_CHECKING:
    from journal.store.crypto import Key
    from journal.store.lock import WriteLock

SCHEMA_VERSION = 1
ENTRIES = "entries"
META = "meta"
PROMPT_LOG = "prompt_log"
PROMPT_STATUSES = ("shown", "skipped", "answered")


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

    def matches(self, doc: dict[str, Any], haystack: str | None) -> bool:
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


def haystack_of(doc: dict[str, Any]) -> str:
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


#: Kinds that are never due by themselves (checkin and revisit always matter).
_PLAIN_KINDS = frozenset({"reflection", "note"})
#: How a document written by Entry.to_dict ends when it has no follow-up, no revisit date
#: and no revisit link. The last member before the closing brace is a top-level member
#: (a nested one would end in a second brace), and so is each one before it, so a body
#: cannot fake this ending: inside a JSON string every quote is escaped.
_PLAIN_TAILS = (
    b',"follow_up":null,"revisit_on":null,"revisit_of":null,"starred":false}',
    b',"follow_up":null,"revisit_on":null,"revisit_of":null,"starred":true}',
)


_PROMPT_KEYS = ("id", "pack", "text")
_FOLLOW_UP_KEYS = ("action", "due", "done", "note")


def _is_to_dict(entry: Entry, doc: dict[str, Any]) -> bool:
    """Whether ``doc`` equals ``entry.to_dict()``, key order included, for a document that
    :meth:`Entry.from_stored` built ``entry`` from.

    Building keeps every value as stored except the tags (normalised) and the fields it
    fills in when missing, so the keys and the tags are all there is to compare.
    """
    if tuple(doc) != FIELDS:
        return False
    prompt, follow_up = doc["prompt"], doc["follow_up"]
    return (
        doc["tags"] == list(entry.tags)
        and (prompt is None or tuple(prompt) == _PROMPT_KEYS)
        and (follow_up is None or tuple(follow_up) == _FOLLOW_UP_KEYS)
    )


def _needs_escape(text: str) -> bool:
    """Whether JSON writes ``text`` with escapes (then its bytes are not its UTF-8)."""
    return any(c in '"\\' or c < " " for c in text)


def _can_be_due(doc: dict[str, Any]) -> bool:
    return (
        doc.get("follow_up") is not None
        or doc.get("revisit_on") is not None
        or doc.get("revisit_of") is not None
        or doc.get("kind") in ("checkin", "revisit")
    )


@dataclass
class InvalidEntry:
    """A stored document that does not validate; kept on disk untouched, left out of lists."""

    doc_id: int
    uid: str
    problem: str


def _utf8(value: Any) -> bytes:
    """``str(value)`` as UTF-8 (lone surrogates too: they sort where their code points do)."""
    return str(value).encode("utf-8", "surrogatepass")


@dataclass
class _Index:
    """Derived views of the entries table, rebuilt when the data changes."""

    key: tuple[int, int]
    uid_to_id: dict[str, int]
    newest_first: list[int]
    haystacks: dict[int, str] = field(default_factory=dict)
    #: doc_id -> (day, kind): filters on dates and kind skip a document without parsing it.
    day_kind: dict[int, tuple[str, str]] = field(default_factory=dict)
    #: doc_id -> created: with the day, where a new entry goes in ``newest_first``.
    created: dict[int, str] = field(default_factory=dict)

    def add(self, doc_id: int, doc: dict[str, Any]) -> None:
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


class Store:
    """The journal on disk. Open with :meth:`open`; safe to share between threads of one app."""

    def __init__(self, path: Path, *, lock_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self._storage = SafeJSONStorage(self.path)
        self._db = TinyDB(storage=lambda: self._storage)
        self._writes = 0
        self._index: _Index | None = None
        #: Bumped when the entries change in a way the index was not told about (update of a
        #: day, upsert, delete); inserts are added to the index in place.
        self._entries_version = 0
        #: due_documents(): unparsed documents known to be plain reflections, by doc id.
        self._plain_docs: dict[str, RawDoc] = {}
        self._plain_docs_reloads = -1
        self.invalid: list[InvalidEntry] = []
        self.removed_temp_files: list[Path] = []
        # One lock object per store: it is reentrant, so nested writes do not wait on themselves.
        self._filelock: WriteLock | None = None
        #: Called under the write lock before every write (the daily backup); must be cheap.
        self.before_write: Callable[[], None] | None = None
        #: Keep each entry's casefolded search text between searches (the app's search as
        #: you type). One-shot commands turn it off: the cache is as big as the journal.
        self.cache_search_text = True
        #: Keep documents parsed once (the app scans the journal again and again). One-shot
        #: commands turn it off: memory then holds the file's bytes and little more.
        self.keep_parsed = True

    # ---- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, lock_timeout: float = 10.0, key: Key | None = None) -> Store:
        """Open (without creating) the journal at ``path`` and check that it is readable.

        ``key`` opens an encrypted journal (crypto.py); a wrong one raises
        WrongPassphraseError, none PassphraseNeededError, and the file is not touched.
        """
        store = cls(path, lock_timeout=lock_timeout)
        store._storage.key = key
        store._storage.load()
        store._check_schema()
        store._clean_leftovers()
        return store

    @property
    def lock_path(self) -> Path:
        """The lock file beside the journal's real file."""
        target = self._storage.target
        return target.parent / f".{target.name}.lock"

    def _check_schema(self) -> None:
        meta = (self._storage.read() or {}).get(META, {})
        for doc in meta.values():
            version = doc.get("schema")
            if isinstance(version, int) and version > SCHEMA_VERSION:
                raise DatabaseError(
                    f"The journal {self.path} was written by a newer version of journal "
                    f"(schema {version}; this one understands {SCHEMA_VERSION}).",
                    "Upgrade journal (pip install -U journal); the file has not been changed.",
                )

    def _clean_leftovers(self) -> None:
        if not self._storage.target.parent.exists():
            return
        # Nearly always there is nothing to clean: look first, lock only when there is.
        if not self._storage.leftover_temp_files():
            return
        from journal.store.lock import lock_timeouts

        # Only with the lock: an unlocked clean could delete another writer's live temp file.
        try:
            with self._lock().acquire(timeout=0):
                self.removed_temp_files = self._storage.remove_leftover_temp_files()
        except lock_timeouts():
            pass
        except OSError:
            pass

    def _lock(self) -> WriteLock:
        if self._filelock is None:
            # journal/store/lock.py: flock on POSIX (filelock costs ~40 ms to import).
            from journal.store.lock import write_lock

            self._filelock = write_lock(self.lock_path, timeout=self.lock_timeout, mode=0o600)
        return self._filelock

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Hold the lock for one read-modify-write; the data read inside is the latest."""
        from journal.paths import ensure_private_dir
        from journal.store.lock import lock_timeouts

        ensure_private_dir(self._storage.target.parent)
        try:
            with self._lock(), self._storage.batch():
                if self.before_write is not None:
                    self.before_write()
                self._storage.read()
                self._ensure_meta()
                yield
                self._writes += 1
        except lock_timeouts():
            raise DatabaseBusyError(
                f"The journal {self.path} is busy: another journal process has held it for "
                f"more than {self.lock_timeout:g} s.",
                f"Try again in a moment; if no other journal is running, delete {self.lock_path}.",
            ) from None

    def _table(self, name: str) -> Table:
        # A fresh Table each time: TinyDB caches the next id per Table, which would be stale
        # after another process added documents.
        return Table(self._storage, name, cache_size=0)

    def _ensure_meta(self) -> None:
        data = self._storage.read() or {}
        if not data.get(META):
            self._table(META).insert({"schema": SCHEMA_VERSION, "created": timestamp()})

    def close(self) -> None:
        """Release memory; every write is already on disk."""
        self._db.close()

    # ---- encryption at rest (crypto.py, crypto_cli.py) -------------------------------------

    @property
    def key(self) -> Key | None:
        """The key the journal is read and written with; None for a plain journal."""
        return self._storage.key

    @property
    def encrypted(self) -> bool:
        """Whether the journal is kept encrypted on disk."""
        return self._storage.key is not None

    def rekey(self, new_key: Key | None, *, before: Callable[[], None] | None = None) -> None:
        """Write the journal again under ``new_key`` (None: plain) in one atomic replace.

        Under the write lock the file is re-read with the current key, then written once with
        the new one: a crash leaves the old file or the new one. ``before`` runs under the lock
        first (keeping a copy of the file as it was).
        """
        old_key = self._storage.key
        hook = self.before_write
        if before is not None:
            self.before_write = before
        try:
            with self._writing():
                self._storage.key = new_key
                self._storage.write(self._storage.read() or {})
        except BaseException:
            self._storage.key = old_key
            raise
        finally:
            self.before_write = hook

    # ---- change detection ----------------------------------------------------------------

    def changed_on_disk(self) -> bool:
        """True when another process replaced the file since we last read or wrote it."""
        return self._storage.changed_on_disk()

    def refresh(self) -> bool:
        """Re-read the file if another process changed it; True when it did."""
        if self._storage.changed_on_disk():
            self._storage.load()
            self._check_schema()
            return True
        return False

    @property
    def generation(self) -> tuple[int, int]:
        """Changes whenever the data may have changed (our writes or a reload)."""
        return (self._storage.reloads, self._writes)

    # ---- raw access ------------------------------------------------------------------------

    def _entry_docs(self) -> dict[str, Any]:
        """The entries table as held: dicts, or RawDoc bytes not parsed yet (storage.py)."""
        data = self._storage.read() or {}
        return data.get(ENTRIES, {})

    def _raw_entries(self) -> LazyTable:
        """The entries table as documents, each parsed when read (a fresh dict each time)."""
        return LazyTable(self._entry_docs(), self._note_unparsable, keep=self.keep_parsed)

    def _note_unparsable(self, doc_id: str, problem: str) -> None:
        self._note_invalid(int(doc_id), None, problem)

    def _get_index(self) -> _Index:
        docs = self._entry_docs()  # may reload, which changes the key
        key = (self._storage.reloads, self._entries_version)
        if self._index is not None and self._index.key == key:
            return self._index
        uid_to_id: dict[str, int] = {}
        day_kind: dict[int, tuple[str, str]] = {}
        created_of: dict[int, str] = {}
        order: list[tuple[str, str, int]] = []
        for doc_id_s, value in docs.items():
            doc_id = int(doc_id_s)
            # The index needs four short fields: read them off the bytes when the document
            # is still unparsed (36,500 entries: ~60 ms instead of ~450 ms parsing them all).
            fields = value.index_fields() if isinstance(value, RawDoc) else None
            if fields is not None:
                uid, kind, created, day = fields
            else:
                doc = self._raw_entries().get(doc_id_s)
                if doc is None:
                    continue
                uid, kind = doc.get("uid"), str(doc.get("kind", ""))
                created, day = str(doc.get("created", "")), str(doc.get("day", ""))
            if isinstance(uid, str):
                uid_to_id.setdefault(uid, doc_id)
            day_kind[doc_id] = (day, kind)
            created_of[doc_id] = created
            order.append((day, created, doc_id))
        order.sort(reverse=True)
        old = self._index
        haystacks = old.haystacks if old is not None and old.key[0] == key[0] else {}
        self._index = _Index(
            key=key,
            uid_to_id=uid_to_id,
            newest_first=[doc_id for _, _, doc_id in order],
            haystacks=haystacks,
            day_kind=day_kind,
            created=created_of,
        )
        return self._index

    def _haystack(self, index: _Index, doc_id: int, doc: dict[str, Any]) -> str:
        text = index.haystacks.get(doc_id)
        if text is None:
            text = haystack_of(doc)
            if self.cache_search_text:
                index.haystacks[doc_id] = text
        return text

    def _entry(self, doc_id: int, doc: dict[str, Any]) -> Entry | None:
        try:
            # Every document the store holds was parsed from JSON or written from an entry.
            return Entry.from_stored(doc)
        except EntryError as exc:
            self._note_invalid(doc_id, doc, str(exc))
            return None

    def _note_invalid(self, doc_id: int, doc: Any, problem: str) -> None:
        if any(i.doc_id == doc_id for i in self.invalid):
            return
        uid = doc.get("uid") if isinstance(doc, dict) else None
        self.invalid.append(InvalidEntry(doc_id, str(uid or "?"), problem))

    # ---- entries: reading ----------------------------------------------------------------

    def get(self, uid: str) -> Entry | None:
        """The entry with this uid, or None."""
        index = self._get_index()
        doc_id = index.uid_to_id.get(uid)
        if doc_id is None:
            return None
        doc = self._raw_entries().get(str(doc_id))
        return self._entry(doc_id, doc) if doc is not None else None

    def find_uid(self, prefix: str) -> str | None:
        """Resolve a uid or an unambiguous prefix of one (at least 4 characters)."""
        index = self._get_index()
        if prefix in index.uid_to_id:
            return prefix
        if len(prefix) < 4:
            return None
        hits = [u for u in index.uid_to_id if u.startswith(prefix)]
        return hits[0] if len(hits) == 1 else None

    def _iter_matching(
        self, flt: EntryFilter, *, oldest_first: bool = False
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        index = self._get_index()
        raw = self._raw_entries()
        needs_text = bool(flt.search)
        order = reversed(index.newest_first) if oldest_first else index.newest_first
        since, until, kind = flt.since, flt.until, flt.kind
        day_kind = index.day_kind
        words = flt.search_words if needs_text else []
        haystacks = index.haystacks
        for doc_id in order:
            # Dates and kind come from the index: Today's "entries of this day" parses one
            # or two documents, not the whole journal.
            if since or until or kind:
                day, its_kind = day_kind.get(doc_id, ("", ""))
                # The order is by day: past the range, nothing further can match.
                if (since and day < since and not oldest_first) or (
                    until and day > until and oldest_first
                ):
                    break
                if (
                    (since and day < since)
                    or (until and day > until)
                    or (kind and its_kind != kind)
                ):
                    continue
            if words:
                # Search as you type: most documents fail on their cached text alone.
                known = haystacks.get(doc_id)
                if known is not None and not all(word in known for word in words):
                    continue
            doc = raw.get(str(doc_id))
            if doc is None:
                continue
            haystack = self._haystack(index, doc_id, doc) if needs_text else None
            if flt.matches(doc, haystack):
                yield doc_id, doc

    def entries(
        self,
        flt: EntryFilter | None = None,
        *,
        limit: int | None = None,
        oldest_first: bool = False,
    ) -> list[Entry]:
        """Entries passing ``flt``, newest first (by day, then time written)."""
        flt = flt or EntryFilter()
        out: list[Entry] = []
        if oldest_first:
            matching = list(self._iter_matching(flt))
            matching.reverse()
            if limit is not None:
                matching = matching[:limit]
            for doc_id, doc in matching:
                entry = self._entry(doc_id, doc)
                if entry is not None:
                    out.append(entry)
            return out
        for doc_id, doc in self._iter_matching(flt):
            entry = self._entry(doc_id, doc)
            if entry is not None:
                out.append(entry)
                if limit is not None and len(out) >= limit:
                    break
        return out

    def entries_counted(
        self, flt: EntryFilter | None = None, *, limit: int
    ) -> tuple[list[Entry], int]:
        """The first ``limit`` entries passing ``flt`` (as :meth:`list`) and how many documents
        pass in all (as :meth:`count`), in one pass over the journal instead of two."""
        flt = flt or EntryFilter()
        if flt == EntryFilter():
            return self.entries(limit=limit), self.count()
        out: list[Entry] = []
        total = 0
        for doc_id, doc in self._iter_matching(flt):
            total += 1
            if len(out) < limit:
                entry = self._entry(doc_id, doc)
                if entry is not None:
                    out.append(entry)
        return out, total

    def iter_entries(
        self, flt: EntryFilter | None = None, *, oldest_first: bool = False
    ) -> Iterator[Entry]:
        """Stream entries passing ``flt``, newest first, building each only when needed."""
        for doc_id, doc in self._iter_matching(flt or EntryFilter(), oldest_first=oldest_first):
            entry = self._entry(doc_id, doc)
            if entry is not None:
                yield entry

    def entry_ids(self, *, oldest_first: bool = False) -> list[int]:
        """The document id of every entry, newest first (or oldest first), nothing parsed.

        The index's order when it is built; otherwise the order alone is worked out (an
        export asks only this: ~35 ms at 36,500 entries instead of ~70 for the index).
        """
        docs = self._entry_docs()  # may reload, which changes the index's key
        index = self._current_index()
        if index is not None:
            order = index.newest_first
            return order[::-1] if oldest_first else list(order)
        # The index's sort key, (day, created, doc_id), with the two texts as UTF-8 bytes.
        keyed: list[tuple[tuple[bytes, bytes], int]] = []
        for doc_id_s, value in docs.items():
            key = value.date_key() if type(value) is RawDoc else None
            if key is None:
                doc = self._raw_entries().get(doc_id_s)
                if doc is None:
                    continue  # unparsable: noted as invalid, as the index does
                key = (_utf8(doc.get("day", "")), _utf8(doc.get("created", "")))
            keyed.append((key, int(doc_id_s)))
        keyed.sort(reverse=not oldest_first)
        return [doc_id for _, doc_id in keyed]

    def iter_entries_json(
        self,
        flt: EntryFilter | None = None,
        *,
        oldest_first: bool = False,
        ids: Sequence[int] | None = None,
    ) -> Iterator[tuple[Entry, bytes]]:
        """:meth:`iter_entries` with each entry's JSON: ``orjson.dumps(entry.to_dict())``.

        The stored bytes are that JSON already for nearly every document of a file journal
        wrote (see SafeJSONStorage.canonical), and copying them saves serialising each entry
        again (36,500 entries: ~0.4 s of an export). Others are serialised as before.
        ``ids`` (from :meth:`entry_ids`) gives the documents to read, in that order, instead
        of ``flt``: a parallel export hands each process a slice.
        """
        if ids is None and (flt is None or flt == EntryFilter()):
            ids = self.entry_ids(oldest_first=oldest_first)  # may reload: before the table
        storage = self._storage
        # A document parsed now is nobody else's: the entry may keep its check-in as it is.
        private = not self.keep_parsed
        raw = self._raw_entries()
        docs = raw.docs
        pairs: Iterable[tuple[int, Any]]
        if ids is not None:
            pairs = ((doc_id, docs.get(str(doc_id))) for doc_id in ids)
        else:
            pairs = self._iter_matching(flt or EntryFilter(), oldest_first=oldest_first)
        for doc_id, value in pairs:
            if type(value) is RawDoc:
                # Asked per document: a reload (another process wrote) can change the answer.
                text: bytes | None = value.text if storage.canonical else None
                doc = raw._value(str(doc_id), value)
                fresh = private
            else:
                # From _iter_matching (already parsed) or a document written this session.
                doc, text, fresh = value, None, False
                held = docs.get(str(doc_id))
                if type(held) is RawDoc and storage.canonical:
                    text = held.text
            if doc is None:
                continue
            try:
                entry = Entry.from_stored(doc, private=fresh)
            except EntryError as exc:
                self._note_invalid(doc_id, doc, str(exc))
                continue
            if text is None or not _is_to_dict(entry, doc):
                text = orjson.dumps(entry.to_dict())
            yield entry, text

    def iter_entries_where(self, wanted: Callable[[dict[str, Any]], bool]) -> Iterator[Entry]:
        """Stream entries whose stored document passes ``wanted``, newest first.

        ``wanted`` sees the raw document (read it, never change it): a cheap test such as
        "has a follow-up" skips building thousands of entries nobody asked for.
        """
        index = self._get_index()
        raw = self._raw_entries()
        for doc_id in index.newest_first:
            doc = raw.get(str(doc_id))
            if doc is not None and wanted(doc):
                entry = self._entry(doc_id, doc)
                if entry is not None:
                    yield entry

    def due_documents(self) -> list[tuple[int, dict[str, Any]]]:
        """(doc_id, stored document) of every entry that can matter to what is due and to the
        check-in numbers: a follow-up, a revisit date or link, or kind checkin or revisit.

        The documents are the store's own: read them, never change them (build an entry
        with :meth:`entry_from_document`). A plain reflection written by ``Entry.to_dict`` is
        recognised off its bytes and never parsed (36,500 entries: ~10 ms, not ~0.5 s), and
        the table is read from a snapshot, so an app may call this from a worker thread.
        """
        docs = self._entry_docs()
        raw = self._raw_entries()
        # Unparsed documents known to be plain reflections: their bytes never change, and
        # the store drops a doc id from here when it replaces that document (update,
        # upsert_many), so after the first call a plain document costs nothing at all.
        if self._plain_docs_reloads != self._storage.reloads:
            self._plain_docs = {}
            self._plain_docs_reloads = self._storage.reloads
        plain = self._plain_docs
        # A set difference is one C-level operation: a save on the main thread meanwhile
        # cannot change the table under it.
        maybe = sorted(docs.keys() - plain.keys(), key=int)
        out: list[tuple[int, dict[str, Any]]] = []
        for doc_id_s in maybe:
            value = docs.get(doc_id_s)
            if isinstance(value, RawDoc):
                fields = value.index_fields()
                if (
                    fields is not None
                    and fields[1] in _PLAIN_KINDS
                    and value.endswith(_PLAIN_TAILS)
                ):
                    plain[doc_id_s] = value
                    continue
                doc = raw._value(doc_id_s, value)
            else:
                doc = value
            if isinstance(doc, dict) and _can_be_due(doc):
                out.append((int(doc_id_s), doc))
        return out

    def entry_from_document(self, doc_id: int, doc: dict[str, Any]) -> Entry | None:
        """The validated entry of a document from :meth:`due_documents` (None if invalid)."""
        return self._entry(doc_id, doc)

    def count(self, flt: EntryFilter | None = None) -> int:
        """How many entries pass ``flt``."""
        if flt is None or flt == EntryFilter():
            return len(self._raw_entries())
        return sum(1 for _ in self._iter_matching(flt))

    def prompts_answered_by_pack(self) -> dict[str, int]:
        """How many entries answered a prompt of each pack (read from raw documents)."""
        out: dict[str, int] = {}
        for doc in self._raw_entries().values():
            prompt = doc.get("prompt")
            if isinstance(prompt, dict) and isinstance(prompt.get("pack"), str):
                out[prompt["pack"]] = out.get(prompt["pack"], 0) + 1
        return out

    def days_written(self) -> dict[str, int]:
        """Characters written per day, for calendars."""
        out: dict[str, int] = {}
        for doc in self._raw_entries().values():
            day = doc.get("day")
            if isinstance(day, str):
                out[day] = out.get(day, 0) + len(doc.get("body") or "")
        return out

    # ---- entries: writing ----------------------------------------------------------------

    def add(self, entry: Entry) -> Entry:
        """Save a new entry; its uid must not exist yet."""
        return self.add_many([entry])[0]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[None]:
        """Several writes (add, update, log_prompt...) under one lock and one disk write."""
        with self._writing():
            yield

    def add_many(self, entries: Sequence[Entry]) -> list[Entry]:
        """Save several new entries in one write (all or nothing)."""
        if not entries:
            return []
        uids = [e.uid for e in entries]
        if len(set(uids)) != len(uids):
            raise EntryError("the same uid appears twice in one save")
        with self._writing():
            taken = self._uids_taken(uids)
            if taken:
                raise EntryError(f"an entry with uid {taken[0]} already exists")
            self._insert_entries([e.to_dict() for e in entries])
        return list(entries)

    def _current_index(self) -> _Index | None:
        """The index if it is up to date, without building one (call after a read)."""
        index = self._index
        key = (self._storage.reloads, self._entries_version)
        return index if index is not None and index.key == key else None

    def _uids_taken(self, uids: list[str]) -> list[str]:
        """Which of ``uids`` the journal already holds.

        With no index yet (``journal add``) the documents are looked at directly: one
        written by Entry.to_dict starts with its uid, which is compared as bytes (36,500
        entries: ~10 ms, where building the index takes ~100 ms); others are parsed.
        """
        index = self._current_index()
        if index is None and any(_needs_escape(u) for u in uids):
            index = self._get_index()
        if index is not None:
            return [u for u in uids if u in index.uid_to_id]
        wanted = {u.encode(): u for u in uids}
        taken: list[str] = []
        raw = self._raw_entries()
        for doc_id_s, value in self._entry_docs().items():
            head = value.head(72) if isinstance(value, RawDoc) else b""
            if head.startswith(b'{"uid":"'):
                # Only the start of the bytes is read (a uid is 32 characters; a longer one
                # is simply parsed below).
                end = head.find(b'"', 8)
                stored = head[8:end]
                if end > 8 and b"\\" not in stored:
                    if stored in wanted:
                        taken.append(wanted[stored])
                    continue
            doc = raw.get(doc_id_s)
            if doc is not None and doc.get("uid") in uids:
                taken.append(doc["uid"])
        return taken

    def _insert_entries(self, docs: list[dict[str, Any]]) -> list[int]:
        """Insert new documents as TinyDB would (next ids after the largest); their ids.

        Straight into the table: TinyDB's insert converts every key of the table twice
        (~10 ms at 36,500 entries), for one new document. An up-to-date index takes the new
        documents in (rebuilding it costs ~40 ms at 36,500).
        """
        index = self._current_index()
        data = self._storage.read()
        table = data.get(ENTRIES) if data else None
        if not table:
            ids = list(self._table(ENTRIES).insert_multiple(docs))
        else:
            next_id = max(map(int, table)) + 1
            ids = list(range(next_id, next_id + len(docs)))
            for doc_id, doc in zip(ids, docs, strict=True):
                table[str(doc_id)] = doc
            self._storage.write(data)
        if index is not None and index is self._current_index():
            for doc_id, doc in zip(ids, docs, strict=True):
                index.add(doc_id, doc)
        return ids

    def update(self, entry: Entry, *, touch: bool = True) -> Entry:
        """Replace the stored entry with the same uid; stamps ``updated`` unless ``touch=False``."""
        if touch:
            entry = entry.edited()
        with self._writing():
            doc_id = self._get_index().uid_to_id.get(entry.uid)
            if doc_id is None:
                raise EntryError(f"no entry with uid {entry.uid} (was it deleted elsewhere?)")
            # Replace the document whole (TinyDB's update() would change it in place, and an
            # unparsed document is bytes); the next write serialises only this one again.
            self._entry_docs()[str(doc_id)] = entry.to_dict()
            self._storage.write(self._storage.read() or {})
            self._forget_haystack(doc_id)
            if self._get_index().day_kind.get(doc_id) != (entry.day, entry.kind):
                self._entries_version += 1  # it moved in the order: rebuild the index
        return entry

    def upsert_many(self, entries: Sequence[Entry]) -> tuple[int, int]:
        """Insert new entries and replace existing ones by uid, in one write: (added, updated)."""
        added = updated = 0
        with self._writing():
            index = self._get_index()
            table = self._table(ENTRIES)
            new_docs = []
            for entry in entries:
                doc_id = index.uid_to_id.get(entry.uid)
                if doc_id is None:
                    new_docs.append(entry.to_dict())
                    added += 1
                else:
                    raw = self._raw_entries()
                    raw[str(doc_id)] = entry.to_dict()
                    self._forget_haystack(doc_id)
                    updated += 1
            if new_docs:
                table.insert_multiple(new_docs)
            if updated:
                self._storage.write(self._storage.read() or {})
            self._entries_version += 1
        return added, updated

    def delete(self, uid: str) -> Entry:
        """Remove the entry with this uid and return it (so it can be restored)."""
        with self._writing():
            doc_id = self._get_index().uid_to_id.get(uid)
            if doc_id is None:
                raise EntryError(f"no entry with uid {uid}")
            doc = self._raw_entries()[str(doc_id)]
            entry = Entry.from_dict(doc)
            self._table(ENTRIES).remove(doc_ids=[doc_id])
            self._forget_haystack(doc_id)
            self._entries_version += 1
        return entry

    def restore(self, entry: Entry) -> Entry:
        """Put back a deleted entry exactly as it was (same uid and timestamps)."""
        return self.add(entry)

    def _forget_haystack(self, doc_id: int) -> None:
        # Called wherever a document is replaced or removed: drop what was derived from it.
        if self._index is not None:
            self._index.haystacks.pop(doc_id, None)
        self._plain_docs.pop(str(doc_id), None)

    # ---- prompt log ----------------------------------------------------------------------

    def log_prompt(self, day: str, prompt_id: str, pack: str, status: str) -> None:
        """Record that a prompt was shown, skipped or answered on ``day``."""
        if status not in PROMPT_STATUSES:
            raise ValueError(f"status must be one of {PROMPT_STATUSES}")
        with self._writing():
            self._table(PROMPT_LOG).insert(
                {
                    "day": day,
                    "prompt": prompt_id,
                    "pack": pack,
                    "status": status,
                    "at": timestamp(now_local()),
                }
            )

    def prompt_log(self) -> list[dict[str, Any]]:
        """Every prompt-log record, oldest first, as copies."""
        data = self._storage.read() or {}
        table = data.get(PROMPT_LOG, {})
        return [dict(table[k]) for k in sorted(table, key=int)]

    # ---- prompt stars --------------------------------------------------------------------

    def starred_prompts(self) -> list[str]:
        """Ids of the prompts the user starred in the app, in the order starred."""
        meta = (self._storage.read() or {}).get(META, {})
        for doc in meta.values():
            stars = doc.get("starred_prompts")
            if isinstance(stars, list):
                return [s for s in stars if isinstance(s, str)]
        return []

    def set_prompt_starred(self, prompt_id: str, starred: bool) -> list[str]:
        """Star or unstar a prompt; returns the new list of starred ids."""
        with self._writing():
            stars = [s for s in self.starred_prompts() if s != prompt_id]
            if starred:
                stars.append(prompt_id)
            table = self._table(META)
            meta = (self._storage.read() or {}).get(META, {})
            holder = next((int(k) for k, d in meta.items() if "starred_prompts" in d), None)
            if holder is None:
                table.insert({"starred_prompts": stars})
            else:
                table.update({"starred_prompts": stars}, doc_ids=[holder])
        return stars

    # ---- meta ----------------------------------------------------------------------------

    def schema_version(self) -> int | None:
        """The schema version recorded in the file, or None for a journal never written."""
        meta = (self._storage.read() or {}).get(META, {})
        for doc in meta.values():
            if isinstance(doc.get("schema"), int):
                return int(doc["schema"])
        return None

    def raw_documents(self) -> list[Document]:
        """Copies of the stored entry documents, for the doctor and exporters."""
        raw = self._raw_entries()
        return [Document(dict(doc), doc_id=int(k)) for k, doc in raw.items()]
