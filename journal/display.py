"""Text made safe to show on a terminal: control characters visibly escaped.

Anything stored in or imported into a journal may hold escape sequences (a pasted log, a
hostile import). Printed raw, those can rewrite the screen, set the window title or write to
the clipboard (OSC 52). Every place that shows stored or imported text to a terminal, the
CLI and the app alike, passes it through :func:`visible` (text that may span lines) or
:func:`visible_line` (a title, a tag, an id: one line). The stored text is never changed;
only what is shown is.
"""

from __future__ import annotations

import re

__all__ = ["has_control", "visible", "visible_line"]

# C0 controls but newline and tab, DEL, C1 controls, the bidirectional overrides and isolates
# (they reorder what follows on screen), line/paragraph separators, and lone surrogates (a
# terminal cannot encode them; printing one raises UnicodeEncodeError).
_CONTROL_CLASS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff"
)
_CONTROL_RE = re.compile(f"[{_CONTROL_CLASS}]")
_CONTROL_OR_BREAK_RE = re.compile(f"[{_CONTROL_CLASS}\n\t]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def has_control(text: str) -> bool:
    """Whether ``text`` holds a character :func:`visible` would escape."""
    return _CONTROL_RE.search(text) is not None


def visible(text: str) -> str:
    """``text`` with every control character shown as ``\\xNN`` / ``\\uNNNN``.

    Newlines and tabs are kept: they belong in a body. A carriage return is escaped, since
    it can make a later part of a line print over an earlier one.
    """
    if _CONTROL_RE.search(text) is None:
        return text
    return _CONTROL_RE.sub(_escape, text)


def visible_line(text: str) -> str:
    """Like :func:`visible`, for one line: newlines and tabs are escaped too."""
    if _CONTROL_OR_BREAK_RE.search(text) is None:
        return text
    return _CONTROL_OR_BREAK_RE.sub(_escape_line, text)


def _escape_line(match: re.Match[str]) -> str:
    char = match.group()
    if char == "\n":
        return "\\n"
    if char == "\t":
        return "\\t"
    return _escape(match)
