"""``journal due``, ``journal done``, ``journal stats`` and ``journal checkin`` from the shell."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta

import pytest

from journal import cli
from journal.checkin import CheckinAnswers, FollowUpPlan, build_entry
from journal.models import Entry, now_local
from journal.store import Store


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def add_checkin(db_path, *, due_in_days: int | None, **answers) -> Entry:
    """A check-in written today (the real today: the CLI reads the real clock)."""
    now = now_local()
    if due_in_days is not None:
        answers["follow_up"] = FollowUpPlan(
            "Call Sam back", (now.date() + timedelta(days=due_in_days)).isoformat()
        )
    entry = build_entry(CheckinAnswers(**answers), now.date(), now)
    Store.open(db_path).add(entry)
    return entry


def test_due_prints_nothing_when_nothing_is_due(capsys, db_path):
    # No journal file at all: still silent, still 0 (fit for a shell start-up file).
    assert run(capsys, "due") == (0, "", "")
    assert not db_path.exists()
    Store.open(db_path).add(Entry.new("just a reflection"))
    add_checkin(db_path, due_in_days=30)  # too far ahead to be due
    assert run(capsys, "due") == (0, "", "")


def test_follow_up_due_tomorrow_shows_until_done(capsys, db_path):
    entry = add_checkin(db_path, due_in_days=1, what_happened="Sam was upset")
    code, out, _ = run(capsys, "due")
    assert code == 0
    assert out.startswith("upcoming")  # today it is coming up
    code, out, _ = run(capsys, "due", "--date", "tomorrow")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 1
    assert lines[0].split()[0] == "today"
    assert entry.uid[:8] in lines[0]
    assert lines[0].endswith("Call Sam back")

    code, out, err = run(capsys, "done", entry.uid[:8], "--note", "Called; relieved")
    assert code == 0, err
    assert out.startswith("Done: Call Sam back")
    assert "on time" in out

    assert run(capsys, "due", "--date", "tomorrow") == (0, "", "")
    stored = Store.open(db_path).get(entry.uid)
    assert stored is not None and stored.follow_up is not None
    assert stored.follow_up.done is not None
    assert stored.follow_up.note == "Called; relieved"


def test_revisits_show_when_their_day_comes(capsys, db_path):
    entry = add_checkin(db_path, due_in_days=None, what_happened="Priya's reports broke")
    assert run(capsys, "due") == (0, "", "")
    code, out, _ = run(capsys, "due", "--date", "+90d")
    assert code == 0
    assert out.split()[0] == "revisit"
    assert entry.uid[:8] in out
    assert "look back on: Check-in: Priya's reports broke" in out


def test_due_json_shape(capsys, db_path):
    assert run(capsys, "due", "--json") == (0, "[]\n", "")
    entry = add_checkin(db_path, due_in_days=-2)
    code, out, _ = run(capsys, "due", "--json")
    assert code == 0
    items = json.loads(out)
    assert items == [
        {
            "kind": "follow_up",
            "status": "overdue",
            "due": (now_local().date() - timedelta(days=2)).isoformat(),
            "uid": entry.uid,
            "text": "Call Sam back",
            "entry_day": entry.day,
        }
    ]


def test_done_errors_are_clear(capsys, db_path):
    plain = Entry.new("no promise here")
    Store.open(db_path).add(plain)
    code, _, err = run(capsys, "done", "zzzzzzzz")
    assert code == 2
    assert "no entry has the id 'zzzzzzzz'" in err
    code, _, err = run(capsys, "done", plain.uid)
    assert code == 1
    assert "has no follow-up" in err
    entry = add_checkin(db_path, due_in_days=0)
    assert run(capsys, "done", entry.uid)[0] == 0
    code, _, err = run(capsys, "done", entry.uid)
    assert code == 1
    assert "already marked done" in err


def test_stats_plain_and_json(capsys, db_path):
    add_checkin(db_path, due_in_days=None, intensity_before=8, intensity_after=4,
                reaction="responded")  # fmt: skip
    add_checkin(db_path, due_in_days=-1, intensity_before=6, intensity_after=4,
                reaction="reacted")  # fmt: skip
    code, out, _ = run(capsys, "stats")
    assert code == 0
    assert "Check-ins                 2" in out
    assert "7.0 → 4.0 (average drop 3.0 over 2 check-ins)" in out
    assert "responded 50%" in out
    assert "Follow-ups kept on time   0% (0 of 1 settled; 1 open, 1 overdue)" in out
    code, out, _ = run(capsys, "stats", "--json")
    data = json.loads(out)
    assert data["checkins"] == 2
    assert data["intensity_before_avg"] == 7.0
    assert data["intensity_after_avg"] == 4.0
    assert data["intensity_drop_avg"] == 3.0
    assert data["reactions"] == {"reacted": 1, "paused": 0, "responded": 1}
    assert data["kept_on_time_pct"] == 0.0
    assert data["today"] == now_local().date().isoformat()
    assert set(data) >= {"follow_ups", "follow_ups_done", "follow_ups_overdue", "reaction_pct"}


def test_bad_date_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["due", "--date", "someday"])
    assert exc.value.code == 2
    assert "not a date" in capsys.readouterr().err


def test_checkin_command_opens_the_app_on_the_checkin(monkeypatch):
    seen = {}

    def fake_run_app(args, *, start="today"):
        seen["start"] = start
        return 0

    monkeypatch.setattr("journal.cli.checkin.run_app", fake_run_app)
    assert cli.main(["checkin"]) == 0
    assert seen == {"start": "checkin"}


def test_due_done_and_stats_never_import_textual(db_path):
    add_checkin(db_path, due_in_days=0)
    code = (
        "import sys\n"
        "from journal.cli import main\n"
        "for argv in (['due'], ['due', '--json'], ['stats'], ['stats', '--json']):\n"
        "    assert main(argv) == 0\n"
        "print('TEXTUAL', any(m.split('.')[0] == 'textual' for m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=dict(os.environ)
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().splitlines()[-1] == "TEXTUAL False"
