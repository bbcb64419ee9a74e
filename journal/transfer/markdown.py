"""Making Markdown written by a person safe to place inside a bigger document.

A body goes under an entry heading in the one-file export (and in the History preview), so:

- its headings are pushed down below that heading (``#`` becomes ``####``); one that would go
  past level 6 becomes bold text, never seven ``#``;
- a block the body leaves open (a code fence with no closing fence, an unclosed ``<!--`` or
  ``<pre>``) is closed, so it cannot swallow the entries after it; if markdown-it still reads
  the body as changing the outline, the body goes in as a fenced block instead;
- titles, tags and answers are escaped so they show exactly their characters.

markdown-it is the authority on where a body's headings are; plain prose takes a fast path
that gives the same text (tests/unit/test_export_fast_path.py). Pure string work: no files,
no Textual.
"""

from __future__ import annotations

import re
from typing import Any

#: Entry headings are ``###``: a body's own headings go below them.
ENTRY_LEVEL = 3


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
        tokens: list[Any] = self._md.parse(text)
        return tokens


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


def nest_levels(levels: list[int], base: int) -> list[int]:
    """New levels for headings at ``levels`` (in document order), starting at ``base``.

    Each heading goes one level below the nearest heading before it that was higher in the
    original, so nesting is kept and no level is ever skipped: ``#``, ``###``, ``##`` under a
    ``###`` entry heading become ``####``, ``#####``, ``#####``. A sequence that already
    starts at ``base`` and never skips maps to itself.
    """
    stack: list[int] = []
    out: list[int] = []
    for level in levels:
        while stack and stack[-1] >= level:
            stack.pop()
        out.append(base + len(stack))
        stack.append(level)
    return out


def demote_headings(body: str, by: int = ENTRY_LEVEL) -> str:
    """Move every heading in ``body`` below level ``by``, nested without skipping a level
    (:func:`nest_levels`); past level 6 becomes bold text.

    Turning a heading into a bold paragraph can make the next line (``---`` or ``===``)
    underline it into a new setext heading, so the body is read again until every heading
    is where the nesting puts it.
    """
    if by < 1 or not _might_have_heading(body):
        return body
    text = body
    for attempt in range(_MAX_PASSES):
        tokens = _block_md.parse(text)
        found = [
            n for n, tok in enumerate(tokens) if tok.type == "heading_open" and tok.map is not None
        ]
        levels = nest_levels([int(tokens[n].tag[1]) for n in found], by + 1)
        targets = [
            (n, level)
            for n, level in zip(found, levels, strict=True)
            if attempt == 0 or level != int(tokens[n].tag[1])
        ]
        if not targets:
            break
        text = _rewrite_headings(text, tokens, targets)
    return text


def _rewrite_headings(text: str, tokens: list[Any], targets: list[tuple[int, int]]) -> str:
    lines: list[str | None]
    lines, breaks = _split_lines(text)  # type: ignore[assignment]
    for n, level in targets:
        token = tokens[n]
        start, end = token.map
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


def escape_closing_hashes(text: str) -> str:
    """Keep a trailing ``#`` run from being read as an ATX closing sequence."""
    stripped = text.rstrip("#")
    if stripped != text and (not stripped or stripped[-1] in " \t"):
        return stripped + "\\" + text[len(stripped) :]
    return text


def _heading_line(level: int, text: str) -> str:
    if level <= 6:
        return f"{'#' * level} {escape_closing_hashes(text)}".rstrip()
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
    markup: str = fence.markup
    return body + "\n" + markup


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


def keeps_outline(text: str, by: int) -> bool:
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


def fence_wrap(text: str) -> str:
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
# (tests/unit/test_export_fast_path.py checks that both agree). Measured at 3,650 entries: an
# export takes about 0.17 s with it and 1.4 s without.


def has_unsafe_chars(text: str) -> bool:
    """Whether ``text`` holds a CR, tab, NUL, VT or FF (plain prose has none of them)."""
    return "\r" in text or "\t" in text or "\0" in text or "\x0b" in text or "\x0c" in text


#: Characters that can begin a block (or indentation) at the start of a line.
BLOCK_STARTERS = frozenset(" #>-+*_=`~<[|0123456789")
_ORDERED_RE = re.compile(r"\d{1,9}[.)](?: |$)")


def _plain_start(text: str) -> bool:
    """Whether a line starting with ``text`` is paragraph text (no block can start there)."""
    if not text:
        return False
    first = text[0]
    if first not in BLOCK_STARTERS:
        return True
    if first.isdigit():
        return _ORDERED_RE.match(text) is None  # "7 out of 10" is text; "7. x" a list
    if first == "[":
        return "]:" not in text  # a link reference definition is a block of its own
    if first == "*":
        # "**bold**" is text; "* x" is a bullet and "* * *" a thematic break.
        return text.startswith("**") and bool(text.strip("* "))
    return False


#: A line break followed by a character that can begin a block, capturing the line (without
#: its break): a line prose must look at. Searching for the break first is several times
#: quicker than testing every line start.
_STARTER_TEXT_RE = re.compile(r"\n([ #>\-+*_=`~<\[|0-9][^\n]*)")


def _plain_headings(text: str) -> list[tuple[int, int, int, str]] | None:
    """(start, end, level, words) of every heading in plain prose; None when not plain.

    Plain prose: blank lines, paragraph lines, "- " bullets whose text starts as a paragraph
    would, and ATX headings, with no tab, CR or other odd control character anywhere.
    """
    if has_unsafe_chars(text):
        return None
    found: list[tuple[int, int, int, str]] = []
    if text[:1] in BLOCK_STARTERS:
        end = text.find("\n")
        end = len(text) if end < 0 else end
        kind = line_kind(text[:end])
        if kind is None:
            return None
        if kind:
            found.append((0, end, kind[0], kind[1]))
    # Each such line, found and cut out by the regular expression engine.
    for match in _STARTER_TEXT_RE.finditer(text):
        kind = line_kind(match[1])
        if kind is None:
            return None
        if kind:
            found.append((match.start(1), match.end(1), kind[0], kind[1]))
    return found


def line_kind(line: str) -> tuple[int, str] | tuple[()] | None:
    """How plain prose reads ``line``, a line that starts with one of BLOCK_STARTERS:
    ``(level, words)`` for an ATX heading, ``()`` for paragraph text, None for anything a
    plain reading cannot vouch for (then markdown-it decides)."""
    first = line[0]
    if first == "#":
        # An ATX heading: 1-6 "#", then nothing or a space and words (by hand: a regular
        # expression per line cost more than the rest of this loop).
        rest = line.lstrip("#")
        level = len(line) - len(rest)
        if level > 6 or (rest and rest[0] != " "):
            # Anything unusual is left to markdown-it; "#hashtag" is a paragraph.
            return None if level > 6 or line[1:2] == " " else ()
        return (level, _strip_closing_hashes(rest[1:].strip()))
    if first == "-":
        # Only a "- " bullet whose text starts as a paragraph would is plain.
        return () if line[1:2] == " " and _plain_start(line[2:]) else None
    if first == " ":
        return None if line.strip(" ") else ()  # indented: a code block, or a container's
    return () if _plain_start(line) else None


def _demote_plain_prose(text: str, by: int) -> str | None:
    """``text`` with its headings demoted below ``by``, or None when it is not plain prose."""
    headings = _plain_headings(text)
    if headings is None:
        return None
    if not headings:
        return text
    out: list[str] = []
    done = 0
    levels = nest_levels([level for _, _, level, _ in headings], by + 1)
    for (start, end, _, words), level in zip(headings, levels, strict=True):
        out += [text[done:start], _heading_line(level, words)]
        done = end
    out.append(text[done:])
    return "".join(out)


def plain_keeps_outline(text: str, by: int) -> bool:
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
    if keeps_outline(out, by):
        return out
    for close in (close_open_fence, _close_open_html):
        closed = close(out)
        if closed is not None and closed != out:
            out = closed
            if keeps_outline(out, by):
                return out
    return fence_wrap(text)


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


def code_span(text: str) -> str:
    """``text`` as an inline code span, whatever backticks it holds."""
    if "`" not in text and "\n" not in text and "\r" not in text:
        return f"`{text}`"  # a tag, say: no run of backticks to outnumber, nothing to pad
    text = " ".join(_NEWLINE_RE.split(text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"
