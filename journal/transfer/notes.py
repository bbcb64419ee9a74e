"""Moving in from a folder of Markdown notes: Obsidian daily notes, a Jekyll or Hugo folder,
plain files named by date (``journal import --format markdown DIR`` or ``FILE.md``).

One entry per file:

- the day from the front matter (``date``, ``created``, ``day``), else from a date in the
  file's path (``2024-03-05.md``, ``2024-03-05 Tuesday.md``, ``2024/03/05.md``,
  ``2024/03/2024-03-05.md``), else the file's modification time (the summary counts those);
- the title from the front matter (``title``), else a first ``#`` heading (taken out of the
  body), else the file's name when it is not just a date;
- tags from the front matter (a list or a comma string; ``tags`` or ``tag``) and inline
  ``#tags`` in the text (journal/tags.py: never inside code or URLs);
- the body byte for byte otherwise (the front matter, and a heading used as the title, are
  not part of it).

Skipped and counted: hidden folders (``.obsidian/``, ``.trash/``), folders named
``templates``, ``attachments``, ``assets`` or ``_templates``, files that are not Markdown,
and files with no text. The uid is derived from the file's path inside the folder, so
importing the folder again adds nothing, and a file edited since updates its entry (its
modification time is the entry's ``updated``).

The front matter is read by :mod:`journal.transfer.frontmatter`: PyYAML's safe loader after a
check that refuses anchors and aliases (a notes folder never needs them, and they are how a
small file expands into gigabytes), more than 1 MB of front matter and deep nesting.
"""

from __future__ import annotations

import os
import re
import stat
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from journal.errors import EntryError, JournalError
from journal.models import Entry, normalise_tags, timestamp
from journal.store.files import read_regular_file
from journal.tags import inline_tags

__all__ = ["NotesFolder", "looks_like_notes", "read_notes"]

NOTES_NAMESPACE = uuid.UUID("0b6f2d55-6a43-4c8e-9a7e-6e6f7465730a")
SKIPPED_FOLDERS = frozenset({"templates", "_templates", "template", "attachments", "assets"})
MARKDOWN_SUFFIXES = frozenset({".md", ".markdown", ".mdown"})
#: A note larger than this is refused (a day's note is kilobytes).
MAX_NOTE_BYTES = 16 * 1024 * 1024
_DATE_RE = re.compile(r"(?<!\d)(\d{4})[-_.](\d{2})[-_.](\d{2})(?!\d)")
_PATH_DATE_RE = re.compile(
    r"(?:^|/)(\d{4})/(\d{1,2})/(?:(\d{1,2})(?:\D[^/]*)?|\d{4}-\d{2}-(\d{2})[^/]*)$"
)
_HEADING_RE = re.compile(r"^#{1}[ \t]+(.+?)[ \t#]*$")
ProgressFn = Callable[[int, int], None]


class NotesError(JournalError):
    """A note cannot be imported as it is; nothing was changed."""


@dataclass
class NotesFolder:
    """What was read from a folder (or file) of notes."""

    entries: list[tuple[Entry, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def count(self, what: str) -> None:
        """Count one more file of this kind."""
        self.counts[what] = self.counts.get(what, 0) + 1

    def warnings(self) -> list[str]:
        """The summary's notes on what was skipped or guessed."""
        out: list[str] = []
        dated = self.counts.get("dated by modification time", 0)
        if dated:
            out.append(
                f"{dated} note(s) had no date in their front matter or name: dated by the "
                "file's modification time."
            )
        skipped = {k: v for k, v in self.counts.items() if k.startswith("skipped")}
        if skipped:
            out.append(
                "Skipped: "
                + ", ".join(f"{v} {k.removeprefix('skipped ')}" for k, v in skipped.items())
                + "."
            )
        return out


def looks_like_notes(folder: Path) -> bool:
    """Whether ``folder`` holds notes rather than a per-entry export written by journal."""
    from journal.transfer.export import MANIFEST_NAME

    if (folder / MANIFEST_NAME).exists():
        return False
    seen = 0
    for path in _walk(folder, NotesFolder()):
        seen += 1
        try:
            head = read_regular_file(path, 2048, follow_symlinks=False)[0]
        except (OSError, JournalError):
            continue
        # journal's per-entry files carry their uid in the front matter (at the top level,
        # or under "journal:" since format 2).
        if not (head.startswith(b"---") and re.search(rb"(?m)^(uid:|journal:)", head)):
            return True
        if seen >= 20:
            break
    return False


def _walk(root: Path, found: NotesFolder) -> Iterator[Path]:
    """The Markdown files under ``root``, skipping hidden and template/attachment folders;
    no symlink is followed out of the folder."""
    real_root = os.path.realpath(root)
    for here, dirs, files in os.walk(root, followlinks=False):
        kept = []
        for d in sorted(dirs):
            if d.startswith("."):
                found.count("skipped hidden folders")
            elif d.lower() in SKIPPED_FOLDERS:
                found.count("skipped template or attachment folders")
            elif os.path.islink(os.path.join(here, d)):
                found.count("skipped symlinked folders")
            else:
                kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            path = Path(here) / name
            if name.startswith("."):
                continue
            if path.suffix.lower() not in MARKDOWN_SUFFIXES:
                found.count("skipped files that are not Markdown")
                continue
            if path.is_symlink() or not os.path.realpath(path).startswith(real_root + os.sep):
                found.count("skipped symlinks")
                continue
            try:
                regular = stat.S_ISREG(os.lstat(path).st_mode)
            except OSError:
                regular = False
            if not regular:  # a FIFO would hang the read, a device never end it
                found.count("skipped items that are not regular files (pipes, devices, sockets)")
                continue
            yield path


def _front_matter(text: str, where: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---"):
        return {}, text
    first_break = text.find("\n")
    if first_break < 0 or text[:first_break].rstrip("\r ") != "---":
        return {}, text
    end = re.search(r"(?m)^(---|\.\.\.)[ \t]*\r?$", text[first_break + 1 :])
    if end is None:
        return {}, text  # no closing line: it is text, not front matter
    from journal.transfer import frontmatter

    front = text[first_break + 1 : first_break + 1 + end.start()]
    body_start = first_break + 1 + end.end()
    if text[body_start : body_start + 1] == "\n":
        body_start += 1
    try:
        data = frontmatter.load(front)
    except frontmatter.FrontMatterError as exc:
        at_line = f", line {exc.line}" if exc.line is not None else ""
        if exc.limit:
            message = f"{where}{at_line}: the front matter {exc.problem}"
            raise NotesError(message, exc.hint) from None
        raise NotesError(
            f"{where}{at_line}: the front matter is not valid YAML ({exc.problem})"
        ) from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise NotesError(f"{where}: the front matter is not a list of fields (key: value)")
    return data, text[body_start:]


def _day_from(value: Any) -> str | None:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        match = _DATE_RE.search(value)
        if match:
            try:
                return date(*map(int, match.groups())).isoformat()
            except ValueError:
                return None
    return None


def _day_from_path(relative: str) -> str | None:
    name = relative.rsplit("/", 1)[-1]
    for candidate in (name, relative):
        match = _DATE_RE.search(candidate)
        if match:
            try:
                return date(*map(int, match.groups())).isoformat()
            except ValueError:
                continue
    match = _PATH_DATE_RE.search(relative.rsplit(".", 1)[0])
    if match:
        year, month, day1, day2 = match.groups()
        try:
            return date(int(year), int(month), int(day1 or day2)).isoformat()
        except (TypeError, ValueError):
            return None
    return None


def _tags_from(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [t for t in re.split(r"[,\s]+", value) if t]
    if isinstance(value, list) and all(isinstance(t, (str, int)) for t in value):
        return [str(t) for t in value]
    raise NotesError(f"{where}: tags must be a list or a comma-separated text")


def _is_just_a_date(stem: str) -> bool:
    rest = _DATE_RE.sub("", stem).strip(" -_.")
    return not rest or rest.lower() in {
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    }


def _note(
    path: Path, relative: str, found: NotesFolder, *, follow_symlinks: bool = False
) -> Entry | None:
    where = str(path)
    raw, status = read_regular_file(path, MAX_NOTE_BYTES + 1, follow_symlinks=follow_symlinks)
    if len(raw) > MAX_NOTE_BYTES:
        raise NotesError(
            f"{where} is larger than {MAX_NOTE_BYTES // 2**20} MB, the most journal reads "
            "from one note, so it was not read.",
            "Split it into smaller notes.",
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise NotesError(f"{where}, line {line}: not valid UTF-8 text") from None
    data, body = _front_matter(text, where)
    if not body.strip() and not data.get("title"):
        found.count("skipped files with no text")
        return None
    day = (
        _day_from(data.get("date")) or _day_from(data.get("created")) or _day_from(data.get("day"))
    )
    if day is None:
        day = _day_from_path(relative)
    mtime = datetime.fromtimestamp(status.st_mtime).astimezone()
    if day is None:
        day = mtime.date().isoformat()
        found.count("dated by modification time")
    title = data.get("title")
    title = str(title).strip() if title is not None else ""
    if not title:
        first, _, rest = body.partition("\n")
        heading = _HEADING_RE.match(first)
        if heading:
            title = heading.group(1).strip()
            body = rest.lstrip("\n")
        elif not _is_just_a_date(path.stem):
            title = path.stem
    tags = _tags_from(data.get("tags", data.get("tag")), where) + list(inline_tags(body))
    created_day = date.fromisoformat(day)
    created = (
        datetime.combine(created_day, mtime.timetz()) if mtime.date() != created_day else mtime
    )
    try:
        return Entry(
            uid=uuid.uuid5(NOTES_NAMESPACE, relative).hex,
            kind="reflection",
            created=timestamp(created),
            updated=timestamp(max(mtime, created)),
            day=day,
            title=title.replace("\n", " ").replace("\r", " "),
            body=body,
            tags=normalise_tags(tags),
        )
    except EntryError as exc:
        raise NotesError(f"{where}: {exc.message}") from None


def read_notes(path: Path, *, progress: ProgressFn | None = None) -> NotesFolder:
    """Read a folder (or one file) of notes; :class:`NotesError` names every bad file."""
    found = NotesFolder()
    if path.is_file():
        files = [path]
        root = path.parent
    else:
        root = path
        files = list(_walk(path, found))
    problems: list[str] = []
    hints: dict[str, None] = {}  # what to do about each kind of problem, once each
    for n, file in enumerate(files, 1):
        relative = file.relative_to(root).as_posix()
        try:
            # The one file named is read even through a link; a folder's links never are.
            entry = _note(file, relative, found, follow_symlinks=file is path)
        except NotesError as exc:
            problems.append(exc.message)
            if exc.hint:
                hints[exc.hint] = None
            continue
        except OSError as exc:
            problems.append(f"{file}: cannot be read ({exc.strerror or exc})")
            continue
        except JournalError as exc:
            problems.append(f"{file}: {exc.message}")
            continue
        if entry is not None:
            found.entries.append((entry, str(file)))
            found.count("notes")
        if progress and (n % 100 == 0 or n == len(files)):
            progress(n, len(files))
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:10])
        more = f"\n  ...and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise NotesError(
            f"Cannot import ({len(problems)} problem(s)):\n{shown}{more}",
            "".join(f"{h} " for h in hints)
            + "Nothing was imported; the journal has not been changed. "
            "Fix the file(s) and try again.",
        )
    if not found.entries:
        raise NotesError(
            f"No notes with text in {path}.",
            "Point at a folder of .md files (or one .md file).",
        )
    return found
