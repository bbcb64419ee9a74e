"""A TinyDB storage that never tears, never clobbers and keeps the parsed file in memory.

TinyDB's stock ``JSONStorage`` rewrites the file in place, so a kill mid-write leaves broken
JSON. :class:`SafeJSONStorage` instead:

- writes a temp file in the same folder, flushes, fsyncs, ``os.replace``-s it over the
  journal and fsyncs the folder: a kill at any instant leaves the old file or the new one;
- keeps the parsed database in memory and serialises once per write with orjson;
- refuses to read a file it cannot parse exactly (byte-order mark, invalid UTF-8, bad JSON,
  wrong shape) and then never writes over it;
- remembers the identity of the file it read (inode, size, mtime) and re-reads it when
  another process has replaced it, so a write applies to the latest data;
- writes through a symlink to its target, so a symlinked journal stays a symlink.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from journal.errors import DatabaseError
from journal.paths import ensure_private_dir

TEMP_SUFFIX = ".tmp"
_RESTORE_HINT = (
    "The file has not been changed. Run `journal doctor` for details, restore a backup with "
    "`journal restore --list`, or move the file aside to start a new journal."
)


def temp_prefix(target: Path) -> str:
    """Temp files of one journal share this prefix so leftovers can be found and removed."""
    return f".{target.name}."


def fsync_dir(folder: Path) -> None:
    """fsync a directory so a rename inside it is durable (no-op where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(target: Path, data: bytes, mode: int = 0o600) -> None:
    """Write ``data`` to ``target`` so that readers see the old or the new file, never a mix."""
    folder = target.parent
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=folder)
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_dir(folder)


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
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise DatabaseError(
            f"The journal {path} is not valid UTF-8 (bad byte at offset {exc.start}).",
            _RESTORE_HINT,
        ) from None
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as exc:
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
        try:
            with open(target, "rb") as handle:
                # The identity of the very file read, from the open handle. A stat() after
                # reading could describe a newer file another process swapped in meanwhile;
                # we would then take its identity for ours, never reload, and our next write
                # would silently drop its entries (found by tests/test_crash_harness.py).
                st = os.fstat(handle.fileno())
                raw = handle.read()
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
            data = decode_database(raw, target)
            identity = (st.st_ino, st.st_size, st.st_mtime_ns)
        self._identity = identity
        self._data = data
        self.reloads += 1
        return data

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
            payload = orjson.dumps(data)
            atomic_write_bytes(target, payload)
        except BaseException:
            # TinyDB mutated our cache before calling write; the disk still holds the old
            # file, so forget memory and let the next read take the truth from disk.
            self._data = None
            self._identity = None
            raise
        self._data = data
        self._identity = file_identity(target)

    def close(self) -> None:
        """Nothing to release: every write is already on disk."""
        self._data = None

    def remove_leftover_temp_files(self) -> list[Path]:
        """Delete temp files left by a killed writer. Call only while holding the write lock."""
        target = self.target
        removed: list[Path] = []
        try:
            candidates = list(target.parent.glob(f"{temp_prefix(target)}*{TEMP_SUFFIX}"))
        except OSError:
            return removed
        for leftover in candidates:
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed.append(leftover)
        return removed
