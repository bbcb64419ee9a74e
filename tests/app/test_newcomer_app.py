"""What a newcomer trips over in the app (issue 18): write now, the welcome, tab, old entries."""

from __future__ import annotations

from datetime import date

from textual.widgets import Static, TextArea

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


# ---- 3. tab moves focus; alt+right indents; focus shows in every theme ------------------------


async def test_tab_moves_between_title_tags_editor_and_the_list(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"words")
        await pilot.press("ctrl+s")
        await pilot.pause()
        editor = app.screen.query_one("#editor", TextArea)
        order = []
        for _ in range(4):
            await pilot.press("tab")
            await pilot.pause()
            order.append(app.focused.id)
        assert order == ["today-entries", "title", "tags", "editor"]
        assert "\t" not in editor.text and editor.text == "words"
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused.id == "tags"


async def test_alt_right_nests_a_list_item_and_alt_left_takes_it_back(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"- first", "enter", *"- second")
        await pilot.press("alt+right")
        await pilot.pause()
        editor = app.screen.query_one("#editor", TextArea)
        assert editor.text == "- first\n  - second"
        await pilot.press(*"!")
        assert editor.text == "- first\n  - second!"
        await pilot.press("alt+left")
        assert editor.text == "- first\n- second!"
        await pilot.press("enter", *"10. ten", "enter", *"- under")
        await pilot.press("alt+right")
        assert editor.text.endswith("10. ten\n    - under")


def test_indent_steps_follow_the_list_item_above():
    from journal.tui.screens.today import indent_step, outdent_step

    assert indent_step(["plain", "text"], 1) == 2
    assert indent_step(["- a", "- b"], 1) == 2
    assert indent_step(["1. a", "b"], 1) == 3
    assert indent_step(["- a", "  - b"], 1) == 2  # already nested: one more level
    assert indent_step(["- a", "", "b"], 2) == 2
    assert outdent_step(["- a", "  - b"], 1) == 2
    assert outdent_step(["1. a", "   - b"], 1) == 3
    assert outdent_step(["x"], 0) == 0
    assert outdent_step([" x"], 0) == 1


def _distance(a, b) -> float:
    return sum((x - y) ** 2 for x, y in zip(a.rgb, b.rgb, strict=True)) ** 0.5


def _seen(widget) -> tuple:
    """The colours on screen: the widget's background, and its border blended over it."""
    base, background = widget.background_colors
    return background, base + widget.styles.border_top[1]


async def test_the_focused_region_stands_out_in_every_theme(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"words")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        regions = {
            "#title": 0,  # compact fields: a tint
            "#tags": 0,
            "#editor": 1,  # bordered regions: the border
            "#today-entries": 1,
        }
        for theme in sorted(app.available_themes):
            app.theme = theme
            screen.query_one("#editor").focus()
            await pilot.pause()
            unfocused = {sel: _seen(screen.query_one(sel)) for sel in regions}
            unfocused["#editor"] = None
            screen.query_one("#title").focus()
            await pilot.pause()
            unfocused["#editor"] = _seen(screen.query_one("#editor"))
            for selector, part in regions.items():
                widget = screen.query_one(selector)
                widget.focus()
                await pilot.pause()
                changed = _distance(unfocused[selector][part], _seen(widget)[part])
                assert changed > 40, (theme, selector, changed)
