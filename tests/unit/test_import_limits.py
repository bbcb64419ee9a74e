"""Import sources that are hostile or unlucky: YAML that expands, files that are not files,
files too big for memory, and fields that would win when they should not (issue 15).

Every refusal is one clear message and leaves the journal exactly as it was.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import os
import random
import subprocess
import sys
import threading
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest

import journal.transfer.importers as importers
from journal.models import Entry, now_local
from journal.store import Store
from journal.transfer.export import entry_file_text, export_file
from journal.transfer.importers import (
    ImportFailed,
    ImportPlan,
    parse_entry_file,
    read_jrnl,
    read_markdown,
    run_import,
)

# The "billion laughs": each list holds nine aliases to the one before, 9**9 strings in all,
# in a file well under a kilobyte.
_LAUGHS = "".join(f"  l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]\n" for n in range(1, 9))
BOMB = (
    "---\n"
    "title: Laughs\n"
    "tags: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
    "journal:\n"
    "  uid: 0123456789abcdef0123456789abcdef\n"
    "  kind: reflection\n"
    "  created: '2024-03-05T10:00:00+01:00'\n"
    "  updated: '2024-03-05T10:00:00+01:00'\n"
    "  day: '2024-03-05'\n"
    "  checkin:\n" + _LAUGHS.replace("  l", "    l") + "---\nbody\n"
)


JOURNAL = str(Path(sys.executable).parent / "journal")
#: Address space for a ``journal`` run in a subprocess: plenty for an import of a few files,
#: far too little for a bomb that expands (so a regression fails instead of eating the machine).
SUBPROCESS_MEMORY = 1 << 30


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (SUBPROCESS_MEMORY, SUBPROCESS_MEMORY))


def journal(*args: str) -> subprocess.CompletedProcess[str]:
    """The installed command, with its memory capped and a timeout (a hang fails the test)."""
    return subprocess.run(
        [JOURNAL, *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=120,
        env=os.environ.copy(),
        preexec_fn=_limit_memory if sys.platform.startswith("linux") else None,
    )


@pytest.fixture
def kept_journal(db_path: Path) -> bytes:
    """A journal with one entry; its bytes, to compare with after a refused import."""
    store = Store.open(db_path)
    store.add(Entry.new("already here"))
    return db_path.read_bytes()


def test_the_bomb_is_small() -> None:
    assert len(BOMB.encode()) < 1024


def test_a_yaml_alias_bomb_in_a_per_entry_file_is_refused(
    tmp_path: Path, db_path: Path, kept_journal: bytes
) -> None:
    """Run as the command, memory capped: before the fix this expanded the aliases until the
    cap ran out (and took 53 s and 3 GB uncapped); now it is refused by name."""
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "bomb.md").write_text(BOMB)
    result = journal("--db", str(db_path), "import", str(folder))
    assert result.returncode == 1
    assert "aliases are not allowed" in result.stderr and "Traceback" not in result.stderr
    assert db_path.read_bytes() == kept_journal


@pytest.mark.parametrize(
    ("front", "words"),
    [
        ("uid: &a x", "anchor (&a)"),
        ("title: &t x\nuid: *t", "anchor (&t)"),
        ("uid: *nothing", "alias (*nothing)"),
        ("journal: &j {uid: x}", "anchor (&j)"),
    ],
)
def test_anchors_and_aliases_are_refused_before_anything_is_built(front: str, words: str) -> None:
    with pytest.raises(ImportFailed) as caught:
        parse_entry_file(f"---\n{front}\n---\nbody\n".encode(), "e.md")
    assert words in caught.value.message and "not allowed" in caught.value.message


def test_front_matter_is_capped_in_size_and_depth() -> None:
    huge = "---\ntitle: " + "x" * (1024 * 1024 + 1) + "\n---\nbody\n"
    with pytest.raises(ImportFailed) as caught:
        parse_entry_file(huge.encode(), "e.md")
    assert "longer than 1 MB" in caught.value.message
    deep = "---\ntitle: " + "[" * 40 + "]" * 40 + "\n---\nbody\n"
    with pytest.raises(ImportFailed) as caught:
        parse_entry_file(deep.encode(), "e.md")
    assert "nested more than 32 levels" in caught.value.message


def test_unknown_fields_are_refused_from_the_keys_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The keys are checked before PyYAML builds a single value."""
    import yaml

    def no_building(*args: object, **kwargs: object) -> None:
        raise AssertionError("a value was built before the fields were checked")

    monkeypatch.setattr(yaml, "load", no_building)
    for front, field in [
        ("mood: 3", "mood"),
        ("title: x\njournal:\n  uid: x\n  mood: 3", "mood"),
        ("title: x\ncolour: red\njournal:\n  uid: x", "colour"),
    ]:
        with pytest.raises(ImportFailed) as caught:
            parse_entry_file(f"---\n{front}\n---\nbody\n".encode(), "e.md")
        assert f"unknown field {field!r}" in caught.value.message


def test_a_note_with_the_bomb_is_refused_too(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "2024-03-05.md").write_text(BOMB.replace("journal:\n", "meta:\n"))
    with pytest.raises(ImportFailed) as caught:
        run_import(Store.open(db_path), folder, "markdown")
    assert "aliases are not allowed" in caught.value.message
    assert not db_path.exists()


def test_an_exported_file_still_reads_back() -> None:
    entry = Entry.new("text", title="A day", tags=["a", "b"])
    assert parse_entry_file(entry_file_text(entry).encode(), "e.md").to_dict() == entry.to_dict()


# ---- item 8: pipes, devices and links ----------------------------------------------------------

needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
needs_dev_zero = pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")

JRNL_ENTRY = {"date": "2024-03-01", "time": "09:30", "title": "From jrnl.", "body": "", "tags": []}


def _entry_file(folder: Path, name: str, body: str = "written in the export") -> Entry:
    entry = Entry.new(body, title=name, day="2024-03-05")
    (folder / f"{name}.md").write_text(entry_file_text(entry), "utf-8")
    return entry


def _in_thread(call: Callable[[], object]) -> object:
    """``call()``'s result or exception, failing (not hanging) when it blocks for a minute.

    A read blocked on a FIFO is released by opening the FIFO's other end, so a regression
    fails this test and lets the suite go on."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as exc:  # handed back to the test
            outcome.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(60)
    if worker.is_alive():
        for fifo in _FIFOS:
            fd = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
            os.close(fd)
        worker.join(10)
        pytest.fail("the import blocked on a FIFO")
    return outcome[0]


_FIFOS: list[Path] = []


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    _FIFOS.append(path)
    return path


@needs_fifo
@pytest.mark.parametrize("fmt", [None, "journal", "jrnl", "dayone", "markdown"])
def test_a_fifo_as_the_import_file_is_refused(tmp_path: Path, db_path: Path, fmt) -> None:
    fifo = _fifo(tmp_path / "pipe.md")
    outcome = _in_thread(lambda: run_import(Store.open(db_path), fifo, fmt))
    assert isinstance(outcome, ImportFailed), outcome
    assert "pipe, device or socket" in outcome.message
    assert not db_path.exists()


@needs_fifo
@pytest.mark.parametrize(
    "read",
    [read_markdown, lambda p: read_jrnl(p), lambda p: importers._read_dayone(p, None)],
    ids=["markdown", "jrnl", "dayone"],
)
def test_each_reader_refuses_a_fifo_itself(tmp_path: Path, read) -> None:
    """Not only the check at the door: each reader opens without blocking and reads only a
    regular file (a FIFO swapped in after the check is refused too)."""
    fifo = _fifo(tmp_path / "pipe.json")
    outcome = _in_thread(lambda: read(fifo))
    assert isinstance(outcome, ImportFailed), outcome
    assert "not a regular file" in outcome.message


@needs_fifo
@pytest.mark.parametrize("kind", ["per-entry", "notes", "jrnl"])
def test_a_fifo_inside_an_import_folder_is_skipped_and_reported(
    tmp_path: Path, db_path: Path, kind: str
) -> None:
    """Detected and read without blocking: the FIFO is skipped, said so, and the rest
    imports. (Before: detecting the format opened it and waited for ever.)"""
    folder = tmp_path / "folder"
    folder.mkdir()
    if kind == "per-entry":
        _entry_file(folder, "kept")
        pipe = "pipe.md"
    elif kind == "notes":
        (folder / "2024-03-05.md").write_text("a note of my own\n")
        pipe = "pipe.md"
    else:
        (folder / "one.json").write_text(json.dumps(JRNL_ENTRY))
        pipe = "pipe.json"
    _fifo(folder / pipe)
    plan = _in_thread(lambda: run_import(Store.open(db_path), folder))
    assert isinstance(plan, ImportPlan), plan
    assert len(plan.added) == 1
    (warning,) = [w for w in plan.warnings if "regular file" in w]
    if kind != "notes":  # notes count what they skip; the others name it
        assert pipe in warning
    assert Store.open(db_path).count() == 1


@needs_dev_zero
@pytest.mark.parametrize("fmt", [None, "journal", "jrnl", "markdown"])
def test_a_link_to_dev_zero_as_the_import_file_is_refused(
    tmp_path: Path, db_path: Path, fmt
) -> None:
    link = tmp_path / "zero.md"
    link.symlink_to("/dev/zero")
    with pytest.raises(ImportFailed) as caught:
        run_import(Store.open(db_path), link, fmt)
    assert "pipe, device or socket" in caught.value.message
    # And the readers themselves never read from it.
    with pytest.raises(ImportFailed, match="not a regular file"):
        read_markdown(link)
    with pytest.raises(ImportFailed, match="not a regular file"):
        read_jrnl(link)


@needs_dev_zero
@pytest.mark.parametrize("kind", ["per-entry", "jrnl"])
def test_a_link_to_dev_zero_inside_a_folder_is_skipped(
    tmp_path: Path, db_path: Path, kind: str
) -> None:
    folder = tmp_path / "folder"
    folder.mkdir()
    if kind == "per-entry":
        _entry_file(folder, "kept")
        (folder / "zero.md").symlink_to("/dev/zero")
    else:
        (folder / "one.json").write_text(json.dumps(JRNL_ENTRY))
        (folder / "zero.json").symlink_to("/dev/zero")
    plan = run_import(Store.open(db_path), folder, "journal" if kind == "per-entry" else "jrnl")
    assert len(plan.added) == 1
    assert any("zero." in w and "symbolic link, not followed" in w for w in plan.warnings)


def test_a_link_out_of_a_per_entry_folder_is_not_followed(tmp_path: Path, db_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    private = _entry_file(elsewhere, "private", "not part of this export")
    folder = tmp_path / "export"
    folder.mkdir()
    kept = _entry_file(folder, "kept")
    (folder / "private.md").symlink_to(elsewhere / "private.md")
    (folder / "sub").symlink_to(elsewhere, target_is_directory=True)
    plan = run_import(Store.open(db_path), folder, "journal")
    assert [e.uid for e in plan.added] == [kept.uid]
    assert Store.open(db_path).get(private.uid) is None
    (warning,) = [w for w in plan.warnings if "symbolic link" in w]
    assert "private.md (a symbolic link, not followed)" in warning
    assert "sub (a symbolic link to a folder, not followed)" in warning


def test_a_link_out_of_a_jrnl_folder_is_not_followed(tmp_path: Path, db_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere.json"
    elsewhere.write_text(json.dumps({**JRNL_ENTRY, "title": "Private."}))
    folder = tmp_path / "jrnl"
    folder.mkdir()
    (folder / "one.json").write_text(json.dumps(JRNL_ENTRY))
    (folder / "two.json").symlink_to(elsewhere)
    plan = run_import(Store.open(db_path), folder, "jrnl")
    assert [e.title for e in plan.added] == ["From jrnl."]


# ---- item 8: every read has a stated cap -------------------------------------------------------


def test_a_one_file_export_over_the_cap_is_refused_naming_it(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch, kept_journal: bytes
) -> None:
    store = Store.open(db_path)
    out = tmp_path / "journal.md"
    export_file(store, out)
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 512)
    assert out.stat().st_size > 512
    with pytest.raises(ImportFailed) as caught:
        run_import(store, out)
    assert "larger than 512 bytes, the most journal reads" in caught.value.message
    assert "--since and --until" in caught.value.hint
    assert db_path.read_bytes() == kept_journal


def test_a_jrnl_file_over_the_cap_is_refused_naming_it(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "jrnl.json"
    source.write_text(json.dumps({"entries": [JRNL_ENTRY] * 40}))
    monkeypatch.setattr(importers, "MAX_FILE_BYTES", 1024)
    with pytest.raises(ImportFailed) as caught:
        run_import(Store.open(db_path), source)
    assert "larger than 1 KB" in caught.value.message and "Split it" in caught.value.hint


def test_a_per_entry_file_over_the_cap_is_refused_naming_it(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    _entry_file(folder, "long", "word " * 1000)
    monkeypatch.setattr(importers, "MAX_ENTRY_FILE_BYTES", 2048)
    with pytest.raises(ImportFailed) as caught:
        run_import(Store.open(db_path), folder, "journal")
    assert "long.md is larger than 2 KB" in caught.value.message


def test_a_day_one_json_over_the_cap_is_refused_naming_it(
    tmp_path: Path, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import journal.transfer.dayone as dayone

    source = tmp_path / "Journal.json"
    source.write_text(json.dumps({"metadata": {}, "entries": []}) + " " * 2000)
    monkeypatch.setattr(dayone, "MAX_JSON_BYTES", 1024)
    with pytest.raises(ImportFailed) as caught:
        run_import(Store.open(db_path), source, "dayone")
    assert "larger than 1 KB, the most journal reads from a Day One journal" in (
        caught.value.message
    )


# ---- item 9: import memory is a small multiple of the file --------------------------------------


#: The bound the importer states (importers.MEMORY_FACTOR, README): peak memory of a one-file
#: import, in times the file's size.
MEMORY_BOUND = 12


def test_the_stated_bound_is_the_one_tested() -> None:
    assert importers.MEMORY_FACTOR == MEMORY_BOUND


def _peak_memory(call: Callable[[], object]) -> tuple[object, int]:
    """``call()``'s result and the most memory Python held meanwhile, above what it held
    before (traced by tracemalloc: every allocation, not the process's size)."""
    tracing = tracemalloc.is_tracing()
    if not tracing:
        tracemalloc.start()
    try:
        gc.collect()
        tracemalloc.reset_peak()
        before = tracemalloc.get_traced_memory()[0]
        result = call()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        if not tracing:
            tracemalloc.stop()
    return result, peak - before


def _varied_body(rnd: random.Random, n: int) -> str:
    """What journals hold, and what costs markdown-it most: short paragraphs and list items,
    text in other scripts; now and then a heading of the body's own and a code block (only
    now and then: the export's check of such a body is slow)."""
    parts: list[str] = []
    for _ in range(rnd.randint(20, 80)):
        kind = rnd.random()
        if kind < 0.5:
            parts.append(f"p{rnd.randint(0, 99)}")
        elif kind < 0.9:
            parts.append("\n".join(f"- item {i}" for i in range(rnd.randint(1, 8))))
        else:
            parts.append("日本語のテキスト 😀 " * rnd.randint(1, 5))
    if n % 50 == 0:
        parts += ["# A heading of my own", "```\ncode line\n### not a heading\n```"]
    return "\n\n".join(parts)


@pytest.fixture
def big_export(tmp_path: Path) -> tuple[Path, list[Entry]]:
    """A one-file export of a few MB, from a journal of varied entries."""
    rnd = random.Random(15)
    entries = [
        Entry.new(
            _varied_body(rnd, n),
            title=f"Entry {n}",
            tags=["work"] if n % 3 else [],
            day=f"20{20 + n % 5}-{1 + n % 12:02d}-{1 + n % 28:02d}",
        )
        for n in range(1000)
    ]
    source = Store.open(tmp_path / "source.json")
    source.upsert_many(entries)
    path = tmp_path / "journal.md"
    export_file(source, path)
    assert path.stat().st_size > 3_000_000
    return path, source.entries()


@pytest.mark.slow
def test_a_big_one_file_import_stays_within_its_memory_bound(
    tmp_path: Path, db_path: Path, big_export: tuple[Path, list[Entry]]
) -> None:
    """Reading, checking and writing the journal: at most MEMORY_FACTOR (12) times the
    file. Before, markdown-it's tokens for the whole file took about 80 times (a 48 MB file
    ran out of memory)."""
    path, entries = big_export
    size = path.stat().st_size
    plan, peak = _peak_memory(lambda: run_import(Store.open(db_path), path))
    assert isinstance(plan, ImportPlan)
    assert peak < MEMORY_BOUND * size, f"{peak / size:.1f} times the file"
    assert not plan.warnings  # nothing looked edited
    back = {e.uid: e.to_dict() for e in Store.open(db_path).entries()}
    assert back == {e.uid: e.to_dict() for e in entries}


@pytest.mark.slow
def test_reading_a_big_file_takes_a_few_times_its_size(
    big_export: tuple[Path, list[Entry]],
) -> None:
    path, _entries = big_export
    size = path.stat().st_size
    (incoming, edited), peak = _peak_memory(lambda: read_markdown(path))
    assert edited == 0 and len(incoming) == 1000
    assert peak < 4 * size, f"{peak / size:.1f} times the file"


@pytest.mark.slow
def test_a_hand_edited_big_file_is_checked_within_the_bound(
    tmp_path: Path, big_export: tuple[Path, list[Entry]]
) -> None:
    """Text that differs from what the export writes goes through markdown-it a window at a
    time; the sections are still counted as before."""
    path, _entries = big_export
    text = path.read_bytes()
    readable_end = text.rindex(b"\n[journal-restore]: # (")
    at = text.index(b"\n### ", readable_end * 8 // 10)
    edited_path = tmp_path / "edited.md"
    edited_path.write_bytes(text[: at + 10] + b"EDITED BY HAND " + text[at + 10 :])
    size = edited_path.stat().st_size
    (incoming, edited), peak = _peak_memory(lambda: read_markdown(edited_path))
    assert edited == 1 and len(incoming) == 1000
    assert peak < MEMORY_BOUND * size, f"{peak / size:.1f} times the file"


@pytest.mark.slow
def test_a_big_first_format_file_still_imports_within_the_bound(tmp_path: Path) -> None:
    rnd = random.Random(1)
    entries = [
        Entry.new(_varied_body(rnd, n), title=f"Old {n}", day="2023-05-06") for n in range(400)
    ]
    path = tmp_path / "old.md"
    path.write_text(
        "<!-- Journal: exported by journal -->\n<!-- journal:format 1 -->\n\n"
        + "".join(
            f"### Saturday 6 May 2023: x\n\n<!-- journal:entry "
            f"{json.dumps(e.to_dict(), ensure_ascii=False)} -->\n\n{e.body}\n\n"
            for e in entries
        ),
        "utf-8",
    )
    size = path.stat().st_size
    assert size > 500_000  # several of markdown-it's windows
    (incoming, _edited), peak = _peak_memory(lambda: read_markdown(path))
    assert [i.entry.to_dict() for i in incoming] == [e.to_dict() for e in entries]
    assert peak < MEMORY_BOUND * size, f"{peak / size:.1f} times the file"


# ---- item 16: a uid YAML reads as a number ------------------------------------------------------


def _uid_file(uid_line: str, nested: bool) -> bytes:
    fields = (
        f"{uid_line}\nkind: reflection\ncreated: '2024-03-05T10:00:00+01:00'\n"
        "updated: '2024-03-05T10:00:00+01:00'\nday: '2024-03-05'\n"
    )
    if nested:
        fields = "title: A day\njournal:\n" + "".join(f"  {line}\n" for line in fields.splitlines())
    return f"---\n{fields}---\nbody\n".encode()


@pytest.mark.parametrize("nested", [False, True], ids=["first format", "under journal:"])
@pytest.mark.parametrize(
    ("written", "reads_as"),
    [("12345", "a number"), ("1.5e+3", "a number"), ("0x1f", "a number"), ("yes", "true or false")],
)
def test_a_uid_yaml_reads_as_a_number_says_to_quote_it(
    written: str, reads_as: str, nested: bool
) -> None:
    with pytest.raises(ImportFailed) as caught:
        parse_entry_file(_uid_file(f"uid: {written}", nested), "e.md")
    line = 4 if nested else 2
    assert caught.value.message == (
        f"e.md, line {line}: the uid must be text, but YAML reads {written} as {reads_as}."
    )
    assert f'Put it in quotes: uid: "{written}".' in caught.value.hint


def test_a_quoted_uid_and_one_yaml_keeps_as_text_import() -> None:
    assert parse_entry_file(_uid_file('uid: "12345"', True), "e.md").uid == "12345"
    assert parse_entry_file(_uid_file("uid: 1e3", False), "e.md").uid == "1e3"  # YAML 1.1: text


# ---- item 16: an entry the file dates in the future -----------------------------------------


def _future_copy(entry: Entry, folder: Path, ahead: timedelta, body: str) -> Entry:
    later = (now_local() + ahead).isoformat(timespec="seconds")
    copy = dataclasses.replace(entry, body=body, updated=later)
    folder.mkdir(exist_ok=True)
    (folder / "entry.md").write_text(entry_file_text(copy), "utf-8")
    return copy


def test_a_file_copy_dated_in_the_future_never_replaces_the_journal_copy(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(db_path)
    local = store.add(dataclasses.replace(Entry.new("written here"), uid="\x1b]52;c;aGk=\x07-uid"))
    folder = tmp_path / "export"
    _future_copy(local, folder, timedelta(days=400), "from a clock a year ahead")
    for dry_run in (True, False):
        plan = run_import(Store.open(db_path), folder, "journal", dry_run=dry_run)
        assert not plan.updated and [e.uid for e in plan.future] == [local.uid]
        assert "kept 1 the file dates in the future" in plan.summary(dry_run=dry_run)
        (warning,) = [w for w in plan.warnings if "in the future" in w]
        assert "\\x1b]52;c;aGk=\\x07-uid" in warning and "\x1b" not in warning
        assert "set its `updated` time to now in the file" in warning
    assert Store.open(db_path).get(local.uid).body == "written here"
    # Edited here after that: still the journal's copy, import after import.
    here = Store.open(db_path)
    stored = here.get(local.uid)
    here.update(dataclasses.replace(stored, body="edited here since"), expected=stored)
    run_import(Store.open(db_path), folder, "journal")
    assert Store.open(db_path).get(local.uid).body == "edited here since"
    # The command says so too, in a dry run and for real.
    from journal.cli import main

    assert main(["--db", str(db_path), "import", "--dry-run", str(folder)]) == 0
    out = capsys.readouterr()
    assert "in the future" in out.err and "\x1b" not in out.err + out.out


def test_a_file_copy_a_little_ahead_still_updates(tmp_path: Path, db_path: Path) -> None:
    """Clocks differ by minutes, not days: an hour ahead is a change made elsewhere."""
    store = Store.open(db_path)
    local = store.add(Entry.new("written here"))
    folder = tmp_path / "export"
    _future_copy(local, folder, timedelta(hours=1), "changed on the laptop")
    plan = run_import(Store.open(db_path), folder, "journal")
    assert [e.uid for e in plan.updated] == [local.uid] and not plan.future
    assert Store.open(db_path).get(local.uid).body == "changed on the laptop"
