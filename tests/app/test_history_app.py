"""Pilot tests for History: search as you type, filters, preview, edit, star, delete, undo."""

from __future__ import annotations

from textual.widgets import DataTable, Input, Markdown, TextArea

from journal.models import Entry, PromptRef
from journal.tui.dialogs.confirm import ConfirmScreen
from journal.tui.screens.history import HistoryScreen


def seed(store) -> dict[str, Entry]:
    entries = {
        "outage": Entry.new(
            "The outage call went sideways; I asked what success meant for them.",
            title="Outage call",
            day="2026-11-20",
            tags=["calls"],
            prompt=PromptRef("their-side-001", "their-side", "Their words?"),
        ),
        "walk": Entry.new("A walk at lunch helped.", day="2026-11-21", tags=["rest"]),
        "checkin": Entry.new(
            "Structured answers",
            kind="checkin",
            day="2026-10-02",
            checkin={"what_happened": "Invoice dispute escalated"},
        ),
        "starred": Entry.new("Proud of the apology.", day="2026-09-01", starred=True),
    }
    store.add_many(list(entries.values()))
    return entries


async def open_history(app, pilot) -> HistoryScreen:
    await pilot.pause()
    await pilot.press("f3")
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert isinstance(app.screen, HistoryScreen)
    return app.screen


async def settle(app, pilot) -> None:
    await pilot.pause(0.2)
    await app.workers.wait_for_complete()
    await pilot.pause()


async def test_lists_every_entry_newest_first(make_app, store):
    entries = seed(store)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_history(app, pilot)
        assert screen._uids == [entries[k].uid for k in ("walk", "outage", "checkin", "starred")]
        assert screen.query_one("#history-table", DataTable).row_count == 4


async def test_search_as_you_type_covers_checkin_answers(make_app, store):
    entries = seed(store)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_history(app, pilot)
        await pilot.press(*"invoice")
        await settle(app, pilot)
        assert screen._uids == [entries["checkin"].uid]
        assert "invoice" in str(screen.query_one("#active-filters").content).casefold()


async def test_a_hash_word_in_the_search_is_a_tag(make_app, store):
    """`#calls` in the search box finds the entries tagged calls, not the text "#calls";
    the other words still search the text."""
    entries = seed(store)
    store.add(Entry.new("Mentions #calls in the text only, untagged.", day="2026-11-22"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_history(app, pilot)
        await pilot.press(*"#Calls")
        await settle(app, pilot)
        assert screen._uids == [entries["outage"].uid]
        await pilot.press(*" lunch")
        await settle(app, pilot)
        assert screen._uids == []


async def test_filters_combine_and_clear(make_app, store):
    entries = seed(store)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_history(app, pilot)
        screen.query_one("#since", Input).value = "2026-11-01"
        screen.query_one("#tag", Input).value = "calls"
        await settle(app, pilot)
        assert screen._uids == [entries["outage"].uid]
        screen.query_one("#theme").value = "their-side"
        screen.query_one("#tag", Input).value = ""
        await settle(app, pilot)
        assert screen._uids == [entries["outage"].uid]
        screen.query_one("#starred").value = True
        await settle(app, pilot)
        assert screen._uids == []
        await pilot.press("ctrl+r")
        await settle(app, pilot)
        assert len(screen._uids) == 4


async def test_bad_date_is_reported_not_applied(make_app, store):
    seed(store)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_history(app, pilot)
        screen.query_one("#since", Input).value = "someday"
        await settle(app, pilot)
        assert len(screen._uids) == 4
        assert "since" in str(screen.query_one("#active-filters").content)


async def test_preview_renders_the_highlighted_entry(make_app, store):
    entries = seed(store)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_history(app, pilot)
        table = screen.query_one("#history-table", DataTable)
        table.focus()
        await pilot.press("down")
        await pilot.pause()
        assert screen._preview_uid == entries["outage"].uid
        markdown = screen.query_one("#preview", Markdown)
        assert "Outage call" in markdown.source


async def test_open_to_edit_goes_to_today_with_the_entry(make_app, store):
    entries = seed(store)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_history(app, pilot)
        screen.query_one("#history-table", DataTable).focus()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert not isinstance(app.screen, HistoryScreen)
        assert app.screen.query_one("#editor", TextArea).text == entries["outage"].body
        await pilot.press("end", *" Later: it worked.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert store.get(entries["outage"].uid).body.endswith("Later: it worked.")


async def test_star_then_delete_then_undo(make_app, store):
    entries = seed(store)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_history(app, pilot)
        screen.query_one("#history-table", DataTable).focus()
        await pilot.press("ctrl+b")
        await settle(app, pilot)
        assert store.get(entries["walk"].uid).starred
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#answer-delete")
        await settle(app, pilot)
        assert store.get(entries["walk"].uid) is None
        assert len(screen._uids) == 3
        await pilot.press("ctrl+z")
        await settle(app, pilot)
        restored = store.get(entries["walk"].uid)
        assert restored is not None and restored.body == entries["walk"].body
        assert len(screen._uids) == 4


async def test_delete_can_be_cancelled(make_app, store):
    seed(store)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_history(app, pilot)
        screen.query_one("#history-table", DataTable).focus()
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("escape")
        await settle(app, pilot)
        assert store.count() == 4


async def test_palette_jumps_to_an_entry_by_text_or_day(make_app, store):
    from journal.tui.commands import EntriesProvider

    entries = seed(store)
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        provider = EntriesProvider(app.screen, None)
        hits = [h async for h in provider.search("apology")]
        assert len(hits) == 1
        hits[0].command()
        await settle(app, pilot)
        assert isinstance(app.screen, HistoryScreen)
        assert app.screen._current_uid() == entries["starred"].uid
        by_day = [h async for h in provider.search("2026-11-21")]
        assert any("A walk at lunch" in str(h.match_display) for h in by_day)


async def test_history_at_80x24(make_app, store):
    seed(store)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_history(app, pilot)
        assert screen.query_one("#history-table", DataTable).row_count == 4


async def test_a_hash_word_in_the_search_finds_the_tag(make_app, store):
    entries = seed(store)
    store.add(Entry.new("Mentions rest in passing, untagged.", day="2026-11-20"))
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        screen = await open_history(app, pilot)
        await pilot.press(*"#rest")
        await settle(app, pilot)
        assert screen._uids == [entries["walk"].uid]
        await pilot.press(*" lunch")
        await settle(app, pilot)
        assert screen._uids == [entries["walk"].uid]
