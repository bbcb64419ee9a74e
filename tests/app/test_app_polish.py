"""The first start greeting and a theme choice that is remembered."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import TextArea

from journal.config import Settings, load_settings
from journal.tui.dialogs.welcome import WelcomePanel


async def test_first_start_greets_once_then_writing_begins(make_app, db_path: Path):
    app = make_app(first_run=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        panel = app.screen.query_one(WelcomePanel)
        text = " ".join(str(s.content) for s in panel.query("Static"))
        assert str(db_path) in text
        assert "Nothing you write leaves it" in text
        for key in ("ctrl+s", "ctrl+p", "f1"):
            assert key in text
        await pilot.press("enter")
        await pilot.pause()
        assert not app.screen.query(WelcomePanel)
        assert isinstance(app.focused, TextArea)
        assert app.focused.text == ""  # enter closed the welcome; it wrote nothing


async def test_no_greeting_when_the_journal_exists(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert not app.screen.query(WelcomePanel)


async def test_theme_choice_is_remembered_in_the_config(make_app, tmp_path: Path):
    config = tmp_path / "config" / "config.toml"
    app = make_app(config_path=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.theme = "nord"
        await pilot.pause()
    settings, problem = load_settings(config)
    assert problem is None
    assert settings.theme == "nord"
    again = make_app(config_path=config, settings=settings)
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "nord"


async def test_every_builtin_theme_is_offered(make_app):
    app = make_app(settings=Settings())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "journal-calm"
        for name in ("textual-dark", "textual-light", "nord", "gruvbox", "journal-calm-light"):
            assert name in app.available_themes
