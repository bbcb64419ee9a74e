"""What a newcomer trips over in the app (issue 18): write now, the welcome, tab, old entries."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Static, TextArea

from journal.models import Entry, PromptRef
from journal.tui.dialogs.confirm import ConfirmScreen
from journal.tui.dialogs.welcome import WelcomeScreen
from journal.tui.screens.prompt_library import PromptLibraryScreen
from journal.tui.widgets.prompt_card import PromptCard
from tests.conftest import FROZEN


def _old_entry(store, library, body: str = "An older reflection") -> Entry:
    prompt = library.prompts()[5]
    entry = Entry.new(
        body,
        title="Older",
        day=date(2026, 11, 18),
        prompt=PromptRef(prompt.id, prompt.pack, prompt.text),
        moment=FROZEN.replace(day=18, hour=20, minute=15),
    )
    store.add(entry)
    return entry


# ---- 1. "Write now" starts a fresh entry ------------------------------------------------------


async def test_write_now_from_the_library_never_writes_into_the_open_entry(make_app, store):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"first entry")
        await pilot.press("ctrl+s")
        await pilot.pause()
        saved = app.store.entries()[0]
        await pilot.press("f5")
        await pilot.pause()
        library_screen = app.screen
        assert isinstance(library_screen, PromptLibraryScreen)
        chosen = library_screen._shown[3]
        library_screen.query_one("#prompt-list").highlighted = 3
        await pilot.press("ctrl+o")
        await pilot.pause()
        today = app.screen
        assert today.editing is None
        assert today.query_one("#editor", TextArea).text == ""
        assert today.query_one(PromptCard).prompt.id == chosen.id
        await pilot.press(*"about the new prompt")
        await pilot.press("ctrl+s")
        await pilot.pause()
        entries = {e.uid: e for e in app.store.entries()}
        assert len(entries) == 2
        assert entries[saved.uid].body == "first entry"
        assert entries[saved.uid].prompt == saved.prompt
        new = next(e for e in entries.values() if e.uid != saved.uid)
        assert new.body == "about the new prompt" and new.prompt.id == chosen.id


async def test_write_now_asks_about_unsaved_text_first(make_app, library):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"half a thought")
        # The palette's prompt commands call this.
        app.write_about_prompt(library.prompts()[2].id)
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")  # keep writing
        await pilot.pause()
        editor = app.screen.query_one("#editor", TextArea)
        assert editor.text == "half a thought"
        app.write_about_prompt(library.prompts()[2].id)
        await pilot.pause()
        await pilot.click("#answer-save")
        await pilot.pause()
        assert editor.text == ""
        assert app.screen.editing is None
        assert app.screen.query_one(PromptCard).prompt.id == library.prompts()[2].id
        assert [e.body for e in app.store.entries()] == ["half a thought"]


async def test_write_now_from_the_checkin_lands_on_a_fresh_entry(make_app, library):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"today so far")
        await pilot.press("ctrl+s")
        await pilot.press("f2")
        await pilot.pause()
        app.write_about_prompt(library.prompts()[4].id)
        await pilot.pause()
        today = app.screen
        assert today is app.home
        assert today.editing is None
        assert today.query_one("#editor", TextArea).text == ""


# ---- 4. an old entry shows its own day and prompt ----------------------------------------------


async def test_editing_an_old_entry_shows_its_day_and_prompt(make_app, store, library):
    old = _old_entry(store, library)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        today_prompt = app.screen.query_one(PromptCard).prompt
        date_label = app.screen.query_one("#date", Static)
        assert "Sunday 22 November 2026" in str(date_label.content)
        app.edit_entry(old.uid)
        await pilot.pause()
        assert "Wednesday 18 November 2026" in str(date_label.content)
        card = app.screen.query_one(PromptCard)
        assert card.prompt.id == old.prompt.id != today_prompt.id
        assert card.prompt.text == old.prompt.text
        assert "Wed 18 Nov" in str(app.screen.query_one("#editor", TextArea).border_title)
        await pilot.press("end", *" more")
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Saved where it belongs, and the message says so.
        assert app.store.get(old.uid).day == "2026-11-18"
        messages = [n.message for n in app._notifications]
        assert any("18 November" in m and "History" in m for m in messages)
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert "Sunday 22 November 2026" in str(date_label.content)
        assert card.prompt.id == today_prompt.id


async def test_editing_an_entry_without_a_prompt_hides_todays(make_app, store):
    note = Entry.new("a note", day=date(2026, 11, 20), moment=FROZEN.replace(day=20))
    store.add(note)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.edit_entry(note.uid)
        await pilot.pause()
        assert not app.screen.query_one(PromptCard).display
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert app.screen.query_one(PromptCard).display


# ---- 2. the first keystrokes are not lost -----------------------------------------------------


async def test_typing_over_the_welcome_lands_in_the_editor_and_ctrl_s_saves(make_app):
    app = make_app(first_run=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press(*"Hard call today")
        await pilot.pause()
        assert not isinstance(app.screen, WelcomeScreen)
        editor = app.screen.query_one("#editor", TextArea)
        assert editor.text == "Hard call today"
        assert app.focused is editor
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [e.body for e in app.store.entries()] == ["Hard call today"]


async def test_ctrl_s_on_the_welcome_closes_it_and_saves(make_app):
    app = make_app(first_run=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, WelcomeScreen)
        # Nothing typed yet: the save says so instead of doing nothing.
        assert any("Nothing to save" in n.message for n in app._notifications)
