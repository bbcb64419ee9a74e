"""Rolling backups of the journal: at most one a day, the newest ``keep`` kept, all private.

Backups live in :func:`journal.paths.backups_dir` (``journal.json.backups/`` beside the
journal), folder 0700 and files 0600. Names say when they were taken, in local time:

- ``journal-2026-11-22T0930.json``: a daily or manual backup (rotated: the newest ``keep``
  stay);
- ``journal-2026-11-22T0930-before-restore.json`` and ``...-before-repair.json``: the file as
  it was just before ``journal restore`` or ``journal doctor --repair`` changed it (and
  ``before-encrypt``, ``before-decrypt``, ``before-passphrase`` for the encryption commands).
  These safety copies are never deleted automatically.

An encrypted journal's backups are byte copies, so they are encrypted too; reading one
(:func:`check_backup`, :func:`restore_backup`) takes the key (crypto.py).

The daily backup is taken by :class:`DailyBackup`, installed as ``Store.before_write``: it
runs under the journal's write lock, checks a date once per write (nothing else), and copies
the file before the first write of each day. Restoring validates the backup first and keeps
the current file aside, so nothing is ever overwritten without a copy.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from journal.errors import DatabaseBusyError, DatabaseError, JournalError
from journal.models import now_local
from journal.paths import backups_dir, ensure_private_dir
from journal.store.atomic import TEMP_SUFFIX, atomic_write_bytes, fsync_dir, refuse_read_only
from journal.store.crypto import CryptoError, PassphraseNeededError, is_encrypted, unseal
from journal.store.files import read_bytes
from journal.store.layout import decode_database
from journal.store.lock import lock_timeouts, write_lock

if TYPE_CHECKING:
    from journal.store.crypto import Key

PREFIX = "journal-"
#: Tags of safety copies, which rotation never deletes.
SAFETY_TAGS = (
    "before-restore",
    "before-repair",
    "before-encrypt",
    "before-decrypt",
    "before-passphrase",
    "before-delete",
    "before-merge",
)
_NAME = re.compile(
    r"^journal-(?P<day>\d{4}-\d{2}-\d{2})T(?P<hhmm>\d{4})(?:-(?P<n>\d+))?"
    r"(?:-(?P<tag>" + "|".join(SAFETY_TAGS) + r"))?\.json$"
)


@dataclass(frozen=True)
class Backup:
    """One backup file and what its name says about it."""

    path: Path
    taken: datetime  # naive local time, minute precision (from the name)
    serial: int  # 1, or 2, 3... for several backups in the same minute
    tag: str | None  # None for rotated backups, else one of SAFETY_TAGS

    @property
    def name(self) -> str:
        """The file name, which is what ``journal restore NAME`` takes."""
        return self.path.name

    @property
    def day(self) -> date:
        """The local day it was taken."""
        return self.taken.date()

    @property
    def sort_key(self) -> tuple[datetime, int, int]:
        """Oldest first; a safety copy sorts after a rotated backup of the same minute."""
        return (self.taken, self.serial, 1 if self.tag else 0)


@dataclass(frozen=True)
class BackupCheck:
    """Whether a backup can be restored, and how many entries it holds."""

    backup: Backup
    entries: int | None  # None when it does not parse
    problem: str | None
    encrypted: bool = False

    @property
    def usable(self) -> bool:
        """True when the backup parses as a journal."""
        return self.problem is None


def parse_name(path: Path) -> Backup | None:
    """The :class:`Backup` a file name describes, or None for anything else."""
    match = _NAME.match(path.name)
    if match is None:
        return None
    try:
        # fromisoformat, not strptime: importing _strptime costs ~5 ms per command.
        hhmm = match["hhmm"]
        taken = datetime.fromisoformat(f"{match['day']}T{hhmm[:2]}:{hhmm[2:]}")
    except ValueError:
        return None
    return Backup(path, taken, int(match["n"] or 1), match["tag"])


def list_backups(db_path: Path) -> list[Backup]:
    """Every backup of the journal at ``db_path``, oldest first."""
    folder = backups_dir(db_path)
    try:
        names = list(folder.iterdir())
    except (FileNotFoundError, NotADirectoryError):
        return []
    found = [b for b in (parse_name(p) for p in names if p.is_file()) if b is not None]
    return sorted(found, key=lambda b: b.sort_key)


def check_backup(backup: Backup, key: Key | None = None) -> BackupCheck:
    """Parse a backup the way the store would (decrypting it with ``key``); never raises."""
    encrypted = False
    try:
        raw = read_bytes(backup.path)
        encrypted = is_encrypted(raw)
        data = decode_database(unseal(raw, key), backup.path)
    except PassphraseNeededError:
        return BackupCheck(backup, None, "it is encrypted: the passphrase is needed", True)
    except CryptoError as exc:
        return BackupCheck(backup, None, f"it is encrypted and {crypto_problem(exc)}", True)
    except DatabaseError as exc:
        # The message names the file; the listing already does.
        problem = exc.message.replace(f"The journal {backup.path} ", "it ")
        return BackupCheck(backup, None, problem, encrypted)
    except OSError as exc:
        return BackupCheck(backup, None, f"cannot be read ({exc.strerror})")
    return BackupCheck(backup, len(data.get("entries", {})), None, encrypted)


def crypto_problem(exc: CryptoError) -> str:
    """Why an encrypted file did not open, as the end of a sentence."""
    from journal.store.crypto import WrongPassphraseError

    if isinstance(exc, WrongPassphraseError):
        return "this passphrase does not open it (another passphrase, or the file was changed)"
    return f"cannot be read: {exc.message[:1].lower()}{exc.message[1:].rstrip('.')}"


def newest_usable(db_path: Path, key: Key | None = None) -> BackupCheck | None:
    """The newest backup that parses (with ``key`` for encrypted ones), for "restore this"."""
    for backup in reversed(list_backups(db_path)):
        check = check_backup(backup, key)
        if check.usable:
            return check
    return None


def _name_for(folder: Path, moment: datetime, tag: str | None) -> Path:
    stamp = moment.strftime("%Y-%m-%dT%H%M")
    suffix = f"-{tag}" if tag else ""
    candidate = folder / f"{PREFIX}{stamp}{suffix}.json"
    serial = 2
    while candidate.exists():
        candidate = folder / f"{PREFIX}{stamp}-{serial}{suffix}.json"
        serial += 1
    return candidate


def _journal_target(db_path: Path) -> Path:
    # A symlinked journal is backed up (and restored) through to its real file.
    return Path(os.path.realpath(db_path))


def _remove_leftover_temps(folder: Path) -> None:
    """Temp files of a backup write killed half-way; call only under the journal lock."""
    with contextlib.suppress(OSError):
        for leftover in folder.glob(f".{PREFIX}*{TEMP_SUFFIX}"):
            with contextlib.suppress(OSError):
                leftover.unlink()


def write_copy(
    db_path: Path, data: bytes, *, moment: datetime | None = None, tag: str | None = None
) -> Path:
    """Store ``data`` as a new backup of ``db_path``; returns its path. Caller holds the lock."""
    folder = ensure_private_dir(backups_dir(db_path))
    _remove_leftover_temps(folder)
    path = _name_for(folder, (moment or now_local()).replace(tzinfo=None), tag)
    atomic_write_bytes(path, data)
    return path


def prune(db_path: Path, keep: int) -> list[Path]:
    """Delete rotated backups beyond the newest ``keep``; safety copies stay. Returns removed."""
    rotated = [b for b in list_backups(db_path) if b.tag is None]
    removed: list[Path] = []
    for old in rotated[: max(len(rotated) - max(keep, 1), 0)]:
        with contextlib.suppress(FileNotFoundError):
            old.path.unlink()
            removed.append(old.path)
    return removed


@dataclass(frozen=True)
class BackupResult:
    """What :func:`backup_now` did."""

    path: Path | None  # the new backup, or None when nothing was written
    same_as: Path | None  # the existing backup identical to the journal, if any
    removed: tuple[Path, ...]  # old backups rotated out


def backup_now(
    db_path: Path,
    *,
    keep: int = 14,
    moment: datetime | None = None,
    lock: bool = True,
    link: bool = False,
) -> BackupResult:
    """Copy the journal into a new rotated backup (unless the newest one is identical).

    With ``link`` (the daily backup, taken under the lock just before a save) the backup is
    a hard link to the journal's file instead of a copy, which costs nothing at any size. That
    is safe because a save never changes the journal's file: it writes a new file and renames
    it over (jsonfile.py), so the old file, now the backup's alone, keeps its bytes. Where a
    link cannot be made (another filesystem, Windows, a journal file that is not private) the
    backup is a copy.
    """
    target = _journal_target(db_path)
    with _journal_lock(db_path, enabled=lock):
        if not target.exists():
            raise JournalError(
                f"There is no journal at {db_path} yet, so there is nothing to back up.",
                'Write something first (journal add "..." or journal).',
            )
        rotated = [b for b in list_backups(db_path) if b.tag is None]
        if rotated:
            newest = rotated[-1]
            with contextlib.suppress(OSError):
                if _same_bytes(newest.path, target):
                    return BackupResult(None, newest.path, ())
        path = _link_backup(db_path, target, moment) if link else None
        if path is None:
            try:
                data = read_bytes(target)
            except FileNotFoundError:
                raise JournalError(
                    f"There is no journal at {db_path} yet, so there is nothing to back up.",
                    'Write something first (journal add "..." or journal).',
                ) from None
            path = write_copy(db_path, data, moment=moment)
        removed = prune(db_path, keep)
    return BackupResult(path, None, tuple(removed))


def _same_bytes(a: Path, b: Path) -> bool:
    """Whether two files hold the same bytes (the same file, or equal sizes and contents)."""
    if os.path.samefile(a, b):
        return True
    if os.path.getsize(a) != os.path.getsize(b):
        return False
    return read_bytes(a) == read_bytes(b)


def _link_backup(db_path: Path, target: Path, moment: datetime | None) -> Path | None:
    """A new rotated backup as a hard link to ``target``; None where that is not possible."""
    link = getattr(os, "link", None)  # missing on some platforms: then the caller copies
    if link is None:
        return None
    try:
        st = os.stat(target)
    except OSError:
        return None
    # A link shares the file's owner and permissions: only a private file of ours is linked.
    if stat.S_IMODE(st.st_mode) & 0o077 or (hasattr(os, "getuid") and st.st_uid != os.getuid()):
        return None
    folder = ensure_private_dir(backups_dir(db_path))
    _remove_leftover_temps(folder)
    path = _name_for(folder, (moment or now_local()).replace(tzinfo=None), None)
    try:
        link(target, path)
    except OSError:
        return None
    fsync_dir(folder)
    return path


@contextlib.contextmanager
def _journal_lock(db_path: Path, *, enabled: bool = True, timeout: float = 10.0) -> Iterator[None]:
    """The store's write lock, so a backup or a restore never races a save."""
    if not enabled:
        yield
        return
    from journal.store import Store

    lock_path = Store(db_path).lock_path
    ensure_private_dir(lock_path.parent)
    lock = write_lock(lock_path, timeout=timeout, mode=0o600)
    try:
        with lock:
            yield
    except lock_timeouts():
        raise DatabaseBusyError(
            f"The journal {db_path} is busy: another journal process is saving.",
            "Try again in a moment.",
        ) from None


class DailyBackup:
    """``Store.before_write`` hook: a backup before the first write of each local day.

    Runs under the store's write lock. Per write it compares one date; once a day it lists
    the backups folder and, if no backup is from today, copies the file and rotates. A
    failing backup never blocks a save: the problem is kept in :attr:`problems`.
    """

    def __init__(
        self,
        db_path: Path,
        *,
        keep: int | Callable[[], int] = 14,
        clock: Callable[[], datetime] = now_local,
    ) -> None:
        self.db_path = Path(db_path)
        self._keep = keep
        self.clock = clock
        self._checked: date | None = None
        self.taken: Path | None = None
        self.problems: list[str] = []

    @property
    def keep(self) -> int:
        """How many rotated backups to keep (read lazily, e.g. from the config file)."""
        return self._keep() if callable(self._keep) else self._keep

    def __call__(self) -> None:
        """Take today's backup if it is due (the caller holds the journal lock)."""
        moment = self.clock()
        today = moment.date()
        if self._checked == today:
            return
        try:
            if not _journal_target(self.db_path).exists():
                return  # nothing to keep yet; look again at the next write
            self._checked = today
            # A process killed during a backup leaves a temp file; we hold the lock, so clean.
            _remove_leftover_temps(backups_dir(self.db_path))
            if any(b.day == today and b.tag is None for b in list_backups(self.db_path)):
                return
            # A hard link: the write that follows replaces the journal's file (see backup_now).
            result = backup_now(self.db_path, keep=self.keep, moment=moment, lock=False, link=True)
            self.taken = result.path
        except (OSError, JournalError) as exc:
            self.problems.append(f"the daily backup failed: {exc}")


@dataclass(frozen=True)
class RestoreResult:
    """What :func:`restore_backup` did."""

    restored: BackupCheck
    kept_aside: Path | None  # the previous journal file, or None when there was none
    unchanged: bool  # the journal already held exactly this backup


def find_backup(db_path: Path, name: str) -> Backup:
    """The backup called ``name`` (a file name from ``journal restore --list``)."""
    backups = list_backups(db_path)
    for backup in backups:
        if backup.name == name or backup.name == f"{name}.json":
            return backup
    newest = ", ".join(b.name for b in backups[-3:]) or "none yet"
    raise JournalError(
        f"There is no backup called {name!r} in {backups_dir(db_path)}.",
        f"See them with `journal restore --list` (newest: {newest}).",
    )


def restore_backup(
    db_path: Path, name: str, *, moment: datetime | None = None, key: Key | None = None
) -> RestoreResult:
    """Replace the journal with a backup: validate it, keep the current file aside, swap.

    An encrypted backup is checked with ``key`` and put back as it is (still encrypted).
    """
    from journal.store import SCHEMA_VERSION, watermark

    backup = find_backup(db_path, name)
    check = check_backup(backup, key)
    if not check.usable:
        raise JournalError(
            f"The backup {backup.name} cannot be restored: {check.problem}",
            "Nothing was changed. Pick another with `journal restore --list`.",
        )
    data = read_bytes(backup.path)
    meta = decode_database(unseal(data, key), backup.path).get("meta", {})
    for doc in meta.values():
        version = doc.get("schema")
        if isinstance(version, int) and version > SCHEMA_VERSION:
            raise JournalError(
                f"The backup {backup.name} was written by a newer version of journal.",
                "Nothing was changed. Upgrade journal to restore it.",
            )
    target = _journal_target(db_path)
    with _journal_lock(db_path):
        try:
            current = read_bytes(target)
        except FileNotFoundError:
            current = None
        # Restoring is going back on purpose: what is there now is what this computer
        # expects from now on, an older generation or a plain file (store/watermark.py).
        if current == data:
            watermark.accept(db_path, data)
            return RestoreResult(check, None, True)
        # A journal the user made read-only is not replaced, not even by a restore (the
        # store's writes refuse it alike): nothing is copied or written.
        refuse_read_only(target)
        kept = None
        if current is not None:
            kept = write_copy(db_path, current, moment=moment, tag="before-restore")
        ensure_private_dir(target.parent)
        atomic_write_bytes(target, data)
        watermark.accept(db_path, data)
    return RestoreResult(check, kept, False)


def keep_copy(db_path: Path, *, tag: str, moment: datetime | None = None) -> Path | None:
    """A safety copy of the journal as it is now (None when there is no file). Holds no lock."""
    try:
        data = read_bytes(_journal_target(db_path))
    except FileNotFoundError:
        return None
    return write_copy(db_path, data, moment=moment, tag=tag)
