"""Import: our own exports back in, and jrnl's JSON export so jrnl users can move in.

Three sources, one rule: **all or nothing**. Everything is read and validated first; a file
that does not parse gets an error naming the file and the line, and the journal is not
touched. Only then is the journal written, once (``Store.upsert_many`` in one transaction).

- A **per-entry folder** (``journal export --per-entry DIR``): every ``*.md`` file under it
  (hidden files and folders skipped) with YAML front matter; the body is the rest of the
  file, byte for byte. Restores exactly.
- A **one-file export** (``journal export -o FILE.md``): each entry's exact fields are in the
  restore block at the end of the file (``[journal-restore-N]: # (base64 of JSON)``, a line
  for each run of up to 256 entries; the first format had a hidden comment under each
  heading instead); that, not the readable (demoted, escaped) text, is what is read.
  Restores exactly. A file exported with ``--plain`` has no restore data and cannot be
  imported.
- A **jrnl JSON export** (``jrnl --export json``): ``date`` + ``time`` (local), ``title``,
  ``body``, ``tags`` (``@`` dropped) and ``starred``.

Limits: only regular files are read (without blocking; links inside a folder are not
followed), each at most :data:`MAX_FILE_BYTES` (a per-entry file
:data:`MAX_ENTRY_FILE_BYTES`); front matter as :mod:`journal.transfer.frontmatter` allows; a
one-file import holds at most :data:`MEMORY_FACTOR` times the file in memory.

Importing twice adds nothing. Our entries match by uid: the same content is skipped, a
different one replaces the journal's copy ("updated"), unless the journal's copy was changed
later than the file's, which is kept and reported. A file's copy dated more than a day in the
future is suspect (a clock set wrong): it never replaces the journal's copy, and is reported.
jrnl entries have no id: they match by day, title and body, and get a stable uid derived from
them so a re-import finds them again.
"""

from __future__ import annotations

import binascii
import codecs
import json
import os
import re
import stat
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from markdown_it import MarkdownIt

from journal.display import visible_line
from journal.errors import DatabaseError, EntryError, JournalError
from journal.models import FIELDS, Entry, normalise_tag, normalise_tags, now_local, parse_timestamp
from journal.store import Store
from journal.store.files import FileTooLarge, open_regular_file, read_capped
from journal.transfer import frontmatter
from journal.transfer.export import (
    FORMAT_LINE,
    FORMAT_MARKER,
    MANIFEST_NAME,
    NESTED_KEY,
    PLAIN_LINE,
    PLAIN_MARKER,
    READABLE_ONLY,
    RESTORE_LABEL,
    entry_section,
    fields_from_file,
    read_manifest,
)
from journal.transfer.render import render_entry

#: The first format's hidden comment under each entry heading.
_V1_PREFIX, _V1_SUFFIX = "<!-- journal:entry ", " -->"

if TYPE_CHECKING:
    from journal.transfer.dayone import DayOneExport

FORMATS = ("journal", "jrnl", "dayone", "markdown")
ProgressFn = Callable[[int, int], None]
#: jrnl entries get uids derived from their content in this namespace (uuid5).
JRNL_NAMESPACE = uuid.UUID("6f1c1c1e-7c0a-4c55-9d5e-6a6f75726e6c")
_MAX_PROBLEMS = 10
_block_md = MarkdownIt("commonmark").disable("inline")
_HINT = (
    "Nothing was imported; the journal has not been changed. Fix the file and run the import again."
)
_NOT_A_FILE = "Import a file or a folder of Markdown or jrnl JSON."
#: The most journal reads from a one-file export or a jrnl JSON file. Import memory is a
#: small multiple of the file (see :func:`read_markdown`), so this keeps it within a few GB.
MAX_FILE_BYTES = 512 * 1024 * 1024
#: The most journal reads from one file of a per-entry export (an entry is kilobytes).
MAX_ENTRY_FILE_BYTES = 16 * 1024 * 1024
_TOO_LARGE_HINT = (
    "Split it into smaller files (journal export takes --since and --until) and import each."
)
# markdown-it's line breaks (a lone CR counts), so line numbers match its token maps.
_NEWLINE_RE = re.compile(r"\r\n?|\n")


class ImportFailed(JournalError):
    """The source cannot be imported as it is; the journal has not been changed."""


@dataclass(frozen=True)
class Incoming:
    """One entry read from the source, and where it came from (for messages)."""

    entry: Entry
    where: str
    #: jrnl only: (day, title, body), what a jrnl entry is matched on.
    content_key: tuple[str, str, str] | None = None


@dataclass
class Source:
    """Everything read from an import source, validated."""

    kind: str  # "folder", "markdown", "jrnl", "dayone" or "notes"
    entries: list[Incoming]
    warnings: list[str] = field(default_factory=list)
    #: Day One: the media to copy beside the journal before it is written.
    dayone: DayOneExport | None = None
    #: Notes read from a folder of Markdown (not our export): how many of each kind.
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class ImportPlan:
    """What an import does (or, in a dry run, would do)."""

    source: Path
    format: str
    added: list[Entry] = field(default_factory=list)
    updated: list[Entry] = field(default_factory=list)
    skipped: list[Entry] = field(default_factory=list)
    #: In the journal and different there, but changed there later: left alone.
    kept: list[Entry] = field(default_factory=list)
    #: The file's copies that say they were changed in the future (more than
    #: :data:`FUTURE_SLACK` from now): suspect, so the journal's copy was kept.
    future: list[Entry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def changes(self) -> list[Entry]:
        """The entries to write."""
        return [*self.added, *self.updated]

    def summary(self, *, dry_run: bool = False) -> str:
        """``Added 3, updated 1, skipped 12 (already in the journal).``"""
        a, u, s, k = len(self.added), len(self.updated), len(self.skipped), len(self.kept)
        if dry_run:
            text = f"Would add {a}, update {u} and skip {s} (already in the journal)"
        else:
            text = f"Added {a}, updated {u}, skipped {s} (already in the journal)"
        if k:
            text += f"; kept {k} the journal changed after the file was written"
        if self.future:
            text += f"; kept {len(self.future)} the file dates in the future"
        return text + "."


# ---- reading ---------------------------------------------------------------------------------


def detect_format(path: Path) -> str:
    """``journal`` for a folder or one of our Markdown files, ``jrnl`` for JSON, ``dayone`` for
    a zip or a Day One JSON file, ``markdown`` for a folder or file of notes that journal did
    not write."""
    import zipfile

    if path.is_file():
        try:
            with open_regular_file(path) as handle:
                if zipfile.is_zipfile(handle):
                    return "dayone"
                handle.seek(0)
                head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
        except DatabaseError as exc:
            raise ImportFailed(exc.message, _NOT_A_FILE) from None
    if path.is_dir():
        from journal.transfer.notes import looks_like_notes

        if looks_like_notes(path):
            return "markdown"
        # A folder of jrnl's one-entry JSON files has .json files and no Markdown at all.
        jsons = any(p.suffix == ".json" and not p.name.startswith(".") for p in path.iterdir())
        return "jrnl" if jsons and not entry_files(path) else "journal"
    if head.startswith(b"{"):
        # Day One's export opens with its metadata and an "entries" list of uuid'd entries.
        return "dayone" if b'"metadata"' in head else "jrnl"
    text = head.decode("utf-8", "replace")
    ours = (FORMAT_MARKER, PLAIN_MARKER, f"\n{FORMAT_LINE}\n", f"\n{PLAIN_LINE}\n")
    if not any(marker in text for marker in ours):
        return "markdown"  # a note of the user's own, not an export journal wrote
    return "journal"


def read_source(
    path: Path, fmt: str | None = None, *, progress: ProgressFn | None = None
) -> Source:
    """Read and validate every entry of ``path``; raise :class:`ImportFailed` on any problem."""
    path = Path(path).expanduser()
    if not path.exists():
        raise ImportFailed(f"{path} does not exist.", "Check the path and try again.")
    if not (path.is_dir() or path.is_file()):  # a FIFO or a device would hang the read
        raise ImportFailed(
            f"{path} is not a file or a folder (a pipe, device or socket), so it was not read.",
            _NOT_A_FILE,
        )
    if fmt is not None and fmt not in FORMATS:
        raise ImportFailed(f"Unknown format {fmt!r}.", f"Use one of: {', '.join(FORMATS)}.")
    fmt = fmt or detect_format(path)
    if fmt == "jrnl":
        jrnl_entries, skipped = read_jrnl(path, progress=progress)
        return Source("jrnl", jrnl_entries, skipped)
    if fmt == "dayone":
        return _read_dayone(path, progress)
    if fmt == "markdown":
        from journal.transfer.notes import NotesError, read_notes

        try:
            notes = read_notes(path, progress=progress)
        except NotesError as exc:
            raise ImportFailed(exc.message, exc.hint or _HINT) from None
        source = Source(
            "notes",
            [Incoming(e, w) for e, w in notes.entries],
            notes.warnings(),
            counts=notes.counts,
        )
        _check_unique_uids(source.entries)
        return source
    if path.is_dir():
        folder_entries, skipped = read_folder(path, progress=progress)
        source = Source("folder", folder_entries, skipped)
    else:
        if detect_format(path) == "jrnl":
            raise ImportFailed(
                f"{path} is JSON, not a Markdown export written by journal.",
                "For a jrnl export use --format jrnl.",
            )
        incoming, edited = read_markdown(path, progress=progress)
        source = Source("markdown", incoming)
        if edited:
            source.warnings.append(
                f"{edited} entr{'y' if edited == 1 else 'ies'} in {path} had readable text "
                "different from their restore data (edited by hand?); the restore data was "
                "used. To edit entries outside journal, use a --per-entry export."
            )
    _check_unique_uids(source.entries)
    return source


def _read_dayone(path: Path, progress: ProgressFn | None) -> Source:
    from journal.transfer.dayone import DayOneError, read_dayone

    if path.is_dir():
        raise ImportFailed(
            f"{path} is a folder; a Day One export is the zip Day One wrote (or its .json).",
            "Import the zip file itself: journal import --format dayone Export.zip",
        )
    try:
        export = read_dayone(path, progress=progress)
    except DayOneError as exc:
        raise ImportFailed(exc.message, exc.hint or _HINT) from None
    source = Source("dayone", [Incoming(e, w) for e, w in export.entries], dayone=export)
    if export.missing_media:
        source.warnings.append(
            f"{export.missing_media} photo(s) or other media named by entries are not in the "
            "export; the text says so where each one was."
        )
    if len(export.journals) > 1:
        source.warnings.append(
            "Several Day One journals: each entry is tagged with its own ("
            # As the tags are written (normalised): "Work Stuff" is dayone-work-stuff.
            + ", ".join(normalise_tag(f"dayone-{j}") for j in export.journals)
            + ")."
        )
    _check_unique_uids(source.entries)
    return source


def _check_unique_uids(incoming: list[Incoming]) -> None:
    seen: dict[str, str] = {}
    problems = []
    for item in incoming:
        first = seen.setdefault(item.entry.uid, item.where)
        if first != item.where:
            problems.append(
                f"{item.where}: the same entry (uid {item.entry.uid}) is also in {first}"
            )
    if problems:
        _fail(problems, "Remove one of the two copies (keep the one you want) and try again.")


def _fail(problems: list[str], hint: str = _HINT) -> None:
    shown = problems[:_MAX_PROBLEMS]
    more = len(problems) - len(shown)
    if len(problems) == 1:
        message = f"Cannot import {problems[0]}"
    else:
        message = f"Cannot import ({len(problems)} problems):\n" + "\n".join(
            f"  {p}" for p in shown
        )
    if more:
        message += f"\n  ...and {more} more"
    if hint != _HINT:
        hint = f"{hint} {_HINT}"
    raise ImportFailed(message, hint)


# ---- per-entry folder ---------------------------------------------------------------------------


def _skip_reason(path: Path) -> str | None:
    """Why a name listed in an import folder is not read: a symbolic link (never followed:
    it could lead anywhere, /dev/zero included) or not a regular file (a pipe would hang)."""
    try:
        st = os.lstat(path)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    if stat.S_ISLNK(st.st_mode):
        return "a symbolic link, not followed"
    if not stat.S_ISREG(st.st_mode):
        return "a pipe, device or socket, not a regular file"
    return None


def skipped_warning(folder: Path, skipped: list[tuple[Path, str]]) -> list[str]:
    """The summary's line about files and folders left out of an import folder."""
    if not skipped:
        return []
    shown = "; ".join(f"{path.relative_to(folder).as_posix()} ({why})" for path, why in skipped[:5])
    more = f"; and {len(skipped) - 5} more" if len(skipped) > 5 else ""
    return [
        f"Skipped {len(skipped)} item(s) in {folder} that journal does not read: {shown}{more}."
        " To import one, copy the file itself into the folder."
    ]


def entry_files(folder: Path, skipped: list[tuple[Path, str]] | None = None) -> list[Path]:
    """The ``*.md`` files under ``folder``, skipping hidden files and folders.

    Symbolic links (to files or folders) are not followed and anything that is not a regular
    file is not read; each goes into ``skipped`` with the reason. In the order the export
    wrote them (its manifest) where known, so entries written in the same minute come back in
    their original order; other files follow, sorted by name.
    """
    found: list[Path] = []
    left_out: list[tuple[Path, str]] = [] if skipped is None else skipped
    for root, dirs, files in os.walk(folder, followlinks=False):
        kept = []
        for name in sorted(dirs):
            if name.startswith("."):
                continue
            if os.path.islink(os.path.join(root, name)):
                left_out.append((Path(root) / name, "a symbolic link to a folder, not followed"))
            else:
                kept.append(name)
        dirs[:] = kept
        for name in sorted(files):
            if name.endswith(".md") and not name.startswith("."):
                path = Path(root) / name
                why = _skip_reason(path)
                if why is None:
                    found.append(path)
                else:
                    left_out.append((path, why))
    order = {name: n for n, name in enumerate(read_manifest(folder))}

    def key(path: Path) -> tuple[int, str]:
        relative = path.relative_to(folder).as_posix()
        return (order.get(relative, len(order)), relative)

    return sorted(found, key=key)


def read_folder(
    folder: Path, *, progress: ProgressFn | None = None
) -> tuple[list[Incoming], list[str]]:
    """Every entry file of a per-entry export, validated (at most
    :data:`MAX_ENTRY_FILE_BYTES` each), and the warnings about what was skipped."""
    skipped: list[tuple[Path, str]] = []
    files = entry_files(folder, skipped)
    if not files:
        hint = "Point at the folder `journal export --per-entry DIR` wrote."
        if not (folder / MANIFEST_NAME).exists():
            hint += " This folder has no .md files at all."
        raise ImportFailed(f"No entry files (*.md) in {folder}.", hint)
    incoming: list[Incoming] = []
    problems: list[str] = []
    hints: dict[str, None] = {}  # what to do about each kind of problem, once each
    for n, path in enumerate(files, 1):
        try:
            raw = _read(path, MAX_ENTRY_FILE_BYTES, follow_symlinks=False)
            incoming.append(Incoming(parse_entry_file(raw, str(path)), str(path)))
        except ImportFailed as exc:
            problems.append(exc.message)
            if exc.hint and exc.hint != _HINT:
                hints[exc.hint.removesuffix(_HINT).strip()] = None
        except OSError as exc:
            problems.append(f"{path}: cannot be read ({exc.strerror or exc})")
        if progress and (n % 50 == 0 or n == len(files)):
            progress(n, len(files))
    if problems:
        _fail(problems, " ".join(hints) or _HINT)
    return incoming, skipped_warning(folder, skipped)


def _read(path: Path, cap: int, *, follow_symlinks: bool = True) -> bytes:
    """The bytes of the regular file ``path``, at most ``cap`` of them; :class:`ImportFailed`
    for a file that is larger, or not a regular file (a pipe would hang the read)."""
    try:
        return read_capped(path, cap, follow_symlinks=follow_symlinks)[0]
    except FileTooLarge as exc:
        raise ImportFailed(exc.message, f"{_TOO_LARGE_HINT} {_HINT}") from None
    except DatabaseError as exc:
        raise ImportFailed(exc.message, _NOT_A_FILE) from None


def _split_front_matter(text: str, where: str) -> tuple[str, str]:
    """(YAML text, body) of a per-entry file; the body is everything after the closing line."""
    first_break = text.find("\n")
    first = text[:first_break] if first_break >= 0 else text
    if first.rstrip("\r") != "---":
        raise ImportFailed(
            f"{where}, line 1: no front matter (the file must start with a --- line)",
            _HINT,
        )
    pos = first_break + 1
    line_no = 2
    while pos <= len(text):
        nl = text.find("\n", pos)
        line = text[pos:] if nl < 0 else text[pos:nl]
        if line.rstrip("\r") == "---":
            body_start = len(text) if nl < 0 else nl + 1
            return text[first_break + 1 : pos], text[body_start:]
        if nl < 0:
            break
        pos = nl + 1
        line_no += 1
    raise ImportFailed(
        f"{where}, line 1: the front matter is never closed (no second --- line)", _HINT
    )


def _plain(value: Any) -> Any:
    """YAML values as the JSON types an entry holds (a hand-typed date becomes its text)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, str) else k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _allowed_keys(found: frontmatter.Scan, where: str) -> None:
    """Refuse a misplaced ``body`` or an unknown field from the keys alone, before any value
    is built (format 2: flat readable properties and ``journal:``; format 1: the fields)."""
    fields = [f for f in FIELDS if f != "body"]
    nested = found.keys.get(NESTED_KEY)
    if nested is not None and nested.mapping:
        top = {*fields, *READABLE_ONLY, NESTED_KEY}
        groups = [(found.keys, top), (found.nested, set(fields))]
    else:
        groups = [(found.keys, set(fields))]
    for keys, allowed in groups:
        if "body" in keys:
            raise ImportFailed(
                f"{where}, line {keys['body'].line}: "
                "'body' belongs after the front matter, not in it"
            )
        unknown = [k for k in keys if k not in allowed]
        if unknown:
            raise ImportFailed(
                f"{where}, line {keys[unknown[0]].line}: unknown field "
                f"{visible_line(unknown[0])!r} (journal's fields are: {', '.join(fields)})"
            )


def _key_line(found: frontmatter.Scan, name: str) -> int:
    """The line of field ``name`` (under ``journal:`` first: that is the one read)."""
    key = found.nested.get(name) or found.keys.get(name)
    return key.line if key is not None else 2


def _uid_problem(data: dict[str, Any], found: frontmatter.Scan, where: str) -> None:
    """A uid YAML read as something other than text (``uid: 12345`` is a number)."""
    uid = data.get("uid")
    if uid is None or isinstance(uid, str):
        return
    key = found.nested.get("uid") or found.keys.get("uid")
    raw = key.raw if key is not None and key.raw is not None else str(uid)
    what = (
        "true or false"
        if isinstance(uid, bool)
        else "a number"
        if isinstance(uid, (int, float))
        else "a date"
        if isinstance(uid, (date, datetime))
        else "a list or mapping"
    )
    shown = visible_line(raw)
    raise ImportFailed(
        f"{where}, line {_key_line(found, 'uid')}: the uid must be text, but YAML reads "
        f"{shown} as {what}.",
        f'Put it in quotes: uid: "{shown}". {_HINT}',
    )


def parse_entry_file(raw: bytes, where: str) -> Entry:
    """One per-entry file (bytes) as an entry; :class:`ImportFailed` names file and line.

    The front matter is read within :mod:`journal.transfer.frontmatter`'s limits (no anchors
    or aliases, at most 1 MB, 32 levels deep), and its fields are checked before any value
    is built.
    """
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # an editor's byte-order mark is not part of the entry
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFailed(f"{where}, line {line}: not valid UTF-8 text", _HINT) from None
    front, body = _split_front_matter(text, where)
    scanned: list[frontmatter.Scan] = []

    def check(found: frontmatter.Scan) -> None:
        scanned.append(found)
        if found.is_mapping:
            _allowed_keys(found, where)

    try:
        data = frontmatter.load(front, check, nested=NESTED_KEY)
    except frontmatter.FrontMatterError as exc:
        at_line = f", line {exc.line}" if exc.line is not None else ""
        if exc.limit:
            raise ImportFailed(
                f"{where}{at_line}: the front matter {exc.problem}", f"{exc.hint} {_HINT}"
            ) from None
        raise ImportFailed(
            f"{where}{at_line}: the front matter is not valid YAML ({exc.problem})"
        ) from None
    if not isinstance(data, dict):
        raise ImportFailed(
            f"{where}, line 2: the front matter must be a mapping of fields (uid: ..., day: ...)"
        )
    found = scanned[0]
    # _allowed_keys refused a misplaced body and every unknown key from the scan already (a
    # key that is not a plain scalar cannot be built by the loader at all).
    data = fields_from_file(_plain(data), body)
    body = data.pop("body")
    _uid_problem(data, found, where)
    data["body"] = body
    try:
        return Entry.from_dict(data)
    except EntryError as exc:
        field_name = exc.message.split(" ", 1)[0].split(".", 1)[0]
        raise ImportFailed(f"{where}, line {_key_line(found, field_name)}: {exc.message}") from None


# ---- one-file Markdown export --------------------------------------------------------------


#: How many times the file's size a one-file import may hold in memory at its peak (traced by
#: Python), entries and all; tests/unit/test_import_limits.py measures it.
MEMORY_FACTOR = 12
#: markdown-it reads hand-edited text this much at a time (its tokens and line tables take
#: tens of times the text, so never the whole file at once)...
_WINDOW = 64 * 1024
#: ...growing the window for a single block (a long list, a big code block) up to this.
_MAX_WINDOW = 512 * 1024
_RESTORE_LINE_BYTES_RE = re.compile(rf"\[{re.escape(RESTORE_LABEL)}-\d+\]: # \((.*)\)".encode())
_NEWLINE_BYTES_RE = re.compile(rb"\r\n?|\n")


def read_markdown(path: Path, *, progress: ProgressFn | None = None) -> tuple[list[Incoming], int]:
    """The entries of a one-file export (at most :data:`MAX_FILE_BYTES`), from its restore
    data.

    Also returns how many readable sections no longer match their restore data.

    Memory stays within :data:`MEMORY_FACTOR` times the file: the file's bytes are held once
    and never decoded whole; the restore block is decoded one line (a run of up to 256
    entries) at a time; the readable text is compared, entry by entry, with what the export
    writes for each entry; and only text that differs (edited by hand) goes through
    markdown-it, :data:`_WINDOW` at a time. A single block larger than :data:`_MAX_WINDOW`
    after a hand edit is not parsed: the entries from there on count as edited.
    """
    raw = _read(path, MAX_FILE_BYTES)
    _check_utf8(path, raw)
    head = raw[:4096].decode("utf-8", "replace")
    if PLAIN_MARKER in head or f"\n{PLAIN_LINE}\n" in head:
        raise ImportFailed(
            f"{path} was exported with --plain: it has no restore data.",
            "Export again without --plain (or with --per-entry) to get a file that imports.",
        )
    if progress:
        progress(0, 1)
    if f"\n{FORMAT_LINE}\n" in head:
        incoming, edited = _read_restore_block(path, raw)
    elif FORMAT_MARKER in head:
        incoming, edited = _read_comments(path, raw)
    else:
        raise ImportFailed(
            f"{path} is not a Markdown export written by journal (no {FORMAT_LINE!r} line).",
            "journal imports its own exports (one file or --per-entry) and jrnl JSON "
            "(--format jrnl).",
        )
    if progress:
        progress(1, 1)
    return incoming, edited


def _check_utf8(path: Path, raw: bytes) -> None:
    """Refuse bytes that are not UTF-8, decoding a megabyte at a time (not a copy of all)."""
    view = memoryview(raw)
    pos = 0
    while pos < len(raw):
        try:
            _text, used = codecs.utf_8_decode(view[pos : pos + (1 << 20)], "strict", False)
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                f"{path}: not valid UTF-8 text (byte {pos + exc.start})", _HINT
            ) from None
        if used == 0:  # a sequence cut short by the end of the file
            codecs.utf_8_decode(view[pos:], "strict", True)
            break
        pos += used


def _restore_entry(data: Any, where: str, problems: list[str]) -> Entry | None:
    try:
        return Entry.from_dict(data)
    except EntryError as exc:
        problems.append(f"{where}: {exc.message}")
    return None


def _restore_json(data: str | bytes, where: str, problems: list[str]) -> Any:
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        problems.append(f"{where}: the restore data is not valid JSON ({exc.msg})")
    except ValueError:
        problems.append(f"{where}: the restore data is not valid JSON (not UTF-8 text)")
    return None


def _read_restore_block(path: Path, raw: bytes) -> tuple[list[Incoming], int]:
    """Format 2: ``[journal-restore-N]: # (...)`` lines after the readable part, each the
    base64 of a JSON list of entries, after the block's first line (found by its label)."""
    start = raw.rfind(f"\n[{RESTORE_LABEL}]: # (".encode())
    first_end = raw.find(b"\n", start + 1)
    if start < 0 or first_end < 0:
        raise ImportFailed(
            f"{path}: the restore data at the end of the file is missing "
            "(was the file cut short, or edited by hand?)",
            _HINT,
        )
    line_no = raw.count(b"\n", 0, start) + 3
    incoming: list[Incoming] = []
    problems: list[str] = []
    pos, n = first_end + 1, 0
    while pos <= len(raw):
        # One line at a time: its base64, its JSON and its entries are gone before the next.
        nl = raw.find(b"\n", pos)
        line_end = len(raw) if nl < 0 else nl
        line = raw[pos:line_end]
        pos, n = line_end + 1, n + 1
        if not line.strip():
            continue
        where = f"{path}, line {line_no + n - 1}"
        found = _RESTORE_LINE_BYTES_RE.fullmatch(line)
        if found is None:
            problems.append(f"{where}: not a restore line (was the file edited by hand?)")
            continue
        try:
            payload = binascii.a2b_base64(found[1])
        except (binascii.Error, ValueError):
            problems.append(f"{where}: the restore data is damaged (not base64)")
            continue
        del line, found
        run = _restore_json(payload, where, problems)
        del payload
        if not isinstance(run, list):
            if run is not None:
                problems.append(f"{where}: the restore data is not a list of entries")
            continue
        for item in run:
            entry = _restore_entry(item, where, problems)
            if entry is not None:
                incoming.append(Incoming(entry, where))
        del run
    if problems:
        _fail(problems)
    # Was the readable text changed? It is not read back, so say so.
    return incoming, _count_edited(raw, start, [item.entry for item in incoming])


def _after_header(raw: bytes, end: int) -> int | None:
    """Where the first entry starts in an export's readable part, if the part before it is
    the header :func:`journal.transfer.export.export_header` writes (front matter, then the
    line saying when it was exported) with no entry heading in it; else None."""
    if not raw.startswith(b"---\n"):
        return None
    closing = raw.find(b"\n---\n", 3, end)
    if closing < 0:
        return None
    pos = closing + len(b"\n---\n")
    if not raw.startswith(b"\n*Exported from journal on ", pos):
        return None
    line_end = raw.find(b"*\n\n", pos + 2, end + 1)
    if line_end < 0 or raw.find(b"\n", pos + 1, line_end) >= 0:
        return None
    pos = line_end + len(b"*\n\n")
    try:
        if any(tag == "h3" for tag, _ in _headings(raw, 0, pos)):
            return None  # a heading hidden in the front matter counts as a section
    except _TooBig:
        return None
    return pos


def _count_edited(raw: bytes, end: int, entries: list[Entry]) -> int:
    """How many entries' readable sections (``###`` heading to the next heading at level 3
    or above, in order) differ from what the export writes for them.

    The readable part is ``raw[:end]``. Entry by entry, the text the export writes is looked
    for where the last one ended: an untouched file is checked without markdown-it at all.
    From the first difference on, markdown-it finds the sections (in windows)."""
    pos = _after_header(raw, end)
    if pos is None:
        return _count_edited_parsed(raw, 0, end, entries)
    year: int | None = None
    month: int | None = None
    last = pos
    for n, entry in enumerate(entries):
        section, year, month = entry_section(entry, year, month)
        chunk = section.encode("utf-8")
        # The last section's final line break is the one before the restore block.
        if not raw.startswith(chunk, pos) or pos + len(chunk) > end + 1:
            # From the entry before: a change here may have made its section longer.
            if n == 0:
                return _count_edited_parsed(raw, pos, end, entries)
            return _count_edited_parsed(raw, last, end, entries[n - 1 :])
        last, pos = pos, pos + len(chunk)
    if entries and pos != end + 1:  # text added after the last entry belongs to its section
        return _count_edited_parsed(raw, last, end, entries[-1:])
    return 0


def _count_edited_parsed(raw: bytes, start: int, end: int, entries: list[Entry]) -> int:
    """:func:`_count_edited` by markdown-it, for ``raw[start:end]`` (which starts at a block
    boundary: a year, month or entry heading, or the start of the file)."""
    edited = 0
    sections = _sections(raw, start, end)
    for n, entry in enumerate(entries):
        try:
            section = next(sections, None)
        except _TooBig:
            return edited + len(entries) - n
        if section is None or section != _lines_of(render_entry(entry)):
            edited += 1
    return edited


def _lines_of(text: str) -> str:
    return "\n".join(_NEWLINE_RE.split(text)).strip()


def _sections(raw: bytes, start: int, end: int) -> Iterator[str]:
    """The text of each entry section of ``raw[start:end]`` (from its ``###`` heading to the
    next heading at level 3 or above), in order, line breaks as ``\n``, stripped."""
    open_at: int | None = None
    for tag, at in _headings(raw, start, end):
        if open_at is not None:
            yield _lines_of(raw[open_at:at].decode("utf-8"))
        open_at = at if tag == "h3" else None
    if open_at is not None:
        yield _lines_of(raw[open_at:end].decode("utf-8"))


class _TooBig(Exception):
    """A single Markdown block is larger than the window markdown-it may read at once."""


def _headings(raw: bytes, start: int, end: int) -> Iterator[tuple[str, int]]:
    """Each top-level ``#``, ``##`` and ``###`` heading of ``raw[start:end]``: its tag and
    where its line starts."""
    for token, at, _line in _top_level_tokens(raw, start, end, _MAX_WINDOW):
        if token.type == "heading_open" and token.tag in ("h1", "h2", "h3"):
            yield token.tag, at


def _top_level_tokens(
    raw: bytes, start: int, end: int, max_window: int | None
) -> Iterator[tuple[Any, int, int]]:
    """markdown-it's top-level block tokens (the opening ones) for ``raw[start:end]``, each
    with the offset where its first line starts and that line's number (from 0).

    The text is parsed a window at a time. A window ends at a line break; every block in it
    but the last is final (a block's end never depends on text after the next block's
    start), and the next window starts at the last block's first line. A window holding one
    unfinished block grows; past ``max_window`` (if given) :class:`_TooBig` is raised.
    """
    pos, line_base, window = start, 0, _WINDOW
    while pos < end:
        cut = end
        if pos + window < end:
            cut = raw.rfind(b"\n", pos, pos + window) + 1
            if cut <= pos:  # one line longer than the window
                cut = pos
        if cut == pos:
            window = _grow(window, max_window)
            continue
        chunk = raw[pos:cut]
        tokens = _block_md.parse(chunk.decode("utf-8"))
        tops = [
            (t, t.map[0]) for t in tokens if t.level == 0 and t.nesting >= 0 and t.map is not None
        ]
        del tokens
        line_starts = [0, *(m.end() for m in _NEWLINE_BYTES_RE.finditer(chunk))]
        last_line = len(line_starts)  # past the end: every block is final
        if cut < end:
            last_line = tops[-1][1] if tops else len(line_starts) - 1
            if last_line == 0:  # one block fills the window: read more at once
                window = _grow(window, max_window)
                continue
        for token, line in tops:
            if line >= last_line:
                break
            yield token, pos + line_starts[line], line_base + line
        if cut >= end:
            return
        line_base += last_line
        pos += line_starts[last_line]
        window = _WINDOW


def _grow(window: int, max_window: int | None) -> int:
    if max_window is not None and window >= max_window:
        raise _TooBig
    return window * 2


def _read_comments(path: Path, raw: bytes) -> tuple[list[Incoming], int]:
    """Format 1: the hidden comment right under each entry heading."""
    incoming: list[Incoming] = []
    problems: list[str] = []
    heading_line: int | None = None  # the entry heading just read, waiting for its comment
    for token, _at, line in _top_level_tokens(raw, 0, len(raw), None):
        if heading_line is not None:
            content = token.content.strip() if token.type == "html_block" else ""
            if not (content.startswith(_V1_PREFIX) and content.endswith(_V1_SUFFIX)):
                problems.append(
                    f"{path}, line {heading_line + 1}: entry heading without its restore "
                    "comment (was the file edited by hand?)"
                )
            else:
                where = f"{path}, line {line + 1}"
                data = _restore_json(content[len(_V1_PREFIX) : -len(_V1_SUFFIX)], where, problems)
                entry = None if data is None else _restore_entry(data, where, problems)
                if entry is not None:
                    incoming.append(Incoming(entry, where))
            heading_line = None
        if token.type == "heading_open" and token.tag == "h3":
            heading_line = line
    if heading_line is not None:
        problems.append(
            f"{path}, line {heading_line + 1}: entry heading without its restore comment "
            "(was the file edited by hand?)"
        )
    if problems:
        _fail(problems)
    return incoming, 0


# ---- jrnl JSON ---------------------------------------------------------------------------------


def _jrnl_time(value: Any, where: str) -> time:
    if not isinstance(value, str):
        raise ImportFailed(f"{where}: time must be text such as 09:30", _HINT)
    for fmt in ("%H:%M", "%H:%M:%S"):
        try:
            return datetime.strptime(value.strip(), fmt).time()
        except ValueError:
            continue
    raise ImportFailed(f"{where}: time {value!r} is not HH:MM", _HINT)


def jrnl_entry(item: Any, occurrence: dict[tuple[str, ...], int], where: str) -> Incoming:
    """One jrnl entry as ours (kind ``reflection``), with a uid stable across imports."""
    if not isinstance(item, dict):
        raise ImportFailed(f"{where}: an entry must be an object", _HINT)
    raw_date = item.get("date")
    raw_time = item.get("time")
    if isinstance(raw_date, str) and raw_time is None and " " in raw_date.strip():
        raw_date, raw_time = raw_date.strip().split(" ", 1)  # older jrnl: "2013-06-10 15:40"
    if not isinstance(raw_date, str):
        raise ImportFailed(f"{where}: date must be text such as 2024-03-01", _HINT)
    try:
        day = date.fromisoformat(raw_date.strip())
    except ValueError:
        raise ImportFailed(f"{where}: date {raw_date!r} is not YYYY-MM-DD", _HINT) from None
    at = _jrnl_time(raw_time if raw_time is not None else "00:00", where)
    title = item.get("title", "")
    body = item.get("body", "")
    tags = item.get("tags", [])
    starred = item.get("starred", False)
    if not isinstance(title, str) or not isinstance(body, str):
        raise ImportFailed(f"{where}: title and body must be text", _HINT)
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise ImportFailed(f"{where}: tags must be a list of text", _HINT)
    if not isinstance(starred, bool):
        raise ImportFailed(f"{where}: starred must be true or false", _HINT)
    # A jrnl title is one line; ours must be too.
    title = " ".join(title.split("\n")).replace("\r", " ").strip()
    moment = datetime.combine(day, at).astimezone()  # jrnl times are local, without offset
    stamp = moment.isoformat(timespec="seconds")
    key = (day.isoformat(), title, body)
    # Identical jrnl entries (same time too) each get their own uid, still stable on re-import.
    seed_key = (*key, at.isoformat())
    n = occurrence.get(seed_key, 0)
    occurrence[seed_key] = n + 1
    seed = "\x00".join([*seed_key, str(n)])
    try:
        entry = Entry(
            uid=uuid.uuid5(JRNL_NAMESPACE, seed).hex,
            kind="reflection",
            created=stamp,
            updated=stamp,
            day=day.isoformat(),
            title=title,
            body=body,
            tags=normalise_tags(t.lstrip("@") for t in tags),
            starred=starred,
        )
    except EntryError as exc:
        raise ImportFailed(f"{where}: {exc.message}", _HINT) from None
    return Incoming(entry, where, content_key=key)


def _jrnl_items(path: Path, *, follow_symlinks: bool = True) -> list[Any]:
    """The entry objects of one jrnl JSON file: a whole export, or one entry (``-o DIR/``)."""
    raw = _read(path, MAX_FILE_BYTES, follow_symlinks=follow_symlinks)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        data = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ImportFailed(f"{path}, line {line}: not valid UTF-8 text", _HINT) from None
    except json.JSONDecodeError as exc:
        raise ImportFailed(
            f"{path}, line {exc.lineno}, column {exc.colno}: not valid JSON ({exc.msg})", _HINT
        ) from None
    if isinstance(data, dict) and isinstance(data.get("entries"), dict):
        raise ImportFailed(
            f"{path} is a journal database, not a jrnl export.",
            f"Open it with `journal --db {path}`, or export it first.",
        )
    if isinstance(data, dict) and isinstance(data.get("entries"), list):
        return list(data["entries"])
    if isinstance(data, dict) and "date" in data and "entries" not in data:
        return [data]  # jrnl --export json -o DIR/ writes one entry per file
    raise ImportFailed(
        f'{path} is JSON but not a jrnl export (no "entries" list).',
        "Export from jrnl with `jrnl --export json --file journal.json`.",
    )


def read_jrnl(
    path: Path, *, progress: ProgressFn | None = None
) -> tuple[list[Incoming], list[str]]:
    """Entries of a jrnl JSON export (``{"tags": {...}, "entries": [...]}``), or of a folder
    of one-entry JSON files (``jrnl --export json -o DIR/``), at most :data:`MAX_FILE_BYTES`
    each; and the warnings about files of the folder that were skipped (links, pipes)."""
    skipped: list[tuple[Path, str]] = []
    files = [path]
    if path.is_dir():
        files = []
        for candidate in sorted(path.iterdir()):
            if candidate.suffix != ".json" or candidate.name.startswith("."):
                continue
            why = _skip_reason(candidate)
            if why is None:
                files.append(candidate)
            else:
                skipped.append((candidate, why))
    if not files:
        raise ImportFailed(
            f"No jrnl JSON files (*.json) in {path}.",
            "Export from jrnl with `jrnl --export json --file journal.json`.",
        )
    occurrence: dict[tuple[str, ...], int] = {}
    incoming: list[Incoming] = []
    problems: list[str] = []
    hints: dict[str, None] = {}
    for n, file in enumerate(files, 1):
        try:
            items = _jrnl_items(file, follow_symlinks=file is path)
        except ImportFailed as exc:
            problems.append(exc.message)
            if exc.hint and exc.hint != _HINT:
                hints[exc.hint.removesuffix(_HINT).strip()] = None
            continue
        single = len(files) > 1
        for i, item in enumerate(items):
            label = f"{file}" if single else f"{file}: entries[{i}]"
            if isinstance(item, dict) and isinstance(item.get("title"), str):
                label += f" ({item.get('date', '?')} {item['title'][:40]!r})"
            try:
                incoming.append(jrnl_entry(item, occurrence, label))
            except ImportFailed as exc:
                problems.append(exc.message)
            if progress and not single and ((i + 1) % 200 == 0 or i + 1 == len(items)):
                progress(i + 1, len(items))
        if progress and single and (n % 50 == 0 or n == len(files)):
            progress(n, len(files))
    if problems:
        _fail(problems, " ".join(hints) or _HINT)
    return incoming, skipped_warning(path, skipped)


# ---- planning and writing ----------------------------------------------------------------------


def _newer(a: str, b: str) -> bool:
    """Whether timestamp ``a`` is later than ``b`` (a bad one never counts as newer)."""
    try:
        return parse_timestamp(a, "updated") > parse_timestamp(b, "updated")
    except EntryError:
        return False


def _content_keys(store: Store) -> set[tuple[str, str, str]]:
    keys: set[tuple[str, str, str]] = set()
    for doc in store.raw_documents():
        keys.add((str(doc.get("day", "")), str(doc.get("title", "")), str(doc.get("body", ""))))
    return keys


#: An entry the file says was changed later than this from now is suspect (a clock set wrong,
#: a hand-typed year): its time would beat every local change, import after import.
FUTURE_SLACK = timedelta(days=1)


def _in_the_future(updated: str, now: datetime) -> bool:
    try:
        return parse_timestamp(updated, "updated") > now + FUTURE_SLACK
    except EntryError:
        return False


def plan_import(store: Store, path: Path, source: Source) -> ImportPlan:
    """Sort the incoming entries into added, updated, skipped and kept (no writing).

    A file's copy that differs from the journal's replaces it when it was changed later;
    one that says it was changed in the future (beyond :data:`FUTURE_SLACK`) never does: the
    journal's copy is kept and the entry reported (``future``).
    """
    jrnl = source.kind == "jrnl"
    plan = ImportPlan(Path(path), source.kind, warnings=list(source.warnings))
    keys = _content_keys(store) if jrnl else set()
    now = now_local()
    for item in source.entries:
        entry = item.entry
        existing = store.get(entry.uid)
        if existing is None:
            if item.content_key is not None and item.content_key in keys:
                plan.skipped.append(entry)  # a jrnl entry already here (imported another way)
            else:
                plan.added.append(entry)
        elif existing.to_dict() == entry.to_dict():
            plan.skipped.append(entry)
        elif jrnl or _newer(existing.updated, entry.updated):
            # Changed in the journal after the file was written: never overwrite that.
            plan.kept.append(existing)
        elif _in_the_future(entry.updated, now):
            # A time to come would win over every edit made here: keep the journal's copy.
            plan.future.append(entry)
        else:
            plan.updated.append(entry)
    # The store breaks ties of (day, time written) by insertion order: insert in that order.
    plan.added.sort(key=lambda e: (e.day, e.created))
    if plan.kept:
        plan.warnings.append(
            f"Kept {len(plan.kept)} entr{'y' if len(plan.kept) == 1 else 'ies'} as they are "
            "in the journal: changed there after the file was written. "
            + ", ".join(f"{e.day} {e.headline[:30]!r}" for e in plan.kept[:5])
            + (" ..." if len(plan.kept) > 5 else "")
        )
    if plan.future:
        n = len(plan.future)
        plan.warnings.append(
            f"Kept the journal's copy of {n} entr{'y' if n == 1 else 'ies'}: the file says "
            f"{'it was' if n == 1 else 'they were'} changed in the future, so "
            f"{'it' if n == 1 else 'they'} would replace every later edit made here. "
            + ", ".join(
                f"{visible_line(e.uid)} (updated {visible_line(e.updated)})"
                for e in plan.future[:5]
            )
            + (" ..." if n > 5 else "")
            + ". If the file's copy is the one you want, set its `updated` time to now in "
            "the file (or set the clock that wrote it right) and import again."
        )
    return plan


def run_import(
    store: Store,
    path: Path,
    fmt: str | None = None,
    *,
    dry_run: bool = False,
    progress: ProgressFn | None = None,
) -> ImportPlan:
    """Read, validate, plan and (unless ``dry_run``) write, all or nothing, in one write."""
    path = Path(path).expanduser()
    source = read_source(path, fmt, progress=progress)
    return import_source(store, path, source, dry_run=dry_run)


def import_source(store: Store, path: Path, source: Source, *, dry_run: bool = False) -> ImportPlan:
    """Plan and (unless ``dry_run``) write entries already read by :func:`read_source`."""
    plan = plan_import(store, path, source)
    if dry_run or not plan.changes:
        return plan
    with store.transaction():
        # Plan again under the lock: another process may have written in between.
        plan = plan_import(store, path, source)
        if plan.changes:
            if source.dayone is not None:
                # The media first: an entry is never saved pointing at a file not yet there.
                from journal.transfer.dayone import copy_attachments

                copy_attachments(source.dayone, store.path.parent)
            store.upsert_many(plan.changes)
    return plan


def describe_changes(plan: ImportPlan) -> Iterator[str]:
    """One line per entry added (``+``) or updated (``~``), for a dry run's listing."""
    for mark, entries in (("+", plan.added), ("~", plan.updated)):
        for entry in entries:
            created = datetime.fromisoformat(entry.created)
            yield f"  {mark} {entry.day} {created:%H:%M}  {entry.uid[:8]}  {entry.headline[:60]}"
