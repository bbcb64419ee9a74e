"""The unlock screen: an encrypted journal asks for its passphrase before anything is opened.

``cli.common.run_app`` builds the app without a store when the journal is encrypted (and
``JOURNAL_PASSPHRASE_FILE`` is not set); this is then the first screen. The journal is opened
in a thread worker with :func:`journal.store.opening.open_journal`, the one way to open it
(scrypt takes a noticeable fraction of a second), and only then does the app go on exactly
as a normal start (Today, the check-in of ``journal checkin``, draft recovery). Three wrong
passphrases exit with code 1; the journal is never touched by a wrong one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from journal.errors import JournalError
from journal.store.crypto import WrongPassphraseError
from journal.store.opening import DEFAULT_KEEP, TRIES, PassphraseRequest, open_journal

if TYPE_CHECKING:
    from journal.store import Store


@dataclass(frozen=True)
class Locked:
    """An encrypted journal not opened yet: where it is, and the daily backups to keep once
    it is open (a number, or a callable read when a backup is taken)."""

    path: Path
    keep_backups: int | Callable[[], int] = DEFAULT_KEEP


class UnlockScreen(Screen[None]):
    """A calm centred box: the passphrase (hidden), and what went wrong, if anything."""

    def __init__(self, locked: Locked) -> None:
        super().__init__(id="unlock")
        self.locked = locked
        self.failures = 0
        self.checking = False

    def compose(self) -> ComposeResult:
        """Title, one line of explanation, the passphrase field and a message line."""
        with Vertical(id="unlock-box"):
            yield Static("Your journal is locked", classes="dialog-title")
            yield Static(
                f"{self.locked.path.name} is encrypted. Enter its passphrase to open it.",
                id="unlock-text",
                markup=False,
            )
            yield Input(
                password=True, placeholder="Passphrase", id="unlock-passphrase", compact=True
            )
            yield Static("", id="unlock-message", markup=False)
            yield Static("enter unlocks · ctrl+q quits", id="unlock-keys")

    def on_mount(self) -> None:
        """The cursor starts in the passphrase field."""
        self.query_one("#unlock-passphrase", Input).focus()

    def _say(self, text: str, *, error: bool = False) -> None:
        message = self.query_one("#unlock-message", Static)
        message.update(text)
        message.set_class(error, "-error")

    @on(Input.Submitted, "#unlock-passphrase")
    def submitted(self, event: Input.Submitted) -> None:
        """Check the passphrase in a thread; the field is cleared at once."""
        field = event.input
        # Handed over in a box the worker empties: no reference outlives the derivation.
        box = [field.value]
        field.value = ""
        if self.checking:
            return
        if not box[0]:
            self._say("Type the passphrase, then press enter.")
            return
        self.checking = True
        field.disabled = True
        self._say("Opening…")
        self.run_worker(lambda: self._open(box), thread=True, exclusive=True, exit_on_error=False)

    def _open(self, box: list[str]) -> Store:
        """In a thread: open the journal with the typed passphrase (one try per submit).

        A journal decrypted by another process meanwhile opens without asking.
        """

        def typed(request: PassphraseRequest) -> str:
            return box.pop()  # asked once at most: the box is empty afterwards

        try:
            return open_journal(
                self.locked.path, passphrase=typed, keep_backups=self.locked.keep_backups, tries=1
            )
        finally:
            box.clear()  # not asked (decrypted meanwhile): the passphrase goes all the same

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Go on to the journal, or say what went wrong."""
        state = event.state
        if state not in (WorkerState.SUCCESS, WorkerState.ERROR):
            return
        self.checking = False
        field = self.query_one("#unlock-passphrase", Input)
        field.disabled = False
        if state == WorkerState.SUCCESS:
            self._say("")
            self.app.unlocked(event.worker.result)  # type: ignore[attr-defined]
            return
        error = event.worker.error
        field.focus()
        if isinstance(error, WrongPassphraseError):
            self.failures += 1
            left = TRIES - self.failures
            if left <= 0:
                self.app.exit(
                    return_code=1,
                    message=f"journal: wrong passphrase, {TRIES} times: the journal stays "
                    "locked. Nothing was changed.",
                )
                return
            tries = "try" if left == 1 else "tries"
            self._say(f"That passphrase does not open it. {left} {tries} left.", error=True)
        elif isinstance(error, JournalError):
            self._say(error.message + (f" {error.hint}" if error.hint else ""), error=True)
        else:
            self._say(f"The journal could not be opened: {error}", error=True)
