"""Markdown export: one document with year, month and entry headings.

Bodies are written as stored, except that their headings are pushed down below the entry
heading so the document's outline stays true; a heading that would go past level 6 becomes
bold text. Body lines that would otherwise change the structure (``---`` after a paragraph
making a setext heading) are handled by markdown-it-py's own reading of the body.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Iterator
from datetime import datetime

from markdown_it import MarkdownIt

from journal.models import Entry

ENTRY_LEVEL = 3
_md = MarkdownIt("commonmark")
# A line that can underline a setext heading, possibly inside "> " or list containers.
_UNDERLINE_RE = re.compile(r"(?m)^[ \t>]*(?:=+|-+)[ \t]*$")


def demote_headings(body: str, by: int = ENTRY_LEVEL) -> str:
    """Shift every heading in ``body`` down ``by`` levels; past level 6 becomes bold text."""
    if "#" not in body and not _UNDERLINE_RE.search(body):
        # No ATX marker and no setext underline (a single "=" or "-" is enough for one).
        return body
    lines = body.split("\n")
    tokens = _md.parse(body)
    for n, token in enumerate(tokens):
        if token.type != "heading_open" or token.map is None:
            continue
        start, end = token.map
        level = int(token.tag[1]) + by
        setext = token.markup in ("=", "-")
        if setext:
            # The inline token holds the text without container markers ("> ", "- ").
            parts = [part.strip() for part in tokens[n + 1].content.split("\n")]
            cut = lines[start].find(parts[0])
            indent = lines[start][:cut] if cut > 0 else ""
            lines[start] = indent + _heading_line(level, " ".join(parts))
            for i in range(start + 1, end):
                lines[i] = None  # type: ignore[call-overload]
        else:
            line = lines[start]
            # Everything before the first "#" is indentation or container markers ("> ", "- ",
            # "1. "), none of which holds a "#": keep it so the heading stays in its container.
            cut = line.index("#")
            indent, stripped = line[:cut], line[cut:]
            hashes = len(stripped) - len(stripped.lstrip("#"))
            text = stripped[hashes:].strip()
            text = _strip_closing_hashes(text)
            lines[start] = indent + _heading_line(level, text)
    return "\n".join(line for line in lines if line is not None)


def close_open_fence(body: str) -> str:
    """Close a code fence the body leaves open, so it cannot swallow the entries after it."""
    if "```" not in body and "~~~" not in body:
        return body
    tokens = _md.parse(body)
    last = tokens[-1] if tokens else None
    if last is None or last.type != "fence" or last.level != 0 or last.map is None:
        return body
    start, end = last.map
    line = body.split("\n")[end - 1] if end - 1 > start else ""
    closing = line.strip()
    marker = last.markup
    indent = len(line) - len(line.lstrip(" "))
    if indent <= 3 and closing and set(closing) == {marker[0]} and len(closing) >= len(marker):
        return body
    return body + "\n" + marker


def _strip_closing_hashes(text: str) -> str:
    stripped = text.rstrip("#")
    if stripped != text and (not stripped or stripped.endswith(" ")):
        return stripped.rstrip()
    return text


def _heading_line(level: int, text: str) -> str:
    if level <= 6:
        return f"{'#' * level} {text}".rstrip()
    return f"**{text}**" if text else ""


def entry_heading(entry: Entry) -> str:
    """``### Sunday 22 November 2026, 09:14: Title``."""
    day = entry.day_date
    created = datetime.fromisoformat(entry.created)
    label = (
        f"{calendar.day_name[day.weekday()]} {day.day} {calendar.month_name[day.month]} {day.year}"
    )
    label += f", {created:%H:%M}"
    if entry.title:
        label += f": {entry.title}"
    return f"{'#' * ENTRY_LEVEL} {label}"


def render_entry(entry: Entry) -> str:
    """One entry as a Markdown section (heading, prompt, body, tags, follow-up)."""
    parts = [entry_heading(entry), ""]
    if entry.prompt:
        parts += [f"> {entry.prompt.text}", ""]
    body = close_open_fence(demote_headings(entry.body).strip("\n"))
    if body:
        parts += [body, ""]
    meta: list[str] = []
    if entry.kind != "reflection":
        meta.append(f"Kind: {entry.kind}")
    if entry.tags:
        meta.append("Tags: " + " ".join(f"`#{t}`" for t in entry.tags))
    if entry.starred:
        meta.append("Starred")
    if entry.follow_up:
        state = f"done {entry.follow_up.done[:10]}" if entry.follow_up.done else "open"
        meta.append(f"Follow-up: {entry.follow_up.action} (due {entry.follow_up.due}, {state})")
    if meta:
        parts += ["*" + " · ".join(meta) + "*", ""]
    return "\n".join(parts)


def iter_markdown(entries: Iterable[Entry], title: str = "Journal") -> Iterator[str]:
    """Stream the one-file export, oldest first, chunk by chunk (memory stays flat)."""
    yield f"<!-- {title}: exported by journal -->\n\n"
    year = month = None
    for entry in entries:
        d = entry.day_date
        if d.year != year:
            year, month = d.year, None
            yield f"# {d.year}\n\n"
        if d.month != month:
            month = d.month
            yield f"## {calendar.month_name[d.month]} {d.year}\n\n"
        yield render_entry(entry) + "\n"


def to_markdown(entries: Iterable[Entry], title: str = "Journal") -> str:
    """The one-file export as a string."""
    return "".join(iter_markdown(entries, title))
