"""Bad journal files: every command gives a clear message, nothing is overwritten, doctor guides.

Each case is tried with the installed `journal` command exactly as a person would: `list`,
`add`, the app start (`journal` with no command) and `doctor`; then the fix the doctor prints
is run and the journal must work again.

Decisions: CRLF line endings are valid JSON and journal writes plain LF, so a CRLF file
reads fine (list and add work; add writes journal's own form, keeping every entry), and the
doctor flags it (exit 1) because another program rewrote the file. An entry with a wrong
field type is kept in the file untouched and left out of lists with a warning; a save keeps
that document exactly as it was. A bad byte inside one entry leaves the others readable
(journal reads its file one document per line) but no save happens until it is fixed.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import orjson
import pytest

from journal.models import Entry
from journal.store import Store
from tests.conftest import FROZEN
from tests.textual_patches import notifications_raised

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
    return good.replace(b"\n", b"\r\n")  # what a Windows editor or a sync tool does


def invalid_utf8(good: bytes) -> bytes:
    """A bad byte inside one entry: the rest of the journal stays readable."""
    at = good.index(b"feared")
    return good[:at] + b"\xff\xfe" + good[at + 2 :]


def invalid_utf8_meta(good: bytes) -> bytes:
    """A bad byte outside the entries: the file as a whole cannot be read."""
    at = good.index(b'"schema"')
    return good[:at] + b'"\xff' + good[at + 2 :]


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


@dataclass(frozen=True)
class Case:
    """A bad file and what each command does with it."""

    make: Callable[[bytes], bytes]
    phrase: str  # every message about it says this
    list: str  # "error" (exit 1), "ok" (every entry), "warn" (the readable ones + a warning)
    add: str  # "error" (exit 1, file untouched) or "ok" (every document kept exactly)
    app: str  # "error" (exit 1 before the screen) or "opens"


CASES = {
    "bom": Case(bom, "byte-order mark", "error", "error", "error"),
    "crlf": Case(crlf, "CRLF", "ok", "ok", "opens"),
    "invalid-utf8-in-an-entry": Case(invalid_utf8, "valid UTF-8", "warn", "error", "opens"),
    "invalid-utf8": Case(invalid_utf8_meta, "valid UTF-8", "error", "error", "error"),
    "truncated": Case(truncated, "not valid JSON", "error", "error", "error"),
    "wrong-shape": Case(wrong_shape, "not a journal", "error", "error", "error"),
    "wrong-field-type": Case(wrong_field, "tags must be a list", "warn", "ok", "opens"),
    "empty": Case(empty, "empty", "error", "error", "error"),
}


def make_bad(name: str, db_path: Path) -> tuple[str, bytes, Case]:
    case = CASES[name]
    data = case.make(good_journal(db_path))
    db_path.write_bytes(data)
    return name, data, case


@pytest.fixture(params=list(CASES))
def bad(request, db_path: Path) -> tuple[str, bytes, Case]:
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
    _, data, case = bad
    result = journal("list")
    assert db_path.read_bytes() == data, "list must never change the file"
    assert "Traceback" not in result.stderr
    if case.list == "error":
        assert result.returncode == 1
        assert case.phrase in result.stderr
        assert "journal doctor" in result.stderr and "has not been changed" in result.stderr
    elif case.list == "ok":
        assert result.returncode == 0, result.stderr
        assert "The call went better" in result.stdout and "I asked what" in result.stdout
    else:
        assert result.returncode == 0, result.stderr
        assert "I asked what" in result.stdout
        assert "left out" in result.stderr and case.phrase in result.stderr
        assert "journal doctor" in result.stderr


def test_add(bad, db_path: Path) -> None:
    _, data, case = bad
    result = journal("add", "A new thought")
    assert "Traceback" not in result.stderr
    if case.add == "error":
        assert result.returncode == 1
        assert case.phrase in result.stderr
        assert db_path.read_bytes() == data, "a file that does not parse is never overwritten"
        return
    assert result.returncode == 0, result.stderr
    after = orjson.loads(db_path.read_bytes())
    before = orjson.loads(data)
    # Every document that was there is still there, exactly; the new one is added.
    for doc_id, doc in before["entries"].items():
        assert after["entries"][doc_id] == doc
    assert any(d["body"] == "A new thought" for d in after["entries"].values())


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.app == "error"])
def test_app_start_reports_and_exits_before_the_screen(name: str, db_path: Path) -> None:
    """(A file that opens is tried in the app itself: see test_app_opens_what_it_can.)"""
    _, data, case = make_bad(name, db_path)
    result = journal()  # no command: the app; stdin is not a terminal
    assert result.returncode == 1
    assert case.phrase in result.stderr and "Traceback" not in result.stderr
    assert "\x1b[" not in result.stdout + result.stderr, "Textual never started"
    assert db_path.read_bytes() == data


def test_doctor_finds_it_changes_nothing_and_its_fix_works(bad, db_path: Path) -> None:
    name, data, case = bad
    phrase = case.phrase
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


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.app == "opens"])
async def test_app_opens_what_it_can(name: str, make_app, db_path: Path) -> None:
    """The app opens and shows what it can; a save keeps every document or says why not."""
    _, data, case = make_bad(name, db_path)
    before = orjson.loads(db_path.read_bytes())["entries"] if case.add == "ok" else None
    app = make_app(store=Store.open(db_path))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        rows = app.screen.query_one("#today-entries").option_count
        assert rows == (2 if case.list == "ok" else 1)
        await pilot.press(*"and one more")
        await pilot.press("ctrl+s")
        await pilot.pause()
        editor = app.screen.query_one("#editor")
        if case.add == "error":
            messages = [n.message for n in notifications_raised(app)]
            assert any(case.phrase in m and "cannot be written" in m for m in messages), messages
            assert editor.text == "and one more", "the text is still there to save later"
            assert app.screen.has_unsaved
    if case.add == "error":
        assert db_path.read_bytes() == data
        return
    after = orjson.loads(db_path.read_bytes())["entries"]
    for doc_id, doc in before.items():
        assert after[doc_id] == doc, "every document, even an invalid one, is kept exactly"
    assert len(after) == len(before) + 1


@pytest.mark.parametrize(
    "argv",
    [["list"], ["add", "kept"], ["doctor"], ["backup"], ["import", "{fifo}"]],
    ids=["list", "add", "doctor", "backup", "import"],
)
def test_a_fifo_where_a_file_belongs_is_refused_without_hanging(tmp_path: Path, argv) -> None:
    """A named pipe as the journal (or as the file to import) is never opened for a blocking
    read: one clear line, exit 1, and nothing waits for a writer that never comes."""
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    db = fifo if argv[0] != "import" else tmp_path / "journal.json"
    args = [a.replace("{fifo}", str(fifo)) for a in argv]
    result = journal("--db", str(db), *args)
    assert result.returncode == 1, result.stderr
    assert "not a regular file" in result.stderr or "not a file or a folder" in result.stderr
    assert "Traceback" not in result.stderr
