"""Hostile text in a journal or an import never reaches the terminal raw from the CLI.

Every command that shows stored or imported text (list, due, done, prompt, doctor, import
--dry-run, import errors, warnings, --json) is run on a journal whose titles, bodies, tags,
follow-ups, ids and prompt packs hold escape sequences: OSC 52 (writes the clipboard), OSC 0
(sets the window title), CSI 2J (wipes the screen), a C1 CSI, DEL and a bidi override. The
output must hold none of them raw, show them escaped, and leave the stored bytes as written.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import orjson
import pytest

import journal.cli.common
from journal.cli import main
from journal.display import has_control
from journal.models import Entry, FollowUp
from journal.paths import user_prompts_dir
from journal.store import Store

TODAY = date(2026, 11, 22)
HOSTILE = "\x1b]52;c;aGVsbG8=\x07\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil\x7f"
#: Every one of these would drive the terminal (or reorder what it shows) if printed.
RAW = ("\x1b", "\x07", "\x9b", "\u202e", "\x7f")
#: How ESC shows once escaped.
SHOWN = "\\x1b]0;pwned\\x07"
JOURNAL = str(Path(sys.executable).parent / "journal")


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(journal.cli.common, "today", lambda: TODAY)
    return TODAY


def assert_safe(*texts: str) -> None:
    for text in texts:
        for char in RAW:
            assert char not in text, f"{char!r} reached the terminal raw: {text!r}"
        assert not has_control(text), text
        text.encode("utf-8")  # no lone surrogate either


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    assert_safe(out, err)
    return code, out, err


@pytest.fixture
def hostile(db_path: Path) -> Entry:
    """One entry with hostile text in every field a command shows."""
    store = Store.open(db_path)
    entry = Entry.new(
        "body " + HOSTILE + "\n\tan indented second line",
        title="title " + HOSTILE,
        tags=["tag" + HOSTILE],
        day=TODAY,
        follow_up=FollowUp(action="call back " + HOSTILE, due=TODAY.isoformat()),
        revisit_on=TODAY.isoformat(),
    )
    store.add(entry)
    store.add(Entry.new("no follow-up here", title="plain " + HOSTILE, day=TODAY))
    store.close()
    return entry


def stored_fields(db_path: Path, uid: str) -> dict[str, object]:
    data = orjson.loads(db_path.read_bytes())
    [doc] = [d for d in data["entries"].values() if d["uid"] == uid]
    return doc


def test_list_shows_titles_tags_and_ids_escaped(capsys, hostile: Entry, db_path: Path) -> None:
    before = db_path.read_bytes()
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert hostile.uid[:8] in out
    assert "title \\x1b]52;c;aGVsbG8=\\x07" in out
    assert "#tag\\x1b]52" in out  # the tag, escaped too
    assert len(out.splitlines()) == 2, "one line per entry: nothing a field holds breaks one"
    assert db_path.read_bytes() == before


def test_list_json_is_valid_json_with_every_byte_kept(capsys, hostile: Entry) -> None:
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0
    entries = {e["uid"]: e for e in json.loads(out)}
    assert entries[hostile.uid] == hostile.to_dict()
    assert "\\u009b" in out and "\\u202e" in out and "\\u007f" in out and "\\u001b" in out


def test_due_and_due_json(capsys, hostile: Entry) -> None:
    code, out, _ = run(capsys, "due")
    assert code == 0
    assert "call back \\x1b]52" in out and hostile.uid[:8] in out
    assert len(out.splitlines()) == 2  # the follow-up and the revisit, one line each
    code, out, _ = run(capsys, "due", "--json")
    assert code == 0
    actions = [item["text"] for item in json.loads(out)]
    assert "call back " + HOSTILE in actions


def test_done_prints_the_action_escaped_and_stores_it_as_it_was(
    capsys, hostile: Entry, db_path: Path
) -> None:
    code, out, _ = run(capsys, "done", hostile.uid[:8], "--note", "went fine")
    assert code == 0
    assert out.startswith("Done: call back \\x1b]52;c;aGVsbG8=\\x07")
    doc = stored_fields(db_path, hostile.uid)
    assert doc["title"] == hostile.title and doc["body"] == hostile.body
    assert doc["tags"] == list(hostile.tags)
    assert doc["follow_up"]["action"] == "call back " + HOSTILE  # byte for byte


def test_done_errors_quote_stored_and_typed_text_escaped(
    capsys, hostile: Entry, db_path: Path
) -> None:
    [plain] = [e for e in Store.open(db_path).entries() if e.follow_up is None]
    code, _, err = run(capsys, "done", plain.uid)
    assert code == 1 and "has no follow-up" in err and "plain \\x1b]52" in err
    code, _, err = run(capsys, "done", "zz" + HOSTILE)
    assert code == 2 and "no entry has the id" in err and "\\x1b" in err


def write_pack(name: str, text: str) -> None:
    folder = user_prompts_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.toml").write_text(text, encoding="utf-8")


def toml_string(text: str) -> str:
    """A TOML basic string holding ``text`` (control characters as \\uXXXX)."""
    return json.dumps(text)  # JSON's escapes are TOML's for these characters


def hostile_pack() -> None:
    write_pack(
        "hostile",
        f"""id = "hostile"
title = {toml_string("Pack " + HOSTILE)}
theme = "odd"
[[prompts]]
id = "odd-001"
text = {toml_string("What happened? " + HOSTILE)}
followups = [{toml_string("And then? " + HOSTILE)}]
""",
    )
    config = Path(os.environ["JOURNAL_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[prompts]\nenabled_packs = ["hostile"]\n', encoding="utf-8")


def test_prompt_from_a_hostile_pack(capsys, db_path: Path) -> None:
    hostile_pack()
    code, out, _ = run(capsys, "prompt")
    assert code == 0
    assert "What happened? \\x1b]52" in out and "And then? \\x1b" in out and "Pack \\x1b" in out
    code, out, _ = run(capsys, "prompt", "--json")
    assert code == 0
    assert json.loads(out)["text"] == "What happened? " + HOSTILE


def test_warnings_quote_hostile_pack_keys_escaped(capsys, db_path: Path) -> None:
    write_pack(
        "broken",
        f"""id = "broken"
title = "Broken"
theme = "odd"
{toml_string(HOSTILE)} = 1
[[prompts]]
id = "b-001"
text = "x"
""",
    )
    code, _, err = run(capsys, "prompt")
    assert code == 0
    assert "prompt pack skipped" in err and "unknown key" in err and SHOWN in err


def test_invalid_entry_warning_and_doctor(capsys, hostile: Entry, db_path: Path) -> None:
    data = orjson.loads(db_path.read_bytes())
    doc = data["entries"]["1"]
    doc["uid"] = "bad" + HOSTILE
    doc["kind"] = "odd"  # invalid: left out with a warning that names its uid
    db_path.write_bytes(orjson.dumps(data))
    before = db_path.read_bytes()
    code, _, err = run(capsys, "list")
    assert code == 0 and "is invalid and was left out" in err and "bad\\x1b]52" in err
    code, out, err = run(capsys, "doctor")
    assert code == 1 and out
    assert db_path.read_bytes() == before


def jrnl_export(path: Path, title: str, body: str, tags: list[str]) -> Path:
    path.write_text(
        json.dumps(
            {
                "tags": {},
                "entries": [
                    {
                        "date": "2026-11-20",
                        "time": "10:00",
                        "title": title,
                        "body": body,
                        "tags": tags,
                        "starred": False,
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def test_import_dry_run_lists_hostile_titles_escaped(capsys, tmp_path: Path, db_path: Path) -> None:
    source = jrnl_export(tmp_path / "jrnl.json", "From jrnl " + HOSTILE, "body " + HOSTILE, [])
    code, out, _ = run(capsys, "import", str(source), "--dry-run")
    assert code == 0 and "From jrnl \\x1b]52" in out and "Nothing was changed" in out
    assert not db_path.exists()
    code, out, _ = run(capsys, "import", str(source))
    assert code == 0
    [entry] = Store.open(db_path).entries()
    assert entry.title == "From jrnl " + HOSTILE  # imported exactly, shown escaped


def test_import_errors_quote_the_file_escaped(capsys, tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "export"
    (folder / "2026").mkdir(parents=True)
    (folder / "2026" / f"note{HOSTILE}.md").write_text("---\nuid: x\n---\nbody\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(folder))
    assert code == 1 and "note\\x1b]52" in err
    assert not db_path.exists()


def test_the_installed_command_sends_no_raw_control_byte(hostile: Entry) -> None:
    """The real command, as a terminal gets its bytes (no in-process capture in between)."""
    for argv in (["list"], ["list", "--json"], ["due"], ["due", "--json"], ["doctor"]):
        done = subprocess.run(
            [JOURNAL, *argv], capture_output=True, timeout=60, env=os.environ.copy()
        )
        for stream in (done.stdout, done.stderr):
            assert b"\x1b" not in stream and b"\x07" not in stream, argv
            assert b"\xc2\x9b" not in stream and b"\xe2\x80\xae" not in stream, argv
            assert b"\x7f" not in stream, argv


def test_doctor_names_a_hostile_entry_escaped(capsys, hostile: Entry, db_path: Path) -> None:
    data = orjson.loads(db_path.read_bytes())
    data["entries"]["1"]["uid"] = "bad" + HOSTILE
    data["entries"]["1"]["kind"] = "odd"
    data["entries"]["2"]["uid"] = "bad" + HOSTILE  # a duplicate uid, which doctor names
    db_path.write_bytes(orjson.dumps(data))
    code, out, _ = run(capsys, "doctor")
    assert code == 1 and "bad\\x1b]52" in out
