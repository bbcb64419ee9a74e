"""The journal file's bytes: strict parsing, and the one-document-per-line layout read lazily.

Everything here is pure: bytes in, tables out (and back). Reading and writing the file,
encryption and change detection are :mod:`journal.store.jsonfile`'s.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, MutableMapping
from pathlib import Path
from typing import Any, Literal

import orjson

from journal.errors import DatabaseError
from journal.models import INDEX_FIELDS

RESTORE_HINT = (
    "The file has not been changed. Run `journal doctor` for details, restore a backup with "
    "`journal restore --list`, or move the file aside to start a new journal."
)


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
            RESTORE_HINT,
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
                RESTORE_HINT,
            ) from None
        raise DatabaseError(
            f"The journal {path} cannot be read: {describe_json_error(text, exc)}.",
            RESTORE_HINT,
        ) from None
    if not isinstance(data, dict):
        raise DatabaseError(
            f"The journal {path} is JSON but not a journal: the top level is a "
            f"{type(data).__name__}, not an object of tables.",
            RESTORE_HINT,
        )
    for name, table in data.items():
        if not isinstance(table, dict):
            raise DatabaseError(
                f"The journal {path} is JSON but not a journal: table {name!r} is a "
                f"{type(table).__name__}, not an object of documents.",
                RESTORE_HINT,
            )
        for doc_id, doc in table.items():
            if not doc_id.isdigit() or not isinstance(doc, dict):
                raise DatabaseError(
                    f"The journal {path} is JSON but not a journal: table {name!r} holds "
                    f"an unexpected item {doc_id!r}.",
                    RESTORE_HINT,
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
#: How each field an index needs is written by Entry.to_dict when nothing in it is escaped
#: (uid, kind, created, updated, day: models.INDEX_FIELDS, which lead models.FIELDS). A
#: document written differently does not match and is simply parsed instead.
_INDEX_VALUE = {
    "uid": rb"[0-9A-Za-z_\-]+",
    "kind": rb"[a-z]+",
    "created": rb"[0-9T:+\-.Z]+",
    "updated": rb"[0-9T:+\-.Z]+",
    "day": rb"\d{4}-\d\d-\d\d",
}
_PREFIX = re.compile(
    b"\\{"
    + b",".join(
        b'"%s":"(?P<%s>%s)"' % (name.encode(), name.encode(), _INDEX_VALUE[name])
        for name in INDEX_FIELDS
    )
)


class RawDoc:
    """One stored document kept as its JSON bytes until someone needs it.

    The bytes are a part of the file as it was read (``buf[start:end]``): one buffer for the
    whole file, not one bytes object per document, which saves a copy of the file at load.
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
        self._fields: tuple[str, str, str, str] | Literal[False] | None = False  # False: unread

    @property
    def text(self) -> bytes:
        """The document's JSON bytes (a copy, when they are a part of the file's buffer)."""
        buf = self._buf
        if self._start == 0 and self._end == len(buf):
            return buf
        return buf[self._start : self._end]

    def view(self) -> memoryview:
        """The document's bytes without a copy (to write them out)."""
        return memoryview(self._buf)[self._start : self._end]

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

    def index_fields(self) -> tuple[str, str, str, str] | None:
        """(uid, kind, created, day) read off the start of the bytes, or None."""
        if self._fields is False:
            # Remembered: the index is rebuilt after every write, the bytes never change.
            match = _PREFIX.match(self._buf, self._start, self._end)
            if match is None:
                self._fields = None
            else:
                uid, kind, created, day = match.group("uid", "kind", "created", "day")
                self._fields = (uid.decode(), kind.decode(), created.decode(), day.decode())
        return self._fields or None


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
            doc: dict[str, Any] = value  # a document written this session
            return doc
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

    def get(self, doc_id: str, default: Any = None) -> Any:
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


def encode_database(data: Mapping[str, Mapping[str, Any]]) -> bytes:
    """The file's bytes in the one-document-per-line layout (plain JSON)."""
    return b"".join(encode_pieces(data))


def encode_pieces(data: Mapping[str, Mapping[str, Any]]) -> list[bytes | memoryview]:
    """:func:`encode_database` as the pieces to write one after the other.

    A document still held as bytes is written as it was read; others are serialised once
    with orjson. Documents still lying one after the other in the buffer they were read from,
    with their ids between them, become one piece of that buffer: an unchanged journal is a
    handful of pieces, written straight from the buffer, instead of one piece per document
    joined into a copy of the file first (36,500 entries: a save in the app took ~0.2 s that
    way, ~0.12 s this way).
    """
    parts: list[bytes | memoryview] = [b"{\n"]
    for t, (name, table) in enumerate(data.items()):
        if t:
            parts.append(b",\n")
        parts.append(orjson.dumps(str(name)) + b":{\n")
        head = b'"'
        run_buf: bytes | None = None  # the run of documents in one buffer, as [start, end)
        run_start = run_end = 0
        for doc_id, doc in table.items():
            key = head + str(doc_id).encode("ascii") + b'":'
            head = b',\n"'
            if type(doc) is RawDoc:
                if doc._buf is run_buf and run_buf[run_end : doc._start] == key:
                    run_end = doc._end  # the next document, its id between them as written
                    continue
                if run_buf is not None:
                    parts.append(memoryview(run_buf)[run_start:run_end])
                parts.append(key)
                run_buf, run_start, run_end = doc._buf, doc._start, doc._end
                continue
            if run_buf is not None:
                parts.append(memoryview(run_buf)[run_start:run_end])
                run_buf = None
            parts.append(key)
            parts.append(orjson.dumps(doc))
        if run_buf is not None:
            parts.append(memoryview(run_buf)[run_start:run_end])
        parts.append(b"\n}" if table else b"}")
    parts.append(b"\n}\n")
    return parts


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


def check_raw_docs(data: Mapping[str, Mapping[str, Any]], path: Path) -> None:
    """Parse every document still held as bytes; DatabaseError on the first that fails."""
    for name, table in data.items():
        for doc_id, doc in table.items():
            if type(doc) is not RawDoc or doc.checked:
                continue
            try:
                doc.parse()
            except ValueError as exc:
                raise DatabaseError(
                    f"The journal {path} cannot be written: document {doc_id} of table "
                    f"{name!r} does not parse ({exc}).",
                    RESTORE_HINT,
                ) from None
