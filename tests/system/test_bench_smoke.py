"""The speed suite cannot rot: its generator and its one command run here, small.

No timing is asserted (speed lives in tests/bench/RESULTS.md); this only proves that the
generator writes both journals and that ``tests/bench/run.py --quick --no-jrnl`` runs every
case of ours, once each at N = 100, and prints the table.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "tests" / "bench"

pytestmark = pytest.mark.slow


def test_generator_writes_both_journals(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), "200", str(tmp_path / "gen")],
        check=True,
        capture_output=True,
    )
    from journal.store import Store

    store = Store.open(tmp_path / "gen" / "journal.json")
    assert store.count() == 200
    entries = store.entries()
    assert any(e.kind == "checkin" and e.follow_up is not None for e in entries)
    assert sum(1 for e in entries if e.tags) > 30
    text = (tmp_path / "gen" / "jrnl.txt").read_text(encoding="utf-8")
    assert text.count("\n[20") + text.startswith("[20") == 200
    config = (tmp_path / "gen" / "jrnl.yaml").read_text(encoding="utf-8")
    assert "jrnl.txt" in config and "version: '4.6'" in config


def test_quick_run_prints_the_table(tmp_path: Path) -> None:
    results = tmp_path / "RESULTS.md"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOURNAL_", "XDG_"))}
    done = subprocess.run(
        [
            sys.executable,
            str(BENCH / "run.py"),
            "--quick",
            "--no-jrnl",
            # Each case once: this proves the cases run, not how fast.
            "--sizes",
            "100",
            "--runs",
            "1",
            "--warmup",
            "0",
            "--app-tries",
            "1",
            "--results",
            str(results),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "case" in out and "ours s" in out and "target" in out
    for case in (
        "last 10",
        "search",
        "Markdown export",
        "add one entry",
        "JSON export",
        "save in the app",
        "journal --version",
        "search, moved in from jrnl",
    ):
        assert case in out, f"{case!r} missing from:\n{out}"
    assert "| case |" in results.read_text(encoding="utf-8")
