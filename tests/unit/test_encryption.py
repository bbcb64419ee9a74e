"""Encryption at rest (issue 9): nothing plain on disk, wrong passphrases change nothing,
encrypt -> add -> passphrase -> decrypt loses nothing, and every command understands it.

Most tests use cheap scrypt parameters (``cheap_kdf``); the CLI's ``journal encrypt`` in a
subprocess uses the real defaults (journal.store.crypto.DEFAULT_N), and one test checks that.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from journal.checkin import CheckinDraft
from journal.errors import DatabaseError, JournalError
from journal.models import Entry
from journal.paths import backups_dir, drafts_dir
from journal.store import Store, crypto
from journal.store.backups import backup_now, check_backup, list_backups
from journal.store.crypto import (
    MAGIC,
    CryptoError,
    KdfParams,
    Key,
    PassphraseNeededError,
    WrongPassphraseError,
    is_encrypted,
    read_header,
    seal,
    sealed_with,
    unseal,
)
from journal.store.drafts import (
    Draft,
    DraftBox,
    checkin_draft_path,
    live_sessions,
    load_checkin_draft,
    save_checkin_draft,
)
from journal.store.reseal import reseal, survey

PASS = "correct horse battery staple"
NEW_PASS = "a different long passphrase"
#: Words that appear in the entries, drafts and check-ins these tests write.
WORDS = (b"Priya", b"quokka", b"marmalade", b"platypus", b"outage")


@pytest.fixture
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """scrypt at N=2**10: these tests are about behaviour, not about the KDF's cost."""
    monkeypatch.setattr(crypto, "DEFAULT_N", 2**10)


def key_for(passphrase: str = PASS) -> Key:
    return Key.derive(passphrase, KdfParams.fresh(2**10))


def passphrase_file(tmp_path: Path, passphrase: str, name: str = "pass") -> Path:
    path = tmp_path / name
    path.write_text(passphrase + "\n", encoding="utf-8")
    path.chmod(0o600)
    return path


def cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed ``journal`` with no terminal (its own session: /dev/tty cannot open)."""
    return subprocess.run(
        [sys.executable, "-m", "journal", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        start_new_session=True,
        stdin=subprocess.DEVNULL,
    )


def fill(db_path: Path) -> Store:
    store = Store.open(db_path)
    store.add_many(
        [
            Entry.new("The outage call with Priya went sideways.", tags=["calls"]),
            Entry.new("A quokka, some marmalade, and a calmer morning.", title="Small things"),
        ]
    )
    return store


def everything_on_disk(db_path: Path) -> list[Path]:
    """The journal, its backups, drafts and any temp files: every file journal wrote."""
    folders = [db_path.parent, backups_dir(db_path), drafts_dir(db_path)]
    return sorted(p for f in folders if f.is_dir() for p in f.iterdir() if p.is_file())


def plain_words_in(paths: list[Path]) -> list[tuple[str, bytes]]:
    return [(p.name, w) for p in paths for w in WORDS if w in p.read_bytes()]


def encrypt_here(db_path: Path, key: Key) -> None:
    """What `journal encrypt` does, in this process, with a cheap key."""
    Store.open(db_path).rekey(key)
    reseal(db_path, None, key)


# ---- the primitives added for whole files ------------------------------------------------------


def test_seal_and_unseal_pass_plain_bytes_through() -> None:
    key = key_for()
    assert seal(b"plain", None) == b"plain"
    assert unseal(b"plain", key) == b"plain"
    blob = seal(b"secret quokka", key)
    assert is_encrypted(blob) and b"quokka" not in blob
    assert unseal(blob, key) == b"secret quokka"
    with pytest.raises(PassphraseNeededError):
        unseal(blob, None)
    with pytest.raises(WrongPassphraseError):
        unseal(blob, key_for("another passphrase"))
    assert sealed_with(blob, key) and not sealed_with(blob, None)
    assert sealed_with(b"plain", None) and not sealed_with(b"plain", key)


# ---- nothing plain on disk ---------------------------------------------------------------------


def test_journal_encrypt_leaves_no_word_on_disk_with_the_real_kdf(db_path: Path, tmp_path: Path):
    store = fill(db_path)
    backup_now(db_path)
    ended = DraftBox(db_path, session="ended")
    ended.save(Draft("", "", "platypus draft text"))
    ended.close()  # a session that ended without saving: its draft stays
    checkin = CheckinDraft.from_dict({"answers": {"what_happened": "Priya's outage call"}})
    save_checkin_draft(db_path, checkin)
    assert plain_words_in(everything_on_disk(db_path))  # the test can fail: words are there
    before = store.count()

    done = cli("encrypt", env={"JOURNAL_NEW_PASSPHRASE_FILE": str(passphrase_file(tmp_path, PASS))})
    assert done.returncode == 0, done.stderr
    assert "cannot be recovered" in done.stdout

    header = read_header(db_path.read_bytes())
    # The real defaults: a subprocess does not see this test's monkeypatches.
    assert (header.params.n, header.params.r, header.params.p) == (2**14, 8, 1)
    assert plain_words_in(everything_on_disk(db_path)) == []
    for path in everything_on_disk(db_path):
        if path.name.endswith(".lock"):
            continue
        assert path.read_bytes().startswith(MAGIC), path
    assert [b.name for b in list_backups(db_path) if "before-encrypt" in b.name]

    key = Key.for_file(PASS, db_path.read_bytes())
    assert Store.open(db_path, key=key).count() == before
    env = {"JOURNAL_PASSPHRASE_FILE": str(tmp_path / "pass")}
    added = cli("add", "The platypus entry, written after encrypting.", env=env)
    assert added.returncode == 0, added.stderr
    assert plain_words_in(everything_on_disk(db_path)) == []
    listed = cli("list", env=env)
    assert "platypus entry" in listed.stdout and "outage call" in listed.stdout


def test_drafts_of_an_encrypted_journal_are_sealed(cheap_kdf, db_path: Path) -> None:
    key = key_for()
    box = DraftBox(db_path, key=key)
    box.save(Draft("Quokka title", "calls", "platypus body"))
    raw = box.path.read_bytes()
    assert is_encrypted(raw) and plain_words_in([box.path]) == []
    box.close()
    [orphan] = DraftBox(db_path, key=key).orphans()
    assert orphan.body == "platypus body"
    # Without the key (or with another) the draft is left alone, never read or deleted.
    assert DraftBox(db_path).orphans() == []
    assert DraftBox(db_path, key=key_for("some other phrase")).orphans() == []
    assert box.path.read_bytes() == raw


def test_checkin_draft_of_an_encrypted_journal_is_sealed(cheap_kdf, db_path: Path) -> None:
    key = key_for()
    draft = CheckinDraft.from_dict({"answers": {"what_happened": "outage with Priya"}})
    path = save_checkin_draft(db_path, draft, key=key)
    assert is_encrypted(path.read_bytes()) and plain_words_in([path]) == []
    assert load_checkin_draft(db_path, key).answers.what_happened == "outage with Priya"
    # Another key cannot read it: it is moved aside (kept, still encrypted), never deleted.
    with pytest.raises(JournalError, match="moved"):
        load_checkin_draft(db_path, key_for("not the right one"))
    assert not checkin_draft_path(db_path).exists()
    aside = checkin_draft_path(db_path).with_name("checkin.json.unreadable")
    assert is_encrypted(aside.read_bytes())


def test_an_encrypted_store_never_writes_plain_bytes(cheap_kdf, db_path: Path, monkeypatch):
    """Every byte handed to atomic_write_bytes (hence every temp file) is ciphertext."""
    import journal.store.jsonfile as storage

    written: list[bytes] = []
    real = storage.atomic_write_bytes

    def spy(target: Path, data: bytes, mode: int = 0o600) -> None:
        written.append(data)
        real(target, data, mode)

    monkeypatch.setattr(storage, "atomic_write_bytes", spy)
    store = Store.open(db_path, key=key_for())
    store.add(Entry.new("The quokka and the outage."))
    first = store.entries()[0]
    store.update(first.edited(body="Priya, marmalade."), expected=first)
    assert written and all(is_encrypted(w) for w in written)
    assert not any(word in w for w in written for word in WORDS)


# ---- wrong passphrases -------------------------------------------------------------------------


def test_wrong_passphrase_fails_cleanly_and_changes_nothing(cheap_kdf, db_path, tmp_path) -> None:
    fill(db_path)
    encrypt_here(db_path, key_for())
    before = db_path.read_bytes()
    wrong = passphrase_file(tmp_path, "not the passphrase", "wrong")
    for args in (["list"], ["add", "more quokka"], ["backup"], ["export", "-o", "x.md"]):
        done = cli(*args, env={"JOURNAL_PASSPHRASE_FILE": str(wrong)})
        assert done.returncode == 1, (args, done.stderr)
        assert "does not open" in done.stderr
        assert "Traceback" not in done.stderr
        assert db_path.read_bytes() == before
    assert not (tmp_path / "x.md").exists()
    # The passphrase never shows up in what is printed.
    assert "not the passphrase" not in done.stderr + done.stdout


def test_no_terminal_and_no_passphrase_file_is_a_clear_error(cheap_kdf, db_path: Path) -> None:
    fill(db_path)
    encrypt_here(db_path, key_for())
    before = db_path.read_bytes()
    done = cli("list")
    assert done.returncode == 1
    assert "is encrypted" in done.stderr and "JOURNAL_PASSPHRASE_FILE" in done.stderr
    assert db_path.read_bytes() == before


def test_prompt_asks_three_times_then_gives_up(cheap_kdf, db_path, monkeypatch, capsys) -> None:
    from journal.cli import common
    from journal.store.opening import open_journal

    fill(db_path)
    key = key_for()
    encrypt_here(db_path, key)
    answers = iter(["wrong one", "", "wrong three", PASS])
    monkeypatch.setattr(common, "terminal_available", lambda: True)
    monkeypatch.setattr(common, "ask_hidden", lambda prompt: next(answers))
    with pytest.raises(WrongPassphraseError, match="3 times"):
        open_journal(db_path, passphrase=common.ask_passphrase)
    err = capsys.readouterr().err
    assert "wrong passphrase (2 tries left)" in err and "nothing typed (1 try left)" in err
    # Wrong, then right: the store opens on the second try, with its daily backup.
    answers = iter(["wrong one", PASS])
    store = open_journal(db_path, passphrase=common.ask_passphrase)
    assert store.count() == 2 and store.encrypted and store.before_write is not None


def test_no_way_to_ask_keeps_an_encrypted_journal_closed(cheap_kdf, db_path) -> None:
    from journal.store.opening import open_journal

    fill(db_path)
    encrypt_here(db_path, key_for())
    with pytest.raises(PassphraseNeededError, match="no terminal"):
        open_journal(db_path, passphrase=None)
    with pytest.raises(PassphraseNeededError, match="no terminal"):
        open_journal(db_path, passphrase=lambda request: None)


def test_a_damaged_header_says_so_before_asking(cheap_kdf, db_path: Path, tmp_path) -> None:
    fill(db_path)
    encrypt_here(db_path, key_for())
    raw = db_path.read_bytes()
    db_path.write_bytes(raw.replace(b'"kdf":"scrypt"', b'"kdf":"scrypz"', 1))
    done = cli("list", env={"JOURNAL_PASSPHRASE_FILE": str(passphrase_file(tmp_path, PASS))})
    assert done.returncode == 1
    assert "looks encrypted" in done.stderr and "journal doctor" in done.stderr


# ---- encrypt -> add -> passphrase -> decrypt ----------------------------------------------------


def test_encrypt_add_passphrase_decrypt_round_trips_every_entry(db_path: Path, tmp_path) -> None:
    fill(db_path)
    backup_now(db_path)
    first = passphrase_file(tmp_path, PASS, "first")
    second = passphrase_file(tmp_path, NEW_PASS, "second")
    before = json.loads(cli("list", "--json").stdout)

    assert cli("encrypt", env={"JOURNAL_NEW_PASSPHRASE_FILE": str(first)}).returncode == 0
    added = cli(
        "add", "Written while encrypted: marmalade.", env={"JOURNAL_PASSPHRASE_FILE": str(first)}
    )
    assert added.returncode == 0, added.stderr
    new_uid = added.stdout.strip()
    changed = cli(
        "passphrase",
        env={"JOURNAL_PASSPHRASE_FILE": str(first), "JOURNAL_NEW_PASSPHRASE_FILE": str(second)},
    )
    assert changed.returncode == 0, changed.stderr
    assert cli("list", env={"JOURNAL_PASSPHRASE_FILE": str(first)}).returncode == 1
    header = read_header(db_path.read_bytes())
    for backup in list_backups(db_path):
        # Every backup follows the journal to the new passphrase.
        assert read_header(backup.path.read_bytes()).params == header.params, backup.name
    decrypted = cli("decrypt", env={"JOURNAL_PASSPHRASE_FILE": str(second)})
    assert decrypted.returncode == 0, decrypted.stderr

    assert not is_encrypted(db_path.read_bytes())
    after = json.loads(cli("list", "--json").stdout)
    assert [e for e in after if e["uid"] != new_uid] == before
    assert any(e["uid"] == new_uid and "marmalade" in e["body"] for e in after)
    # Backups and drafts are plain again: restorable without a passphrase.
    for backup in list_backups(db_path):
        assert check_backup(backup).usable, backup.name
    listing = cli("restore", "--list")
    assert listing.returncode == 0 and "cannot be restored" not in listing.stdout


def test_encrypt_refuses_twice_and_decrypt_refuses_a_plain_journal(cheap_kdf, db_path, tmp_path):
    fill(db_path)
    assert "not encrypted" in cli("decrypt").stderr
    assert "not encrypted" in cli("passphrase").stderr
    encrypt_here(db_path, key_for())
    again = cli(
        "encrypt", env={"JOURNAL_NEW_PASSPHRASE_FILE": str(passphrase_file(tmp_path, PASS))}
    )
    assert again.returncode == 1 and "already encrypted" in again.stderr


def test_a_short_new_passphrase_is_refused(db_path: Path, tmp_path: Path) -> None:
    fill(db_path)
    before = db_path.read_bytes()
    done = cli(
        "encrypt", env={"JOURNAL_NEW_PASSPHRASE_FILE": str(passphrase_file(tmp_path, "short"))}
    )
    assert done.returncode == 1 and "too short" in done.stderr
    assert db_path.read_bytes() == before


def test_encrypt_finishes_what_an_interrupted_run_left_plain(cheap_kdf, db_path, tmp_path):
    fill(db_path)
    backup_now(db_path)
    key = key_for()
    Store.open(db_path).rekey(key)  # the journal switched, then the run was killed
    assert survey(db_path, key.params).plain
    done = cli("encrypt", env={"JOURNAL_PASSPHRASE_FILE": str(passphrase_file(tmp_path, PASS))})
    assert done.returncode == 0, done.stderr
    assert survey(db_path, key.params).plain == []
    assert plain_words_in(everything_on_disk(db_path)) == []


def test_encryption_commands_refuse_while_the_app_is_open(cheap_kdf, db_path, tmp_path) -> None:
    fill(db_path)
    before = db_path.read_bytes()
    session = DraftBox(db_path)
    session.claim()  # what the app does at start (screens/draft_keeper.py)
    assert live_sessions(db_path)
    done = cli("encrypt", env={"JOURNAL_NEW_PASSPHRASE_FILE": str(passphrase_file(tmp_path, PASS))})
    assert done.returncode == 1 and "open" in done.stderr
    assert db_path.read_bytes() == before
    session.close()
    assert live_sessions(db_path) == []


# ---- the store when another process changes the encryption --------------------------------------


def test_store_refuses_to_write_after_encryption_changed_elsewhere(cheap_kdf, db_path) -> None:
    store = fill(db_path)
    other = Store.open(db_path)
    other.rekey(key_for())  # another process encrypted it meanwhile
    sealed = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="encrypted by another"):
        store.add(Entry.new("quokka"))
    assert db_path.read_bytes() == sealed

    mine = Store.open(db_path, key=other.key)
    other.rekey(key_for(NEW_PASS))  # ... then changed its passphrase
    changed = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="passphrase"):
        mine.add(Entry.new("quokka"))
    assert db_path.read_bytes() == changed

    mine = Store.open(db_path, key=other.key)
    other.rekey(None)  # ... then decrypted it
    plain = db_path.read_bytes()
    with pytest.raises(DatabaseError, match="decrypted by another"):
        mine.add(Entry.new("quokka"))
    assert db_path.read_bytes() == plain


def test_opening_an_encrypted_store_without_or_with_a_wrong_key(cheap_kdf, db_path) -> None:
    fill(db_path)
    encrypt_here(db_path, key_for())
    with pytest.raises(PassphraseNeededError, match="JOURNAL_PASSPHRASE_FILE"):
        Store.open(db_path)
    with pytest.raises(WrongPassphraseError):
        Store.open(db_path, key=key_for())  # same passphrase, another salt: not its key


# ---- backups ----------------------------------------------------------------------------------


def test_encrypted_backups_list_and_restore_with_the_passphrase(cheap_kdf, db_path, tmp_path):
    store = fill(db_path)
    key = key_for()
    encrypt_here(db_path, key)
    store = Store.open(db_path, key=key)
    backup = backup_now(db_path).path
    assert backup is not None and is_encrypted(backup.read_bytes())
    [check] = [check_backup(b) for b in list_backups(db_path) if b.path == backup]
    assert not check.usable and check.encrypted and "passphrase" in (check.problem or "")
    assert check_backup(list_backups(db_path)[-1], key).entries == 2
    store.add(Entry.new("After the backup: quokka."))

    env = {"JOURNAL_PASSPHRASE_FILE": str(passphrase_file(tmp_path, PASS))}
    listing = cli("restore", "--list", env=env)
    assert listing.returncode == 0, listing.stderr
    assert "2 entries" in listing.stdout
    restored = cli("restore", backup.name, env=env)
    assert restored.returncode == 0, restored.stderr
    assert "encrypted" in restored.stdout
    assert db_path.read_bytes() == backup.read_bytes()  # put back as it is: still encrypted
    assert Store.open(db_path, key=key).count() == 2


# ---- export ------------------------------------------------------------------------------------


def test_export_of_an_encrypted_journal_says_it_is_plain_text(cheap_kdf, db_path, tmp_path):
    fill(db_path)
    plain_export = cli("export", "-o", str(tmp_path / "plain.md"))
    assert plain_export.returncode == 0 and "Note:" not in plain_export.stderr
    encrypt_here(db_path, key_for())
    env = {"JOURNAL_PASSPHRASE_FILE": str(passphrase_file(tmp_path, PASS))}
    done = cli("export", "-o", str(tmp_path / "out.md"), env=env)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert lines[0] == "Note: your journal is encrypted; this export is plain text."
    assert b"quokka" in (tmp_path / "out.md").read_bytes()  # by design


def test_import_into_an_encrypted_journal_keeps_it_encrypted(cheap_kdf, db_path, tmp_path):
    fill(db_path)
    assert cli("export", "--per-entry", str(tmp_path / "folder")).returncode == 0
    db_path.unlink()
    key = key_for()
    Store.open(db_path, key=key).add(Entry.new("The first entry of a new, encrypted journal."))
    env = {"JOURNAL_PASSPHRASE_FILE": str(passphrase_file(tmp_path, PASS))}
    done = cli("import", str(tmp_path / "folder"), env=env)
    assert done.returncode == 0, done.stderr
    assert is_encrypted(db_path.read_bytes())
    assert plain_words_in(everything_on_disk(db_path)) == []
    assert Store.open(db_path, key=key).count() == 3


# ---- doctor ------------------------------------------------------------------------------------


def doctor(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return cli("doctor", *args, env=env)


def test_doctor_checks_an_encrypted_journal_with_the_passphrase(cheap_kdf, db_path, tmp_path):
    fill(db_path)
    encrypt_here(db_path, key_for())
    env = {"JOURNAL_PASSPHRASE_FILE": str(passphrase_file(tmp_path, PASS))}
    done = doctor(env=env)
    assert done.returncode == 0, done.stdout
    assert "Encrypted: AES-256-GCM" in done.stdout
    assert "2 entries, every one valid" in done.stdout
    assert "Every backup and draft is encrypted too" in done.stdout


def test_doctor_without_a_passphrase_checks_the_header_only(cheap_kdf, db_path) -> None:
    fill(db_path)
    encrypt_here(db_path, key_for())
    done = doctor()
    assert done.returncode == 0, done.stdout
    assert "the header is intact" in done.stdout
    assert "content was not checked" in done.stdout


def test_doctor_reports_a_wrong_passphrase_as_a_finding(cheap_kdf, db_path, tmp_path) -> None:
    fill(db_path)
    encrypt_here(db_path, key_for())
    before = db_path.read_bytes()
    done = doctor(env={"JOURNAL_PASSPHRASE_FILE": str(passphrase_file(tmp_path, "nope nope"))})
    assert done.returncode == 1
    assert "does not open the journal" in done.stdout and "Traceback" not in done.stderr
    assert db_path.read_bytes() == before


def test_doctor_reports_a_damaged_header(cheap_kdf, db_path, tmp_path) -> None:
    fill(db_path)
    encrypt_here(db_path, key_for())
    raw = db_path.read_bytes()
    db_path.write_bytes(raw.replace(b'"nonce":"', b'"nonce":"!!', 1))
    done = doctor(env={"JOURNAL_PASSPHRASE_FILE": str(passphrase_file(tmp_path, PASS))})
    assert done.returncode == 1
    assert "header is damaged" in done.stdout
    assert "Traceback" not in done.stderr


def test_doctor_finds_a_plain_draft_beside_an_encrypted_journal_and_repairs_it(
    cheap_kdf, db_path, tmp_path
) -> None:
    fill(db_path)
    encrypt_here(db_path, key_for())
    box = DraftBox(db_path, session="crashed")
    box.save(Draft("", "", "a plain platypus draft"))  # written without the key
    box.close()
    env = {"JOURNAL_PASSPHRASE_FILE": str(passphrase_file(tmp_path, PASS))}
    done = doctor(env=env)
    assert done.returncode == 1
    assert "plain text beside the encrypted journal" in done.stdout
    assert "journal encrypt" in done.stdout or "encrypt" in done.stdout
    repaired = doctor("--repair", env=env)
    assert repaired.returncode == 0, repaired.stdout
    assert plain_words_in(everything_on_disk(db_path)) == []
    key = Key.for_file(PASS, db_path.read_bytes())
    [orphan] = DraftBox(db_path, key=key).orphans(clean=False)
    assert orphan.body == "a plain platypus draft"


# ---- cost: plain journals do not pay for cryptography -------------------------------------------


def test_a_plain_journal_never_imports_cryptography(db_path: Path) -> None:
    fill(db_path)
    code = (
        "import sys, json; from journal.cli import main; main(['list']); "
        "print(json.dumps([m for m in sys.modules if m.startswith(('cryptography', 'textual'))]))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == []


def test_header_reading_never_needs_cryptography() -> None:
    from tests.unit.test_architecture import import_in_fresh_interpreter

    report = import_in_fresh_interpreter(
        "journal.store.crypto", "journal.store.reseal", "journal.cli.crypto"
    )
    assert report["textual"] == []


def test_survey_sorts_companions(cheap_kdf, db_path: Path) -> None:
    fill(db_path)
    backup_now(db_path)
    key = key_for()
    Store.open(db_path).rekey(key)
    found = survey(db_path, key.params)
    assert [kind for kind, _ in found.plain] == ["backup"]
    reseal(db_path, None, key)
    found = survey(db_path, key.params)
    assert found.plain == [] and len(found.sealed) == 1
    assert survey(db_path, key_for().params).other  # another key's params: "other"


def test_orjson_of_a_decrypted_journal_is_the_plain_layout(cheap_kdf, db_path: Path) -> None:
    fill(db_path)
    plain = db_path.read_bytes()
    key = key_for()
    encrypt_here(db_path, key)
    assert key.decrypt(db_path.read_bytes()) == plain
    assert orjson.loads(key.decrypt(db_path.read_bytes()))["entries"]


def test_crypto_errors_are_journal_errors() -> None:
    assert issubclass(CryptoError, JournalError)
