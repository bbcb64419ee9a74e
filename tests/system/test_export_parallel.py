"""The one-file export rendered by several processes (journal/transfer/parallel.py) is byte for
byte the export one process writes; a failing worker fails the export and leaves nothing."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import orjson
import pytest

from journal.models import Entry
from journal.store import Store
from journal.store.jsonfile import encode_database
from journal.transfer.export import export_file
from journal.transfer.parallel import available_workers
from tests.bench.generate import make_entries
from tests.tmux import run_cli

ROOT = Path(__file__).resolve().parents[2]


def build_journal(path: Path, n: int) -> None:
    """``n`` generated entries (check-ins, headings, Unicode) plus entries at the turn of a
    year, and two documents that do not validate, spread through the file."""
    store = Store.open(path)
    entries = make_entries(n, seed=7)
    entries += [
        Entry.new("Last words of the year", day="2019-12-31", title="# not a heading"),
        Entry.new("First words of the next", day="2020-01-01", tags=["new-year"]),
    ]
    store.add_many(entries)
    data = orjson.loads(path.read_bytes())
    docs = data["entries"]
    ids = sorted(docs, key=int)
    docs[ids[len(ids) // 3]]["created"] = "not a time"
    docs[ids[-2]]["kind"] = "poem"
    path.write_bytes(encode_database(data))
    # Written by journal once more: the documents' bytes are then used as they are.
    Store.open(path).add(Entry.new("One more", day="2021-06-01"))
    assert Store.open(path)._storage.canonical


# Runs in a fresh interpreter: no other threads, as on the command line.
SCRIPT = """
import os, sys
from pathlib import Path
import journal.transfer.export as export
import journal.transfer.parallel as parallel
from journal.store import Store

export.PARALLEL_MIN_ENTRIES = 1
forks = []
real_fork = os.fork
def counting_fork():
    pid = real_fork()
    if pid:
        forks.append(pid)
    return pid
os.fork = counting_fork
parent = os.getpid()
fail_in_child = sys.argv[3] == "fail"
if fail_in_child:
    real_render = export._render_bytes
    def render(entry, restore, data):
        if os.getpid() != parent:
            raise RuntimeError("disk on fire")
        return real_render(entry, restore, data)
    parallel._render_bytes = render
if sys.argv[3] == "slow":  # this process renders slowly: the workers should take over
    import time
    real_slow = export._render_bytes
    def slow_render(entry, restore, data):
        if os.getpid() == parent:
            time.sleep(0.002)
        return real_slow(entry, restore, data)
    parallel._render_bytes = slow_render
real_report = parallel._Worker.report
def report(self):
    out = real_report(self)
    print("PARTS", len(self.parts), file=sys.stderr)
    return out
parallel._Worker.report = report
store = Store.open(Path(sys.argv[1]))
store.keep_parsed = False
try:
    result = export.export_file(store, Path(sys.argv[2]), force=True, workers=int(sys.argv[4]))
except export.ExportError as exc:
    print("ERROR", exc.message)
    sys.exit(3)
print(result.entries, len(forks), sorted(bad.doc_id for bad in store.invalid))
"""


def run_export(db: Path, out: Path, workers: int, mode: str = "ok") -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", SCRIPT, str(db), str(out), mode, str(workers)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        timeout=120,
    )


@pytest.fixture(scope="module")
def journal_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("parallel") / "journal.json"
    build_journal(path, 697)  # 700 documents, 698 valid entries
    return path


def test_every_number_of_workers_writes_the_same_bytes(journal_file: Path, tmp_path: Path) -> None:
    single = tmp_path / "one.md"
    done = run_export(journal_file, single, 1)
    assert done.returncode == 0, done.stderr
    count, forks, invalid = done.stdout.split(" ", 2)
    assert int(count) == 698 and forks == "0"
    assert len(orjson.loads(invalid)) == 2  # the doc ids, printed as a list
    for workers in (2, 3, 5):
        out = tmp_path / f"{workers}.md"
        done = run_export(journal_file, out, workers)
        assert done.returncode == 0, done.stderr
        # The same entries, the same invalid ones reported (wherever they were), and
        # workers - 1 processes forked.
        assert done.stdout.split(" ", 2) == [count, str(workers - 1), invalid]
        assert out.read_bytes() == single.read_bytes()
    files = sorted(p.name for p in tmp_path.iterdir() if p.is_file())
    assert files == ["2.md", "3.md", "5.md", "one.md"]  # no temp file left behind


def test_a_slow_process_leaves_the_chunks_to_the_quick_one(
    journal_file: Path, tmp_path: Path
) -> None:
    single = tmp_path / "one.md"
    assert run_export(journal_file, single, 1).returncode == 0
    out = tmp_path / "slow.md"
    done = run_export(journal_file, out, 2, mode="slow")
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == single.read_bytes()
    # 11 chunks of 64: this process, at 2 ms an entry, gets through a few while the worker
    # renders the rest.
    parts = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PARTS")]
    assert parts and parts[0] >= 6, done.stderr


def test_a_failing_worker_fails_the_export_and_leaves_nothing(
    journal_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "export.md"
    out.write_text("an earlier export\n")
    done = run_export(journal_file, out, 2, mode="fail")
    assert done.returncode == 3, done.stdout + done.stderr
    assert "worker process failed (RuntimeError: disk on fire)" in done.stdout
    assert out.read_text() == "an earlier export\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["export.md"]


def test_the_command_line_exports_in_parallel_and_says_what_was_left_out(
    journal_file: Path, tmp_path: Path
) -> None:
    env = {"JOURNAL_CONFIG": str(tmp_path / "config.toml"), "JOURNAL_DB": str(journal_file)}
    outs = []
    for jobs in ("1", "2"):
        out = tmp_path / f"jobs{jobs}.md"
        done = run_cli(env, "export", "-o", str(out), "--jobs", jobs)
        assert done.returncode == 0, done.stderr
        assert "Exported 698 entries" in done.stderr
        assert done.stderr.count("is invalid and was left out") == 2
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    bad = run_cli(env, "export", "-o", str(tmp_path / "x.md"), "--jobs", "0")
    assert bad.returncode != 0 and "not a number of processes from 1 to 64" in bad.stderr


def test_with_another_thread_running_one_process_does_it_all(
    journal_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import journal.transfer.export as export

    monkeypatch.setattr(export, "PARALLEL_MIN_ENTRIES", 1)
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked beside another thread"))
    store = Store.open(journal_file)
    results = []
    worker = threading.Thread(
        target=lambda: results.append(export_file(store, tmp_path / "t.md", workers=4))
    )
    worker.start()
    worker.join()
    assert results and results[0].entries == 698


def test_available_workers_is_within_bounds() -> None:
    assert 1 <= available_workers() <= 4
