"""Pilot tests: the unlock screen of an encrypted journal, and the export dialog's warning."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from journal.config import Settings
from journal.models import Entry
from journal.store import Store, crypto
from journal.store.crypto import KdfParams, Key, is_encrypted
from journal.store.drafts import DraftBox
from journal.tui.dialogs.transfer import ExportScreen
from journal.tui.screens.unlock import Locked, UnlockScreen
from tests.conftest import FROZEN

PASS = "correct horse battery staple"


@pytest.fixture(autouse=True)
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(crypto, "DEFAULT_N", 2**10)


@pytest.fixture
def encrypted(db_path: Path) -> Path:
    """A journal with one entry, encrypted with PASS."""
    store = Store.open(db_path)
    store.add(Entry.new("The quokka entry from before.", moment=FROZEN))
    store.rekey(Key.derive(PASS, KdfParams.fresh()))
    return db_path


def locked_app(library, db_path: Path, **kwargs):
    from journal.tui.app import JournalApp

    return JournalApp(
        settings=Settings(),
        store=None,
        prompts=library,
        clock=lambda: FROZEN,
        locked=Locked(db_path),
        **kwargs,
    )


async def submit(app, pilot, text: str) -> None:
    field = app.screen.query_one("#unlock-passphrase", Input)
    field.value = text
    await pilot.press("enter")
    assert field.value == ""  # cleared at once: the passphrase is not kept on screen
    await app.workers.wait_for_complete()
    await pilot.pause()


def message(app) -> str:
    return str(app.screen.query_one("#unlock-message", Static).content)


async def test_wrong_then_right_passphrase_opens_today(library, encrypted: Path) -> None:
    app = locked_app(library, encrypted)
    before = encrypted.read_bytes()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        await pilot.press("f2", "f3", "ctrl+p")  # nothing opens while locked
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        await submit(app, pilot, "not the passphrase")
        assert isinstance(app.screen, UnlockScreen)
        assert "does not open" in message(app) and "2 tries left" in message(app)
        assert encrypted.read_bytes() == before
        assert app.store is None
        await submit(app, pilot, PASS)
        await pilot.pause()
        assert type(app.screen).__name__ == "TodayScreen"
        # Opened as every start opens it (store/opening.py): daily backup included.
        assert app.store.encrypted and app.store.before_write is not None
        assert "quokka entry" in str(
            app.screen.query_one("#today-entries").get_option_at_index(0).prompt
        )
        # Writing works as ever, and the draft it autosaves is encrypted.
        app.screen.query_one("#editor").insert("A platypus paragraph.")
        app.screen.drafts.write_now()
        draft = DraftBox(encrypted, session=app.screen.drafts.box.session).path
        assert is_encrypted(draft.read_bytes()) and b"platypus" not in draft.read_bytes()
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert b"platypus" not in encrypted.read_bytes()
    key = Key.for_file(PASS, encrypted.read_bytes())
    bodies = [e.body for e in Store.open(encrypted, key=key).entries()]
    assert "A platypus paragraph." in bodies


async def test_three_wrong_passphrases_exit_with_code_1(library, encrypted: Path) -> None:
    app = locked_app(library, encrypted)
    before = encrypted.read_bytes()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await submit(app, pilot, "wrong one")
        await submit(app, pilot, "wrong two")
        assert "1 try left" in message(app)
        await submit(app, pilot, "wrong three")
        await pilot.pause()
    assert app.return_code == 1
    assert encrypted.read_bytes() == before


async def test_an_empty_passphrase_is_not_a_try(library, encrypted: Path) -> None:
    app = locked_app(library, encrypted)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await submit(app, pilot, "")
        assert "Type the passphrase" in message(app)
        assert app.screen.failures == 0


async def test_unlocking_continues_into_the_checkin(library, encrypted: Path) -> None:
    app = locked_app(library, encrypted, start="checkin")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await submit(app, pilot, PASS)
        await pilot.pause()
        assert type(app.screen).__name__ == "CheckinScreen"
        assert type(app.screen_stack[0]).__name__ == "TodayScreen"


async def test_export_dialog_warns_when_the_journal_is_encrypted(make_app, db_path: Path):
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        assert not app.screen.query("#export-plain-warning")
    store = Store.open(db_path, key=Key.derive(PASS, KdfParams.fresh()))
    app = make_app(store=store)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, ExportScreen)
        warning = app.screen.query_one("#export-plain-warning", Static)
        assert "this export is plain text" in str(warning.content)


async def test_the_unlock_screen_refuses_an_older_copy(library, db_path: Path) -> None:
    """The right passphrase, but an older copy than this computer has seen: not opened."""
    key = Key.derive(PASS, KdfParams.fresh())
    store = Store.open(db_path, key=key)
    store.add(Entry.new("The first entry.", moment=FROZEN))
    older = db_path.read_bytes()
    store.add(Entry.new("The second entry.", moment=FROZEN))
    db_path.write_bytes(older)
    app = locked_app(library, db_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await submit(app, pilot, PASS)
        assert isinstance(app.screen, UnlockScreen)
        assert "older copy" in message(app) and "journal accept" in message(app)
        assert app.store is None and app.screen.failures == 0  # no wrong passphrase
    assert db_path.read_bytes() == older


async def test_the_unlock_screen_refuses_a_plain_file_swapped_in(library, encrypted: Path):
    app = locked_app(library, encrypted)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        encrypted.write_bytes(b'{"entries": {}}')  # swapped while the screen asks
        await submit(app, pilot, PASS)
        assert isinstance(app.screen, UnlockScreen) and app.store is None
        assert "no longer encrypted" in message(app)
    assert encrypted.read_bytes() == b'{"entries": {}}'


async def test_the_unlock_screen_says_damaged_not_wrong(library, encrypted: Path) -> None:
    raw = bytearray(encrypted.read_bytes())
    raw[-3] ^= 0x01
    encrypted.write_bytes(bytes(raw))
    app = locked_app(library, encrypted)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await submit(app, pilot, PASS)
        assert isinstance(app.screen, UnlockScreen) and app.store is None
        assert "is damaged" in message(app) and "journal restore" in message(app)
        assert "does not open" not in message(app) and app.screen.failures == 0
    assert encrypted.read_bytes() == bytes(raw)
