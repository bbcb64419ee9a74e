"""End to end: the installed ``journal`` command in a real terminal (tmux), as a person uses it."""

from __future__ import annotations

import shutil

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


def test_type_save_quit_then_list(tmux: Tmux, env: dict[str, str]) -> None:
    start_first_time(tmux)
    tmux.send("I asked what success looks like for them.", literal=True)
    tmux.wait_for("unsaved")
    tmux.save_and_quit()
    listed = run_cli(env, "list")
    assert listed.returncode == 0, listed.stderr
    assert "I asked what success looks like for them." in listed.stdout


def test_quit_guard_in_a_real_terminal(tmux: Tmux, env: dict[str, str]) -> None:
    start_first_time(tmux)
    tmux.send("half a thought", literal=True)
    tmux.wait_for("unsaved")
    tmux.send("C-q")
    screen = tmux.wait_for("Unsaved text")
    assert "Keep writing" in screen
    tmux.send("Escape")
    screen = tmux.wait_without("Keep writing")
    assert "half a thought" in screen
    assert tmux.alive()
    tmux.save_and_quit()
    assert "half a thought" in run_cli(env, "list").stdout


def test_cli_add_shows_up_in_the_app(tmux: Tmux, env: dict[str, str]) -> None:
    added = run_cli(env, "add", "Written from the shell", "--tag", "t")
    assert added.returncode == 0, added.stderr
    tmux.start(journal_command())
    screen = tmux.wait_for("Written from the")
    assert "Today" in screen
    tmux.send("C-q")
    tmux.wait_gone()


def test_find_an_entry_by_typing_in_history_search(tmux: Tmux, env: dict[str, str]) -> None:
    for text in ("Grocery list for the weekend", "The escalation with Dana went better"):
        assert run_cli(env, "add", text).returncode == 0
    tmux.start(journal_command())
    tmux.wait_for("New entry")
    tmux.send("F3")
    # "2 entries" appears once History has loaded and its search box has the focus; keys
    # sent earlier could still reach Today's editor, as they would for a very quick person.
    tmux.wait_for("2 entries")
    tmux.send("escalation", literal=True)
    tmux.wait_for("1 entry")
    # The count and the preview are drawn a moment before the table repaints: wait for the
    # other row to go (the preview shows the matching entry's text too).
    screen = tmux.wait_without("Grocery")
    assert "The escalation with Dana" in screen
    tmux.send("Escape")
    tmux.wait_for("New entry")
    tmux.send("C-q")
    tmux.wait_gone()
