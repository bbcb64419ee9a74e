"""The jrnl user's habits in a real terminal: the app hands the entry to $EDITOR and takes it
back; a named journal and "on this day" show in the top bar."""

from __future__ import annotations

import json
import shutil
import stat
from pathlib import Path

import pytest

from tests.tmux import Tmux, journal_command, run_cli, start_first_time

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


@pytest.fixture
def tmux(env: dict[str, str]):
    session = Tmux(env)
    yield session
    session.kill()


def _script(folder: Path, body: str) -> str:
    path = folder / "editor.sh"
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


def test_open_in_my_editor_from_the_app(tmp_path: Path, env: dict[str, str]) -> None:
    env = {**env, "EDITOR": _script(tmp_path, "echo 'a line from my editor' >> \"$1\"")}
    tmux = Tmux(env)
    try:
        start_first_time(tmux)
        tmux.send("typed in the app", literal=True)
        tmux.wait_for("unsaved")
        tmux.send("C-o")
        screen = tmux.wait_for("a line from my editor")
        assert "typed in the app" in screen
        tmux.wait_for("ctrl+s saves it")
        tmux.save_and_quit()
    finally:
        tmux.kill()
    listed = json.loads(run_cli(env, "list", "--json").stdout)
    assert [e["body"] for e in listed] == ["typed in the app\na line from my editor"]


def test_an_edit_with_broken_front_matter_is_kept_not_lost(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """The editor breaks the front matter: the app says so, the writer keeps its text, and the
    edit itself is kept beside the journal with the command that opens it again."""
    body = "sed -i 's/^day:.*/when: later/' \"$1\"; echo 'words from my editor' >> \"$1\""
    env = {**env, "EDITOR": _script(tmp_path, body)}
    tmux = Tmux(env)
    try:
        start_first_time(tmux)
        tmux.send("typed in the app", literal=True)
        tmux.wait_for("unsaved")
        tmux.send("C-o")
        screen = tmux.wait_for("not brought back")
        assert "typed in the app" in screen
        tmux.wait_for("--from")
        tmux.save_and_quit()
    finally:
        tmux.kill()
    kept_folder = Path(env["JOURNAL_DB"]).parent / "unapplied-edits"
    (kept,) = kept_folder.iterdir()
    assert "words from my editor" in kept.read_text(encoding="utf-8")
    listed = json.loads(run_cli(env, "list", "--json").stdout)
    assert [e["body"] for e in listed] == ["typed in the app"]


def test_a_named_journal_and_on_this_day_show_on_today(tmp_path: Path, env: dict[str, str]) -> None:
    work = tmp_path / "work" / "work.json"
    config = Path(env["JOURNAL_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[journals]\nwork = "{work}"\n', encoding="utf-8")
    today = run_cli(env, "prompt", "--json")
    day = json.loads(today.stdout)["day"]
    back = 4 if day[5:] == "02-29" else 1
    last_year = f"{int(day[:4]) - back}{day[4:]}"
    added = run_cli(env, "-j", "work", "add", "A year ago, at work", "--date", last_year)
    assert added.returncode == 0, added.stderr
    tmux = Tmux(env)
    try:
        tmux.start(f"{journal_command()} -j work")
        screen = tmux.wait_for("On this day: 1")
        assert "journal · work" in screen
        tmux.send("F9")
        tmux.wait_for("A year ago, at work")
        tmux.send("Escape")
        tmux.wait_without("esc close")
        tmux.send("C-q")
        tmux.wait_gone()
    finally:
        tmux.kill()


def test_the_app_tells_about_a_sync_conflict_copy(tmp_path: Path, env: dict[str, str]) -> None:
    assert run_cli(env, "add", "written here").returncode == 0
    db = Path(env["JOURNAL_DB"])
    copy = db.parent / "journal.sync-conflict-20261202-101010-ABCDEFG.json"
    shutil.copy(db, copy)
    tmux = Tmux(env)
    try:
        tmux.start(journal_command())
        screen = tmux.wait_for("Sync conflict copy")
        assert "journal merge" in screen.replace("\n", " ") or "merge" in screen
        tmux.send("C-q")
        tmux.wait_gone()
    finally:
        tmux.kill()
    merged = run_cli(env, "merge", str(copy))
    assert merged.returncode == 0, merged.stderr
    assert "Merged: 0 added" in merged.stdout
