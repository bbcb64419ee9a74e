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

__all__ = ["has_control", "visible", "visible_json", "visible_line", "visible_symbols"]

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


def visible_json(text: str) -> str:
    """JSON text with every control character outside ``\\n`` and ``\\t`` as a ``\\uXXXX`` escape.

    A JSON encoder escapes C0 controls inside strings but writes DEL, the C1 controls (a
    terminal reads U+009B as CSI), the bidirectional overrides and line separators as they
    are. They can only stand inside strings, where ``\\uXXXX`` means the same character, so
    the result is the same JSON, safe to print. A lone surrogate becomes its escape too.
    Newlines and tabs stay: outside strings they are the layout, and inside strings the
    encoder has already escaped them.
    """
    if _CONTROL_RE.search(text) is None:
        return text
    return _CONTROL_RE.sub(_json_escape, text)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


# A C0 control as its Unicode Control Picture (ESC as ␛, BEL as ␇), DEL as ␡; anything else
# escaped (C1 controls, bidi overrides, separators, lone surrogates) as the replacement mark.
_SYMBOLS = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}


def _symbol(match: re.Match[str]) -> str:
    return _SYMBOLS.get(ord(match.group()), "\ufffd")


def visible_symbols(text: str) -> str:
    """``text`` with each control character :func:`visible` escapes shown as one symbol.

    For an editor, which must show the text as it is stored and keep every character where
    it is: ESC shows as ␛ (one character for one), not as four. Newlines and tabs are kept.
    """
    if _CONTROL_RE.search(text) is None:
        return text
    return _CONTROL_RE.sub(_symbol, text)
