"""Crash bench: hundreds of SIGKILLs against `journal add` and the store; prints a summary.

    python tests/bench/crash.py --kills 500            # mixed: journal add, and both at once
    python tests/bench/crash.py --kills 200 --writers store

Each round starts the writers, kills them at a random moment and checks the journal (see
tests/crash_harness.py). Exit status 0 only when nothing promised was lost and no file was
ever torn. Runs in a temporary folder; never touches a real journal.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.crash_harness import CrashHarness

PATTERNS = {
    "mixed": (("cli",), ("store", "cli"), ("store",)),
    "cli": (("cli",),),
    "store": (("store",),),
}


def main() -> int:
    """Run until ``--kills`` kills have happened, then print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=500, help="SIGKILLs to deliver")
    parser.add_argument("--writers", choices=sorted(PATTERNS), default="mixed")
    parser.add_argument("--prefill", type=int, default=800, help="entries in the journal first")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="journal-crash-") as tmp:
        db = Path(tmp) / "data" / "journal.json"
        harness = CrashHarness(db, seed=args.seed, prefill=args.prefill)
        pattern = PATTERNS[args.writers]
        i = 0
        while harness.stats.kills < args.kills and not harness.stats.failures:
            harness.run(1, (pattern[i % len(pattern)],))
            i += 1
            if harness.stats.rounds % 50 == 0:
                print(f"... {harness.stats.kills} kills", file=sys.stderr, flush=True)
        stats = harness.stats
        size = db.stat().st_size if db.exists() else 0
        print(f"crash bench: writers={args.writers} prefill={args.prefill} seed={args.seed}")
        print(stats.summary())
        print(f"final journal: {size / 1024:.0f} KB, {len(harness.promised)} entries promised")
    return 0 if stats.ok else 1


if __name__ == "__main__":
    sys.exit(main())
