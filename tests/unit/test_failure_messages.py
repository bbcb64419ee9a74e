"""Issue 15, item 10: a failure nobody foresaw is one clear line and exit 1, never a
traceback, and the journal is left as it was (journal/cli/failures.py)."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from journal import cli
from journal.models import Entry
from journal.store import Store


@pytest.fixture
def kept(db_path: Path) -> bytes:
    """A journal with one entry; the bytes every failure below must leave as they are."""
    store = Store.open(db_path)
    store.add(Entry.new("already written"))
    store.close()
    return db_path.read_bytes()


def _one_line_exit_1(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert cli.main(argv) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.strip(), err
    assert err.startswith("journal: error: "), err
    return err


@pytest.mark.parametrize(
    ("code", "phrase"),
    [
        (errno.ENOSPC, "space on the disk"),
        (errno.EROFS, "read-only"),
        (errno.EACCES, "ermission"),
    ],
)
def test_a_failed_write_is_one_line_and_the_journal_is_unchanged(
    capsys, monkeypatch, db_path: Path, kept: bytes, code: int, phrase: str
) -> None:
    real_replace = os.replace

    def failing_replace(src, dst, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(dst) == db_path:
            raise OSError(code, os.strerror(code), str(dst))
        return real_replace(src, dst, *args, **kwargs)

    monkeypatch.setattr(os, "replace", failing_replace)
    err = _one_line_exit_1(capsys, ["add", "new words"])
    assert phrase in err, err
    assert db_path.read_bytes() == kept


def test_running_out_of_memory_is_one_line(capsys, monkeypatch, kept: bytes, db_path: Path) -> None:
    def no_memory(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise MemoryError

    monkeypatch.setattr(Store, "open", classmethod(lambda cls, *a, **k: no_memory()))
    err = _one_line_exit_1(capsys, ["list"])
    assert "not enough memory" in err
    assert db_path.read_bytes() == kept


def test_a_config_nested_too_deeply_is_one_line(capsys, tmp_path: Path, monkeypatch) -> None:
    from journal.config import load_settings

    config = tmp_path / "deep.toml"
    config.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    _, problem = load_settings(config)
    assert problem is not None and "nested too deeply" in problem.message
    monkeypatch.setenv("JOURNAL_CONFIG", str(config))
    cli.main(["prompt"])
    err = capsys.readouterr().err
    assert "nested too deeply" in err and "Traceback" not in err, err


def test_a_journal_nested_too_deeply_is_one_line_and_untouched(capsys, db_path: Path) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    deep = b'{"_default": {"1": ' + b"[" * 100_000 + b"]" * 100_000 + b"}}"
    db_path.write_bytes(deep)
    _one_line_exit_1(capsys, ["list"])
    assert db_path.read_bytes() == deep


def test_a_lone_surrogate_in_a_jrnl_title_is_one_line(
    capsys, tmp_path: Path, kept: bytes, db_path: Path
) -> None:
    source = tmp_path / "jrnl.json"
    entry = {
        "date": "2026-11-20",
        "time": "09:00",
        "title": "bad \\ud800 title",
        "body": "b",
        "tags": [],
    }
    source.write_text(
        '{"tags": {}, "entries": [' + json.dumps(entry).replace("\\\\ud800", "\\ud800") + "]}",
        encoding="utf-8",
    )
    assert "\\ud800" in source.read_text(encoding="utf-8")
    code = cli.main(["import", str(source), "--format", "jrnl"])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if code != 0:
        assert err.strip()
    # Nothing already written is lost either way.
    assert "already written" in [e.body for e in Store.open(db_path).entries()]
