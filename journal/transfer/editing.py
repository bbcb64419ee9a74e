"""An entry in the user's own editor: the file it is edited as, and running the editor.

The file is Markdown with a small front matter of the three things a person edits besides
the text (title, tags, day)::

    ---
    title: After the call with Sam
    tags: calls, growth
    day: 2026-12-02
    ---

    The body, as Markdown.

The front matter is read line by line, not as YAML: it holds three plain values, so there is
nothing for a YAML parser to get wrong (a title like ``no`` or ``12:30`` stays text) and
nothing to expand. A file that does not parse raises :class:`EditedFileError`; the caller
keeps it aside and reports it, and nothing is applied.

The file lives in a folder only the user can open (0700), in ``$XDG_RUNTIME_DIR`` when
there is one (memory, not disk) or the system's temporary folder, and is removed when the
editor is done with it: an encrypted journal's text is on disk only while the editor runs.

An edit that cannot be applied is kept in ``unapplied-edits/`` beside the journal
(:func:`keep_aside`), sealed with the journal's key when the journal is encrypted, so no
plain copy outlives the editor; ``journal edit ID --from FILE`` (or ``journal add --from
FILE``) opens it in the editor again (:func:`read_kept`).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from journal.errors import JournalError
from journal.models import Entry, normalise_tags
from journal.store.crypto import Key

__all__ = [
    "KEPT_FOLDER",
    "EditedFile",
    "EditedFileError",
    "Editor",
    "EditorError",
    "editor_text",
    "entry_version",
    "find_editor",
    "keep_aside",
    "kept_version",
    "parse_editor_text",
    "private_edit_file",
    "read_kept",
]

_FENCE = "---"
_KEYS = ("title", "tags", "day")
#: Beside the journal: edits that could not be applied, kept for the user.
KEPT_FOLDER = "unapplied-edits"
#: A kept edit is a few kilobytes; more than this is not one.
MAX_KEPT_BYTES = 16 * 1024 * 1024
#: Tried in this order when neither $VISUAL nor $EDITOR is set.
FALLBACK_EDITORS = ("sensible-editor", "editor", "nano", "vim", "vi")


class EditorError(JournalError):
    """The editor could not be started, or it exited with an error."""


class EditedFileError(JournalError):
    """The edited file no longer has a front matter journal can read."""


@dataclass(frozen=True)
class EditedFile:
    """What a person wrote in the editor file."""

    title: str
    tags: tuple[str, ...]
    day: str
    body: str


def editor_text(title: str, tags: tuple[str, ...] | list[str], day: str, body: str) -> str:
    """The editor file for an entry's (or a new entry's) title, tags, day and body."""
    lines = [_FENCE, f"title: {title}", f"tags: {', '.join(tags)}", f"day: {day}", _FENCE, ""]
    return "\n".join(lines) + "\n" + body


def entry_editor_text(entry: Entry) -> str:
    """The editor file for ``entry``; it ends with a newline, as editors expect, even when the
    body does not (the caller drops that newline again)."""
    body = entry.body if entry.body.endswith("\n") or not entry.body else entry.body + "\n"
    return editor_text(entry.title, entry.tags, entry.day, body)


def parse_editor_text(text: str) -> EditedFile:
    """Read an edited file back; :class:`EditedFileError` when its front matter is broken."""
    text = text.replace("\r\n", "\n")
    if text.startswith("\ufeff"):  # some editors write a byte-order mark
        text = text[1:]
    lines = text.split("\n")
    if not lines or lines[0].strip() != _FENCE:
        raise EditedFileError(
            "The edited file does not start with its front matter (a line '---').",
            "Keep the lines from '---' to '---' at the top (title, tags, day).",
        )
    values: dict[str, str] = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == _FENCE:
            body_lines = lines[number:]
            break
        if not line.strip():
            continue
        key, colon, value = line.partition(":")
        key = key.strip().lower()
        if not colon or key not in _KEYS:
            raise EditedFileError(
                f"Line {number} of the front matter is not 'title:', 'tags:' or 'day:': "
                f"{line.strip()[:60]!r}.",
                "Only those three can be set there; put anything else in the text below.",
            )
        if key in values:
            raise EditedFileError(f"Line {number}: '{key}:' is set twice.")
        values[key] = value.strip()
    else:
        raise EditedFileError(
            "The front matter has no closing '---' line.",
            "Put a line '---' between the front matter and the text.",
        )
    day = values.get("day", "")
    try:
        date.fromisoformat(day)
    except ValueError:
        raise EditedFileError(
            f"The day {day!r} is not a date written as YYYY-MM-DD.",
            "Write the day like 2026-12-02.",
        ) from None
    # One blank line after the front matter is the file's layout, not part of the text.
    if body_lines and body_lines[0] == "":
        body_lines = body_lines[1:]
    tags = normalise_tags(t for t in values.get("tags", "").split(",") if t.strip())
    return EditedFile(title=values.get("title", ""), tags=tags, day=day, body="\n".join(body_lines))


@dataclass(frozen=True)
class Editor:
    """The command that edits a file, and where it came from (for the message)."""

    command: tuple[str, ...]
    source: str  # "$VISUAL", "$EDITOR" or "fallback"

    @property
    def name(self) -> str:
        """The editor's program name, for messages."""
        return Path(self.command[0]).name


def find_editor(environ: dict[str, str] | None = None) -> Editor:
    """``$VISUAL``, else ``$EDITOR``, else the first of :data:`FALLBACK_EDITORS` installed."""
    env = os.environ if environ is None else environ
    for variable in ("VISUAL", "EDITOR"):
        value = env.get(variable, "").strip()
        if value:
            try:
                command = tuple(shlex.split(value))
            except ValueError:
                raise EditorError(
                    f"${variable} ({value!r}) cannot be read as a command.",
                    f"Set ${variable} to an editor command, e.g. export {variable}=nano.",
                ) from None
            if command:
                return Editor(command, f"${variable}")
    for name in FALLBACK_EDITORS:
        found = shutil.which(name)
        if found:
            return Editor((found,), "fallback")
    raise EditorError(
        "No editor is set and none was found.",
        "Set $EDITOR (for example: export EDITOR=nano) and try again.",
    )


def _private_parent() -> Path | None:
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir() and os.access(runtime, os.W_OK):
        return Path(runtime)
    return None


@contextmanager
def private_edit_file(text: str, *, name: str = "entry.md") -> Iterator[Path]:
    """A file holding ``text`` in a new 0700 folder; the folder is removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="journal-edit-", dir=_private_parent()))
    try:
        os.chmod(folder, 0o700)  # mkdtemp already does; said again for odd umasks
        path = folder / name
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(path, flags, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
        yield path
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def run_editor(editor: Editor, path: Path) -> None:
    """Run ``editor`` on ``path`` and wait; :class:`EditorError` if it fails or exits non-zero."""
    try:
        code = subprocess.run([*editor.command, str(path)], check=False).returncode
    except OSError as exc:
        raise EditorError(
            f"The editor {editor.name!r} ({editor.source}) could not be started: "
            f"{exc.strerror or exc}.",
            "Check $VISUAL / $EDITOR; nothing was changed.",
        ) from None
    if code != 0:
        raise EditorError(
            f"The editor {editor.name!r} exited with status {code}; nothing was changed.",
            "Your text is as it was before. Save and quit the editor normally to apply edits.",
        )


def read_edited(path: Path) -> str:
    """The edited file's text; :class:`EditedFileError` when it is not UTF-8 or was removed."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise EditedFileError(
            "The editor removed the file; nothing was changed.",
            "Save the file before quitting the editor.",
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EditedFileError(
            "The edited file is not UTF-8 text.", "Save it as UTF-8 and try again."
        ) from None


def entry_version(entry: Entry) -> str:
    """A short fingerprint of every field of ``entry``: a kept edit records the version it
    was made from, so opening it again never overwrites what changed since."""
    import hashlib

    import orjson

    return hashlib.sha256(orjson.dumps(entry.to_dict())).hexdigest()[:_VERSION_DIGITS]


_VERSION_DIGITS = 12
_KEPT_VERSION_RE = re.compile(rf"-v([0-9a-f]{{{_VERSION_DIGITS}}})(?:-\d+)?\.md(?:\.sealed)?$")


def kept_version(path: Path) -> str | None:
    """The version (:func:`entry_version`) a kept edit was made from, read off its name;
    None for an edit of a new entry."""
    found = _KEPT_VERSION_RE.search(path.name)
    return found[1] if found else None


def keep_aside(
    text: str, journal_path: Path, key: Key | None, *, uid: str = "", base: Entry | None = None
) -> Path:
    """Save an edit that could not be applied in ``unapplied-edits/`` beside the journal
    (a 0700 folder, a 0600 file); where it is.

    With ``key`` (an encrypted journal) the file is sealed with it, as the journal's drafts
    and backups are: the text is never left on disk in the clear. ``base``: the entry as it
    was when the edit began; its version goes in the name.
    """
    from datetime import datetime

    from journal.paths import ensure_private_dir
    from journal.store.atomic import atomic_write_bytes
    from journal.store.crypto import seal

    folder = ensure_private_dir(journal_path.parent / KEPT_FOLDER)
    stem = f"edit-{datetime.now():%Y-%m-%dT%H-%M-%S}" + (f"-{uid[:8]}" if uid else "")
    if base is not None:
        stem += f"-v{entry_version(base)}"  # what it was edited from (see kept_version)
    suffix = ".md.sealed" if key is not None else ".md"
    path = folder / f"{stem}{suffix}"
    n = 1
    while path.exists():  # two failed edits in one second: neither replaces the other
        n += 1
        path = folder / f"{stem}-{n}{suffix}"
    atomic_write_bytes(path, seal(text.encode("utf-8"), key))
    return path


def read_kept(path: Path, key: Key | None) -> str:
    """The text of an edit kept by :func:`keep_aside` (opened with ``key`` when sealed);
    :class:`EditedFileError` when it cannot be read."""
    from journal.store.crypto import CryptoError, unseal
    from journal.store.files import read_regular_file

    try:
        raw = read_regular_file(path, MAX_KEPT_BYTES + 1)[0]
    except OSError as exc:
        raise EditedFileError(
            f"Cannot read {path}: {exc.strerror or exc}.", "Check the file's name."
        ) from None
    if len(raw) > MAX_KEPT_BYTES:
        raise EditedFileError(f"{path} is too large to be an edited entry.")
    try:
        raw = unseal(raw, key, what=str(path))
    except CryptoError as exc:
        raise EditedFileError(
            f"{path} is sealed with another journal's key: {exc.message}",
            "Use the journal it was kept for (-j NAME or --db PATH).",
        ) from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise EditedFileError(f"{path} is not UTF-8 text.") from None
