"""End to end: ``journal checkin`` in a real terminal (tmux), stepped through by keys, then the CLI.

Each key waits for the screen to show its effect before the next one, the way a person
watches the screen. Keys whose effect shows only in colour (a radio choice, tab to the next
field) get a short pause instead: Textual resolves such keys after they reach the widget,
so a script firing keys within milliseconds can outrun a focus change; a person does not.
"""

from __future__ import annotations

import json
import shutil
import time

import pytest

from tests.tmux import Tmux, journal_command, run_cli

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


@pytest.fixture
def tmux(env: dict[str, str]):
    session = Tmux(env, width=80, height=24)
    yield session
    session.kill()


def next_step(tmux: Tmux, number: int) -> None:
    """alt+→, then wait until step ``number`` is on screen."""
    tmux.send("M-Right")
    tmux.wait_for(f"Step {number} of 10")


def press(tmux: Tmux, *keys: str) -> None:
    """Keys with no textual effect on screen, at a person's pace."""
    for key in keys:
        tmux.send(key)
        time.sleep(0.3)


def type_and_see(tmux: Tmux, text: str) -> None:
    tmux.send(text, literal=True)
    tmux.wait_for(text[-12:])


def test_checkin_in_a_real_terminal(tmux: Tmux, env: dict[str, str]) -> None:
    tmux.start(f"{journal_command()} checkin")
    tmux.wait_for("Step 1 of 10", timeout=40)
    tmux.send("7")
    tmux.wait_for("7 of 10 · strong")
    next_step(tmux, 2)
    type_and_see(tmux, "Sam raised his voice about the delivery.")
    next_step(tmux, 3)
    press(tmux, "Down", "Down", "Enter", "Tab")
    type_and_see(tmux, "Hot face.")
    next_step(tmux, 4)
    type_and_see(tmux, "They promised a date.")
    press(tmux, "Tab")
    type_and_see(tmux, "A firm new date.")
    next_step(tmux, 5)
    type_and_see(tmux, "That stung.")
    next_step(tmux, 6)
    next_step(tmux, 7)
    type_and_see(tmux, "Call Sam back")
    press(tmux, "Tab")
    tmux.send("nonsense", literal=True)
    tmux.wait_for("is not a date")
    tmux.send("M-Right")  # refused: still on step 7
    tmux.wait_for("Not yet")
    assert "Step 7 of 10" in tmux.screen()
    press(tmux, "C-u")
    tmux.send("tomorrow", literal=True)
    tmux.wait_for("(tomorrow)")
    next_step(tmux, 8)
    next_step(tmux, 9)
    next_step(tmux, 10)
    tmux.send("3")
    tmux.wait_for("Down 4.")
    tmux.send("C-s")
    tmux.wait_for("Check-in saved")
    screen = tmux.wait_for("Due · 1")
    assert "Call Sam back" in screen
    tmux.send("C-q")
    tmux.wait_gone()

    listed = run_cli(env, "list", "--kind", "checkin", "--json")
    assert listed.returncode == 0, listed.stderr
    (entry,) = json.loads(listed.stdout)
    answers = entry["checkin"]
    assert answers["intensity_before"] == 7
    assert answers["intensity_after"] == 3
    assert answers["what_happened"] == "Sam raised his voice about the delivery."
    assert answers["reaction"] == "responded"
    assert answers["noticed"] == "Hot face."
    assert answers["their_success"] == "A firm new date."
    assert answers["compassion"]["hard_moment_ack"] == "That stung."
    assert entry["follow_up"]["action"] == "Call Sam back"

    plain = run_cli(env, "list", "--kind", "checkin")
    assert "Check-in: Sam raised his voice" in plain.stdout
    due = run_cli(env, "due", "--date", "tomorrow")
    assert due.stdout.startswith("today")
    done = run_cli(env, "done", entry["uid"][:8])
    assert done.returncode == 0, done.stderr
    assert run_cli(env, "due", "--date", "tomorrow").stdout == ""


def test_escape_keeps_a_draft_offered_back_next_time(tmux: Tmux, env: dict[str, str]) -> None:
    tmux.start(f"{journal_command()} checkin")
    tmux.wait_for("Step 1 of 10", timeout=40)
    next_step(tmux, 2)
    type_and_see(tmux, "Half of what happened")
    tmux.send("Escape")
    tmux.wait_for("Kept as a draft")
    tmux.send("F2")
    tmux.wait_for("Unfinished check-in")
    press(tmux, "Enter")  # the dialog's Resume button takes the focus just after drawing
    screen = tmux.wait_for("Step 2 of 10", timeout=30)
    assert "Half of what happened" in screen
    tmux.send("C-q")
    tmux.wait_gone()
    assert run_cli(env, "list", "--kind", "checkin").stdout == ""
