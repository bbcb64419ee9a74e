"""Pilot tests for the app's shell: the palette table, Today as home, writing screens, messages."""

from __future__ import annotations

from datetime import date

from journal.models import Entry
from journal.tui.commands import SYSTEM_COMMANDS
from journal.tui.drafting import WritingScreen
from journal.tui.messages import EntriesChanged
from journal.tui.screens.checkin import CheckinScreen
from journal.tui.screens.history import HistoryScreen
from journal.tui.screens.revisit import RevisitScreen
from journal.tui.screens.today import TodayScreen


def test_every_key_of_the_app_and_of_today_is_in_the_palette() -> None:
    from journal.tui.app import JournalApp

    actions = {action for _, _, action in SYSTEM_COMMANDS}
    for binding in JournalApp.BINDINGS:
        assert binding.action in actions, binding.action
    for binding in TodayScreen.BINDINGS:
        if binding.description:  # one without is not a key to offer (closing the welcome)
            assert f"screen.{binding.action}" in actions, binding.action


def test_the_screens_written_on_are_writing_screens() -> None:
    for screen in (TodayScreen, CheckinScreen, RevisitScreen):
        assert issubclass(screen, WritingScreen)
    assert not issubclass(HistoryScreen, WritingScreen)


async def test_home_is_today_under_every_other_screen(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        home = app.home
        assert isinstance(home, TodayScreen)
        await pilot.press("f3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert app.home is home
        assert app.go_home() is home
        await pilot.pause()
        assert app.screen is home


async def test_a_today_command_elsewhere_says_where_it_works(make_app, monkeypatch) -> None:
    app = make_app()
    said: list[str] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        monkeypatch.setattr(app, "notify", lambda message, **_: said.append(message))
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        commands["New entry"].callback()
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        assert said == ["That works on Today only."]
        commands["Insights"].callback()
        await pilot.pause()
        assert said == ["That works on Today only."]


async def test_entries_changed_refreshes_the_screen_in_front(make_app, store) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        assert screen._uids == []
        entry = Entry.new("Written behind History's back.", day=date(2026, 11, 20))
        store.add(entry)
        screen.post_message(EntriesChanged())
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen._uids == [entry.uid]


async def test_undo_delete_from_the_palette_refreshes_history(make_app, store) -> None:
    entry = Entry.new("Keep me.", day=date(2026, 11, 20))
    store.add(entry)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, HistoryScreen)
        app.delete_entry(entry.uid)
        screen.refresh_rows()
        await pilot.pause()
        assert screen._uids == []
        commands = {c.title: c for c in app.get_system_commands(screen)}
        commands["Undo delete"].callback()
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen._uids == [entry.uid]
