"""The app's fast paths (issue 7): what is due worked out from the stored documents and in a
worker on a large journal, History's search at once or in a worker, and its table cells."""

from __future__ import annotations

import sys
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input

import journal.tui.flows as due_screen
import journal.tui.screens.history as history_screen
from journal.due import due_items
from journal.models import Entry, FollowUp
from journal.stats import compute_stats
from journal.store import Store
from journal.tui.screens.history import HistoryScreen
from journal.tui.widgets.due_list import DueList

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import generate

TODAY = date(2026, 11, 22)


def test_due_and_stats_from_documents_match_those_from_entries(store: Store) -> None:
    entries = generate.make_entries(500, seed=7)
    # And a few the generator never writes: a reflection with a promise, a revisit of one.
    promise = Entry.new("words", day="2026-11-01", follow_up=FollowUp("Call back", "2026-11-20"))
    looked = Entry.new("later", day="2026-11-02", revisit_on="2026-11-10")
    revisit = Entry.new("looking back", kind="revisit", day="2026-11-12", revisit_of=looked.uid)
    store.add_many([*entries, promise, looked, revisit])
    reopened = Store.open(store.path)
    every = reopened.entries()
    for day in (TODAY, TODAY - timedelta(days=400), TODAY + timedelta(days=30)):
        assert due_items(reopened, day) == due_items(every, day)
        assert compute_stats(reopened, day) == compute_stats(every, day)
    assert any(i.uid == promise.uid for i in due_items(reopened, TODAY))
    assert all(i.uid != looked.uid for i in due_items(reopened, TODAY))


def seed_due(store: Store) -> Entry:
    return store.add(
        Entry.new(
            "promise",
            kind="checkin",
            day="2026-11-10",
            checkin={"reaction": "paused"},
            follow_up=FollowUp("Call Sam back", "2026-11-20"),
        )
    )


async def test_a_large_journal_works_out_what_is_due_in_a_worker(
    make_app, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(due_screen, "SYNC_LIMIT", 0)  # every journal counts as large
    seed_due(store)
    threads: list[str] = []
    real = due_screen.due_items

    def recording(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return real(*args, **kwargs)

    monkeypatch.setattr(due_screen, "due_items", recording)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        due = app.screen.query_one("#due", DueList)
        assert [i.text for i in due.items] == ["Call Sam back"]
        today = app.screen
        today.query_one("#editor").load_text("A new entry.")
        before = len(threads)
        assert today.save()
        # Working out what is due after the save is a worker's job, never the UI thread's.
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert len(threads) > before
        assert all(name != threading.main_thread().name for name in threads)
        assert [i.text for i in due.items] == ["Call Sam back"]


def seed_history(store: Store) -> list[Entry]:
    entries = [
        Entry.new(f"Call {i} about Kraków" if i % 2 else f"Call {i}", day=f"2026-10-{i + 1:02d}")
        for i in range(20)
    ]
    entries.append(Entry.new("markup stays text", title="[bold]urgent[/] call", day="2026-11-01"))
    store.add_many(entries)
    return entries


async def search_for(app, pilot, screen: HistoryScreen, text: str) -> None:
    screen.query_one("#search", Input).value = text
    await pilot.pause(0.1)
    await app.workers.wait_for_complete()
    await pilot.pause()


@pytest.mark.parametrize("sync_limit", [10_000, 0])
async def test_history_search_at_once_or_in_a_worker(
    make_app, store: Store, monkeypatch: pytest.MonkeyPatch, sync_limit: int
) -> None:
    monkeypatch.setattr(history_screen, "SYNC_LIMIT", sync_limit)
    seed_history(store)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        screen = HistoryScreen()
        await app.push_screen(screen)
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        table = screen.query_one("#history-table", DataTable)
        assert table.row_count == 21
        # A title with markup characters shows as typed.
        assert str(table.get_row_at(0)[2]) == "[bold]urgent[/] call"
        await search_for(app, pilot, screen, "kraków")
        assert table.row_count == 10
        clears = [0]
        real_clear = table.clear

        def counting(*args, **kwargs):
            clears[0] += 1
            return real_clear(*args, **kwargs)

        table.clear = counting  # type: ignore[method-assign]
        # Another letter, the same results: the table is left as it is.
        await search_for(app, pilot, screen, "kraków ")
        await search_for(app, pilot, screen, "krakó")
        assert clears[0] == 0 and table.row_count == 10
        await search_for(app, pilot, screen, "call 3")
        assert clears[0] == 1 and table.row_count == 2  # "Call 3" and "Call 13"
