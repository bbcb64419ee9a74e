"""A journal's companions under encryption: its backups and drafts follow the journal's state.

The journal file itself changes state in one atomic write (:meth:`Store.rekey`). Its backups
and drafts are separate files: after the switch, :func:`reseal` rewrites each one (atomically,
one by one) in the journal's new state, so nothing plain stays beside an encrypted journal and
a decrypted journal's backups can be restored without a passphrase. A run cut short leaves
some files in the old state; :func:`survey` finds them (``journal doctor``) and running the same
command again finishes the job.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from journal.paths import backups_dir
from journal.safe_read import read_regular_file
from journal.store.atomic import atomic_write_bytes
from journal.store.crypto import CryptoError, is_encrypted, read_header, seal, sealed_with, unseal

if TYPE_CHECKING:
    from journal.store.crypto import KdfParams, Key


def companions(db_path: Path) -> Iterator[tuple[str, Path]]:
    """("draft" | "backup", path) for every draft and backup file of the journal.

    Drafts come first: they are few and small, so a run cut short most likely finished them.
    """
    from journal.store.backups import list_backups
    from journal.store.drafts import draft_files

    for path in draft_files(db_path):
        yield "draft", path
    folder = backups_dir(Path(db_path))
    known = {b.path for b in list_backups(db_path)}
    with contextlib.suppress(OSError):
        # Files the user put there by hand are backups too, as far as privacy goes.
        known.update(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
    for path in sorted(known):
        yield "backup", path


@dataclass
class Survey:
    """Which companions are plain, sealed with the journal's key, or sealed otherwise."""

    plain: list[tuple[str, Path]] = field(default_factory=list)
    sealed: list[tuple[str, Path]] = field(default_factory=list)
    #: Encrypted, but not with the key given (another passphrase, or none was given).
    other: list[tuple[str, Path]] = field(default_factory=list)


def survey(db_path: Path, params: KdfParams | None = None) -> Survey:
    """Sort the companions by their first bytes (no more than a header is read).

    ``params`` are the journal's (its key's): files encrypted with others go to ``other``.
    """
    found = Survey()
    for kind, path in companions(db_path):
        try:
            # Regular files only, opened without blocking: a FIFO put among them never hangs.
            head = read_regular_file(path, 4096)[0]
        except OSError:
            continue
        if not is_encrypted(head):
            found.plain.append((kind, path))
            continue
        try:
            found_params = read_header(head).params
        except CryptoError:
            found.other.append((kind, path))
            continue
        if found_params is not None and found_params == params:
            found.sealed.append((kind, path))
        else:
            found.other.append((kind, path))
    return found


@dataclass
class ResealResult:
    """What :func:`reseal` did."""

    changed: list[tuple[str, Path]] = field(default_factory=list)
    #: Files left as they were, with the reason (sealed with yet another passphrase...).
    left: list[tuple[Path, str]] = field(default_factory=list)

    def counts(self) -> str:
        """``3 backups and 1 draft`` (or ``nothing else``)."""
        drafts = sum(1 for kind, _ in self.changed if kind == "draft")
        backups = len(self.changed) - drafts
        parts = []
        if backups:
            parts.append(f"{backups} backup{'' if backups == 1 else 's'}")
        if drafts:
            parts.append(f"{drafts} draft{'' if drafts == 1 else 's'}")
        return " and ".join(parts) or "nothing else"


def reseal(
    db_path: Path, old_key: Key | None, new_key: Key | None, *, lock: bool = True
) -> ResealResult:
    """Rewrite every backup and draft from ``old_key``'s state into ``new_key``'s.

    Plain files are read as they are, encrypted ones with ``old_key``; each is written
    atomically (temp file, fsync, rename), and an encrypted result never exists plain on disk,
    not even as a temp file. A file ``old_key`` does not open is left untouched and reported.
    Holds the journal's write lock (``lock=False``: the caller holds it), so no backup is
    taken or rotated meanwhile.
    """
    from journal.store.backups import _journal_lock

    result = ResealResult()
    with _journal_lock(db_path, enabled=lock):
        for kind, path in companions(db_path):
            try:
                raw = read_regular_file(path)[0]
            except OSError as exc:
                result.left.append((path, f"cannot be read ({exc.strerror})"))
                continue
            if sealed_with(raw, new_key):
                continue
            try:
                plain = unseal(raw, old_key, what=f"The {kind} {path.name}")
            except CryptoError as exc:
                result.left.append((path, exc.message))
                continue
            # A backup keeps the journal's write counter it had (store/watermark.py): put
            # back, it is as old as it was, no older.
            atomic_write_bytes(path, seal(plain, new_key, generation=_generation_of(raw)))
            result.changed.append((kind, path))
    return result


def _generation_of(raw: bytes) -> int | None:
    """The journal write counter in an encrypted file's header (None: plain, or none there)."""
    if not is_encrypted(raw):
        return None
    try:
        return read_header(raw).generation or None
    except CryptoError:
        return None
