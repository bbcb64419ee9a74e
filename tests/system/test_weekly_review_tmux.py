"""End to end: the weekly review in a real terminal (tmux) on the chosen weekday, then the CLI:
the review is one entry in ``journal list --json`` and ``journal export`` carries it."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from journal.prompts import WEEKDAYS
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


def test_weekly_review_end_to_end(tmux: Tmux, env: dict[str, str], tmp_path: Path) -> None:
    # The review weekday is set to today's, whatever day the test runs.
    today = date.today()
    config = Path(env["JOURNAL_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(f'[prompts]\nweekly_review = "{WEEKDAYS[today.weekday()]}"\n', "utf-8")
    yesterday = (today - timedelta(days=1)).isoformat()
    added = run_cli(env, "add", "--date", yesterday, "Lunch with the Northgate team went well.")
    assert added.returncode == 0, added.stderr
    prompt = json.loads(run_cli(env, "prompt", "--json").stdout)
    assert prompt["reason"]["kind"] == "weekly-review"

    tmux.start(journal_command())
    tmux.wait_for("weekly-review day")  # Today says the review is ready
    tmux.send("F8")
    tmux.wait_for("This week")
    tmux.wait_for("Northgate")  # the week's entries are listed
    tmux.wait_for("Follow-ups due")
    tmux.send("A calmer week: two hard calls, both handled.", literal=True)
    tmux.wait_for("handled.")
    tmux.send("C-s")
    tmux.wait_for("Saved your weekly review")
    tmux.send("C-q")
    tmux.wait_gone()

    entries = json.loads(run_cli(env, "list", "--json").stdout)
    reviews = [e for e in entries if "weekly-review" in e["tags"]]
    assert len(reviews) == 1
    review = reviews[0]
    assert review["day"] == today.isoformat()
    assert review["title"].startswith("Weekly review · ")
    assert review["prompt"]["id"] == prompt["id"]
    assert "A calmer week: two hard calls, both handled." in review["body"]

    out = tmp_path / "export.md"
    exported = run_cli(env, "export", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    text = out.read_text("utf-8")
    assert review["title"] in text and "#weekly-review" in text
    assert "A calmer week: two hard calls, both handled." in text
