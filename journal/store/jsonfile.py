"""A TinyDB storage that never tears, never clobbers and keeps the parsed file in memory.

What is TinyDB's here, plainly: the file format (stock ``TinyDB(path)`` reads and writes a
journal) and the small tables (``meta``, the prompt log, starred prompts), which the store
reads and writes through TinyDB's ``Table`` API on top of this storage. The entries table is
read by our own lazy engine (journal/store/layout.py: documents kept as their bytes until
needed), because parsing 36,500 entries into dicts for ``list -n 10`` costs ~0.45 s.

TinyDB's stock ``JSONStorage`` rewrites the file in place, so a kill mid-write leaves broken
JSON. :class:`SafeJSONStorage` instead:

- writes through journal/store/atomic.py (temp file, fsync, ``os.replace``, fsync of the
  folder): a kill at any instant leaves the old file or the new one;
- keeps the database in memory and serialises once per write with orjson, one document per
  line;
- reads only a regular file (opened non-blocking: a FIFO never hangs), and refuses a file it
  cannot parse exactly (byte-order mark, invalid UTF-8, bad JSON, wrong shape), which it
  then never writes over;
- remembers the identity of the file it read (inode, size, mtime) and re-reads it when
  another process has replaced it, so a write applies to the latest data;
- reads and writes an encrypted journal through the same code: the bytes are unsealed after
  reading and sealed before writing (:meth:`SafeJSONStorage._unseal`, ``_seal``), nothing
  plain ever reaches the disk;
- writes through a symlink to its target, so a symlinked journal stays a symlink.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tinydb.storages import Storage

from journal.errors import DatabaseError
from journal.paths import ensure_private_dir
from journal.safe_read import read_capped
from journal.store.atomic import TEMP_SUFFIX, atomic_write_bytes, temp_prefix
from journal.store.crypto import MAGIC
from journal.store.files import read_regular_file
from journal.store.layout import (
    RawDoc,
    _decode_layout,
    check_raw_docs,
    decode_database,
    encode_database,
    encode_pieces,
)

if TYPE_CHECKING:
    from journal.store.crypto import Key

__all__ = [
    "RawDoc",
    "SafeJSONStorage",
    "_decode_layout",
    "checked_path",
    "decode_database",
    "encode_database",
    "encode_pieces",
    "file_identity",
]

#: What tells one file from another: (inode, size, mtime_ns).
Identity = tuple[int, int, int]
#: What the ".checked" record holds: the identity and the ctime (see checked_path).
CheckedIdentity = tuple[int, int, int, int]


def checked_path(target: Path) -> Path:
    """A small file beside the journal: the identity of the journal file last written here.

    Before its first write a process must know that every document still held as bytes
    parses (never write over a broken one), which means parsing them all (36,500 entries:
    ~0.2 s) unless the file is exactly one journal wrote itself. This file says which one
    that was, by (inode, size, mtime, ctime). Any other program's change, in place or by
    rename, gives another identity: even one that keeps the size and puts the mtime back
    (``touch -r``) changes the ctime, which no program can set. Then every document is
    checked as before. Losing or tearing this file only costs that check.
    """
    return target.parent / f".{target.name}.checked"


def _read_checked(target: Path) -> CheckedIdentity | None:
    """The identity recorded by :func:`_write_checked`, or None."""
    try:
        # A few dozen bytes; a FIFO or a device there is read as no record, never a hang.
        parts = read_capped(checked_path(target), 4096).split()
        if len(parts) == 4:
            ino, size, mtime, ctime = (int(p) for p in parts)
            return (ino, size, mtime, ctime)
    except (OSError, ValueError):
        pass
    return None


def _write_checked(target: Path, identity: CheckedIdentity | None) -> None:
    """Record ``identity`` as a journal file whose documents all parse (best effort).

    Written under the journal's write lock, right after the journal itself; not fsynced: a
    torn or lost record only means one full check.
    """
    if identity is None:
        return
    try:
        fd = os.open(checked_path(target), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError:
        return
    try:
        os.write(fd, b"%d %d %d %d\n" % identity)
    except OSError:
        pass
    finally:
        os.close(fd)


def record_checked(target: Path) -> None:
    """Record the journal file at ``target``, as it is now, as one whose documents all parse.

    The storage calls this after each write. Anything else must call it only for a file
    journal itself wrote and nobody changed since (the benchmark, after hard-linking a
    journal it generated into place: the link itself changes the ctime).
    """
    with contextlib.suppress(OSError):
        _write_checked(target, _checked_identity_of(os.stat(target)))


def _identity_of(st: os.stat_result) -> Identity:
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _checked_identity_of(st: os.stat_result) -> CheckedIdentity:
    return (st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def file_identity(path: Path) -> Identity | None:
    """(inode, size, mtime_ns) of ``path``'s target, or None when it does not exist."""
    try:
        return _identity_of(os.stat(path))
    except FileNotFoundError:
        return None


def _read_regular_file(target: Path) -> tuple[bytes, os.stat_result]:
    """The bytes of ``target`` and the status of the very file read (see files.py).

    A stat() after reading could describe a newer file another process swapped in meanwhile;
    we would then take its identity for ours, never reload, and our next write would silently
    drop its entries (found by tests/system/test_crash.py). A path that is no regular file
    gets the message about the journal's own path.
    """
    try:
        return read_regular_file(target)
    except DatabaseError:
        raise DatabaseError(
            f"The journal path {target} is not a regular file.",
            "Point --db (or JOURNAL_DB) at a file such as journal.json.",
        ) from None


class SafeJSONStorage(Storage):
    """TinyDB storage with atomic writes, an in-memory cache and change detection.

    Not locked itself: the one :class:`~journal.store.Store` that owns it serialises every
    call under its own lock.
    """

    def __init__(self, path: str | os.PathLike[str], create_dirs: bool = True) -> None:
        super().__init__()
        self.path = Path(path)
        self.create_dirs = create_dirs
        self._data: dict[str, dict[str, Any]] | None = None
        self._identity: Identity | None = None
        self._batch_depth = 0
        self._batch_dirty = False
        #: Bumped whenever the in-memory data is replaced by a fresh read of the file.
        self.reloads = 0
        #: Encryption at rest (crypto.py): with a key, the file is read and written encrypted;
        #: nothing plain is ever written, not even a temp file. Set before the first load.
        self.key: Key | None = None
        #: Whether the file last read was encrypted.
        self.encrypted_on_disk = False
        #: The encrypted journal's generation (crypto.py), of the file last read or written:
        #: each write puts one more in the header, and watermark.py remembers the highest.
        self.generation = 0
        #: True once every RawDoc of the data loaded is known to parse (see _write_now).
        self._raw_checked = False

    @property
    def target(self) -> Path:
        """The real file written: a symlinked journal is written through to its target."""
        return Path(os.path.realpath(self.path))

    def changed_on_disk(self) -> bool:
        """True when the file is not the one we last read or wrote."""
        return self._data is not None and file_identity(self.target) != self._identity

    def load(self) -> dict[str, dict[str, Any]]:
        """(Re)read the file from disk into memory and return it."""
        target = self.target
        try:
            raw, st = _read_regular_file(target)
        except FileNotFoundError:
            self._identity, self._data = None, {}
            self._raw_checked = True
            self.reloads += 1
            return self._data
        except IsADirectoryError:
            raise DatabaseError(
                f"The journal path {target} is a folder, not a file.",
                "Point --db (or JOURNAL_DB) at a file such as journal.json.",
            ) from None
        except PermissionError:
            raise DatabaseError(
                f"The journal {target} cannot be read: permission denied.",
                f"Check the owner and permissions: `ls -l {target}`.",
            ) from None
        encrypted = raw.startswith(MAGIC)
        plain = self._unseal(raw, target, encrypted)
        # Our own layout is read lazily; anything else is parsed in full, strictly.
        lazy = _decode_layout(plain)
        data = lazy if lazy is not None else decode_database(plain, target)
        self.encrypted_on_disk = encrypted
        self._identity = _identity_of(st)
        self._data = data
        # Documents are known to parse when none is still bytes, when the cipher has
        # authenticated the file (journal writes only documents that parse), or when the
        # file is the very one journal last wrote or checked here (see checked_path).
        self._raw_checked = (
            lazy is None or encrypted or _read_checked(target) == _checked_identity_of(st)
        )
        self.reloads += 1
        return data

    # ---- the codec: plain bytes on disk, or sealed ones -------------------------------------

    def _unseal(self, raw: bytes, target: Path, encrypted: bool) -> bytes:
        """The plain JSON bytes of the file's bytes ``raw``."""
        if encrypted:
            # Decrypted in memory only; then the very same parsers read the plain bytes.
            return self._decrypt(raw, target)
        if self.key is not None and self.reloads and self.encrypted_on_disk:
            # A plain file where an encrypted one was: never write it encrypted again.
            raise DatabaseError(
                f"The journal {target} was decrypted by another journal process while this one "
                "had it open. Nothing was written.",
                "Quit and start journal again to open it.",
            )
        return raw

    def _seal(self, plain: bytes) -> bytes:
        """The bytes to put on disk for the plain JSON ``plain``."""
        # Only ciphertext reaches the disk: the temp file is written encrypted too.
        return (
            plain if self.key is None else self.key.encrypt(plain, generation=self.generation + 1)
        )

    def _decrypt(self, raw: bytes, target: Path) -> bytes:
        """The plain bytes of the encrypted journal ``raw``, with :attr:`key`."""
        from journal.store.crypto import (
            PASSPHRASE_FILE_ENV,
            DamagedFileError,
            PassphraseNeededError,
            WrongPassphraseError,
            read_header,
        )
        from journal.store.watermark import check_generation

        # reloads > 0: this is a re-read of a file we already had open, in some other state.
        if self.key is None:
            if self.reloads:
                raise DatabaseError(
                    f"The journal {target} was encrypted by another journal process while this "
                    "one had it open. Nothing was written.",
                    "Quit and start journal again to open it with its passphrase.",
                )
            raise PassphraseNeededError(
                f"The journal {target} is encrypted.",
                f"Enter its passphrase, or set {PASSPHRASE_FILE_ENV}.",
            )
        if self.reloads and read_header(raw).params != self.key.params:
            raise DatabaseError(
                f"The passphrase of the journal {target} was changed by another journal process "
                "while this one had it open. Nothing was written.",
                "Quit and start journal again to open it with the new passphrase.",
            )
        try:
            plain = self.key.decrypt(raw)
        except DamagedFileError:
            raise DamagedFileError(
                f"The journal {target} is damaged: the passphrase is right, but the encrypted "
                "content is not what journal wrote (a disk or copy error, or an edit).",
                "Nothing was changed. Restore the newest backup: journal restore --list, then "
                "journal restore NAME (the damaged file is kept aside). journal doctor looks "
                "closer.",
            ) from None
        except WrongPassphraseError as exc:
            # A file with a key check knows the passphrase is wrong; an older one cannot tell.
            known = read_header(raw).key_check is not None
            maybe = "" if known else ", or the file was changed after journal wrote it"
            raise WrongPassphraseError(
                f"The passphrase does not open the journal {target}{maybe}.", exc.hint
            ) from None
        # Authenticated now: an older copy than one already seen is refused (watermark.py).
        generation = read_header(raw).generation
        check_generation(target, generation, while_open=bool(self.reloads))
        self.generation = generation
        return plain

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The in-memory database; re-read when another process replaced the file."""
        if self._data is None or self.changed_on_disk():
            self.load()
        # TinyDB treats None as "empty database".
        return self._data if self._data else None

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Group several table operations into one disk write at the end of the block.

        If the block raises, nothing is written and memory is re-read from the untouched file.
        """
        self._batch_depth += 1
        try:
            yield
        except BaseException:
            self._batch_depth -= 1
            if self._batch_depth == 0 and self._batch_dirty:
                self._batch_dirty = False
                self._data = None
                self._identity = None
            raise
        self._batch_depth -= 1
        if self._batch_depth == 0 and self._batch_dirty:
            self._batch_dirty = False
            assert self._data is not None
            self._write_now(self._data)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Write now, or at the end of the current :meth:`batch`."""
        if self._batch_depth:
            self._data = data
            self._batch_dirty = True
            return
        self._write_now(data)

    def _write_now(self, data: dict[str, dict[str, Any]]) -> None:
        """Serialise once and replace the file atomically; on failure memory follows the disk."""
        target = self.target
        if self.create_dirs:
            ensure_private_dir(target.parent)
        try:
            # Never write over a document that does not parse (see the layout notes in
            # layout.py). Documents only become RawDoc at a load, so one full check per load
            # is enough.
            if not (self._raw_checked and data is self._data):
                check_raw_docs(data, target)
                self._raw_checked = True
            pieces = encode_pieces(data)
            if self.key is None:
                atomic_write_bytes(target, pieces)
            else:  # only ciphertext reaches the disk: the temp file is written encrypted too
                atomic_write_bytes(target, self._seal(b"".join(pieces)))
        except BaseException:
            # TinyDB mutated our cache before calling write; the disk still holds the old
            # file, so forget memory and let the next read take the truth from disk.
            self._data = None
            self._identity = None
            raise
        self._data = data
        try:
            st: os.stat_result | None = os.stat(target)
        except OSError:
            st = None
        self._identity = None if st is None else _identity_of(st)
        was_encrypted, self.encrypted_on_disk = self.encrypted_on_disk, self.key is not None
        self._note_generation(target, was_encrypted)
        if self.key is None:
            _write_checked(target, None if st is None else _checked_identity_of(st))
        else:
            # An encrypted journal needs no record (the cipher checks it) and keeps no
            # plain file beside it.
            with contextlib.suppress(OSError):
                checked_path(target).unlink()

    def _note_generation(self, target: Path, was_encrypted: bool) -> None:
        """After a write: remember the generation written, or that the journal is plain now."""
        from journal.store import watermark

        if self.key is not None:
            self.generation += 1
            watermark.remember(target, self.generation)
        elif was_encrypted:  # rekeyed to plain on purpose (journal decrypt)
            self.generation = 0
            watermark.forget(target)

    def close(self) -> None:
        """Nothing to release: every write is already on disk."""
        self._data = None

    def leftover_temp_files(self) -> list[Path]:
        """Temp files a killed writer may have left (or a live writer is writing now)."""
        target = self.target
        try:
            return list(target.parent.glob(f"{temp_prefix(target)}*{TEMP_SUFFIX}"))
        except OSError:
            return []

    def remove_leftover_temp_files(self) -> list[Path]:
        """Delete temp files left by a killed writer. Call only while holding the write lock."""
        removed: list[Path] = []
        for leftover in self.leftover_temp_files():
            with contextlib.suppress(OSError):
                leftover.unlink()
                removed.append(leftover)
        return removed
