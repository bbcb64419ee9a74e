"""The journal file read early, in a thread (journal/prefetch.py), and what the store takes."""

from __future__ import annotations

import builtins
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from journal import prefetch
from journal.cli import main
from journal.models import Entry
from journal.store import Store
from journal.store.jsonfile import atomic_write_bytes
from tests.tmux import run_cli


@pytest.fixture(autouse=True)
def no_reads_left() -> Iterator[None]:
    yield
    prefetch.forget()
    assert not prefetch.waiting()


def _journal(path: Path, *bodies: str) -> None:
    store = Store.open(path)
    for body in bodies:
        store.add(Entry.new(body=body))
    store.close()


def _bodies(path: Path) -> list[str]:
    store = Store.open(path)
    try:
        return sorted(e.body for e in store.iter_entries())
    finally:
        store.close()


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["list"], "default"),
        (["list", "-n", "10"], "default"),
        (["--db", "/x/j.json", "export", "-o", "out.md"], "/x/j.json"),
        (["--db=/x/j.json", "add", "hello"], "/x/j.json"),
        (["add", "--db", "/x/j.json", "text"], "/x/j.json"),
        (["add", "--", "--db"], "default"),
        (["--db", "/x/j.json"], "/x/j.json"),  # the app reads it while Textual loads
        (["today"], "default"),
        (["checkin"], "default"),
        ([], "default"),
        (["prompt"], None),
        (["backup"], None),
        (["--demo", "list"], None),
        (["list", "--help"], None),
        (["--version"], None),
    ],
)
def test_the_journal_a_command_line_names_is_guessed_before_argparse(
    args: list[str], named: str | None, db_path: Path
) -> None:
    expected = str(db_path) if named == "default" else named
    assert prefetch.journal_named_by(args) == expected


def test_the_store_takes_the_early_read_of_an_unchanged_file(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _journal(db_path, "first", "second")
    prefetch.start(db_path)
    assert prefetch.waiting()
    opened: list[str] = []
    real_open = open

    def watch(file: object, *args: object, **kwargs: object) -> object:
        opened.append(os.fspath(file))  # type: ignore[arg-type]
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", watch)
    store = Store.open(db_path)
    bodies = sorted(e.body for e in store.iter_entries())
    monkeypatch.undo()
    assert bodies == ["first", "second"]
    assert str(db_path) not in opened  # the journal itself was not read again
    assert not prefetch.waiting()
    assert threading.active_count() == 1  # the reading thread is done: a fork is safe
    store.add(Entry.new(body="third"))  # a write after an early read keeps everything
    store.close()
    assert _bodies(db_path) == ["first", "second", "third"]


def test_a_file_replaced_after_the_early_read_is_read_again(db_path: Path) -> None:
    _journal(db_path, "old")
    prefetch.start(db_path)
    prefetch._pending[-1].result()  # the read of "old" is finished
    other = db_path.with_name("other.json")
    _journal(other, "new one", "new two")
    atomic_write_bytes(db_path, other.read_bytes())  # another process replaced the file
    assert _bodies(db_path) == ["new one", "new two"]


def test_an_early_read_of_another_file_is_not_used(db_path: Path, tmp_path: Path) -> None:
    _journal(db_path, "mine")
    elsewhere = tmp_path / "elsewhere.json"
    _journal(elsewhere, "not mine")
    prefetch.start(elsewhere)
    assert _bodies(db_path) == ["mine"]
    assert not prefetch.waiting()


def test_an_early_read_of_a_missing_file_changes_nothing(db_path: Path) -> None:
    prefetch.start(db_path)
    assert _bodies(db_path) == []
    _journal(db_path, "created later")
    assert _bodies(db_path) == ["created later"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_named_pipe_is_not_read_ahead(tmp_path: Path) -> None:
    """Opening a pipe would wait for a writer: the early read leaves anything but a file."""
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    prefetch.start(pipe)
    reader = prefetch._pending[-1]
    reader._thread.join(timeout=10)
    assert not reader._thread.is_alive()
    assert reader.result() is None


def test_a_path_is_read_once_however_it_is_spelled(db_path: Path) -> None:
    _journal(db_path, "one")
    prefetch.start(db_path)
    prefetch.start(str(db_path.parent / "." / db_path.name))
    assert len(prefetch._pending) == 1


def test_a_broken_file_read_early_is_still_refused_and_left_alone(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b'{"entries": {"1": {"uid": ')
    assert main(["list"]) == 1
    err = capsys.readouterr().err
    assert "journal: error:" in err and str(db_path) in err
    assert db_path.read_bytes() == b'{"entries": {"1": {"uid": '
    assert not prefetch.waiting()


def test_commands_that_read_early_work_end_to_end(db_path: Path) -> None:
    """The installed command: the console script starts the read (launch.py)."""
    env = {"JOURNAL_DB": str(db_path)}
    assert run_cli(env, "add", "written from the shell").returncode == 0
    shown = run_cli(env, "list", "-n", "1")
    assert shown.returncode == 0 and "written from the shell" in shown.stdout
    other = db_path.with_name("second.json")
    assert run_cli(env, "--db", str(other), "add", "in the other one").returncode == 0
    assert "in the other one" not in run_cli(env, "list").stdout
    assert "in the other one" in run_cli(env, "list", "--db", str(other)).stdout


def test_the_collector_comes_back_once_the_journal_is_open(db_path: Path) -> None:
    """launch.py turns the garbage collector off for start-up; opening the store turns it
    back on, with what start-up made frozen. Where it was on, nothing changes."""
    import gc

    from journal.cli import collect_garbage_again

    _journal(db_path, "one")
    frozen = gc.get_freeze_count()
    collect_garbage_again()
    assert gc.isenabled() and gc.get_freeze_count() == frozen  # it was on: left alone
    gc.disable()
    try:
        assert main(["list"]) == 0
        assert gc.isenabled()
        assert gc.get_freeze_count() > frozen
    finally:
        gc.unfreeze()
        gc.enable()


def test_the_installed_command_turns_the_collector_back_on(db_path: Path) -> None:
    env = {"JOURNAL_DB": str(db_path)}
    probe = (
        "import gc, sys; import journal.cli as cli; real = cli._dispatch\n"
        "def dispatch(args):\n"
        "    code = real(args); print('gc', gc.isenabled(), file=sys.stderr); return code\n"
        "cli._dispatch = dispatch\n"
        "sys.argv = ['journal', 'add', 'hello']\n"
        "from journal.launch import run; run()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "gc True" in done.stderr
