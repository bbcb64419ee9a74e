"""Saving over a change made elsewhere: the three-way rule every update goes through.

An editor loads an entry (the *base*), changes some of its fields (*mine*), and saves while
another window or the shell may have saved the same entry meanwhile (*theirs*, what is stored
now). Field by field: a field I left as loaded takes theirs, a field only I changed takes
mine, and a field we both changed to different values is a conflict. Nothing is written
then: :class:`EditConflictError` hands the stored entry back so the user can choose.
"""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from journal.errors import JournalError
from journal.models import Entry

__all__ = ["TEXT_FIELDS", "EditConflictError", "merged"]

#: What a writer types: a conflict here means two texts, and the user chooses between them.
TEXT_FIELDS = ("title", "body", "tags")
#: Never merged: who the entry is, and the stamp every save sets.
_FIXED = ("uid", "created", "updated")


class EditConflictError(JournalError):
    """The entry changed elsewhere since it was loaded, in the same fields; nothing was saved.

    ``stored`` is the entry as it is on disk now (None: it was deleted elsewhere), ``mine``
    the entry the caller tried to save, ``fields`` the fields both sides changed.
    """

    def __init__(self, mine: Entry, stored: Entry | None, conflicting: tuple[str, ...]) -> None:
        short = mine.uid[:8]
        if stored is None:
            message = f"Entry {short} was deleted elsewhere after it was opened; nothing was saved."
            hint = "Save it again as a new entry to keep the text."
        else:
            names = ", ".join(conflicting)
            message = (
                f"Entry {short} was changed elsewhere after it was opened ({names}); "
                "nothing was saved."
            )
            hint = "Open it again to see the other change, then make yours."
        super().__init__(message, hint)
        self.mine = mine
        self.stored = stored
        self.fields = conflicting


def _differs(a: Any, b: Any) -> bool:
    return bool(a != b)


def merged(mine: Entry, base: Entry, stored: Entry) -> Entry:
    """``mine`` with every field I did not change taken from ``stored``; raise on a clash.

    Raises :class:`EditConflictError` when a field changed on both sides to different values.
    """
    if stored == base:
        return mine  # the common case: nobody else wrote
    changes: dict[str, Any] = {}
    clashes: list[str] = []
    for field in fields(Entry):
        name = field.name
        if name in _FIXED:
            continue
        ours, was, theirs = getattr(mine, name), getattr(base, name), getattr(stored, name)
        if not _differs(ours, was):
            if _differs(ours, theirs):
                changes[name] = theirs  # only they changed it: keep their change
        elif _differs(theirs, was) and _differs(theirs, ours):
            clashes.append(name)
    if clashes:
        raise EditConflictError(mine, stored, tuple(clashes))
    return replace(mine, **changes) if changes else mine
