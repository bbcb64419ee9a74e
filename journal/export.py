"""Markdown export: one document with year, month and entry headings.

Bodies are written as stored, except that their headings are pushed down below the entry
heading so the document's outline stays true; a heading that would go past level 6 becomes
bold text. Body lines that would otherwise change the structure (``---`` after a paragraph
making a setext heading) are handled by markdown-it-py's own reading of the body.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Iterator
from datetime import datetime

from markdown_it import MarkdownIt

from journal.models import Entry

ENTRY_LEVEL = 3
_md = MarkdownIt("commonmark")


def demote_headings(body: str, by: int = ENTRY_LEVEL) -> str:
    """Shift every heading in ``body`` down ``by`` levels; past level 6 becomes bold text."""
    if "#" not in body and "---" not in body and "===" not in body:
        return body
    lines = body.split("\n")
    tokens = _md.parse(body)
    for token in tokens:
        if token.type != "heading_open" or token.map is None:
            continue
        start, end = token.map
        level = int(token.tag[1]) + by
        setext = token.markup in ("=", "-")
        if setext:
            text = " ".join(line.strip() for line in lines[start : end - 1])
            replacement = _heading_line(level, text)
            lines[start] = replacement
            for i in range(start + 1, end):
                lines[i] = None  # type: ignore[call-overload]
        else:
            line = lines[start]
            stripped = line.lstrip(" ")
            indent = line[: len(line) - len(stripped)]
            hashes = len(stripped) - len(stripped.lstrip("#"))
            text = stripped[hashes:].strip()
            text = _strip_closing_hashes(text)
            lines[start] = indent + _heading_line(level, text)
    return "\n".join(line for line in lines if line is not None)


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
    label = f"{calendar.day_name[day.weekday()]} {day.day} {calendar.month_name[day.month]} {day.year}"
    label += f", {created:%H:%M}"
    if entry.title:
        label += f": {entry.title}"
    return f"{'#' * ENTRY_LEVEL} {label}"


def render_entry(entry: Entry) -> str:
    """One entry as a Markdown section (heading, prompt, body, tags, follow-up)."""
    parts = [entry_heading(entry), ""]
    if entry.prompt:
        parts += [f"> {entry.prompt.text}", ""]
    body = demote_headings(entry.body).strip("\n")
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
