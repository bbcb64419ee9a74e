"""One Store shared by several threads: no exception, and no acknowledged write lost.

Each thread adds, updates and deletes entries of its own and lists and searches the whole
journal meanwhile. The work is bounded by a count of operations, never by a clock. Every
operation the store acknowledged (it returned) is logged; replaying the log in order on a
fresh journal, one operation at a time, gives the same entries as the shared file.
"""

from __future__ import annotations

import random
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

from journal.models import Entry, FollowUp
from journal.store import Store, make_filter

TZ = timezone(timedelta(hours=1))
THREADS = 4
OPERATIONS = 40  # per thread


def new_entry(rng: random.Random, thread: int, n: int) -> Entry:
    day = f"2026-11-{rng.randint(1, 28):02d}"
    moment = datetime.fromisoformat(f"{day}T{rng.randint(0, 23):02d}:00:00+01:00")
    follow_up = FollowUp("Call back", day) if rng.random() < 0.3 else None
    return Entry.new(
        f"thread {thread} entry {n} word{rng.randint(0, 9)}",
        day=day,
        moment=moment,
        tags=[f"t{thread}"],
        follow_up=follow_up,
    )


def test_threads_sharing_a_store_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "journal.json"
    store = Store.open(db)
    log: list[tuple[str, Entry]] = []
    log_lock = threading.Lock()
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)

    def work(thread: int) -> None:
        rng = random.Random(thread)
        mine: list[Entry] = []
        try:
            start.wait()
            for n in range(OPERATIONS):
                roll = rng.random()
                if roll < 0.3 or not mine:
                    # An entry is updated right after it is added, as the app does on save.
                    added = store.add(new_entry(rng, thread, n))
                    with log_lock:
                        log.append(("add", added))
                    mine.append(added)
                elif roll < 0.5:
                    i = rng.randrange(len(mine))
                    before = mine[i]
                    changed = store.update(
                        before.edited(body=before.body + " more"), expected=before
                    )
                    with log_lock:
                        log.append(("update", changed))
                    mine[i] = changed
                elif roll < 0.6:
                    gone = store.delete(mine.pop(rng.randrange(len(mine))).uid)
                    with log_lock:
                        log.append(("delete", gone))
                elif roll < 0.7:
                    store.entries(limit=20)
                    store.entries(make_filter(since="2026-11-10", until="2026-11-20"))
                elif roll < 0.8:
                    store.entries(make_filter(search=f"word{rng.randint(0, 9)} thread"))
                    store.entries_counted(make_filter(tags=[f"t{thread}"]), limit=5)
                elif roll < 0.9:
                    assert sum(1 for _ in store.iter_entries(oldest_first=True)) >= len(mine)
                    store.due_documents()
                else:
                    for entry in mine:
                        assert store.get(entry.uid) == entry  # our own writes, read back
                    store.count(make_filter(kind="reflection"))
        except BaseException as exc:  # reported below, with the thread's traceback
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(t,)) for t in range(THREADS)]
    # Switch threads as often as the interpreter can, so the threads interleave inside the
    # store's methods (the store without its lock fails here with "dictionary changed size
    # during iteration" nearly every run); nothing is timed.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert not errors, errors
    assert not store.invalid

    replay = Store.open(tmp_path / "replay.json")
    for op, entry in log:
        if op == "add":
            replay.add(entry)
        elif op == "update":
            replay.update(entry, expected=None, touch=False)
        else:
            replay.delete(entry.uid)

    def dicts(s: Store) -> list[dict[str, object]]:
        return sorted((e.to_dict() for e in s.entries()), key=lambda d: str(d["uid"]))

    shared = Store.open(db)
    assert dicts(shared) == dicts(replay) == dicts(store)
    assert shared.count() == replay.count() > 0
