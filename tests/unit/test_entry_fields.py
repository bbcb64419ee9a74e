"""One source of truth for what an entry is: a field added to the model is stored, read back
and validated by the store with no change to the store (its byte-level readers derive from
the model's field list)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import journal.store.store
from journal.errors import EntryError
from journal.models import Entry, field_names
from journal.store import Store
from journal.store.query import PLAIN_TAILS

TZ = timezone(timedelta(hours=1))


@dataclass(frozen=True, slots=True)
class MoodEntry(Entry):
    """An entry with one more field and one more rule."""

    mood: int | None = None

    def __post_init__(self, from_json: bool) -> None:
        Entry.__post_init__(self, from_json)  # slots=True makes super() unusable here
        if self.mood is not None and (type(self.mood) is not int or not 0 <= self.mood <= 10):
            raise EntryError(f"mood must be a whole number from 0 to 10, got {self.mood!r}")


def mood_entry(body: str, mood: int | None) -> MoodEntry:
    moment = datetime(2026, 11, 22, 9, tzinfo=TZ)
    base = Entry.new(body, moment=moment)
    values = {name: getattr(base, name) for name in field_names(Entry)}
    return MoodEntry(**values, mood=mood)


def test_the_new_field_is_in_the_stored_order() -> None:
    assert field_names(MoodEntry) == (*field_names(Entry), "mood")
    assert tuple(mood_entry("x", 3).to_dict()) == field_names(MoodEntry)


def test_the_store_validates_a_field_it_was_never_told_about(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(journal.store.store, "Entry", MoodEntry)
    db = tmp_path / "journal.json"
    store = Store.open(db)
    calm, stormy = store.add_many([mood_entry("calm", 3), mood_entry("stormy", 9)])
    reopened = Store.open(db)
    assert reopened.get(calm.uid) == calm and reopened.get(calm.uid).mood == 3  # type: ignore[union-attr]
    # A plain entry no longer ends as the plain tails say (a field follows "starred"), so it
    # is parsed and judged, never skipped off its bytes wrongly.
    assert not db.read_bytes().count(PLAIN_TAILS[0])
    assert reopened.due_documents() == []
    # Another program stores a mood out of range: the store reports it, as any other rule.
    raw = db.read_bytes().replace(b'"mood":9}', b'"mood":11}', 1)
    db.write_bytes(raw)
    broken = Store.open(db)
    assert [e.uid for e in broken.entries()] == [calm.uid]
    (invalid,) = broken.invalid
    assert invalid.uid == stormy.uid and "mood must be a whole number" in invalid.problem
    # And the stock model refuses a field it does not know, naming it.
    monkeypatch.undo()
    plain = Store.open(db)
    assert plain.entries() == [] and all("unknown fields: mood" in i.problem for i in plain.invalid)
