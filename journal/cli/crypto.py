"""Encryption at rest from the command line: ``journal encrypt``, ``decrypt`` and ``passphrase``,
and the one passphrase prompt every command uses to open an encrypted journal.

Registered by :mod:`journal.cli` through its ``command(name, help)`` helper. Nothing here
imports Textual or ``cryptography`` at import time; a plain journal never pays for either.

The passphrase comes from the file named by ``JOURNAL_PASSPHRASE_FILE`` (scripts, tests) or
from a hidden prompt on the terminal (``getpass``, which reads ``/dev/tty``, so ``journal add -``
can still read its text from a pipe). A wrong one is said so and asked again, three tries in
all; then the command exits 1 and nothing has changed. The passphrase is turned into a key at
once and the name bound to it deleted; it is never logged, stored or put in a message.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from journal.errors import JournalError
from journal.store.crypto import (
    PASSPHRASE_FILE_ENV,
    CryptoError,
    Header,
    PassphraseNeededError,
    WrongPassphraseError,
    check_new_passphrase,
    read_file_header,
    read_passphrase_file,
)

if TYPE_CHECKING:
    from journal.store.crypto import Key
    from journal.store.reseal import ResealResult

#: For scripts and tests: the new passphrase of ``journal encrypt`` and ``journal passphrase``.
NEW_PASSPHRASE_FILE_ENV = "JOURNAL_NEW_PASSPHRASE_FILE"
TRIES = 3
T = TypeVar("T")


def add_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add ``encrypt``, ``decrypt`` and ``passphrase`` to the parser."""
    command(
        "encrypt",
        "encrypt the journal, its backups and drafts with a passphrase (asked twice, hidden)",
    )
    command("decrypt", "turn encryption off: the journal, its backups and drafts become plain")
    command("passphrase", "change the passphrase of an encrypted journal")


# ---- asking for a passphrase -----------------------------------------------------------------


def _terminal_available() -> bool:
    """Whether a hidden prompt is possible (getpass falls back to echoing stdin otherwise)."""
    try:
        fd = os.open("/dev/tty", os.O_RDWR | os.O_NOCTTY)
    except OSError:
        return False
    os.close(fd)
    return True


def _ask(prompt: str) -> str:
    import getpass

    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise JournalError("No passphrase was given.", "Nothing was changed.") from None


def header_of(path: Path) -> Header | None:
    """The encryption header of the file at ``path``; None when it is plain or missing.

    A damaged header is a :class:`CryptoError` that says to run ``journal doctor``.
    """
    try:
        return read_file_header(path)
    except CryptoError as exc:
        raise CryptoError(
            f"The file {path} looks encrypted, but {exc.message[:1].lower()}{exc.message[1:]}",
            "Nothing was changed. `journal doctor` looks closer; `journal restore --list` "
            "shows the backups.",
        ) from None


def with_passphrase(
    path: Path, attempt: Callable[[Key | None], T], *, what: str | None = None
) -> T:
    """``attempt(key)`` with the key of the encrypted file at ``path`` (None for a plain file).

    ``attempt`` raises WrongPassphraseError when the key does not open the file; the user is
    then asked again, :data:`TRIES` times in all. This is the one place commands get a key.
    """
    from journal.store.crypto import Key

    what = what or f"the journal {path}"
    header = header_of(path)
    if header is None:
        return attempt(None)
    env = os.environ.get(PASSPHRASE_FILE_ENV)
    if env:
        passphrase = read_passphrase_file(Path(env).expanduser())
        key = Key.derive(passphrase, header.params)
        del passphrase
        try:
            return attempt(key)
        except WrongPassphraseError:
            raise WrongPassphraseError(
                f"The passphrase in {PASSPHRASE_FILE_ENV} does not open {what}.",
                "Nothing was changed. Check that file (its first line is the passphrase), or "
                f"unset {PASSPHRASE_FILE_ENV} to be asked.",
            ) from None
    if not _terminal_available():
        raise PassphraseNeededError(
            f"{what[:1].upper()}{what[1:]} is encrypted, and there is no terminal to ask for "
            "its passphrase.",
            f"Set {PASSPHRASE_FILE_ENV} to a file holding it (on its first line, readable only "
            "by you). Nothing was changed.",
        )
    for tried in range(1, TRIES + 1):
        passphrase: str | None = _ask(f"Passphrase for {what}: ")
        if passphrase:
            key = Key.derive(passphrase, header.params)
            passphrase = None  # dropped as soon as the key exists
            try:
                return attempt(key)
            except WrongPassphraseError:
                pass
            # Another process may have changed the passphrase meanwhile: read the header again.
            header = header_of(path) or header
        left = TRIES - tried
        if left:
            tries = "try" if left == 1 else "tries"
            problem = "wrong passphrase" if passphrase is None else "nothing typed"
            print(f"journal: {problem} ({left} {tries} left).", file=sys.stderr)
    raise WrongPassphraseError(
        f"Wrong passphrase, {TRIES} times: {what} stays locked.",
        "Nothing was changed. A forgotten passphrase cannot be recovered; if you have "
        "written it down, try again.",
    )


def unlock(path: Path, *, what: str | None = None) -> Key | None:
    """The key that opens the encrypted file at ``path`` (checked), or None when it is plain."""

    def check(key: Key | None) -> Key | None:
        if key is not None:
            key.decrypt(Path(os.path.realpath(path)).read_bytes())
        return key

    return with_passphrase(path, check, what=what)


def doctor_unlock(path: Path) -> Key | None:
    """For ``journal doctor``: a key from the file or a prompt; None when neither is possible.

    A wrong passphrase raises (the doctor reports it as a finding, not a crash).
    """
    if not os.environ.get(PASSPHRASE_FILE_ENV) and not _terminal_available():
        return None
    return unlock(path)


def ask_new_key() -> Key:
    """A key from a new passphrase: asked twice, hidden, or read from the new-passphrase file."""
    from journal.store import crypto
    from journal.store.crypto import KdfParams, Key

    env = os.environ.get(NEW_PASSPHRASE_FILE_ENV)
    if env:
        passphrase = read_passphrase_file(Path(env).expanduser(), env=NEW_PASSPHRASE_FILE_ENV)
        check_new_passphrase(passphrase)
    else:
        if not _terminal_available():
            raise PassphraseNeededError(
                "There is no terminal to ask for the new passphrase.",
                f"Set {NEW_PASSPHRASE_FILE_ENV} to a file holding it. Nothing was changed.",
            )
        print(
            f"Choose a passphrase: at least {crypto.MIN_PASSPHRASE} characters; a few unrelated "
            "words are strong and easy to remember.\nIt cannot be recovered if you forget it: "
            "nobody, not even journal, can open the journal without it.",
            file=sys.stderr,
        )
        passphrase = ""
        for _ in range(TRIES):
            first = _ask("New passphrase: ")
            try:
                check_new_passphrase(first)
            except CryptoError as exc:
                print(f"journal: {exc.message}", file=sys.stderr)
                continue
            same = _ask("The same again: ") == first
            if same:
                passphrase = first
            del first
            if same:
                break
            print("journal: the two passphrases differ; once more.", file=sys.stderr)
        if not passphrase:
            raise JournalError("No new passphrase was set.", "Nothing was changed.")
    key = Key.derive(passphrase, KdfParams.fresh())
    del passphrase
    return key


# ---- the commands ------------------------------------------------------------------------------


def _refuse_while_open(path: Path) -> None:
    from journal.store.drafts import live_sessions

    if live_sessions(path):
        raise JournalError(
            f"journal is open on {path} in another window or terminal.",
            "Quit it first (ctrl+q): it would go on writing drafts the old way. "
            "Nothing was changed.",
        )


def _entries(count: int) -> str:
    return f"{count} entr{'y' if count == 1 else 'ies'}"


def _report_left(result: ResealResult) -> None:
    for path, reason in result.left:
        print(f"journal: note: {path} was left as it is: {reason}", file=sys.stderr)


def _switch(path: Path, key: Key | None, new_key: Key | None, tag: str) -> tuple[int, Path | None]:
    """Rewrite the journal under ``new_key`` in one atomic replace, keeping a copy first."""
    from journal.store import Store
    from journal.store.backups import keep_copy

    store = Store.open(path, key=key)
    kept: list[Path | None] = []
    store.rekey(new_key, before=lambda: kept.append(keep_copy(path, tag=tag)))
    return store.count(), (kept[0] if kept else None)


def cmd_encrypt(args: argparse.Namespace) -> int:
    """``journal encrypt``: the journal, its backups and drafts, under a new passphrase."""
    from journal.cli import db_path
    from journal.store.reseal import reseal, survey

    path = db_path(args)
    _refuse_while_open(path)
    if header_of(path) is not None:
        plain = survey(path).plain
        if not plain:
            raise JournalError(
                f"The journal {path} is already encrypted.",
                "To change its passphrase: journal passphrase. To turn encryption off: "
                "journal decrypt.",
            )
        # An earlier run was cut short: seal what it left plain.
        key = unlock(path)
        assert key is not None
        result = reseal(path, key, key)
        print(f"The journal was already encrypted; now {result.counts()} are too.")
        _report_left(result)
        return 0
    new_key = ask_new_key()
    count, kept = _switch(path, None, new_key, "before-encrypt")
    result = reseal(path, None, new_key)
    print(f"Encrypted the journal {path} ({_entries(count)}), and {result.counts()} beside it.")
    if kept is not None:
        print(f"A copy of the journal as it was is kept (encrypted too) as {kept.name}.")
    print("From now on journal asks for the passphrase (or reads JOURNAL_PASSPHRASE_FILE).")
    print("Keep the passphrase safe: if it is forgotten, the journal cannot be recovered.")
    _report_left(result)
    return 0


def cmd_decrypt(args: argparse.Namespace) -> int:
    """``journal decrypt``: the journal, its backups and drafts, plain again."""
    from journal.cli import db_path
    from journal.store.reseal import reseal, survey

    path = db_path(args)
    _refuse_while_open(path)
    if header_of(path) is None:
        sealed = survey(path).other
        if not sealed:
            raise JournalError(
                f"The journal {path} is not encrypted.",
                "`journal encrypt` turns encryption on.",
            )
        # An earlier run was cut short: open what it left encrypted.
        key = unlock(sealed[0][1], what=f"the {sealed[0][0]} {sealed[0][1].name}")
        result = reseal(path, key, None)
        print(f"The journal was already plain; now {result.counts()} are too.")
        _report_left(result)
        return 0

    def switch(key: Key | None) -> tuple[Key | None, tuple[int, Path | None]]:
        return key, _switch(path, key, None, "before-decrypt")

    key, (count, kept) = with_passphrase(path, switch)
    result = reseal(path, key, None)
    print(f"Decrypted the journal {path} ({_entries(count)}), and {result.counts()} beside it.")
    if kept is not None:
        print(f"A copy of the journal as it was is kept (now plain too) as {kept.name}.")
    print("It is plain text on disk again; `journal encrypt` turns encryption back on.")
    _report_left(result)
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    """``journal passphrase``: the current passphrase, then the new one twice."""
    from journal.cli import db_path
    from journal.store import Store
    from journal.store.backups import keep_copy
    from journal.store.reseal import reseal

    path = db_path(args)
    _refuse_while_open(path)
    if header_of(path) is None:
        raise JournalError(
            f"The journal {path} is not encrypted, so it has no passphrase.",
            "`journal encrypt` turns encryption on.",
        )
    store = with_passphrase(path, lambda key: Store.open(path, key=key))
    old_key = store.key
    new_key = ask_new_key()

    def keep() -> None:
        keep_copy(path, tag="before-passphrase")

    store.rekey(new_key, before=keep)
    result = reseal(path, old_key, new_key)
    print(f"Changed the passphrase of {path} ({_entries(store.count())}) and {result.counts()}.")
    print("Keep the new passphrase safe: if it is forgotten, the journal cannot be recovered.")
    _report_left(result)
    return 0


COMMANDS = {"encrypt": cmd_encrypt, "decrypt": cmd_decrypt, "passphrase": cmd_passphrase}
