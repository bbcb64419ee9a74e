"""A newcomer in a real terminal (tmux): the first keystrokes, tab, a small terminal (issue 18)."""

from __future__ import annotations

import shutil

import pytest

from tests.tmux import Tmux, journal_command, run_cli

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def test_typing_at_once_on_the_first_start_is_kept_and_saved(env: dict[str, str]) -> None:
    tmux = Tmux(env, width=80, height=24)
    try:
        tmux.start(journal_command())
        tmux.wait_for("Welcome to journal")
        # As the README says: type, press ctrl+s, and you are done.
        tmux.send("First words", literal=True)
        screen = tmux.wait_without("Welcome to journal")
        tmux.wait_for("First words")
        tmux.save_and_quit()
    finally:
        tmux.kill()
    listed = run_cli(env, "list")
    assert listed.returncode == 0, listed.stderr
    assert "First words" in listed.stdout
    assert "Welcome to journal" not in screen


def test_today_at_60x20_shows_the_editor_the_due_panel_and_the_list(env: dict[str, str]) -> None:
    added = run_cli(env, "add", "Written from the shell")
    assert added.returncode == 0, added.stderr
    tmux = Tmux(env, width=60, height=20)
    try:
        tmux.start(journal_command())
        tmux.wait_for("Written from the")
        screen = tmux.wait_for("Today · 1 ──────────────────")
        assert "New entry" in screen and "Today · 1" in screen
        # Keys reach the editor (a key and its undoing), so the next ones are not early.
        tmux.send("x", literal=True)
        tmux.wait_for("unsaved")
        tmux.send("BSpace")
        tmux.wait_without("unsaved")
        tmux.send("Tab")  # from the editor to Today's list, not a tab character
        tmux.send("Enter")
        screen = tmux.wait_for("Editing")
        tmux.send("C-q")
        tmux.wait_gone()
    finally:
        tmux.kill()
