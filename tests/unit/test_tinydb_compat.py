"""TinyDB, honestly: stock TinyDB reads our journal, and we read a journal it wrote."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tinydb import TinyDB

from journal.models import Entry, FollowUp, PromptRef
from journal.store import SCHEMA_VERSION, Store

TZ = timezone(timedelta(hours=1))


def some_entries() -> list[Entry]:
    moment = datetime(2026, 11, 22, 9, tzinfo=TZ)
    return [
        Entry.new("plain words", moment=moment, tags=["work"]),
        Entry.new(
            'quotes " and \\ and é and 🙂\nand a second line',
            title="escapes",
            moment=moment + timedelta(hours=1),
            prompt=PromptRef("p-1", "pack", "What went well?"),
            follow_up=FollowUp("Call Sam", "2026-11-25"),
        ),
        Entry.new(
            "after a call",
            kind="checkin",
            moment=moment + timedelta(days=1),
            checkin={"intensity_before": 7, "intensity_after": 3, "steps": ["a", "b"]},
            revisit_on="2027-02-20",
        ),
    ]


def test_stock_tinydb_reads_our_journal(tmp_path: Path) -> None:
    db = tmp_path / "journal.json"
    store = Store.open(db)
    written = store.add_many(some_entries())
    store.log_prompt("2026-11-22", "p-1", "pack", "answered")
    store.set_prompt_starred("p-1", True)

    stock = TinyDB(db, access_mode="r")
    try:
        entries = stock.table("entries").all()
        assert sorted(entries, key=lambda d: d["uid"]) == sorted(
            (e.to_dict() for e in written), key=lambda d: d["uid"]
        )
        meta = stock.table("meta").all()
        assert any(doc.get("schema") == SCHEMA_VERSION for doc in meta)
        assert any(doc.get("starred_prompts") == ["p-1"] for doc in meta)
        (record,) = stock.table("prompt_log").all()
        assert record["prompt"] == "p-1" and record["status"] == "answered"
    finally:
        stock.close()


def test_a_journal_stock_tinydb_wrote_opens_here(tmp_path: Path) -> None:
    db = tmp_path / "journal.json"
    entries = some_entries()
    stock = TinyDB(db)
    stock.table("meta").insert({"schema": SCHEMA_VERSION, "created": "2026-11-22T09:00:00+01:00"})
    stock.table("entries").insert_multiple([e.to_dict() for e in entries])
    stock.table("prompt_log").insert(
        {"day": "2026-11-22", "prompt": "p-1", "pack": "pack", "status": "shown", "at": "x"}
    )
    stock.close()
    assert not db.read_bytes().startswith(b"{\n")  # TinyDB's own compact form, not ours

    store = Store.open(db)
    assert sorted(e.uid for e in store.entries()) == sorted(e.uid for e in entries)
    assert {e.uid: e for e in store.entries()} == {e.uid: e for e in entries}
    assert store.schema_version() == SCHEMA_VERSION
    assert [r["prompt"] for r in store.prompt_log()] == ["p-1"]
    assert not store.invalid
    # A write here keeps everything, and stock TinyDB still reads the result.
    extra = store.add(Entry.new("written by journal", moment=datetime(2026, 11, 24, tzinfo=TZ)))
    again = TinyDB(db, access_mode="r")
    try:
        assert len(again.table("entries")) == len(entries) + 1
        assert extra.to_dict() in again.table("entries").all()
        assert len(again.table("prompt_log")) == 1
    finally:
        again.close()
    json.loads(db.read_text(encoding="utf-8"))  # and it is plain JSON all along
