"""What this computer remembers about each encrypted journal, outside the journal's folder.

An encrypted journal's file cannot vouch for itself against being replaced: a plain file put
in its place has no header to check, and an older encrypted copy has a valid one. So, for each
journal it has seen encrypted, this computer keeps a small record: "this journal is encrypted,
and the highest generation seen is N" (the generation is the write counter in the file's
authenticated header, crypto.py). Then:

- a plain file, or none, where an encrypted journal was is refused (:func:`refuse_plain`);
  nothing is read from it and no entry is written into it unencrypted;
- an encrypted file older than one already seen is refused (:func:`check_generation`);
- ``journal accept`` (cli/crypto.py), ``journal decrypt`` and ``journal restore`` say the
  user meant it, and set the record to what is there now.

**Where the record lives, and why.** In the user's state folder (platformdirs:
``~/.local/state/journal/encrypted/`` on Linux), one file per journal named by a hash of the
journal's real path; not beside the journal. Whoever swaps the journal file (a sync service
or another computer sharing the folder, a cloud account, a restore of the whole folder from
an old snapshot) controls that folder, and would swap or delete a record kept beside it just
as easily, or bring its old record back with the old file. The state folder is not synced,
so each computer keeps its own watermark: on two computers syncing one journal, each learns
the newer generations as they arrive (a higher one is always accepted) and each notices on
its own when an older copy or a plain file comes back. The price: on a computer that never
saw the journal encrypted (a new one), the first file seen is trusted. Anyone who can write
to the user's own state folder can already change the program itself; that is out of reach
of any check.

Every record write is best effort (a read-only home loses only the protection, never a word)
and atomic (temp file and rename), so a torn record reads as none.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from pathlib import Path

import orjson

from journal.paths import APP_NAME, ensure_private_dir
from journal.safe_read import read_capped
from journal.store.atomic import atomic_writer
from journal.store.crypto import (
    CryptoError,
    DowngradeError,
    RollbackError,
    is_encrypted,
    read_file_header,
    read_header,
)

#: A record is one small JSON object (the path and a counter): nothing larger is read.
RECORD_CAP = 64 * 2**10


def _real(db_path: Path) -> str:
    return os.path.realpath(db_path)


def record_path(db_path: Path) -> Path:
    """The record of the journal at ``db_path`` (its real path: a symlink counts as its target)."""
    import platformdirs  # here: only encrypted journals (and plain ones at open) need it

    name = hashlib.sha256(os.fsencode(_real(db_path))).hexdigest()[:32]
    folder = platformdirs.user_state_path(APP_NAME, appauthor=False) / "encrypted"
    return folder / f"{name}.json"


def remembered(db_path: Path) -> int | None:
    """The highest generation seen of the encrypted journal at ``db_path``; None when this
    computer does not know it as encrypted."""
    try:
        # A few dozen bytes; a FIFO or a device put there is read as no record, never a hang.
        data = orjson.loads(read_capped(record_path(db_path), RECORD_CAP))
    except (OSError, orjson.JSONDecodeError):
        return None
    if not isinstance(data, dict) or data.get("journal") != _real(db_path):
        return None  # a hash collision is as unlikely as a torn record: read both as none
    generation = data.get("generation")
    return generation if type(generation) is int and generation >= 0 else None


def remember(db_path: Path, generation: int) -> None:
    """Record the journal at ``db_path`` as encrypted, at ``generation`` (best effort)."""
    path = record_path(db_path)
    payload = orjson.dumps({"journal": _real(db_path), "generation": generation})
    with contextlib.suppress(OSError):
        ensure_private_dir(path.parent)
        # Not fsynced: losing the record to a power cut costs only the check, never a word.
        with atomic_writer(path, binary=True, durable=False) as handle:
            handle.write(payload)


def forget(db_path: Path) -> None:
    """The journal at ``db_path`` is plain on purpose now (``journal decrypt``)."""
    with contextlib.suppress(OSError):
        record_path(db_path).unlink()


def accept(db_path: Path, raw: bytes | None) -> None:
    """The user put ``raw`` (None: no file) at ``db_path`` on purpose: remember it as it is."""
    if raw is not None and is_encrypted(raw):
        remember(db_path, read_header(raw).generation)
    else:
        forget(db_path)


def refuse_plain(db_path: Path) -> None:
    """Raise :class:`DowngradeError` when the journal at ``db_path`` is known as encrypted.

    Called when the file there is plain or missing, before anything is read or written.
    """
    if remembered(db_path) is None:
        return
    where = Path(db_path)
    known = "this computer has known it as an encrypted journal"
    if not os.path.lexists(where):
        raise DowngradeError(
            f"The encrypted journal {where} is missing: {known}, and will not start a plain one "
            "in its place.",
            "Nothing was written. Put it back from a backup (journal restore --list) or from "
            "wherever it went. To start a new plain journal there instead: journal accept.",
        )
    raise DowngradeError(
        f"The journal {where} is no longer encrypted: {known}, but the file there now is plain "
        "text. journal will not read it, nor write your entries into it unencrypted.",
        "Nothing was read or written. If you did not do this (a sync, a copy or someone else "
        "put a plain file there), put the encrypted journal back from a backup: journal "
        "restore --list. If you decrypted it yourself (on another computer, say) and want it "
        "plain: journal accept.",
    )


def check_generation(db_path: Path, generation: int, *, while_open: bool = False) -> None:
    """Refuse an encrypted journal older than the newest seen; remember a newer one.

    ``generation`` must come from a header the key has authenticated (decrypted with).
    ``while_open``: the file was replaced under a running journal (the wording differs).
    """
    seen = remembered(db_path)
    if seen is not None and generation < seen and _replaced_by_newer(db_path, seen):
        # Not a rollback: another journal wrote a newer file (and its record) after this
        # one was read. The store reads the file again before it writes anything.
        return
    if seen is not None and generation < seen:
        if while_open:
            raise RollbackError(
                f"An older copy of the journal {db_path} was put in its place while journal "
                f"had it open (write {generation}; this computer has seen write {seen}). "
                "Nothing was written.",
                "Quit and start journal again: it says what to do.",
            )
        raise RollbackError(
            f"The journal {db_path} is an older copy: write {generation}, but this computer "
            f"has already seen write {seen} of it. What was written since is not in this file.",
            "Nothing was changed. If you did not put it back on purpose, restore the newer "
            "copy (journal restore --list; a sync tool may keep it too). To keep this older "
            "copy as the journal: journal accept. journal doctor explains more.",
        )
    if seen is None or generation > seen:
        remember(db_path, generation)


def _replaced_by_newer(db_path: Path, seen: int) -> bool:
    """Whether the file at ``db_path`` now is at least generation ``seen``, by its header.

    Unauthenticated, and enough: a forged header is refused as damaged when it is read.
    """
    try:
        header = read_file_header(Path(db_path))
    except CryptoError:
        return False
    return header is not None and header.generation >= seen
