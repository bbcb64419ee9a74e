"""Reading a file journal did not necessarily write: only a regular file, never a hang.

A FIFO, a device or a socket put where a journal, a backup or an import was expected would
make a plain ``read_bytes()`` wait for ever (or read without end); this opens the path
without blocking, looks at what the open descriptor is, and reads only a regular file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from journal.errors import DatabaseError

#: O_NONBLOCK does not exist on Windows, which has no FIFOs in the file system either.
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
#: Where the system has it: open a path only if its last part is not a symbolic link.
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)


class FileTooLarge(DatabaseError):
    """A file is larger than the most journal reads from it; nothing was read."""


def size_text(size: int) -> str:
    """``512 MB``, ``16 MB``, ``64 KB``: a size cap in words (binary units, as it is counted)."""
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if size >= scale and size % scale == 0:
            return f"{size // scale} {unit}"
    return f"{size:,} bytes"


def open_regular_file(path: Path, *, follow_symlinks: bool = True) -> BinaryIO:
    """``path`` opened for reading if it is a regular file, without ever blocking.

    ``OSError`` as ``open`` raises it (missing file, permission, or with ``follow_symlinks``
    false a symbolic link: ``ELOOP``), ``IsADirectoryError`` for a folder,
    :class:`DatabaseError` for anything else that is not a regular file (a pipe, a device).
    """
    fd = os.open(path, _FLAGS | (0 if follow_symlinks else _NOFOLLOW))
    handle = open(fd, "rb")  # noqa: SIM115 - returned open, or closed below
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(str(path))
        if not stat.S_ISREG(st.st_mode):
            raise DatabaseError(
                f"{path} is not a regular file (a pipe, device or socket), so it was not read.",
                "Point journal at a file such as journal.json.",
            )
    except BaseException:
        handle.close()
        raise
    return handle


def read_regular_file(
    path: Path, limit: int = -1, *, follow_symlinks: bool = True
) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at ``path`` (at most ``limit``) and its status.

    The status comes from the open descriptor, so it describes the file read even if another
    process swaps a new one in meanwhile. Errors as :func:`open_regular_file`.
    """
    with open_regular_file(path, follow_symlinks=follow_symlinks) as handle:
        st = os.fstat(handle.fileno())
        return _read_at_most(handle, st, limit), st


def _read_at_most(handle: BinaryIO, st: os.stat_result, limit: int) -> bytes:
    """``handle.read(limit)`` without asking for ``limit`` bytes of memory up front (Python
    allocates what ``read(n)`` is asked for): as much as the file holds, one byte more to see
    whether it grew, then the rest a megabyte at a time up to ``limit``."""
    if limit < 0:
        return handle.read()
    first = handle.read(min(limit, st.st_size + 1))
    if len(first) >= limit or len(first) <= st.st_size:
        return first
    parts = [first]
    total = len(first)
    while total < limit:
        piece = handle.read(min(1 << 20, limit - total))
        if not piece:
            break
        parts.append(piece)
        total += len(piece)
    return b"".join(parts)


def read_capped(
    path: Path, cap: int, *, follow_symlinks: bool = True, hint: str = ""
) -> tuple[bytes, os.stat_result]:
    """:func:`read_regular_file`, refusing a file larger than ``cap`` bytes with
    :class:`FileTooLarge` (its message names the cap). Never reads more than ``cap + 1``."""
    raw, st = read_regular_file(path, cap + 1, follow_symlinks=follow_symlinks)
    if len(raw) > cap:
        raise FileTooLarge(
            f"{path} is larger than {size_text(cap)}, the most journal reads from such a "
            "file, so it was not read.",
            hint,
        )
    return raw, st


def read_bytes(path: Path) -> bytes:
    """:func:`read_regular_file` without the status: a drop-in for ``Path.read_bytes``."""
    return read_regular_file(path)[0]
