"""Open what Today holds in the user's own editor (``$VISUAL`` / ``$EDITOR``) and bring it back.

The app steps aside (Textual's ``App.suspend``), the editor runs on the real terminal over a
private temporary file (journal/transfer/editing.py: a 0700 folder, removed afterwards, so
an encrypted journal's text is on disk only while the editor runs), and the edited text comes
back into the writer as if typed: unsaved until ctrl+s. A file whose front matter no longer
reads is not lost: it is kept in ``unapplied-edits/`` beside the journal (sealed when the
journal is encrypted) and the message says how to open it again.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from journal.errors import JournalError
from journal.transfer.editing import (
    EditedFile,
    EditedFileError,
    EditorError,
    editor_text,
    find_editor,
    keep_aside,
    parse_editor_text,
    private_edit_file,
    read_edited,
    run_editor,
)

if TYPE_CHECKING:
    from textual.app import App

    from journal.models import Entry
    from journal.store.crypto import Key


def edit_outside(
    app: App[Any],
    *,
    title: str,
    tags: list[str],
    day: str,
    body: str,
    journal_path: Path,
    key: Key | None,
    uid: str = "",
    base: Entry | None = None,
) -> EditedFile | None:
    """Suspend ``app``, edit the four values in the editor, resume: what was written, or None
    when nothing changed. Raises :class:`~journal.errors.JournalError` with a message for the
    user when the editor fails or the file no longer parses (the writer keeps its text, and
    the edited file is kept aside under ``journal_path``'s folder, sealed with ``key``)."""
    editor = find_editor()
    if editor.source == "fallback":
        app.notify(
            f"Neither $VISUAL nor $EDITOR is set; using {editor.name} "
            "(set $EDITOR to choose another)."
        )
    text = editor_text(title, tags, day, body if body.endswith("\n") or not body else body + "\n")
    with private_edit_file(text, name="entry.md") as path:
        try:
            with app.suspend():
                run_editor(editor, path)
        except EditorError:
            raise
        except Exception as exc:  # SuspendNotSupported and kin: no terminal to give back
            raise JournalError(
                "The editor cannot be opened from here (the app is not on a real terminal).",
                "Run journal in a terminal, or use `journal edit ID` from the shell.",
            ) from exc
        after = read_edited(path)
    if after == text:
        return None
    try:
        edited = parse_editor_text(after)
    except EditedFileError as exc:
        kept = keep_aside(after, journal_path, key, uid=uid, base=base)
        again = f"journal edit {uid[:8]}" if uid else "journal add"
        sealed = " (encrypted, as the journal is)" if key is not None else ""
        raise JournalError(
            f"The edit was not brought back: {exc.message}",
            (exc.hint + " " if exc.hint else "")
            + f"The writer still holds its text. Your edit is kept in {kept}{sealed} "
            f"(`{again} --from FILE` opens it again).",
        ) from None
    if not body.endswith("\n") and edited.body.endswith("\n"):
        edited = EditedFile(edited.title, edited.tags, edited.day, edited.body[:-1])
    return edited
