"""Does the export stream? Peak memory of both exports at two journal sizes (not collected).

Memory the export itself allocates (tracemalloc, measured after the journal is loaded, so
the store's own in-memory copy is not counted) should stay flat as the journal grows ten
times; the time is printed too, with and without tracemalloc's overhead.

Run by hand: ``python tests/bench/export_memory.py [3650,36500]``.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from journal.store import Store
from journal.transfer.export import export_file, export_per_entry
from tests.bench.generate import make_entries


def measure(label: str, run) -> tuple[float, float, float]:
    """(seconds, seconds under tracemalloc, peak MiB allocated while running)."""
    start = time.perf_counter()
    run("plain")
    plain = time.perf_counter() - start
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    start = time.perf_counter()
    run("traced")
    traced = time.perf_counter() - start
    peak = (tracemalloc.get_traced_memory()[1] - base) / 2**20
    tracemalloc.stop()
    print(f"  {label:<22} {plain:6.2f} s   (traced {traced:6.2f} s)   peak {peak:7.2f} MiB")
    return plain, traced, peak


def main(argv: list[str]) -> int:
    sizes = [int(s) for s in (argv[0] if argv else "3650,36500").split(",")]
    for n in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            store = Store.open(root / "journal.json")
            store.add_many(make_entries(n))
            store.count()
            size = (root / "journal.json").stat().st_size / 2**20
            print(f"{n} entries (journal file {size:.1f} MiB)")
            measure(
                "one file",
                lambda tag, store=store, root=root: export_file(
                    store, root / f"{tag}.md", force=True
                ),
            )
            measure(
                "one file per entry",
                lambda tag, store=store, root=root: export_per_entry(
                    store, root / f"{tag}-dir", force=True
                ),
            )
            out = root / "plain.md"
            print(f"  one file: {out.stat().st_size / 2**20:.1f} MiB written")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
