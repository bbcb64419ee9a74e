"""End to end: ``journal checkin`` in a real terminal (tmux), typed key by key, then the CLI.

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

from journal.checkin import KIND_PHRASE_SETS, body_matches
from journal.models import Entry
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


def next_step(tmux: Tmux, seen: str) -> None:
    """alt+→, then wait until ``seen`` is on screen."""
    tmux.send("M-Right")
    tmux.wait_for(seen)


def press(tmux: Tmux, *keys: str) -> None:
    """Keys with no textual effect on screen, at a person's pace."""
    for key in keys:
        tmux.send(key)
        time.sleep(0.3)


def type_and_see(tmux: Tmux, text: str) -> None:
    tmux.send(text, literal=True)
    tmux.wait_for(text[-12:])


def stored_checkin(env: dict[str, str]) -> dict:
    listed = run_cli(env, "list", "--kind", "checkin", "--json")
    assert listed.returncode == 0, listed.stderr
    (entry,) = json.loads(listed.stdout)
    return entry


def test_the_quick_check_in_in_a_real_terminal(tmux: Tmux, env: dict[str, str]) -> None:
    """12 keys and three bits of typing, from the feeling to saved."""
    tmux.start(f"{journal_command()} checkin")
    tmux.wait_for("Step 1 of 5")
    press(tmux, "h", "f")  # hurt, frustrated (the highlight is colour only)
    tmux.send("7")
    tmux.wait_for("7 of 10 · strong")
    next_step(tmux, "Step 2 of 5")
    tmux.send("2")
    tmux.wait_without("pick one with 1, 2 or 3")
    next_step(tmux, "Step 3 of 5")
    type_and_see(tmux, "Sam raised his voice about the delivery.")
    next_step(tmux, "Step 4 of 5")
    type_and_see(tmux, "Call Sam back")
    tmux.wait_for("No date: tomorrow")
    press(tmux, "Tab")
    tmux.send("fri", literal=True)
    tmux.wait_for("→ Friday")
    next_step(tmux, "Step 5 of 5")
    tmux.send("3")
    tmux.wait_for("Down 4.")
    next_step(tmux, "Go deeper now, or later from Today?")
    tmux.send("Enter")  # "Save now" is highlighted
    screen = tmux.wait_for("Check-in saved")
    assert "Follow-up: Call Sam back, Fri" in " ".join(screen.split())
    assert "%" not in screen
    tmux.wait_for("Due · 1")
    tmux.send("C-q")
    tmux.wait_gone()

    entry = stored_checkin(env)
    answers = entry["checkin"]
    assert answers["feelings"] == ["hurt", "frustrated"]
    assert answers["intensity_before"] == 7
    assert answers["intensity_after"] == 3
    assert answers["what_happened"] == "Sam raised his voice about the delivery."
    assert answers["compassion"]["what_i_need"] == KIND_PHRASE_SETS[0][1]
    assert entry["follow_up"]["action"] == "Call Sam back"
    assert entry["title"] == "Check-in: Sam raised his voice about the delivery"
    plain = run_cli(env, "list", "--kind", "checkin")
    assert "Check-in: Sam raised his voice" in plain.stdout
    done = run_cli(env, "done", entry["uid"][:8])
    assert done.returncode == 0, done.stderr
    stats = json.loads(run_cli(env, "stats", "--json").stdout)
    assert stats["feelings_top"][0]["count"] == 1
    assert stats["intensity_drop_avg"] == 4.0


def test_a_saved_check_in_reopens_and_saves_body_and_answers_together(
    tmux: Tmux, env: dict[str, str]
) -> None:
    tmux.start(f"{journal_command()} checkin")
    tmux.wait_for("Step 1 of 5")
    press(tmux, "n")
    tmux.send("6")
    tmux.wait_for("6 of 10 · moderate")
    next_step(tmux, "Step 2 of 5")
    next_step(tmux, "Step 3 of 5")
    type_and_see(tmux, "The refund call.")
    tmux.send("C-s")
    tmux.wait_for("Check-in saved")
    first = stored_checkin(env)
    assert "How strong: 6 out of 10 (moderate)." in first["body"]
    # Reopen it from History: the stepper comes back with its answers.
    tmux.send("F3")
    tmux.wait_for("1 entry")
    tmux.send("C-o")
    tmux.wait_for("Check-in of")
    tmux.wait_for("6 of 10 · moderate")
    tmux.send("4")  # change one answer: the first rating
    tmux.wait_for("4 of 10 · moderate")
    tmux.send("C-s")
    tmux.wait_for("Check-in saved")
    tmux.send("C-q")
    tmux.wait_gone()

    entry = stored_checkin(env)
    assert entry["uid"] == first["uid"]
    assert entry["checkin"]["intensity_before"] == 4
    assert entry["checkin"]["feelings"] == ["numb"]
    assert "How strong: 4 out of 10 (moderate)." in entry["body"]
    assert "6 out of 10" not in entry["body"]
    assert "The refund call." in entry["body"]
    # The whole body is the one the stored answers make: nothing stale, nothing extra.
    assert body_matches(Entry.from_dict(entry))
    assert entry["checkin"]["notes"] is None


def test_escape_keeps_a_draft_offered_back_next_time(tmux: Tmux, env: dict[str, str]) -> None:
    tmux.start(f"{journal_command()} checkin")
    tmux.wait_for("Step 1 of 5")
    next_step(tmux, "Step 2 of 5")
    next_step(tmux, "Step 3 of 5")
    type_and_see(tmux, "Half of what happened")
    tmux.send("Escape")
    tmux.wait_for("Kept as a draft")
    tmux.send("F2")
    tmux.wait_for("Unfinished check-in")
    press(tmux, "Enter")  # the dialog's Resume button takes the focus just after drawing
    screen = tmux.wait_for("Step 3 of 5")
    assert "Half of what happened" in screen
    tmux.send("C-q")
    tmux.wait_gone()
    assert run_cli(env, "list", "--kind", "checkin").stdout == ""
