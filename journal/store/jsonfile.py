"""A TinyDB storage that never tears, never clobbers and keeps the parsed file in memory.

TinyDB's stock ``JSONStorage`` rewrites the file in place, so a kill mid-write leaves broken
JSON. :class:`SafeJSONStorage` instead:

- writes a temp file in the same folder, flushes, fsyncs, ``os.replace``-s it over the
  journal and fsyncs the folder: a kill at any instant leaves the old file or the new one;
- keeps the database in memory and serialises once per write with orjson, one document per
  line; the entries stay as their bytes until needed (see "The file layout" below);
- refuses to read a file it cannot parse exactly (byte-order mark, invalid UTF-8, bad JSON,
  wrong shape) and then never writes over it;
- remembers the identity of the file it read (inode, size, mtime) and re-reads it when
  another process has replaced it, so a write applies to the latest data;
- writes through a symlink to its target, so a symlinked journal stays a symlink.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

import orjson
from tinydb.storages import Storage

from journal import prefetch
from journal.errors import DatabaseError
from journal.paths import ensure_private_dir
from journal.store.atomic import TEMP_SUFFIX, atomic_write_bytes, temp_prefix
from journal.store.crypto import MAGIC

if TYPE_CHECKING:
    from journal.store.crypto import Key

_RESTORE_HINT = (
    "The file has not been changed. Run `journal doctor` for details, restore a backup with "
    "`journal restore --list`, or move the file aside to start a new journal."
)


def _hold_old_file(target: Path) -> int | None:
    """An open descriptor of the file about to be replaced (POSIX), or None.

    Replacing the last name of a file frees its blocks inside ``os.replace`` (~15 ms for
    78 MB). While a descriptor is open the file outlives its name, so the replace is quick;
    :func:`_release_in_background` then frees the blocks off the caller's thread. Nothing
    is left on disk whatever happens: the kernel frees the file when the process ends.
    """
    if os.name != "posix":  # Windows cannot replace a file that is open
        return None
    try:
        return os.open(target, os.O_RDONLY)
    except OSError:  # no file yet
        return None


def _release_in_background(fd: int) -> None:
    """Close ``fd`` in a thread: the last close of a replaced file frees its blocks."""

    def close() -> None:
        with contextlib.suppress(OSError):
            os.close(fd)

    threading.Thread(target=close, name="journal-release-old-file", daemon=True).start()


def describe_json_error(raw: str, exc: orjson.JSONDecodeError) -> str:
    """A one-line human description of where the JSON broke."""
    line = getattr(exc, "lineno", None)
    col = getattr(exc, "colno", None)
    where = f" at line {line}, column {col}" if line else ""
    reason = getattr(exc, "msg", str(exc))
    if not raw.strip():
        return "the file is empty or only whitespace"
    return f"it is not valid JSON{where}: {reason}"


def decode_database(raw: bytes, path: Path) -> dict[str, dict[str, Any]]:
    """Parse the bytes of a journal file strictly; raise :class:`DatabaseError` on anything odd."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DatabaseError(
            f"The journal {path} starts with a byte-order mark, which journal does not write; "
            "another program has changed it.",
            _RESTORE_HINT,
        )
    try:
        # orjson reads bytes and checks the UTF-8 itself: decoding to a str first would cost a
        # second copy of the file (four bytes a character once there is one emoji in it).
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        # Only now, on the error path, pay for decoding: it names the bad byte precisely.
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as bad:
            raise DatabaseError(
                f"The journal {path} is not valid UTF-8 (bad byte at offset {bad.start}).",
                _RESTORE_HINT,
            ) from None
        raise DatabaseError(
            f"The journal {path} cannot be read: {describe_json_error(text, exc)}.",
            _RESTORE_HINT,
        ) from None
    if not isinstance(data, dict):
        raise DatabaseError(
            f"The journal {path} is JSON but not a journal: the top level is a "
            f"{type(data).__name__}, not an object of tables.",
            _RESTORE_HINT,
        )
    for name, table in data.items():
        if not isinstance(table, dict):
            raise DatabaseError(
                f"The journal {path} is JSON but not a journal: table {name!r} is a "
                f"{type(table).__name__}, not an object of documents.",
                _RESTORE_HINT,
            )
        for doc_id, doc in table.items():
            if not doc_id.isdigit() or not isinstance(doc, dict):
                raise DatabaseError(
                    f"The journal {path} is JSON but not a journal: table {name!r} holds "
                    f"an unexpected item {doc_id!r}.",
                    _RESTORE_HINT,
                )
    return data


# ---- the file layout: one document per line, read lazily ---------------------------------
#
# Measured at 36,500 entries (78 MB): parsing the whole file into dicts takes ~0.45 s and
# ~300 MB, a full re-serialisation ~0.3 s. Most commands need a handful of documents
# (`list -n 10`, saving one entry), so the file is written as plain JSON with each
# document on its own line:
#
#     {
#     "entries":{
#     "1":{"uid":"...","kind":"reflection","created":"...","updated":"...","day":"...",...},
#     "2":{...}
#     },
#     "meta":{
#     "1":{...}
#     }
#     }
#
# Any JSON reader (TinyDB's own, jq, ...) still reads it. When a file has this exact layout,
# the documents of LAZY_TABLES are kept as their bytes (RawDoc) and parsed only when asked
# for; a document nobody changed is written back byte for byte. Anything else (an older
# compact file, a file another program rewrote) is parsed in full by decode_database, as
# strictly as ever. Strictness is kept for lazy documents too: each is checked the first
# time it is parsed, and every unchecked one is parsed before any write (RawDoc.checked),
# so a file with a broken document is never written over.

#: Tables whose documents stay as bytes until needed; small tables are parsed at load.
LAZY_TABLES = frozenset({"entries"})
_TABLE_LINE = re.compile(rb'"([A-Za-z0-9_\-]+)":\{\n')
# The fields an index needs, at the start of a document written by Entry.to_dict (uid,
# kind, created, updated, day, in that order, no escapes). A document written differently
# does not match and is simply parsed instead.
_PREFIX = re.compile(
    rb'\{"uid":"([0-9A-Za-z_\-]+)","kind":"([a-z]+)","created":"([0-9T:+\-.Z]+)",'
    rb'"updated":"[0-9T:+\-.Z]+","day":"(\d{4}-\d\d-\d\d)"'
)


class RawDoc:
    """One stored document kept as its JSON bytes until someone needs it.

    The bytes are a part of the file as it was read (``buf[start:end]``): one buffer for the
    whole file, not one bytes object per document. That saves a copy of the file at load,
    and after a fork (journal/transfer/parallel.py) reading a document writes to no page the
    processes share (a bytes object of its own would have its reference count written, and
    each such write copies a page).
    """

    __slots__ = ("_buf", "_end", "_fields", "_start", "checked", "parsed")

    def __init__(self, buf: bytes, start: int = 0, end: int | None = None) -> None:
        self._buf = buf
        self._start = start
        self._end = len(buf) if end is None else end
        #: True once the bytes are known to parse as a JSON object.
        self.checked = False
        #: The parsed document, when kept (see LazyTable's ``keep``); read-only by contract.
        self.parsed: dict[str, Any] | None = None
        self._fields: tuple[str, str, str, str] | bool | None = False  # False: not read yet

    @property
    def text(self) -> bytes:
        """The document's JSON bytes (a copy, when they are a part of the file's buffer)."""
        buf = self._buf
        if self._start == 0 and self._end == len(buf):
            return buf
        return buf[self._start : self._end]

    @text.setter
    def text(self, value: bytes) -> None:
        self._buf, self._start, self._end = value, 0, len(value)
        self._fields = False  # read the index fields again from the new bytes

    def view(self) -> memoryview:
        """The document's bytes without a copy (to write them out)."""
        return memoryview(self._buf)[self._start : self._end]

    def head(self, size: int) -> bytes:
        """The first ``size`` bytes of the document (fewer if it is shorter)."""
        return self._buf[self._start : min(self._start + size, self._end)]

    def endswith(self, suffix: bytes | tuple[bytes, ...]) -> bool:
        """Whether the document's bytes end with ``suffix`` (or one of them)."""
        return self._buf.endswith(suffix, self._start, self._end)

    def parse(self, keep: bool = False) -> dict[str, Any]:
        """The document as a dict; ValueError (orjson's too) when it does not parse.

        With ``keep`` the dict is remembered and returned again next time (the app scans the
        journal often); callers must not change it. The bytes stay what is written.
        """
        if self.parsed is not None:
            return self.parsed
        doc = orjson.loads(self.text)
        if not isinstance(doc, dict):
            raise ValueError(f"a document must be an object, not {type(doc).__name__}")
        self.checked = True
        if keep:
            self.parsed = doc
        return doc

    def date_key(self) -> tuple[bytes, bytes] | None:
        """(day, created) as bytes, read off the start of the document, or None.

        Bytes sort as their text does (UTF-8 keeps code point order), so an order of
        documents needs nothing decoded (see Store.entry_ids)."""
        match = _PREFIX.match(self._buf, self._start, self._end)
        return None if match is None else match.group(4, 3)

    def index_fields(self) -> tuple[str, str, str, str] | None:
        """(uid, kind, created, day) read off the start of the bytes, or None."""
        if self._fields is False:
            # Remembered: the index is rebuilt after every write, the bytes never change.
            match = _PREFIX.match(self._buf, self._start, self._end)
            if match is None:
                self._fields = None
            else:
                uid, kind, created, day = match.groups()
                self._fields = (uid.decode(), kind.decode(), created.decode(), day.decode())
        return self._fields  # type: ignore[return-value]


class LazyTable(MutableMapping[str, dict[str, Any]]):
    """A table's documents as dicts, parsing :class:`RawDoc` values on each access.

    Parsed documents are not kept: the bytes stay the one copy in memory, and a document that
    was never handed out is known to be unchanged. ``on_bad(doc_id, problem)`` hears about a
    document that does not parse; it is then left out (never written over, see above).
    With ``keep``, parsed documents are remembered (:meth:`RawDoc.parse`): repeated scans in
    the app cost a dict lookup, at the price of the memory one-shot commands save.
    """

    def __init__(
        self,
        docs: dict[str, Any],
        on_bad: Callable[[str, str], None] | None = None,
        keep: bool = False,
    ) -> None:
        self.docs = docs
        self.on_bad = on_bad
        self.keep = keep

    def _value(self, doc_id: str, value: Any) -> dict[str, Any] | None:
        if not isinstance(value, RawDoc):
            return value
        try:
            return value.parse(self.keep)
        except ValueError as exc:
            if self.on_bad is not None:
                self.on_bad(doc_id, f"the stored document does not parse ({exc})")
            return None

    def __getitem__(self, doc_id: str) -> dict[str, Any]:
        doc = self._value(doc_id, self.docs[doc_id])
        if doc is None:
            raise KeyError(doc_id)
        return doc

    def get(self, doc_id: str, default: Any = None) -> Any:  # type: ignore[override]
        """The document, or ``default`` when missing or unreadable."""
        value = self.docs.get(doc_id)
        if value is None:
            return default
        doc = self._value(doc_id, value)
        return default if doc is None else doc

    def __setitem__(self, doc_id: str, doc: dict[str, Any]) -> None:
        self.docs[doc_id] = doc

    def __delitem__(self, doc_id: str) -> None:
        del self.docs[doc_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self.docs)

    def __len__(self) -> int:
        return len(self.docs)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.docs

    def values(self) -> Iterator[dict[str, Any]]:  # type: ignore[override]
        """Every readable document (unreadable ones are reported and skipped)."""
        for doc_id, value in self.docs.items():
            doc = self._value(doc_id, value)
            if doc is not None:
                yield doc

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:  # type: ignore[override]
        """(doc_id, document) for every readable document."""
        for doc_id, value in self.docs.items():
            doc = self._value(doc_id, value)
            if doc is not None:
                yield doc_id, doc


def encode_database(data: dict[str, dict[str, Any]]) -> bytes:
    """The file's bytes in the one-document-per-line layout (plain JSON)."""
    return b"".join(encode_pieces(data))


def encode_pieces(data: dict[str, dict[str, Any]]) -> list[bytes]:
    """:func:`encode_database` as pieces to write in order (a document's bytes are shared,
    not copied: joining 78 MB costs more than writing it)."""
    pieces: list[bytes] = [b"{\n"]
    for t, (name, table) in enumerate(data.items()):
        if t:
            pieces.append(b",\n")
        pieces.append(orjson.dumps(str(name)) + b":{\n")
        head = b'"'
        for doc_id, doc in table.items():
            body = doc.view() if type(doc) is RawDoc else orjson.dumps(doc)
            pieces.append(head + str(doc_id).encode("ascii") + b'":')
            pieces.append(body)
            head = b',\n"'
        pieces.append(b"\n}" if table else b"}")
    pieces.append(b"\n}\n")
    return pieces


def read_whole(handle: BinaryIO) -> bytes:
    """The whole file open as ``handle``, from its start, in one bytes object.

    ``BufferedReader.read()`` holds the file twice at its peak (one copy joined from
    another: 78 MB more at 36,500 entries); reading the size fstat gives, plus one byte to
    notice a file that grew, allocates once.
    """
    if not hasattr(os, "pread"):  # pragma: no cover - not POSIX
        handle.seek(0)
        return handle.read()
    fd = handle.fileno()
    return prefetch.read_fd(fd, os.fstat(fd).st_size)


#: The start of a document's line: its id (ASCII digits, at most 30) and the opening brace.
_DOC_HEAD = re.compile(rb'"(\d{1,30})":\{')


def _decode_layout(buf: bytes) -> dict[str, dict[str, Any]] | None:
    """Read a file in the layout of :func:`encode_database`; None when it is anything else.

    Walks the lines by position: the documents of LAZY_TABLES become parts of ``buf``
    (:class:`RawDoc`), so the file's bytes are held once and never copied line by line.
    """
    if not buf.startswith(b"{\n"):
        return None
    size = len(buf)
    find = buf.find
    endswith = buf.endswith
    doc_head = _DOC_HEAD.match
    pos = 2

    def line_end(start: int) -> int:
        """Where the line starting at ``start`` ends (after its line break, if any)."""
        nl = find(b"\n", start)
        return size if nl < 0 else nl + 1

    data: dict[str, dict[str, Any]] = {}
    more_tables = True
    while more_tables:
        end = line_end(pos)
        header = buf[pos:end]
        pos = end
        if header == b"}\n" and not data:
            break  # "{}": no tables at all
        match = _TABLE_LINE.fullmatch(header)
        if match is None:
            return None
        name = match.group(1).decode("ascii")
        lazy = name in LAZY_TABLES
        table: dict[str, Any] = {}
        closed = False
        expect_more = True  # the previous document ended with a comma (or there was none)
        while pos < size:
            nl = find(b"\n", pos)  # line_end, inline: this loop runs once per document
            end = size if nl < 0 else nl + 1
            length = end - pos
            if (length == 2 and buf.startswith(b"}\n", pos)) or (
                length == 3 and buf.startswith(b"},\n", pos)
            ):
                if table and expect_more:
                    return None  # a trailing comma: not JSON
                more_tables = length == 3
                closed = True
                pos = end
                break
            head = doc_head(buf, pos, end)
            if not expect_more or head is None:
                return None
            if endswith(b"},\n", pos, end):
                body_end, expect_more = end - 2, True
            elif endswith(b"}\n", pos, end):
                body_end, expect_more = end - 1, False
            else:
                return None
            body_start = head.end() - 1
            doc_id = head.group(1).decode("ascii")
            pos = end
            if lazy:
                table[doc_id] = RawDoc(buf, body_start, body_end)
                continue
            try:
                doc = orjson.loads(buf[body_start:body_end])
            except orjson.JSONDecodeError:
                return None
            if not isinstance(doc, dict):
                return None
            table[doc_id] = doc
        if not closed:
            return None
        data[name] = table
    # Nothing but the closing brace (and blank space) may follow.
    if data:
        end = line_end(pos)
        if buf[pos:end] != b"}\n":
            return None
        pos = end
    if buf[pos:].strip():
        return None
    return data


def check_raw_docs(data: dict[str, dict[str, Any]], path: Path) -> None:
    """Parse every document still held as bytes; DatabaseError on the first that fails.

    Each document's bytes also become orjson's own serialisation of it (they already are
    for every document journal wrote), so a file journal wrote holds only such bytes and a
    reader of that file can use them as they are (see :attr:`SafeJSONStorage.canonical`).
    """
    for name, table in data.items():
        for doc_id, doc in table.items():
            if type(doc) is not RawDoc:
                continue
            try:
                parsed = doc.parsed if doc.parsed is not None else doc.parse()
            except ValueError as exc:
                raise DatabaseError(
                    f"The journal {path} cannot be written: document {doc_id} of table "
                    f"{name!r} does not parse ({exc}).",
                    _RESTORE_HINT,
                ) from None
            dumped = orjson.dumps(parsed)
            if dumped != doc.text:
                doc.text = dumped


def checked_path(target: Path) -> Path:
    """A small file beside the journal: the identity of the journal file last written here.

    Before its first write a process must know that every document still held as bytes
    parses (never write over a broken one), which means parsing them all (36,500 entries:
    ~0.2 s) unless the file is exactly one journal wrote itself. This file says which one
    that was, by (inode, size, mtime): any other program's change, in place or by rename,
    gives another identity, and then every document is checked as before. Losing or
    tearing this file only costs that check.
    """
    return target.parent / f".{target.name}.checked"


def read_checked(target: Path) -> tuple[int, int, int] | None:
    """The identity recorded by :func:`write_checked`, or None."""
    try:
        parts = checked_path(target).read_bytes().split()
        if len(parts) == 3:
            ino, size, mtime = (int(p) for p in parts)
            return (ino, size, mtime)
    except (OSError, ValueError):
        pass
    return None


def write_checked(target: Path, identity: tuple[int, int, int] | None) -> None:
    """Record ``identity`` as a journal file whose documents all parse (best effort).

    Written under the journal's write lock, after the journal itself; not fsynced: a torn
    or lost record only means one full check.
    """
    if identity is None:
        return
    try:
        fd = os.open(checked_path(target), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError:
        return
    try:
        os.write(fd, b"%d %d %d\n" % identity)
    except OSError:
        pass
    finally:
        os.close(fd)


def file_identity(path: Path) -> tuple[int, int, int] | None:
    """(inode, size, mtime_ns) of ``path``'s target, or None when it does not exist."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_size, st.st_mtime_ns)


class SafeJSONStorage(Storage):
    """TinyDB storage with atomic writes, an in-memory cache and change detection."""

    def __init__(self, path: str | os.PathLike[str], create_dirs: bool = True) -> None:
        super().__init__()
        self.path = Path(path)
        self.create_dirs = create_dirs
        self._data: dict[str, dict[str, Any]] | None = None
        self._identity: tuple[int, int, int] | None = None
        self._batch_depth = 0
        self._batch_dirty = False
        #: Bumped whenever the in-memory data is replaced by a fresh read of the file.
        self.reloads = 0
        #: Encryption at rest (crypto.py): with a key, the file is read and written encrypted;
        #: nothing plain is ever written, not even a temp file. Set before the first load.
        self.key: Key | None = None
        #: Whether the file last read was encrypted.
        self.encrypted_on_disk = False
        #: True once every RawDoc of the data loaded is known to parse (see _write_now).
        self._raw_checked = False
        #: True once every RawDoc is also known to be orjson's serialisation of what it
        #: parses to (see check_raw_docs): a file journal wrote plain, or after a check.
        self._canonical = False

    @property
    def canonical(self) -> bool:
        """Whether every document held as bytes is exactly ``orjson.dumps`` of its parse.

        True for a file journal wrote (every write makes it so, see :func:`check_raw_docs`);
        an exporter can then copy a document's bytes instead of serialising it again.
        """
        return self._canonical

    @property
    def target(self) -> Path:
        """The real file written: a symlinked journal is written through to its target."""
        return Path(os.path.realpath(self.path))

    def changed_on_disk(self) -> bool:
        """True when the file is not the one we last read or wrote."""
        return self._data is not None and file_identity(self.target) != self._identity

    def load(self) -> dict[str, dict[str, Any]]:
        """(Re)read the file from disk into memory and return it."""
        target = self.target
        identity: tuple[int, int, int] | None = None
        lazy: dict[str, dict[str, Any]] | None = None
        # A read the command line started early (prefetch.py), if the file is still that one.
        early = prefetch.take(str(target), file_identity(target)) if prefetch.waiting() else None
        try:
            if early is not None:
                read_identity, raw = early
            else:
                with open(target, "rb") as handle:
                    # The identity of the very file read, from the open handle. A stat() after
                    # reading could describe a newer file another process swapped in
                    # meanwhile; we would then take its identity for ours, never reload, and
                    # our next write would silently drop its entries (found by
                    # tests/test_crash_harness.py).
                    st = os.fstat(handle.fileno())
                    read_identity = (st.st_ino, st.st_size, st.st_mtime_ns)
                    raw = read_whole(handle)
            encrypted = raw.startswith(MAGIC)
            if encrypted:
                # Decrypted in memory only; then the very same parsers read the plain bytes.
                raw = self._decrypt(raw, target)
            else:
                self._check_plain_expected(target)
            # Our own layout is read lazily; anything else is parsed in full, strictly.
            lazy = _decode_layout(raw)
        except FileNotFoundError:
            data: dict[str, dict[str, Any]] = {}
        except IsADirectoryError:
            raise DatabaseError(
                f"The journal path {target} is a folder, not a file.",
                "Point --db (or JOURNAL_DB) at a file such as journal.json.",
            ) from None
        except PermissionError:
            raise DatabaseError(
                f"The journal {target} cannot be read: permission denied.",
                f"Check the owner and permissions: `ls -l {target}`.",
            ) from None
        else:
            data = lazy if lazy is not None else decode_database(raw, target)
            identity = read_identity
            self.encrypted_on_disk = encrypted
        self._identity = identity
        self._data = data
        # Documents are known to parse when none is still bytes, when the cipher has
        # authenticated the file (journal writes only documents that parse), or when the
        # file is the very one journal last wrote or checked here (see checked_path).
        self._canonical = lazy is None or read_checked(target) == identity
        self._raw_checked = self._canonical or self.encrypted_on_disk
        self.reloads += 1
        return data

    def _decrypt(self, raw: bytes, target: Path) -> bytes:
        """The plain bytes of the encrypted journal ``raw``, with :attr:`key`."""
        from journal.store.crypto import (
            PASSPHRASE_FILE_ENV,
            PassphraseNeededError,
            WrongPassphraseError,
            read_header,
        )

        # reloads > 0: this is a re-read of a file we already had open, in some other state.
        if self.key is None:
            if self.reloads:
                raise DatabaseError(
                    f"The journal {target} was encrypted by another journal process while this "
                    "one had it open. Nothing was written.",
                    "Quit and start journal again to open it with its passphrase.",
                )
            raise PassphraseNeededError(
                f"The journal {target} is encrypted.",
                f"Enter its passphrase, or set {PASSPHRASE_FILE_ENV}.",
            )
        if self.reloads and read_header(raw).params != self.key.params:
            raise DatabaseError(
                f"The passphrase of the journal {target} was changed by another journal process "
                "while this one had it open. Nothing was written.",
                "Quit and start journal again to open it with the new passphrase.",
            )
        try:
            return self.key.decrypt(raw)
        except WrongPassphraseError as exc:
            raise WrongPassphraseError(
                f"The passphrase does not open the journal {target}, or the file was changed "
                "after journal wrote it.",
                exc.hint,
            ) from None

    def _check_plain_expected(self, target: Path) -> None:
        """A plain file where an encrypted one was expected: never write it encrypted again."""
        if self.key is not None and self.reloads and self.encrypted_on_disk:
            raise DatabaseError(
                f"The journal {target} was decrypted by another journal process while this one "
                "had it open. Nothing was written.",
                "Quit and start journal again to open it.",
            )

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The in-memory database; re-read when another process replaced the file."""
        if self._data is None or self.changed_on_disk():
            self.load()
        # TinyDB treats None as "empty database".
        return self._data if self._data else None

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group several table operations into one disk write at the end of the block.

        If the block raises, nothing is written and memory is re-read from the untouched file.
        """
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if self._batch_depth == 0 and self._batch_dirty:
                self._batch_dirty = False
                self._data = None
                self._identity = None
            raise
        self._batch_depth -= 1
        if self._batch_depth == 0 and self._batch_dirty:
            self._batch_dirty = False
            assert self._data is not None
            self._write_now(self._data)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Write now, or at the end of the current :meth:`batch`."""
        if self._batch_depth:
            self._data = data
            self._batch_dirty = True
            return
        self._write_now(data)

    def _write_now(self, data: dict[str, dict[str, Any]]) -> None:
        """Serialise once and replace the file atomically; on failure memory follows the disk."""
        target = self.target
        if self.create_dirs:
            ensure_private_dir(target.parent)
        try:
            # Never write over a document that does not parse (see the layout notes above).
            # Documents only become RawDoc at a load, so one full check per load is enough.
            # A plain write records the file as journal's own (write_checked below), which
            # vouches that every document's bytes are orjson's: make sure of it first.
            plain_record = self.key is None and not self._canonical
            if plain_record or not (self._raw_checked and data is self._data):
                check_raw_docs(data, target)
                self._raw_checked = self._canonical = True
            payload: bytes | list[bytes] = encode_pieces(data)
            if self.key is not None:
                # Only ciphertext reaches the disk: the temp file is written encrypted too.
                payload = self.key.encrypt(b"".join(payload))
            old = _hold_old_file(target)
            try:
                atomic_write_bytes(target, payload)
            finally:
                if old is not None:
                    _release_in_background(old)
        except BaseException:
            # TinyDB mutated our cache before calling write; the disk still holds the old
            # file, so forget memory and let the next read take the truth from disk.
            self._data = None
            self._identity = None
            raise
        self._data = data
        self._identity = file_identity(target)
        self.encrypted_on_disk = self.key is not None
        if self.key is None:
            write_checked(target, self._identity)
        else:
            # An encrypted journal needs no record (the cipher checks it) and keeps no
            # plain file beside it.
            with contextlib.suppress(OSError):
                checked_path(target).unlink()

    def close(self) -> None:
        """Nothing to release: every write is already on disk."""
        self._data = None

    def leftover_temp_files(self) -> list[Path]:
        """Temp files a killed writer may have left (or a live writer is writing now)."""
        target = self.target
        try:
            return list(target.parent.glob(f"{temp_prefix(target)}*{TEMP_SUFFIX}"))
        except OSError:
            return []

    def remove_leftover_temp_files(self) -> list[Path]:
        """Delete temp files left by a killed writer. Call only while holding the write lock."""
        removed: list[Path] = []
        for leftover in self.leftover_temp_files():
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed.append(leftover)
        return removed
