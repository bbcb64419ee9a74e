"""Drafts: the text being written, autosaved to its own small file and offered back after a crash.

Each app session writes at most one draft, ``draft-<session>.json`` in
:func:`journal.paths.drafts_dir` (folder 0700, file 0600, written atomically), never by
rewriting the journal. The draft is removed when the entry is saved or the text is
deliberately discarded, so a draft still on disk at the next start means the session ended
without either: a crash, a kill, a closed terminal.

A session holds an exclusive lock on ``.draft-<session>.lock`` for as long as it runs. The
lock dies with the process, so "is the writer of this draft still running?" is answered by
trying the lock: no pid checks that a reboot or a reused pid could fool. A second journal
window therefore never offers the draft of a first window that is still open.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from journal.checkin import CheckinDraft
from journal.errors import EntryError
from journal.models import PromptRef, now_local, timestamp
from journal.paths import drafts_dir, ensure_private_dir
from journal.safe_read import FileTooLargeError, NotRegularFileError, read_capped
from journal.store.atomic import TEMP_SUFFIX, atomic_write_bytes
from journal.store.crypto import CryptoError, seal, unseal
from journal.store.lock import lock_timeouts, write_lock

if TYPE_CHECKING:
    from journal.store.crypto import Key

DRAFT_VERSION = 1
_PREFIX = "draft-"
#: The largest draft file read: a draft is one entry being written (a 1 MB paste is already
#: slow to edit); anything larger, like a FIFO or a device, is left alone and reported.
DRAFT_CAP = 64 * 2**20


def _read_draft(path: Path) -> bytes:
    """The bytes of the draft file at ``path``: a regular file of at most :data:`DRAFT_CAP`.

    ``OSError`` otherwise (journal.safe_read's errors among them), never a hang on a FIFO.
    """
    return read_capped(path, DRAFT_CAP)


@dataclass(frozen=True)
class Draft:
    """What the editor held: the fields as typed, the entry being edited and the prompt shown."""

    title: str
    tags: str
    body: str
    editing: str | None = None  # uid of the saved entry being edited, None for a new one
    prompt: PromptRef | None = None
    day: str = ""
    saved_at: str = ""
    path: Path | None = None  # where it was read from (not stored)
    #: For an edit: the title, tags and body of the entry as it was opened, so a restore
    #: after a crash still notices a change saved elsewhere meanwhile (store/conflicts.py).
    base: tuple[str, tuple[str, ...], str] | None = None

    @property
    def is_empty(self) -> bool:
        """True when there is nothing worth keeping."""
        return not (self.title.strip() or self.tags.strip() or self.body.strip())

    @property
    def words(self) -> int:
        """Words in the title and body, for the restore question."""
        return len(self.title.split()) + len(self.body.split())

    def preview(self, width: int = 60) -> str:
        """The first non-empty line, shortened, so the user recognises the text."""
        for line in (self.title, *self.body.splitlines()):
            text = "".join(c for c in line.strip().lstrip("#").strip() if c.isprintable())
            if text:
                return text if len(text) <= width else text[: width - 1] + "…"
        return "(only tags)"

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types for the draft file."""
        return {
            "version": DRAFT_VERSION,
            "title": self.title,
            "tags": self.tags,
            "body": self.body,
            "editing": self.editing,
            "prompt": self.prompt.to_dict() if self.prompt else None,
            "day": self.day,
            "saved_at": self.saved_at,
            "base": None
            if self.base is None
            else {"title": self.base[0], "tags": list(self.base[1]), "body": self.base[2]},
        }

    @classmethod
    def from_dict(cls, data: Any, path: Path | None = None) -> Draft:
        """Read a draft file's content; raise ValueError when it is not a draft."""
        if not isinstance(data, dict) or data.get("version") != DRAFT_VERSION:
            raise ValueError("not a journal draft")
        texts = [data.get(k, "") for k in ("title", "tags", "body", "day", "saved_at")]
        if not all(isinstance(t, str) for t in texts):
            raise ValueError("a draft field is not text")
        editing = data.get("editing")
        if editing is not None and not isinstance(editing, str):
            raise ValueError("editing is not a uid")
        prompt = data.get("prompt")
        try:
            ref = PromptRef.from_dict(prompt) if prompt is not None else None
        except EntryError:  # a broken prompt reference must not cost the text
            ref = None
        title, tags, body, day, saved_at = texts
        return cls(title, tags, body, editing, ref, day, saved_at, path, _base_of(data.get("base")))


def _base_of(value: Any) -> tuple[str, tuple[str, ...], str] | None:
    """The ``base`` of a draft file, or None when missing or not as written (never fatal)."""
    if not isinstance(value, dict):
        return None
    title, tags, body = value.get("title"), value.get("tags"), value.get("body")
    if not (isinstance(title, str) and isinstance(body, str) and isinstance(tags, list)):
        return None
    if not all(isinstance(t, str) for t in tags):
        return None
    return (title, tuple(tags), body)


def describe_when(saved_at: str, now: datetime) -> str:
    """``today at 09:41``, ``yesterday at 21:10`` or ``Friday 20 November at 08:05``."""
    try:
        moment = datetime.fromisoformat(saved_at)
    except ValueError:
        return "an earlier session"
    if moment.tzinfo is not None and now.tzinfo is not None:
        moment = moment.astimezone(now.tzinfo)
    day: date = moment.date()
    delta = (now.date() - day).days
    clock = f"{moment:%H:%M}"
    if delta == 0:
        return f"today at {clock}"
    if delta == 1:
        return f"yesterday at {clock}"
    return f"{moment:%A} {moment.day} {moment:%B %Y} at {clock}"


class DraftBox:
    """One session's draft file, plus the drafts that ended sessions left behind.

    With ``key`` (an encrypted journal's, crypto.py) drafts are written encrypted and read
    with it: the text typed into an encrypted journal is never plain on disk.
    """

    def __init__(
        self, db_path: Path, *, session: str | None = None, key: Key | None = None
    ) -> None:
        self.folder = drafts_dir(Path(db_path))
        self.session = session or f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        self.key = key
        self._lock: Any = None  # journal.store.lock.write_lock
        #: Draft paths :meth:`orphans` did not read because they are no draft file (a FIFO,
        #: a device, a file over DRAFT_CAP), with the reason: left alone, for the user to see.
        self.skipped: list[tuple[Path, str]] = []

    @property
    def path(self) -> Path:
        """This session's draft file."""
        return self.folder / f"{_PREFIX}{self.session}.json"

    @staticmethod
    def _lock_path(draft_path: Path) -> Path:
        return draft_path.parent / f".{draft_path.stem}.lock"

    def _hold_lock(self) -> None:
        """Claim this session's drafts for as long as the process lives."""
        if self._lock is not None:
            return
        lock = write_lock(self._lock_path(self.path), timeout=2, mode=0o600)
        try:
            lock.acquire()
        except lock_timeouts():
            # Only another start probing this lock this very instant; the text matters more
            # than the marker, so write the draft anyway and claim the lock next time.
            return
        self._lock = lock

    # ---- this session --------------------------------------------------------------------

    def claim(self) -> None:
        """Hold this session's lock from the start (not only from the first draft).

        ``journal encrypt``, ``decrypt`` and ``passphrase`` look for live sessions
        (:func:`live_sessions`) and refuse to change the encryption under an open app. Only
        where the journal's folder already exists: a first start creates no folder.
        """
        if self.folder.parent.is_dir():
            with contextlib.suppress(OSError):
                ensure_private_dir(self.folder)
                self._hold_lock()

    def save(self, draft: Draft, *, moment: datetime | None = None) -> Path:
        """Write (replace) this session's draft atomically; an empty draft removes the file."""
        if draft.is_empty:
            self.clear()
            return self.path
        ensure_private_dir(self.folder)
        self._hold_lock()
        payload = {**draft.to_dict(), "saved_at": timestamp(moment or now_local())}
        atomic_write_bytes(self.path, seal(orjson.dumps(payload), self.key))
        return self.path

    def clear(self) -> None:
        """Remove this session's draft (saved or deliberately discarded)."""
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def close(self) -> None:
        """Release the session lock (the draft file, if any, stays for the next start)."""
        if self._lock is not None:
            self._lock.release()
            self._lock = None
            if not self.path.exists():
                with contextlib.suppress(OSError):
                    self._lock_path(self.path).unlink()

    # ---- drafts of ended sessions --------------------------------------------------------

    def _owner_running(self, draft_path: Path) -> bool:
        lock_path = self._lock_path(draft_path)
        if not lock_path.exists():
            return False
        probe = write_lock(lock_path, timeout=0, mode=0o600)
        try:
            probe.acquire()
        except lock_timeouts():
            return True
        except OSError:
            return False
        probe.release()
        return False

    def orphans(self, *, clean: bool = True) -> list[Draft]:
        """Drafts whose session has ended, newest first. Unreadable files are left alone.

        With ``clean`` (the app at start), temp and lock files of ended sessions are removed;
        the doctor looks without touching anything.
        """
        try:
            candidates = sorted(self.folder.glob(f"{_PREFIX}*.json"))
        except OSError:
            return []
        found: list[Draft] = []
        self.skipped = []
        for path in candidates:
            if path == self.path or self._owner_running(path):
                continue
            try:
                raw = unseal(_read_draft(path), self.key, what=f"The draft {path.name}")
                draft = Draft.from_dict(orjson.loads(raw), path)
            except (NotRegularFileError, FileTooLargeError) as exc:
                self.skipped.append((path, str(exc.strerror)))
                continue
            except (OSError, ValueError, CryptoError):
                # Unreadable, or sealed with another passphrase: left alone (the doctor says).
                continue
            if not draft.is_empty:
                found.append(draft)
        if clean:
            self._clean_ended_sessions()
        return sorted(found, key=lambda d: d.saved_at, reverse=True)

    def _clean_ended_sessions(self) -> None:
        """Remove temp and lock files of ended sessions that no longer have a draft."""
        with contextlib.suppress(OSError):
            for tmp in self.folder.glob(f".{_PREFIX}*{TEMP_SUFFIX}"):
                owner = self.folder / tmp.name[1:].split(".json.", 1)[0]
                draft_path = owner.with_name(owner.name + ".json")
                if draft_path != self.path and not self._owner_running(draft_path):
                    with contextlib.suppress(OSError):
                        tmp.unlink()
            for lock in self.folder.glob(f".{_PREFIX}*.lock"):
                draft_path = self.folder / (lock.name[1:].removesuffix(".lock") + ".json")
                if draft_path == self.path or draft_path.exists():
                    continue
                if not self._owner_running(draft_path):
                    with contextlib.suppress(OSError):
                        lock.unlink()

    def adopt(self, draft: Draft, *, moment: datetime | None = None) -> None:
        """Take an ended session's draft over: write it as ours first, then remove theirs."""
        self.save(draft, moment=moment)
        self.discard(draft)

    def discard(self, draft: Draft) -> None:
        """Delete an ended session's draft (the user chose to)."""
        if draft.path is None or draft.path == self.path:
            return
        with contextlib.suppress(FileNotFoundError):
            draft.path.unlink()
        with contextlib.suppress(OSError):
            self._lock_path(draft.path).unlink()


def live_sessions(db_path: Path) -> list[Path]:
    """Draft files (existing or not yet) of app sessions of this journal running right now."""
    folder = drafts_dir(Path(db_path))
    try:
        locks = sorted(folder.glob(f".{_PREFIX}*.lock"))
    except OSError:
        return []
    live: list[Path] = []
    for lock_path in locks:
        probe = write_lock(lock_path, timeout=0, mode=0o600)
        try:
            probe.acquire()
        except lock_timeouts():
            live.append(folder / (lock_path.name[1:].removesuffix(".lock") + ".json"))
            continue
        except OSError:
            continue
        probe.release()
    return live


def draft_files(db_path: Path) -> list[Path]:
    """Every draft file of the journal (Today's, the check-in's, ones moved aside)."""
    folder = drafts_dir(Path(db_path))
    try:
        return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    except OSError:
        return []


# ---- the check-in's draft ------------------------------------------------------------------

#: The one draft a half-finished check-in leaves, beside the Today editor's drafts.
CHECKIN_DRAFT_FILE = "checkin.json"


def checkin_draft_path(db_path: Path) -> Path:
    """Where the check-in draft of this journal lives."""
    return drafts_dir(db_path) / CHECKIN_DRAFT_FILE


def save_checkin_draft(
    db_path: Path, draft: CheckinDraft, moment: datetime | None = None, key: Key | None = None
) -> Path:
    """Write the draft atomically, private to the user (0600 in a 0700 folder).

    With ``key`` (an encrypted journal's) the draft is written encrypted (crypto.py).
    """
    path = checkin_draft_path(db_path)
    ensure_private_dir(path.parent)
    draft.saved = timestamp(moment)
    payload = orjson.dumps(draft.to_dict(), option=orjson.OPT_INDENT_2)
    atomic_write_bytes(path, seal(payload, key))
    return path


def load_checkin_draft(db_path: Path, key: Key | None = None) -> CheckinDraft | None:
    """The saved draft, or None. A draft that cannot be read is moved aside, never deleted,
    and :class:`EntryError` says where it went. ``key`` opens an encrypted draft.
    """
    path = checkin_draft_path(db_path)
    try:
        raw = _read_draft(path)
    except FileNotFoundError:
        return None
    except (NotRegularFileError, FileTooLargeError) as exc:
        # No draft journal wrote: left where it is (a FIFO is nothing to move aside).
        raise EntryError(
            f"The check-in draft {path} was not read: {exc.strerror}.",
            f"Remove {path}; the check-in starts empty until then.",
        ) from None
    try:
        return CheckinDraft.from_dict(orjson.loads(unseal(raw, key, what="The check-in draft")))
    except (orjson.JSONDecodeError, EntryError, CryptoError, TypeError, ValueError) as exc:
        aside = path.with_name(f"{path.name}.unreadable")
        with contextlib.suppress(OSError):
            os.replace(path, aside)
        raise EntryError(
            f"The check-in draft could not be read ({getattr(exc, 'message', exc)}).",
            f"It was moved to {aside}; its text is still there.",
        ) from None


def delete_checkin_draft(db_path: Path) -> None:
    """Remove the draft (after a successful save, or when the user starts fresh)."""
    with contextlib.suppress(FileNotFoundError):
        checkin_draft_path(db_path).unlink()
