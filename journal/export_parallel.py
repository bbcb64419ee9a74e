"""A whole-journal Markdown export rendered by several processes side by side.

Rendering is pure Python work per entry (parse, check, escape, join), so one process uses one
core. The journal is split into contiguous slices, oldest first; each extra slice is rendered
by a forked process into a temp file beside the export, while this process renders the first
slice into the export itself. The slices are then joined in order, adding the year and month
headings where one slice's last entry and the next one's first differ. The result is byte
for byte the single-process export (tests/test_export_parallel.py).

Forking copies the loaded journal for free (copy-on-write), so nothing is read twice. It is
only done in a process with no other threads (the command line; the app exports in one
process), and a worker that fails fails the whole export before anything replaces the file.
"""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import tempfile
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson

from journal.export import (
    ExportError,
    Outline,
    _render_bytes,
    export_header,
    iter_sections,
    write_batched,
    year_month_headings,
)
from journal.storage import TEMP_SUFFIX, temp_prefix

if TYPE_CHECKING:
    from journal.export import _Progress
    from journal.store import Store

#: More processes than this do not pay: joining the parts and start-up start to dominate.
MAX_WORKERS = 4


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


def split(ids: Sequence[int], parts: int) -> list[Sequence[int]]:
    """``ids`` cut into ``parts`` contiguous slices of nearly equal size, in order."""
    size, extra = divmod(len(ids), parts)
    out: list[Sequence[int]] = []
    start = 0
    for n in range(parts):
        end = start + size + (1 if n < extra else 0)
        out.append(ids[start:end])
        start = end
    return out


@dataclass
class _Worker:
    """One forked process rendering a slice into its own temp file."""

    pid: int
    report_fd: int
    part_fd: int
    part_path: str
    finished: bool = False

    def finish(self) -> dict[str, Any]:
        """Wait for the worker and return its report; ExportError when it failed."""
        chunks: list[bytes] = []
        while True:
            chunk = os.read(self.report_fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
        _, status = os.waitpid(self.pid, 0)
        self.finished = True
        try:
            report = orjson.loads(b"".join(chunks)) if chunks else {}
        except orjson.JSONDecodeError:
            report = {}
        code = os.waitstatus_to_exitcode(status)
        if code != 0 or "count" not in report:
            why = report.get("error") or f"it stopped with status {code}"
            raise ExportError(
                f"The export could not be written: a worker process failed ({why}). "
                "Nothing was written.",
                "Try again; `journal export --jobs 1` renders in this process alone.",
            )
        return report

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


def _start(store: Store, ids: Sequence[int], restore: bool, target: Path) -> _Worker:
    """Fork a process that renders ``ids`` into a new temp file beside ``target``."""
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
        _run_child(store, ids, restore, part_fd, report_r, report_w)
    os.close(report_w)
    return _Worker(pid, report_r, part_fd, part_path)


def _run_child(
    store: Store, ids: Sequence[int], restore: bool, part_fd: int, report_r: int, report_w: int
) -> None:  # pragma: no cover - runs in the child
    """Render ``ids`` into ``part_fd``, report on ``report_w``, and leave at once."""
    status = 1
    try:
        # Ctrl-C reaches the whole process group: a worker just stops (the parent cleans up).
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        # Nothing here makes cycles; a full collection would touch (and so copy) every
        # object the parent loaded.
        gc.disable()
        os.close(report_r)
        known = len(store.invalid)
        outline = Outline(head_first=False)
        with os.fdopen(part_fd, "wb", closefd=False) as out:
            sections = iter_sections(
                store.iter_entries_json(ids=ids), restore, _render_bytes, outline
            )
            write_batched(out, sections)
        report = {
            "count": outline.count,
            "first": outline.first,
            "last": [outline.year, outline.month],
            "invalid": [[i.doc_id, i.uid, i.problem] for i in store.invalid[known:]],
        }
        _write_all(report_w, orjson.dumps(report))
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


def _append_file(source_fd: int, out: IO[bytes]) -> None:
    """Append the whole file ``source_fd`` to ``out`` (flushed first), in the kernel when
    it can (sendfile), else through a buffer."""
    out.flush()
    size = os.fstat(source_fd).st_size
    dest = out.fileno()
    offset = 0
    try:
        while offset < size:
            sent = os.sendfile(dest, source_fd, offset, size - offset)
            if sent == 0:
                break
            offset += sent
    except OSError:
        pass
    while offset < size:
        chunk = os.pread(source_fd, min(1 << 20, size - offset), offset)
        if not chunk:
            break
        out.write(chunk)
        offset += len(chunk)
    out.flush()
    if offset != size:
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
    slices = split(ids, max(1, min(workers, len(ids))))
    children: list[_Worker] = []
    # After a fork every page both processes share is copied when either writes to it, and
    # a full garbage collection writes to every object: keep the loaded journal out of the
    # collector's reach (rendering makes no cycles) until the export is written.
    gc.freeze()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for part in slices[1:]:
            children.append(_start(store, part, restore, target))
        outline = Outline()
        out.write(export_header("Journal", restore).encode("utf-8"))
        pairs = counter.counted(store.iter_entries_json(ids=slices[0]))
        write_batched(out, iter_sections(pairs, restore, _render_bytes, outline))
        for child in children:
            report = child.finish()
            if report["first"] is not None:
                y, m = report["first"]
                out.write(year_month_headings(y, m, outline).encode("utf-8"))
                outline.year, outline.month = report["last"]
            _append_file(child.part_fd, out)
            counter.add(report["count"])
            for doc_id, uid, problem in report["invalid"]:
                store.invalid.append(InvalidEntry(doc_id, uid, problem))
    finally:
        for child in children:
            child.discard()
        if was_enabled:
            gc.enable()
        gc.unfreeze()
    return True
