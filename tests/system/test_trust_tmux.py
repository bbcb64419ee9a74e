"""End to end in a real terminal: a killed terminal gives the text back; shell and app share."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from journal.paths import drafts_dir
from tests.tmux import Tmux, process_exited, restore_and_save, run_cli, start_first_time

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def wait_for_draft(db: Path, limit: float = 60.0) -> None:
    """Until the autosave has written a draft beside ``db`` (however slow the machine is)."""
    folder = drafts_dir(db)
    deadline = time.monotonic() + limit
    while not (folder.is_dir() and any(folder.glob("draft-*.json"))):
        assert time.monotonic() < deadline, "the autosave never wrote a draft"
        time.sleep(0.05)


@pytest.mark.parametrize("autosaved", [True, False], ids=["after-the-autosave", "at-once-sighup"])
def test_killed_terminal_then_restart_offers_the_text_back(
    autosaved: bool, env: dict[str, str]
) -> None:
    """Kill the terminal once the autosave has written the draft, or at once (the hang-up
    signal makes the app write the draft before it goes)."""
    first = Tmux(env)
    try:
        start_first_time(first)
        first.send("I said back what I heard, and it helped.", literal=True)
        first.wait_for("it helped.")
        app = first.command_pid()
        if autosaved:
            wait_for_draft(Path(env["JOURNAL_DB"]))
    finally:
        first.kill()  # the whole terminal goes away: no save, no quit
    # ... and so does the app: no process left running with no terminal.
    assert process_exited(app), "the app kept running after its terminal closed"
    assert "I said back what I heard" not in run_cli(env, "list").stdout

    offer, _ = restore_and_save(env)
    assert "I said back what I heard" in offer
    listed = run_cli(env, "list")
    assert listed.returncode == 0, listed.stderr
    assert "I said back what I heard, and it helped." in listed.stdout
    drafts = Path(env["JOURNAL_DB"]).parent / ".journal.json.drafts"
    assert list(drafts.glob("draft-*.json")) == []


def test_entry_added_from_a_shell_shows_in_the_open_app_and_survives_its_save(
    env: dict[str, str],
) -> None:
    tmux = Tmux(env)
    try:
        start_first_time(tmux)
        tmux.send("Written in the app.", literal=True)
        added = run_cli(env, "add", "Added from another shell")
        assert added.returncode == 0, added.stderr
        tmux.wait_for("Added from another")  # Today looks every 2 s
        tmux.save_and_quit()
    finally:
        tmux.kill()
    listed = run_cli(env, "list").stdout
    assert "Added from another shell" in listed
    assert "Written in the app." in listed
