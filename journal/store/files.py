"""Reading a file journal did not necessarily write: only a regular file, never a hang.

A FIFO, a device or a socket put where a journal, a backup or an import was expected would
make a plain ``read_bytes()`` wait for ever (or read without end); this opens the path
without blocking, looks at what the open descriptor is, and reads only a regular file.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from journal.errors import DatabaseError

#: O_NONBLOCK does not exist on Windows, which has no FIFOs in the file system either.
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_regular_file(path: Path, limit: int = -1) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at ``path`` (at most ``limit``) and its status.

    The status comes from the open descriptor, so it describes the file read even if another
    process swaps a new one in meanwhile. ``OSError`` as ``open`` raises it (missing file,
    permission), ``IsADirectoryError`` for a folder, :class:`DatabaseError` for anything else
    that is not a regular file.
    """
    fd = os.open(path, _FLAGS)
    with open(fd, "rb") as handle:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(str(path))
        if not stat.S_ISREG(st.st_mode):
            raise DatabaseError(
                f"{path} is not a regular file (a pipe, device or socket), so it was not read.",
                "Point journal at a file such as journal.json.",
            )
        return handle.read(limit), st


def read_bytes(path: Path) -> bytes:
    """:func:`read_regular_file` without the status: a drop-in for ``Path.read_bytes``."""
    return read_regular_file(path)[0]
