"""Keep the editor quick on very long entries by turning Markdown highlighting off.

The TextArea's tree-sitter document re-parses the whole text on every keystroke. Measured
here (Textual 8.2.8): a 10,000-line entry (330 KB) costs about 0.25 s per key with Markdown
highlighting and about 0.05 s without, a 1 MB paste about 0.8 s per key with it. Journal
entries are a few KB; above :data:`LONG_TEXT` the editor shows plain text instead.
"""

from __future__ import annotations

from textual.widgets import TextArea

#: Characters above which highlighting is switched off (and back on below half of it).
LONG_TEXT = 64_000


def text_size(editor: TextArea) -> int:
    """Characters in the editor without building the whole string (newlines left out)."""
    return sum(map(len, editor.document.lines))


def fit_highlighting(editor: TextArea, size: int, *, language: str = "markdown") -> bool | None:
    """Choose highlighting for a text of ``size`` characters.

    Returns True when highlighting was just switched off, False when it was switched back
    on, None when nothing changed. The cursor and selection stay where they were.
    """
    wanted = _wanted(editor.language, size, language)
    if wanted == editor.language:
        return None
    selection = editor.selection
    editor.language = wanted
    editor.selection = selection
    return wanted is None


def _wanted(current: str | None, size: int, language: str) -> str | None:
    if size > LONG_TEXT:
        return None
    if current is None and size >= LONG_TEXT // 2:
        return None
    return language


def load_text_fitted(editor: TextArea, text: str, *, language: str = "markdown") -> bool | None:
    """``editor.load_text(text)`` with the highlighting ``text`` calls for, parsed only once.

    Returns like :func:`fit_highlighting`.
    """
    wanted = _wanted(editor.language, len(text), language)
    changed = wanted != editor.language
    if changed:
        # Without the watcher, which would re-parse the old text in the new language first.
        editor.set_reactive(TextArea.language, wanted)
    editor.load_text(text)
    return (wanted is None) if changed else None
