"""Bad journal files: every command gives a clear message, nothing is overwritten, doctor guides.

Each case is tried with the installed `journal` command exactly as a person would: `list`,
`add`, the app start (`journal` with no command) and `doctor`; then the fix the doctor prints
is run and the journal must work again.

Decisions: CRLF line endings are valid JSON and journal never writes a line break, so a CRLF
file reads fine (list and add work; add writes journal's own compact form, keeping every
entry), and the doctor flags it (exit 1) because another program rewrote the file. An entry
with a wrong field type is kept in the file untouched and left out of lists with a warning;
a save keeps that document exactly as it was.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest

from journal.models import Entry
from journal.store import Store
from tests.conftest import FROZEN

pytestmark = pytest.mark.slow

JOURNAL = str(Path(sys.executable).parent / "journal")
BOM = b"\xef\xbb\xbf"


def journal(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [JOURNAL, *args],
        capture_output=True,
        text=True,
        input=stdin,
        stdin=None if stdin is not None else subprocess.DEVNULL,
        timeout=60,
        env=os.environ.copy(),
    )


def good_journal(db: Path) -> bytes:
    store = Store.open(db)
    # The day the app's frozen clock shows, so Today lists them.
    day = FROZEN.date()
    store.add(Entry.new("The call went better than I feared.", tags=["calls"], day=day))
    store.add(Entry.new("I asked what success looks like for them.", tags=["growth"], day=day))
    backed_up = journal("backup")
    assert backed_up.returncode == 0, backed_up.stderr
    return db.read_bytes()


def bom(good: bytes) -> bytes:
    return BOM + good


def crlf(good: bytes) -> bytes:
    pretty = orjson.dumps(orjson.loads(good), option=orjson.OPT_INDENT_2)
    return pretty.replace(b"\n", b"\r\n")


def invalid_utf8(good: bytes) -> bytes:
    at = good.index(b"feared")
    return good[:at] + b"\xff\xfe" + good[at + 2 :]


def truncated(good: bytes) -> bytes:
    return good[: len(good) * 2 // 3]


def wrong_shape(good: bytes) -> bytes:
    return orjson.dumps({"entries": [orjson.loads(good)["entries"]["1"]]})


def wrong_field(good: bytes) -> bytes:
    data = orjson.loads(good)
    data["entries"]["1"]["tags"] = "calls"
    return orjson.dumps(data)


def empty(good: bytes) -> bytes:
    return b""


# name -> (make bad bytes, still readable?, what every message must say)
CASES: dict[str, tuple[Callable[[bytes], bytes], bool, str]] = {
    "bom": (bom, False, "byte-order mark"),
    "crlf": (crlf, True, "CRLF"),
    "invalid-utf8": (invalid_utf8, False, "not valid UTF-8"),
    "truncated": (truncated, False, "not valid JSON"),
    "wrong-shape": (wrong_shape, False, "not a journal"),
    "wrong-field-type": (wrong_field, True, "tags must be a list"),
    "empty": (empty, False, "empty"),
}


UNREADABLE = [name for name, (_, readable, _) in CASES.items() if not readable]


def make_bad(name: str, db_path: Path) -> tuple[str, bytes, bool, str]:
    make, readable, phrase = CASES[name]
    data = make(good_journal(db_path))
    db_path.write_bytes(data)
    return name, data, readable, phrase


@pytest.fixture(params=list(CASES))
def bad(request, db_path: Path) -> tuple[str, bytes, bool, str]:
    return make_bad(request.param, db_path)


def folder_state(db: Path) -> dict[str, tuple[int, int]]:
    """Every file beside the journal (and in its backups folder) with size and mtime."""
    out = {}
    for path in sorted(db.parent.rglob("*")):
        if path.is_file() and not path.name.endswith(".lock"):
            st = path.stat()
            out[str(path.relative_to(db.parent))] = (st.st_size, st.st_mtime_ns)
    return out


def test_list(bad, db_path: Path) -> None:
    name, data, readable, phrase = bad
    result = journal("list")
    assert db_path.read_bytes() == data, "list must never change the file"
    if not readable:
        assert result.returncode == 1
        assert phrase in result.stderr
        assert "journal doctor" in result.stderr and "has not been changed" in result.stderr
        assert "Traceback" not in result.stderr
    elif name == "crlf":
        assert result.returncode == 0, result.stderr
        assert "The call went better" in result.stdout and "I asked what" in result.stdout
    else:
        assert result.returncode == 0, result.stderr
        assert "I asked what" in result.stdout
        assert "invalid and was left out" in result.stderr and phrase in result.stderr
        assert "journal doctor" in result.stderr


def test_add(bad, db_path: Path) -> None:
    _, data, readable, phrase = bad
    result = journal("add", "A new thought")
    if not readable:
        assert result.returncode == 1
        assert phrase in result.stderr and "Traceback" not in result.stderr
        assert db_path.read_bytes() == data, "a file that does not parse is never overwritten"
        return
    assert result.returncode == 0, result.stderr
    after = orjson.loads(db_path.read_bytes())
    before = orjson.loads(data)
    # Every document that was there is still there, exactly; the new one is added.
    for doc_id, doc in before["entries"].items():
        assert after["entries"][doc_id] == doc
    assert any(d["body"] == "A new thought" for d in after["entries"].values())


@pytest.mark.parametrize("name", UNREADABLE)
def test_app_start_reports_and_exits_before_the_screen(name: str, db_path: Path) -> None:
    """(A readable oddity opens the app: see test_app_opens_readable_oddities.)"""
    _, data, _, phrase = make_bad(name, db_path)
    result = journal()  # no command: the app; stdin is not a terminal
    assert result.returncode == 1
    assert phrase in result.stderr and "Traceback" not in result.stderr
    assert "\x1b[" not in result.stdout, "Textual never started"
    assert db_path.read_bytes() == data


def test_doctor_finds_it_changes_nothing_and_its_fix_works(bad, db_path: Path) -> None:
    name, data, _, phrase = bad
    before = folder_state(db_path)
    result = journal("doctor")
    assert result.returncode == 1, result.stdout
    assert phrase in result.stdout
    assert "Traceback" not in result.stdout + result.stderr
    assert db_path.read_bytes() == data
    assert folder_state(db_path) == before, "doctor without --repair changes nothing"

    # Follow the advice: the first fix line that is a journal command.
    fixes = [
        line.split("fix:", 1)[1].split("#")[0].strip()
        for line in result.stdout.splitlines()
        if "fix:" in line
    ]
    fixes += [
        line.strip().split("#")[0].strip()
        for line in result.stdout.splitlines()
        if line.strip().startswith("journal restore journal-")
    ]
    command = next(f for f in fixes if f.startswith("journal ") and "--list" not in f)
    if name in ("bom", "crlf"):
        assert command == "journal doctor --repair"
    else:
        assert command.startswith("journal restore journal-")
    fixed = journal(*shlex.split(command)[1:])
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    listed = journal("list")
    assert listed.returncode == 0 and listed.stderr == ""
    assert "The call went better" in listed.stdout and "I asked what" in listed.stdout
    assert journal("doctor").returncode == 0
    # The bad file was kept, byte for byte, in the backups folder.
    kept = [p.read_bytes() for p in (db_path.parent / "journal.json.backups").iterdir()]
    assert data in kept


@pytest.mark.parametrize("make", [crlf, wrong_field], ids=["crlf", "wrong-field-type"])
async def test_app_opens_readable_oddities(make, make_app, db_path: Path) -> None:
    """The app opens on a CRLF file or one with an invalid entry and shows what it can."""
    good = good_journal(db_path)
    db_path.write_bytes(make(good))
    before = orjson.loads(db_path.read_bytes())["entries"]
    app = make_app(store=Store.open(db_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        rows = app.screen.query_one("#today-entries").option_count
        assert rows == (2 if make is crlf else 1)
        await pilot.press(*"and one more")
        await pilot.press("ctrl+s")
        await pilot.pause()
    after = orjson.loads(db_path.read_bytes())["entries"]
    for doc_id, doc in before.items():
        assert after[doc_id] == doc, "every document, even an invalid one, is kept exactly"
    assert len(after) == len(before) + 1
