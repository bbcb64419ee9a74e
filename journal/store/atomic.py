"""Atomic writes: the one way journal puts a file on disk.

A temp file in the same folder (so the rename never crosses a file system), written,
flushed and fsynced, then ``os.replace``-d over the target and the folder fsynced: a kill at
any instant leaves the old file or the new one, never a torn one. The journal, its backups,
drafts, settings and exports all go through here.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any, Literal, overload

from journal.errors import DatabaseError

#: Every temp file ends so; leftovers of a killed write are found by it (and their prefix).
TEMP_SUFFIX = ".tmp"


def temp_prefix(target: Path) -> str:
    """Temp files of one target share this prefix so leftovers can be found and removed."""
    return f".{target.name}."


def fsync_dir(folder: Path) -> None:
    """fsync a directory so a rename inside it is durable (no-op where unsupported)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder; its renames are durable without this
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def set_mode(fd: int, path: str, mode: int) -> None:
    """Give the open file ``fd`` (at ``path``) the permission bits ``mode``.

    ``os.fchmod`` exists on Windows only from Python 3.13; there ``os.chmod`` on the path does
    what Windows can (the read-only bit), which is all that mode means there.
    """
    fchmod = getattr(os, "fchmod", None)
    if fchmod is not None:
        fchmod(fd, mode)
    else:
        os.chmod(path, mode)


@overload
def atomic_writer(
    target: Path, *, mode: int = ..., binary: Literal[False] = ..., durable: bool = ...
) -> contextlib.AbstractContextManager[IO[str]]: ...
@overload
def atomic_writer(
    target: Path, *, mode: int = ..., binary: Literal[True], durable: bool = ...
) -> contextlib.AbstractContextManager[IO[bytes]]: ...
def atomic_writer(
    target: Path, *, mode: int = 0o600, binary: bool = False, durable: bool = True
) -> contextlib.AbstractContextManager[IO[str]] | contextlib.AbstractContextManager[IO[bytes]]:
    """A file handle whose content replaces ``target`` atomically when the block ends.

    Text is UTF-8 with ``newline=""`` (a ``"\\r\\n"`` in a body is written as it is, on every
    platform). If the block raises, the temp file is removed and ``target`` is untouched.
    ``durable=False`` skips the fsyncs, for a caller that makes many files durable at once.
    """
    writer: contextlib.AbstractContextManager[IO[Any]] = _atomic_writer(
        target, mode=mode, binary=binary, durable=durable
    )
    return writer


@contextlib.contextmanager
def _atomic_writer(
    target: Path, *, mode: int, binary: bool, durable: bool
) -> Iterator[IO[str] | IO[bytes]]:
    folder = target.parent
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=folder)
    try:
        try:
            set_mode(fd, tmp_name, mode)
        except BaseException:
            os.close(fd)
            raise
        handle: IO[str] | IO[bytes] = (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="")
        )
        with handle:
            yield handle
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    if durable:
        fsync_dir(folder)


def atomic_write_bytes(
    target: Path, data: bytes | Sequence[bytes | memoryview], mode: int = 0o600
) -> None:
    """Write ``data``, or its pieces one after the other, to ``target``: readers see the old
    or the new file, never a mix."""
    with atomic_writer(target, mode=mode, binary=True) as handle:
        if isinstance(data, bytes):
            handle.write(data)
        else:
            for piece in data:
                handle.write(piece)


class WriteFailedError(DatabaseError):
    """A write did not reach the disk (full, read-only, not allowed); nothing was changed.

    ``reason`` is the cause in plain words (``"the disk is full"``), for a caller that says
    more around it (the app keeps the text and says how to try again).
    """

    def __init__(self, message: str, hint: str, reason: str) -> None:
        super().__init__(message, hint)
        self.reason = reason


def failure_reason(exc: OSError) -> str:
    """Why a write failed, in plain words: ``"the disk is full"``, ``"permission denied"``..."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return "the disk is full"
    if exc.errno == errno.EROFS:
        return "the disk is read-only"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return (exc.strerror or str(exc) or type(exc).__name__).lower()


def write_failed(exc: OSError, target: Path, what: str = "The journal") -> WriteFailedError:
    """The error to raise when writing ``what`` at ``target`` failed with ``exc``."""
    reason = failure_reason(exc)
    folder = Path(target).parent
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        hint = f"Free some space on the disk that holds {folder}, then try again."
    elif exc.errno == errno.EROFS:
        hint = f"{folder} is on a read-only disk: remount it writable, or use --db elsewhere."
    elif exc.errno in (errno.EACCES, errno.EPERM):
        hint = f"Check the owner and permissions: `ls -ld {folder} {target}`."
    else:
        hint = "Try again; if it keeps failing, run `journal doctor`."
    return WriteFailedError(f"{what} {target} could not be written: {reason}.", hint, reason)


def refuse_read_only(target: Path, what: str = "The journal") -> None:
    """Raise :class:`WriteFailedError` when the user made ``target`` read-only (chmod 400).

    The atomic write replaces the file whole, which a folder one may write in allows
    whatever the file's own mode says (and root may write anything): the mode bits are the
    user's word, so they are read, not ``os.access``. A missing file is no refusal.
    """
    import stat

    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISREG(mode) and not mode & stat.S_IWUSR:
        raise WriteFailedError(
            f"{what} {target} is read-only (its permissions say so); nothing was written.",
            f"To write to it again: chmod u+w {target}",
            "the journal is read-only",
        )
