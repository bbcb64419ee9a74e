"""The journal's write lock: an exclusive lock on a small file beside the journal.

On POSIX it is ``fcntl.flock`` on the lock file, done here in a few lines: importing the
``filelock`` package costs ~40 ms (it pulls in asyncio), which is most of what a one-shot
``journal add`` would spend on locking. ``flock`` is the very lock ``filelock`` takes on
POSIX, so the two exclude each other (an older journal, or a test holding the lock with
``filelock``, still keeps this one out). Where ``fcntl`` is missing (Windows) the lock is
``filelock.FileLock``, as before.

Behaviour the store relies on, both ways:

- reentrant within one thread (nested writes do not wait on themselves) and exclusive
  between threads and between processes;
- ``acquire(timeout=...)`` polls until the lock is free and raises :class:`LockTimeout`
  when the time is up (``timeout=0``: one try); the lock file is created 0600.
"""

from __future__ import annotations

import os
import threading
import time
from types import TracebackType
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

#: How often a waiting acquire tries again (as filelock does).
POLL_INTERVAL = 0.05


class LockTimeout(TimeoutError):
    """The lock stayed held by someone else for longer than the timeout."""

    def __init__(self, lock_file: str) -> None:
        super().__init__(f"The file lock '{lock_file}' could not be acquired.")
        self.lock_file = lock_file


class _Acquired:
    """What :meth:`WriteLock.acquire` returns: ``with lock.acquire(timeout=0): ...``."""

    def __init__(self, lock: WriteLock) -> None:
        self.lock = lock

    def __enter__(self) -> WriteLock:
        return self.lock

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.lock.release()


class WriteLock:
    """An exclusive, reentrant lock on ``path`` (see the module notes)."""

    def __init__(self, path: str | os.PathLike[str], timeout: float = -1, mode: int = 0o600):
        self.lock_file = os.fspath(path)
        #: Seconds to wait in ``with lock:`` (negative: wait for ever).
        self.timeout = timeout
        self.mode = mode
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @property
    def is_locked(self) -> bool:
        """Whether this process holds the lock."""
        return self._fd is not None

    def acquire(self, timeout: float | None = None) -> _Acquired:
        """Take the lock, waiting up to ``timeout`` seconds (default: :attr:`timeout`)."""
        wait = self.timeout if timeout is None else timeout
        deadline = None if wait < 0 else time.monotonic() + wait
        # Other threads of this process first: flock alone would let them all in if they
        # shared one descriptor.
        if not self._thread_lock.acquire(timeout=-1 if deadline is None else max(wait, 0)):
            raise LockTimeout(self.lock_file)
        if self._depth:
            self._depth += 1
            return _Acquired(self)
        try:
            self._fd = self._take(deadline)
        except BaseException:
            self._thread_lock.release()
            raise
        self._depth = 1
        return _Acquired(self)

    def _take(self, deadline: float | None) -> int:
        while True:
            fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, self.mode)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
            except BaseException:
                os.close(fd)
                raise
            else:
                # Someone deleted the lock file while we waited for it: lock the new one.
                if os.fstat(fd).st_nlink > 0:
                    return fd
                os.close(fd)
                continue
            if deadline is not None and time.monotonic() >= deadline:
                raise LockTimeout(self.lock_file)
            time.sleep(POLL_INTERVAL)

    def release(self) -> None:
        """Give the lock back (the outermost release unlocks the file)."""
        if not self._depth:
            return
        self._depth -= 1
        if not self._depth:
            fd, self._fd = self._fd, None
            if fd is not None:
                try:
                    fcntl.flock(fd, fcntl.LOCK_UN)
                finally:
                    os.close(fd)
        self._thread_lock.release()

    def __del__(self) -> None:
        # A lock nobody refers to any more is free again (as with filelock): closing the
        # descriptor drops the flock.
        fd, self._fd = getattr(self, "_fd", None), None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass

    def __enter__(self) -> WriteLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


def write_lock(path: str | os.PathLike[str], timeout: float = -1, mode: int = 0o600) -> Any:
    """The lock on ``path``: a :class:`WriteLock`, or ``filelock.FileLock`` without fcntl."""
    if fcntl is None:  # pragma: no cover - Windows
        import filelock

        return filelock.FileLock(os.fspath(path), timeout=timeout, mode=mode)
    return WriteLock(path, timeout=timeout, mode=mode)


def lock_timeouts() -> tuple[type[BaseException], ...]:
    """The exceptions a timed-out :func:`write_lock` raises (for ``except``)."""
    if fcntl is None:  # pragma: no cover - Windows
        import filelock

        return (LockTimeout, filelock.Timeout)
    return (LockTimeout,)
