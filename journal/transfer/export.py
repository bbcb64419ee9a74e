"""Markdown export: one readable file, or one file per entry with YAML front matter.

**One file** (:func:`iter_markdown`, :func:`export_file`): ``#`` year, ``##`` month, ``###`` one
heading per entry (weekday, date, time, title), the prompt as a quote, the body, a line of
tags, kind, star and follow-up, then the check-in answers under their own sub-headings.
Bodies are Markdown written by a person, so they are made safe before they go in:

- their headings are pushed down below the entry heading (``#`` becomes ``####``); one that
  would go past level 6 becomes bold text, never seven ``#``;
- a block the body leaves open (a code fence with no closing fence, an unclosed ``<!--`` or
  ``<pre>``) is closed, so it cannot swallow the entries after it; if markdown-it still reads
  the body as changing the outline, the body goes in as a fenced block instead.

Each entry also carries, in an HTML comment right under its heading (invisible once
rendered), all its fields as JSON: that is what lets ``journal import FILE.md`` restore the
journal exactly, since the readable text above has been demoted and escaped. ``--plain``
leaves those comments out.

**One file per entry** (:func:`export_per_entry`): ``YYYY/YYYY-MM-DD-HHMM-slug.md``, YAML front
matter with every field (written by PyYAML, strings quoted whenever YAML would read them as
something else), then the body exactly as stored, byte for byte.

Both stream: entries are read one at a time and written as they come, so memory stays flat
however large the journal is. Nothing here imports Textual.
"""

from __future__ import annotations

import calendar
import contextlib
import functools
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any

import orjson

from journal.errors import JournalError
from journal.models import FIELDS, Entry

if TYPE_CHECKING:
    import yaml

    from journal.store import EntryFilter, Store

ENTRY_LEVEL = 3
#: Check-in answers sit under ``#### Check-in`` / ``##### Label``: their own headings go lower.
ANSWER_LEVEL = 5
FORMAT_VERSION = 1
#: First words of the HTML comment that carries an entry's exact fields in the one-file export.
RESTORE_PREFIX = "<!-- journal:entry "
RESTORE_SUFFIX = " -->"
#: Second line of a one-file export; the importer looks for it.
FORMAT_MARKER = f"<!-- journal:format {FORMAT_VERSION} -->"
PLAIN_MARKER = "<!-- journal:format plain -->"
#: Written into a per-entry folder: the files this export wrote, so a forced re-export can
#: remove the ones it wrote last time that no longer exist (a renamed or deleted entry).
MANIFEST_NAME = ".journal-export.json"
SLUG_MAX_CHARS = 48
#: Below this many entries a parallel export is not worth starting processes for.
PARALLEL_MIN_ENTRIES = 1000
SLUG_MAX_BYTES = 120

ProgressFn = Callable[[int, int], None]


class _BlockParser:
    """markdown-it for block structure only, built on first use.

    Inline parsing is not needed to find headings, fences and HTML blocks, and skipping it
    makes checking a body several times faster. Importing markdown-it costs ~25 ms, which an
    export of plain prose (the fast path below) never needs.
    """

    def __init__(self) -> None:
        self._md: Any = None

    def parse(self, text: str) -> list[Any]:
        """markdown-it's block tokens for ``text``."""
        if self._md is None:
            from markdown_it import MarkdownIt

            self._md = MarkdownIt("commonmark").disable("inline")
        return self._md.parse(text)


_block_md = _BlockParser()
# markdown-it's own idea of a line break (a lone CR counts; U+2028 and friends do not).
_NEWLINE_RE = re.compile(r"\r\n?|\n")
# A line that can underline a setext heading, possibly inside "> " or list containers.
_UNDERLINE_RE = re.compile(r"(?m)^[ \t>]*(?:=+|-+)[ \t]*$")
_MAX_PASSES = 8
_HTML_CLOSERS = (
    (re.compile(r"<(?:script|pre|style|textarea)(?:\s|>|$)", re.I), None),
    (re.compile(r"<!--"), "-->"),
    (re.compile(r"<\?"), "?>"),
    (re.compile(r"<!\[CDATA\["), "]]>"),
    (re.compile(r"<![A-Za-z]"), ">"),
)
_ENTITY_RE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")
_INLINE_SPECIAL_RE = re.compile(r"([\\`*_\[\]<])")
#: Any character escape_inline may change; text without one is returned as it is.
_INLINE_CHANGES_RE = re.compile(r"[\r\n\\`*_\[\]<&]")
_LIST_NUMBER_RE = re.compile(r"^(\d{1,9})([.)])")


class ExportError(JournalError):
    """The export cannot be written where asked; nothing was written."""


# ---- making Markdown safe --------------------------------------------------------------------


def _split_lines(text: str) -> tuple[list[str], list[str]]:
    """Lines and the breaks between them, split the way markdown-it splits them."""
    return _NEWLINE_RE.split(text), _NEWLINE_RE.findall(text)


def _join_lines(lines: list[str | None], breaks: list[str]) -> str:
    """Join ``lines`` back with their own breaks, dropping lines set to ``None``."""
    out: list[str] = []
    for i, line in enumerate(lines):
        if line is None:
            continue
        if out:
            out.append(breaks[i - 1] if i > 0 else "\n")
        out.append(line)
    return "".join(out)


def _line_count(text: str) -> int:
    return len(_NEWLINE_RE.findall(text)) + 1


def _might_have_heading(text: str) -> bool:
    if "#" in text:
        return True
    # A lone CR is a line break for markdown-it but not for Python's "^".
    return bool(_UNDERLINE_RE.search(_NEWLINE_RE.sub("\n", text)))


def demote_headings(body: str, by: int = ENTRY_LEVEL) -> str:
    """Shift every heading in ``body`` down ``by`` levels; past level 6 becomes bold text.

    Turning a heading into a bold paragraph can make the next line (``---`` or ``===``)
    underline it into a new setext heading, so the body is read again until no heading at
    level ``by`` or above is left.
    """
    if by < 1 or not _might_have_heading(body):
        return body
    text = body
    for attempt in range(_MAX_PASSES):
        tokens = _block_md.parse(text)
        targets = [
            n
            for n, tok in enumerate(tokens)
            if tok.type == "heading_open"
            and tok.map is not None
            and (attempt == 0 or int(tok.tag[1]) <= by)
        ]
        if not targets:
            break
        text = _rewrite_headings(text, tokens, targets, by)
    return text


def _rewrite_headings(text: str, tokens: list[Any], targets: list[int], by: int) -> str:
    lines: list[str | None]
    lines, breaks = _split_lines(text)  # type: ignore[assignment]
    for n in targets:
        token = tokens[n]
        start, end = token.map
        level = int(token.tag[1]) + by
        line = lines[start]
        assert line is not None
        if token.markup in ("=", "-"):
            # A setext heading: the inline token holds the text without container markers.
            parts = [part.strip() for part in tokens[n + 1].content.split("\n")]
            rest = line.replace("\0", "\ufffd").rstrip()
            if parts[0] and rest.endswith(parts[0]):
                prefix = line[: len(rest) - len(parts[0])]
            else:
                prefix = line[: len(line) - len(line.lstrip(" \t>"))]
            lines[start] = prefix + _heading_line(level, " ".join(p for p in parts if p))
            for i in range(start + 1, end):
                lines[i] = None
        else:
            # Everything before the first "#" is indentation or container markers ("> ", "- ",
            # "1. "), none of which holds a "#": keep it so the heading stays in its container.
            cut = line.index("#")
            prefix, stripped = line[:cut], line[cut:]
            hashes = len(stripped) - len(stripped.lstrip("#"))
            words = _strip_closing_hashes(stripped[hashes:].strip())
            lines[start] = prefix + _heading_line(level, words)
    return _join_lines(lines, breaks)


def _strip_closing_hashes(text: str) -> str:
    stripped = text.rstrip("#")
    if stripped != text and (not stripped or stripped[-1] in " \t"):
        return stripped.rstrip()
    return text


def _escape_closing_hashes(text: str) -> str:
    """Keep a trailing ``#`` run from being read as an ATX closing sequence."""
    stripped = text.rstrip("#")
    if stripped != text and (not stripped or stripped[-1] in " \t"):
        return stripped + "\\" + text[len(stripped) :]
    return text


@functools.lru_cache(maxsize=4096)
def _heading_line(level: int, text: str) -> str:
    if level <= 6:
        return f"{'#' * level} {_escape_closing_hashes(text)}".rstrip()
    return f"**{text}**" if text else ""


def _unclosed_fence(text: str) -> Any | None:
    """The top-level code fence ``text`` leaves open, or None."""
    if "```" not in text and "~~~" not in text:
        return None
    # An open fence swallows everything after it, including a line we add to find out.
    tokens = _block_md.parse(text + "\n\nafter")
    last = tokens[-1] if tokens else None
    if last is not None and last.type == "fence" and last.level == 0:
        return last
    return None


def close_open_fence(body: str) -> str:
    """Close a code fence the body leaves open, so it cannot swallow the entries after it."""
    fence = _unclosed_fence(body)
    if fence is None:
        return body
    return body + "\n" + fence.markup


def _close_open_html(text: str) -> str | None:
    """Close an HTML block (comment, ``<pre>``...) left open at the end of ``text``."""
    if "<" not in text:
        return None
    tokens = _block_md.parse(text)
    last = tokens[-1] if tokens else None
    if last is None or last.type != "html_block" or last.level != 0:
        return None
    opening = last.content.lstrip(" ")
    for pattern, closer in _HTML_CLOSERS:
        found = pattern.match(opening)
        if found:
            if closer is None:
                closer = "</" + found.group(0)[1:].rstrip(" \t>").lower() + ">"
            return text + "\n" + closer
    return None


def _keeps_outline(text: str, by: int) -> bool:
    """Whether ``text`` placed in a document leaves the outline to the document.

    True when markdown-it finds no heading at level ``by`` or above in it, and a heading on the
    line after a blank line that follows it is still read as a heading (nothing is left open).
    """
    tokens = _block_md.parse(text + "\n\n# after\n")
    expected_line = _line_count(text) + 1
    if len(tokens) < 3:
        return False
    tail = tokens[-3]
    if tail.type != "heading_open" or tail.level != 0 or tail.map is None:
        return False
    if tail.tag != "h1" or tail.map[0] != expected_line:
        return False
    return all(tok.type != "heading_open" or int(tok.tag[1]) > by for tok in tokens[:-3])


def _fence_wrap(text: str) -> str:
    """``text`` as a fenced block no line of it can close (the last resort)."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"


# ---- the fast path for plain prose ----------------------------------------------------------
#
# markdown-it is the authority on where a body's headings are, but it costs ~1 ms a body
# (an export of 36,500 entries: ~35 s, against jrnl's ~6 s). Most bodies are plain prose:
# paragraphs, "- " bullets and "#" headings with nothing that can open a block (fence, HTML,
# quote, indented code, setext underline). For those the headings are exactly the lines
# that start "#" .. "######" followed by a space or the line's end, and demoting them line
# by line gives the same text as markdown-it's reading. Anything else takes the full path
# (tests/test_export_fast_path.py checks that both agree).

_FAST_UNSAFE_CHARS = "\r\t\0\x0b\x0c"


def _has_unsafe_chars(text: str) -> bool:
    """Whether ``text`` holds one of _FAST_UNSAFE_CHARS (five scans, no generator)."""
    return "\r" in text or "\t" in text or "\0" in text or "\x0b" in text or "\x0c" in text


#: Characters that can begin a block (or indentation) at the start of a line.
_BLOCK_STARTERS = frozenset(" #>-+*_=`~<[|0123456789")
_ORDERED_RE = re.compile(r"\d{1,9}[.)](?: |$)")


def _plain_start(text: str) -> bool:
    """Whether a line starting with ``text`` is paragraph text (no block can start there)."""
    if not text:
        return False
    first = text[0]
    if first not in _BLOCK_STARTERS:
        return True
    if first.isdigit():
        return _ORDERED_RE.match(text) is None  # "7 out of 10" is text; "7. x" a list
    if first == "[":
        return "]:" not in text  # a link reference definition is a block of its own
    if first == "*":
        # "**bold**" is text; "* x" is a bullet and "* * *" a thematic break.
        return text.startswith("**") and bool(text.strip("* "))
    return False


#: A line break followed by a character that can begin a block: a line prose must look at.
#: Searching for the break first is several times quicker than testing every line start.
_STARTER_LINE_RE = re.compile(r"\n[ #>\-+*_=`~<\[|0-9]")
#: The same, capturing the line (without its break).
_STARTER_TEXT_RE = re.compile(r"\n([ #>\-+*_=`~<\[|0-9][^\n]*)")


def _plain_headings(
    text: str, *, controls_checked: bool = False
) -> list[tuple[int, int, int, str]] | None:
    """(start, end, level, words) of every heading in plain prose; None when not plain.

    Plain prose: blank lines, paragraph lines, "- " bullets whose text starts as a paragraph
    would, and ATX headings, with no tab, CR or other odd control character anywhere
    (``controls_checked``: the caller has made sure of that part).
    """
    if not controls_checked and _has_unsafe_chars(text):
        return None
    found: list[tuple[int, int, int, str]] = []
    if text[:1] in _BLOCK_STARTERS:
        end = text.find("\n")
        end = len(text) if end < 0 else end
        kind = _line_kind(text[:end])
        if kind is None:
            return None
        if kind:
            found.append((0, end, kind[0], kind[1]))
    # Each such line, found and cut out by the regular expression engine.
    for match in _STARTER_TEXT_RE.finditer(text):
        kind = _line_kind(match[1])
        if kind is None:
            return None
        if kind:
            found.append((match.start(1), match.end(1), kind[0], kind[1]))
    return found


#: What :func:`_line_kind` said about heading lines seen before: a check-in's section headings
#: and a person's favourite ones come back entry after entry.
_HEADING_LINES: dict[str, tuple[int, str] | tuple[()] | None] = {}


def _line_kind(line: str) -> tuple[int, str] | tuple[()] | None:
    """How plain prose reads ``line``, a line that starts with one of _BLOCK_STARTERS:
    ``(level, words)`` for an ATX heading, ``()`` for paragraph text, None for anything a
    plain reading cannot vouch for (then markdown-it decides)."""
    first = line[0]
    if first == "#":
        if line in _HEADING_LINES:
            return _HEADING_LINES[line]
        # An ATX heading: 1-6 "#", then nothing or a space and words (by hand: a regular
        # expression per line cost more than the rest of this loop).
        rest = line.lstrip("#")
        level = len(line) - len(rest)
        kind: tuple[int, str] | tuple[()] | None
        if level > 6 or (rest and rest[0] != " "):
            # Anything unusual is left to markdown-it; "#hashtag" is a paragraph.
            kind = None if level > 6 or line[1:2] == " " else ()
        else:
            kind = (level, _strip_closing_hashes(rest[1:].strip()))
        if len(_HEADING_LINES) >= 4096:
            _HEADING_LINES.clear()  # bounded: a journal of unique headings only churns
        _HEADING_LINES[line] = kind
        return kind
    if first == "-":
        # Only a "- " bullet whose text starts as a paragraph would is plain.
        return () if line[1:2] == " " and _plain_start(line[2:]) else None
    if first == " ":
        return None if line.strip(" ") else ()  # indented: a code block, or a container's
    return () if _plain_start(line) else None


#: A line that plain prose could start a block with, but not one of the simple shapes most
#: bodies are made of (what _line_kind says of those is written out here, so one scan of the
#: regular expression engine can vouch for a whole body): a heading of level 1-3 with no
#: closing "#" and no space at either end of its words, a "- " bullet that starts like a
#: word or like "[ ]" (and holds no "]:"), a number that is not a list marker, or spaces.
_NOT_SIMPLE_RE = re.compile(
    r"\n(?!"
    r"#{1,3} [^\s#](?:[^\n]*[^\s#])?(?:\n|$)"
    r"|- (?:[^ #>\-+*_=`~<\[|0-9\n]|\[(?![^\n]*\]:))"
    r"|[0-9]\d{0,8}(?![.)\d])"
    r"| +(?:\n|$)"
    r")[ #>\-+*_=`~<\[|0-9]"
)


_DEMOTED_LINE = ("\n" + "#" * (ENTRY_LEVEL + 1)).encode("ascii")
_DEMOTED_START = ("#" * ENTRY_LEVEL).encode("ascii")


def _demote_simple_utf8(text: str, raw: bytes) -> bytes | None:
    """:func:`_demote_plain_prose` by ``ENTRY_LEVEL`` as UTF-8, for a text without control
    characters whose every line is of those simple shapes, or None (then the line-by-line
    reading). ``raw`` is the UTF-8 of ``text``.

    Each heading of such a text is its line with three more "#" in front: one replace on the
    bytes does them all, with no second encoding of the body ("\n" and "#" are single bytes
    in UTF-8 that no other character's bytes contain)."""
    first = text.find("\n")
    head = text if first < 0 else text[:first]
    if _NOT_SIMPLE_RE.match("\n" + head) or _NOT_SIMPLE_RE.search(text):
        return None
    if b"#" not in raw:
        return raw
    demoted = raw.replace(b"\n#", _DEMOTED_LINE)
    return _DEMOTED_START + demoted if demoted.startswith(b"#") else demoted


def _demote_plain_prose(text: str, by: int, *, controls_checked: bool = False) -> str | None:
    """``text`` with its headings demoted below ``by``, or None when it is not plain prose."""
    headings = _plain_headings(text, controls_checked=controls_checked)
    if headings is None:
        return None
    if not headings:
        return text
    out: list[str] = []
    done = 0
    for start, end, level, words in headings:
        out += [text[done:start], _heading_line(level + by, words)]
        done = end
    out.append(text[done:])
    return "".join(out)


def _plain_keeps_outline(text: str, by: int) -> bool:
    """True when ``text`` is plain prose whose headings all sit below level ``by``."""
    headings = _plain_headings(text)
    return headings is not None and all(level > by for _, _, level, _ in headings)


def protect_markdown(text: str, by: int = ENTRY_LEVEL) -> str:
    """Markdown written by a person, made safe to place under a level-``by`` heading.

    Its headings are demoted below ``by``, a block it leaves open is closed, and if
    markdown-it still reads it as changing the outline, it goes in as a fenced block.
    """
    fast = _demote_plain_prose(text, by) if by >= 1 else None
    if fast is not None:
        return fast
    return _protect_full(text, by)


def _protect_full(text: str, by: int) -> str:
    """:func:`protect_markdown` by markdown-it's reading of ``text`` (any Markdown)."""
    out = demote_headings(text, by)
    risky = "`" in out or "~" in out or "<" in out
    if not risky and not _might_have_heading(out):
        # No heading, fence or HTML block in it: nothing that could change the outline.
        return out
    if _keeps_outline(out, by):
        return out
    for close in (close_open_fence, _close_open_html):
        closed = close(out)
        if closed is not None and closed != out:
            out = closed
            if _keeps_outline(out, by):
                return out
    return _fence_wrap(text)


def escape_inline(text: str) -> str:
    """Plain text (a title, a tag, an answer) as Markdown that shows exactly those characters.

    Line breaks become spaces; characters that would start emphasis, code, links or HTML are
    backslash-escaped.
    """
    if _INLINE_CHANGES_RE.search(text) is None:
        return text  # most titles and tags: one scan instead of three
    one_line = " ".join(_NEWLINE_RE.split(text))
    escaped = _INLINE_SPECIAL_RE.sub(r"\\\1", one_line)
    return _ENTITY_RE.sub("\\&", escaped)


def escape_line_start(text: str) -> str:
    """Plain text placed at the start of a line, so it can never begin a block."""
    escaped = escape_inline(text).lstrip(" \t")
    if not escaped:
        return escaped
    # isdigit() holds for every character \d matches (and a few more): the cheap test first.
    number = _LIST_NUMBER_RE.match(escaped) if escaped[0].isdigit() else None
    if number:
        return number.group(1) + "\\" + escaped[len(number.group(1)) :]
    if escaped[0] in "#>-+=~|:!" or (escaped[0] == "*" and not escaped.startswith("**")):
        return "\\" + escaped
    return escaped


def _code_span(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds."""
    text = " ".join(_NEWLINE_RE.split(text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


# ---- one entry as Markdown ---------------------------------------------------------------------


_NAMES: list[tuple[str, ...]] = []


def _names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(day names, month names) of the calendar module, read once: every lookup of
    ``calendar.day_name[i]`` formats a date through strftime (~1 µs a time, per entry)."""
    if not _NAMES:
        _NAMES[:] = [tuple(calendar.day_name), tuple(calendar.month_name)]
    return _NAMES[0], _NAMES[1]


def long_day(day: str) -> str:
    """``2026-11-22`` -> ``Sunday 22 November 2026``."""
    # Entry days are always YYYY-MM-DD (models.parse_day); fromisoformat is ~50x faster
    # than strptime, which showed in the profile of a 36,500-entry export.
    d = date.fromisoformat(day)
    days, months = _names()
    return f"{days[d.weekday()]} {d.day} {months[d.month]} {d.year}"


#: The hour and minute of an ISO timestamp in its usual extended form.
_HH_MM_RE = re.compile(r"\d{4}-\d\d-\d\d[T ](\d\d):(\d\d)", re.ASCII)


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
        label += f": {escape_inline(entry.title)}"
    return _escape_closing_hashes(f"{'#' * ENTRY_LEVEL} {label}")


def restore_comment(entry: Entry) -> str:
    """The hidden comment holding every field of ``entry`` as one line of JSON.

    ``<`` and ``>`` are written as ``\\u003c``/``\\u003e``, so no text can close the comment
    early; line breaks are ``\\n`` escapes, so it stays one line.
    """
    return (
        f"{RESTORE_PREFIX}{_comment_json(orjson.dumps(entry.to_dict())).decode()}{RESTORE_SUFFIX}"
    )


def _comment_json(data: bytes) -> bytes:
    """An entry's JSON (``orjson.dumps(entry.to_dict())``) as the hidden comment holds it."""
    return data.replace(b"<", b"\\u003c").replace(b">", b"\\u003e")


@functools.lru_cache(maxsize=1024)
def _label(key: str) -> str:
    """``intensity_before`` / ``whatHappened`` -> ``Intensity before`` / ``What happened``."""
    labels = _checkin_labels()
    if key in labels:
        return labels[key]
    spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z][a-z])", " ", key)
    words = [w if w.isupper() and len(w) > 1 else w.lower() for w in re.split(r"[_\-\s]+", spaced)]
    text = " ".join(w for w in words if w)
    return text[:1].upper() + text[1:] if text else (key or "(no name)")


_LABELS: dict[str, str] = {}


def _checkin_labels() -> dict[str, str]:
    # The check-in module names its fields; use its words when it has them (read once:
    # this runs for every answer of every check-in of an export).
    if not _LABELS:
        try:
            from journal.checkin import FIELD_LABELS
        except ImportError:  # pragma: no cover - the check-in is optional to this module
            return {}
        if isinstance(FIELD_LABELS, Mapping):
            _LABELS.update(FIELD_LABELS)
    return _LABELS


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return value
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
            label = f"**{escape_inline(_label(key)).strip() or '(no name)'}:**"
            lines.append(f"{pad}- {label}" + ("" if nested else f" {escape_inline(_scalar(item))}"))
        elif nested:
            lines.append(f"{pad}- **{key}:**")
        else:
            lines.append(f"{pad}- {_value_text(item)}")
        if nested:
            lines.extend(_bullets(item, depth + 1))
    return lines


_ANSWER_HEADINGS: dict[str, tuple[str, bool]] = {}


def _answer_heading(key: str) -> tuple[str, bool]:
    """``##### What happened`` for an answer's key (the same few keys in every check-in),
    and whether that line is plain prose that keeps the check-in's outline."""
    known = _ANSWER_HEADINGS.get(key)
    if known is None:
        label = escape_inline(_label(key)).strip() or "(no name)"
        heading = f"{'#' * ANSWER_LEVEL} {_escape_closing_hashes(label)}"
        known = (heading, _plain_keeps_outline(heading, ENTRY_LEVEL + 1))
        if len(_ANSWER_HEADINGS) < 1024:  # keys are few; a hostile journal cannot grow this
            _ANSWER_HEADINGS[key] = known
    return known


def _block_keeps_outline(block: str) -> bool:
    """:func:`_plain_keeps_outline` of one answer under the check-in's heading."""
    if _has_unsafe_chars(block):
        return False
    # Line by line, as _plain_headings reads them (answers are a line or a few).
    for line in block.split("\n") if "\n" in block else (block,):
        if line[:1] in _BLOCK_STARTERS:
            kind = _line_kind(line)
            if kind is None or (kind and kind[0] <= ENTRY_LEVEL + 1):
                return False
    return True


def _line_answer(text: str) -> tuple[str, bool]:
    """A one-line text answer as its block, and :func:`_block_keeps_outline` of it."""
    block = escape_line_start(text) or "(blank)"
    if block[0] in _BLOCK_STARTERS:
        return block, _block_keeps_outline(block)
    # No line break can be left in it (escape_inline made them spaces): only the controls.
    return block, not _has_unsafe_chars(block)


@functools.lru_cache(maxsize=256, typed=True)  # typed: True and 1 are different answers
def _number_answer(value: int) -> tuple[str, bool]:
    """A number (an intensity, a version) or a yes/no as its block (there are few)."""
    block = _value_text(value)
    return block, _block_keeps_outline(block)


def render_checkin(checkin: Mapping[str, Any]) -> str:
    """The check-in answers: ``#### Check-in``, then a ``#####`` sub-heading per answer.

    Works for any keys: labels come from the key (``their_side`` -> ``Their side``) or from
    the check-in module's own labels; unanswered steps are left out. Should markdown-it read
    the result as changing the outline after all, the answers go in as a fenced JSON block.
    """
    heading = f"{'#' * (ENTRY_LEVEL + 1)} Check-in"
    parts: list[str] = []
    # Whether every line is plain prose with no heading at the check-in's level or above.
    # That test reads each line on its own, so testing answer by answer (and each heading
    # line once per key) is testing the whole text, without reading it all again.
    plain = True
    for key, value in checkin.items():
        kind = type(value)
        if kind is str and "\n" not in value and "\r" not in value:
            if not value:
                continue
            block, ok = _line_answer(value)  # the usual answer: one line of text
        elif kind is int or kind is bool:
            block, ok = _number_answer(value)
        elif not _answered(value):
            continue
        else:
            if isinstance(value, (Mapping, list)):
                block = "\n".join(_bullets(value))
            elif isinstance(value, str):
                block = protect_markdown(value.strip("\r\n"), ANSWER_LEVEL)
            else:
                block = _value_text(value)
            ok = _block_keeps_outline(block)
        head, head_plain = _answer_heading(key)
        plain = plain and head_plain and ok
        parts += [head, "", block, ""]
    if not parts:
        return ""
    answers = "\n".join(parts)
    # Plain prose answers are checked line by line; markdown-it reads anything else.
    if not plain and not _keeps_outline(answers.rstrip("\n"), ENTRY_LEVEL + 1):
        dump = orjson.dumps(checkin, option=orjson.OPT_INDENT_2).decode("utf-8")
        answers = _fence_wrap(dump) + "\n"
    return f"{heading}\n\n{answers}"


@functools.lru_cache(maxsize=4096)
def _tag_span(tag: str) -> str:
    """``#tag`` as a code span (a journal has a few dozen tags, used again and again)."""
    return _code_span(f"#{tag}")


def _meta_line(entry: Entry) -> str:
    meta: list[str] = []
    if entry.kind != "reflection":
        meta.append(f"Kind: {entry.kind}")
    if entry.tags:
        meta.append("Tags: " + " ".join([_tag_span(t) for t in entry.tags]))
    if entry.starred:
        meta.append("Starred")
    if entry.follow_up:
        follow_up = entry.follow_up
        state = f"done {follow_up.done[:10]}" if follow_up.done else "open"
        text = f"Follow-up: {escape_inline(follow_up.action)} (due {follow_up.due}, {state})"
        if follow_up.note:
            text += f", note: {escape_inline(follow_up.note)}"
        meta.append(text)
    if entry.revisit_on:
        meta.append(f"Revisit on {entry.revisit_on}")
    if entry.revisit_of:
        meta.append(f"Looks back at entry {escape_inline(entry.revisit_of[:8])}")
    return "*" + " · ".join(meta) + "*" if meta else ""


def render_entry(entry: Entry, *, restore: bool = False) -> str:
    """One entry as a Markdown section (heading, prompt, body, meta line, check-in).

    ``restore`` adds the hidden comment with the entry's exact fields (the one-file export
    does; a preview does not need it).
    """
    return _render_parts(entry, restore, None)[:-1]


def _render_parts(entry: Entry, restore: bool, data: bytes | None) -> str:
    """:func:`render_entry` followed by a line break (one string, not two: a copy less).

    ``data``, when given, is the entry's JSON (see :meth:`Store.iter_entries_json`)."""
    head = entry_heading(entry) + "\n\n"
    if restore:
        data = data if data is not None else orjson.dumps(entry.to_dict())
        head += f"{RESTORE_PREFIX}{_comment_json(data).decode()}{RESTORE_SUFFIX}\n\n"
    return head + _render_rest(entry)


_COMMENT_OPEN = RESTORE_PREFIX.encode("utf-8")
_COMMENT_CLOSE = (RESTORE_SUFFIX + "\n\n").encode("utf-8")


def _render_bytes(entry: Entry, restore: bool, data: bytes | None) -> bytes:
    """:func:`_render_parts` as UTF-8, made in pieces: the hidden comment stays the bytes
    orjson wrote, and a body of plain prose is encoded once and used as it is."""
    head = (entry_heading(entry) + "\n\n").encode("utf-8")
    pieces = [head]
    if restore:
        data = data if data is not None else orjson.dumps(entry.to_dict())
        pieces += [_COMMENT_OPEN, _comment_json(data), _COMMENT_CLOSE]
    if entry.prompt:
        pieces.append(_prompt_line(entry.prompt.text).encode("utf-8"))
    body = entry.body.strip("\r\n")
    if body and not body.isspace():
        pieces += [_body_bytes(body), b"\n\n"]
    after = _after_body(entry)
    if after:
        pieces.append(after.encode("utf-8"))
    return b"".join(pieces)


def _body_bytes(body: str) -> bytes:
    """``protect_markdown(body)`` as UTF-8, for a body with something in it.

    Most bodies are plain prose with no line that could begin a block: those are the body
    as it is, and the odd control characters are looked for in the bytes, where each search
    is one memchr (in text, a search for NUL walks every character of a non-Latin text).
    """
    raw = body.encode("utf-8")
    if b"\r" in raw or b"\t" in raw or b"\0" in raw or b"\x0b" in raw or b"\x0c" in raw:
        return protect_markdown(body, ENTRY_LEVEL).encode("utf-8")
    if body[:1] not in _BLOCK_STARTERS and _STARTER_LINE_RE.search(body) is None:
        return raw
    simple = _demote_simple_utf8(body, raw)
    if simple is not None:
        return simple
    demoted = _demote_plain_prose(body, ENTRY_LEVEL, controls_checked=True)
    if demoted is None:
        return _protect_full(body, ENTRY_LEVEL).encode("utf-8")
    return raw if demoted is body else demoted.encode("utf-8")


def _prompt_line(text: str) -> str:
    """The prompt an entry answered, as a quote line and the blank line after it."""
    return f"> {escape_line_start(text)}".rstrip() + "\n\n"


def _after_body(entry: Entry) -> str:
    """The meta line and the check-in answers, each followed by its blank line."""
    meta = _meta_line(entry)
    out = meta + "\n\n" if meta else ""
    if entry.checkin:
        answers = render_checkin(entry.checkin)
        if answers:
            out += answers + "\n"
    return out


def _render_rest(entry: Entry) -> str:
    """Everything under the heading and the hidden comment, ending with a line break."""
    out = _prompt_line(entry.prompt.text) if entry.prompt else ""
    body = entry.body.strip("\r\n")
    if body and not body.isspace():
        out += protect_markdown(body, ENTRY_LEVEL) + "\n\n"
    return out + _after_body(entry)


def iter_markdown(
    entries: Iterable[Entry], title: str = "Journal", *, restore: bool = True
) -> Iterator[str]:
    """Stream the one-file export, entries in the order given, chunk by chunk."""
    pairs = ((entry, None) for entry in entries)
    for chunk in _iter_chunks(pairs, title, restore, _render_parts):
        yield chunk if isinstance(chunk, str) else chunk.decode("utf-8")


def _iter_chunks(
    entries: Iterable[tuple[Entry, bytes | None]],
    title: str,
    restore: bool,
    render: Callable[[Entry, bool, bytes | None], Any],
) -> Iterator[str | bytes]:
    """The one-file export's headings (text) and entries (as ``render`` makes them)."""
    yield export_header(title, restore)
    yield from iter_sections(entries, restore, render, Outline())


def export_header(title: str, restore: bool) -> str:
    """The first lines of a one-file export: the title comment and the format marker."""
    safe_title = re.sub(r"-{2,}", "-", title).replace(">", "")
    marker = FORMAT_MARKER if restore else PLAIN_MARKER
    return f"<!-- {safe_title}: exported by journal -->\n{marker}\n\n"


@dataclass
class Outline:
    """Where a one-file export has got to: the year and month it headed last.

    ``first`` is the (year, month) of the first entry written; with ``head_first`` off, that
    entry's headings are left to whoever joins this part to the one before it.
    """

    year: int | None = None
    month: int | None = None
    first: tuple[int, int] | None = None
    head_first: bool = True
    count: int = 0


def year_month_headings(y: int, m: int, outline: Outline) -> str:
    """The ``# year`` / ``## Month year`` lines an entry of (``y``, ``m``) needs after
    ``outline``'s last entry (none, one or both), and ``outline`` moved on to it."""
    out = ""
    if y != outline.year:
        outline.year, outline.month = y, None
        out += f"# {y}\n\n"
    if m != outline.month:
        outline.month = m
        out += f"## {_names()[1][m]} {y}\n\n"
    return out


def iter_sections(
    entries: Iterable[tuple[Entry, bytes | None]],
    restore: bool,
    render: Callable[[Entry, bool, bytes | None], Any],
    outline: Outline,
) -> Iterator[str | bytes]:
    """Each entry as ``render`` makes it, after the year and month headings it needs."""
    for entry, data in entries:
        y, m = int(entry.day[:4]), int(entry.day[5:7])
        if outline.first is None:
            outline.first = (y, m)
            if not outline.head_first:
                outline.year, outline.month = y, m
        if y != outline.year or m != outline.month:
            yield year_month_headings(y, m, outline)
        outline.count += 1
        yield render(entry, restore, data)


def to_markdown(entries: Iterable[Entry], title: str = "Journal", *, restore: bool = True) -> str:
    """The one-file export as a string."""
    return "".join(iter_markdown(entries, title, restore=restore))


# ---- one file per entry -----------------------------------------------------------------------


# PyYAML is imported on first use (~15 ms the one-file export does not need). libyaml when
# PyYAML has it: about ten times faster, same safe types and resolvers.
_yaml_parts: dict[str, Any] = {}


def _yaml() -> dict[str, Any]:
    """``{"yaml": module, "SafeLoader": ..., "Dumper": the front-matter dumper}``."""
    if not _yaml_parts:
        import yaml

        safe_dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

        class _FrontMatterDumper(safe_dumper):  # type: ignore[valid-type,misc]
            """SafeDumper that quotes every string YAML could misread, and keeps text as text."""

        _FrontMatterDumper.add_representer(str, _represent_str)
        _yaml_parts.update(
            yaml=yaml,
            SafeLoader=getattr(yaml, "CSafeLoader", yaml.SafeLoader),
            Dumper=_FrontMatterDumper,
        )
    return _yaml_parts


def __getattr__(name: str) -> Any:
    # ``from journal.transfer.export import SafeLoader`` (the importer) still works, lazily.
    if name == "SafeLoader":
        return _yaml()["SafeLoader"]
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style: str | None = None
    if not data.replace("\n", "").isprintable():
        # Control, format (zero-width, bidi), separator (U+2028, no-break space...), private
        # and unassigned characters: double quotes escape every one of them exactly.
        style = '"'
    elif "\n" in data:
        # Readable multi-line text; PyYAML falls back to double quotes when a literal block
        # cannot hold it exactly (trailing spaces on a line, for one).
        style = "|"
    elif data != data.strip() or not data:
        style = "'" if "'" not in data else '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


def front_matter(entry: Entry) -> str:
    """Every field but the body, as YAML between ``---`` lines."""
    data = entry.to_dict()
    del data["body"]
    parts = _yaml()
    text = parts["yaml"].dump(
        data,
        Dumper=parts["Dumper"],
        allow_unicode=True,
        sort_keys=False,
        default_flow_style=False,
        width=1 << 30,  # never fold a long line: folding is where YAML round trips go wrong
    )
    return f"---\n{text}---\n"


def entry_file_text(entry: Entry) -> str:
    """A per-entry file: front matter, then the body exactly as stored."""
    return front_matter(entry) + entry.body


def slugify(text: str, *, fallback: str = "entry") -> str:
    """A file-name-safe slug: letters and digits of any script, joined by ``-``.

    NFKC-normalised and case-folded (so names differing only in case or Unicode form do
    not collide on macOS and Windows), no punctuation, no zero-width or bidi characters,
    at most :data:`SLUG_MAX_CHARS` characters and :data:`SLUG_MAX_BYTES` bytes.
    """
    text = unicodedata.normalize("NFKC", text).casefold()
    # Zero-width and bidi marks vanish; other punctuation, symbols and spaces split words.
    kept = [
        ch
        if unicodedata.category(ch)[0] in "LNM"
        else ""
        if unicodedata.category(ch) == "Cf"
        else " "
        for ch in text
    ]
    words = "".join(kept).split()
    slug = unicodedata.normalize("NFC", "-".join(words))
    # Never start with a combining mark (it would sit on the "-" before it).
    while slug and unicodedata.category(slug[0])[0] == "M":
        slug = slug[1:]
    slug = slug[:SLUG_MAX_CHARS]
    while len(slug.encode("utf-8")) > SLUG_MAX_BYTES:
        slug = slug[:-1]
    return slug.strip("-") or fallback


_WINDOWS_RESERVED = {"con", "prn", "aux", "nul"} | {
    f"{base}{n}" for base in ("com", "lpt") for n in [*range(1, 10), "¹", "²", "³"]
}
_UNSAFE_CHARS_RE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')


def safe_name(name: str, *, fallback: str = "entry") -> str:
    """``name`` made safe as one path component on Linux, macOS and Windows."""
    name = _UNSAFE_CHARS_RE.sub("-", unicodedata.normalize("NFC", name))
    name = name.rstrip(". ").lstrip(" ")
    if not name or name in (".", ".."):
        return fallback
    stem = name.split(".", 1)[0]
    if stem.rstrip(" ").casefold() in _WINDOWS_RESERVED:
        # CON, NUL.txt, com1.md...: reserved on Windows whatever the extension.
        name = f"{stem}-{name[len(stem) :]}"
    return name


def entry_stem(entry: Entry) -> str:
    """``2026-11-22-0914-after-the-outage``: day, time written and a slug of the title."""
    created = datetime.fromisoformat(entry.created)
    source = entry.title or (entry.headline if entry.body.strip() else "")
    return f"{entry.day}-{created:%H%M}-{slugify(source)}"


class FileNamer:
    """Hands out ``YYYY/stem.md`` paths that never collide, even on case-insensitive disks."""

    def __init__(self) -> None:
        self._taken: set[str] = set()

    def forget(self) -> None:
        """Drop the names handed out so far: call when the day changes in a day-sorted run
        (names start with the day, so they cannot clash across days); memory stays flat."""
        self._taken.clear()

    def path_for(self, entry: Entry) -> str:
        """A fresh relative path (POSIX form) for ``entry``: ``-2``, ``-3``... on a clash."""
        stem = entry_stem(entry)
        year = entry.day[:4]
        n = 1
        while True:
            suffix = "" if n == 1 else f"-{n}"
            name = f"{year}/{safe_name(f'{stem}{suffix}.md')}"
            key = unicodedata.normalize("NFC", name).casefold()
            if key not in self._taken:
                self._taken.add(key)
                return name
            n += 1


# ---- writing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote."""

    path: Path
    entries: int
    per_entry: bool
    removed: int = 0

    def describe(self) -> str:
        """One sentence for the user."""
        noun = "entry" if self.entries == 1 else "entries"
        if self.per_entry:
            text = f"Exported {self.entries} {noun} to {self.path}/ (one file each)"
            if self.removed:
                text += f"; removed {self.removed} file(s) left from the previous export"
            return text
        return f"Exported {self.entries} {noun} to {self.path}"


def export_conflict(path: Path, *, per_entry: bool) -> str | None:
    """What exporting to ``path`` would overwrite (a sentence), or None when nothing.

    Raises :class:`ExportError` when the path cannot be used at all (a folder where a file
    is wanted, or the other way round).
    """
    path = Path(path)
    if per_entry:
        if path.exists() and not path.is_dir():
            raise ExportError(
                f"{path} is a file; a per-entry export needs a folder.",
                "Give a folder name (it is created if missing).",
            )
        if path.is_dir():
            with os.scandir(path) as items:
                if any(True for _ in items):
                    return f"The folder {path} is not empty."
        return None
    if path.is_dir():
        raise ExportError(
            f"{path} is a folder; a one-file export needs a file name.",
            "Give a file name such as journal.md, or export --per-entry to a folder.",
        )
    if path.exists() or path.is_symlink():
        return f"{path} exists."
    return None


def check_target(path: Path, *, per_entry: bool, force: bool) -> None:
    """Refuse (with :class:`ExportError`) to overwrite anything unless ``force``."""
    conflict = export_conflict(path, per_entry=per_entry)
    if conflict and not force:
        raise ExportError(
            f"{conflict} Nothing was written.",
            "Choose another path, or overwrite it (--force on the command line).",
        )


def iter_export_entries(store: Store, flt: EntryFilter | None) -> Iterator[Entry]:
    """The entries to export, oldest first, one at a time."""
    return store.iter_entries(flt, oldest_first=True)


class _Progress:
    """Calls ``progress(done, total)`` about every 1 % and once at the end."""

    def __init__(self, progress: ProgressFn | None, total: int) -> None:
        self.progress = progress
        self.total = total
        self.step = max(1, total // 100)
        self.done = 0
        if progress:
            progress(0, total)

    def tick(self) -> None:
        self.done += 1
        if self.progress and (self.done % self.step == 0 or self.done == self.total):
            self.progress(self.done, max(self.total, self.done))

    def counted(self, pairs: Iterable[tuple[Entry, bytes]]) -> Iterator[tuple[Entry, bytes]]:
        """``pairs`` as they are, with a tick after each."""
        for pair in pairs:
            yield pair
            self.tick()

    def add(self, count: int) -> None:
        """``count`` more done at once (a part another process wrote)."""
        self.done += count
        if self.progress and count:
            self.progress(self.done, max(self.total, self.done))

    def finish(self) -> None:
        if self.progress:
            self.progress(self.done, self.done)


@contextlib.contextmanager
def atomic_text_writer(target: Path, mode: int = 0o600) -> Iterator[IO[str]]:
    """Write a text file in pieces; readers see the old file or the whole new one.

    The streaming twin of :func:`journal.store.jsonfile.atomic_write_bytes`: a temp file in the same
    folder, flushed and fsynced, then ``os.replace``-d over ``target`` and the folder fsynced.
    """
    from journal.store.atomic import TEMP_SUFFIX, fsync_dir, temp_prefix

    folder = target.parent
    fd, tmp_name = tempfile.mkstemp(prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=folder)
    try:
        os.fchmod(fd, mode)
        # newline="" writes "\r\n" in a body as it is, on every platform.
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_dir(folder)


def export_file(
    store: Store,
    path: Path,
    flt: EntryFilter | None = None,
    *,
    force: bool = False,
    restore: bool = True,
    progress: ProgressFn | None = None,
    workers: int = 1,
) -> ExportResult:
    """Write the one-file export to ``path``, streaming (memory stays flat).

    With ``workers`` > 1, a whole-journal export of a big journal is rendered by that many
    processes side by side (:mod:`journal.transfer.parallel`; a process that runs no other
    threads only, such as the command line).
    """
    from journal.paths import ensure_private_dir

    path = Path(path).expanduser()
    if os.path.realpath(path) == os.path.realpath(store.path):
        raise ExportError(
            f"{path} is the journal itself; exporting there would replace it.",
            "Choose another file name.",
        )
    check_target(path, per_entry=False, force=force)
    total = store.count(flt)
    ensure_private_dir(path.parent)
    counter = _Progress(progress, total)

    with atomic_text_writer(path) as handle:
        raw = handle.buffer
        parallel = workers > 1 and total >= PARALLEL_MIN_ENTRIES and _is_everything(flt)
        if parallel:
            from journal.transfer.parallel import write_in_parallel

            parallel = write_in_parallel(store, raw, path, restore, workers, counter)
        if not parallel:
            raw.write(export_header("Journal", restore).encode("utf-8"))
            entries = store.iter_entries(flt, oldest_first=True)
            pairs = counter.counted((e, orjson.dumps(e.to_dict())) for e in entries)
            write_batched(raw, iter_sections(pairs, restore, _render_bytes, Outline()))
    counter.finish()
    return ExportResult(path, counter.done, per_entry=False)


def _is_everything(flt: EntryFilter | None) -> bool:
    from journal.store import EntryFilter

    return flt is None or flt == EntryFilter()


def write_batched(out: IO[bytes], chunks: Iterable[str | bytes]) -> None:
    """Write ``chunks`` as UTF-8 to ``out``, about 1 MB a write.

    Straight to the file's buffer: the text layer costs ~3x more per chunk (measured at
    36,500 entries), and memory stays flat.
    """
    batch: list[bytes] = []
    size = 0
    for chunk in chunks:
        data = chunk.encode("utf-8") if type(chunk) is str else chunk
        batch.append(data)  # type: ignore[arg-type]
        size += len(data)
        if size >= 1 << 20:
            out.write(b"".join(batch))
            batch.clear()
            size = 0
    out.write(b"".join(batch))


def read_manifest(folder: Path) -> list[str]:
    try:
        data = orjson.loads((folder / MANIFEST_NAME).read_bytes())
    except (OSError, orjson.JSONDecodeError):
        return []
    files = data.get("files") if isinstance(data, dict) else None
    return [f for f in files if isinstance(f, str)] if isinstance(files, list) else []


def _inside(folder: Path, relative: str) -> Path | None:
    """``folder/relative`` if ``relative`` is a plain relative ``.md`` path inside ``folder``."""
    parts = PurePosixPath(relative).parts
    if not parts or relative.startswith("/") or ".." in parts or not relative.endswith(".md"):
        return None
    return folder.joinpath(*parts)


def _replace_file(target: Path, data: bytes) -> None:
    """Write ``target`` (0600) through a temp file and a rename, without an fsync of its own.

    Readers never see half a file. Durability comes from one flush of the whole export at
    the end (:func:`_flush_to_disk`): an fsync per file costs ~8 ms here, minutes for a big
    journal, and an export is a copy, not the only place the words live.
    """
    from journal.store.atomic import TEMP_SUFFIX, temp_prefix

    fd, tmp_name = tempfile.mkstemp(
        prefix=temp_prefix(target), suffix=TEMP_SUFFIX, dir=target.parent
    )
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise


def _flush_to_disk(folders: Iterable[Path]) -> None:
    """Push every file written to disk at once, then make the renames in ``folders`` durable."""
    from journal.store.atomic import fsync_dir

    sync = getattr(os, "sync", None)
    if sync is not None:
        sync()
    for folder in folders:
        fsync_dir(folder)


def export_per_entry(
    store: Store,
    folder: Path,
    flt: EntryFilter | None = None,
    *,
    force: bool = False,
    progress: ProgressFn | None = None,
) -> ExportResult:
    """Write one Markdown file per entry under ``folder``, streaming.

    Each file is replaced atomically (0600, folders 0700) and the whole export is flushed to
    disk once at the end. Overwriting a non-empty folder
    needs ``force``; then files the previous export wrote there (listed in its manifest) that
    this export does not write again are removed, so a renamed entry leaves no stale copy.
    """
    from journal.paths import ensure_private_dir

    folder = Path(folder).expanduser()
    check_target(folder, per_entry=True, force=force)
    total = store.count(flt)
    ensure_private_dir(folder)
    # Only a forced re-export holds a list of names: the files it may have to remove.
    stale = set(read_manifest(folder))
    namer = FileNamer()
    day = None
    made: set[str] = set()
    counter = _Progress(progress, total)
    # The manifest is written as the files are (it is renamed into place only at the end).
    with atomic_text_writer(folder / MANIFEST_NAME) as manifest:
        fields = orjson.dumps(list(FIELDS)).decode()
        manifest.write(
            f'{{"format": "journal per-entry export", "version": {FORMAT_VERSION},\n'
            f'"fields": {fields},\n"files": ['
        )
        for entry in iter_export_entries(store, flt):
            if entry.day != day:
                day = entry.day
                namer.forget()
            relative = namer.path_for(entry)
            year = relative.split("/", 1)[0]
            if year not in made:
                ensure_private_dir(folder / year)
                made.add(year)
            _replace_file(folder / relative, entry_file_text(entry).encode("utf-8"))
            manifest.write(("\n" if counter.done == 0 else ",\n") + orjson.dumps(relative).decode())
            stale.discard(relative)
            counter.tick()
        manifest.write("\n]}\n")
        removed = 0
        for relative in stale:
            old = _inside(folder, relative)
            if old is None:
                continue
            with contextlib.suppress(FileNotFoundError, IsADirectoryError):
                old.unlink()
                removed += 1
        _flush_to_disk([folder, *(folder / year for year in made)])
    counter.finish()
    written = counter.done
    return ExportResult(folder, written, per_entry=True, removed=removed)
