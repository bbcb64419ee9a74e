"""Reading a file journal did not necessarily write: only a regular file, never a hang.

A FIFO, a device or a socket put where a journal, a backup or an import was expected would
make a plain ``read_bytes()`` wait for ever (or read without end). The reading itself is the
domain's (journal/safe_read.py: opened without blocking, the open descriptor looked at, only
a regular file read); here a path that is no regular file is a :class:`DatabaseError`, as
the store's callers expect.
"""

from __future__ import annotations

import os
from pathlib import Path

from journal.errors import DatabaseError
from journal.safe_read import NotRegularFileError
from journal.safe_read import read_regular_file as _read_regular_file


def read_regular_file(path: Path, limit: int = -1) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at ``path`` (at most ``limit``) and its status.

    The status comes from the open descriptor, so it describes the file read even if another
    process swaps a new one in meanwhile. ``OSError`` as ``open`` raises it (missing file,
    permission), ``IsADirectoryError`` for a folder, :class:`DatabaseError` for anything else
    that is not a regular file.
    """
    try:
        return _read_regular_file(path, limit)
    except NotRegularFileError as exc:
        raise DatabaseError(
            f"{path} is not a regular file ({exc.kind}), so it was not read.",
            "Point journal at a file such as journal.json.",
        ) from None


def read_bytes(path: Path) -> bytes:
    """:func:`read_regular_file` without the status: a drop-in for ``Path.read_bytes``."""
    return read_regular_file(path)[0]
