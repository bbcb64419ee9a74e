"""The screens a person sees, on the demo journal with a frozen clock.

:data:`SCENES` are the main screens: used by the snapshot tests (tests/app/test_snapshots.py,
at three sizes) and by the screenshot command (``python screenshots/make.py``), so the README
shows exactly what the tests check. :data:`MORE_SCENES` are the other screens and dialogs,
each with the journal it needs, snapshotted at the two small sizes only (issue 18: usable at
80x24, degrading gracefully to 60x20).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path

from textual.pilot import Pilot
from textual.widgets import Input, Static, TextArea

from journal.config import Settings
from journal.demo import fill_demo
from journal.models import Entry
from journal.prompts import PromptLibrary
from journal.store import Store
from journal.store.crypto import KdfParams, Key
from journal.tui.app import JournalApp
from journal.tui.dialogs.welcome import WelcomePanel, where_it_lives
from journal.tui.screens.unlock import Locked

#: The moment every scene pretends it is.
FROZEN = datetime(2026, 11, 22, 9, 30, tzinfo=timezone(timedelta(hours=1)))
SCREENSHOT_SIZE = (120, 36)

Scene = Callable[[Pilot], Awaitable[None]]
#: Builds the app a scene runs on, its journal in the given (temporary) folder.
AppMaker = Callable[[Path], JournalApp]


def demo_app(folder: Path) -> JournalApp:
    """The app on a fresh demo journal in ``folder``, its clock stopped at FROZEN."""
    store = Store.open(folder / "journal.json")
    fill_demo(store, FROZEN.date(), FROZEN.tzinfo)
    library = PromptLibrary.load(user_dir=None)
    return JournalApp(settings=Settings(), store=store, prompts=library, clock=lambda: FROZEN)


def demo_app_with_earlier_years(folder: Path) -> JournalApp:
    """The demo journal plus two entries written on this date in earlier years (for f9)."""
    app = demo_app(folder)
    for years, title, body in (
        (1, "The first big launch", "Shipped the new billing page at midnight. Tired, proud."),
        (2, "", "First week in the support team. Everyone explains things twice, kindly."),
    ):
        moment = FROZEN.replace(year=FROZEN.year - years, hour=20)
        app.store.add(Entry.new(body, title=title, moment=moment))
    return app


def first_start_app(folder: Path) -> JournalApp:
    """The very first start: no journal yet, so Today greets the user."""
    store = Store.open(folder / "journal.json")
    library = PromptLibrary.load(user_dir=None)
    return JournalApp(
        settings=Settings(), store=store, prompts=library, clock=lambda: FROZEN, first_run=True
    )


#: The passphrase of the locked journal (not that the scene ever types it).
PASSPHRASE = "correct horse battery staple"


def locked_app(folder: Path) -> JournalApp:
    """An encrypted journal, not opened yet: the app starts on the unlock screen."""
    path = folder / "journal.json"
    store = Store.open(path)
    store.add(Entry.new("Something private.", moment=FROZEN))
    # A cheap key derivation: the picture is the same, and a wrong try is checked at once.
    store.rekey(Key.derive(PASSPHRASE, KdfParams.fresh(n=2**10)))
    library = PromptLibrary.load(user_dir=None)
    return JournalApp(
        settings=Settings(), store=None, prompts=library, clock=lambda: FROZEN, locked=Locked(path)
    )


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
    fields = list(app.screen.query("TextArea, Input"))
    for widget in fields:
        widget.cursor_blink = False  # type: ignore[attr-defined]
    # A blink already queued when its timer was paused still toggles a cursor (on a loaded
    # machine the weekly review's lost its cursor now and then): let it run, then set each
    # cursor once more, back to back, so no tick can come in between.
    await pilot.pause()
    for widget in fields:
        widget.cursor_blink = True  # type: ignore[attr-defined]
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


async def on_this_day(pilot: Pilot) -> None:
    """On this day (f9): two entries from earlier years, the newest previewed."""
    await _settle(pilot)
    await pilot.press("f9")
    await _settle(pilot)


async def follow_up(pilot: Pilot) -> None:
    """The Due panel's first row (an overdue follow-up) opened: mark it done or move it."""
    await _settle(pilot)
    pilot.app.action_show_due()  # type: ignore[attr-defined]
    await pilot.press("enter")
    await _settle(pilot)


async def revisit(pilot: Pilot) -> None:
    """The Due panel's look-back opened: the check-in from then beside what to write now."""
    await _settle(pilot)
    pilot.app.action_show_due()  # type: ignore[attr-defined]
    await pilot.press("end", "enter")
    await _settle(pilot)


async def import_dialog(pilot: Pilot) -> None:
    """The import dialog (palette: Import)."""
    await _settle(pilot)
    pilot.app.action_import()  # type: ignore[attr-defined]
    await _settle(pilot)


async def privacy(pilot: Pilot) -> None:
    """The screen hidden (ctrl+l)."""
    await _settle(pilot)
    await pilot.press("ctrl+l")
    await _settle(pilot)


async def welcome(pilot: Pilot) -> None:
    """The greeting of the first start, over an empty Today."""
    await _settle(pilot)
    # The journal is in a temporary folder whose name changes every run: show where it
    # usually lives instead, so the picture is the same each time (and as long as a real one).
    panel = pilot.app.screen.query_one(WelcomePanel)
    panel.query_one("#welcome-where", Static).update(
        where_it_lives(Path("/home/sam/.local/share/journal/journal.json"))
    )
    await _settle(pilot)


async def unlock(pilot: Pilot) -> None:
    """The unlock screen of an encrypted journal, after one wrong passphrase."""
    await _settle(pilot)
    pilot.app.screen.query_one("#unlock-passphrase", Input).value = "wrong horse"
    await pilot.press("enter")
    await _settle(pilot)
    await pilot.press(*"correct")
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

MORE_SCENES: dict[str, tuple[AppMaker, Scene]] = {
    "on-this-day": (demo_app_with_earlier_years, on_this_day),
    "follow-up": (demo_app, follow_up),
    "revisit": (demo_app, revisit),
    "import": (demo_app, import_dialog),
    "privacy": (demo_app, privacy),
    "welcome": (first_start_app, welcome),
    "unlock": (locked_app, unlock),
}
