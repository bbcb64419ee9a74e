"""What a newcomer trips over in the app (issue 18): write now, the welcome, tab, old entries."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import Static, TextArea

from journal.models import Entry, PromptRef
from journal.tui.dialogs.confirm import ConfirmScreen
from journal.tui.dialogs.welcome import WelcomePanel
from journal.tui.screens.prompt_library import PromptLibraryScreen
from journal.tui.widgets.prompt_card import PromptCard
from tests.conftest import FROZEN
from tests.textual_patches import notifications_raised
from tests.waiting import until


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
        status = str(app.screen.query_one("#status", Static).content)
        assert "Wed 18 Nov" in status and "History" in status
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
        assert app.screen.query(WelcomePanel)
        await pilot.press(*"Hard call today")
        await pilot.pause()
        assert not app.screen.query(WelcomePanel)
        editor = app.screen.query_one("#editor", TextArea)
        assert editor.text == "Hard call today"
        assert app.focused is editor
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert [e.body for e in app.store.entries()] == ["Hard call today"]


async def test_ctrl_s_works_while_the_welcome_shows(make_app):
    app = make_app(first_run=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.screen.query(WelcomePanel)
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Nothing typed yet: the save says so instead of doing nothing.
        assert any("Nothing to save" in n.message for n in notifications_raised(app))
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query(WelcomePanel)
        await pilot.press("escape", *"ab", "enter", *"c")
        await pilot.pause()
        # Closed, enter and escape are the editor's again.
        assert app.screen.query_one("#editor", TextArea).text == "ab\nc"


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


# ---- 6. paper cuts --------------------------------------------------------------------------


async def test_a_save_is_said_in_the_top_bar_not_over_the_list(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"words")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.count() == 1
        assert not [n for n in notifications_raised(app) if n.title == "Saved"]
        assert str(app.screen.query_one("#status", Static).content) == "Saved at 09:30"


async def test_the_tags_placeholder_does_not_read_like_tags(make_app):
    from textual.widgets import Input

    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        placeholder = app.screen.query_one("#tags", Input).placeholder
        assert placeholder == "Tags (optional)"


async def test_insights_says_how_to_scroll_and_shift_down_scrolls(make_app, store):
    from journal.demo import fill_demo

    fill_demo(store, FROZEN.date(), FROZEN.tzinfo)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        footer_keys = " ".join(
            f"{k.key_display} {k.description}" for k in app.screen.query("FooterKey") if k.display
        )
        assert "shift+↓↑ Scroll" in footer_keys
        body = app.screen.query_one("#insights-body")
        assert body.max_scroll_y > 0
        await pilot.press("shift+down")
        await pilot.pause()
        assert body.scroll_y > 0
        await pilot.press("shift+up")
        await pilot.pause()
        assert body.scroll_y == 0


async def test_enter_in_the_export_dialog_exports(make_app, store, tmp_path):
    from textual.widgets import Input

    from journal.tui.dialogs.transfer import ExportScreen

    store.add(Entry.new("to export", moment=FROZEN))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        target = tmp_path / "out.md"
        app.screen.query_one("#export-path", Input).value = str(target)
        app.screen.query_one("#export-format").focus()  # where the cursor starts
        await pilot.pause()
        await pilot.press("enter")
        await until(pilot, target.exists)
        assert "to export" in target.read_text()


async def test_enter_on_cancel_still_cancels_the_export(make_app, tmp_path):
    from textual.widgets import Input

    from journal.tui.dialogs.transfer import ExportScreen

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        target = tmp_path / "out.md"
        app.screen.query_one("#export-path", Input).value = str(target)
        app.screen.query_one("#export-cancel").focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert not isinstance(app.screen, ExportScreen)
        assert not target.exists()


async def test_after_a_delete_history_previews_another_entry(make_app, store):
    from textual.widgets import Markdown

    from journal.tui.dialogs.confirm import ConfirmScreen

    for n, day in enumerate((20, 19, 18)):
        day_of = date(2026, 11, day)
        store.add(Entry.new(f"entry number {n}", title=f"Title {n}", day=day_of, moment=FROZEN))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await until(pilot, lambda: app.screen._preview_uid is not None)
        history = app.screen
        history.query_one("#history-table").focus()
        await pilot.pause()
        first = history._current_uid()
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#answer-delete")
        await pilot.pause()
        await until(pilot, lambda: history._preview_uid not in (None, first))
        preview = history.query_one("#preview", Markdown)
        assert "Title 0" not in preview.source
        assert history._preview_uid == history._current_uid()


# ---- 5. small terminals -----------------------------------------------------------------------


def _footer_whole(app) -> None:
    """Every key shown in the footer fits whole, left of the palette key."""
    footer = app.screen.query_one("FittingFooter")
    palette = next(k for k in footer.children if k.has_class("-command-palette"))
    shown = [k for k in footer.children if k.display and k is not palette]
    assert shown, "the footer shows no key at all"
    assert all(k.region.right <= palette.region.x for k in shown)


async def test_the_footer_is_built_again_only_when_its_keys_change(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        footer = screen.query_one("FittingFooter")
        screen.query_one("#title").focus()
        await pilot.pause()
        keys = list(footer.children)
        screen.query_one("#tags").focus()  # the same keys apply: nothing is rebuilt
        await pilot.pause()
        assert list(footer.children) == keys
        _footer_whole(app)
        await pilot.press("f3")  # another screen, other keys: its own footer, fitted
        await pilot.pause()
        _footer_whole(app)
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        _footer_whole(app)


async def test_today_at_60x20_stacks_the_sidebar_and_keeps_room_to_write(make_app, store):
    from journal.demo import fill_demo

    fill_demo(store, FROZEN.date(), FROZEN.tzinfo)
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        editor = screen.query_one("#editor")
        due = screen.query_one("#due")
        today_list = screen.query_one("#today-entries")
        assert editor.region.width >= 50
        assert editor.content_region.height >= 4
        assert due.display and due.region.y >= editor.region.bottom
        assert today_list.region.y == due.region.y  # side by side under the editor
        assert not screen.query_one("#prompt-followups").display
        _footer_whole(app)


async def test_history_at_80x24_shows_titles_whole_words_and_the_time(make_app, store):
    from journal.tui.screens.history import clip_words

    long_title = "After the outage call with the finance team on Thursday afternoon"
    store.add(Entry.new("body", title=long_title, day=date(2026, 11, 20), moment=FROZEN))
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        await until(pilot, lambda: app.screen._preview_uid is not None)
        await pilot.pause()
        table = app.screen.query_one("#history-table")
        title = str(table.get_cell_at((0, 2)))
        assert len(title) >= 35  # 18 before
        assert title.endswith("…") and long_title.startswith(title[:-1].rstrip())
        assert long_title[len(title) - 1] == " "  # cut between words
        preview = app.screen.query_one("#history-preview")
        assert preview.region.y >= table.region.bottom  # stacked under 100 columns
        heading = app.screen.query_one("#history-preview MarkdownH3")
        assert heading.region.right <= preview.region.right
        # The heading wraps inside the preview (it ran off the edge, time and all, before).
        assert heading.region.height >= 2
        _footer_whole(app)
    assert clip_words("one two three", 9) == "one two…"
    assert clip_words("one two", 20) == "one two"


async def test_every_main_screen_keeps_its_footer_keys_whole_at_60x20(make_app):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        for key in ("f3", "f4", "f5", "f2"):
            await pilot.pause()
            await pilot.press(key)
            await pilot.pause()
            await pilot.pause()
            _footer_whole(app)
            await pilot.press("escape")
            await pilot.pause()


async def test_deleting_the_only_match_clears_the_preview(make_app, store):
    from textual.widgets import Input, Markdown

    store.add(Entry.new("keep me", title="Kept", day=date(2026, 11, 20), moment=FROZEN))
    store.add(Entry.new("a one-off", title="Unique words", day=date(2026, 11, 19), moment=FROZEN))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f3")
        history = app.screen
        history.query_one("#search", Input).value = "Unique"
        await until(pilot, lambda: len(history._uids) == 1)
        preview = history.query_one("#preview", Markdown)
        await until(pilot, lambda: "Unique words" in preview.source)
        history.query_one("#history-table").focus()
        await pilot.press("delete")
        await pilot.pause()
        await pilot.click("#answer-delete")
        await until(pilot, lambda: app.store.count() == 1)
        await until(pilot, lambda: "Unique words" not in preview.source)
        assert "Nothing matches" in preview.source


async def test_the_weekly_review_keeps_its_footer_whole_and_stacks_the_week_at_60x20(
    make_app, store
):
    from journal.demo import fill_demo

    fill_demo(store, FROZEN.date(), FROZEN.tzinfo)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f8")
        await until(pilot, lambda: app.screen.query("#review-week"))
        await pilot.pause()
        await pilot.pause()
        # Textual's own footer cut "f2 Check-in" to "f2 Check-i" here.
        _footer_whole(app)
        week = app.screen.query_one("#review-week")
        writer = app.screen.query_one("#review-writer")
        assert week.region.right <= writer.region.x  # side by side at 80 columns
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        await pilot.pause()
        _footer_whole(app)
        assert writer.region.y >= week.region.bottom  # the week above, the questions below
        assert writer.region.width >= 54
        for answer in app.screen.query("#review-writer TextArea"):
            assert answer.region.height >= 3
            assert answer.region.bottom <= app.screen.query_one("FittingFooter").region.y


async def test_the_checkin_first_step_keeps_its_scale_on_screen_at_60x20(make_app):
    from journal.tui.widgets.checkin_steps import FeelingPicker
    from journal.tui.widgets.intensity import IntensityScale

    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await pilot.press("f2")
        await until(pilot, lambda: app.screen.query("#intensity_before"))
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        scale = screen.query_one("#intensity_before", IntensityScale)
        nav = screen.query_one("#checkin-nav")
        # The scale was below the fold at 60x20, with nothing saying so.
        assert scale.region.height >= 3 and scale.region.bottom <= nav.region.y
        # The feeling words sit in whole rows (three to a row here), not wrapped mid-grid.
        picker = screen.query_one(FeelingPicker)
        lines = [line.rstrip() for line in str(picker.render()).splitlines()]
        assert len(lines) == picker.content_region.height == 4
        assert all(len(line) <= picker.content_region.width for line in lines)
        own = screen.query_one("#own-feeling")
        assert len(own.placeholder) <= own.content_region.width
        _footer_whole(app)


# ---- Dialogs and the look-back at the small sizes (issue 18) ----------------------------------


def _demo(store) -> None:
    from journal.demo import fill_demo

    fill_demo(store, FROZEN.date(), FROZEN.tzinfo)


def _whole_without_scrolling(dialog) -> None:
    """The dialog's title and buttons are all on screen, nothing scrolled away or cut."""
    from textual.widgets import Button

    assert dialog.max_scroll_y == 0, "the dialog has to scroll to show everything"
    box = dialog.content_region
    assert dialog.query_one(".dialog-title").region.y >= box.y
    for button in dialog.query(Button):
        if button.display:
            assert box.y <= button.region.y and button.region.bottom <= box.bottom, button.id


@pytest.mark.parametrize(
    ("size", "button_height"), [((80, 24), 3), ((60, 20), 1)], ids=["80x24", "60x20"]
)
async def test_the_follow_up_dialog_keeps_its_buttons_whole(make_app, store, size, button_height):
    from textual.widgets import Button

    _demo(store)  # its first due row is an overdue follow-up: the dialog's longest text
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.action_show_due()
        await pilot.press("enter")
        await pilot.pause()
        dialog = app.screen.query_one("#follow-up-dialog")
        _whole_without_scrolling(dialog)
        # Full buttons where there is room; one-line ones on a short terminal.
        assert {b.region.height for b in dialog.query(Button)} == {button_height}


@pytest.mark.parametrize("size", [(80, 24), (60, 20)], ids=["80x24", "60x20"])
async def test_the_export_and_import_dialogs_fit_whole(make_app, store, size):
    _demo(store)
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for open_it, dialog_id in (
            (app.action_export, "#export-dialog"),
            (app.action_import, "#import-dialog"),
        ):
            open_it()
            await pilot.pause()
            await pilot.pause()
            _whole_without_scrolling(app.screen.query_one(dialog_id))
            await pilot.press("escape")
            await pilot.pause()


async def test_a_look_back_at_60x20_puts_the_entry_above_and_the_scale_on_one_line(make_app, store):
    from journal.tui.screens.revisit import RevisitScreen

    _demo(store)
    (original,) = [e for e in store.entries() if e.revisit_on == FROZEN.date().isoformat()]
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        app.push_screen(RevisitScreen(original))
        await pilot.pause()
        await pilot.pause()
        screen = app.screen
        entry = screen.query_one("#revisit-original")
        writer = screen.query_one("#revisit-writer")
        assert writer.region.y >= entry.region.bottom and writer.region.width >= 54
        # The scale's 0-10 and its hint one line each (inside the border): not wrapped.
        assert screen.query_one("#revisit-sting").region.height == 4
        _footer_whole(app)
