"""The store: CRUD, filters, ordering, copies, file safety and transactions."""

from __future__ import annotations

import json
import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import journal.store.jsonfile
from journal.errors import DatabaseError, EntryError
from journal.models import Entry, FollowUp, PromptRef
from journal.store import SCHEMA_VERSION, Store, make_filter
from journal.store.atomic import WriteFailedError

TZ = timezone(timedelta(hours=1))


def at(day: str, hour: int = 9, minute: int = 0) -> datetime:
    y, m, d = (int(p) for p in day.split("-"))
    return datetime(y, m, d, hour, minute, tzinfo=TZ)


def entry(body: str = "x", day: str = "2026-11-22", hour: int = 9, **kw) -> Entry:
    return Entry.new(body, day=day, moment=at(day, hour), **kw)


def uids(entries: list[Entry]) -> list[str]:
    return [e.uid for e in entries]


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def count_writes(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Record every atomic write the storage makes."""
    calls: list[Path] = []
    real = journal.store.jsonfile.atomic_write_bytes

    def counting(target: Path, data: bytes, mode: int = 0o600) -> None:
        calls.append(target)
        real(target, data, mode)

    monkeypatch.setattr(journal.store.jsonfile, "atomic_write_bytes", counting)
    return calls


# ---- basic CRUD ----------------------------------------------------------------------------


def test_open_does_not_create_the_file(db_path: Path, store: Store) -> None:
    assert not db_path.exists()
    assert not db_path.parent.exists()
    assert store.entries() == []
    assert store.count() == 0
    assert store.schema_version() is None


def test_add_and_get(store: Store) -> None:
    e = entry("hello", tags=["a"])
    returned = store.add(e)
    assert returned == e
    assert store.get(e.uid) == e
    assert store.get("missing") is None
    assert store.count() == 1


def test_add_full_entry_round_trips(store: Store, db_path: Path) -> None:
    e = Entry.new(
        "body",
        title="t",
        kind="checkin",
        tags=["x"],
        prompt=PromptRef("p", "pack", "text"),
        checkin={"before": 8, "answers": {"a": "b"}},
        follow_up=FollowUp("call", "2026-12-01"),
        revisit_on="2027-01-01",
        starred=True,
    )
    store.add(e)
    assert Store.open(db_path).get(e.uid) == e


def test_update(store: Store) -> None:
    e = store.add(entry("before", hour=8))
    changed = store.update(e.edited(body="after", starred=True), expected=e)
    got = store.get(e.uid)
    assert got == changed
    assert got.body == "after" and got.starred
    assert got.created == e.created
    assert store.count() == 1


def test_update_touch_stamps_updated(store: Store) -> None:
    old = Entry.new("x", moment=datetime(2020, 1, 1, tzinfo=timezone.utc))
    store.add(old)
    saved = store.update(old, expected=old)
    assert saved.updated != old.updated
    untouched = store.update(saved, expected=saved, touch=False)
    assert untouched.updated == saved.updated
    assert store.get(old.uid).updated == saved.updated


def test_update_unknown_uid_errors(store: Store) -> None:
    store.add(entry())
    with pytest.raises(EntryError, match="no entry with uid"):
        store.update(entry("never saved"), expected=None)
    assert store.count() == 1


def test_delete(store: Store) -> None:
    a = store.add(entry("a"))
    b = store.add(entry("b"))
    removed = store.delete(a.uid)
    assert removed == a
    assert store.get(a.uid) is None
    assert uids(store.entries()) == [b.uid]
    with pytest.raises(EntryError):
        store.delete(a.uid)
    store.restore(removed)
    assert store.get(a.uid) == a


def test_duplicate_uid_rejected(store: Store) -> None:
    e = store.add(entry("one"))
    with pytest.raises(EntryError, match="already exists"):
        store.add(e)
    with pytest.raises(EntryError, match="twice"):
        store.add_many([entry("a"), entry("b")] * 2)
    assert store.count() == 1


def test_add_many_is_all_or_nothing(store: Store) -> None:
    e = store.add(entry("one"))
    with pytest.raises(EntryError):
        store.add_many([entry("new"), e])
    assert store.count() == 1


def test_count_with_filter(store: Store) -> None:
    store.add(entry(tags=["a"]))
    store.add(entry(tags=["b"]))
    store.add(entry(tags=["a", "b"]))
    assert store.count() == 3
    assert store.count(make_filter(tags=["a"])) == 2
    assert store.count(make_filter(tags=["a", "b"])) == 1


# ---- filters -------------------------------------------------------------------------------


@pytest.fixture
def filled(store: Store) -> dict[str, Entry]:
    es = {
        "oct": entry("October walk", day="2026-10-31", tags=["walk"]),
        "nov1": entry("First of November", day="2026-11-01", tags=["work", "hard-calls"]),
        "nov15": entry(
            "A tough Call with the client",
            day="2026-11-15",
            kind="checkin",
            tags=["work"],
            checkin={"facts": "Customer shouted about the INVOICE", "before": 8},
            starred=True,
        ),
        "nov30": entry("End of month", day="2026-11-30", title="Monthly review", tags=["review"]),
        "dec": entry("December note", day="2026-12-01", kind="note", starred=True),
    }
    for e in es.values():
        store.add(e)
    return es


def names(found: list[Entry], es: dict[str, Entry]) -> list[str]:
    by_uid = {e.uid: k for k, e in es.items()}
    return [by_uid[e.uid] for e in found]


def test_since_and_until_are_inclusive(store: Store, filled) -> None:
    got = store.entries(make_filter(since="2026-11-01", until="2026-11-30"))
    assert names(got, filled) == ["nov30", "nov15", "nov1"]
    assert names(store.entries(make_filter(since="2026-11-30")), filled) == ["dec", "nov30"]
    assert names(store.entries(make_filter(until="2026-10-31")), filled) == ["oct"]


def test_since_accepts_date_objects(store: Store, filled) -> None:
    from datetime import date

    got = store.entries(make_filter(since=date(2026, 11, 15), until=date(2026, 11, 15)))
    assert names(got, filled) == ["nov15"]


def test_tags_combine_with_and(store: Store, filled) -> None:
    assert names(store.entries(make_filter(tags=["work"])), filled) == ["nov15", "nov1"]
    assert names(store.entries(make_filter(tags=["work", "hard-calls"])), filled) == ["nov1"]
    assert names(store.entries(make_filter(tags=["#Hard Calls"])), filled) == ["nov1"]
    assert store.entries(make_filter(tags=["work", "walk"])) == []


def test_kind_and_starred(store: Store, filled) -> None:
    assert names(store.entries(make_filter(kind="checkin")), filled) == ["nov15"]
    assert names(store.entries(make_filter(kind="note")), filled) == ["dec"]
    assert names(store.entries(make_filter(starred=True)), filled) == ["dec", "nov15"]
    assert names(store.entries(make_filter(starred=False)), filled) == ["nov30", "nov1", "oct"]


def test_search_is_case_insensitive(store: Store, filled) -> None:
    assert names(store.entries(make_filter(search="TOUGH call")), filled) == ["nov15"]
    assert names(store.entries(make_filter(search="november")), filled) == ["nov1"]


def test_search_needs_every_word(store: Store, filled) -> None:
    assert names(store.entries(make_filter(search="tough client")), filled) == ["nov15"]
    assert store.entries(make_filter(search="tough walk")) == []


def test_search_looks_in_title_tags_and_checkin(store: Store, filled) -> None:
    assert names(store.entries(make_filter(search="monthly")), filled) == ["nov30"]
    assert names(store.entries(make_filter(search="hard-calls")), filled) == ["nov1"]
    assert names(store.entries(make_filter(search="invoice shouted")), filled) == ["nov15"]


def test_search_blank_means_everything(store: Store, filled) -> None:
    assert len(store.entries(make_filter(search="   "))) == len(filled)


def test_search_sees_updated_text(store: Store, filled) -> None:
    assert store.entries(make_filter(search="zebra")) == []
    store.update(filled["oct"].edited(body="A zebra crossing"), expected=filled["oct"])
    assert names(store.entries(make_filter(search="zebra")), filled) == ["oct"]


def test_filters_combine(store: Store, filled) -> None:
    flt = make_filter(since="2026-11-01", tags=["work"], starred=True, search="client")
    assert names(store.entries(flt), filled) == ["nov15"]


# ---- order and limits ----------------------------------------------------------------------


def test_newest_first_by_day_then_created(store: Store) -> None:
    late_day_early_time = entry("c", day="2026-11-23", hour=6)
    morning = entry("a", day="2026-11-22", hour=8)
    evening = entry("b", day="2026-11-22", hour=20)
    old = entry("d", day="2026-01-01", hour=23)
    # Added out of order on purpose.
    for e in (evening, old, late_day_early_time, morning):
        store.add(e)
    expected = [late_day_early_time.uid, evening.uid, morning.uid, old.uid]
    assert uids(store.entries()) == expected
    assert uids(store.entries(oldest_first=True)) == expected[::-1]
    assert uids(list(store.iter_entries())) == expected


def test_documents_another_program_wrote_keep_the_order(db_path: Path) -> None:
    """Documents not laid out as journal writes them are ordered and checked all the same."""
    store = Store.open(db_path)
    days = ["2026-11-22", "2026-01-01", "2025-12-31", "2026-11-22", "2026-11-23", "2026-11-22"]
    for n, day in enumerate(days):
        store.add(entry(f"e{n}", day=day, hour=9 + n % 2))
    store.close()
    # Documents another program wrote: keys in another order (not read off the bytes), an
    # accented day that does not validate, one that does not parse, a non-text day.
    text = db_path.read_text(encoding="utf-8")
    extra = {
        "90": {
            "day": "2026-11-22",
            "uid": "handmade",
            "kind": "note",
            "body": "x",
            "created": "2026-11-22T08:00:00+01:00",
        },
        "91": {"uid": "odd", "day": "2026-11-2\u00e9", "created": "z"},
        "93": {"uid": "number", "day": 20261122, "created": ""},
    }
    lines = [f'"{k}":{json.dumps(v, separators=(",", ":"))},' for k, v in extra.items()]
    lines.append('"92":{"uid":"broken",},')
    assert '"entries":{\n' in text
    text = text.replace('"entries":{\n', '"entries":{\n' + "\n".join(lines) + "\n", 1)
    db_path.write_text(text, encoding="utf-8")
    fresh = Store.open(db_path)
    newest = uids(fresh.entries())
    assert uids(fresh.entries(oldest_first=True)) == newest[::-1]
    assert uids(list(fresh.iter_entries(oldest_first=True))) == newest[::-1]
    # The foreign documents do not validate: noted as invalid, never dropped from the file.
    assert len(newest) == 6
    assert {i.uid for i in fresh.invalid} == {"handmade", "odd", "number", "?"}
    fresh.close()


def test_limit(store: Store) -> None:
    es = [store.add(entry(str(i), day=f"2026-11-{i + 1:02d}")) for i in range(6)]
    assert uids(store.entries(limit=2)) == [es[5].uid, es[4].uid]
    assert uids(store.entries(limit=2, oldest_first=True)) == [es[0].uid, es[1].uid]
    assert len(store.entries(limit=100)) == 6


# ---- copies --------------------------------------------------------------------------------


def test_returned_entries_are_copies(store: Store) -> None:
    e = store.add(entry("body", kind="checkin", checkin={"facts": ["a"]}, tags=["t"]))
    got = store.get(e.uid)
    doc = got.to_dict()
    doc["checkin"]["facts"].append("mutated")
    doc["tags"].append("mutated")
    got.checkin["facts"].append("mutated via attribute")
    listed = store.entries()[0]
    listed.checkin["new"] = 1
    again = store.get(e.uid)
    assert again.checkin == {"facts": ["a"]}
    assert again.tags == ("t",)
    assert store.entries(make_filter(search="mutated")) == []


def test_checkin_dict_passed_in_does_not_reach_the_store(store: Store) -> None:
    answers = {"facts": "original"}
    e = entry(kind="checkin", checkin=answers)
    store.add(e)
    answers["facts"] = "changed"
    assert store.get(e.uid).checkin == {"facts": "original"}


def test_prompt_log_returns_copies(store: Store) -> None:
    store.log_prompt("2026-11-22", "p-1", "pack", "shown")
    store.prompt_log()[0]["prompt"] = "tampered"
    assert store.prompt_log()[0]["prompt"] == "p-1"


def test_raw_documents_are_copies(store: Store) -> None:
    e = store.add(entry("x"))
    store.raw_documents()[0]["body"] = "tampered"
    assert store.get(e.uid).body == "x"


# ---- files on disk -------------------------------------------------------------------------


def test_permissions_are_private_even_with_umask_zero(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "nested" / "journal.json"
    old = os.umask(0)
    try:
        s = Store.open(path)
        s.add(entry())
        s.add(entry("again"))
    finally:
        os.umask(old)
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700
    assert mode(path.parent.parent) == 0o700
    for other in path.parent.iterdir():
        if other.is_file():
            assert mode(other) & 0o077 == 0, other


def test_existing_folder_is_not_chmodded(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o755)
    os.chmod(folder, 0o755)
    Store.open(folder / "journal.json").add(entry())
    assert mode(folder) == 0o755
    assert mode(folder / "journal.json") == 0o600


def test_schema_version_written_in_meta(store: Store, db_path: Path) -> None:
    store.add(entry())
    data = json.loads(db_path.read_bytes())
    assert set(data) >= {"entries", "meta"}
    metas = list(data["meta"].values())
    assert len(metas) == 1
    assert metas[0]["schema"] == SCHEMA_VERSION
    assert store.schema_version() == SCHEMA_VERSION
    store.add(entry())
    assert len(json.loads(db_path.read_bytes())["meta"]) == 1


def test_newer_schema_refused(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_text(json.dumps({"meta": {"1": {"schema": SCHEMA_VERSION + 1}}, "entries": {}}))
    before = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="newer version"):
        Store.open(db_path)
    assert db_path.read_bytes() == before


def test_file_is_json_after_every_write(store: Store, db_path: Path) -> None:
    def check() -> dict:
        return json.loads(db_path.read_bytes())

    a = store.add(entry("a"))
    assert len(check()["entries"]) == 1
    store.add_many([entry("b"), entry("c")])
    assert len(check()["entries"]) == 3
    store.update(a.edited(body="A"), expected=a)
    assert any(d["body"] == "A" for d in check()["entries"].values())
    store.delete(a.uid)
    assert len(check()["entries"]) == 2
    store.log_prompt("2026-11-22", "p", "pack", "answered")
    assert len(check()["prompt_log"]) == 1
    store.upsert_many([entry("d"), store.entries()[0].edited(body="upserted")])
    bodies = sorted(d["body"] for d in check()["entries"].values())
    assert "upserted" in bodies and "d" in bodies and len(bodies) == 3


def test_second_instance_sees_writes(db_path: Path) -> None:
    one = Store.open(db_path)
    two = Store.open(db_path)
    a = one.add(entry("from one"))
    assert two.get(a.uid) == a
    b = two.add(entry("from two"))
    assert one.get(b.uid) == b
    assert uids(one.entries()) == uids(two.entries())


def test_two_instances_adding_lose_nothing(db_path: Path) -> None:
    one = Store.open(db_path)
    two = Store.open(db_path)
    one.entries()
    two.entries()  # both have the (empty) file in memory
    added = []
    for i in range(10):
        added.append(one.add(entry(f"one {i}")))
        added.append(two.add(entry(f"two {i}")))
    fresh = Store.open(db_path)
    assert set(uids(fresh.entries())) == set(uids(added))
    assert fresh.count() == 20
    # Updates and deletes from the other instance also apply to the latest data.
    one.delete(added[1].uid)
    two.update(added[0].edited(body="edited by two"), expected=added[0])
    fresh = Store.open(db_path)
    assert fresh.count() == 19
    assert fresh.get(added[0].uid).body == "edited by two"
    assert fresh.get(added[1].uid) is None


def test_other_instance_log_prompt_keeps_entries(db_path: Path) -> None:
    one = Store.open(db_path)
    two = Store.open(db_path)
    e = one.add(entry())
    two.log_prompt("2026-11-22", "p", "pack", "shown")
    fresh = Store.open(db_path)
    assert fresh.get(e.uid) == e
    assert len(fresh.prompt_log()) == 1


# ---- corrupt files -------------------------------------------------------------------------

GOOD = b'{"entries": {}, "meta": {"1": {"schema": 1}}}'
CORRUPT = {
    "truncated": b'{"entries": {"1": {"uid": "abc", "body": "hal',
    "bom": b"\xef\xbb\xbf" + GOOD,
    "invalid-utf8": b'{"entries": {"1": {"body": "\xff\xfe"}}}',
    "list": b"[1, 2, 3]",
    "table-not-object": b'{"entries": [], "meta": {}}',
    "doc-not-object": b'{"entries": {"1": "text"}}',
    "empty": b"",
    "whitespace": b"  \n",
    "string": b'"journal"',
}


@pytest.mark.parametrize("name", sorted(CORRUPT))
def test_corrupt_file_raises_and_is_never_changed(name: str, db_path: Path) -> None:
    raw = CORRUPT[name]
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(raw)
    with pytest.raises(DatabaseError) as info:
        Store.open(db_path)
    assert str(db_path) in info.value.message
    assert info.value.hint
    assert db_path.read_bytes() == raw
    # A store built without open() must not write over it either.
    unopened = Store(db_path)
    with pytest.raises(DatabaseError):
        unopened.add(entry())
    with pytest.raises(DatabaseError):
        unopened.log_prompt("2026-11-22", "p", "pack", "shown")
    assert db_path.read_bytes() == raw


@pytest.mark.parametrize("name", ["truncated", "bom", "list", "empty"])
def test_file_corrupted_while_open_is_never_overwritten(name: str, db_path: Path) -> None:
    s = Store.open(db_path)
    kept = s.add(entry("kept"))
    raw = CORRUPT[name]
    db_path.write_bytes(raw)
    with pytest.raises(DatabaseError):
        s.add(entry("lost?"))
    with pytest.raises(DatabaseError):
        s.update(kept.edited(body="x"), expected=kept)
    assert db_path.read_bytes() == raw


def test_database_error_messages_say_what_is_wrong(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(CORRUPT["empty"])
    with pytest.raises(DatabaseError, match="empty"):
        Store.open(db_path)
    db_path.write_bytes(CORRUPT["bom"])
    with pytest.raises(DatabaseError, match="byte-order mark"):
        Store.open(db_path)
    db_path.write_bytes(CORRUPT["invalid-utf8"])
    with pytest.raises(DatabaseError, match="UTF-8"):
        Store.open(db_path)
    db_path.write_bytes(CORRUPT["truncated"])
    with pytest.raises(DatabaseError, match="line 1"):
        Store.open(db_path)


def test_folder_as_journal_path(db_path: Path) -> None:
    db_path.mkdir(parents=True)
    with pytest.raises(DatabaseError, match="folder"):
        Store.open(db_path)


# ---- temp files and symlinks ---------------------------------------------------------------


def test_leftover_temp_files_removed_on_open(store: Store, db_path: Path) -> None:
    store.add(entry())
    leftovers = [db_path.parent / f".journal.json.{s}.tmp" for s in ("abc123", "x_9", "zz")]
    for p in leftovers:
        p.write_bytes(b'{"half')
    unrelated = [db_path.parent / "notes.tmp", db_path.parent / ".other.json.abc.tmp"]
    for p in unrelated:
        p.write_bytes(b"keep me")
    reopened = Store.open(db_path)
    assert not any(p.exists() for p in leftovers)
    assert all(p.exists() for p in unrelated)
    assert sorted(reopened.removed_temp_files) == sorted(leftovers)
    assert reopened.count() == 1


def test_writes_leave_no_temp_files(store: Store, db_path: Path) -> None:
    for i in range(5):
        store.add(entry(str(i)))
    assert list(db_path.parent.glob(".journal.json.*.tmp")) == []


def test_symlinked_journal_stays_a_symlink(tmp_path: Path) -> None:
    real = tmp_path / "real" / "journal.json"
    real.parent.mkdir()
    link_dir = tmp_path / "links"
    link_dir.mkdir()
    link = link_dir / "journal.json"
    link.symlink_to(real)
    s = Store.open(link)
    e = s.add(entry("through the link"))
    s.add(entry("again"))
    assert link.is_symlink()
    assert os.readlink(link) == str(real)
    assert real.is_file() and not real.is_symlink()
    data = json.loads(real.read_bytes())
    assert any(d["uid"] == e.uid for d in data["entries"].values())
    assert Store.open(real).get(e.uid) == e
    # No temp files or lock beside the link: everything happens beside the target.
    assert sorted(p.name for p in link_dir.iterdir()) == ["journal.json"]


# ---- transactions --------------------------------------------------------------------------


def test_each_plain_write_is_one_disk_write(store: Store, monkeypatch) -> None:
    calls = count_writes(monkeypatch)
    store.add(entry("a"))
    assert len(calls) == 1
    store.add_many([entry("b"), entry("c")])
    assert len(calls) == 2
    store.log_prompt("2026-11-22", "p", "pack", "shown")
    assert len(calls) == 3


def test_transaction_groups_writes(store: Store, db_path: Path, monkeypatch) -> None:
    store.add(entry("existing"))
    calls = count_writes(monkeypatch)
    with store.transaction():
        e = store.add(entry("in a transaction"))
        store.log_prompt("2026-11-22", "p-1", "pack", "answered")
        store.update(e.edited(title="titled"), expected=e)
        assert calls == []
    assert len(calls) == 1
    fresh = Store.open(db_path)
    assert fresh.get(e.uid).title == "titled"
    assert fresh.prompt_log()[-1]["prompt"] == "p-1"


def test_failed_transaction_writes_nothing(store: Store, db_path: Path, monkeypatch) -> None:
    kept = store.add(entry("existing"))
    before = db_path.read_bytes()
    calls = count_writes(monkeypatch)
    doomed = entry("doomed")
    with pytest.raises(RuntimeError), store.transaction():
        store.add(doomed)
        store.log_prompt("2026-11-22", "p-1", "pack", "answered")
        raise RuntimeError("boom")
    assert calls == []
    assert db_path.read_bytes() == before
    # Memory follows the disk: the half-done work is gone here too.
    assert store.get(doomed.uid) is None
    assert store.prompt_log() == []
    assert uids(store.entries()) == [kept.uid]
    # And the store still works afterwards.
    store.add(entry("after"))
    assert store.count() == 2


def test_failed_disk_write_keeps_memory_in_step(store: Store, db_path: Path, monkeypatch) -> None:
    kept = store.add(entry("kept"))

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(journal.store.jsonfile, "atomic_write_bytes", broken)
    # The OSError reaches the caller as one plain error (store/atomic.py), nothing written.
    with pytest.raises(WriteFailedError, match="could not be written"):
        store.add(entry("not saved"))
    monkeypatch.undo()
    assert uids(store.entries()) == [kept.uid]


# ---- prompt log ----------------------------------------------------------------------------


def test_prompt_log_round_trip(store: Store, db_path: Path) -> None:
    store.log_prompt("2026-11-21", "a-001", "a", "shown")
    store.log_prompt("2026-11-21", "a-001", "a", "answered")
    store.log_prompt("2026-11-22", "b-002", "b", "skipped")
    log = Store.open(db_path).prompt_log()
    assert [(r["day"], r["prompt"], r["pack"], r["status"]) for r in log] == [
        ("2026-11-21", "a-001", "a", "shown"),
        ("2026-11-21", "a-001", "a", "answered"),
        ("2026-11-22", "b-002", "b", "skipped"),
    ]
    assert all(datetime.fromisoformat(r["at"]).tzinfo is not None for r in log)


def test_prompt_log_rejects_unknown_status(store: Store) -> None:
    with pytest.raises(ValueError):
        store.log_prompt("2026-11-22", "p", "pack", "liked")
    assert store.prompt_log() == []


# ---- invalid entries -----------------------------------------------------------------------


def test_invalid_entry_is_left_out_and_reported(store: Store, db_path: Path) -> None:
    good = [store.add(entry(f"good {i}", day=f"2026-11-0{i + 1}")) for i in range(3)]
    bad = store.add(entry("soon bad", day="2026-11-05"))
    data = json.loads(db_path.read_bytes())
    for doc in data["entries"].values():
        if doc["uid"] == bad.uid:
            doc["day"] = "2026-02-30"
    raw = json.dumps(data).encode()
    db_path.write_bytes(raw)

    fresh = Store.open(db_path)
    listed = fresh.entries()
    assert uids(listed) == [good[2].uid, good[1].uid, good[0].uid]
    assert len(fresh.invalid) == 1
    problem = fresh.invalid[0]
    assert problem.uid == bad.uid
    assert "2026-02-30" in problem.problem
    assert fresh.get(bad.uid) is None
    # Listing twice does not report it twice, and the file is left as it was.
    fresh.entries()
    assert len(fresh.invalid) == 1
    assert db_path.read_bytes() == raw
    # Other entries can still be written; the invalid document stays on disk untouched.
    fresh.add(entry("new one"))
    docs = json.loads(db_path.read_bytes())["entries"].values()
    assert any(d["uid"] == bad.uid and d["day"] == "2026-02-30" for d in docs)
