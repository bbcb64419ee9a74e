"""Reading a file without hanging: regular files only, opened without blocking, size capped.

A FIFO put where a config file, a prompt pack or a draft was expected would make a plain
``read_bytes()`` wait for ever for a writer; a symlink to ``/dev/zero`` would read until
memory runs out. :func:`read_regular_file` opens the path without blocking, looks at what the
open descriptor is, and reads only a regular file; :func:`read_capped` also refuses one
larger than a stated cap, reading no more than the cap and one byte.

Both raise ``OSError`` subclasses, so a caller that already says "cannot be read" for a
missing or forbidden file says it for these too, with :attr:`strerror` in plain words. This
module is the domain's (journal/config.py and journal/prompts.py read through it);
journal/store/files.py builds the store's reader on it.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

#: O_NONBLOCK does not exist on Windows, which has no FIFOs in the file system either.
_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


class NotRegularFileError(OSError):
    """The path is a FIFO, a device or a socket: nothing was read from it."""

    def __init__(self, path: Path, kind: str) -> None:
        super().__init__(errno.EINVAL, f"it is {kind}, not a regular file", str(path))
        #: ``"a named pipe (FIFO)"``, ``"a device"``, ``"a socket"``.
        self.kind = kind


class FileTooLargeError(OSError):
    """The file is larger than the cap its reader states: it was not read."""

    def __init__(self, path: Path, cap: int) -> None:
        super().__init__(errno.EFBIG, f"it is larger than {describe_size(cap)}", str(path))
        self.cap = cap


def describe_size(size: int) -> str:
    """``1 MB``, ``4 MB``, ``64 KB`` (binary units, as the caps are stated)."""
    if size >= 2**20 and size % 2**20 == 0:
        return f"{size // 2**20} MB"
    if size >= 2**10 and size % 2**10 == 0:
        return f"{size // 2**10} KB"
    return f"{size} bytes"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def read_regular_file(path: Path, limit: int = -1) -> tuple[bytes, os.stat_result]:
    """The bytes of the regular file at ``path`` (at most ``limit``) and its status.

    The status comes from the open descriptor, so it describes the file read even if another
    process swaps a new one in meanwhile. ``OSError`` as ``open`` raises it (missing file,
    permission), ``IsADirectoryError`` for a folder, :class:`NotRegularFileError` for anything
    else that is not a regular file (opening a FIFO this way never waits for a writer).
    """
    fd = os.open(path, _FLAGS)
    with open(fd, "rb") as handle:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "it is a folder, not a file", str(path))
        if not stat.S_ISREG(st.st_mode):
            raise NotRegularFileError(path, _kind(st.st_mode))
        return handle.read(limit), st


def read_capped(path: Path, cap: int) -> bytes:
    """The bytes of the regular file at ``path``, refused (:class:`FileTooLargeError`) when
    it holds more than ``cap`` bytes; never more than ``cap + 1`` bytes are read, so a file
    that grows while it is read cannot make it read without end."""
    raw, st = read_regular_file(path, cap + 1)
    if len(raw) > cap or st.st_size > cap:
        raise FileTooLargeError(path, cap)
    return raw
