"""The journal file read in a thread while a command is still starting.

A command that reads the journal spends its first tens of milliseconds importing what it
needs, on one core, and then reads the file: at 36,500 entries (78 MB) the read alone takes
~40 ms, nearly all of it the kernel filling fresh memory. Started as soon as the command
line is parsed, the read runs on another core meanwhile (``os.pread`` lets go of the GIL).

The storage takes the bytes only when the file at the path is still the very file read
(same inode, size and modification time, see :func:`take`); otherwise it reads the file
itself as before. So using a prefetch is the same as having loaded a moment earlier, which a
reader can never tell from the file being replaced a moment later.

Only ``os``, ``stat`` and ``threading`` are imported here (all loaded at start-up already):
the thread must start before the heavier modules load.
"""

from __future__ import annotations

import os
import stat
import threading

#: Commands whose first real work is reading the whole journal.
READS_JOURNAL = frozenset({"add", "list", "export", "import", "due", "done", "stats"})
#: The app (no command, ``today``, ``checkin``) reads it too, while Textual is imported.
STARTS_APP = frozenset({None, "today", "checkin"})

#: Reads started and not yet taken, newest last.
_pending: list[_Prefetch] = []


class _Read:
    """What one early read got: the real path, the identity of the file read, its bytes.

    (A plain class: importing dataclasses would cost more than the read can save.)"""

    __slots__ = ("data", "identity", "target")

    def __init__(self, target: str, identity: tuple[int, int, int], data: bytes) -> None:
        self.target = target
        self.identity = identity
        self.data = data


class _Prefetch:
    """One file read in a daemon thread; :meth:`result` waits for it."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._read: _Read | None = None
        self._thread = threading.Thread(target=self._run, name="journal-prefetch", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            target = os.path.realpath(self.path)
            # Non-blocking: opening a named pipe must not wait here for a writer.
            fd = os.open(target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        except (OSError, ValueError):
            return  # the storage opens it itself and says what is wrong
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                return  # only a regular file is read ahead
            data = read_fd(fd, st.st_size)
        except (OSError, MemoryError):
            return
        finally:
            os.close(fd)
        self._read = _Read(target, (st.st_ino, st.st_size, st.st_mtime_ns), data)

    def result(self) -> _Read | None:
        """The read, once the thread is done; None when it failed."""
        self._thread.join()
        return self._read


def read_fd(fd: int, size: int) -> bytes:
    """The whole file open as ``fd`` from its start, in one allocation when ``size`` (from
    fstat) is still right: one byte more is asked for to notice a file that grew."""
    first = os.pread(fd, size + 1, 0)
    parts = [first]
    offset = len(first)
    while True:
        more = os.pread(fd, 1 << 20, offset)
        if not more:
            break
        parts.append(more)
        offset += len(more)
    return first if len(parts) == 1 else b"".join(parts)


def start(path: os.PathLike[str] | str) -> None:
    """Begin reading the file at ``path`` in a thread (POSIX; elsewhere nothing happens).

    A path already being read is not read twice."""
    path = os.path.abspath(os.path.expanduser(os.fspath(path)))
    if hasattr(os, "pread") and all(p.path != path for p in _pending):
        _pending.append(_Prefetch(path))


def scan_command_line(args: list[str]) -> tuple[str | None, str | None, bool]:
    """(the subcommand, ``--db``'s value, whether help, version or the demo is asked for).

    A quick look before argparse: the first word that is not an option is the command, unless
    a help, version or demo option or ``--`` comes first (then None). Both the early read and
    :func:`journal.cli.build_parser` (which builds only the command named) use it; a wrong
    guess costs either of them time, never a wrong result.
    """
    db: str | None = None
    command: str | None = None
    special = False
    words = iter(args)
    for word in words:
        if word == "--":
            break
        if word in ("-h", "--help", "--version", "--demo"):
            special = True
        elif word == "--db":
            db = next(words, None)
        elif word.startswith("--db="):
            db = word[len("--db=") :]
        elif command is None and not special and not word.startswith("-"):
            command = word
    return command, db, special


def journal_named_by(args: list[str]) -> str | None:
    """The journal file the command line ``args`` will read first, or None.

    The console script starts the read with it (launch.py): ``--db`` names the file, else
    ``$JOURNAL_DB`` or the default. A guess that turns out wrong costs a read in the
    background and nothing else: :func:`take` hands out only the file the storage asks for.
    """
    command, db, special = scan_command_line(args)
    if special or (command not in READS_JOURNAL and command not in STARTS_APP):
        return None
    if db:
        return db
    from journal.paths import default_db_path

    return str(default_db_path())


def waiting() -> bool:
    """Whether a read was started and not yet taken."""
    return bool(_pending)


def take(
    target: str, identity: tuple[int, int, int] | None
) -> tuple[tuple[int, int, int], bytes] | None:
    """The identity and bytes of an early read of ``target`` (a real path), if one was
    started and the file there is still the one read (``identity``: its identity now).

    Every read started is waited for and forgotten, so no thread outlives the first load
    (a fork, see export_parallel.py, needs a process with no other thread).
    """
    found: _Read | None = None
    while _pending:
        read = _pending.pop().result()
        if found is None and read is not None and read.target == target:
            found = read
    if found is None or identity != found.identity:
        return None
    return found.identity, found.data


def forget() -> None:
    """Wait for and drop every read not taken (a command that never loaded the journal)."""
    while _pending:
        _pending.pop().result()
