"""Pilot tests: ctrl+e exports with progress and asks before overwriting; the palette imports."""

from __future__ import annotations

import json
from pathlib import Path

from markdown_it import MarkdownIt
from textual.widgets import Button, Input, ProgressBar, RadioButton, Static

from journal.models import Entry
from journal.store import Store
from journal.tui.dialogs.confirm import ConfirmScreen
from journal.tui.dialogs.transfer import ExportScreen, ImportScreen, TransferScreen


def h3_count(text: str) -> int:
    return sum(1 for t in MarkdownIt("commonmark").parse(text) if t.tag == "h3" and t.nesting == 1)


def fill(store: Store, n: int) -> None:
    store.add_many([Entry.new(f"# Body {i}\n\ntext {i}", title=f"Entry {i}") for i in range(n)])


async def finish(app, pilot) -> TransferScreen:
    """Wait for the transfer's worker, then return the transfer screen."""
    await pilot.pause()
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, TransferScreen)
    return app.screen


def status_of(screen) -> str:
    return str(screen.query_one("#transfer-status", Static).content)


async def test_ctrl_e_exports_one_file_with_progress(make_app, store: Store, tmp_path: Path):
    fill(store, 120)
    target = tmp_path / "out" / "journal.md"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+e")  # works while the editor has the focus
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert "120 entries" in str(app.screen.query_one("#export-summary", Static).content)
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.click("#export-go")
        screen = await finish(app, pilot)
        bar = screen.query_one("#transfer-progress", ProgressBar)
        assert bar.total == bar.progress == 120
        assert str(target) in status_of(screen)
        assert target.exists()
        assert h3_count(target.read_text("utf-8")) == 120
        await pilot.click("#transfer-close")
        await pilot.pause()
        assert not isinstance(app.screen, TransferScreen)


async def test_export_per_entry_with_a_filter(make_app, store: Store, tmp_path: Path):
    fill(store, 3)
    store.add(Entry.new("tagged one", title="Tagged", tags=["calls"]))
    folder = tmp_path / "folder"
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_export()
        await pilot.pause()
        dialog = app.screen
        await pilot.click("#format-folder")
        await pilot.pause()
        assert dialog.query_one("#format-folder", RadioButton).value
        # The default path follows the format.
        assert dialog.query_one("#export-path", Input).value == "~/journal-export"
        dialog.query_one("#export-path", Input).value = str(folder)
        dialog.query_one("#export-tag", Input).value = "calls"
        await pilot.pause()
        assert "1 entry of 4" in str(dialog.query_one("#export-summary", Static).content)
        await pilot.press("ctrl+s")
        screen = await finish(app, pilot)
        assert "one file each" in status_of(screen)
    files = list(folder.rglob("*.md"))
    assert len(files) == 1 and files[0].read_text("utf-8").endswith("\n---\ntagged one\n")


async def test_bad_date_is_shown_not_exported(make_app, store: Store, tmp_path: Path):
    fill(store, 1)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        app.screen.query_one("#export-since", Input).value = "someday"
        await pilot.pause()
        await pilot.click("#export-go")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)  # still asking
        summary = app.screen.query_one("#export-summary", Static)
        assert summary.has_class("-error") and "Since" in str(summary.content)


async def test_overwriting_asks_first(make_app, store: Store, tmp_path: Path):
    fill(store, 2)
    target = tmp_path / "exists.md"
    target.write_text("precious\n")
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.pause()
        assert "asked" in str(app.screen.query_one("#export-summary", Static).content)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#answer-cancel")
        await pilot.pause()
        assert target.read_text() == "precious\n"
        await pilot.press("ctrl+e")
        await pilot.pause()
        app.screen.query_one("#export-path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.click("#answer-overwrite")
        await finish(app, pilot)
        assert h3_count(target.read_text("utf-8")) == 2


async def test_palette_imports_with_a_preview(make_app, store: Store, tmp_path: Path):
    source = tmp_path / "jrnl.json"
    source.write_text(
        json.dumps(
            {
                "tags": {"@work": 1},
                "entries": [
                    {
                        "title": "From jrnl.",
                        "body": "Moved in.",
                        "date": "2024-03-01",
                        "time": "09:30",
                        "tags": ["@work"],
                        "starred": True,
                    },
                    {
                        "title": "Second.",
                        "body": "",
                        "date": "2024-03-02",
                        "time": "10:00",
                        "tags": [],
                        "starred": False,
                    },
                ],
            }
        )
    )
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Import Markdown or jrnl JSON…" in titles and "Export to Markdown…" in titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Import Markdown")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one("#import-path", Input).value = str(source)
        await pilot.press("enter")
        screen = await finish(app, pilot)
        assert "Would add 2" in status_of(screen)
        assert store.count() == 0  # a preview changes nothing
        confirm = screen.query_one("#transfer-confirm", Button)
        assert confirm.display and str(confirm.label) == "Import"
        await pilot.click("#transfer-confirm")
        screen = await finish(app, pilot)
        assert "Added 2" in status_of(screen)
        assert store.count() == 2
        assert {e.title for e in store.entries()} == {"From jrnl.", "Second."}


async def test_import_problem_is_shown_and_changes_nothing(
    make_app, store: Store, db_path: Path, tmp_path: Path
):
    fill(store, 1)
    before = json.loads(db_path.read_bytes())["entries"]
    bad = tmp_path / "bad.json"
    bad.write_text('{"entries": [\n  {"date": "2024-13-01"}\n]}')
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        app.action_import()
        await pilot.pause()
        app.screen.query_one("#import-path", Input).value = str(bad)
        await pilot.click("#import-go")
        screen = await finish(app, pilot)
        assert "2024-13-01" in status_of(screen)
        assert screen.query_one("#transfer-status", Static).has_class("-error")
        assert not screen.query_one("#transfer-confirm", Button).display
    # (Opening Today logs the day's prompt; the entries are what must not change.)
    assert json.loads(db_path.read_bytes())["entries"] == before
