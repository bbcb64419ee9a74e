"""The one-file export written from the stored documents (issue 7) is the same text, byte for
byte, as the export rendered from entries alone; the helpers made quicker say the same."""

from __future__ import annotations

import calendar
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.models import Entry
from journal.store import Store
from journal.transfer import export
from journal.transfer.export import export_file, to_markdown
from tests.unit.test_export_import import journals

FIXTURE_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


def exported(store: Store, tmp: Path, *, restore: bool = True) -> str:
    out = tmp / "out.md"
    export_file(store, out, force=True, restore=restore)
    return out.read_bytes().decode("utf-8")  # as written: "\r\n" in a body stays


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURE_OK)
@given(journal=journals)
def test_export_from_documents_is_the_export_from_entries(tmp_path_factory, journal) -> None:
    folder = tmp_path_factory.mktemp("export")
    store = Store.open(folder / "journal.json")
    store.add_many(journal)
    store = Store.open(folder / "journal.json")  # documents as bytes, parsed on demand
    in_order = list(store.iter_entries(oldest_first=True))
    for restore in (True, False):
        assert exported(store, folder, restore=restore) == to_markdown(in_order, restore=restore)


def test_documents_not_as_to_dict_writes_them_are_converted(db_path: Path, tmp_path: Path) -> None:
    # Written by another program: fields missing, tags not normalised, keys in another order.
    docs = {
        "1": {
            "uid": "a1",
            "kind": "reflection",
            "created": "2026-11-20T09:00:00+01:00",
            "updated": "2026-11-20T09:00:00+01:00",
            "day": "2026-11-20",
            "body": "Short <b>body</b>",
            "tags": ["#Calls", "calls"],
        },
        "2": {
            "kind": "checkin",
            "uid": "b2",
            "created": "2026-11-21 10:05:00+01:00",
            "updated": "2026-11-21T10:05:00+01:00",
            "day": "2026-11-21",
            "title": "",
            "body": "",
            "tags": [],
            "prompt": {"pack": "p", "id": "i", "text": "Their words?"},
            "checkin": {"reaction": "paused", "nested": {"a": [1, "<x>"]}},
            "follow_up": {"action": "Call", "due": "2026-11-23"},
            "revisit_on": None,
            "revisit_of": None,
            "starred": False,
        },
    }
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(orjson.dumps({"entries": docs}))
    store = Store.open(db_path)
    entries = list(store.iter_entries(oldest_first=True))
    assert len(entries) == 2
    text = exported(store, tmp_path)
    assert text == to_markdown(entries)
    for entry in entries:
        assert export.restore_comment(entry) in text


def test_store_gives_each_entry_its_own_json(db_path: Path) -> None:
    store = Store.open(db_path)
    store.add(Entry.new("Body <b>", title="T <x>", tags=["a"], day="2026-01-02"))
    store.add(Entry.new("", kind="checkin", checkin={"a": [1, {"b": "c"}]}, day="2026-01-03"))
    for reopened in (store, Store.open(db_path)):  # dicts written now, then bytes read back
        pairs = list(reopened.iter_entries_json(oldest_first=True))
        assert [e.day for e, _ in pairs] == ["2026-01-02", "2026-01-03"]
        for entry, data in pairs:
            assert data == orjson.dumps(entry.to_dict())


def test_json_of_a_hand_written_layout_file_is_written_anew(db_path: Path, tmp_path: Path) -> None:
    # The one-document-per-line layout, but with spaces and escapes orjson does not write:
    # the stored bytes are not the entry's JSON, so the export does not copy them.
    doc = (
        b'{"uid": "a1", "kind": "reflection", "created": "2026-11-20T09:00:00+01:00", '
        b'"updated": "2026-11-20T09:00:00+01:00", "day": "2026-11-20", "title": "Caf\\u00e9", '
        b'"body": "x\\/y", "tags": [], "prompt": null, "checkin": null, "follow_up": null, '
        b'"revisit_on": null, "revisit_of": null, "starred": false}'
    )
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b'{\n"entries":{\n"1":' + doc + b"\n}\n}\n")
    store = Store.open(db_path)
    [(entry, data)] = list(store.iter_entries_json())
    assert not store._storage.canonical  # laid out as journal does, but not written by it
    assert entry.title == "Café" and entry.body == "x/y"
    assert data == orjson.dumps(entry.to_dict())
    assert export.restore_comment(entry) in exported(store, tmp_path)
    # After journal writes the file, its documents' bytes are orjson's own.
    store.add(Entry.new("second", day="2026-11-21"))
    again = Store.open(db_path)
    assert again._storage.canonical
    for entry, data in again.iter_entries_json():
        assert data == orjson.dumps(entry.to_dict())
    assert b"Caf\xc3\xa9" in db_path.read_bytes()


# ---- the quicker helpers against the code they replaced ------------------------------------


def escape_inline_before(text: str) -> str:
    one_line = " ".join(re.split(r"\r\n?|\n", text))
    escaped = re.sub(r"([\\`*_\[\]<])", r"\\\1", one_line)
    return re.sub(r"&(?=#?[A-Za-z0-9]+;)", "\\&", escaped)


@given(st.text(alphabet=st.sampled_from("ab &;#\\`*_[]<>\r\n\t1é🙂"), max_size=40))
def test_escape_inline_is_unchanged(text: str) -> None:
    assert export.escape_inline(text) == escape_inline_before(text)


@given(st.dates())
def test_long_day_is_unchanged(day) -> None:
    expected = (
        f"{calendar.day_name[day.weekday()]} {day.day} {calendar.month_name[day.month]} {day.year}"
    )
    assert export.long_day(day.isoformat()) == expected


OFFSETS = st.sampled_from([0, 60, -300, 330, 840]).map(lambda m: timezone(timedelta(minutes=m)))


@given(
    st.datetimes(timezones=OFFSETS),
    st.sampled_from(["T", " "]),
    st.sampled_from(["seconds", "minutes", "microseconds", "auto"]),
)
def test_hour_and_minute_read_off_the_text_are_unchanged(moment, sep, spec) -> None:
    text = moment.isoformat(sep=sep, timespec=spec)
    assert export._hh_mm(text) == f"{datetime.fromisoformat(text):%H:%M}"


def test_the_one_file_export_needs_neither_yaml_nor_markdown_it() -> None:
    code = (
        "import sys, journal.transfer.export as e\n"
        "print('yaml' in sys.modules, 'markdown_it' in sys.modules)\n"
        "e.protect_markdown('```\\nopen fence')\n"
        "print('markdown_it' in sys.modules, e.SafeLoader.__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "True", out.stdout.split()[-1]]
    assert "SafeLoader" in out.stdout


def test_a_journal_written_plain_after_encryption_vouches_only_for_orjson_bytes(
    db_path: Path,
) -> None:
    # Bytes another program laid out, sealed as they were (an encrypted file vouches that its
    # documents parse, not how they are written), then decrypted: the plain file journal
    # records as its own must hold orjson's bytes.
    from journal.store.crypto import KdfParams, Key
    from journal.store.jsonfile import checked_path, encode_database

    db_path.parent.mkdir(parents=True)
    doc = Entry.new("Caf\u00e9 <b>", day="2026-11-20").to_dict()
    spaced = orjson.dumps(doc).replace(b'","', b'", "')  # valid JSON, not orjson's
    data = {"entries": {"1": doc}}
    db_path.write_bytes(encode_database(data).replace(orjson.dumps(doc), spaced))
    key = Key.derive("a passphrase", KdfParams.fresh(2**10))
    plain_store = Store.open(db_path)
    plain_store._storage.key = key  # as `journal encrypt` does, but without checking first
    plain_store._storage._raw_checked = True
    plain_store._storage.write(plain_store._storage.read())
    sealed = Store.open(db_path, key=key)
    assert not sealed._storage.canonical
    [(entry, json_bytes)] = list(sealed.iter_entries_json())
    assert json_bytes == orjson.dumps(entry.to_dict())
    sealed.rekey(None)
    assert checked_path(db_path).exists()
    reopened = Store.open(db_path)
    assert reopened._storage.canonical
    assert orjson.dumps(doc) in db_path.read_bytes() and spaced not in db_path.read_bytes()
