"""Markdown export: one readable file, or one file per entry with YAML front matter.

**One file** (:func:`iter_markdown`, :func:`export_file`): ``#`` year, ``##`` month, then each
entry as :func:`journal.transfer.render.render_entry` makes it: a ``###`` heading (weekday,
date, time, title), the prompt as a quote, the body made safe, a line of tags, kind, star and
follow-up, then the check-in answers under their own sub-headings.

Each entry also carries, in an HTML comment right under its heading (invisible once
rendered), all its fields as JSON: that is what lets ``journal import FILE.md`` restore the
journal exactly, since the readable text above has been demoted and escaped. ``--plain``
leaves those comments out.

**One file per entry** (:func:`export_per_entry`): ``YYYY/YYYY-MM-DD-HHMM-slug.md``, YAML front
matter with every field (written by PyYAML, strings quoted whenever YAML would read them as
something else), then the body exactly as stored, byte for byte.

Both stream: entries are read one at a time and written as they come, so memory stays flat
however large the journal is. Every file goes through :mod:`journal.store.atomic`. Nothing
here imports Textual.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

import orjson

from journal.errors import JournalError
from journal.models import FIELDS, Entry
from journal.paths import ensure_private_dir
from journal.store.atomic import atomic_writer, fsync_dir
from journal.transfer.render import MONTH_NAMES, entry_pieces

if TYPE_CHECKING:
    import yaml

    from journal.store import EntryFilter, Store

FORMAT_VERSION = 1
#: Second line of a one-file export; the importer looks for it.
FORMAT_MARKER = f"<!-- journal:format {FORMAT_VERSION} -->"
PLAIN_MARKER = "<!-- journal:format plain -->"
#: Written into a per-entry folder: the files this export wrote, so a forced re-export can
#: remove the ones it wrote last time that no longer exist (a renamed or deleted entry).
MANIFEST_NAME = ".journal-export.json"
SLUG_MAX_CHARS = 48
SLUG_MAX_BYTES = 120

ProgressFn = Callable[[int, int], None]


class ExportError(JournalError):
    """The export cannot be written where asked; nothing was written."""


# ---- one file ----------------------------------------------------------------------------------


def export_header(title: str, restore: bool) -> str:
    """The first lines of a one-file export: the title comment and the format marker."""
    safe_title = re.sub(r"-{2,}", "-", title).replace(">", "")
    marker = FORMAT_MARKER if restore else PLAIN_MARKER
    return f"<!-- {safe_title}: exported by journal -->\n{marker}\n\n"


def iter_markdown(
    entries: Iterable[Entry], title: str = "Journal", *, restore: bool = True
) -> Iterator[str]:
    """Stream the one-file export, entries in the order given, one section at a time."""
    for section in _sections(entries, title, restore):
        yield "".join([p if isinstance(p, str) else p.decode() for p in section])


def _sections(entries: Iterable[Entry], title: str, restore: bool) -> Iterator[list[str | bytes]]:
    """The one-file export in sections, each a list of pieces to join: the header, then each
    entry (as :func:`journal.transfer.render.entry_pieces` makes it) after the ``# year`` /
    ``## Month year`` headings it needs."""
    yield [export_header(title, restore)]
    year = month = None
    for entry in entries:
        y, m = int(entry.day[:4]), int(entry.day[5:7])
        section: list[str | bytes] = []
        if y != year:
            year, month = y, None
            section.append(f"# {y}\n\n")
        if m != month:
            month = m
            section.append(f"## {MONTH_NAMES[m]} {y}\n\n")
        section += entry_pieces(entry, restore)
        section.append("\n")
        yield section


def to_markdown(entries: Iterable[Entry], title: str = "Journal", *, restore: bool = True) -> str:
    """The one-file export as a string."""
    return "".join(iter_markdown(entries, title, restore=restore))


# ---- one file per entry -----------------------------------------------------------------------


@functools.cache
def _front_matter_dumper() -> type[yaml.SafeDumper]:
    """The YAML dumper for front matter, made on first use.

    PyYAML is imported here (~15 ms the one-file export does not need). libyaml's dumper
    when PyYAML has it: about ten times faster, same safe types and resolvers.
    """
    import yaml

    base: type[yaml.SafeDumper] = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

    class _FrontMatterDumper(base):  # type: ignore[misc]  # base is Any: PyYAML has no types
        """SafeDumper that quotes every string YAML could misread, and keeps text as text."""

    _FrontMatterDumper.add_representer(str, _represent_str)
    return _FrontMatterDumper


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style: str | None = None
    if not data.replace("\n", "").isprintable():
        # Control, format (zero-width, bidi), separator (U+2028, no-break space...), private
        # and unassigned characters: double quotes escape every one of them exactly.
        style = '"'
    elif "\n" in data:
        # Readable multi-line text; PyYAML falls back to double quotes when a literal block
        # cannot hold it exactly (trailing spaces on a line, for one).
        style = "|"
    elif data != data.strip() or not data:
        style = "'" if "'" not in data else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def front_matter(entry: Entry) -> str:
    """Every field but the body, as YAML between ``---`` lines."""
    data = entry.to_dict()
    del data["body"]
    import yaml

    text = yaml.dump(
        data,
        Dumper=_front_matter_dumper(),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1 << 30,  # never fold a long line: folding is where YAML round trips go wrong
    )
    return f"---\n{text}---\n"


def entry_file_text(entry: Entry) -> str:
    """A per-entry file: front matter, then the body exactly as stored."""
    return front_matter(entry) + entry.body


def slugify(text: str, *, fallback: str = "entry") -> str:
    """A file-name-safe slug: letters and digits of any script, joined by ``-``.

    NFKC-normalised and case-folded (so names differing only in case or Unicode form do
    not collide on macOS and Windows), no punctuation, no zero-width or bidi characters,
    at most :data:`SLUG_MAX_CHARS` characters and :data:`SLUG_MAX_BYTES` bytes.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    # Zero-width and bidi marks vanish; other punctuation, symbols and spaces split words.
    kept = [
        ch
        if unicodedata.category(ch)[0] in "LNM"
        else ""
        if unicodedata.category(ch) == "Cf"
        else " "
        for ch in text
    ]
    words = "".join(kept).split()
    slug = unicodedata.normalize("NFC", "-".join(words))
    # Never start with a combining mark (it would sit on the "-" before it).
    while slug and unicodedata.category(slug[0])[0] == "M":
        slug = slug[1:]
    slug = slug[:SLUG_MAX_CHARS]
    while len(slug.encode("utf-8")) > SLUG_MAX_BYTES:
        slug = slug[:-1]
    return slug.strip("-") or fallback


_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{base}{n}" for base in ("com", "lpt") for n in [*range(1, 10), "¹", "²", "³"]
}
_UNSAFE_CHARS_RE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def safe_name(name: str, *, fallback: str = "entry") -> str:
    """``name`` made safe as one path component on Linux, macOS and Windows."""
    name = _UNSAFE_CHARS_RE.sub("-", unicodedata.normalize("NFC", name))
    name = name.rstrip(". ").lstrip(" ")
    if not name or name in (".", ".."):
        return fallback
    stem = name.split(".", 1)[0]
    if stem.rstrip(" ").casefold() in _WINDOWS_RESERVED:
        # CON, NUL.txt, com1.md...: reserved on Windows whatever the extension.
        name = f"{stem}-{name[len(stem) :]}"
    return name


def entry_stem(entry: Entry) -> str:
    """``2026-11-22-0914-after-the-outage``: day, time written and a slug of the title."""
    created = datetime.fromisoformat(entry.created)
    source = entry.title or (entry.headline if entry.body.strip() else "")
    return f"{entry.day}-{created:%H%M}-{slugify(source)}"


class FileNamer:
    """Hands out ``YYYY/stem.md`` paths that never collide, even on case-insensitive disks."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def forget(self) -> None:
        """Drop the names handed out so far: call when the day changes in a day-sorted run
        (names start with the day, so they cannot clash across days); memory stays flat."""
        self._taken.clear()

    def path_for(self, entry: Entry) -> str:
        """A fresh relative path (POSIX form) for ``entry``: ``-2``, ``-3``... on a clash."""
        stem = entry_stem(entry)
        year = entry.day[:4]
        n = 1
        while True:
            suffix = "" if n == 1 else f"-{n}"
            name = f"{year}/{safe_name(f'{stem}{suffix}.md')}"
            key = unicodedata.normalize("NFC", name).casefold()
            if key not in self._taken:
                self._taken.add(key)
                return name
            n += 1


# ---- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    entries: int
    per_entry: bool
    removed: int = 0

    def describe(self) -> str:
        """One sentence for the user."""
        noun = "entry" if self.entries == 1 else "entries"
        if self.per_entry:
            text = f"Exported {self.entries} {noun} to {self.path}/ (one file each)"
            if self.removed:
                text += f"; removed {self.removed} file(s) left from the previous export"
            return text
        return f"Exported {self.entries} {noun} to {self.path}"


def export_conflict(path: Path, *, per_entry: bool) -> str | None:
    """What exporting to ``path`` would overwrite (a sentence), or None when nothing.

    Raises :class:`ExportError` when the path cannot be used at all (a folder where a file
    is wanted, or the other way round).
    """
    path = Path(path)
    if per_entry:
        if path.exists() and not path.is_dir():
            raise ExportError(
                f"{path} is a file; a per-entry export needs a folder.",
                "Give a folder name (it is created if missing).",
            )
        if path.is_dir():
            with os.scandir(path) as items:
                if any(True for _ in items):
                    return f"The folder {path} is not empty."
        return None
    if path.is_dir():
        raise ExportError(
            f"{path} is a folder; a one-file export needs a file name.",
            "Give a file name such as journal.md, or export --per-entry to a folder.",
        )
    if path.exists() or path.is_symlink():
        return f"{path} exists."
    return None


def check_target(path: Path, *, per_entry: bool, force: bool) -> None:
    """Refuse (with :class:`ExportError`) to overwrite anything unless ``force``."""
    conflict = export_conflict(path, per_entry=per_entry)
    if conflict and not force:
        raise ExportError(
            f"{conflict} Nothing was written.",
            "Choose another path, or overwrite it (--force on the command line).",
        )


def iter_export_entries(store: Store, flt: EntryFilter | None) -> Iterator[Entry]:
    """The entries to export, oldest first, one at a time."""
    return store.iter_entries(flt, oldest_first=True)


class _Progress:
    """Calls ``progress(done, total)`` about every 1 % and once at the end."""

    def __init__(self, progress: ProgressFn | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.step = max(1, total // 100)
        self.done = 0
        if progress:
            progress(0, total)

    def tick(self) -> None:
        self.done += 1
        if self.progress and (self.done % self.step == 0 or self.done == self.total):
            self.progress(self.done, max(self.total, self.done))

    def finish(self) -> None:
        if self.progress:
            self.progress(self.done, self.done)


def export_file(
    store: Store,
    path: Path,
    flt: EntryFilter | None = None,
    *,
    force: bool = False,
    restore: bool = True,
    progress: ProgressFn | None = None,
) -> ExportResult:
    """Write the one-file export to ``path``, streaming (memory stays flat)."""
    path = Path(path).expanduser()
    if os.path.realpath(path) == os.path.realpath(store.path):
        raise ExportError(
            f"{path} is the journal itself; exporting there would replace it.",
            "Choose another file name.",
        )
    check_target(path, per_entry=False, force=force)
    total = store.count(flt)
    ensure_private_dir(path.parent)
    counter = _Progress(progress, total)
    entries = _counted(iter_export_entries(store, flt), counter)
    with atomic_writer(path, binary=True) as handle:
        for section in _sections(entries, "Journal", restore):
            # One write an entry, its text pieces encoded and the JSON as orjson wrote it.
            handle.write(b"".join([p.encode() if isinstance(p, str) else p for p in section]))
    counter.finish()
    return ExportResult(path, counter.done, per_entry=False)


def _counted(entries: Iterator[Entry], counter: _Progress) -> Iterator[Entry]:
    """``entries`` as they are, with a tick after each."""
    for entry in entries:
        yield entry
        counter.tick()


def read_manifest(folder: Path) -> list[str]:
    """The files a per-entry export in ``folder`` wrote last time (none if it has no manifest)."""
    try:
        data = orjson.loads((folder / MANIFEST_NAME).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return []
    files = data.get("files") if isinstance(data, dict) else None
    return [f for f in files if isinstance(f, str)] if isinstance(files, list) else []


def _inside(folder: Path, relative: str) -> Path | None:
    """``folder/relative`` if ``relative`` is a plain relative ``.md`` path inside ``folder``."""
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or ".." in parts or not relative.endswith(".md"):
        return None
    return folder.joinpath(*parts)


def _write_entry_file(target: Path, entry: Entry) -> None:
    """Write ``target`` (0600) through a temp file and a rename, without an fsync of its own.

    Readers never see half a file. Durability comes from one flush of the whole export at
    the end (:func:`_flush_to_disk`): an fsync per file costs ~8 ms here, minutes for a big
    journal, and an export is a copy, not the only place the words live.
    """
    with atomic_writer(target, binary=True, durable=False) as handle:
        handle.write(entry_file_text(entry).encode("utf-8"))


def _flush_to_disk(folders: Iterable[Path]) -> None:
    """Push every file written to disk at once, then make the renames in ``folders`` durable."""
    # os.sync is POSIX only; where it is missing, fsync_dir below is all there is.
    sync = getattr(os, "sync", None)
    if sync is not None:
        sync()
    for folder in folders:
        fsync_dir(folder)


def export_per_entry(
    store: Store,
    folder: Path,
    flt: EntryFilter | None = None,
    *,
    force: bool = False,
    progress: ProgressFn | None = None,
) -> ExportResult:
    """Write one Markdown file per entry under ``folder``, streaming.

    Each file is replaced atomically (0600, folders 0700) and the whole export is flushed to
    disk once at the end. Overwriting a non-empty folder needs ``force``; then files the
    previous export wrote there (listed in its manifest) that this export does not write
    again are removed, so a renamed entry leaves no stale copy.
    """
    folder = Path(folder).expanduser()
    check_target(folder, per_entry=True, force=force)
    total = store.count(flt)
    ensure_private_dir(folder)
    # Only a forced re-export holds a list of names: the files it may have to remove.
    stale = set(read_manifest(folder))
    namer = FileNamer()
    day = None
    made: set[str] = set()
    counter = _Progress(progress, total)
    # The manifest is written as the files are (it is renamed into place only at the end).
    with atomic_writer(folder / MANIFEST_NAME) as manifest:
        fields = orjson.dumps(list(FIELDS)).decode()
        manifest.write(
            f'{{"format": "journal per-entry export", "version": {FORMAT_VERSION},\n'
            f'"fields": {fields},\n"files": ['
        )
        for entry in iter_export_entries(store, flt):
            if entry.day != day:
                day = entry.day
                namer.forget()
            relative = namer.path_for(entry)
            year = relative.split("/", 1)[0]
            if year not in made:
                ensure_private_dir(folder / year)
                made.add(year)
            _write_entry_file(folder / relative, entry)
            manifest.write(("\n" if counter.done == 0 else ",\n") + orjson.dumps(relative).decode())
            stale.discard(relative)
            counter.tick()
        manifest.write("\n]}\n")
        removed = 0
        for relative in stale:
            old = _inside(folder, relative)
            if old is None:
                continue
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                old.unlink()
                removed += 1
        _flush_to_disk([folder, *(folder / year for year in made)])
    counter.finish()
    return ExportResult(folder, counter.done, per_entry=True, removed=removed)
