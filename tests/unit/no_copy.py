"""Runs of five words, normalised and hashed: how the no-copy test compares our text with the
seed essays without keeping the essays in the repository (tests/data/seed-5grams.txt)."""

from __future__ import annotations

import hashlib
import re

RUN = 5
_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})


def words(text: str) -> list[str]:
    """Lower-case words with US/UK spelling folded (organize = organise, learned = learnt)."""
    out = []
    for word in _WORD.findall(text.translate(_QUOTES).casefold()):
        word = re.sub(r"iz(e|es|ed|ing|ation|ations)$", r"is\1", word)
        word = {"learned": "learnt", "focused": "focussed"}.get(word, word)
        out.append(word)
    return out


def digest(run: list[str]) -> str:
    """The hash kept for one run."""
    return hashlib.sha256(" ".join(run).encode()).hexdigest()[:16]


def shingles(text: str) -> set[str]:
    """Every five-word run of ``text`` (within a paragraph line), hashed."""
    found: set[str] = set()
    for line in text.splitlines():
        w = words(line)
        found.update(digest(w[i : i + RUN]) for i in range(len(w) - RUN + 1))
    return found
