"""The encryption primitives: round trips, fresh nonces, wrong passphrases, damaged headers."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal.store.crypto import (
    MAGIC,
    CryptoError,
    KdfParams,
    Key,
    WrongPassphraseError,
    check_new_passphrase,
    is_encrypted,
    read_header,
    read_passphrase_file,
)

FAST = {"n": 2**10, "r": 8, "p": 1}  # cheap parameters keep the tests quick


def key(passphrase: str = "correct horse battery") -> Key:
    return Key.derive(passphrase, KdfParams.fresh(**FAST))


def test_round_trip_and_no_plaintext_in_the_bytes():
    k = key()
    secret = "The outage call went sideways. 秘密 🙂".encode()
    blob = k.encrypt(secret)
    assert is_encrypted(blob)
    assert secret not in blob and b"outage" not in blob
    assert k.decrypt(blob) == secret


def test_every_write_has_a_fresh_nonce():
    k = key()
    a, b = k.encrypt(b"same"), k.encrypt(b"same")
    assert a != b
    assert read_header(a).nonce != read_header(b).nonce


def test_parameters_live_in_the_header_and_a_new_key_opens_the_file():
    k = key("a long passphrase")
    blob = k.encrypt(b"hello")
    header = read_header(blob)
    assert (header.params.n, header.params.r, header.params.p) == (2**10, 8, 1)
    again = Key.for_file("a long passphrase", blob)
    assert again.decrypt(blob) == b"hello"


def test_wrong_passphrase_fails_cleanly():
    blob = key("the right one").encrypt(b"hello")
    with pytest.raises(WrongPassphraseError):
        Key.for_file("the wrong one", blob)


@pytest.mark.parametrize("position", ["header", "body"])
def test_tampering_is_detected(position: str):
    k = key()
    blob = bytearray(k.encrypt(b"hello world"))
    if position == "header":
        at = blob.index(b'"p":1') + 4
        blob[at] = ord("2")
    else:
        blob[-1] ^= 1
    with pytest.raises(CryptoError):
        k.decrypt(bytes(blob))


@pytest.mark.parametrize(
    "raw",
    [
        MAGIC,
        MAGIC + b"not json\n",
        MAGIC + b'{"v": 9, "kdf": "scrypt", "cipher": "AES-256-GCM"}\n',
        MAGIC + b'{"v": 1, "kdf": "scrypt", "cipher": "AES-256-GCM", "n": 3, "r": 8, "p": 1}\n',
        b"{}",
    ],
)
def test_damaged_or_foreign_headers_are_clear_errors(raw: bytes):
    with pytest.raises(CryptoError):
        read_header(raw)


def test_short_passphrases_are_refused():
    with pytest.raises(CryptoError):
        check_new_passphrase("short")
    check_new_passphrase("long enough words")


def test_passphrase_file_first_line(tmp_path: Path):
    path = tmp_path / "pass"
    path.write_text("my passphrase\nignored\n", encoding="utf-8")
    assert read_passphrase_file(path) == "my passphrase"
    with pytest.raises(CryptoError):
        read_passphrase_file(tmp_path / "missing")
    (tmp_path / "empty").write_text("", encoding="utf-8")
    with pytest.raises(CryptoError):
        read_passphrase_file(tmp_path / "empty")
