"""An encrypted journal against a hostile or unlucky file (issue 15, items 11-14).

- a plain file (or none) put where the encrypted journal was is refused, never written to;
- an older encrypted copy put back is refused, `journal doctor` explains, `journal accept`
  keeps it on purpose, and `journal restore` counts as on purpose;
- scrypt parameters far above the defaults are refused before any work;
- a damaged file with the right passphrase says "damaged", not "wrong passphrase".

Each refusal: exit 1, one clear message, no traceback, the journal's bytes untouched.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import orjson
import pytest

from journal.errors import JournalError
from journal.models import Entry
from journal.store import Store, crypto, watermark
from journal.store.crypto import (
    MAGIC,
    CostlyKdfError,
    DamagedFileError,
    KdfParams,
    Key,
    RollbackError,
    WrongPassphraseError,
    read_header,
)
from journal.store.opening import open_journal
from tests.unit.test_encryption import PASS, cli, passphrase_file


@pytest.fixture
def secret(tmp_path: Path) -> dict[str, str]:
    """The environment that gives the CLI the passphrase."""
    return {"JOURNAL_PASSPHRASE_FILE": str(passphrase_file(tmp_path, PASS))}


def encrypted_with_entries(db_path: Path, tmp_path: Path, secret: dict[str, str]) -> bytes:
    """`journal add`, `journal encrypt`, three more `journal add`: the encrypted bytes after
    the first entry (an older copy) are returned; the journal holds four entries."""
    assert cli("add", "The first entry: a quokka.").returncode == 0
    new = {"JOURNAL_NEW_PASSPHRASE_FILE": str(passphrase_file(tmp_path, PASS, "new"))}
    done = cli("encrypt", env=new)
    assert done.returncode == 0, done.stderr
    older = db_path.read_bytes()
    for n in (2, 3, 4):
        added = cli("add", f"Entry number {n} after encrypting.", env=secret)
        assert added.returncode == 0, added.stderr
    return older


def refused(done, *words: str) -> None:
    assert done.returncode == 1, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr, done.stderr


# ---- item 11: a plain file where the encrypted journal was -------------------------------------


def test_a_plain_file_in_place_of_the_encrypted_journal_is_refused(db_path, tmp_path, secret):
    encrypted_with_entries(db_path, tmp_path, secret)
    plain = orjson.dumps({"entries": {}, "meta": {"1": {"schema": 1}}})
    db_path.write_bytes(plain)

    for args in (["add", "A secret that must not land in plain text."], ["list"], []):
        done = cli(*args, env=secret)  # [] is the app: it refuses before it starts
        refused(done, "no longer encrypted", str(db_path), "journal restore --list")
        assert db_path.read_bytes() == plain, args
    # Without the passphrase file too: nothing about it is asked.
    refused(cli("add", "still not written"), "no longer encrypted")
    assert db_path.read_bytes() == plain
    doctor = cli("doctor", env=secret)
    assert doctor.returncode == 1 and "knows the journal as encrypted" in doctor.stdout

    accepted = cli("accept")
    assert accepted.returncode == 0, accepted.stderr
    assert cli("add", "Now plain on purpose.").returncode == 0
    assert b"Now plain on purpose." in db_path.read_bytes()


def test_a_missing_encrypted_journal_is_not_replaced_by_a_plain_one(db_path, tmp_path, secret):
    encrypted_with_entries(db_path, tmp_path, secret)
    db_path.unlink()
    refused(cli("add", "A secret.", env=secret), "is missing", "journal restore --list")
    assert not db_path.exists()
    doctor = cli("doctor")
    assert doctor.returncode == 1 and "it is missing now" in doctor.stdout
    assert "No journal at" not in doctor.stdout
    backups = sorted(db_path.with_name("journal.json.backups").glob("journal-*.json"))
    restored = cli("restore", backups[-1].name, env=secret)
    assert restored.returncode == 0, restored.stderr
    added = cli("add", "Back again.", env=secret)
    assert added.returncode == 0, added.stderr
    assert b"Back again" not in db_path.read_bytes()  # encrypted


def test_encrypt_and_decrypt_of_a_downgraded_journal(db_path, tmp_path, secret):
    """`journal encrypt` would hide the swap: refused; `journal decrypt` means "plain"."""
    encrypted_with_entries(db_path, tmp_path, secret)
    db_path.write_bytes(b'{"entries": {}}')
    new = {"JOURNAL_NEW_PASSPHRASE_FILE": str(passphrase_file(tmp_path, PASS, "new"))}
    refused(cli("encrypt", env=new), "no longer encrypted")
    assert db_path.read_bytes() == b'{"entries": {}}'
    done = cli("decrypt", env=secret)
    assert done.returncode == 0, done.stderr
    assert "accepts it as plain" in done.stdout
    assert cli("list").returncode == 0


# ---- item 12: an older encrypted copy put back --------------------------------------------------


def test_an_older_encrypted_copy_is_refused_and_doctor_explains(db_path, tmp_path, secret):
    older = encrypted_with_entries(db_path, tmp_path, secret)
    newest = db_path.read_bytes()
    assert read_header(newest).generation == read_header(older).generation + 3
    db_path.write_bytes(older)

    for args in (["list"], ["add", "on top of the old copy"], ["passphrase"], ["decrypt"], []):
        done = cli(
            *args, env={**secret, "JOURNAL_NEW_PASSPHRASE_FILE": secret[crypto.PASSPHRASE_FILE_ENV]}
        )
        refused(done, "older copy", "write 1", "write 4", "journal accept")
        assert db_path.read_bytes() == older, args

    doctor = cli("doctor", env=secret)
    assert doctor.returncode == 1
    assert "older copy: write 1" in doctor.stdout and "journal accept" in doctor.stdout
    # Without the passphrase the doctor still says so (from the header alone).
    assert "older copy" in cli("doctor").stdout

    # Putting the newer one back is all it takes.
    db_path.write_bytes(newest)
    listed = cli("list", env=secret)
    assert listed.returncode == 0 and "Entry number 4" in listed.stdout
    assert "is an older copy" not in cli("doctor", env=secret).stdout

    # Or keep the older one, on purpose: then it opens, and counts on from there.
    db_path.write_bytes(older)
    accepted = cli("accept", env=secret)
    assert accepted.returncode == 0 and "Accepted" in accepted.stdout, accepted.stderr
    listed = cli("list", env=secret)
    assert listed.returncode == 0 and "first entry" in listed.stdout
    assert "Entry number" not in listed.stdout
    assert cli("add", "After accepting.", env=secret).returncode == 0
    assert read_header(db_path.read_bytes()).generation == read_header(older).generation + 1


def test_accept_needs_the_passphrase(db_path, tmp_path, secret):
    older = encrypted_with_entries(db_path, tmp_path, secret)
    db_path.write_bytes(older)
    wrong = {"JOURNAL_PASSPHRASE_FILE": str(passphrase_file(tmp_path, "not it at all", "w"))}
    refused(cli("accept", env=wrong), "does not open")
    refused(cli("list", env=secret), "older copy")


def test_restoring_an_older_backup_is_on_purpose(db_path, tmp_path, secret):
    encrypted_with_entries(db_path, tmp_path, secret)
    backup = next(db_path.with_name("journal.json.backups").glob("*before-encrypt*"))
    restored = cli("restore", backup.name, env=secret)
    assert restored.returncode == 0, restored.stderr
    listed = cli("list", env=secret)
    assert listed.returncode == 0, listed.stderr
    assert "first entry" in listed.stdout and "Entry number" not in listed.stdout


def test_an_older_copy_put_back_under_an_open_store_is_not_written_over(db_path, monkeypatch):
    monkeypatch.setattr(crypto, "DEFAULT_N", 2**10)
    key = Key.derive(PASS, KdfParams.fresh())
    store = Store.open(db_path, key=key)
    store.add(Entry.new("one"))
    older = db_path.read_bytes()
    store.add(Entry.new("two"))
    db_path.write_bytes(older)
    os.utime(db_path, ns=(1, 1))  # another identity for sure, whatever the clock's grain
    with pytest.raises(RollbackError, match="while journal had it open"):
        store.add(Entry.new("three"))
    assert db_path.read_bytes() == older


def test_old_files_without_a_generation_or_key_check_still_open(db_path, monkeypatch, secret):
    """A journal encrypted before these fields existed: header without "kc" and "g"."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    monkeypatch.setenv(crypto.PASSPHRASE_FILE_ENV, secret[crypto.PASSPHRASE_FILE_ENV])
    store = Store.open(db_path)
    store.add(Entry.new("Written by an older version."))
    plain = db_path.read_bytes()
    salt, nonce = os.urandom(16), os.urandom(12)
    fields = {"v": 1, "kdf": "scrypt", "n": 2**10, "r": 8, "p": 1}
    fields |= {"salt": base64.b64encode(salt).decode(), "cipher": "AES-256-GCM"}
    fields["nonce"] = base64.b64encode(nonce).decode()
    aad = MAGIC + orjson.dumps(fields)
    raw_key = Scrypt(salt=salt, length=32, n=2**10, r=8, p=1).derive(PASS.encode())
    db_path.write_bytes(aad + b"\n" + AESGCM(raw_key).encrypt(nonce, plain, aad))
    header = read_header(db_path.read_bytes())
    assert header.generation == 0 and header.key_check is None

    store = open_journal(db_path)
    assert [e.body for e in store.entries()] == ["Written by an older version."]
    store.add(Entry.new("Written by this version."))
    header = read_header(db_path.read_bytes())
    assert header.generation == 1 and header.key_check is not None
    assert watermark.remembered(db_path) == 1


def test_two_computers_each_keep_their_own_watermark(db_path, tmp_path, secret):
    """A synced folder: the other computer learns newer copies and catches an older one."""
    older = encrypted_with_entries(db_path, tmp_path, secret)
    other = {**secret, "XDG_STATE_HOME": str(tmp_path / "other-computer")}
    db_path.write_bytes(older)
    # The other computer never saw a newer copy: the first it sees is the one it trusts.
    assert cli("list", env=other).returncode == 0
    assert cli("add", "Written on the other computer.", env=other).returncode == 0
    # Back here that copy (write 2) counts on from the older one, not from write 4: the
    # entries written since are not in it, and this computer says so.
    refused(cli("list", env=secret), "older copy", "write 2", "write 4")


def test_the_watermark_lives_outside_the_journals_folder(db_path, tmp_path, secret):
    encrypted_with_entries(db_path, tmp_path, secret)
    record = watermark.record_path(db_path)
    assert record.is_file() and db_path.parent not in record.parents
    assert str(tmp_path) in str(record)  # the test's own state folder
    assert watermark.remembered(db_path) == read_header(db_path.read_bytes()).generation


# ---- item 13: KDF cost bounded before anything is verified ---------------------------------------


@pytest.mark.parametrize(
    ("n", "r", "p"), [(2**20, 8, 1), (2**15, 64, 1), (2**14, 8, 16), (2**24, 64, 16)]
)
def test_a_header_asking_for_a_costly_kdf_is_refused_at_once(db_path, tmp_path, secret, n, r, p):
    encrypted_with_entries(db_path, tmp_path, secret)
    raw = db_path.read_bytes()
    edited = raw.replace(b'"n":16384,"r":8,"p":1', f'"n":{n},"r":{r},"p":{p}'.encode(), 1)
    assert edited != raw
    db_path.write_bytes(edited)
    for args in (["list"], ["add", "x"], []):
        done = cli(*args, env=secret)
        refused(
            done, "far costlier key derivation", f"N={n}, r={r}, p={p}", "JOURNAL_ALLOW_COSTLY_KDF"
        )
        assert done.stderr.count("\n") == 2  # the message, then what to do
        assert "MemoryError" not in done.stderr
        assert db_path.read_bytes() == edited
    doctor = cli("doctor", env=secret)
    assert doctor.returncode == 1 and "far costlier" in doctor.stdout


def test_the_bound_covers_the_defaults_and_can_be_lifted(monkeypatch) -> None:
    crypto.check_kdf_cost(crypto.DEFAULT_N, crypto.DEFAULT_R, crypto.DEFAULT_P)
    crypto.check_kdf_cost(2**17, 8, 1)  # 8x the memory: a later default still opens
    with pytest.raises(CostlyKdfError):
        crypto.check_kdf_cost(2**18, 8, 1)
    with pytest.raises(CostlyKdfError):
        Key.derive(PASS, KdfParams(2**18, 8, 1, b"0123456789abcdef"))
    monkeypatch.setenv(crypto.COSTLY_KDF_ENV, "1")
    crypto.check_kdf_cost(2**18, 8, 1)


# ---- item 14: damaged is not a wrong passphrase ----------------------------------------------


def test_a_damaged_body_says_damaged_and_a_wrong_passphrase_says_wrong(db_path, tmp_path, secret):
    encrypted_with_entries(db_path, tmp_path, secret)
    raw = bytearray(db_path.read_bytes())
    raw[-20] ^= 0x01  # one bit of the ciphertext
    db_path.write_bytes(bytes(raw))
    for args in (["list"], ["add", "x"], []):
        done = cli(*args, env=secret)
        refused(done, "is damaged", str(db_path), "passphrase is right", "journal restore")
        assert "does not open" not in done.stderr
        assert db_path.read_bytes() == bytes(raw)
    doctor = cli("doctor", env=secret)
    assert doctor.returncode == 1 and "The journal is damaged" in doctor.stdout
    assert "does not open" not in doctor.stdout

    wrong = {"JOURNAL_PASSPHRASE_FILE": str(passphrase_file(tmp_path, "not it at all", "w"))}
    done = cli("list", env=wrong)
    refused(done, "does not open")
    assert "is damaged" not in done.stderr


def test_key_check_tells_wrong_from_damaged() -> None:
    key = Key.derive(PASS, KdfParams.fresh(2**10))
    blob = bytearray(key.encrypt(b"hello world"))
    other = Key(b"\x00" * 32, key.params)  # same parameters, another key
    with pytest.raises(WrongPassphraseError):
        other.decrypt(bytes(blob))
    blob[-1] ^= 1
    with pytest.raises(DamagedFileError):
        key.decrypt(bytes(blob))
    assert not isinstance(DamagedFileError("x"), WrongPassphraseError)
    assert issubclass(DamagedFileError, JournalError)


def test_a_reader_overtaken_by_a_writer_is_no_rollback(db_path, monkeypatch) -> None:
    """A `journal list` that read write 1 just before another process wrote write 2 (and
    remembered it) is not looking at an older copy: the file now is the newer one."""
    monkeypatch.setattr(crypto, "DEFAULT_N", 2**10)
    store = Store.open(db_path, key=Key.derive(PASS, KdfParams.fresh()))
    store.add(Entry.new("one"))
    read_by_the_reader = read_header(db_path.read_bytes()).generation
    store.add(Entry.new("two"))  # the writer: write 2, remembered
    assert watermark.remembered(db_path) == read_by_the_reader + 1
    watermark.check_generation(db_path, read_by_the_reader)  # no error
    older = db_path.read_bytes()
    store.add(Entry.new("three"))
    db_path.write_bytes(older)  # now the file itself is older than what was seen
    with pytest.raises(RollbackError):
        watermark.check_generation(db_path, read_by_the_reader + 1)


def test_doctor_repair_of_an_encrypted_journal_counts_on(db_path, tmp_path, secret) -> None:
    """A repair rewrites the journal: one generation more, so it opens afterwards."""
    key = Key.derive(PASS, KdfParams.fresh(2**10))
    store = Store.open(db_path)
    store.add_many([Entry.new("entry 0"), Entry.new("entry 1")])
    data = orjson.loads(db_path.read_bytes())
    data["entries"]["7"] = dict(data["entries"]["1"])  # an exact copy: doctor dedupes it
    db_path.write_bytes(orjson.dumps(data))
    Store.open(db_path).rekey(key)
    before = read_header(db_path.read_bytes()).generation
    repaired = cli("doctor", "--repair", env=secret)
    assert "removed document #7" in repaired.stdout, repaired.stdout
    assert read_header(db_path.read_bytes()).generation == before + 1
    assert watermark.remembered(db_path) == before + 1
    listed = cli("list", env=secret)
    assert listed.returncode == 0, listed.stderr
    assert listed.stdout.count("entry ") == 2


def test_an_older_copy_with_its_counter_edited_up_is_damaged_not_accepted(
    db_path, tmp_path, secret
) -> None:
    """The counter is authenticated: raising it by hand breaks the file, it does not pass."""
    older = encrypted_with_entries(db_path, tmp_path, secret)
    edited = older.replace(b'"g":1}', b'"g":99}', 1)
    assert edited != older
    db_path.write_bytes(edited)
    refused(cli("list", env=secret), "is damaged")
    assert db_path.read_bytes() == edited


def test_a_new_passphrase_keeps_each_backups_write_counter(db_path, tmp_path, secret) -> None:
    """Backups resealed under a new passphrase are as old as they were, no older."""
    encrypted_with_entries(db_path, tmp_path, secret)
    folder = db_path.with_name("journal.json.backups")
    before = {p.name: read_header(p.read_bytes()).generation for p in folder.glob("*.json")}
    assert any(before.values())
    new = {"JOURNAL_NEW_PASSPHRASE_FILE": str(passphrase_file(tmp_path, "another long one", "n"))}
    changed = cli("passphrase", env={**secret, **new})
    assert changed.returncode == 0, changed.stderr
    after = {p.name: read_header(p.read_bytes()).generation for p in folder.glob("*.json")}
    assert {name: after[name] for name in before} == before
