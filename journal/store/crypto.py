"""Encryption at rest: AES-256-GCM under a key derived from a passphrase with scrypt.

An encrypted file (the journal, a draft, a backup) is::

    JOURNAL-ENCRYPTED\\n
    {"v": 1, "kdf": "scrypt", "n": 16384, "r": 8, "p": 1, "salt": "...",
     "cipher": "AES-256-GCM", "nonce": "..."}\\n
    <ciphertext and tag>

The header carries the KDF parameters, so they can be raised later without breaking old
files, and is authenticated as associated data: changing a byte of it makes decryption fail.
Every write uses a fresh random nonce. The passphrase itself is never stored: it is turned
into a :class:`Key` once and dropped.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from pathlib import Path

import orjson

from journal.errors import JournalError
from journal.store.files import read_regular_file

MAGIC = b"JOURNAL-ENCRYPTED\n"
VERSION = 1
CIPHER = "AES-256-GCM"
KDF = "scrypt"
#: scrypt cost for new passphrases (each file's header keeps its own, so raising this later
#: breaks nothing). 2**14 with r=8 is memory-hard (16 MiB) and takes ~0.04-0.06 s here; 2**15
#: (32 MiB, ~0.1 s) made `journal list -n 10` on a 3,650-entry journal 1.7-1.8x slower than
#: unencrypted, past the 1.5x budget (tests/bench/encrypted.py; README "Encryption").
DEFAULT_N = 2**14
DEFAULT_R = 8
DEFAULT_P = 1
SALT_BYTES = 16
NONCE_BYTES = 12
MIN_PASSPHRASE = 8
PASSPHRASE_FILE_ENV = "JOURNAL_PASSPHRASE_FILE"


class CryptoError(JournalError):
    """An encrypted file cannot be opened (wrong passphrase, damaged or unknown format)."""


class WrongPassphraseError(CryptoError):
    """The passphrase does not open this file (or the file was changed)."""


class PassphraseNeededError(CryptoError):
    """The file is encrypted and no passphrase was given."""


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: object, what: str) -> bytes:
    if not isinstance(text, str):
        raise CryptoError(f"The encryption header's {what} is missing.")
    try:
        return base64.b64decode(text, validate=True)
    except ValueError:
        raise CryptoError(f"The encryption header's {what} is not valid base64.") from None


@dataclass(frozen=True)
class KdfParams:
    """How a key is derived: scrypt's cost parameters and the salt."""

    n: int
    r: int
    p: int
    salt: bytes

    @classmethod
    def fresh(cls, n: int | None = None, r: int = DEFAULT_R, p: int = DEFAULT_P) -> KdfParams:
        """New parameters with a random salt (for a new passphrase); ``n`` is DEFAULT_N."""
        # DEFAULT_N is read now, not when this was defined, so it can be raised (or lowered
        # in tests) in one place.
        return cls(n or DEFAULT_N, r, p, os.urandom(SALT_BYTES))


@dataclass(frozen=True)
class Header:
    """The parsed header of an encrypted file."""

    params: KdfParams
    nonce: bytes
    raw: bytes  # the header line as stored, authenticated with the ciphertext

    @property
    def description(self) -> str:
        """For ``journal doctor``."""
        p = self.params
        return f"{CIPHER}, key from {KDF} (N={p.n}, r={p.r}, p={p.p})"


class Key:
    """A derived key and the parameters it came from. Holds no passphrase."""

    __slots__ = ("_aead", "params")

    def __init__(self, key: bytes, params: KdfParams) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(key)
        self.params = params

    @classmethod
    def derive(cls, passphrase: str, params: KdfParams) -> Key:
        """Run scrypt; the passphrase is not kept."""
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        if not passphrase:
            raise CryptoError("The passphrase is empty.")
        kdf = Scrypt(salt=params.salt, length=32, n=params.n, r=params.r, p=params.p)
        return cls(kdf.derive(passphrase.encode("utf-8")), params)

    @classmethod
    def for_file(cls, passphrase: str, raw: bytes) -> Key:
        """Derive the key that opens ``raw`` (an encrypted file's bytes) and check it does."""
        header = read_header(raw)
        key = cls.derive(passphrase, header.params)
        key.decrypt(raw)  # raises WrongPassphraseError
        return key

    def encrypt(self, plaintext: bytes) -> bytes:
        """A complete encrypted file for ``plaintext``, with a fresh nonce."""
        nonce = os.urandom(NONCE_BYTES)
        p = self.params
        header = orjson.dumps(
            {
                "v": VERSION,
                "kdf": KDF,
                "n": p.n,
                "r": p.r,
                "p": p.p,
                "salt": _b64(p.salt),
                "cipher": CIPHER,
                "nonce": _b64(nonce),
            }
        )
        aad = MAGIC + header
        return aad + b"\n" + self._aead.encrypt(nonce, plaintext, aad)

    def decrypt(self, raw: bytes) -> bytes:
        """The plaintext of an encrypted file; WrongPassphraseError if the key does not fit."""
        from cryptography.exceptions import InvalidTag

        header = read_header(raw)
        if header.params != self.params:
            raise WrongPassphraseError(
                "This file was encrypted with a different passphrase.",
                "Use the passphrase it was encrypted with.",
            )
        # A view, not a slice: a big journal is not copied once more just to skip its header.
        body = memoryview(raw)[len(MAGIC) + len(header.raw) + 1 :]
        try:
            return self._aead.decrypt(header.nonce, body, MAGIC + header.raw)
        except InvalidTag:
            raise WrongPassphraseError(
                "The passphrase is wrong, or the file was changed since it was written.",
                "Try again; if the passphrase is right, restore a backup (journal restore --list).",
            ) from None


def is_encrypted(raw: bytes) -> bool:
    """Whether ``raw`` starts like one of our encrypted files."""
    return raw.startswith(MAGIC)


def read_header(raw: bytes) -> Header:
    """Parse and check the header of an encrypted file."""
    if not is_encrypted(raw):
        raise CryptoError("This file is not encrypted by journal.")
    end = raw.find(b"\n", len(MAGIC))
    if end < 0:
        raise CryptoError("The encrypted file is cut short: its header never ends.")
    line = raw[len(MAGIC) : end]
    try:
        data = orjson.loads(line)
    except orjson.JSONDecodeError:
        raise CryptoError("The encryption header is damaged (not JSON).") from None
    if not isinstance(data, dict):
        raise CryptoError("The encryption header is damaged.")
    if data.get("v") != VERSION or data.get("kdf") != KDF or data.get("cipher") != CIPHER:
        raise CryptoError(
            f"The file uses an encryption format this version does not know "
            f"(v={data.get('v')}, kdf={data.get('kdf')}, cipher={data.get('cipher')}).",
            "Upgrade journal to open it.",
        )
    try:
        n, r, p = int(data["n"]), int(data["r"]), int(data["p"])
    except (KeyError, TypeError, ValueError):
        raise CryptoError("The encryption header's scrypt parameters are damaged.") from None
    if n < 2 or n & (n - 1) or not 1 <= r <= 64 or not 1 <= p <= 16 or n > 2**24:
        raise CryptoError("The encryption header's scrypt parameters are out of range.")
    salt = _unb64(data.get("salt"), "salt")
    nonce = _unb64(data.get("nonce"), "nonce")
    if len(nonce) != NONCE_BYTES or len(salt) < 8:
        raise CryptoError("The encryption header's salt or nonce has the wrong size.")
    return Header(KdfParams(n, r, p, salt), nonce, line)


def read_file_header(path: Path) -> Header | None:
    """The header of the encrypted file at ``path``; None when it is plain, missing or unreadable.

    Reads only the first few KB. A damaged header raises :class:`CryptoError`.
    """
    try:
        head = read_regular_file(Path(os.path.realpath(path)), limit=4096)[0]
    except (OSError, JournalError):
        # Whoever reads the file next says what is wrong with it (a FIFO included: the
        # read above never blocks on one).
        return None
    return read_header(head) if is_encrypted(head) else None


def check_new_passphrase(passphrase: str) -> None:
    """Refuse passphrases too short to protect anything."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise CryptoError(
            f"That passphrase is too short: use at least {MIN_PASSPHRASE} characters.",
            "A few unrelated words make a strong passphrase that is easy to remember.",
        )


def read_passphrase_file(path: Path, env: str = PASSPHRASE_FILE_ENV) -> str:
    """A passphrase from a file for scripts (``JOURNAL_PASSPHRASE_FILE``): its first line."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or "not UTF-8 text"
        raise CryptoError(
            f"The passphrase file {path} cannot be read ({reason}).",
            f"Check {env}.",
        ) from None
    line = text.splitlines()[0] if text else ""
    if not line:
        raise CryptoError(f"The passphrase file {path} is empty.", f"Check {env}.")
    return line


# ---- sealing whole files (the journal, drafts, backups) -------------------------------------


def seal(data: bytes, key: Key | None) -> bytes:
    """``data`` as it goes to disk: encrypted under ``key``, or as it is without one."""
    return key.encrypt(data) if key is not None else data


def unseal(raw: bytes, key: Key | None, *, what: str = "This file") -> bytes:
    """The plain bytes of a file as read from disk: decrypted when it is encrypted.

    Plain bytes pass through (whatever ``key`` is); an encrypted file without a key raises
    :class:`PassphraseNeededError`, one the key does not open :class:`WrongPassphraseError`.
    """
    if not is_encrypted(raw):
        return raw
    if key is None:
        raise PassphraseNeededError(
            f"{what} is encrypted.",
            f"Enter its passphrase, or set {PASSPHRASE_FILE_ENV}.",
        )
    return key.decrypt(raw)


def sealed_with(raw: bytes, key: Key | None) -> bool:
    """Whether ``raw`` is in the state ``key`` asks for: plain for None, else under this key."""
    if key is None:
        return not is_encrypted(raw)
    if not is_encrypted(raw):
        return False
    try:
        return read_header(raw).params == key.params
    except CryptoError:
        return False
