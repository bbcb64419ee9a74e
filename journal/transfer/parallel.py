"""A whole-journal Markdown export rendered by several processes side by side.

Rendering is pure Python work per entry (parse, check, escape, join), so one process uses one
core. The journal, oldest first, is cut into chunks of :data:`CHUNK` entries, and the chunks
are handed out as the processes ask for them: this process takes them from the front and
writes them straight into the export; forked workers take them from the back, each into a
temp file of its own. So whichever process runs slower (on a shared machine one often does)
just renders fewer chunks, and all finish within a chunk of each other. This process then
appends the workers' chunks in order, adding the year and month headings where one chunk's
last entry and the next one's first differ. The result is byte for byte the single-process
export (tests/test_export_parallel.py).

Forking copies the loaded journal for free (copy-on-write), so nothing is read twice. It is
only done in a process with no other threads (the command line; the app exports in one
process), and a worker that fails fails the whole export before anything replaces the file.
"""

from __future__ import annotations

import contextlib
import gc
import mmap
import os
import signal
import struct
import tempfile
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson

from journal.store.atomic import TEMP_SUFFIX, temp_prefix
from journal.transfer.export import (
    ExportError,
    Outline,
    _render_bytes,
    export_header,
    iter_sections,
    write_batched,
    year_month_headings,
)

if TYPE_CHECKING:
    from journal.store import Store
    from journal.transfer.export import _Progress

#: More processes than this do not pay: joining the parts and start-up start to dominate.
MAX_WORKERS = 4
#: Entries handed out at a time: ~2 ms of rendering, so the processes end that close together;
#: a claim costs two system calls.
CHUNK = 64


def available_workers(limit: int = MAX_WORKERS) -> int:
    """How many processes an export may use here: the CPUs this process may run on."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, limit))


def can_fork() -> bool:
    """Whether this process may fork workers: POSIX, and no other thread running (a fork
    copies only the calling thread, so a lock another thread holds would stay held)."""
    return hasattr(os, "fork") and threading.active_count() == 1


class _Claims:
    """Which chunks are taken, shared by every process: this one takes from the front, the
    workers from the back, under a lock, until the two ends meet.

    The two counters live in a shared anonymous mapping; the lock is a POSIX record lock on
    the export's temp file, which the kernel drops if its holder dies (so a killed worker
    cannot leave the others waiting).
    """

    def __init__(self, chunks: int, lock_fd: int) -> None:
        import fcntl  # POSIX, as fork is (see can_fork): imported where it is used

        self._lockf = fcntl.lockf
        self._exclusive, self._unlock = fcntl.LOCK_EX, fcntl.LOCK_UN
        self._shared = mmap.mmap(-1, 16)
        self._lock_fd = lock_fd
        self._set(0, chunks)

    def _get(self) -> tuple[int, int]:
        return struct.unpack_from("qq", self._shared)  # type: ignore[return-value]

    def _set(self, front: int, back: int) -> None:
        struct.pack_into("qq", self._shared, 0, front, back)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        # A byte past any export's end: locking it never touches what is written.
        self._lockf(self._lock_fd, self._exclusive, 1, 1 << 62)
        try:
            yield
        finally:
            self._lockf(self._lock_fd, self._unlock, 1, 1 << 62)

    def reserve_back(self, count: int) -> list[int]:
        """The last ``count`` chunks, set aside before any worker starts (one each, so every
        worker has work however quickly this process goes)."""
        front, back = self._get()
        count = max(0, min(count, back - front))
        self._set(front, back - count)
        return list(range(back - 1, back - 1 - count, -1))

    def take_front(self) -> int | None:
        """The next chunk from the front, or None when none is left."""
        with self._locked():
            front, back = self._get()
            if front >= back:
                return None
            self._set(front + 1, back)
            return front

    def take_back(self) -> int | None:
        """The next chunk from the back, or None when none is left."""
        with self._locked():
            front, back = self._get()
            if front >= back:
                return None
            self._set(front, back - 1)
            return back - 1


@dataclass
class _Part:
    """One chunk a worker rendered: where it is in the worker's file, and its outline."""

    chunk: int
    offset: int
    length: int
    count: int
    first: tuple[int, int] | None
    last: tuple[int | None, int | None]


@dataclass
class _Worker:
    """One forked process rendering chunks into its own temp file."""

    pid: int
    report_fd: int
    part_fd: int
    part_path: str
    finished: bool = False
    parts: list[_Part] = field(default_factory=list)

    def report(self) -> dict[str, Any]:
        """The worker's report, read to its end (the worker closes the pipe once it is
        written, before it exits); ExportError when it failed."""
        chunks: list[bytes] = []
        while True:
            chunk = os.read(self.report_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
        try:
            report = orjson.loads(b"".join(chunks)) if chunks else {}
        except orjson.JSONDecodeError:
            report = {}
        if "parts" not in report:
            why = report.get("error")
            if why is None:
                self.reap()  # no word from it: its exit status says what happened
                why = "it stopped without a word"
            raise _failed(why)
        self.parts = [
            _Part(p[0], p[1], p[2], p[3], tuple(p[4]) if p[4] else None, (p[5][0], p[5][1]))
            for p in report["parts"]
        ]
        return report

    def reap(self) -> None:
        """Wait for the worker to exit; ExportError unless it exited cleanly."""
        if self.finished:
            return
        _, status = os.waitpid(self.pid, 0)
        self.finished = True
        code = os.waitstatus_to_exitcode(status)
        if code != 0:
            raise _failed(f"it stopped with status {code}")

    def discard(self) -> None:
        """Stop the worker if it still runs, and remove its temp file."""
        if not self.finished:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(self.pid, 0)
            self.finished = True
        for fd in (self.report_fd, self.part_fd):
            with contextlib.suppress(OSError):
                os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(self.part_path)


def _failed(why: str) -> ExportError:
    return ExportError(
        f"The export could not be written: a worker process failed ({why}). Nothing was written.",
        "Try again; `journal export --jobs 1` renders in this process alone.",
    )


def _start(
    store: Store,
    chunks: list[Sequence[int]],
    claims: _Claims,
    first: int,
    restore: bool,
    target: Path,
) -> _Worker:
    """Fork a process that renders chunk ``first``, then what it can take from the back."""
    part_fd, part_path = tempfile.mkstemp(
        prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=target.parent
    )
    report_r, report_w = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        for fd in (part_fd, report_r, report_w):
            os.close(fd)
        os.unlink(part_path)
        raise
    if pid == 0:  # pragma: no cover - runs in the child (its results are checked)
        _run_child(store, chunks, claims, first, restore, part_fd, report_r, report_w)
    os.close(report_w)
    return _Worker(pid, report_r, part_fd, part_path)


def _run_child(
    store: Store,
    chunks: list[Sequence[int]],
    claims: _Claims,
    first: int,
    restore: bool,
    part_fd: int,
    report_r: int,
    report_w: int,
) -> None:  # pragma: no cover - runs in the child
    """Render chunks into ``part_fd``, report on ``report_w``, and leave at once."""
    status = 1
    try:
        # Ctrl-C reaches the whole process group: a worker just stops (the parent cleans up).
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        # Nothing here makes cycles; a full collection would touch (and so copy) every
        # object the parent loaded.
        gc.disable()
        os.close(report_r)
        known = len(store.invalid)
        parts: list[list[Any]] = []
        with os.fdopen(part_fd, "wb", closefd=False) as out:
            chunk: int | None = first
            while chunk is not None:
                offset = out.tell()
                outline = Outline(head_first=False)
                pairs = store.iter_entries_json(ids=chunks[chunk])
                write_batched(out, iter_sections(pairs, restore, _render_bytes, outline))
                length = out.tell() - offset
                last = [outline.year, outline.month]
                parts.append([chunk, offset, length, outline.count, outline.first, last])
                chunk = claims.take_back()
        report = {
            "parts": parts,
            "invalid": [[i.doc_id, i.uid, i.problem] for i in store.invalid[known:]],
        }
        _write_all(report_w, orjson.dumps(report))
        os.close(report_w)  # the parent reads to the end now, not once this process is gone
        status = 0
    except BaseException as exc:  # every failure is reported, then the worker leaves
        with contextlib.suppress(BaseException):
            _write_all(report_w, orjson.dumps({"error": f"{type(exc).__name__}: {exc}"}))
    finally:
        os._exit(status)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _append_range(source_fd: int, offset: int, size: int, out: IO[bytes]) -> None:
    """Append ``size`` bytes of file ``source_fd`` from ``offset`` to ``out`` (flushed
    first), in the kernel when it can (sendfile), else through a buffer."""
    out.flush()
    dest = out.fileno()
    end = offset + size
    try:
        while offset < end:
            sent = os.sendfile(dest, source_fd, offset, end - offset)
            if sent == 0:
                break
            offset += sent
    except OSError:
        pass
    while offset < end:
        chunk = os.pread(source_fd, min(1 << 20, end - offset), offset)
        if not chunk:
            break
        out.write(chunk)
        offset += len(chunk)
    out.flush()
    if offset != end:
        raise ExportError(
            "The export could not be written: a part of it could not be copied. "
            "Nothing was written.",
            "Try again; `journal export --jobs 1` renders in this process alone.",
        )


def write_in_parallel(
    store: Store, out: IO[bytes], target: Path, restore: bool, workers: int, counter: _Progress
) -> bool:
    """Write the whole journal's one-file export to ``out`` with ``workers`` processes.

    False, with nothing written, when this process cannot fork (see :func:`can_fork`).
    """
    if not can_fork():
        return False
    from journal.store import InvalidEntry

    ids = store.entry_ids(oldest_first=True)
    chunks = [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
    out.flush()
    claims = _Claims(len(chunks), out.fileno())
    firsts = claims.reserve_back(max(0, min(workers, len(chunks)) - 1))
    children: list[_Worker] = []
    # After a fork every page both processes share is copied when either writes to it, and
    # a full garbage collection writes to every object: keep the loaded journal out of the
    # collector's reach (rendering makes no cycles) until the export is written.
    gc.freeze()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for first in firsts:
            children.append(_start(store, chunks, claims, first, restore, target))
        outline = Outline()
        out.write(export_header("Journal", restore).encode("utf-8"))
        pairs = counter.counted(store.iter_entries_json(ids=_front_ids(chunks, claims)))
        write_batched(out, iter_sections(pairs, restore, _render_bytes, outline))
        invalid: list[tuple[int, list[Any]]] = []
        parts: list[tuple[_Part, _Worker]] = []
        for child in children:
            report = child.report()
            parts += [(part, child) for part in child.parts]
            invalid += [(_chunk_of(bad[0], chunks, child.parts), bad) for bad in report["invalid"]]
        for part, child in sorted(parts, key=lambda pair: pair[0].chunk):
            if part.first is not None:
                out.write(year_month_headings(*part.first, outline).encode("utf-8"))
                outline.year, outline.month = part.last
            _append_range(child.part_fd, part.offset, part.length, out)
            counter.add(part.count)
        for _, (doc_id, uid, problem) in sorted(invalid, key=lambda pair: pair[0]):
            store.invalid.append(InvalidEntry(doc_id, uid, problem))
        for child in children:
            child.reap()
    finally:
        for child in children:
            child.discard()
        if was_enabled:
            gc.enable()
        gc.unfreeze()
    return True


def _front_ids(chunks: list[Sequence[int]], claims: _Claims) -> Iterator[int]:
    """The ids of the chunks this process takes from the front, in order, as it goes."""
    while (chunk := claims.take_front()) is not None:
        yield from chunks[chunk]


def _chunk_of(doc_id: int, chunks: list[Sequence[int]], parts: list[_Part]) -> int:
    """Which of ``parts``' chunks holds ``doc_id`` (to report invalid entries in order)."""
    for part in parts:
        if doc_id in chunks[part.chunk]:
            return part.chunk
    return len(chunks)
