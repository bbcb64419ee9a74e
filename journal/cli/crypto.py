"""Encryption at rest from the command line: ``journal encrypt``, ``decrypt``, ``passphrase``
and ``accept``.

Opening an encrypted journal (asking for its passphrase, three tries) is
:func:`journal.store.opening.open_journal`, for every command; this module only turns
encryption on and off, changes the passphrase, and accepts a journal file the store refused
as an older copy or a plain one (journal/store/watermark.py). Nothing here imports Textual, and
``cryptography`` loads only when a key is derived: a plain journal never pays for it.

A new passphrase comes from the file named by ``JOURNAL_NEW_PASSPHRASE_FILE`` (scripts, tests)
or is asked twice on the terminal, hidden. It is turned into a key at once and the name bound
to it deleted; it is never logged, stored or put in a message.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from journal.cli.common import (
    add_command,
    ask_hidden,
    ask_passphrase,
    db_path,
    entries_text,
    terminal_available,
    unlock,
    warn,
)
from journal.errors import JournalError
from journal.store import Store
from journal.store.opening import header_of, open_journal, with_key

if TYPE_CHECKING:
    from journal.cli.common import Subparsers
    from journal.store.crypto import Key
    from journal.store.reseal import ResealResult

#: For scripts and tests: the new passphrase of ``journal encrypt`` and ``journal passphrase``.
NEW_PASSPHRASE_FILE_ENV = "JOURNAL_NEW_PASSPHRASE_FILE"
#: How many times a new passphrase is asked for.
TRIES = 3


def register(subparsers: Subparsers) -> None:
    """Add ``encrypt``, ``decrypt`` and ``passphrase``."""
    p = add_command(
        subparsers,
        "encrypt",
        "encrypt the journal, its backups and drafts with a passphrase (asked twice, hidden)",
    )
    p.set_defaults(func=cmd_encrypt)
    p = add_command(
        subparsers,
        "decrypt",
        "turn encryption off: the journal, its backups and drafts become plain",
    )
    p.set_defaults(func=cmd_decrypt)
    p = add_command(subparsers, "passphrase", "change the passphrase of an encrypted journal")
    p.set_defaults(func=cmd_passphrase)
    p = add_command(
        subparsers,
        "accept",
        "keep the journal file as it is now, after journal refused it as an older copy or "
        "as a plain file where the encrypted journal was",
    )
    p.set_defaults(func=cmd_accept)


def ask_new_key() -> Key:
    """A key from a new passphrase: asked twice, hidden, or read from the new-passphrase file."""
    from journal.store.crypto import (
        MIN_PASSPHRASE,
        CryptoError,
        KdfParams,
        Key,
        PassphraseNeededError,
        check_new_passphrase,
        read_passphrase_file,
    )

    env = os.environ.get(NEW_PASSPHRASE_FILE_ENV)
    if env:
        passphrase = read_passphrase_file(Path(env).expanduser(), env=NEW_PASSPHRASE_FILE_ENV)
        check_new_passphrase(passphrase)
    else:
        if not terminal_available():
            raise PassphraseNeededError(
                "There is no terminal to ask for the new passphrase.",
                f"Set {NEW_PASSPHRASE_FILE_ENV} to a file holding it. Nothing was changed.",
            )
        print(
            f"Choose a passphrase: at least {MIN_PASSPHRASE} characters; a few unrelated "
            "words are strong and easy to remember.\nIt cannot be recovered if you forget it: "
            "nobody, not even journal, can open the journal without it.",
            file=sys.stderr,
        )
        passphrase = ""
        for _ in range(TRIES):
            first = ask_hidden("New passphrase: ")
            try:
                check_new_passphrase(first)
            except CryptoError as exc:
                warn(exc.message)
                continue
            same = ask_hidden("The same again: ") == first
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


def _refuse_while_open(path: Path) -> None:
    from journal.store.drafts import live_sessions

    if live_sessions(path):
        raise JournalError(
            f"journal is open on {path} in another window or terminal.",
            "Quit it first (ctrl+q): it would go on writing drafts the old way. "
            "Nothing was changed.",
        )


def _report(result: ResealResult) -> None:
    for path, reason in result.left:
        warn(f"note: {path} was left as it is: {reason}")


def _switch(path: Path, key: Key | None, new_key: Key | None, tag: str) -> tuple[int, Path | None]:
    """Rewrite the journal under ``new_key`` in one atomic replace, keeping a copy first."""
    from journal.store.backups import keep_copy

    store = Store.open(path, key=key)
    kept: list[Path | None] = []
    store.rekey(new_key, before=lambda: kept.append(keep_copy(path, tag=tag)))
    return store.count(), (kept[0] if kept else None)


def cmd_encrypt(args: argparse.Namespace) -> int:
    """``journal encrypt``: the journal, its backups and drafts, under a new passphrase."""
    from journal.store.reseal import reseal, survey
    from journal.store.watermark import refuse_plain

    path = db_path(args)
    _refuse_while_open(path)
    if header_of(path) is None:
        # A plain file where the encrypted journal was: encrypting it would hide that.
        refuse_plain(path)
    else:
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
        _report(result)
        return 0
    new_key = ask_new_key()
    count, kept = _switch(path, None, new_key, "before-encrypt")
    result = reseal(path, None, new_key)
    counts = f"{entries_text(count)}), and {result.counts()}"
    print(f"Encrypted the journal {path} ({counts} beside it.")
    if kept is not None:
        print(f"A copy of the journal as it was is kept (encrypted too) as {kept.name}.")
    print("From now on journal asks for the passphrase (or reads JOURNAL_PASSPHRASE_FILE).")
    print("Keep the passphrase safe: if it is forgotten, the journal cannot be recovered.")
    _report(result)
    return 0


def cmd_decrypt(args: argparse.Namespace) -> int:
    """``journal decrypt``: the journal, its backups and drafts, plain again."""
    from journal.store import watermark
    from journal.store.reseal import reseal, survey

    path = db_path(args)
    _refuse_while_open(path)
    if header_of(path) is None:
        sealed = survey(path).other
        if watermark.remembered(path) is not None:
            # Decrypted elsewhere (another computer): the user says it is meant to be plain.
            watermark.forget(path)
            print(
                f"The journal {path} is plain already (decrypted elsewhere); journal now "
                "accepts it as plain on this computer."
            )
            if not sealed:
                return 0
        if not sealed:
            raise JournalError(
                f"The journal {path} is not encrypted.",
                "`journal encrypt` turns encryption on.",
            )
        # An earlier run was cut short: open what it left encrypted.
        key = unlock(sealed[0][1], what=f"the {sealed[0][0]} {sealed[0][1].name}")
        result = reseal(path, key, None)
        print(f"The journal was already plain; now {result.counts()} are too.")
        _report(result)
        return 0

    def switch(key: Key | None) -> tuple[Key | None, tuple[int, Path | None]]:
        return key, _switch(path, key, None, "before-decrypt")

    # The key must open the journal and rewrite it in the same try: a wrong one asks again.
    key, (count, kept) = with_key(path, switch, passphrase=ask_passphrase)
    result = reseal(path, key, None)
    counts = f"{entries_text(count)}), and {result.counts()}"
    print(f"Decrypted the journal {path} ({counts} beside it.")
    if kept is not None:
        print(f"A copy of the journal as it was is kept (now plain too) as {kept.name}.")
    print("It is plain text on disk again; `journal encrypt` turns encryption back on.")
    _report(result)
    return 0


def cmd_passphrase(args: argparse.Namespace) -> int:
    """``journal passphrase``: the current passphrase, then the new one twice."""
    from journal.store.backups import keep_copy
    from journal.store.reseal import reseal

    path = db_path(args)
    _refuse_while_open(path)
    if header_of(path) is None:
        raise JournalError(
            f"The journal {path} is not encrypted, so it has no passphrase.",
            "`journal encrypt` turns encryption on.",
        )
    # No daily backup: the rewrite below keeps its own copy first.
    store = open_journal(path, passphrase=ask_passphrase, keep_backups=None)
    old_key = store.key
    new_key = ask_new_key()

    def keep() -> None:
        keep_copy(path, tag="before-passphrase")

    store.rekey(new_key, before=keep)
    result = reseal(path, old_key, new_key)
    counts = f"{entries_text(store.count())}) and {result.counts()}"
    print(f"Changed the passphrase of {path} ({counts}.")
    print("Keep the new passphrase safe: if it is forgotten, the journal cannot be recovered.")
    _report(result)
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    """``journal accept``: the journal file as it is now is the journal, on purpose.

    After journal refused an older encrypted copy (the passphrase is asked, so only a file
    it opens is accepted) or a plain file, or none, where the encrypted journal was.
    """
    from journal.store import watermark
    from journal.store.crypto import read_header
    from journal.store.files import read_bytes

    path = db_path(args)
    seen = watermark.remembered(path)
    header = header_of(path)
    if header is None:
        if seen is None:
            print(f"Nothing to accept: journal has no objection to the journal {path}.")
            return 0
        watermark.forget(path)
        state = "plain" if os.path.lexists(path) else "missing"
        print(f"Accepted: the journal {path} is {state}, and journal takes it as a plain journal.")
        print("`journal encrypt` encrypts it again.")
        return 0
    raw = read_bytes(Path(os.path.realpath(path)))
    key = unlock(path)
    assert key is not None
    # Only a file the passphrase opens is taken: decrypting authenticates its generation.
    key.decrypt(raw)
    generation = read_header(raw).generation
    watermark.remember(path, generation)
    if seen is not None and generation >= seen:
        print(f"Nothing to accept: the journal {path} is the newest copy journal has seen.")
        return 0
    print(
        f"Accepted: the journal {path} (write {generation}) is the journal now; what was "
        "written after it is not in it."
    )
    return 0
