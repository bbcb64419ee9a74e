"""What went wrong, in plain words: the one line the CLI prints for a failure it did not expect.

Commands raise :class:`~journal.errors.JournalError` for what they foresee. Anything else that
reaches the top (a full disk, a read-only folder, a file nested too deeply to read, memory
running out) is turned here into a message and a hint instead of a traceback. Every write to
the journal is atomic, so a failed one leaves the journal as it was, and the hint can say so.
"""

from __future__ import annotations

import errno

__all__ = ["TRACEBACK_ENV", "describe_failure"]

#: Set to show the Python traceback of an unexpected failure (for a bug report).
TRACEBACK_ENV = "JOURNAL_TRACEBACK"

_UNCHANGED = "A failed write never changes the journal: it holds what it held before."


def describe_failure(exc: BaseException, *, journal: str | None) -> tuple[str, str]:
    """The message and the hint for ``exc``; ``journal`` is the journal file the command
    was using, named when the error itself names no file."""
    if isinstance(exc, OSError):
        return _os_failure(exc, journal)
    if isinstance(exc, RecursionError):
        return (
            f"A file is nested too deeply to read{_while(journal)}.",
            "Nesting that deep is not something journal writes: check the file for damage. "
            + _UNCHANGED,
        )
    if isinstance(exc, MemoryError):
        return (
            f"There was not enough memory to finish{_while(journal)}.",
            "Close other programs, or work on a smaller file, and run the command again. "
            + _UNCHANGED,
        )
    if isinstance(exc, UnicodeError):
        return (
            f"Some text is not valid Unicode (for example a lone surrogate){_while(journal)}: "
            f"{exc}.",
            "Check the file for damage or a wrong encoding. " + _UNCHANGED,
        )
    return (
        f"Something went wrong that journal did not expect: {type(exc).__name__}: {exc}",
        f"Please report it with the command you ran ({TRACEBACK_ENV}=1 shows the details). "
        + _UNCHANGED,
    )


def _while(journal: str | None) -> str:
    return f" while working on {journal}" if journal else ""


def _os_failure(exc: OSError, journal: str | None) -> tuple[str, str]:
    name = exc.filename if exc.filename is not None else journal
    where = f" {name}" if name is not None else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return (
            f"The disk is full: there was no room to write{where}.",
            "Free some space, then run the command again. " + _UNCHANGED,
        )
    if exc.errno == errno.EROFS:
        return (
            f"{where.strip() or 'The file'} is on a read-only file system: nothing can be "
            "written there.",
            "Mount it read-write, or point --db (or $JOURNAL_DB) at a journal on a writable "
            "disk. " + _UNCHANGED,
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (
            f"Permission denied: journal may not use{where}.",
            "journal needs to read and write the file and write in its folder: check both "
            "with `ls -l`, or point --db at a journal you own. " + _UNCHANGED,
        )
    reason = exc.strerror or str(exc) or type(exc).__name__
    return (
        f"{reason}:{where}." if where else f"{reason}.",
        "Check the file and its folder, then run the command again. " + _UNCHANGED,
    )
