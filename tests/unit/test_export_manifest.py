"""``export --per-entry --force`` touches only files it wrote that are still as it wrote them
(issue 15, item 3): the manifest records each file's size and hash, names its folder, and
never sends a write through a symbolic link; a run cut short leaves a manifest of what it
did write."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from journal.cli import main
from journal.models import Entry
from journal.store import Store
from journal.transfer import manifest
from journal.transfer.export import MANIFEST_NAME, ExportError, export_per_entry
from journal.transfer.importers import read_source

TZ = timezone(timedelta(hours=1))


def make(body: str, title: str, hour: int = 9) -> Entry:
    return Entry.new(
        body, title=title, day="2026-11-22", moment=datetime(2026, 11, 22, hour, tzinfo=TZ)
    )


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def records(folder: Path) -> list[dict]:
    lines = (folder / MANIFEST_NAME).read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines[1:]]


@pytest.fixture
def exported(store: Store, tmp_path: Path) -> Path:
    store.add_many([make("one", "First"), make("two", "Second", 10), make("three", "Third", 11)])
    out = tmp_path / "out"
    export_per_entry(store, out)
    return out


def test_the_manifest_records_size_and_hash_of_each_file(exported: Path) -> None:
    found = records(exported)
    assert len(found) == 3
    for item in found:
        data = (exported / item["path"]).read_bytes()
        assert item["size"] == len(data)
        assert manifest.FileRecord.of(item["path"], data).sha256 == item["sha256"]


def test_a_symlinked_folder_is_never_followed(store: Store, exported: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    shutil.copytree(exported / "2026", outside)
    before = files(outside)
    shutil.rmtree(exported / "2026")
    (exported / "2026").symlink_to(outside, target_is_directory=True)
    store.add(make("four", "Fourth", 12))
    result = export_per_entry(store, exported, force=True)
    assert files(outside) == before  # nothing written, overwritten or deleted out there
    assert result.not_written == 4 and result.entries == 0
    assert any("symbolic link" in note and "not followed" in note for note in result.notes)


def test_a_copied_or_planted_manifest_vouches_for_nothing(
    store: Store, exported: Path, tmp_path: Path
) -> None:
    # The user's own notes, with a manifest copied in from the export (it lists them all,
    # hashes and all, since they are copies of it): none of them may go.
    notes = tmp_path / "notes"
    shutil.copytree(exported, notes)
    (notes / "2026" / "mine.md").write_text("my own words\n", "utf-8")
    before = files(notes)
    for entry in list(store.iter_entries()):
        store.delete(entry.uid)
    store.add(make("new", "New one", 13))
    result = export_per_entry(store, notes, force=True)
    after = files(notes)
    for name, data in before.items():
        if name != MANIFEST_NAME:
            assert after[name] == data, name
    assert result.removed == 0
    assert any("another folder" in note for note in result.notes)


def test_same_named_user_files_are_kept(store: Store, tmp_path: Path) -> None:
    entry = store.add(make("exported words", "Clash"))
    out = tmp_path / "out"
    (out / "2026").mkdir(parents=True)
    mine = out / "2026" / "2026-11-22-0900-clash.md"
    mine.write_text("my note, same name\n", "utf-8")
    result = export_per_entry(store, out, force=True)
    assert mine.read_text("utf-8") == "my note, same name\n"
    written = out / "2026" / "2026-11-22-0900-clash-2.md"
    assert "exported words" in written.read_text("utf-8")
    assert result.entries == 1 and any("not a file this export wrote" in n for n in result.notes)
    assert [r["path"] for r in records(out)] == ["2026/2026-11-22-0900-clash-2.md"]
    assert entry.uid in written.read_text("utf-8")


def test_edited_exported_files_are_never_thrown_away(store: Store, exported: Path) -> None:
    first, second, third = sorted((exported / "2026").glob("*.md"))
    first.write_text(first.read_text("utf-8") + "An edit made in Obsidian.\n", "utf-8")
    # The second one's entry is renamed, so its old file is stale; it was edited too.
    second.write_text(second.read_text("utf-8") + "Edited as well.\n", "utf-8")
    entries = {e.title: e for e in store.iter_entries()}
    store.update(entries["Second"].edited(title="Second, renamed"), expected=entries["Second"])
    third_before = third.read_bytes()
    result = export_per_entry(store, exported, force=True)
    assert "An edit made in Obsidian." in first.read_text("utf-8")
    assert "Edited as well." in second.read_text("utf-8")
    assert third.read_bytes() == third_before  # ours, unchanged: overwritten with the same
    # Neither edited entry is written again beside its edited copy.
    assert result.removed == 0 and result.not_written == 2
    assert sum("changed since the last export" in n for n in result.notes) == 2
    assert not (exported / "2026" / "2026-11-22-1000-second-renamed.md").exists()
    # The folder still imports: the edits come in, and no entry is there twice.
    back = {i.entry.title: i.entry for i in read_source(exported).entries}
    assert "An edit made in Obsidian." in back["First"].body


def test_a_forced_re_export_still_replaces_and_removes_its_own_files(
    store: Store, exported: Path
) -> None:
    entries = {e.title: e for e in store.iter_entries()}
    store.update(
        entries["First"].edited(title="First, renamed", body="new words"), expected=entries["First"]
    )
    store.delete(entries["Third"].uid)
    result = export_per_entry(store, exported, force=True)
    assert result.removed == 2 and result.notes == () and result.not_written == 0
    names = sorted(p.name for p in (exported / "2026").glob("*.md"))
    assert names == ["2026-11-22-0900-first-renamed.md", "2026-11-22-1000-second.md"]


def test_a_first_format_manifest_is_not_trusted(store: Store, exported: Path) -> None:
    listed = [r["path"] for r in records(exported)]
    (exported / MANIFEST_NAME).write_text(json.dumps({"files": listed}), "utf-8")
    store.delete(next(iter(store.iter_entries())).uid)
    before = files(exported)
    result = export_per_entry(store, exported, force=True)
    assert result.removed == 0
    assert all(files(exported)[name] == data for name, data in before.items() if name in listed)
    assert any("older version" in note for note in result.notes)


def test_the_command_line_reports_what_it_kept(capsys, store: Store, exported: Path) -> None:
    first = sorted((exported / "2026").glob("*.md"))[0]
    first.write_text(first.read_text("utf-8") + "edit\x1b[2J\n", "utf-8")
    (exported / "2026" / "zzz\x1b]0;title\x07.md").write_text("mine", "utf-8")
    code = main(["export", "--per-entry", str(exported), "--force"])
    err = capsys.readouterr().err
    assert code == 1
    assert "2 entries" in err and "1 not written" in err
    assert "changed since the last export" in err
    assert "\x1b" not in err


# ---- a full disk --------------------------------------------------------------------------


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    if os.geteuid() != 0:
        pytest.skip("needs root to mount a small tmpfs (CI runs as root)")
    where = tmp_path / "small"
    where.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(where)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace')}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def test_a_cut_short_export_leaves_a_manifest_of_what_it_wrote(
    store: Store, small_disk: Path
) -> None:
    store.add_many([make("x" * 3000 + f" {i}", f"Entry {i}", hour=i % 24) for i in range(60)])
    out = small_disk / "out"
    with pytest.raises(ExportError) as caught:
        export_per_entry(store, out)
    assert "stopped after" in caught.value.message
    on_disk = {
        p.relative_to(out).as_posix() for p in out.rglob("*.md") if not p.name.startswith(".")
    }
    listed = records(out)
    assert on_disk and {r["path"] for r in listed} == on_disk
    for item in listed:
        assert manifest.still_matches(out, manifest.FileRecord(**item))
    # With room again, a forced export finishes over its own files and keeps nothing aside.
    for path in sorted(on_disk)[: len(on_disk) // 2]:
        (out / path).unlink()
    store_small = [e for e in store.iter_entries()][:5]
    for entry in list(store.iter_entries()):
        if entry not in store_small:
            store.delete(entry.uid)
    result = export_per_entry(store, out, force=True)
    assert result.not_written == 0 and result.entries == 5
    assert {r["path"] for r in records(out)} == {
        p.relative_to(out).as_posix() for p in out.rglob("*.md")
    }
