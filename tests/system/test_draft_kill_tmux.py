"""kill -9 right after typing: the next start offers the text back (issue 15, item 5).

The draft follows the typing within a moment (tui/drafting.py, INTERVAL), so the test waits
only for the draft file to hold what was typed, then kills the app with SIGKILL: no hang-up
handler, no flush, nothing but what was already on disk.
"""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

import orjson
import pytest

from journal.paths import drafts_dir
from tests.tmux import Tmux, process_exited, restore_and_save, run_cli, start_first_time

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def until(condition, limit: float = 60.0) -> None:  # type: ignore[no-untyped-def]
    """Poll ``condition`` until it holds; fail only after ``limit`` seconds (a hung test)."""
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"gave up after {limit:.0f} s"
        time.sleep(0.05)


def draft_bodies(db: Path) -> list[str]:
    folder = drafts_dir(db)
    out = []
    for path in sorted(folder.glob("draft-*.json")) if folder.is_dir() else []:
        try:
            out.append(orjson.loads(path.read_bytes())["body"])
        except (OSError, ValueError):
            pass
    return out


def test_kill_9_right_after_typing_offers_the_text_back(env: dict[str, str]) -> None:
    db = Path(env["JOURNAL_DB"])
    text = "Typed a moment before the kill."
    first = Tmux(env)
    try:
        start_first_time(first)
        first.send(text, literal=True)
        until(lambda: draft_bodies(db) == [text])
        app = first.command_pid()
        os.kill(app, signal.SIGKILL)
        assert process_exited(app)
    finally:
        first.kill()
    assert text not in run_cli(env, "list").stdout

    offer, _ = restore_and_save(env)
    assert "Typed a moment before the kill." in offer
    assert text in run_cli(env, "list").stdout
    assert draft_bodies(db) == []


def test_kill_9_during_the_weekly_review_offers_the_answers_back(env: dict[str, str]) -> None:
    db = Path(env["JOURNAL_DB"])
    text = "A calmer week than it felt."
    first = Tmux(env)
    try:
        start_first_time(first)
        first.send("F8")
        first.wait_for("Weekly review")
        first.send(text, literal=True)
        until(lambda: any(text in body for body in draft_bodies(db)))
        app = first.command_pid()
        os.kill(app, signal.SIGKILL)
        assert process_exited(app)
    finally:
        first.kill()

    offer, restored = restore_and_save(env)
    assert "Weekly review" in offer  # the preview: the review's title
    assert text in restored
    listed = run_cli(env, "list", "--json").stdout
    assert text in listed and "weekly-review" in listed
