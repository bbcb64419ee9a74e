"""Opening a journal is one call: :func:`open_journal`.

Plain or encrypted, from the command line or the app: the file's header says whether a key is
needed; the passphrase comes from the file named by ``JOURNAL_PASSPHRASE_FILE`` (scripts, tests)
or from whoever asks the user (the caller's ``passphrase`` callable: a hidden prompt on the
terminal, or the app's unlock screen). A wrong one is asked again, :data:`TRIES` times in all;
then :class:`WrongPassphraseError` says so and nothing has changed. The passphrase is turned into
a key at once and dropped; it is never logged, stored or put in a message.

The store comes back with its write lock (taken at each write, see store.py) and its daily
backup hook (:class:`~journal.store.backups.DailyBackup`) installed. Nothing here imports
Textual, and ``cryptography`` only loads when a key is derived.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from journal.store.backups import DailyBackup
from journal.store.crypto import (
    PASSPHRASE_FILE_ENV,
    CostlyKdfError,
    CryptoError,
    DamagedFileError,
    Header,
    Key,
    PassphraseNeededError,
    WrongPassphraseError,
    read_file_header,
    read_passphrase_file,
)
from journal.store.files import read_bytes
from journal.store.store import Store
from journal.store.watermark import refuse_plain

#: How many times a passphrase is asked for before giving up.
TRIES = 3
#: Rolling backups kept when the caller does not say (the config file's default too).
DEFAULT_KEEP = 14

T = TypeVar("T")


@dataclass(frozen=True)
class PassphraseRequest:
    """What the asker is asked for: which file, and why again (None on the first try)."""

    #: "the journal /path/journal.json", "the backup journal-2026-11-22.json", ...
    what: str
    #: Said before asking again: "wrong passphrase (2 tries left)" or "nothing typed (...)".
    note: str | None = None

    @property
    def prompt(self) -> str:
        """The line to show beside the hidden input."""
        return f"Passphrase for {self.what}: "


#: Asks the user for a passphrase; returns what was typed ("" for nothing), or None when there
#: is no one to ask (no terminal): the file then stays closed with a clear message.
Asker = Callable[[PassphraseRequest], str | None]


def header_of(path: Path) -> Header | None:
    """The encryption header of the file at ``path``; None when it is plain or missing.

    A damaged header is a :class:`CryptoError` that says to run ``journal doctor``.
    """
    try:
        return read_file_header(path)
    except CostlyKdfError as exc:  # its own advice: how to allow it on purpose
        raise CostlyKdfError(
            f"The file {path} looks encrypted, but {_lower(exc.message)}", exc.hint
        ) from None
    except CryptoError as exc:
        raise CryptoError(
            f"The file {path} looks encrypted, but {_lower(exc.message)}",
            "Nothing was changed. `journal doctor` looks closer; `journal restore --list` "
            "shows the backups.",
        ) from None


def _lower(message: str) -> str:
    return message[:1].lower() + message[1:]


def with_key(
    path: Path,
    attempt: Callable[[Key | None], T],
    *,
    passphrase: Asker | None,
    what: str | None = None,
    tries: int = TRIES,
) -> T:
    """``attempt(key)`` with the key of the encrypted file at ``path`` (None for a plain file).

    ``attempt`` raises WrongPassphraseError when the key does not open the file; the user is
    then asked again, ``tries`` times in all. ``$JOURNAL_PASSPHRASE_FILE``, when set, is used
    instead of asking (one try: a file does not change its mind).
    """
    what = what or f"the journal {path}"
    header = header_of(path)
    if header is None:
        return attempt(None)
    env = os.environ.get(PASSPHRASE_FILE_ENV)
    if env:
        secret = read_passphrase_file(Path(env).expanduser())
        key = Key.derive(secret, header.params)
        del secret
        try:
            return attempt(key)
        except WrongPassphraseError:
            raise WrongPassphraseError(
                f"The passphrase in {PASSPHRASE_FILE_ENV} does not open {what}.",
                "Nothing was changed. Check that file (its first line is the passphrase), or "
                f"unset {PASSPHRASE_FILE_ENV} to be asked.",
            ) from None
    note: str | None = None
    for tried in range(1, tries + 1):
        typed = passphrase(PassphraseRequest(what, note)) if passphrase is not None else None
        if typed is None:
            raise PassphraseNeededError(
                f"{what[:1].upper()}{what[1:]} is encrypted, and there is no terminal to ask "
                "for its passphrase.",
                f"Set {PASSPHRASE_FILE_ENV} to a file holding it (on its first line, readable "
                "only by you). Nothing was changed.",
            )
        problem = "nothing typed"
        if typed:
            key = Key.derive(typed, header.params)
            typed = ""  # dropped as soon as the key exists
            try:
                return attempt(key)
            except WrongPassphraseError:
                problem = "wrong passphrase"
            # Another process may have changed the passphrase meanwhile: read the header again.
            header = header_of(path) or header
        left = tries - tried
        note = f"{problem} ({left} {'try' if left == 1 else 'tries'} left)"
    raise WrongPassphraseError(
        f"Wrong passphrase, {tries} times: {what} stays locked.",
        "Nothing was changed. A forgotten passphrase cannot be recovered; if you have "
        "written it down, try again.",
    )


def key_for(path: Path, *, passphrase: Asker | None, what: str | None = None) -> Key | None:
    """The key that opens the encrypted file at ``path`` (checked), or None when it is plain.

    For files that are not the journal itself: a backup being listed or restored, and the
    doctor. A file whose key check says the passphrase is right but whose content is damaged
    still gives its key: whoever reads the file next says it is damaged.
    """

    def check(key: Key | None) -> Key | None:
        if key is not None:
            with contextlib.suppress(DamagedFileError):
                key.decrypt(read_bytes(Path(os.path.realpath(path))))
        return key

    return with_key(path, check, passphrase=passphrase, what=what)


def open_journal(
    path: Path,
    *,
    passphrase: Asker | None = None,
    keep_backups: int | Callable[[], int] | None = DEFAULT_KEEP,
    tries: int = TRIES,
    lock_timeout: float = 10.0,
) -> Store:
    """Open (without creating) the journal at ``path``, plain or encrypted.

    ``passphrase`` asks the user when the journal is encrypted and
    ``$JOURNAL_PASSPHRASE_FILE`` is not set (see :func:`with_key`); ``tries`` is how often
    (the unlock screen asks once per submit). ``keep_backups`` is how many daily backups to
    keep, or a callable read only when a backup is taken (the config file); None installs no
    daily backup (a command that rewrites the journal under a new key keeps its own copy).
    A wrong passphrase raises WrongPassphraseError and the file is not touched.

    A plain file (or none) where this computer knows an encrypted journal to be raises
    DowngradeError, and an older encrypted copy than one already seen RollbackError, before
    anything is read from it or written (journal/store/watermark.py).
    """

    def attempt(key: Key | None) -> Store:
        if key is None:
            refuse_plain(path)
        store = Store.open(path, key=key, lock_timeout=lock_timeout)
        if keep_backups is not None:
            store.before_write = DailyBackup(path, keep=keep_backups)
        return store

    return with_key(path, attempt, passphrase=passphrase, tries=tries)


def backup_problems(store: Store) -> list[str]:
    """What the daily backup of a store from :func:`open_journal` could not do, to report."""
    hook = store.before_write
    return list(hook.problems) if isinstance(hook, DailyBackup) else []
