"""The journal file: the Store, its queries, the JSON storage and its line layout, atomic
writes, the lock, backups, drafts, encryption and the doctor. No Textual."""

from __future__ import annotations

from journal.store.conflicts import EditConflictError
from journal.store.store import (
    ENTRIES,
    META,
    SCHEMA_VERSION,
    EntryFilter,
    InvalidEntry,
    Store,
    make_filter,
)

__all__ = [
    "ENTRIES",
    "META",
    "SCHEMA_VERSION",
    "EditConflictError",
    "EntryFilter",
    "InvalidEntry",
    "Store",
    "make_filter",
]
