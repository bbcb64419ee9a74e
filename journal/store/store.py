"""The journal store: entries, meta and the prompt log in one TinyDB file.

Only this package talks to TinyDB. Callers get :class:`~journal.models.Entry` objects (frozen
copies), never the documents held in memory. The small tables (``meta``, ``prompt_log``)
are read and written through TinyDB's ``Table`` API; the entries table through our lazy
engine (journal/store/layout.py), with the queries in journal/store/query.py.

Every write takes a file lock, re-reads the file if another process replaced it, applies the
change to that fresh data and writes it back atomically: two writers never lose each other's
entries, whichever order they come in. Within one process the Store is safe to share between
threads: one reentrant lock is held around every read and write of its state.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb.table import Document, Table

from journal.errors import DatabaseBusyError, DatabaseError, EntryError
from journal.models import Entry, now_local, timestamp
from journal.store.atomic import write_failed
from journal.store.conflicts import EditConflictError, merged
from journal.store.jsonfile import SafeJSONStorage
from journal.store.layout import LazyTable, RawDoc
from journal.store.query import (
    EntryFilter,
    Index,
    can_be_due,
    haystack_of,
    is_plain_raw,
    make_filter,
)

if TYPE_CHECKING:
    from journal.store.crypto import Key
    from journal.store.lock import WriteLock

__all__ = [
    "ENTRIES",
    "META",
    "PROMPT_LOG",
    "PROMPT_STATUSES",
    "SCHEMA_VERSION",
    "EditConflictError",
    "EntryFilter",
    "InvalidEntry",
    "Store",
    "haystack_of",
    "make_filter",
]

SCHEMA_VERSION = 1
ENTRIES = "entries"
META = "meta"
PROMPT_LOG = "prompt_log"
#: Deleted entries: ``{"uid", "deleted"}``, so a merge with an older copy does not bring them
#: back (store/merge.py). A few dozen bytes per deletion.
TOMBSTONES = "deleted"
#: Earlier versions of edited entries: ``{"uid", "seen": [content hashes]}``, so a merge can
#: tell an entry changed on one side from one changed on both (store/merge.py).
VERSIONS = "versions"
PROMPT_STATUSES = ("shown", "skipped", "answered")
#: How many entries a streaming read builds per turn of the lock: long enough that the lock
#: costs nothing, short enough that a save from another thread never waits long.
_CHUNK = 256


@dataclass
class InvalidEntry:
    """A stored document that does not validate; kept on disk untouched, left out of lists."""

    doc_id: int
    uid: str
    problem: str


class Store:
    """The journal on disk. Open with :meth:`open`; safe to share between threads."""

    def __init__(self, path: Path, *, lock_timeout: float = 10.0) -> None:
        self.path = Path(path)
        self.lock_timeout = lock_timeout
        self._storage = SafeJSONStorage(self.path)
        #: Held around every read and write of the state below (reentrant: a write reads).
        self._mutex = threading.RLock()
        self._writes = 0
        self._index: Index | None = None
        #: Bumped when the entries change in a way the index was not told about (update of a
        #: day, upsert, delete); inserts are added to the index in place.
        self._entries_version = 0
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
        for doc in self._meta():
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

        try:
            with self._mutex:
                ensure_private_dir(self._storage.target.parent)
                with self._lock(), self._storage.batch():
                    self._refuse_read_only()
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
        except OSError as exc:
            # A full disk, a read-only folder: the file on disk is untouched and memory
            # follows it (jsonfile.py); say so in plain words, never with a traceback.
            raise write_failed(exc, self._storage.target) from None

    def _refuse_read_only(self) -> None:
        """A journal the user made read-only (chmod 400) is kept so, never replaced."""
        from journal.store.atomic import refuse_read_only

        refuse_read_only(self._storage.target)

    def close(self) -> None:
        """Release memory; every write is already on disk."""
        with self._mutex:
            self._storage.close()
            self._index = None

    # ---- encryption at rest (crypto.py, cli/crypto.py) -------------------------------------

    @property
    def key(self) -> Key | None:
        """The key the journal is read and written with; None for a plain journal."""
        with self._mutex:
            return self._storage.key

    @property
    def encrypted(self) -> bool:
        """Whether the journal is kept encrypted on disk."""
        with self._mutex:
            return self._storage.key is not None

    def rekey(self, new_key: Key | None, *, before: Callable[[], None] | None = None) -> None:
        """Write the journal again under ``new_key`` (None: plain) in one atomic replace.

        Under the write lock the file is re-read with the current key, then written once with
        the new one: a crash leaves the old file or the new one. ``before`` runs under the lock
        first (keeping a copy of the file as it was).
        """
        with self._mutex:
            self._rekey(new_key, before)

    def _rekey(self, new_key: Key | None, before: Callable[[], None] | None) -> None:
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
        with self._mutex:
            return self._storage.changed_on_disk()

    def refresh(self) -> bool:
        """Re-read the file if another process changed it; True when it did."""
        with self._mutex:
            if self._storage.changed_on_disk():
                self._storage.load()
                self._check_schema()
                return True
            return False

    @property
    def generation(self) -> tuple[int, int]:
        """Changes whenever the data may have changed (our writes or a reload)."""
        with self._mutex:
            return (self._storage.reloads, self._writes)

    # ---- raw access (call with the mutex held) -------------------------------------------

    def _table(self, name: str) -> Table:
        # A fresh Table each time: TinyDB caches the next id per Table, which would be stale
        # after another process added documents.
        return Table(self._storage, name, cache_size=0)

    def _meta(self) -> list[Document]:
        """The meta documents, as copies (TinyDB's Table hands out copies)."""
        return self._table(META).all()

    def _ensure_meta(self) -> None:
        if not self._meta():
            self._table(META).insert({"schema": SCHEMA_VERSION, "created": timestamp()})

    def _entry_docs(self) -> dict[str, Any]:
        """The entries table as held: dicts, or RawDoc bytes not parsed yet (layout.py)."""
        data = self._storage.read() or {}
        table: dict[str, Any] = data.get(ENTRIES, {})
        return table

    def _raw_entries(self) -> LazyTable:
        """The entries table as documents, each parsed when read."""
        return LazyTable(self._entry_docs(), self._note_unparsable, keep=self.keep_parsed)

    def _note_unparsable(self, doc_id: str, problem: str) -> None:
        self._note_invalid(int(doc_id), None, problem)

    def _get_index(self) -> Index:
        raw = self._raw_entries()  # may reload, which changes the key
        key = (self._storage.reloads, self._entries_version)
        if self._index is not None and self._index.key == key:
            return self._index
        old = self._index
        self._index = Index.build(key, raw.docs, raw.get)
        if old is not None and old.key[0] == key[0]:
            self._index.haystacks = old.haystacks  # same file: what was derived still holds
        return self._index

    def _current_index(self) -> Index | None:
        """The index if it is up to date, without building one (call after a read)."""
        index = self._index
        key = (self._storage.reloads, self._entries_version)
        return index if index is not None and index.key == key else None

    def _haystack(self, index: Index, doc_id: int, doc: dict[str, Any]) -> str:
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

    def _matching(
        self, flt: EntryFilter, ids: Sequence[int]
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        """(doc_id, document) of those of ``ids`` (from Index.candidates) passing ``flt``."""
        index = self._get_index()
        raw = self._raw_entries()
        words = flt.search_words if flt.search else []
        haystacks = index.haystacks
        for doc_id in ids:
            if words:
                # Search as you type: most documents fail on their cached text alone.
                known = haystacks.get(doc_id)
                if known is not None and not all(word in known for word in words):
                    continue
            doc = raw.get(str(doc_id))
            if doc is None:
                continue
            haystack = self._haystack(index, doc_id, doc) if words else None
            if flt.matches(doc, haystack):
                yield doc_id, doc

    def _iter_matching(
        self, flt: EntryFilter, *, oldest_first: bool = False
    ) -> Iterator[tuple[int, dict[str, Any]]]:
        ids = self._get_index().candidates(flt, oldest_first=oldest_first)
        return self._matching(flt, ids)

    # ---- entries: reading ----------------------------------------------------------------

    def get(self, uid: str) -> Entry | None:
        """The entry with this uid, or None."""
        with self._mutex:
            doc_id = self._get_index().uid_to_id.get(uid)
            if doc_id is None:
                return None
            doc = self._raw_entries().get(str(doc_id))
            return self._entry(doc_id, doc) if doc is not None else None

    def find_uid(self, prefix: str) -> str | None:
        """Resolve a uid or an unambiguous prefix of one (at least 4 characters)."""
        with self._mutex:
            index = self._get_index()
            if prefix in index.uid_to_id:
                return prefix
            if len(prefix) < 4:
                return None
            hits = [u for u in index.uid_to_id if u.startswith(prefix)]
            return hits[0] if len(hits) == 1 else None

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
        with self._mutex:
            for doc_id, doc in self._iter_matching(flt, oldest_first=oldest_first):
                entry = self._entry(doc_id, doc)
                if entry is not None:
                    out.append(entry)
                    if limit is not None and len(out) >= limit:
                        break
        return out

    def entries_counted(
        self, flt: EntryFilter | None = None, *, limit: int
    ) -> tuple[list[Entry], int]:
        """The first ``limit`` entries passing ``flt`` (as :meth:`entries`) and how many
        documents pass in all (as :meth:`count`), in one pass over the journal, not two."""
        flt = flt or EntryFilter()
        with self._mutex:
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
        """Stream entries passing ``flt``, newest first, building each only when needed.

        The order is taken when the stream starts; the entries are read a chunk at a time
        under the lock, so another thread may save between chunks (an entry deleted
        meanwhile is left out, one changed is read as it is then).
        """
        flt = flt or EntryFilter()
        with self._mutex:
            ids = self._get_index().candidates(flt, oldest_first=oldest_first)
        for start in range(0, len(ids), _CHUNK):
            with self._mutex:
                chunk = [
                    entry
                    for doc_id, doc in self._matching(flt, ids[start : start + _CHUNK])
                    if (entry := self._entry(doc_id, doc)) is not None
                ]
            yield from chunk

    def iter_entries_where(self, wanted: Callable[[dict[str, Any]], bool]) -> Iterator[Entry]:
        """Stream entries whose stored document passes ``wanted``, newest first.

        ``wanted`` sees the raw document (read it, never change it): a cheap test such as
        "has a follow-up" skips building thousands of entries nobody asked for. Read a chunk
        at a time under the lock, as :meth:`iter_entries`.
        """
        with self._mutex:
            ids = list(self._get_index().newest_first)
        for start in range(0, len(ids), _CHUNK):
            with self._mutex:
                raw = self._raw_entries()
                chunk: list[Entry] = []
                for doc_id in ids[start : start + _CHUNK]:
                    doc = raw.get(str(doc_id))
                    if doc is not None and wanted(doc):
                        entry = self._entry(doc_id, doc)
                        if entry is not None:
                            chunk.append(entry)
            yield from chunk

    def due_documents(self) -> list[tuple[int, dict[str, Any]]]:
        """(doc_id, stored document) of every entry that can matter to what is due and to the
        check-in numbers: a follow-up, a revisit date or link, or kind checkin or revisit.

        The documents are the store's own: read them, never change them (build an entry
        with :meth:`entry_from_document`). A plain reflection written by ``Entry.to_dict`` is
        recognised off its bytes and never parsed (query.is_plain_raw).
        """
        with self._mutex:
            docs = self._entry_docs()
            raw = self._raw_entries()
            out: list[tuple[int, dict[str, Any]]] = []
            for doc_id_s in sorted(docs, key=int):
                value = docs[doc_id_s]
                if isinstance(value, RawDoc):
                    if is_plain_raw(value):
                        continue
                    doc = raw.get(doc_id_s)
                else:
                    doc = value
                if isinstance(doc, dict) and can_be_due(doc):
                    out.append((int(doc_id_s), doc))
            return out

    def entry_from_document(self, doc_id: int, doc: dict[str, Any]) -> Entry | None:
        """The validated entry of a document from :meth:`due_documents` (None if invalid)."""
        with self._mutex:
            return self._entry(doc_id, doc)

    def count(self, flt: EntryFilter | None = None) -> int:
        """How many entries pass ``flt``."""
        with self._mutex:
            if flt is None or flt == EntryFilter():
                return len(self._entry_docs())
            return sum(1 for _ in self._iter_matching(flt))

    def documents(self) -> list[Document]:
        """Copies of the stored entry documents, for the doctor and exporters."""
        with self._mutex:
            raw = self._raw_entries()
            return [Document(dict(doc), doc_id=int(k)) for k, doc in raw.items()]

    #: The old name of :meth:`documents`.
    raw_documents = documents

    def prompts_answered_by_pack(self) -> dict[str, int]:
        """How many entries answered a prompt of each pack (read from raw documents)."""
        out: dict[str, int] = {}
        with self._mutex:
            for doc in self._raw_entries().values():
                prompt = doc.get("prompt")
                if isinstance(prompt, dict) and isinstance(prompt.get("pack"), str):
                    out[prompt["pack"]] = out.get(prompt["pack"], 0) + 1
        return out

    def days_written(self) -> dict[str, int]:
        """Characters written per day, for calendars."""
        out: dict[str, int] = {}
        with self._mutex:
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
            taken = [u for u in uids if u in self._get_index().uid_to_id]
            if taken:
                raise EntryError(f"an entry with uid {taken[0]} already exists")
            self._insert_entries([e.to_dict() for e in entries])
        return list(entries)

    def _insert_entries(self, docs: list[dict[str, Any]]) -> list[int]:
        """Insert new documents as TinyDB would (next ids after the largest); their ids.

        Straight into the table, not through TinyDB's insert, which converts every key of
        the table twice (~10 ms at 36,500 entries) for one new document. An up-to-date index
        takes the new documents in (rebuilding it costs ~40 ms at 36,500).
        """
        index = self._current_index()
        data = self._storage.read() or {}
        table = data.setdefault(ENTRIES, {})
        next_id = max(map(int, table), default=0) + 1
        ids = list(range(next_id, next_id + len(docs)))
        for doc_id, doc in zip(ids, docs, strict=True):
            table[str(doc_id)] = doc
        self._storage.write(data)
        if index is not None and index is self._current_index():
            for doc_id, doc in zip(ids, docs, strict=True):
                index.add(doc_id, doc)
        return ids

    def update(self, entry: Entry, *, expected: Entry | None, touch: bool = True) -> Entry:
        """Save ``entry`` over the stored one with its uid, without losing anyone's change.

        ``expected`` is the entry as the caller loaded it: the version its change is based
        on (the whole entry is the version, so no stamp can be fooled by two saves within
        one second or a copied file). Under the write lock it is compared, field by field,
        with what is stored now:

        - a field the caller left as loaded takes the stored value, so what another window
          or the shell changed meanwhile (a follow-up marked done and its note, a star, a
          revisit date) is never written back stale;
        - a field the caller changed is written, unless it changed on the other side too,
          to something else: then nothing is written and :class:`EditConflictError` carries
          the stored entry, for the caller to let the user choose.

        ``expected=None`` is a deliberate blind replace (an import that owns every field).
        Returns the entry as saved, which holds the other side's changes too. Stamps
        ``updated`` unless ``touch=False``.
        """
        if expected is not None and expected.uid != entry.uid:
            raise EntryError("expected must be the same entry as loaded (another uid was given)")
        if touch:
            entry = entry.edited()
        with self._writing():
            index = self._get_index()
            doc_id = index.uid_to_id.get(entry.uid)
            if doc_id is None:
                if expected is not None:
                    raise EditConflictError(entry, None, ())
                raise EntryError(f"no entry with uid {entry.uid} (was it deleted elsewhere?)")
            if expected is not None:
                stored = self.get(entry.uid)
                if stored is None:
                    raise EntryError(
                        f"The stored entry {entry.uid[:8]} cannot be read; nothing was saved.",
                        "Run `journal doctor` to see what is wrong with it.",
                    )
                entry = merged(entry, expected, stored)
            self._remember_version(self._raw_entries().get(str(doc_id)), entry)
            # Replace the document whole (TinyDB's update() would change it in place, and an
            # unparsed document is bytes); the next write serialises only this one again.
            self._entry_docs()[str(doc_id)] = entry.to_dict()
            self._storage.write(self._storage.read() or {})
            self._forget_haystack(doc_id)
            if index.day_kind.get(doc_id) != (entry.day, entry.kind):
                self._entries_version += 1  # it moved in the order: rebuild the index
        return entry

    def upsert_many(self, entries: Sequence[Entry]) -> tuple[int, int]:
        """Insert new entries and replace existing ones by uid, in one write: (added, updated)."""
        added = updated = 0
        with self._writing():
            index = self._get_index()
            docs = self._entry_docs()
            new_docs = []
            for entry in entries:
                doc_id = index.uid_to_id.get(entry.uid)
                if doc_id is None:
                    new_docs.append(entry.to_dict())
                    added += 1
                else:
                    self._remember_version(self._raw_entries().get(str(doc_id)), entry)
                    docs[str(doc_id)] = entry.to_dict()
                    self._forget_haystack(doc_id)
                    updated += 1
            if new_docs:
                self._insert_entries(new_docs)
            elif updated:
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
            del self._entry_docs()[str(doc_id)]
            from journal.store.merge import content_hash

            self._table(TOMBSTONES).insert(
                {"uid": uid, "deleted": timestamp(), "hash": content_hash(doc)}
            )
            self._storage.write(self._storage.read() or {})
            self._forget_haystack(doc_id)
            self._entries_version += 1
        return entry

    def _remember_version(self, old: dict[str, Any] | None, new: Entry) -> None:
        """Keep the content hash of the version an update replaces (call while writing)."""
        from journal.store.merge import content_hash

        if old is None:
            return
        before = content_hash(old)
        if before == content_hash(new.to_dict()):
            return
        table = self._table(VERSIONS)
        for doc in table.all():
            if doc.get("uid") == new.uid:
                seen = [h for h in doc.get("seen", []) if isinstance(h, str)]
                if before not in seen:
                    table.update({"seen": [*seen, before]}, doc_ids=[doc.doc_id])
                return
        table.insert({"uid": new.uid, "seen": [before]})

    def tombstones(self) -> dict[str, tuple[str, str]]:
        """uid -> (when it was deleted, the content hash of the version deleted), the latest
        deletion of each, for :mod:`journal.store.merge`."""
        with self._mutex:
            found: dict[str, tuple[str, str]] = {}
            for doc in self._table(TOMBSTONES).all():
                uid, when, what = doc.get("uid"), doc.get("deleted"), doc.get("hash", "")
                if not (isinstance(uid, str) and isinstance(when, str) and isinstance(what, str)):
                    continue
                if uid not in found or when >= found[uid][0]:
                    found[uid] = (when, what)
            return found

    def versions(self) -> dict[str, set[str]]:
        """uid -> content hashes of the versions it had before, for :mod:`journal.store.merge`."""
        with self._mutex:
            found: dict[str, set[str]] = {}
            for doc in self._table(VERSIONS).all():
                uid, seen = doc.get("uid"), doc.get("seen")
                if isinstance(uid, str) and isinstance(seen, list):
                    found.setdefault(uid, set()).update(h for h in seen if isinstance(h, str))
            return found

    def apply_merge(
        self,
        upserts: Sequence[Entry],
        deletes: Sequence[str],
        tombstones: dict[str, tuple[str, str]],
        versions: dict[str, set[str]],
    ) -> None:
        """Write a merge's result in one write (store/merge.py): entries added or replaced,
        entries removed, and the merged records of deletions and earlier versions."""
        with self._writing():
            if upserts:
                self.upsert_many(upserts)
            for uid in deletes:
                doc_id = self._get_index().uid_to_id.get(uid)
                if doc_id is not None:
                    del self._entry_docs()[str(doc_id)]
                    self._forget_haystack(doc_id)
                    self._entries_version += 1
            dead = self._table(TOMBSTONES)
            dead.truncate()
            dead.insert_multiple(
                {"uid": uid, "deleted": when, "hash": what}
                for uid, (when, what) in sorted(tombstones.items())
            )
            kept = self._table(VERSIONS)
            kept.truncate()
            kept.insert_multiple(
                {"uid": uid, "seen": sorted(seen)} for uid, seen in sorted(versions.items()) if seen
            )
            self._storage.write(self._storage.read() or {})

    def restore(self, entry: Entry) -> Entry:
        """Put back a deleted entry exactly as it was (same uid and timestamps)."""
        return self.add(entry)

    def _forget_haystack(self, doc_id: int) -> None:
        # Called wherever a document is replaced or removed: drop what was derived from it.
        if self._index is not None:
            self._index.haystacks.pop(doc_id, None)

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
        with self._mutex:
            records = self._table(PROMPT_LOG).all()
        return [dict(doc) for doc in sorted(records, key=lambda doc: doc.doc_id)]

    # ---- prompt stars --------------------------------------------------------------------

    def starred_prompts(self) -> list[str]:
        """Ids of the prompts the user starred in the app, in the order starred."""
        with self._mutex:
            for doc in self._meta():
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
            holder = next((d.doc_id for d in self._meta() if "starred_prompts" in d), None)
            table = self._table(META)
            if holder is None:
                table.insert({"starred_prompts": stars})
            else:
                table.update({"starred_prompts": stars}, doc_ids=[holder])
        return stars

    # ---- meta ----------------------------------------------------------------------------

    def schema_version(self) -> int | None:
        """The schema version recorded in the file, or None for a journal never written."""
        with self._mutex:
            for doc in self._meta():
                version = doc.get("schema")
                if isinstance(version, int):
                    return version
            return None
