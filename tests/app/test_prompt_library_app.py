"""Pilot tests for the prompt feed in the app: library, stars, themes, palette, broken packs."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, OptionList

from journal.prompts import PromptLibrary, builtin_packs_dir
from journal.tui.dialogs.theme_picker import ThemePickerScreen
from journal.tui.screens.prompt_library import PromptLibraryScreen
from journal.tui.widgets.prompt_card import PromptCard
from tests.textual_patches import notifications_raised


async def test_library_search_narrows_as_you_type(make_app, library):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, PromptLibraryScreen)
        option_list = app.screen.query_one("#prompt-list", OptionList)
        assert option_list.option_count == len(library.prompts())
        await pilot.press(*"inner critic")
        await pilot.pause()
        shown = app.screen._shown
        assert 0 < len(shown) < len(library.prompts())
        for prompt in shown:
            haystack = " ".join([prompt.text, *prompt.followups, *prompt.tags]).casefold()
            assert "inner" in haystack or "critic" in haystack or prompt.theme


async def test_library_theme_filter_and_write_now(make_app):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        screen = app.screen
        screen.query_one("#theme-filter").value = "their-side"
        await pilot.pause()
        assert screen._shown and all(p.theme == "their-side" for p in screen._shown)
        chosen = screen.highlighted_prompt()
        await pilot.press("ctrl+o")
        await pilot.pause()
        assert not isinstance(app.screen, PromptLibraryScreen)
        assert app.screen.query_one(PromptCard).prompt.id == chosen.id
        # Writing now answers that prompt.
        await pilot.press(*"About their side")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.entries()[0].prompt.id == chosen.id


async def test_star_from_library_is_remembered_and_filterable(make_app, store):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        first = app.screen.highlighted_prompt()
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert store.starred_prompts() == [first.id]
        app.screen.query_one("#starred-only").value = True
        await pilot.pause()
        assert [p.id for p in app.screen._shown] == [first.id]
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert store.starred_prompts() == []


async def test_star_todays_prompt_with_ctrl_b(make_app, store):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        prompt = app.screen.query_one(PromptCard).prompt
        await pilot.press("ctrl+b")
        await pilot.pause()
        assert prompt.id in store.starred_prompts()
        assert "★" in app.screen.query_one(PromptCard).border_subtitle


async def test_pick_a_theme_narrows_another_prompt(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_pick_theme()
        await pilot.pause()
        assert isinstance(app.screen, ThemePickerScreen)
        options = app.screen.query_one("#theme-options", OptionList)
        ids = [options.get_option_at_index(i).id for i in range(options.option_count)]
        options.highlighted = ids.index("theme:self-compassion")
        await pilot.press("enter")
        await pilot.pause()
        card = app.screen.query_one(PromptCard)
        assert card.prompt.theme == "self-compassion"
        for _ in range(3):
            await pilot.press("ctrl+r")
            await pilot.pause()
            assert card.prompt.theme == "self-compassion"


async def test_palette_provider_finds_prompts_by_text(make_app, library):
    from journal.tui.commands import PromptsProvider

    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        target = library.get("their-side-002")
        provider = PromptsProvider(app.screen, None)
        hits = [hit async for hit in provider.search("what does it mean for them")]
        assert hits
        best = max(hits, key=lambda h: h.score)
        best.command()
        await pilot.pause()
        assert app.screen.query_one(PromptCard).prompt.id == target.id


async def test_broken_user_pack_is_reported_once_and_app_starts(make_app, tmp_path: Path):
    user_dir = tmp_path / "user-prompts"
    user_dir.mkdir()
    (user_dir / "mine.toml").write_text(
        'id = "mine"\ntitle = "Mine"\ntheme = "mine"\n\n[[prompts]]\nid = "mine-001"\ntext = ""\n',
        encoding="utf-8",
    )
    library = PromptLibrary.load(builtin_packs_dir(), user_dir)
    assert len(library.problems) == 1
    app = make_app(prompts=library)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        notes = [n.message for n in notifications_raised(app)]
        assert len([n for n in notes if "mine.toml" in n]) == 1
        assert any("mine-001" in n for n in notes)
        assert isinstance(app.focused, Input) is False
        assert app.screen.query_one(PromptCard).prompt is not None


async def test_unknown_pack_names_in_the_config_are_shown_once(make_app):
    """A typo in enabled_packs is said in the app too, naming the pack (issue 15, item 16)."""
    lib = PromptLibrary.load(user_dir=None, enabled_only=["their-side", "thier-side"])
    app = make_app(prompts=lib)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        found = [n for n in notifications_raised(app) if n.title == "Check your config file"]
        assert len(found) == 1
        assert "names no pack called 'thier-side'" in found[0].message
        assert "the packs are:" in found[0].message
