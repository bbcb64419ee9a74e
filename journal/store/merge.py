"""Bringing two copies of one journal together (``journal merge OTHER``), and finding the
conflict copies that file-sync tools leave beside a journal.

A journal kept in a folder that Syncthing, Dropbox or Nextcloud copies between machines
gets a conflict copy when both machines wrote before syncing. Merging it back follows one
rule: **no text written on either side is dropped**.

- Entries match by uid. Equal on both sides: nothing to do.
- Text (title, body, tags, day) changed on one side only: that side's text is taken. "Only
  one side" is known from the versions each copy remembers (the ``versions`` table,
  store.py): if one side's text is an earlier version of the other's, the other is newer.
- Text changed on both sides: the entry keeps the more recently updated text, and the other
  is saved beside it as a new entry titled "Conflict copy: ...", tagged ``conflict``, so
  both texts stay. Its uid comes from the two texts, so merging again adds no second copy.
- Follow-up state and the star merge field by field: a follow-up done on either side stays
  done (with its note); otherwise the side updated last wins.
- Deletions (the ``deleted`` table) are honoured only where the other side holds the very
  version that was deleted (or an earlier one): an entry edited on the other side, which the
  deleting side never saw, comes back with its text. A deletion record without that hash
  (none are written so) falls back to time: the other copy must not be newer.

:func:`plan_merge` is pure (two snapshots in, a :class:`MergePlan` out); the CLI takes a
backup, then writes the plan in one write (``Store.apply_merge``). Merging the same copy
again changes nothing.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import orjson

from journal.models import Entry, FollowUp, normalise_tags

__all__ = [
    "MergePlan",
    "Snapshot",
    "conflict_copies",
    "content_hash",
    "plan_merge",
]

CONFLICT_TAG = "conflict"
_CONFLICT_NAMESPACE = uuid.UUID("7c3b2d8e-1f0a-4b6c-9e5d-6d6572676531")


def content_hash(doc: Mapping[str, Any]) -> str:
    """A short hash of what a person wrote in an entry: title, body, tags and day."""
    key = [doc.get("title", ""), doc.get("body", ""), list(doc.get("tags") or ()), doc.get("day")]
    return hashlib.sha256(orjson.dumps(key)).hexdigest()[:20]


def _hash(entry: Entry) -> str:
    return content_hash(entry.to_dict())


@dataclass
class Snapshot:
    """One copy of the journal as a merge sees it."""

    entries: dict[str, Entry]
    #: uid -> (deleted at, content hash of the version that was deleted)
    tombstones: dict[str, tuple[str, str]] = field(default_factory=dict)
    versions: dict[str, set[str]] = field(default_factory=dict)  # uid -> earlier hashes


@dataclass
class MergePlan:
    """What merging ``theirs`` into ``ours`` does."""

    added: list[Entry] = field(default_factory=list)  # only theirs had them
    updated: list[Entry] = field(default_factory=list)  # ours replaced (their text, or fields)
    conflicts: list[Entry] = field(default_factory=list)  # conflict copies, new entries
    deleted: list[Entry] = field(default_factory=list)  # deleted on their side, not newer here
    kept_deleted: int = 0  # theirs had them, deleted here and not edited since: stay deleted
    tombstones: dict[str, tuple[str, str]] = field(default_factory=dict)
    versions: dict[str, set[str]] = field(default_factory=dict)

    @property
    def upserts(self) -> list[Entry]:
        """Entries to write (added, updated, conflict copies)."""
        return [*self.added, *self.updated, *self.conflicts]

    @property
    def changes_anything(self) -> bool:
        """Whether writing the plan changes the journal's entries."""
        return bool(self.upserts or self.deleted)

    def summary(self, *, dry_run: bool = False) -> str:
        """One line for the user."""
        parts = [
            f"{len(self.added)} added",
            f"{len(self.updated)} updated",
            f"{len(self.conflicts)} conflict cop{'y' if len(self.conflicts) == 1 else 'ies'}",
            f"{len(self.deleted)} deleted",
        ]
        lead = "Would merge" if dry_run else "Merged"
        return f"{lead}: " + ", ".join(parts) + "."


def _newer(a: str, b: str) -> bool:
    from journal.models import parse_timestamp

    return parse_timestamp(a, "updated") > parse_timestamp(b, "updated")


def _merge_follow_up(ours: Entry, theirs: Entry) -> FollowUp | None:
    a, b = ours.follow_up, theirs.follow_up
    if a is None or b is None:
        # Added (or removed) on one side: the side updated last says which.
        return b if _newer(theirs.updated, ours.updated) else a
    if a.done and not b.done:
        return a
    if b.done and not a.done:
        return b
    return b if _newer(theirs.updated, ours.updated) else a


def _merge_fields(text_from: Entry, ours: Entry, theirs: Entry) -> Entry:
    """``text_from``'s text with the follow-up and the star merged field by field."""
    later = theirs if _newer(theirs.updated, ours.updated) else ours
    updated = later.updated
    return replace(
        text_from,
        follow_up=_merge_follow_up(ours, theirs),
        starred=later.starred,
        revisit_on=later.revisit_on,
        updated=updated,
    )


def _conflict_copy(loser: Entry, winner: Entry) -> Entry:
    name = loser.title or loser.headline
    uid = uuid.uuid5(_CONFLICT_NAMESPACE, f"{loser.uid}:{_hash(loser)}").hex
    return replace(
        loser,
        uid=uid,
        title=f"Conflict copy: {name}"[:200],
        tags=normalise_tags([*loser.tags, CONFLICT_TAG]),
        follow_up=None,
        revisit_on=None,
        starred=False,
    )


def plan_merge(ours: Snapshot, theirs: Snapshot) -> MergePlan:
    """Merge ``theirs`` into ``ours``: what to add, replace and delete (nothing is written)."""
    plan = MergePlan()
    versions: dict[str, set[str]] = {u: set(s) for u, s in ours.versions.items()}
    for uid, seen in theirs.versions.items():
        versions.setdefault(uid, set()).update(seen)
    tombstones = dict(ours.tombstones)
    for uid, record in theirs.tombstones.items():
        if uid not in tombstones or _newer(record[0], tombstones[uid][0]):
            tombstones[uid] = record

    def deletion_stands(entry: Entry, dead: tuple[str, str], deleter: Snapshot) -> bool:
        when, what = dead
        if what:
            now = _hash(entry)
            return now == what or now in deleter.versions.get(entry.uid, set())
        return not _newer(entry.updated, when)

    for uid, mine in ours.entries.items():
        other = theirs.entries.get(uid)
        if other is None:
            their_dead = theirs.tombstones.get(uid)
            if their_dead is not None and deletion_stands(mine, their_dead, theirs):
                plan.deleted.append(mine)
            continue
        if mine.to_dict() == other.to_dict():
            continue
        mine_hash, other_hash = _hash(mine), _hash(other)
        if mine_hash == other_hash:
            merged = _merge_fields(mine, mine, other)
        elif other_hash in versions.get(uid, set()):
            merged = _merge_fields(mine, mine, other)  # theirs is an earlier version of ours
        elif mine_hash in versions.get(uid, set()):
            merged = _merge_fields(other, mine, other)  # ours is an earlier version of theirs
        else:
            # Changed on both sides: the later text stays the entry, the other is kept too.
            winner, loser = (other, mine) if _newer(other.updated, mine.updated) else (mine, other)
            merged = _merge_fields(winner, mine, other)
            copy = _conflict_copy(loser, winner)
            if copy.uid not in ours.entries:
                plan.conflicts.append(copy)
        versions.setdefault(uid, set()).update({mine_hash, other_hash} - {_hash(merged)})
        if merged.to_dict() != mine.to_dict():
            plan.updated.append(merged)

    for uid, other in theirs.entries.items():
        if uid in ours.entries:
            continue
        our_dead = ours.tombstones.get(uid)
        if our_dead is not None and deletion_stands(other, our_dead, ours):
            plan.kept_deleted += 1
            continue
        plan.added.append(other)
    for entry in plan.added:
        tombstones.pop(entry.uid, None)  # edited after its deletion: it is back
    plan.added.sort(key=lambda e: (e.day, e.created))
    plan.tombstones = tombstones
    plan.versions = {u: s for u, s in versions.items() if s}
    return plan


# ---- conflict copies beside a journal --------------------------------------------------------


def _conflict_patterns(stem: str, suffix: str) -> list[re.Pattern[str]]:
    s, x = re.escape(stem), re.escape(suffix)
    return [
        re.compile(rf"^{s}\.sync-conflict-[\w-]+{x}$"),  # Syncthing
        re.compile(rf"^{s} \(.*conflicted copy.*\){x}$", re.IGNORECASE),  # Dropbox, Nextcloud
        re.compile(rf"^{s} \(\d+\){x}$"),  # "journal (1).json"
        re.compile(rf"^{s}-conflict-[\w-]+{x}$"),  # other tools
    ]


def conflict_copies(db_path: Path) -> list[Path]:
    """Sync tools' conflict copies of the journal at ``db_path`` found beside it, by name."""
    folder = db_path.parent
    try:
        names = sorted(p.name for p in folder.iterdir() if p.is_file())
    except OSError:
        return []
    patterns = _conflict_patterns(db_path.stem, db_path.suffix)
    return [folder / n for n in names if any(p.match(n) for p in patterns)]


def snapshot_of(store: Any) -> Snapshot:
    """A :class:`Snapshot` of an open :class:`~journal.store.Store`."""
    return Snapshot(
        entries={e.uid: e for e in store.entries()},
        tombstones=store.tombstones(),
        versions=store.versions(),
    )
