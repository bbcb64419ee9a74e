"""The crash test: a writer killed with SIGKILL at random moments never loses a saved entry."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from journal.store import Store

KILLS = 20

WRITER = textwrap.dedent(
    """
    import sys
    from journal.models import Entry
    from journal.store import Store

    store = Store.open(sys.argv[1])
    n = 0
    while True:
        n += 1
        entry = Entry.new(
            "crash test entry %d " % n + "x" * (n % 200),
            tags=["crash"],
            checkin={"n": n, "words": ["a"] * (n % 7)},
        )
        store.add(entry)
        # Printed only once add() has returned: from here on the entry must survive.
        sys.stdout.write(entry.uid + "\\n")
        sys.stdout.flush()
    """
)


def leftovers(db: Path) -> list[Path]:
    return sorted(db.parent.glob(f".{db.name}.*.tmp"))


def test_writer_killed_at_random_moments_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "crash" / "journal.json"
    rng = random.Random(20261122)
    promised: set[str] = set()

    for round_no in range(KILLS):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "JOURNAL_DB": str(db)},
        )
        assert proc.stdout is not None and proc.stderr is not None
        # The kill comes once the writer has promised 1 to 6 entries (read from its output, so
        # on any machine), while it is in the middle of the next one; the first round kills it
        # at once, before it may have created the file at all.
        wanted = 0 if round_no == 0 else rng.randint(1, 6)
        early = [proc.stdout.readline() for _ in range(wanted)]  # b"" if it died
        proc.send_signal(signal.SIGKILL)
        out = b"".join(early) + proc.stdout.read()
        err = proc.stderr.read()
        proc.wait()
        proc.stdout.close()
        proc.stderr.close()
        assert proc.returncode == -signal.SIGKILL, (
            f"round {round_no}: the writer stopped on its own:\n{err.decode(errors='replace')}"
        )
        printed = out.decode().split("\n")
        # The last line may be cut short by the kill; only whole lines count as promised.
        whole = [line for line in printed[:-1] if line]
        assert all(len(uid) == 32 for uid in whole), whole[-3:]
        assert len(whole) >= wanted
        promised.update(whole)

        if not db.exists():
            assert not promised, f"round {round_no}: entries were promised but no file exists"
            continue
        json.loads(db.read_bytes())  # never torn
        store = Store.open(db)
        assert leftovers(db) == [], f"round {round_no}: temp files left after open"
        stored = {e.uid for e in store.entries()}
        missing = promised - stored
        assert not missing, f"round {round_no}: {len(missing)} promised entries lost"
        assert store.invalid == []
        assert store.count() == len(stored)

    assert len(promised) >= KILLS - 1
