"""Inline tags: ``#growth`` and ``@work`` written in the text of an entry, as jrnl reads them.

Text written from the shell or from an editor may carry its tags inline. They become tags of
the entry (normalised as the tag field is), while the text keeps them as written. Code is
not prose: nothing inside a code span, a fenced or indented code block, a URL or an e-mail
address is a tag, and neither is a Markdown heading (``# Title``), a number (``#3``) or a
colour-like run glued to a word (``C#``).
"""

from __future__ import annotations

import re

from journal.models import normalise_tags

__all__ = ["inline_tags", "with_inline_tags"]

# A tag starts after the start of the text, whitespace or an opening bracket/quote, so
# "C#", "a@b.com" and "page#anchor" are not tags. It begins with a letter and runs over
# letters, digits, "_" and "-" (a trailing "-" or "_" is punctuation, not part of it).
_TAG_RE = re.compile(r"(?:(?<=^)|(?<=[\s(\[{\"'“‘]))[#@]([^\W\d_][\w-]*[^\W_]|[^\W\d_])")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_URL_RE = re.compile(r"<[^>\s]+>|\b[a-zA-Z][\w+.-]*://\S+|\bwww\.\S+|\S+@\S+\.\S+")


def _prose(text: str) -> str:
    """``text`` with code blocks, code spans and URLs blanked out."""
    kept: list[str] = []
    fence: str | None = None
    previous_blank = True
    for line in text.split("\n"):
        opened = _FENCE_RE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            kept.append("")
            continue
        if opened:
            fence = opened.group(1)
            kept.append("")
            continue
        # An indented code block starts after a blank line (inside a list it is a paragraph,
        # which this simple reading also skips: a tag there is one the user can add by hand).
        if previous_blank and (line.startswith("    ") or line.startswith("\t")):
            kept.append("")
            continue
        previous_blank = not line.strip()
        kept.append(line)
    prose = "\n".join(kept)
    prose = _CODE_SPAN_RE.sub(" ", prose)
    return _URL_RE.sub(" ", prose)


def inline_tags(text: str) -> tuple[str, ...]:
    """The ``#tag`` / ``@tag`` words of ``text`` outside code and URLs, normalised, in order."""
    if "#" not in text and "@" not in text:
        return ()
    return normalise_tags(match.group(1) for match in _TAG_RE.finditer(_prose(text)))


def with_inline_tags(tags: tuple[str, ...] | list[str], *texts: str) -> tuple[str, ...]:
    """``tags`` followed by the inline tags of ``texts`` that are not among them already."""
    found: list[str] = list(tags)
    for text in texts:
        found.extend(inline_tags(text))
    return normalise_tags(found)
