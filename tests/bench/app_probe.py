"""In-app timings for the benchmark, run in a fresh process: ``app_probe.py DB --repeat K``.

Builds the app exactly as ``journal`` does (settings, store, prompt library) around the
journal at DB, drives it headless with Textual's Pilot and prints one JSON object with, in
seconds (each the median of K tries after one untimed warm-up):

- ``search``: search-as-you-type on History: from the key press in the search box to the
  table showing the new results (debounce, worker and redraw included): the key event is
  sent as the terminal driver sends it, and the time stops at the first screen update drawn
  after the screen took the new rows (when the new results are the very rows already on
  screen, the screen leaves the table alone and the time stops when it has the results).
  (``Pilot.press`` is not used to time it: it waits for
  the process to look idle, in 20 ms sleeps, twice per key, and ``Pilot.pause`` once more;
  those >= 60 ms are the test harness, not the app, and dominated this figure before.);
- ``open``: opening an entry from an old day: ``store.get`` plus rendering its Markdown
  (:func:`journal.transfer.render.render_entry`) into a ``Markdown`` widget, until it is drawn;
- ``save``: ``TodayScreen.save()`` of a new entry of about 200 words (one transaction: the
  entry and the prompt log), i.e. until it is on disk.

The runner (``run.py``) starts this once per run for N entries and once for an empty journal.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

WORD = "kraków"
TEXT = (
    "A calm note written during the benchmark. I listened first, said back what I heard and "
    "promised a follow-up by Friday. "
) * 8


async def _until(pilot: Any, check: Any, timeout: float = 30.0) -> None:
    """Let the app run until ``check()`` is true (polling every millisecond)."""
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await pilot.pause(0.001)


async def _until_now(check: Any, timeout: float = 30.0) -> None:
    """Let the event loop run until ``check()`` is true, adding no waits of the test harness
    (``Pilot.pause`` waits for every widget's queue and forces a redraw)."""
    deadline = time.perf_counter() + timeout
    while not check():
        if time.perf_counter() > deadline:
            raise TimeoutError("the app did not get there in time")
        await asyncio.sleep(0.0002)


async def probe(db: Path, repeat: int) -> dict[str, Any]:
    """Run the app headless and time search, open and save."""
    from textual.widgets import DataTable, Input, TextArea

    from journal.cli.common import load_prompts, load_settings, open_store
    from journal.transfer.render import render_entry
    from journal.tui.app import JournalApp
    from journal.tui.screens.history import HistoryScreen
    from journal.tui.screens.today import TodayScreen

    settings = load_settings()
    store = open_store(argparse.Namespace(db=db))  # as `journal` does: daily backup and all
    library = load_prompts(settings, quiet=True)
    app = JournalApp(settings=settings, store=store, prompts=library)
    out: dict[str, Any] = {"entries": store.count()}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        today = app.screen
        assert isinstance(today, TodayScreen)

        # ---- save: a new entry each time, on disk when save() returns ----------------------
        times = []
        for i in range(repeat + 1):
            today._start_new()
            today.query_one("#editor", TextArea).load_text(f"{TEXT}\n\nRun {i}.")
            await pilot.pause()
            start = time.perf_counter()
            ok = today.save()
            elapsed = time.perf_counter() - start
            assert ok, "save() failed"
            if i:
                times.append(elapsed)
        out["save"] = statistics.median(times)

        # ---- open an old entry: get + render its Markdown into a widget, until drawn -------
        oldest = store.entries(oldest_first=True, limit=repeat + 1)
        times = []
        if oldest:
            from textual.widgets import Markdown as MarkdownWidget

            viewer = MarkdownWidget("")
            await today.mount(viewer)
            for i, entry in enumerate(oldest):
                start = time.perf_counter()
                got = store.get(entry.uid)
                assert got is not None
                await viewer.update(render_entry(got))
                await pilot.pause()
                elapsed = time.perf_counter() - start
                if i:
                    times.append(elapsed)
            await viewer.remove()
        out["open"] = statistics.median(times) if times else None

        # ---- search as you type --------------------------------------------------------------
        history = HistoryScreen()
        await app.push_screen(history)
        table = history.query_one(DataTable)
        search = history.query_one("#search", Input)
        await _until(pilot, lambda: table.row_count > 0 or store.count() == 0)
        # Count the screen's result updates: a key's latency ends at the update it caused.
        shown = [0]
        original = history._show_rows

        def counting(*args: Any, **kwargs: Any) -> Any:
            shown[0] += 1
            return original(*args, **kwargs)

        history._show_rows = counting  # type: ignore[method-assign]  # a counting wrapper
        # Count the screen updates drawn (headless, they are composed but not written).
        drawn = [0]
        display = app._display

        def drawing(screen: Any, renderable: Any) -> Any:
            if renderable is not None:
                drawn[0] += 1
            return display(screen, renderable)

        app._display = drawing  # type: ignore[method-assign]  # a counting wrapper
        # And the table rebuilds (an update with other rows clears the table first).
        rebuilt = [0]
        clear = table.clear

        def clearing(*args: Any, **kwargs: Any) -> Any:
            rebuilt[0] += 1
            return clear(*args, **kwargs)

        table.clear = clearing  # type: ignore[method-assign]  # a counting wrapper
        times = []
        # Type the word one key at a time, then delete it; each key is one measurement.
        keys = [*WORD, *(["backspace"] * len(WORD))]
        for i, key in enumerate(keys[: 2 * (repeat + 1)]):
            search.focus()
            await pilot.pause()
            seen, cleared = shown[0], rebuilt[0]
            start = time.perf_counter()
            # The key event exactly as Pilot.press builds and sends it; its idle waits
            # run aside, untimed.
            sending = asyncio.create_task(app._press_keys([key]))
            await _until_now(lambda seen=seen: shown[0] > seen)
            if rebuilt[0] > cleared:
                frames = drawn[0]
                # The next screen update draws the new rows, as a person would see them.
                await _until_now(lambda frames=frames: drawn[0] > frames)
            elapsed = time.perf_counter() - start
            await sending
            if i:
                times.append(elapsed)
        out["search"] = statistics.median(times) if times else None
        out["matches"] = history._total
    return out


def main() -> int:
    """Print the timings as JSON."""
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("JOURNAL_DB", str(args.db))
    result = asyncio.run(probe(args.db, args.repeat))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
