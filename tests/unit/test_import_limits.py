"""Import sources that are hostile or unlucky: YAML that expands, files that are not files,
files too big for memory, and fields that would win when they should not (issue 15).

Every refusal is one clear message and leaves the journal exactly as it was.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from journal.models import Entry
from journal.store import Store
from journal.transfer.export import entry_file_text
from journal.transfer.importers import ImportFailed, parse_entry_file, run_import

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
