"""The store's fast paths give exactly what the plain ways give.

The index kept up to date in place, due_documents skipping plain reflections off their
bytes, entries_counted in one pass, a document written back byte for byte, the "checked"
record that spares the first write a parse of every document (and is never trusted for a
file anyone else changed), the write lock without filelock, and the daily backup as a hard
link.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import threading
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import filelock
import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.errors import DatabaseBusyError, DatabaseError, EntryError
from journal.models import Entry, FollowUp, field_names
from journal.store import Store, make_filter
from journal.store.backups import DailyBackup, list_backups
from journal.store.jsonfile import RawDoc, checked_path, encode_database
from journal.store.lock import LockTimeout, WriteLock

TZ = timezone(timedelta(hours=1))


def entry(body: str, day: str = "2026-11-20", hour: int = 9, **kw) -> Entry:
    moment = datetime.fromisoformat(f"{day}T{hour:02d}:00:00+01:00")
    return Entry.new(body, day=day, moment=moment, **kw)


# ---- the index, kept up to date in place --------------------------------------------------

DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2020, 1, 20)).map(date.isoformat)
OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "add", "update_day", "delete", "upsert"]), DAYS, st.integers(0, 23)
    ),
    min_size=1,
    max_size=25,
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=OPS)
def test_index_kept_in_place_matches_a_rebuilt_one(tmp_path_factory, ops) -> None:
    db = tmp_path_factory.mktemp("idx") / "journal.json"
    store = Store.open(db)
    alive: list[Entry] = []
    for n, (op, day, hour) in enumerate(ops):
        if op == "add" or not alive:
            alive.append(store.add(entry(f"entry {n}", day, hour)))
        elif op == "update_day":
            old = alive.pop(0)
            alive.append(store.update(old.edited(day=day, body=old.body + " moved"), expected=old))
        elif op == "delete":
            store.delete(alive.pop().uid)
        else:
            changed = alive[0].edited(body="upserted")
            store.upsert_many([changed, entry(f"upsert {n}", day, hour)])
            alive = [e for e in store.entries()]
        # Every read through the kept index agrees with a fresh process's.
        fresh = Store.open(db)
        assert [e.uid for e in store.entries()] == [e.uid for e in fresh.entries()]
        one_day = make_filter(since=day, until=day)
        assert [e.uid for e in store.entries(one_day)] == [e.uid for e in fresh.entries(one_day)]
        old = make_filter(until="2020-01-10")
        assert [e.uid for e in store.entries(old, oldest_first=True)] == [
            e.uid for e in fresh.entries(old, oldest_first=True)
        ]


def vars_of(e: Entry) -> dict:
    return {name: getattr(e, name) for name in field_names(Entry)}


def with_uid(e: Entry, uid: str) -> Entry:
    return Entry(**{**vars_of(e), "uid": uid})


def test_adding_a_taken_uid_is_refused_without_an_index(db_path: Path) -> None:
    first = Store.open(db_path).add(entry("first"))
    again = Store.open(db_path)  # a new process: no index built yet
    with pytest.raises(EntryError, match="already exists"):
        again.add(first)
    assert again.count() == 1


def test_a_uid_stored_with_escapes_is_still_found(db_path: Path) -> None:
    Store.open(db_path).add(entry("written by us"))
    raw = db_path.read_bytes()
    assert raw.endswith(b"\n}\n}\n")  # the entries table is the last one
    # Another JSON writer may escape characters orjson never does: "c" as \u0063.
    theirs = orjson.dumps(with_uid(entry("theirs"), "abcdef0123").to_dict())
    line = b'"2":' + theirs.replace(b'"abcdef0123"', b'"ab\\u0063def0123"')
    db_path.write_bytes(raw[: -len(b"\n}\n}\n")] + b",\n" + line + b"\n}\n}\n")
    assert Store.open(db_path).get("abcdef0123") is not None
    with pytest.raises(EntryError, match="already exists"):
        Store.open(db_path).add(with_uid(entry("again"), "abcdef0123"))
    # A uid JSON writes with escapes goes through the index.
    Store.open(db_path).add(with_uid(entry("quote"), 'ab"c'))
    with pytest.raises(EntryError, match="already exists"):
        Store.open(db_path).add(with_uid(entry("quote again"), 'ab"c'))


# ---- what is due, off the bytes -------------------------------------------------------------


def test_due_documents_skips_plain_reflections_unparsed(db_path: Path) -> None:
    store = Store.open(db_path)
    plain = store.add(entry("just words"))
    promise = store.add(
        entry("a promise", follow_up=FollowUp("Call Sam", "2026-11-21")),
    )
    checkin = store.add(entry("answers", kind="checkin", checkin={"reaction": "paused"}))
    reopened = Store.open(db_path)
    found = {doc["uid"] for _, doc in reopened.due_documents()}
    assert found == {promise.uid, checkin.uid}
    raw = reopened._entry_docs()
    plain_id = str(reopened._get_index().uid_to_id[plain.uid])
    assert isinstance(raw[plain_id], RawDoc) and raw[plain_id].parsed is None
    # The plain one gets a follow-up: it is due from now on.
    reopened.update(plain.edited(follow_up=FollowUp("Write back", "2026-11-25")), expected=plain)
    assert {doc["uid"] for _, doc in reopened.due_documents()} == {
        plain.uid,
        promise.uid,
        checkin.uid,
    }


def test_list_counted_is_list_and_count_in_one(store: Store) -> None:
    for i in range(30):
        store.add(entry(f"note {i} {'kraków' if i % 3 else 'lyon'}", f"2026-10-{i % 28 + 1:02d}"))
    for flt in (None, make_filter(search="kraków"), make_filter(search="nothing at all")):
        entries, total = store.entries_counted(flt, limit=7)
        assert [e.uid for e in entries] == [e.uid for e in store.entries(flt, limit=7)]
        assert total == store.count(flt)


# ---- writing ---------------------------------------------------------------------------------


def test_the_file_written_is_the_encoded_file(store: Store, db_path: Path) -> None:
    store.add_many([entry(f"piece {i} ünïcode 🙂") for i in range(50)])
    data = Store.open(db_path)._storage.read()
    assert encode_database(data) == db_path.read_bytes()


def count_parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls = [0]
    real = RawDoc.parse

    def counting(self: RawDoc, keep: bool = False) -> dict:
        calls[0] += 1
        return real(self, keep)

    monkeypatch.setattr(RawDoc, "parse", counting)
    return calls


def test_a_file_journal_wrote_is_not_parsed_again_before_a_write(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open(db_path).add_many([entry(f"e{i}") for i in range(20)])
    assert checked_path(db_path).exists()
    parses = count_parses(monkeypatch)
    Store.open(db_path).add(entry("one more"))
    assert parses[0] == 0


def test_a_file_changed_elsewhere_is_checked_and_never_written_over(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Store.open(db_path).add_many([entry(f"e{i}") for i in range(5)])
    # Another program breaks one document but keeps our layout.
    broken = db_path.read_bytes().replace(b'"body":"e3"', b'"body":"e3', 1)
    db_path.write_bytes(broken)
    parses = count_parses(monkeypatch)
    store = Store.open(db_path)
    with pytest.raises(DatabaseError, match="does not parse"):
        store.add(entry("not over a broken file"))
    assert parses[0] > 0
    assert db_path.read_bytes() == broken


def test_a_record_of_another_file_is_not_trusted(db_path: Path) -> None:
    Store.open(db_path).add(entry("first"))
    record = checked_path(db_path).read_bytes()
    Store.open(db_path).add(entry("second"))
    broken = db_path.read_bytes().replace(b'"body":"first"', b'"body":"first', 1)
    db_path.write_bytes(broken)
    checked_path(db_path).write_bytes(record)  # an old record: another file's identity
    with pytest.raises(DatabaseError):
        Store.open(db_path).add(entry("third"))
    assert db_path.read_bytes() == broken


def test_a_rewrite_in_place_keeping_size_and_mtime_is_checked_again(db_path: Path) -> None:
    """Another program rewrites the journal in place with an invalid document of the same
    size and puts the mtime back: the inode, size and mtime all match the record, and the
    next open still checks every document (the ctime gives the change away)."""
    Store.open(db_path).add_many([entry(f"e{i}") for i in range(5)])
    assert checked_path(db_path).exists()
    before = os.stat(db_path)
    good = db_path.read_bytes()
    # Same length: one closing quote becomes a space, so document e3 no longer parses.
    broken = good.replace(b'"body":"e3"', b'"body":"e3 ', 1)
    assert len(broken) == len(good) and broken != good
    with open(db_path, "r+b") as handle:  # in place: same inode
        handle.write(broken)
    os.utime(db_path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = os.stat(db_path)
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (
        before.st_ino,
        before.st_size,
        before.st_mtime_ns,
    )
    store = Store.open(db_path)
    with pytest.raises(DatabaseError, match="does not parse"):
        store.add(entry("not over a broken file"))
    assert db_path.read_bytes() == broken
    # The broken document is reported when the entries are read, never silently dropped.
    assert len(store.entries()) == 4 and len(store.invalid) == 1
    # An entry that parses but does not validate (same size again) is reported as well.
    Path(db_path).write_bytes(good)
    Store.open(db_path).add(entry("e5"))
    before = os.stat(db_path)
    good = db_path.read_bytes()
    invalid = good.replace(b'"kind":"reflection"', b'"kind":"reflectioN"', 1)
    with open(db_path, "r+b") as handle:
        handle.write(invalid)
    os.utime(db_path, ns=(before.st_atime_ns, before.st_mtime_ns))
    reopened = Store.open(db_path)
    assert len(reopened.entries()) == 5
    assert [i.problem for i in reopened.invalid] == [
        "kind 'reflectioN' is not one of: reflection, checkin, revisit, note"
    ]


# ---- the write lock ----------------------------------------------------------------------------


def test_write_lock_is_reentrant_exclusive_and_private(tmp_path: Path) -> None:
    path = tmp_path / ".journal.json.lock"
    lock = WriteLock(path, timeout=0)
    with lock, lock.acquire():
        assert lock.is_locked
        with pytest.raises(LockTimeout):
            WriteLock(path, timeout=0).acquire()
        # filelock takes the same flock: each keeps the other out.
        with pytest.raises(filelock.Timeout):
            filelock.FileLock(str(path), timeout=0).acquire()
    assert not lock.is_locked
    assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0
    holder = filelock.FileLock(str(path), timeout=0)
    with holder, pytest.raises(LockTimeout):
        WriteLock(path, timeout=0.12).acquire()


def test_write_lock_keeps_other_threads_out(tmp_path: Path) -> None:
    lock = WriteLock(tmp_path / "x.lock", timeout=0)
    got: list[bool] = []
    with lock:

        def other() -> None:
            try:
                lock.acquire(timeout=0)
            except LockTimeout:
                got.append(False)
            else:
                got.append(True)
                lock.release()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
    assert got == [False]


def test_a_held_lock_makes_the_store_busy(db_path: Path) -> None:
    store = Store.open(db_path, lock_timeout=0.1)
    store.add(entry("first"))
    holder = filelock.FileLock(str(store.lock_path), timeout=0)
    with holder, pytest.raises(DatabaseBusyError, match="busy"):
        store.add(entry("second"))


def test_journal_add_does_not_import_filelock(db_path: Path) -> None:
    code = (
        "import sys\n"
        "from journal.cli import main\n"
        "main(['add', 'hello'])\n"
        "print('filelock' in sys.modules, 'tomllib' in sys.modules, 'yaml' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=os.environ, check=True
    )
    assert out.stdout.split()[-3:] == ["False", "False", "False"]


# ---- the daily backup, a hard link -----------------------------------------------------------


def test_daily_backup_is_a_link_that_later_saves_never_change(db_path: Path) -> None:
    store = Store.open(db_path)
    store.add(entry("before the day"))
    before = db_path.read_bytes()
    inode = db_path.stat().st_ino
    moment = datetime(2026, 11, 22, 9, 30, tzinfo=TZ)
    store.before_write = DailyBackup(db_path, clock=lambda: moment)
    store.add(entry("first save of the day"))
    store.add(entry("second save"))
    (backup,) = [b for b in list_backups(db_path) if b.tag is None]
    assert backup.path.stat().st_ino == inode  # the very file, not a copy
    assert backup.path.read_bytes() == before
    assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600
    assert db_path.stat().st_ino != inode


def test_daily_backup_of_a_file_that_is_not_private_is_a_private_copy(db_path: Path) -> None:
    store = Store.open(db_path)
    store.add(entry("before"))
    os.chmod(db_path, 0o644)
    inode = db_path.stat().st_ino
    store.before_write = DailyBackup(db_path, clock=lambda: datetime(2026, 11, 22, tzinfo=TZ))
    store.add(entry("after"))
    (backup,) = list_backups(db_path)
    assert backup.path.stat().st_ino != inode
    assert stat.S_IMODE(backup.path.stat().st_mode) == 0o600


def test_documents_are_parts_of_one_buffer_and_read_back_exactly(db_path: Path) -> None:
    from journal.store.jsonfile import _decode_layout

    store = Store.open(db_path)
    store.add_many([Entry.new(f"body {i} <é>", day=f"2026-01-{i + 1:02d}") for i in range(3)])
    raw = db_path.read_bytes()
    data = _decode_layout(raw)
    table = data["entries"]
    docs = list(table.values())
    assert all(isinstance(d, RawDoc) and d._buf is raw for d in docs)  # no copy per document
    for doc in docs:
        assert doc.text == bytes(doc.view()) and doc.text in raw
        assert orjson.loads(doc.text) == doc.parse()
        assert doc.endswith(b"}") and doc.text.startswith(b'{"uid":"')
    assert encode_database(data) == raw  # written back byte for byte


@settings(max_examples=300, deadline=None)
@given(
    st.integers(min_value=0, max_value=2),
    st.text(alphabet='"0123456789:{}, ab\\', max_size=40),
    st.integers(min_value=0, max_value=12),
)
def test_the_layout_reader_accepts_only_what_json_reads_the_same(
    which: int, head: str, cut: int
) -> None:
    """A document line's start (its id, quote, colon and brace) replaced by anything: the
    layout reader either refuses the file (the strict reader then decides) or reads exactly
    what JSON reads."""
    from journal.store.jsonfile import _decode_layout, encode_database

    docs = {str(n + 1): {"uid": f"u{n}", "body": f"b{n}"} for n in range(3)}
    raw = encode_database({"entries": docs})
    lines = raw.split(b"\n")
    index = next(i for i, line in enumerate(lines) if line.startswith(f'"{which + 1}":'.encode()))
    lines[index] = head.encode() + lines[index][cut:]
    mutated = b"\n".join(lines)
    laid = _decode_layout(mutated)
    if laid is None:
        return
    parsed = orjson.loads(mutated)  # the layout reader accepted: so must JSON
    assert list(laid["entries"]) == list(parsed["entries"])
    for key, value in laid["entries"].items():
        assert orjson.loads(value.text) == parsed["entries"][key]


def _one_piece_per_document(data: dict[str, dict[str, object]]) -> bytes:
    """The plain way to lay a database out: every document on its own, as it is held."""
    out = [b"{\n"]
    for t, (name, table) in enumerate(data.items()):
        out.append((b",\n" if t else b"") + orjson.dumps(name) + b":{\n")
        lines = [
            b'"'
            + str(doc_id).encode()
            + b'":'
            + (bytes(doc.view()) if isinstance(doc, RawDoc) else orjson.dumps(doc))
            for doc_id, doc in table.items()
        ]
        out.append(b",\n".join(lines) + (b"\n}" if table else b"}"))
    out.append(b"\n}\n")
    return b"".join(out)


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(0, 12),
    edits=st.lists(
        st.tuples(st.sampled_from(["replace", "delete", "insert"]), st.integers(0, 20)),
        max_size=8,
    ),
)
def test_a_save_written_in_runs_is_the_file_written_document_by_document(n, edits) -> None:
    """encode_pieces writes runs of unchanged documents straight from the buffer they were
    read from; whatever was changed, deleted or added, the bytes are the plain layout's."""
    from journal.store.jsonfile import _decode_layout, encode_pieces

    docs = {str(i + 1): {"uid": f"u{i}", "body": f"entry {i} é\n"} for i in range(n)}
    data = _decode_layout(encode_database({"entries": docs, "meta": {"1": {"v": 1}}}))
    assert data is not None
    table = data["entries"]
    for action, k in edits:
        key = str(k + 1)
        if action == "replace" and key in table:
            table[key] = {"uid": f"new{k}", "body": "changed"}
        elif action == "delete":
            table.pop(key, None)
        elif action == "insert":
            table[str(100 + k)] = {"uid": f"added{k}", "body": "added"}
    written = b"".join(encode_pieces(data))
    assert written == _one_piece_per_document(data)
    assert orjson.loads(written) == {
        name: {i: (d.parse() if isinstance(d, RawDoc) else d) for i, d in t.items()}
        for name, t in data.items()
    }
