"""The crash harness in CI: the real `journal add` and the store, killed at random moments.

tests/test_crash.py kills a store writer that only adds; this file adds the installed command
and a writer that also updates earlier entries, alone and side by side, each round verified by
tests/crash_harness.py. `tests/bench/crash.py --kills 500` runs the same harness longer.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.crash_harness import CrashHarness, leftover_temps

pytestmark = pytest.mark.slow


def test_journal_add_and_store_writers_killed_at_random_lose_nothing(tmp_path: Path) -> None:
    harness = CrashHarness(tmp_path / "data" / "journal.json", prefill=800)
    # Every round kills `journal add`; every other round a store writer beside it. A
    # `journal add` sometimes finishes before its kill comes: rounds go on until 8 kills of
    # each writer landed. A store writer is killed only after it promised 3 or more changes,
    # so the promises below hold on any machine; only the round count varies.
    stats = harness.run_until({"cli": 8, "store": 8}, (("cli",), ("store", "cli")), max_rounds=200)
    print(stats.summary())
    assert stats.ok, stats.summary()
    assert stats.kills_by_writer.get("cli", 0) >= 8, stats.summary()
    assert stats.kills_by_writer.get("store", 0) >= 8, stats.summary()
    assert stats.promised_entries >= 8 * 2 and stats.promised_updates >= 8, stats.summary()
    assert stats.lost == stats.torn == stats.stale_updates == 0


def test_harness_notices_a_lost_entry(tmp_path: Path) -> None:
    """The harness can fail: a promise the file does not keep is reported."""
    harness = CrashHarness(tmp_path / "data" / "journal.json", prefill=3)
    harness.promised.add("0" * 32)
    harness.verify(0)
    assert not harness.stats.ok
    assert harness.stats.lost == 1


def test_harness_notices_a_torn_file(tmp_path: Path) -> None:
    db = tmp_path / "data" / "journal.json"
    harness = CrashHarness(db, prefill=3)
    db.write_bytes(db.read_bytes()[:-10])
    harness.verify(0)
    assert harness.stats.torn == 1 and not harness.stats.ok


def test_next_open_removes_a_leftover_temp_file(tmp_path: Path) -> None:
    db = tmp_path / "data" / "journal.json"
    harness = CrashHarness(db, prefill=3)
    (db.parent / f".{db.name}.abc123.tmp").write_bytes(b'{"entries": {"1": ')
    harness.verify(0)
    assert harness.stats.kills_with_temp_left == 1
    assert harness.stats.ok, harness.stats.failures
    assert leftover_temps(db) == []
