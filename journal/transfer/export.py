"""Markdown export: one readable file, or one file per entry with YAML front matter.

**One file** (:func:`iter_markdown`, :func:`export_file`, :func:`write_markdown`): a short
front matter (title, when it was exported), ``#`` year, ``##`` month, then each entry once,
as :func:`journal.transfer.render.render_entry` makes it. Control characters are shown
escaped, so ``cat journal.md`` is safe on a terminal.

The **restore data** (every field of every entry, exactly) is one block at the end of the
file: Markdown *link reference definitions*, ``[journal-restore-N]: # (...)``, each holding
the JSON of a run of up to :data:`RESTORE_RUN` entries in base64.
CommonMark, Pandoc, Obsidian and GitHub never show a definition nobody links to, and Pandoc
leaves it out of the HTML it writes (an HTML comment, which an earlier format used, is
copied into the page). ``--plain`` leaves the block out.

**One file per entry** (:func:`export_per_entry`): ``YYYY/YYYY-MM-DD-HHMM-slug.md``, YAML front
matter (written by PyYAML) with flat readable properties first (title, date, tags, kind,
prompt, feeling...), then every other field, exactly, under ``journal:``; then the prompt as a
quote, the body exactly as stored and a final line break. A manifest
(:mod:`journal.transfer.manifest`) records each file written with its size and hash, so a
forced re-export touches only files that are still as it wrote them.

Both stream: entries are read one at a time and written as they come. Nothing here imports
Textual.
"""

from __future__ import annotations

import binascii
import functools
import os
import re
import stat
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import orjson

from journal.display import visible
from journal.errors import JournalError
from journal.models import Entry, now_local
from journal.paths import ensure_private_dir
from journal.store.atomic import atomic_writer, fsync_dir
from journal.transfer import manifest as manifest_mod
from journal.transfer.render import MONTH_NAMES, long_day, prompt_quote, render_entry

if TYPE_CHECKING:
    import yaml

    from journal.store import EntryFilter, Store

FORMAT_VERSION = 2
#: The front-matter key that marks a one-file export and its format (``plain``: no restore data).
FORMAT_KEY = "journal-export"
FORMAT_LINE = f"{FORMAT_KEY}: {FORMAT_VERSION}"
PLAIN_LINE = f"{FORMAT_KEY}: plain"
#: Markers of the format-1 file (restore data in an HTML comment under each heading): still read.
FORMAT_MARKER = "<!-- journal:format 1 -->"
PLAIN_MARKER = "<!-- journal:format plain -->"
#: Labels of the restore block's definitions: ``[journal-restore]`` opens it, then one an entry.
RESTORE_LABEL = "journal-restore"
RESTORE_START = (
    f"[{RESTORE_LABEL}]: # (journal restore data, format {FORMAT_VERSION}: "
    "each line below holds up to 256 entries, read by journal import; the text above is not)"
)
MANIFEST_NAME = manifest_mod.MANIFEST_NAME
SLUG_MAX_CHARS = 48
SLUG_MAX_BYTES = 120

ProgressFn = Callable[[int, int], None]


class ExportError(JournalError):
    """The export cannot be written where asked; nothing was written."""


# ---- one file ----------------------------------------------------------------------------------


def export_header(title: str, restore: bool, exported: datetime) -> str:
    """The front matter (title, date and time of export, format) and a line saying when."""
    stamp = exported.isoformat(timespec="seconds")
    safe_title = orjson.dumps(visible(title)).decode()  # a JSON string is a YAML string
    kind = FORMAT_LINE if restore else PLAIN_LINE
    when = f"{long_day(exported.date().isoformat())} at {exported:%H:%M}"
    offset = exported.strftime("%z")
    zone = f" (UTC{offset[:3]}:{offset[3:]})" if offset else ""
    return (
        f"---\ntitle: {safe_title}\ndate: {exported.date().isoformat()}\n"
        f"exported: '{stamp}'\n{kind}\n---\n\n"
        f"*Exported from journal on {when}{zone}.*\n\n"
    )


def restore_json(entries: list[Entry]) -> bytes:
    """Every field of ``entries`` as one JSON array, exactly.

    orjson writes the dataclasses themselves, in field order, exactly as it writes
    ``[e.to_dict() for e in entries]`` (tests/unit/test_performance_export.py proves it).
    One call for a run of entries is about twice as quick as one an entry (45 against
    130 ms at 3,650 entries here, loaded machine), and skips ``to_dict`` too. An entry with a
    follow-up goes through ``to_dict``: a follow-up writes its ``moved``/``missed`` only once
    moved, which orjson's own dataclass form would always write.
    """
    return orjson.dumps([e if e.follow_up is None else e.to_dict() for e in entries])


#: Entries a restore line holds: few enough that a line stays readable by any editor.
RESTORE_RUN = 256


def restore_line(n: int, entries: list[Entry]) -> bytes:
    """The restore block's ``n``-th line (from 1): a run of entries' JSON in base64.

    Base64 holds no character any Markdown reader acts on. JSON as it is did not hide: its
    ``]`` and ``(`` closed what a body left open (Pandoc matches a body's lone ``[`` with the
    next ``]`` anywhere after it, blank lines and all, and then showed the rest), and its text
    could hold control characters a terminal obeys. Costs a third more bytes.
    """
    return b"[%s-%d]: # (%s)\n" % (
        RESTORE_LABEL.encode(),
        n,
        binascii.b2a_base64(restore_json(entries), newline=False),
    )


def iter_markdown(
    entries: Iterable[Entry],
    title: str = "Journal",
    *,
    restore: bool = True,
    exported: datetime | None = None,
) -> Iterator[str]:
    """Stream the one-file export, entries in the order given, one section at a time."""
    for chunk in _chunks(entries, title, restore, exported or now_local()):
        yield chunk.decode("utf-8")


def entry_section(entry: Entry, year: int | None, month: int | None) -> tuple[str, int, int | None]:
    """An entry's part of the one-file export after an entry of ``year`` and ``month``: the
    ``# year`` / ``## Month year`` headings it needs, its text and a blank line; and the year
    and month it leaves. The importer compares a file with these to see whether it was edited.
    """
    y, m = int(entry.day[:4]), int(entry.day[5:7])
    section: list[str] = []
    if y != year:
        year, month = y, None
        section.append(f"# {y}\n\n")
    if m != month:
        month = m
        section.append(f"## {MONTH_NAMES[m]} {y}\n\n")
    section += [render_entry(entry), "\n"]
    return "".join(section), y, month


def _chunks(
    entries: Iterable[Entry],
    title: str,
    restore: bool,
    exported: datetime,
    spool: IO[bytes] | None = None,
) -> Iterator[bytes]:
    """The one-file export in chunks: the header, each entry (after the ``# year`` /
    ``## Month year`` headings it needs), then the restore block.

    The restore lines wait for the end in ``spool`` (a temporary file: memory stays flat)
    or, without one, in memory (a third more than the entries' JSON).
    """
    yield export_header(title, restore, exported).encode()
    saved: list[bytes] = []
    keep = saved.append if spool is None else spool.write
    lines = 0
    run: list[Entry] = []
    year = month = None
    for entry in entries:
        section, year, month = entry_section(entry, year, month)
        yield section.encode()
        if restore:
            run.append(entry)
            if len(run) == RESTORE_RUN:
                lines += 1
                keep(restore_line(lines, run))
                run = []
    if restore:
        if run:
            keep(restore_line(lines + 1, run))
        # The blank line after the first line ends any paragraph a body left reading on:
        # Pandoc reads "\alpha[" as LaTeX up to the next "]", which is the first line's.
        yield (RESTORE_START + "\n\n").encode()
        yield from saved
        if spool is not None:
            spool.seek(0)
            while chunk := spool.read(1 << 20):
                yield chunk


def to_markdown(
    entries: Iterable[Entry],
    title: str = "Journal",
    *,
    restore: bool = True,
    exported: datetime | None = None,
) -> str:
    """The one-file export as a string."""
    return "".join(iter_markdown(entries, title, restore=restore, exported=exported))


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


#: Fields written flat at the top of the front matter and read back from there, so an edit
#: made in Obsidian (a tag added, a title changed, a star) comes back with an import.
READ_BACK = ("title", "tags", "kind", "starred")
#: Flat properties written for readers only (Obsidian, Pandoc, Hugo, Jekyll); the importer
#: takes these fields from ``journal:``, which holds them exactly.
READABLE_ONLY = (
    "date",
    "prompt",
    "feeling",
    "reaction",
    "intensity_before",
    "intensity_after",
    "follow_up",
    "due",
    "revisit_on",
)
#: The front-matter key holding every other field exactly.
NESTED_KEY = "journal"
_CHECKIN_FLAT = ("feeling", "reaction", "intensity_before", "intensity_after")


def display_title(entry: Entry) -> str:
    """A title for every file: the entry's own, its first line, or its day and time."""
    if entry.title:
        return entry.title
    if entry.body.strip():
        return entry.headline
    created = datetime.fromisoformat(entry.created)
    return f"{long_day(entry.day)}, {created:%H:%M}"


def front_matter_data(entry: Entry) -> dict[str, Any]:
    """The front matter of a per-entry file as a mapping (see :data:`READ_BACK`)."""
    data: dict[str, Any] = {
        "title": display_title(entry),
        "date": date.fromisoformat(entry.day),
        "tags": list(entry.tags),
        "kind": entry.kind,
        "starred": entry.starred,
    }
    if entry.prompt:
        data["prompt"] = entry.prompt.text
    for key in _CHECKIN_FLAT:
        value = (entry.checkin or {}).get(key)
        if isinstance(value, (str, int)) and not isinstance(value, bool) and value != "":
            data[key] = value
    if entry.follow_up:
        data["follow_up"] = entry.follow_up.action
        data["due"] = date.fromisoformat(entry.follow_up.due)
    if entry.revisit_on:
        data["revisit_on"] = date.fromisoformat(entry.revisit_on)
    exact = entry.to_dict()
    for name in ("body", *READ_BACK):
        del exact[name]
    if data["title"] != entry.title:
        exact["title"] = entry.title  # the title above is made up: the real one is empty
    data[NESTED_KEY] = exact
    return data


def front_matter(entry: Entry) -> str:
    """The front matter of a per-entry file, as YAML between ``---`` lines."""
    import yaml

    text = yaml.dump(
        front_matter_data(entry),
        Dumper=_front_matter_dumper(),
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1 << 30,  # never fold a long line: folding is where YAML round trips go wrong
    )
    return f"---\n{text}---\n"


def _body_prefix(entry: Entry) -> str:
    return f"{prompt_quote(entry.prompt.text)}\n\n" if entry.prompt else ""


def entry_file_text(entry: Entry) -> str:
    """A per-entry file: front matter, the prompt as a quote, the body exactly as stored,
    and a final line break."""
    return f"{front_matter(entry)}{_body_prefix(entry)}{entry.body}\n"


def fields_from_file(data: dict[str, Any], body: str) -> dict[str, Any]:
    """The entry's fields from a per-entry file's front matter and the text after it.

    Undoes :func:`entry_file_text`: the fields under ``journal:`` and the flat ones of
    :data:`READ_BACK`, the readable-only properties dropped, the prompt quote and the final
    line break taken off the body. A file of the first format (every field at the top, the
    body as it is) comes back as it was.
    """
    nested = data.get(NESTED_KEY)
    if not isinstance(nested, dict):
        return {**data, "body": body}  # format 1
    out = {k: v for k, v in data.items() if k != NESTED_KEY and k not in READABLE_ONLY}
    out.update(nested)
    if body.endswith("\n"):
        body = body[:-1]
    prompt = out.get("prompt")
    if isinstance(prompt, dict) and isinstance(prompt.get("text"), str):
        quote = f"{prompt_quote(prompt['text'])}\n\n"
        if body.startswith(quote):
            body = body[len(quote) :]
    out["body"] = body
    return out


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
    """What an export wrote, and what it left alone."""

    path: Path
    entries: int
    per_entry: bool
    removed: int = 0
    #: Files found in the way and kept, and why: one sentence each.
    notes: tuple[str, ...] = ()
    #: Entries not written because a kept file stands where they go.
    not_written: int = 0

    def describe(self) -> str:
        """One sentence for the user."""
        noun = "entry" if self.entries == 1 else "entries"
        if self.per_entry:
            text = f"Exported {self.entries} {noun} to {self.path}/ (one file each)"
            if self.removed:
                text += f"; removed {self.removed} file(s) left from the previous export"
            if self.not_written:
                text += f"; {self.not_written} not written (see the notes)"
            return text
        if str(self.path) == "-":
            return f"Exported {self.entries} {noun} to standard output"
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


def write_markdown(
    store: Store,
    handle: IO[bytes],
    flt: EntryFilter | None = None,
    *,
    restore: bool = True,
    progress: ProgressFn | None = None,
    exported: datetime | None = None,
    spool: IO[bytes] | None = None,
) -> int:
    """Write the one-file export to an open binary ``handle`` (standard output, say),
    streaming; returns how many entries were written. ``spool``: where the restore data
    waits for the end (memory when None; standard output never puts it on a disk the user
    did not choose)."""
    counter = _Progress(progress, store.count(flt))
    entries = _counted(iter_export_entries(store, flt), counter)
    for chunk in _chunks(entries, "Journal", restore, exported or now_local(), spool):
        handle.write(chunk)
    counter.finish()
    return counter.done


def export_file(
    store: Store,
    path: Path,
    flt: EntryFilter | None = None,
    *,
    force: bool = False,
    restore: bool = True,
    progress: ProgressFn | None = None,
    exported: datetime | None = None,
) -> ExportResult:
    """Write the one-file export to ``path``, streaming, through a temp file and a rename."""
    path = Path(path).expanduser()
    if os.path.realpath(path) == os.path.realpath(store.path):
        raise ExportError(
            f"{path} is the journal itself; exporting there would replace it.",
            "Choose another file name.",
        )
    check_target(path, per_entry=False, force=force)
    ensure_private_dir(path.parent)
    # The restore data waits in a nameless temporary file beside the export (0600, gone
    # when closed, even after a crash where the system allows it): at 36,500 entries it is
    # ~100 MB that memory need not hold.
    with (
        atomic_writer(path, binary=True) as handle,
        tempfile.TemporaryFile(dir=path.parent) as spool,
    ):
        done = write_markdown(
            store,
            handle,
            flt,
            restore=restore,
            progress=progress,
            exported=exported,
            spool=spool,
        )
    return ExportResult(path, done, per_entry=False)


def _counted(entries: Iterator[Entry], counter: _Progress) -> Iterator[Entry]:
    """``entries`` as they are, with a tick after each."""
    for entry in entries:
        yield entry
        counter.tick()


def read_manifest(folder: Path) -> list[str]:
    """The files a per-entry export in ``folder`` wrote last time, in order (for import)."""
    return manifest_mod.read_order(folder)


def _write_entry_file(target: Path, data: bytes) -> None:
    """Write ``target`` (0600) through a temp file and a rename, without an fsync of its own.

    Readers never see half a file. Durability comes from one flush of the whole export at
    the end (:func:`_flush_to_disk`): an fsync per file costs ~8 ms here, minutes for a big
    journal, and an export is a copy, not the only place the words live.
    """
    with atomic_writer(target, binary=True, durable=False) as handle:
        handle.write(data)


def _flush_to_disk(folders: Iterable[Path]) -> None:
    """Push every file written to disk at once, then make the renames in ``folders`` durable."""
    # os.sync is POSIX only; where it is missing, fsync_dir below is all there is.
    sync = getattr(os, "sync", None)
    if sync is not None:
        sync()
    for folder in folders:
        fsync_dir(folder)


#: A Markdown link or image to a file in the journal's attachments folder (Day One media).
_ATTACHMENT_LINK_RE = re.compile(r"\]\((attachments/[A-Za-z0-9._/-]+)\)")


class _PerEntryRun:
    """One per-entry export into ``folder``: where each file goes, what is kept, the manifest."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.old = manifest_mod.read(folder)
        self.writer = manifest_mod.ManifestWriter(folder)
        self.namer = FileNamer()
        self.years: dict[str, bool] = {}  # year folder -> usable
        self.written: set[str] = set()
        self.kept: set[str] = set()  # named in a note already
        self.old_paths = {r.uid: p for p, r in self.old.records.items() if r.uid is not None}
        self._checked: dict[str, bool] = {}
        self.notes: list[str] = []
        self.not_written = 0
        if self.old.doubt:
            self.notes.append(self.old.doubt)

    def _year_ok(self, year: str) -> bool:
        if year not in self.years:
            where = self.folder / year
            usable = True
            if os.path.lexists(where):
                usable = stat.S_ISDIR(os.lstat(where).st_mode)
                if not usable:
                    self.notes.append(
                        f"{year}/ is a symbolic link or not a folder: it was not followed, "
                        f"and the entries of {year} were not written"
                    )
            else:
                ensure_private_dir(where)
            self.years[year] = usable
        return self.years[year]

    def _ours(self, relative: str) -> bool:
        """Whether the last export wrote ``relative`` and it is still exactly as written."""
        if relative not in self._checked:
            record = self.old.records.get(relative)
            self._checked[relative] = (
                self.old.trusted
                and record is not None
                and manifest_mod.still_matches(self.folder, record)
            )
        return self._checked[relative]

    def _edited_copy(self, entry: Entry) -> str | None:
        """The file the last export wrote for ``entry``, when it is there and has changed."""
        relative = self.old_paths.get(entry.uid)
        if relative is None or not os.path.lexists(self.folder / relative):
            return None
        return None if self._ours(relative) else relative

    def place(self, entry: Entry) -> str | None:
        """Where ``entry`` goes (relative), or None when it is not written: a changed copy
        of it stands in the folder, or a kept file where it must go."""
        edited = self._edited_copy(entry)
        if edited is not None:
            # The user's edit wins, and the entry is not written a second time beside it
            # (the folder would then hold it twice and not import).
            self.notes.append(
                f"{edited} has changed since the last export (or could not be checked): "
                "kept, and its entry not written again; import it or move it away, then "
                "export again"
            )
            self.kept.add(edited)
            self.not_written += 1
            return None
        relative = self.namer.path_for(entry)
        while True:
            if not self._year_ok(relative.split("/", 1)[0]):
                self.not_written += 1
                return None
            target = self.folder / relative
            if not os.path.lexists(target) or self._ours(relative):
                return relative
            if relative in self.old.order:
                # The last export wrote it and it has changed since (or cannot be vouched
                # for): the user's edit wins, and this entry is not written over it.
                self.notes.append(
                    f"{relative} has changed since the last export (or could not be checked): "
                    "kept; import it or move it away, then export again"
                )
                self.kept.add(relative)
                self.not_written += 1
                return None
            self.notes.append(f"{relative} is not a file this export wrote: kept")
            relative = self.namer.path_for(entry)

    def write(self, relative: str, data: bytes, uid: str | None) -> None:
        """Write one file, then its manifest line; a file not recorded is removed again."""
        target = self.folder / relative
        _write_entry_file(target, data)
        try:
            self.writer.add(manifest_mod.FileRecord.of(relative, data, uid))
        except OSError:
            target.unlink()  # ours, just written: the manifest must list every file it leaves
            raise
        self.written.add(relative)

    def carry_attachments(self, entry: Entry, relative: str, journal_folder: Path) -> None:
        """Copy the media an entry links to (``attachments/...`` beside the journal, e.g. a
        Day One photo) next to its file, so the link works from the export as it does from
        the journal. A file of the user's own in the way is kept and named in a note."""
        names = _ATTACHMENT_LINK_RE.findall(entry.body)
        if not names:
            return
        year = relative.split("/", 1)[0]
        for name in dict.fromkeys(names):
            source = journal_folder / name
            if ".." in Path(name).parts or not source.is_file() or source.is_symlink():
                continue
            target_relative = f"{year}/{name}"
            if target_relative in self.written:
                continue
            data = source.read_bytes()
            target = self.folder / target_relative
            if os.path.lexists(target) and not self._ours(target_relative):
                same = target.is_file() and not target.is_symlink() and target.read_bytes() == data
                if not same:
                    self.notes.append(f"{target_relative} is not a file this export wrote: kept")
                    continue
            for parent in reversed(Path(target_relative).parents[:-1]):
                where = self.folder / parent
                if os.path.islink(where):
                    self.notes.append(f"{parent}/ is a symbolic link: not followed")
                    break
                ensure_private_dir(where)
            else:
                self.write(target_relative, data, None)

    def remove_stale(self) -> int:
        """Delete files the last export wrote, not written this time, still as written."""
        removed = 0
        for relative in self.old.records:
            if relative in self.written or relative in self.kept:
                continue
            if self._ours(relative):
                target = manifest_mod.inside(self.folder, relative)
                assert target is not None  # _ours checked it
                target.unlink()
                removed += 1
            elif os.path.lexists(self.folder / relative):
                self.notes.append(
                    f"{relative} has changed since the last export (or could not be checked): "
                    "kept, though no entry goes there any more"
                )
        return removed

    def keep_old_records(self) -> None:
        """After a cut-short run: the old files not reached are still the export's."""
        for relative, record in self.old.records.items():
            if relative not in self.written and self.old.trusted:
                self.writer.add(record)


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
    disk once at the end. Writing into a non-empty folder needs ``force``; even then only
    files the last export wrote there and that are still exactly as written (its manifest)
    are overwritten or, when no entry goes there any more, removed. Symbolic links are never
    followed; everything else is kept and named in the result's notes. A run cut short (a
    full disk) leaves a manifest of every file it did write, and says so.
    """
    folder = Path(folder).expanduser()
    check_target(folder, per_entry=True, force=force)
    total = store.count(flt)
    ensure_private_dir(folder)
    counter = _Progress(progress, total)
    run = _PerEntryRun(folder)
    day = None
    try:
        for entry in iter_export_entries(store, flt):
            if entry.day != day:
                day = entry.day
                run.namer.forget()
            relative = run.place(entry)
            if relative is not None:
                run.write(relative, entry_file_text(entry).encode("utf-8"), entry.uid)
                run.carry_attachments(entry, relative, store.path.parent)
            counter.tick()
        removed = run.remove_stale()
        _flush_to_disk([folder, *(folder / y for y, ok in run.years.items() if ok)])
        run.writer.commit()
    except OSError as exc:
        _cut_short(run, exc)
    counter.finish()
    return ExportResult(
        folder,
        counter.done - run.not_written,
        per_entry=True,
        removed=removed,
        notes=tuple(run.notes),
        not_written=run.not_written,
    )


def _cut_short(run: _PerEntryRun, exc: OSError) -> None:
    """Leave a manifest of what was written, then raise :class:`ExportError`."""
    try:
        run.keep_old_records()
        run.writer.commit()
        kept = f"the {len(run.written)} file(s) written are listed in {MANIFEST_NAME}"
    except OSError:
        run.writer.discard()
        kept = f"{MANIFEST_NAME} could not be updated either"
    raise ExportError(
        f"The export stopped after {len(run.written)} file(s): {exc.strerror or exc}; {kept}.",
        "Free some space (or fix the folder) and export again with --force.",
    ) from None
