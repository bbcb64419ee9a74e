"""The store works where POSIX-only calls are missing (Windows, some file systems).

``os.fchmod``, ``fcntl``, ``os.O_NOFOLLOW``, ``os.O_NONBLOCK``, ``os.pread``, ``os.link`` and
``os.getuid`` are made unavailable; opening, adding, updating, listing and the daily backup
still work, through their fallbacks. Without ``fcntl`` the lock is ``filelock``'s, whose Unix
code needs ``os.fchmod`` and ``os.O_NONBLOCK`` itself (its Windows code does not): those two
are taken away in a run of their own, with ``fcntl`` there.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

import journal.store.lock
from journal.models import Entry, FollowUp
from journal.store import Store, make_filter
from journal.store.backups import DailyBackup, backup_now, list_backups

TZ = timezone(timedelta(hours=1))
POSIX_ONLY = ("O_NOFOLLOW", "pread", "link", "getuid")


@pytest.fixture(params=["without fcntl", "without fchmod and O_NONBLOCK"])
def no_posix(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> tuple[str, ...]:
    gone = POSIX_ONLY
    if request.param == "without fcntl":
        # As if `import fcntl` had failed: the lock falls back to filelock.
        monkeypatch.setattr(journal.store.lock, "fcntl", None)
    else:
        gone += ("fchmod", "O_NONBLOCK")
    for name in gone:
        monkeypatch.delattr(os, name, raising=False)
    return gone


def test_the_store_runs_without_posix_only_calls(no_posix: tuple[str, ...], tmp_path: Path) -> None:
    assert not any(hasattr(os, name) for name in no_posix)
    db = tmp_path / "data" / "journal.json"
    store = Store.open(db)
    moment = datetime(2026, 11, 22, 9, tzinfo=TZ)
    store.before_write = DailyBackup(db, clock=lambda: moment)
    first = store.add(Entry.new("first", moment=moment))
    second = store.add(Entry.new("second", moment=moment + timedelta(hours=1)))
    changed = store.update(second.edited(follow_up=FollowUp("Call", "2026-11-25")), expected=second)
    assert [e.uid for e in store.entries()] == [changed.uid, first.uid]
    assert [e.uid for e in store.entries(make_filter(search="first"))] == [first.uid]
    assert [doc["uid"] for _, doc in store.due_documents()] == [changed.uid]
    store.delete(first.uid)

    reopened = Store.open(db)
    assert reopened.entries() == [changed]
    assert list_backups(db)  # the daily backup, as a copy since there is no os.link
    assert backup_now(db).path is not None
    assert not reopened.invalid
