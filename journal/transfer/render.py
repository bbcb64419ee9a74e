"""One entry as a Markdown section: heading, prompt, body, meta line, check-in answers.

The one-file export writes these one after another; the History preview shows one at a time.
The body and every text around it go through :mod:`journal.transfer.markdown` first, so no
entry can change the outline of the document it is placed in. Nothing here imports Textual.
"""

from __future__ import annotations

import calendar
import functools
import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import orjson

from journal.checkin import FIELD_LABELS
from journal.display import _CONTROL_RE, has_control, visible
from journal.models import Entry
from journal.transfer.markdown import (
    BLOCK_STARTERS,
    ENTRY_LEVEL,
    escape_closing_hashes,
    escape_inline,
    escape_line_start,
    fence_wrap,
    has_unsafe_chars,
    keeps_outline,
    line_kind,
    protect_markdown,
)

#: Check-in answers sit under ``#### Check-in`` / ``##### Label``: their own headings go lower.
ANSWER_LEVEL = 5
#: Check-in fields that are bookkeeping, not answers: never shown.
_NOT_ANSWERS = frozenset({"version"})

#: The hour and minute of an ISO timestamp in its usual extended form.
_HH_MM_RE = re.compile(r"\d{4}-\d\d-\d\d[T ](\d\d):(\d\d)", re.ASCII)
# calendar.day_name[i] formats a date through strftime on every lookup: read the names once.
DAY_NAMES = tuple(calendar.day_name)
MONTH_NAMES = tuple(calendar.month_name)
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z][a-z])")
_WORD_BREAK_RE = re.compile(r"[_\-\s]+")
_PLAIN_TAG_RE = re.compile(r"[^\W_][\w\-/]*")


def _escape_md(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\\\x{code:02x}" if code <= 0xFF else f"\\\\u{code:04x}"


def visible_markdown(text: str) -> str:
    """Markdown written by a person, with control characters shown as
    :func:`journal.display.visible` shows them (same characters), the backslash itself
    escaped (``\\\\x1b``): it reads as the text ``\\x1b``, and Pandoc never takes it for a
    LaTeX command (``\\x1b[2J`` made it read on to the end of the file)."""
    if not has_control(text):
        return text
    return _CONTROL_RE.sub(_escape_md, text)


def long_day(day: str) -> str:
    """``2026-11-22`` -> ``Sunday 22 November 2026``."""
    # Entry days are always YYYY-MM-DD (models.parse_day); fromisoformat is ~50x faster
    # than strptime, which showed in the profile of a 36,500-entry export.
    d = date.fromisoformat(day)
    return f"{DAY_NAMES[d.weekday()]} {d.day} {MONTH_NAMES[d.month]} {d.year}"


def _hh_mm(created: str) -> str:
    """``HH:MM`` of a stored timestamp, read off the text when it has the usual form."""
    match = _HH_MM_RE.match(created)
    if match is not None:
        return f"{match[1]}:{match[2]}"
    return f"{datetime.fromisoformat(created):%H:%M}"


def entry_heading(entry: Entry) -> str:
    """``### Sunday 22 November 2026, 09:14: Title``."""
    label = f"{long_day(entry.day)}, {_hh_mm(entry.created)}"
    if entry.title:
        label += f": {escape_inline(visible(entry.title))}"
    return escape_closing_hashes(f"{'#' * ENTRY_LEVEL} {label}")


# ---- check-in answers --------------------------------------------------------------------------


# The same few keys come back in every check-in, and working a label out costs more than the
# rest of the answer: caching it takes about 12 % off rendering a 3,650-entry export.
@functools.cache
def _label(key: str) -> str:
    """``intensity_before`` / ``whatHappened`` -> ``Intensity before`` / ``What happened``."""
    # The check-in module names its fields; use its words when it has them.
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    spaced = _CAMEL_RE.sub(" ", key)
    words = [w if w.isupper() and len(w) > 1 else w.lower() for w in _WORD_BREAK_RE.split(spaced)]
    text = " ".join(w for w in words if w)
    return text[:1].upper() + text[1:] if text else (key or "(no name)")


def _scalar(value: Any) -> str:
    """An answer as text, control characters shown escaped (``cat`` of the file is safe)."""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return visible(value)
    return str(value)


_SCALARS = (str, int, float, bool)


def _answered(value: Any) -> bool:
    if value is None or value == "":
        return False
    if type(value) in _SCALARS:
        return True  # the usual answer: no isinstance walk through the ABCs
    if isinstance(value, Mapping):
        return any(_answered(v) for v in value.values())
    if isinstance(value, list):
        return any(_answered(v) for v in value)
    return True


def _value_text(value: Any) -> str:
    """A one-line answer, safe at the start of a line and never empty."""
    return escape_line_start(_scalar(value)) or "(blank)"


def _bullets(value: Any, depth: int = 0) -> list[str]:
    """A nested answer as a bullet list, one line per item (never an empty item, which
    could underline the line above into a heading)."""
    pad = "  " * depth
    lines: list[str] = []
    items = value.items() if isinstance(value, Mapping) else enumerate(value, 1)
    for key, item in items:
        if not _answered(item):
            continue
        nested = isinstance(item, (Mapping, list))
        if isinstance(key, str):
            label = f"**{escape_inline(visible(_label(key))).strip() or '(no name)'}:**"
            lines.append(f"{pad}- {label}" + ("" if nested else f" {escape_inline(_scalar(item))}"))
        elif nested:
            lines.append(f"{pad}- **{key}:**")
        else:
            lines.append(f"{pad}- {_value_text(item)}")
        if nested:
            lines.extend(_bullets(item, depth + 1))
    return lines


def _answer_block(value: Any) -> str:
    """One answer as the Markdown under its sub-heading."""
    if isinstance(value, (Mapping, list)):
        return "\n".join(_bullets(value))
    if isinstance(value, str) and ("\n" in value or "\r" in value):
        return protect_markdown(visible_markdown(value.strip("\r\n")), ANSWER_LEVEL)
    return _value_text(value)


def _block_keeps_outline(block: str) -> bool:
    """:func:`plain_keeps_outline` of one answer under the check-in's heading, read line by
    line as the plain reading reads them (answers are a line or a few)."""
    if has_unsafe_chars(block):
        return False
    for line in block.split("\n"):
        if line[:1] in BLOCK_STARTERS:
            kind = line_kind(line)
            if kind is None or (kind and kind[0] <= ENTRY_LEVEL + 1):
                return False
    return True


def render_checkin(checkin: Mapping[str, Any]) -> str:
    """The check-in answers: ``#### Check-in``, then a ``#####`` sub-heading per answer.

    Works for any keys: labels come from the key (``their_side`` -> ``Their side``) or from
    the check-in module's own labels; unanswered steps and bookkeeping (``version``) are
    left out. Should markdown-it read
    the result as changing the outline after all, the answers go in as a fenced JSON block.
    """
    parts: list[str] = []
    # Whether the answers are plain prose with no heading at the check-in's level or above,
    # answer by answer: the plain reading takes each line on its own, so this is the same as
    # reading the whole text, and markdown-it (slow) only reads what is not plain.
    plain = True
    for key, value in checkin.items():
        if key in _NOT_ANSWERS or not _answered(value):
            continue
        label = escape_inline(visible(_label(key))).strip() or "(no name)"
        # A level-5 heading whatever its words: plain unless a control character is in it.
        heading = f"{'#' * ANSWER_LEVEL} {escape_closing_hashes(label)}"
        block = _answer_block(value)
        plain = plain and not has_unsafe_chars(heading) and _block_keeps_outline(block)
        parts += [heading, "", block, ""]
    if not parts:
        return ""
    answers = "\n".join(parts)
    if not plain and not keeps_outline(answers.rstrip("\n"), ENTRY_LEVEL + 1):
        dump = orjson.dumps(checkin, option=orjson.OPT_INDENT_2).decode("utf-8")
        answers = fence_wrap(visible(dump)) + "\n"
    return f"{'#' * (ENTRY_LEVEL + 1)} Check-in\n\n{answers}"


# ---- the entry ---------------------------------------------------------------------------------


def _tag_text(tag: str) -> str:
    """``#tag`` as plain text: a tag of letters, digits, ``_``, ``-`` and ``/`` is written as
    it is (Obsidian reads it as a tag; intraword ``_`` is never emphasis), any other is
    escaped to show exactly its characters."""
    if _PLAIN_TAG_RE.fullmatch(tag):
        return f"#{tag}"
    return f"#{escape_inline(visible(tag))}"


def _meta_line(entry: Entry) -> str:
    """Tags (as ``#tag``, which Obsidian reads as tags), kind, star, follow-up, revisit."""
    meta: list[str] = []
    if entry.tags:
        meta.append("Tags: " + " ".join([_tag_text(t) for t in entry.tags]))
    if entry.kind != "reflection":
        meta.append(f"Kind: {entry.kind}")
    if entry.starred:
        meta.append("Starred")
    if entry.follow_up:
        follow_up = entry.follow_up
        state = f"done {follow_up.done[:10]}" if follow_up.done else "open"
        action = escape_inline(visible(follow_up.action))
        text = f"Follow-up: {action} (due {follow_up.due}, {state})"
        if follow_up.note:
            text += f", note: {escape_inline(visible(follow_up.note))}"
        meta.append(text)
    if entry.revisit_on:
        meta.append(f"Revisit on {entry.revisit_on}")
    if entry.revisit_of:
        meta.append(f"Looks back at entry {escape_inline(visible(entry.revisit_of[:8]))}")
    # Every piece starts with a word of ours, so the line can never begin a block.
    return " · ".join(meta) if meta else ""


def prompt_quote(text: str) -> str:
    """The prompt an entry answered, as a one-line quote (``> ...``)."""
    return f"> {escape_line_start(visible(text))}".rstrip()


def render_entry(entry: Entry) -> str:
    """One entry as a Markdown section: heading, prompt, body, meta line, check-in answers.

    Each part once: a check-in's answers are shown only when it has no written body (the
    body is the check-in's own write-up). Control characters are shown escaped. The body's
    headings nest below the entry heading without skipping a level.
    """
    parts: list[str] = [entry_heading(entry), "\n\n"]
    if entry.prompt:
        parts += [prompt_quote(entry.prompt.text), "\n\n"]
    body = entry.body.strip("\r\n")
    has_body = bool(body) and not body.isspace()
    if has_body:
        parts += [protect_markdown(visible_markdown(body), ENTRY_LEVEL), "\n\n"]
    meta = _meta_line(entry)
    if meta:
        parts += [meta, "\n\n"]
    answers = render_checkin(entry.checkin) if entry.checkin and not has_body else ""
    if answers:
        parts.append(answers)  # it ends with a line break of its own
    else:
        parts[-1] = "\n"
    return "".join(parts)
