"""The manifest of a per-entry export: which files it wrote, each with its size and hash.

A forced re-export may overwrite or delete a file only when the manifest says this export
wrote it *and* the file is still exactly what was written (same size, same SHA-256), a plain
file reached without passing through a symbolic link. Anything else is the user's and is
kept. The manifest also names the folder it was written for (device and inode): a manifest
copied along with an old export, or planted, vouches for nothing.

The file is JSON Lines: a header line, then one line per file, each written as soon as its
file is, so an export cut short (a full disk) leaves a manifest of what it did write. A torn
last line is ignored. The first format (one JSON object listing names, no hashes) is still
read, for the order of its files, but vouches for nothing.
"""

from __future__ import annotations

import contextlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

import orjson

from journal.models import FIELDS
from journal.store.atomic import fsync_dir

MANIFEST_NAME = ".journal-export.json"
MANIFEST_FORMAT = "journal per-entry export"
MANIFEST_VERSION = 2
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)  # POSIX; elsewhere a symlink is refused by lstat
_MAX_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True)
class FileRecord:
    """One file an export wrote: where (relative, POSIX form), how big, its SHA-256."""

    path: str
    size: int
    sha256: str
    #: The entry the file holds (so an edited copy is never written again beside it).
    uid: str | None = None

    @classmethod
    def of(cls, path: str, data: bytes, uid: str | None = None) -> FileRecord:
        """The record of ``data`` written at ``path``."""
        import hashlib  # here: its OpenSSL start-up is a cost the one-file export never needs

        return cls(path, len(data), hashlib.sha256(data).hexdigest(), uid)

    def same_file(self, other: FileRecord) -> bool:
        """Whether both records describe the same bytes at the same place."""
        return (self.path, self.size, self.sha256) == (other.path, other.size, other.sha256)

    def line(self) -> bytes:
        """The manifest line for this file."""
        item = {"path": self.path, "size": self.size, "sha256": self.sha256, "uid": self.uid}
        return orjson.dumps(item) + b"\n"


@dataclass
class Manifest:
    """What the manifest in a folder says, and whether it can be trusted there."""

    records: dict[str, FileRecord] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)
    #: False for a first-format manifest, or one written for another folder.
    trusted: bool = False
    #: Why it is not trusted, in words for the user (None when trusted or absent).
    doubt: str | None = None


def folder_id(folder: Path) -> list[int]:
    """The folder's identity (device, inode): a copy elsewhere has another."""
    st = os.stat(folder)
    return [st.st_dev, st.st_ino]


def _read_nofollow(path: Path) -> bytes | None:
    """The bytes of ``path`` if it is a regular file (not a link); None otherwise."""
    try:
        st = os.lstat(path)
        if not stat.S_ISREG(st.st_mode) or st.st_size > _MAX_BYTES:
            return None
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read(_MAX_BYTES + 1)


def read(folder: Path) -> Manifest:
    """The manifest in ``folder`` (an empty, untrusted one when there is none)."""
    raw = _read_nofollow(folder / MANIFEST_NAME)
    if raw is None:
        if (folder / MANIFEST_NAME).is_symlink():
            return Manifest(doubt=f"{MANIFEST_NAME} is a symbolic link; it was not read")
        return Manifest()
    lines = raw.split(b"\n")
    try:
        head = orjson.loads(lines[0])
    except orjson.JSONDecodeError:
        head = None
    if not isinstance(head, dict):
        return _first_format(raw)
    if head.get("format") != MANIFEST_FORMAT or head.get("version") != MANIFEST_VERSION:
        return _first_format(raw)
    manifest = Manifest()
    for line in lines[1:]:
        try:
            item = orjson.loads(line)
        except orjson.JSONDecodeError:
            continue  # a torn last line, from an export cut short
        if not isinstance(item, dict):
            continue
        path, size, digest = item.get("path"), item.get("size"), item.get("sha256")
        uid = item.get("uid")
        if isinstance(path, str) and isinstance(size, int) and isinstance(digest, str):
            if path not in manifest.records:
                manifest.order.append(path)
            record = FileRecord(path, size, digest, uid if isinstance(uid, str) else None)
            manifest.records[path] = record
    try:
        here = folder_id(folder)
    except OSError:
        here = None
    if head.get("folder") != here:
        manifest.doubt = (
            f"{MANIFEST_NAME} was written for another folder (copied along with an old "
            "export?): the files it lists were kept"
        )
    else:
        manifest.trusted = True
    return manifest


def _first_format(raw: bytes) -> Manifest:
    """A first-format manifest: the order of its files, vouching for none of them."""
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return Manifest(doubt=f"{MANIFEST_NAME} could not be read; the files it lists were kept")
    files = data.get("files") if isinstance(data, dict) else None
    order = [f for f in files if isinstance(f, str)] if isinstance(files, list) else []
    return Manifest(
        order=order,
        records={},
        doubt=f"{MANIFEST_NAME} is from an older version and has no file hashes: "
        "the files it lists were kept",
    )


def read_order(folder: Path) -> list[str]:
    """The files the last export into ``folder`` wrote, in its order (for the importer)."""
    return read(folder).order


def inside(folder: Path, relative: str) -> Path | None:
    """``folder/relative`` when ``relative`` is a plain relative ``.md`` path inside
    ``folder`` reached through real folders only (no symbolic link on the way)."""
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or ".." in parts or not relative.endswith(".md"):
        return None
    here = folder
    for part in parts[:-1]:
        here = here / part
        try:
            if not stat.S_ISDIR(os.lstat(here).st_mode):
                return None
        except OSError:
            return None
    return here / parts[-1]


def still_matches(folder: Path, record: FileRecord) -> bool:
    """Whether the file of ``record`` is still exactly what the export wrote."""
    target = inside(folder, record.path)
    if target is None:
        return False
    data = _read_nofollow(target)
    return data is not None and FileRecord.of(record.path, data).same_file(record)


class ManifestWriter:
    """Writes the new manifest line by line beside the old one; :meth:`commit` puts it in
    place. Each line reaches the file before the next file is written (no buffering)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.temp = folder / f".{MANIFEST_NAME}.{os.getpid()}.tmp"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.temp)
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW
        self.fd = os.open(self.temp, flags, 0o600)
        self.size = 0
        head = {
            "format": MANIFEST_FORMAT,
            "version": MANIFEST_VERSION,
            "folder": folder_id(folder),
            "fields": list(FIELDS),
        }
        self._write(orjson.dumps(head) + b"\n")

    def _write(self, data: bytes) -> None:
        """Append ``data`` whole, or not at all: a line cut by a full disk is taken back, so
        the lines after it (the old files kept, see ``keep_old_records``) still read."""
        view = memoryview(data)
        try:
            while view:
                view = view[os.write(self.fd, view) :]
        except OSError:
            with contextlib.suppress(OSError):
                os.ftruncate(self.fd, self.size)
                os.lseek(self.fd, self.size, os.SEEK_SET)
            raise
        self.size += len(data)

    def add(self, record: FileRecord) -> None:
        """Record one file written."""
        self._write(record.line())

    def commit(self) -> None:
        """Make the new manifest the folder's (durably)."""
        os.fsync(self.fd)
        os.close(self.fd)
        self.fd = -1
        os.replace(self.temp, self.folder / MANIFEST_NAME)
        fsync_dir(self.folder)

    def discard(self) -> None:
        """Remove the unfinished manifest (the old one stays)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        with contextlib.suppress(OSError):
            os.unlink(self.temp)
