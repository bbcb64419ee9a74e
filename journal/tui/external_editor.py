"""Open what Today holds in the user's own editor (``$VISUAL`` / ``$EDITOR``) and bring it back.

The app steps aside (Textual's ``App.suspend``), the editor runs on the real terminal over a
private temporary file (journal/transfer/editing.py: a 0700 folder, removed afterwards, so
an encrypted journal's text is on disk only while the editor runs), and the edited text comes
back into the writer as if typed: unsaved until ctrl+s.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from journal.errors import JournalError
from journal.transfer.editing import (
    EditedFile,
    EditedFileError,
    EditorError,
    editor_text,
    find_editor,
    parse_editor_text,
    private_edit_file,
    read_edited,
    run_editor,
)

if TYPE_CHECKING:
    from textual.app import App


def edit_outside(
    app: App[Any], *, title: str, tags: list[str], day: str, body: str
) -> EditedFile | None:
    """Suspend ``app``, edit the four values in the editor, resume: what was written, or None
    when nothing changed. Raises :class:`~journal.errors.JournalError` with a message for the
    user when the editor fails or the file no longer parses (the writer keeps its text)."""
    editor = find_editor()
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
        raise JournalError(
            f"The edit was not brought back: {exc.message}",
            (exc.hint + " " if exc.hint else "") + "The writer still holds your text.",
        ) from None
    if not body.endswith("\n") and edited.body.endswith("\n"):
        edited = EditedFile(edited.title, edited.tags, edited.day, edited.body[:-1])
    return edited
