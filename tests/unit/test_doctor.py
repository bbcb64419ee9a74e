"""`journal doctor`: precise findings, the command that fixes each, repairs that keep a copy."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import filelock
import orjson

from journal import cli
from journal.models import Entry
from journal.store import SCHEMA_VERSION, Store
from journal.store.backups import list_backups
from journal.store.doctor import PROBLEM, examine, render, repair
from journal.store.drafts import Draft, DraftBox


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def doctor(capsys, *args: str) -> tuple[int, str]:
    code = cli.main(["doctor", *args])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out


def fill(store: Store, n: int = 2) -> list[Entry]:
    return [store.add(Entry.new(f"entry {i}")) for i in range(n)]


def titles(report) -> str:
    return "\n".join(f.title for f in report.problems)


def test_no_journal_yet_is_healthy(capsys) -> None:
    code, out = doctor(capsys)
    assert code == 0
    assert "No journal at" in out and "Healthy." in out


def test_a_healthy_journal(capsys, store: Store) -> None:
    fill(store)
    code, out = doctor(capsys)
    assert code == 0, out
    assert "2 entries, every one valid" in out
    assert "Schema version 1" in out
    assert "No backups yet" in out and "journal backup" in out


def test_starred_answered_and_skipped_prompts_leave_a_healthy_journal(
    capsys, store: Store, library
) -> None:
    """Starring adds a settings record beside the schema record: it is no schema (issue 15)."""
    fill(store)
    ids = [p.id for pack in library.packs.values() for p in pack.prompts][:3]
    store.set_prompt_starred(ids[0], True)
    store.set_prompt_starred(ids[1], True)
    store.set_prompt_starred(ids[1], False)
    store.log_prompt("2026-11-22", ids[0], "any", "answered")
    store.log_prompt("2026-11-22", ids[2], "any", "skipped")
    store.log_prompt("2026-11-23", ids[1], "any", "shown")
    code, out = doctor(capsys)
    assert code == 0, out
    assert "Schema version 1" in out
    assert "not a number" not in out
    assert "restore" not in out


def test_duplicate_uids_are_repaired_without_loss(capsys, store: Store, db_path: Path) -> None:
    a, _ = fill(store)
    data = orjson.loads(db_path.read_bytes())
    data["entries"]["7"] = dict(data["entries"]["1"])  # an exact copy
    data["entries"]["8"] = {**data["entries"]["1"], "body": "a different text, same uid"}
    db_path.write_bytes(orjson.dumps(data))
    original = db_path.read_bytes()
    code, out = doctor(capsys)
    assert code == 1
    assert f"uid {a.uid}: documents #1, #7, #8" in out
    assert "fix: journal doctor --repair" in out
    assert db_path.read_bytes() == original

    code, out = doctor(capsys, "--repair")
    assert code == 0, out
    assert "removed document #7, an exact copy" in out
    assert "gave document #8" in out
    bodies = sorted(e.body for e in Store.open(db_path).entries())
    assert bodies == ["a different text, same uid", "entry 0", "entry 1"]
    [copy] = [b for b in list_backups(db_path) if b.tag == "before-repair"]
    assert copy.path.read_bytes() == original
    assert mode(copy.path) == 0o600


def test_leftover_temp_files(capsys, store: Store, db_path: Path) -> None:
    fill(store)
    leftover = db_path.parent / ".journal.json.x1y2z3.tmp"
    leftover.write_bytes(b"x" * 2048)
    code, out = doctor(capsys)
    assert code == 1 and "1 leftover temp file(s), 2.0 KB" in out
    assert leftover.exists(), "examining never removes anything"
    code, out = doctor(capsys, "--repair")
    assert code == 0 and "removed 1 leftover temp file(s)" in out
    assert not leftover.exists()


def test_loose_permissions_are_named_and_repaired(capsys, store: Store, db_path: Path) -> None:
    fill(store)
    cli.main(["backup"])
    os.chmod(db_path, 0o644)
    backup_folder = db_path.parent / "journal.json.backups"
    os.chmod(backup_folder, 0o755)
    os.chmod(db_path.parent, 0o755)
    capsys.readouterr()
    code, out = doctor(capsys)
    assert code == 1
    assert f"chmod 600 {db_path}" in out
    assert f"chmod 700 {backup_folder}" in out
    assert f"chmod 700 {db_path.parent}" in out  # the folder holds only journal's files
    code, out = doctor(capsys, "--repair")
    assert code == 0, out
    assert mode(db_path) == 0o600
    assert mode(backup_folder) == 0o700
    assert mode(db_path.parent) == 0o700


def test_a_shared_folder_is_a_note_and_never_chmodded(capsys, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    (shared / "someone-elses-file.txt").write_text("hi")
    db = shared / "journal.json"
    fill(Store.open(db))
    code, out = doctor(capsys, "--db", str(db), "--repair")
    assert code == 0, out
    assert "shared folder" in out
    assert mode(shared) == 0o755


def test_newer_schema(capsys, store: Store, db_path: Path) -> None:
    fill(store)
    data = orjson.loads(db_path.read_bytes())
    data["meta"]["1"]["schema"] = SCHEMA_VERSION + 1
    db_path.write_bytes(orjson.dumps(data))
    code, out = doctor(capsys)
    assert code == 1 and "A newer journal wrote this file" in out
    assert "pip install -U journal" in out


def test_a_lock_held_for_seconds_is_reported(store: Store, db_path: Path) -> None:
    fill(store)
    holder = filelock.FileLock(str(store.lock_path), timeout=0)
    holder.acquire()
    try:
        report = examine(db_path)
    finally:
        holder.release()
    assert "held the lock for more than 3 seconds" in titles(report)
    assert "fuser" in render(report)


def test_a_free_lock_file_is_fine(store: Store, db_path: Path) -> None:
    fill(store)
    assert store.lock_path.exists()
    assert examine(db_path).healthy


def test_symlinked_journal_is_examined_through_the_link(capsys, tmp_path: Path) -> None:
    real = tmp_path / "sync" / "journal.json"
    real.parent.mkdir(mode=0o700)
    link = tmp_path / "data" / "journal.json"
    link.parent.mkdir(mode=0o700)
    link.symlink_to(real)
    fill(Store.open(link))
    code, out = doctor(capsys)
    assert code == 0, out
    assert f"is a symlink to {real}" in " ".join(out.split())


def test_waiting_drafts_are_mentioned_and_left_alone(capsys, store: Store, db_path: Path) -> None:
    fill(store)
    box = DraftBox(db_path, session="crashed")
    box.save(Draft("", "", "the words I was writing"))
    box.close()
    code, out = doctor(capsys)
    assert code == 0
    assert "Unsaved text from" in out and "the words I was writing" in out
    assert box.path.exists()


def test_commands_name_the_db_when_it_is_not_the_default(capsys, tmp_path: Path) -> None:
    db = tmp_path / "elsewhere" / "my journal.json"
    store = Store.open(db)
    fill(store)
    cli.main(["--db", str(db), "backup"])
    db.write_bytes(db.read_bytes()[:40])
    capsys.readouterr()
    code, out = doctor(capsys, "--db", str(db))
    assert code == 1
    assert f"fix: journal --db '{db}' restore journal-" in out
    assert code == 1


def test_repair_with_nothing_repairable_changes_nothing(
    capsys, store: Store, db_path: Path
) -> None:
    fill(store)
    db_path.write_bytes(db_path.read_bytes()[:-3])
    before = db_path.read_bytes()
    assert repair(db_path) == []
    code, out = doctor(capsys, "--repair")
    assert code == 1 and "Repairing" not in out
    assert db_path.read_bytes() == before


def test_every_problem_has_a_fix(store: Store, db_path: Path) -> None:
    fill(store)
    data = orjson.loads(db_path.read_bytes())
    data["entries"]["1"]["starred"] = "yes"
    data["entries"]["9"] = dict(data["entries"]["2"])
    db_path.write_bytes(b"\xef\xbb\xbf" + orjson.dumps(data, option=orjson.OPT_INDENT_2))
    os.chmod(db_path, 0o640)
    (db_path.parent / ".journal.json.abc.tmp").write_bytes(b"{")
    report = examine(db_path)
    assert not report.healthy
    # BOM, duplicate uid, invalid entry, temp file, permissions
    assert len(report.problems) == 5, titles(report)
    for finding in report.findings:
        if finding.severity == PROBLEM:
            assert finding.fix, finding.title
