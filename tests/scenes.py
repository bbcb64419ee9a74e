"""The screens a person sees, on the demo journal with a frozen clock.

Used by the snapshot tests (tests/app/test_snapshots.py) and by the screenshot command
(``python screenshots/make.py``), so the README shows exactly what the tests check.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from journal.config import Settings
from journal.demo import fill_demo
from journal.prompts import PromptLibrary
from journal.store import Store
from journal.tui.app import JournalApp

#: The moment every scene pretends it is.
FROZEN = datetime(2026, 11, 22, 9, 30, tzinfo=timezone(timedelta(hours=1)))
SCREENSHOT_SIZE = (120, 36)

Scene = Callable[[Pilot], Awaitable[None]]


def demo_app(folder: Path) -> JournalApp:
    """The app on a fresh demo journal in ``folder``, its clock stopped at FROZEN."""
    store = Store.open(folder / "journal.json")
    fill_demo(store, FROZEN.date(), FROZEN.tzinfo)
    library = PromptLibrary.load(user_dir=None)
    return JournalApp(settings=Settings(), store=store, prompts=library, clock=lambda: FROZEN)


async def _settle(pilot: Pilot) -> None:
    """Let workers and timers finish and stop cursors blinking, so pictures are stable.

    Until the screen stays the same over a pause: a key that opens a screen may have it
    pushed only after the key is handled, and a cursor on a screen that came after the
    blink was stopped shows or not by the time of the picture (a loaded machine showed it).
    """
    app = pilot.app
    while True:
        screen = app.screen
        await app.workers.wait_for_complete()
        await pilot.pause(0.3)
        await app.workers.wait_for_complete()
        if app.screen is screen:
            break
    for widget in app.screen.query("TextArea, Input"):
        widget.cursor_blink = False  # type: ignore[attr-defined]
        # TextArea's line cache keys "cursor blinked off" and "no blinking" alike, so a line
        # drawn while the cursor was off would be shown again without it (textual 8.2.8).
        widget.notify_style_update()
    app.clear_notifications()
    await pilot.pause()


async def today(pilot: Pilot) -> None:
    """Today, with the start of an answer typed."""
    await _settle(pilot)
    editor = pilot.app.screen.query_one("#editor", TextArea)
    editor.insert("Asked Priya what a good outcome looks like for her team, before offering ")
    await _settle(pilot)


async def checkin(pilot: Pilot) -> None:
    """The check-in after a tough call, on its first step: two feeling words and a rating."""
    await _settle(pilot)
    await pilot.press("f2")
    await _settle(pilot)
    await pilot.press("x", "f", "7")
    await _settle(pilot)


async def history(pilot: Pilot) -> None:
    """History, searching as you type."""
    await _settle(pilot)
    await pilot.press("f3")
    await _settle(pilot)
    pilot.app.screen.query_one("#search", Input).value = "customer"
    await pilot.pause(0.3)
    await _settle(pilot)


async def insights(pilot: Pilot) -> None:
    """Insights, a few days back on the calendar."""
    await _settle(pilot)
    await pilot.press("f4")
    await _settle(pilot)
    await pilot.press("up", "up")
    await _settle(pilot)


async def prompts(pilot: Pilot) -> None:
    """The prompt library, searched."""
    await _settle(pilot)
    await pilot.press("f5")
    await _settle(pilot)
    await pilot.press(*"trust")
    await _settle(pilot)


async def export(pilot: Pilot) -> None:
    """The export dialog (ctrl+e)."""
    await _settle(pilot)
    await pilot.press("ctrl+e")
    await _settle(pilot)


async def help_screen(pilot: Pilot) -> None:
    """F1 on Today."""
    await _settle(pilot)
    await pilot.press("f1")
    await _settle(pilot)


async def weekly(pilot: Pilot) -> None:
    """The weekly review (f8): the week beside (or above) its two questions."""
    await _settle(pilot)
    await pilot.press("f8")
    await _settle(pilot)


SCENES: dict[str, Scene] = {
    "today": today,
    "checkin": checkin,
    "history": history,
    "insights": insights,
    "prompts": prompts,
    "export": export,
    "help": help_screen,
    "weekly": weekly,
}
