"""Pilot tests for Today: type, save, reopen, edit, quit guard, prompts, help, palette."""

from __future__ import annotations

from textual.widgets import Input, TextArea

from journal.store import make_filter
from journal.tui.dialogs.confirm import ConfirmScreen
from journal.tui.dialogs.help import HelpScreen
from journal.tui.widgets.entry_list import EntryList
from journal.tui.widgets.prompt_card import PromptCard


async def test_opens_with_cursor_in_editor_and_a_prompt(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, TextArea)
        assert app.focused.id == "editor"
        card = app.screen.query_one(PromptCard)
        assert card.prompt is not None
        # Showing the prompt is logged once for the day.
        log = app.store.prompt_log()
        assert [r["status"] for r in log] == ["shown"]
        assert log[0]["day"] == "2026-11-22"


async def test_type_save_records_prompt_and_lists_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"A calmer call today")
        await pilot.press("ctrl+s")
        await pilot.pause()
        entries = app.store.entries()
        assert len(entries) == 1
        entry = entries[0]
        assert entry.body == "A calmer call today"
        assert entry.day == "2026-11-22"
        shown = app.screen.query_one(PromptCard).prompt
        assert entry.prompt is not None and entry.prompt.id == shown.id
        assert entry.prompt.text == shown.text
        assert any(r["status"] == "answered" for r in app.store.prompt_log())
        entry_list = app.screen.query_one("#today-entries", EntryList)
        assert entry_list.option_count == 1
        assert not app.screen.has_unsaved


async def test_second_save_updates_the_same_entry(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"first")
        await pilot.press("ctrl+s")
        await pilot.press(*" and more")
        await pilot.press("ctrl+s")
        await pilot.pause()
        entries = app.store.entries()
        assert len(entries) == 1
        assert entries[0].body == "first and more"


async def test_title_and_tags_are_saved(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.screen.query_one("#title", Input).value = "After the outage"
        app.screen.query_one("#tags", Input).value = "calls, #Growth"
        app.screen.query_one("#editor", TextArea).load_text("Body text")
        await pilot.press("ctrl+s")
        await pilot.pause()
        entry = app.store.entries()[0]
        assert entry.title == "After the outage"
        assert entry.tags == ("calls", "growth")


async def test_new_entry_then_reopen_and_edit(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"one")
        await pilot.press("ctrl+s")
        await pilot.press("ctrl+n")
        await pilot.pause()
        editor = app.screen.query_one("#editor", TextArea)
        assert editor.text == ""
        await pilot.press(*"two")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.count() == 2
        # Reopen "one" from the list (newest first: "two" then "one").
        entry_list = app.screen.query_one("#today-entries", EntryList)
        entry_list.focus()
        entry_list.highlighted = 1
        await pilot.press("enter")
        await pilot.pause()
        assert editor.text == "one"
        editor.focus()
        await pilot.press("end", *" edited")
        await pilot.press("ctrl+s")
        await pilot.pause()
        bodies = sorted(e.body for e in app.store.entries())
        assert bodies == ["one edited", "two"]


async def test_quit_with_unsaved_text_asks_and_keep_writing_keeps_it(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"unsaved words")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running
        assert app.screen.query_one("#editor", TextArea).text == "unsaved words"


async def test_quit_guard_save_saves_then_quits(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"keep me")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#answer-save")
        await pilot.pause()
    assert app.return_code == 0
    assert [e.body for e in app.store.entries()] == ["keep me"]


async def test_quit_guard_discard_quits_without_saving(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"throw away")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#answer-discard")
        await pilot.pause()
    assert app.store.count() == 0


async def test_quit_without_unsaved_text_quits_at_once(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert app.return_code == 0


async def test_another_prompt_changes_and_logs_skip(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        card = app.screen.query_one(PromptCard)
        first = card.prompt
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert card.prompt.id != first.id
        statuses = [(r["prompt"], r["status"]) for r in app.store.prompt_log()]
        assert (first.id, "skipped") in statuses
        assert (card.prompt.id, "shown") in statuses


async def test_prompt_of_the_day_is_stable_across_restarts(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = app.screen.query_one(PromptCard).prompt.id
    again = make_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.screen.query_one(PromptCard).prompt.id == first


async def test_insert_followups_adds_headings(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        prompt = app.screen.query_one(PromptCard).prompt
        await pilot.press("ctrl+t")
        await pilot.pause()
        text = app.screen.query_one("#editor", TextArea).text
        for question in prompt.followups:
            assert f"## {question}" in text


async def test_f1_lists_every_key(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.content) for s in app.screen.query(".help-keys"))
        for key in ("ctrl+s", "ctrl+n", "ctrl+r", "ctrl+t", "ctrl+q", "f1", "ctrl+p"):
            assert key in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_command_palette_lists_actions(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for title in ("Save entry", "New entry", "Another prompt", "Help", "Quit", "Theme"):
            assert title in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        from textual.command import CommandPalette

        assert isinstance(app.screen, CommandPalette)


async def test_empty_save_is_refused_politely(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.count() == 0


async def test_entry_added_elsewhere_appears(make_app, db_path):
    from journal.models import Entry
    from journal.store import Store

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        other = Store.open(db_path)
        other.add(Entry.new("from the CLI", day="2026-11-22"))
        app.screen._check_external_changes()
        await pilot.pause()
        assert app.screen.query_one("#today-entries", EntryList).option_count == 1
        # Saving in the app must not erase what the other process wrote.
        await pilot.press(*"from the app")
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert sorted(e.body for e in Store.open(db_path).entries(make_filter())) == [
        "from the CLI",
        "from the app",
    ]


async def test_works_at_200x60(make_app):
    app = make_app()
    async with app.run_test(size=(200, 60)) as pilot:
        await pilot.pause()
        await pilot.press(*"wide")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.count() == 1
