"""The one-file export written from a journal on disk is the same text, byte for byte, as the
export rendered from its entries alone; the helpers made quicker say what the plain code said."""

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

from journal.store import Store
from journal.transfer import markdown, render
from journal.transfer.export import export_file, restore_json, restore_line, to_markdown
from tests.unit.test_export_import import journals

FIXTURE_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
AT = datetime(2026, 12, 2, 7, 0, tzinfo=timezone.utc)


def exported(store: Store, tmp: Path, *, restore: bool = True) -> str:
    out = tmp / "out.md"
    export_file(store, out, force=True, restore=restore, exported=AT)
    return out.read_bytes().decode("utf-8")  # as written: "\r\n" in a body stays


@settings(max_examples=200, deadline=None)
@given(journal=journals)
def test_orjson_of_the_dataclass_is_orjson_of_to_dict(journal) -> None:
    # restore_json hands the dataclasses themselves to orjson (no to_dict): the same bytes.
    plain = [entry.to_dict() for entry in journal]
    assert restore_json(journal) == orjson.dumps(plain)
    assert orjson.loads(restore_json(journal)) == plain
    for entry in journal:
        if entry.follow_up is None:  # those go through to_dict (see restore_json)
            assert orjson.dumps(entry) == orjson.dumps(entry.to_dict())


@settings(max_examples=60, deadline=None, suppress_health_check=FIXTURE_OK)
@given(journal=journals)
def test_export_from_documents_is_the_export_from_entries(tmp_path_factory, journal) -> None:
    folder = tmp_path_factory.mktemp("export")
    store = Store.open(folder / "journal.json")
    store.add_many(journal)
    store = Store.open(folder / "journal.json")  # documents as bytes, parsed on demand
    in_order = list(store.iter_entries(oldest_first=True))
    for restore in (True, False):
        expected = to_markdown(in_order, restore=restore, exported=AT)
        assert exported(store, folder, restore=restore) == expected


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
    assert text == to_markdown(entries, exported=AT)
    assert restore_line(1, entries).decode() in text


def test_json_of_a_hand_written_layout_file_is_written_anew(db_path: Path, tmp_path: Path) -> None:
    # The one-document-per-line layout, but with spaces and escapes orjson does not write:
    # the restore data holds the entry's JSON as orjson writes it, not the stored bytes.
    doc = (
        b'{"uid": "a1", "kind": "reflection", "created": "2026-11-20T09:00:00+01:00", '
        b'"updated": "2026-11-20T09:00:00+01:00", "day": "2026-11-20", "title": "Caf\\u00e9", '
        b'"body": "x\\/y", "tags": [], "prompt": null, "checkin": null, "follow_up": null, '
        b'"revisit_on": null, "revisit_of": null, "starred": false}'
    )
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b'{\n"entries":{\n"1":' + doc + b"\n}\n}\n")
    store = Store.open(db_path)
    [entry] = list(store.iter_entries())
    assert entry.title == "Café" and entry.body == "x/y"
    text = exported(store, tmp_path)
    assert restore_line(1, [entry]).decode() in text
    assert orjson.loads(restore_json([entry])) == [entry.to_dict()]
    assert "Caf\\u00e9" not in text and "x\\/y" not in text


# ---- the quicker helpers against the code they replaced ------------------------------------


def escape_inline_before(text: str) -> str:
    one_line = " ".join(re.split(r"\r\n?|\n", text))
    escaped = re.sub(r"([\\`*_\[\]<])", r"\\\1", one_line)
    return re.sub(r"&(?=#?[A-Za-z0-9]+;)", "\\&", escaped)


@given(st.text(alphabet=st.sampled_from("ab &;#\\`*_[]<>\r\n\t1é🙂"), max_size=40))
def test_escape_inline_is_unchanged(text: str) -> None:
    assert markdown.escape_inline(text) == escape_inline_before(text)


@given(st.dates())
def test_long_day_is_unchanged(day) -> None:
    expected = (
        f"{calendar.day_name[day.weekday()]} {day.day} {calendar.month_name[day.month]} {day.year}"
    )
    assert render.long_day(day.isoformat()) == expected


OFFSETS = st.sampled_from([0, 60, -300, 330, 840]).map(lambda m: timezone(timedelta(minutes=m)))


@given(
    st.datetimes(timezones=OFFSETS),
    st.sampled_from(["T", " "]),
    st.sampled_from(["seconds", "minutes", "microseconds", "auto"]),
)
def test_hour_and_minute_read_off_the_text_are_unchanged(moment, sep, spec) -> None:
    text = moment.isoformat(sep=sep, timespec=spec)
    assert render._hh_mm(text) == f"{datetime.fromisoformat(text):%H:%M}"


def test_the_one_file_export_needs_neither_yaml_nor_markdown_it() -> None:
    code = (
        "import sys, journal.transfer.export as e\n"
        "from journal.models import Entry\n"
        "print('yaml' in sys.modules, 'markdown_it' in sys.modules)\n"
        "e.to_markdown([Entry.new('# plain prose', day='2026-01-02')])\n"
        "print('yaml' in sys.modules, 'markdown_it' in sys.modules)\n"
        "e.to_markdown([Entry.new('```\\nopen fence', day='2026-01-02')])\n"
        "e.front_matter(Entry.new('x', day='2026-01-02'))\n"
        "print('yaml' in sys.modules, 'markdown_it' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False", "False", "False", "True", "True"]
