"""Odd and huge text (control characters, 1 MB, 10,000 lines): stored exactly, shown safely."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import orjson
from textual.widgets import TextArea

from journal.models import Entry
from journal.paths import drafts_dir
from journal.store import Store
from journal.store.drafts import DraftBox
from tests.conftest import FROZEN
from tests.textual_patches import notifications_raised
from tests.waiting import until

JOURNAL = str(Path(sys.executable).parent / "journal")
CONTROL = "nul\x00 bell\x07 esc\x1b[2J back\x08 del\x7f c1\x9b vt\x0b ff\x0c cr\r end"
ONE_MB = ("A long paste about a hard call, with üñíçødé and emoji 🌱. " * 18 + "\n") * 1000
TEN_THOUSAND_LINES = "".join(f"line {i}: what did I learn today?\n" for i in range(10_000))


def journal(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [JOURNAL, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=120,
    )


def test_sizes_are_what_they_say() -> None:
    assert len(ONE_MB.encode()) >= 1_000_000
    assert TEN_THOUSAND_LINES.count("\n") == 10_000


def test_control_characters_are_stored_exactly_and_listed_safely(db_path: Path) -> None:
    added = journal("add", "-", "--title", "odd", stdin=CONTROL)
    assert added.returncode == 0, added.stderr
    listed = journal("list", "--json")
    [entry] = orjson.loads(listed.stdout)
    assert entry["body"] == CONTROL + "\n"
    # The plain listing never sends a raw control character to the terminal.
    titled = Store.open(db_path).add(Entry.new("body", title="esc\x1b[31m red \x07"))
    plain = journal("list").stdout
    assert titled.uid[:8] in plain
    assert not any(ch in plain for ch in "\x00\x07\x1b\x08\x7f\x9b")
    assert "esc\\x1b[31m red \\x07" in plain


def test_a_one_megabyte_paste_through_the_cli(db_path: Path, tmp_path: Path) -> None:
    added = journal("add", "-", stdin=ONE_MB)
    assert added.returncode == 0, added.stderr
    [entry] = Store.open(db_path).entries()
    assert entry.body == ONE_MB
    assert "A long paste about a hard call" in journal("list").stdout
    out = tmp_path / "big.md"
    assert journal("export", "-o", str(out)).returncode == 0
    assert ONE_MB.strip() in out.read_text()


async def test_ten_thousand_lines_in_the_editor_save_and_list(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        editor = app.screen.query_one("#editor", TextArea)
        editor.load_text(TEN_THOUSAND_LINES)
        editor.move_cursor(editor.document.end)
        await pilot.press(*"the last word")
        # Markdown highlighting re-parses everything per key: off for a text this long.
        assert editor.language is None
        assert any("long entry" in n.message for n in notifications_raised(app))
        await pilot.press("ctrl+s")
        # The save runs once the editor has taken every key before it (today.action_save).
        await until(pilot, lambda: app.store.count() == 1)
        [entry] = app.store.entries()
        assert entry.body == TEN_THOUSAND_LINES + "the last word"
        sidebar = app.screen.query_one("#today-entries")
        assert sidebar.option_count == 1
        assert "line 0: what did I learn today?" in str(sidebar.get_option_at_index(0).prompt)
        # Open it again from the list: the editor holds every line.
        await pilot.press("ctrl+n")
        await pilot.pause()
        assert editor.language == "markdown", "a short text is highlighted again"
        app.screen.open_entry(entry.uid)
        await pilot.pause()
        assert editor.document.line_count == 10_001
        assert editor.language is None
    assert "line 9999" in journal("list", "--json").stdout


async def test_a_one_megabyte_paste_in_the_app_and_its_draft(make_app, db_path: Path) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        editor = app.screen.query_one("#editor", TextArea)
        editor.insert(ONE_MB)  # what a paste does
        await pilot.pause()
        app.screen.flush_draft()
        [draft_file] = drafts_dir(db_path).glob("draft-*.json")
        assert orjson.loads(draft_file.read_bytes())["body"] == ONE_MB
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.store.entries()[0].body == ONE_MB
        assert list(drafts_dir(db_path).glob("draft-*.json")) == []


async def test_control_characters_in_the_app(make_app, store: Store) -> None:
    entry = store.add(Entry.new(CONTROL, title="t\x1bitle", day=FROZEN.date(), moment=FROZEN))
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert app.screen.query_one("#today-entries").option_count == 1
        app.screen.open_entry(entry.uid)
        await pilot.pause()
        editor = app.screen.query_one("#editor", TextArea)
        assert "esc" in editor.text and "end" in editor.text
        await pilot.press("end")
        await pilot.press(*"!")
        await pilot.press("ctrl+s")
        await pilot.pause()
    [saved] = store.entries()
    assert saved.uid == entry.uid
    assert saved.body.startswith("nul\x00 bell\x07 esc\x1b[2J")


def test_a_draft_with_control_characters_round_trips(db_path: Path) -> None:
    from journal.store.drafts import Draft

    box = DraftBox(db_path, session="s")
    box.save(Draft("t", "", CONTROL))
    box.close()
    [orphan] = DraftBox(db_path).orphans()
    assert orphan.body == CONTROL
