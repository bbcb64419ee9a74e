"""Kills at random moments, encrypted: writers of an encrypted journal (the crash harness), and
``journal encrypt`` / ``journal passphrase`` themselves. Whatever the moment, the journal opens
with the old state or the new one and holds every entry; nothing plain reaches the disk.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from journal.models import Entry
from journal.paths import backups_dir
from journal.store import Store, watermark
from journal.store.backups import backup_now
from journal.store.crypto import KdfParams, Key, WrongPassphraseError, is_encrypted
from journal.store.reseal import reseal
from tests.crash_harness import CrashHarness, leftover_temps

pytestmark = pytest.mark.slow

PASS = "correct horse battery staple"
NEW_PASS = "a different long passphrase"


def passphrase_file(folder: Path, passphrase: str, name: str) -> Path:
    path = folder / name
    path.write_text(passphrase + "\n", encoding="utf-8")
    return path


def test_crash_harness_passes_on_an_encrypted_journal(tmp_path: Path) -> None:
    db = tmp_path / "data" / "journal.json"
    pass_file = passphrase_file(tmp_path, PASS, "pass")
    # Cheap scrypt in the file's header (every writer derives its key from it): the kills are
    # about the writes, not about the KDF.
    key = Key.derive(PASS, KdfParams.fresh(2**10))
    harness = CrashHarness(db, prefill=800, key=key, passphrase_file=pass_file)
    # As in test_crash_harness.py: rounds until enough kills of each writer landed, bounded
    # by a count of rounds; each store writer promised 3 or more changes before its kill.
    stats = harness.run_until({"cli": 8, "store": 8}, (("cli",), ("store", "cli")), max_rounds=200)
    print(stats.summary())
    assert stats.ok, stats.summary()  # includes: no plain text in any file, temp or backup
    assert stats.kills_by_writer.get("cli", 0) >= 8, stats.summary()
    assert stats.kills_by_writer.get("store", 0) >= 8, stats.summary()
    assert stats.promised_entries >= 8 * 2 and stats.promised_updates >= 8, stats.summary()
    assert stats.lost == stats.torn == stats.stale_updates == 0
    raw = db.read_bytes()
    assert is_encrypted(raw)
    store = Store.open(db, key=Key.for_file(PASS, raw))
    assert harness.promised <= {e.uid for e in store.entries()}


def test_the_harness_notices_plain_text_beside_an_encrypted_journal(tmp_path: Path) -> None:
    """The plain-text check can fail."""
    db = tmp_path / "data" / "journal.json"
    key = Key.derive(PASS, KdfParams.fresh(2**10))
    harness = CrashHarness(
        db, prefill=3, key=key, passphrase_file=passphrase_file(tmp_path, PASS, "p")
    )
    (db.parent / f".{db.name}.abc123.tmp").write_bytes(b'{"entries": {"1": {"body": "version 1')
    harness.verify(0)
    assert any("plain text" in f for f in harness.stats.failures)


def _uids(db: Path, key: Key | None) -> set[str]:
    return {e.uid for e in Store.open(db, key=key).entries()}


def _opens_with(db: Path, passphrases: list[str | None]) -> str | None:
    """Which of ``passphrases`` (None: plain) opens the journal, checking it reads fully."""
    raw = db.read_bytes()
    for passphrase in passphrases:
        if passphrase is None:
            if not is_encrypted(raw):
                return "plain"
            continue
        if not is_encrypted(raw):
            continue
        try:
            Key.for_file(passphrase, raw)
        except WrongPassphraseError:
            continue
        return passphrase
    return None


def _kill_at_random(args: list[str], env: dict[str, str], life: float, rng: random.Random) -> bool:
    """Start ``journal ARGS``, SIGKILL it at a random moment; True when it was still running."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "journal", *args],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    time.sleep(rng.uniform(0.0, 1.2 * life))
    running = proc.poll() is None
    if running:
        proc.send_signal(signal.SIGKILL)
    _, err = proc.communicate(timeout=60)
    if not running:
        assert proc.returncode == 0, err.decode()
    return running and proc.returncode == -signal.SIGKILL


@pytest.mark.parametrize("command", ["encrypt", "passphrase"])
def test_killing_encrypt_or_passphrase_leaves_the_old_or_the_new_state(
    tmp_path: Path, command: str
) -> None:
    rng = random.Random(20261122 + len(command))
    pristine = tmp_path / "pristine"
    db = tmp_path / "data" / "journal.json"
    store = Store.open(db)
    filler = "a thoughtful paragraph about a hard call. " * 10
    store.add_many([Entry.new(f"{filler}{i}") for i in range(1500)])
    backup_now(db)
    expected = _uids(db, None)
    old: str | None = None
    if command == "passphrase":
        old = PASS
        # Encrypted with PASS (cheap KDF) with its backup; the kill lands in the change.
        key = Key.derive(PASS, KdfParams.fresh(2**10))
        Store.open(db).rekey(key)
        reseal(db, None, key)
    shutil.copytree(db.parent, pristine)
    env = {
        **os.environ,
        "JOURNAL_DB": str(db),
        "JOURNAL_PASSPHRASE_FILE": str(passphrase_file(tmp_path, PASS, "old")),
        "JOURNAL_NEW_PASSPHRASE_FILE": str(passphrase_file(tmp_path, NEW_PASS, "new")),
    }
    if command == "encrypt":
        del env["JOURNAL_PASSPHRASE_FILE"]

    def reset() -> None:
        shutil.rmtree(db.parent)
        shutil.copytree(pristine, db.parent)
        watermark.forget(db)  # putting the pristine copy back is a rollback on purpose

    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "journal", command], env=env, capture_output=True, timeout=120
    )
    life = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert _opens_with(db, [NEW_PASS]) == NEW_PASS

    # Runs until 5 kills landed, bounded by a count of runs. A run that finished before its
    # kill (the machine got faster than the measured life) is checked too, and the next kill
    # aims earlier.
    kills = runs = 0
    outcomes: set[str] = set()
    while kills < 5 and runs < 40:
        runs += 1
        reset()
        if _kill_at_random([command], env, life, rng):
            kills += 1
        else:
            life *= 0.8
        state = _opens_with(db, [None, old, NEW_PASS])
        assert state is not None, "the journal opens with neither the old nor the new state"
        outcomes.add(state)
        opened_with = None if state == "plain" else Key.for_file(state, db.read_bytes())
        assert _uids(db, opened_with) == expected
        # Temp files a kill left behind never hold plain text of an encrypted state.
        for leftover in leftover_temps(db):
            data = leftover.read_bytes()
            assert b"thoughtful paragraph" not in data or command == "encrypt"
        # Every backup opens in the old state or the new one as well.
        # (Hidden temp files are no backups: a kill mid-copy leaves one, cut short.)
        backups = (p for p in backups_dir(db).iterdir() if p.is_file())
        for backup in (p for p in backups if not p.name.startswith(".")):
            raw = backup.read_bytes()
            if is_encrypted(raw):
                assert any(_try(p, raw) for p in (old, NEW_PASS) if p is not None), backup.name
    print(f"{command}: {kills} kills in {runs} runs, states seen: {sorted(outcomes)}")
    assert kills >= 5, f"only {kills} of {runs} runs were killed before they finished"


def _try(passphrase: str, raw: bytes) -> bool:
    try:
        Key.for_file(passphrase, raw)
    except WrongPassphraseError:
        return False
    return True


def test_the_encrypted_benchmark_runs(tmp_path: Path) -> None:
    """tests/bench/encrypted.py cannot rot: a quick run prints both cases (no timing asserted)."""
    bench = Path(__file__).resolve().parents[1] / "bench"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JOURNAL_", "XDG_"))}
    results = tmp_path / "RESULTS-encrypted.md"
    done = subprocess.run(
        [
            sys.executable,
            str(bench / "run.py"),
            "--encrypted",
            "--quick",
            "--runs",
            "1",
            "--scrypt-n",
            "1024",
            "--results",
            str(results),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode in (0, 1), done.stderr  # 1: a target missed on a busy machine
    for case in ("last 10 (list -n 10)", "add one entry"):
        assert case in done.stdout and case in results.read_text(encoding="utf-8")
