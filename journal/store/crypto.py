"""Encryption at rest: AES-256-GCM under a key derived from a passphrase with scrypt.

An encrypted file (the journal, a draft, a backup) is::

    JOURNAL-ENCRYPTED\\n
    {"v": 1, "kdf": "scrypt", "n": 16384, "r": 8, "p": 1, "salt": "...",
     "cipher": "AES-256-GCM", "nonce": "...", "kc": "...", "g": 12}\\n
    <ciphertext and tag>

The header carries the KDF parameters, so they can be raised later without breaking old
files, and is authenticated as associated data: changing a byte of it makes decryption fail.
Every write uses a fresh random nonce. The passphrase itself is never stored: it is turned
into a :class:`Key` once and dropped.

Three fields guard against a hostile or damaged file (older files lack the last two and still
open):

- the scrypt parameters are bounded *before* any work (:func:`check_kdf_cost`): a header
  edited to ask for gigabytes is refused at once unless ``JOURNAL_ALLOW_COSTLY_KDF=1``;
- ``kc``, a key-check value (an HMAC of a fixed label under the derived key), tells a wrong
  passphrase (``kc`` differs) from a damaged file (``kc`` matches, the cipher's tag does not):
  :class:`DamagedFileError`;
- ``g``, the journal's generation, one more at each write of the journal itself (drafts and
  backups carry none of their own), so an older copy put back is noticed
  (journal/store/watermark.py remembers the highest one seen, outside the journal's folder).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
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
#: Set to 1 to open a file whose scrypt parameters exceed the bounds below (README "Encryption").
COSTLY_KDF_ENV = "JOURNAL_ALLOW_COSTLY_KDF"
#: What a header may ask for before anything is verified: 8 times the defaults' memory
#: (128 * N * r bytes: 16 MiB -> 128 MiB) and 8 times their work (N * r * p). Fixed numbers,
#: not multiples of DEFAULT_N, so lowering DEFAULT_N in tests does not shrink them; a later
#: version may raise its defaults up to these and older versions still open its files.
MAX_KDF_MEMORY = 128 * 2**14 * 8 * 8
MAX_KDF_WORK = 2**14 * 8 * 1 * 8
#: The label of the key-check value (see the module docstring).
_KEY_CHECK_LABEL = b"journal key check v1"
KEY_CHECK_BYTES = 16


class CryptoError(JournalError):
    """An encrypted file cannot be opened (wrong passphrase, damaged or unknown format)."""


class WrongPassphraseError(CryptoError):
    """The passphrase does not open this file (or the file was changed)."""


class PassphraseNeededError(CryptoError):
    """The file is encrypted and no passphrase was given."""


class DamagedFileError(CryptoError):
    """The passphrase is right (the key check matches), but the content fails authentication."""


class CostlyKdfError(CryptoError):
    """The header asks for scrypt parameters beyond the bounds, and nothing was derived."""


class DowngradeError(CryptoError):
    """A plain file (or none) is where this computer knows an encrypted journal to be."""


class RollbackError(CryptoError):
    """The encrypted journal is an older copy than one this computer has already seen."""


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
    #: The key-check value (None in files written before it existed).
    key_check: bytes | None = None
    #: The journal's write counter (0: none, as in drafts, backups resealed and older files).
    generation: int = 0

    @property
    def description(self) -> str:
        """For ``journal doctor``."""
        p = self.params
        return f"{CIPHER}, key from {KDF} (N={p.n}, r={p.r}, p={p.p})"


class Key:
    """A derived key and the parameters it came from. Holds no passphrase."""

    __slots__ = ("_aead", "_check", "params")

    def __init__(self, key: bytes, params: KdfParams) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        self._aead = AESGCM(key)
        # A PRF output under the key: it says whether a passphrase is right without telling
        # anything about the key, and costs an attacker no less than trying the cipher.
        self._check = hmac.new(key, _KEY_CHECK_LABEL, hashlib.sha256).digest()[:KEY_CHECK_BYTES]
        self.params = params

    @classmethod
    def derive(cls, passphrase: str, params: KdfParams) -> Key:
        """Run scrypt; the passphrase is not kept."""
        from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

        if not passphrase:
            raise CryptoError("The passphrase is empty.")
        check_kdf_cost(params.n, params.r, params.p)
        kdf = Scrypt(salt=params.salt, length=32, n=params.n, r=params.r, p=params.p)
        try:
            return cls(kdf.derive(passphrase.encode("utf-8")), params)
        except MemoryError:
            # Only past the bounds, with JOURNAL_ALLOW_COSTLY_KDF set.
            raise CostlyKdfError(
                f"There is not enough memory to derive the key (scrypt N={params.n}, "
                f"r={params.r}, p={params.p}).",
                "Nothing was changed. Try on a computer with more memory.",
            ) from None

    @classmethod
    def for_file(cls, passphrase: str, raw: bytes) -> Key:
        """Derive the key that opens ``raw`` (an encrypted file's bytes) and check it does."""
        header = read_header(raw)
        key = cls.derive(passphrase, header.params)
        key.decrypt(raw)  # raises WrongPassphraseError
        return key

    def encrypt(self, plaintext: bytes, *, generation: int | None = None) -> bytes:
        """A complete encrypted file for ``plaintext``, with a fresh nonce.

        ``generation`` is the journal's write counter (only the journal's own writes give one).
        """
        nonce = os.urandom(NONCE_BYTES)
        p = self.params
        fields: dict[str, object] = {
            "v": VERSION,
            "kdf": KDF,
            "n": p.n,
            "r": p.r,
            "p": p.p,
            "salt": _b64(p.salt),
            "cipher": CIPHER,
            "nonce": _b64(nonce),
            "kc": _b64(self._check),
        }
        if generation is not None:
            fields["g"] = generation
        aad = MAGIC + orjson.dumps(fields)
        return aad + b"\n" + self._aead.encrypt(nonce, plaintext, aad)

    def opens(self, header: Header) -> bool | None:
        """Whether this key is the one ``header``'s file was written with; None when the file
        is too old to say (no key-check value: only decrypting tells)."""
        if header.params != self.params:
            return False
        if header.key_check is None:
            return None
        return hmac.compare_digest(header.key_check, self._check)

    def decrypt(self, raw: bytes) -> bytes:
        """The plaintext of an encrypted file.

        WrongPassphraseError if the key does not fit, DamagedFileError if it does (the key
        check matches) but the content is not what was written.
        """
        from cryptography.exceptions import InvalidTag

        header = read_header(raw)
        if header.params != self.params:
            raise WrongPassphraseError(
                "This file was encrypted with a different passphrase.",
                "Use the passphrase it was encrypted with.",
            )
        fits = self.opens(header)
        if fits is False:
            raise WrongPassphraseError(
                "The passphrase is wrong.",
                "Try again. A forgotten passphrase cannot be recovered.",
            )
        # A view, not a slice: a big journal is not copied once more just to skip its header.
        body = memoryview(raw)[len(MAGIC) + len(header.raw) + 1 :]
        try:
            return self._aead.decrypt(header.nonce, body, MAGIC + header.raw)
        except InvalidTag:
            if fits:
                raise DamagedFileError(
                    "The file is damaged: the passphrase is right, but the encrypted content "
                    "is not what journal wrote (a disk or copy error, or an edit).",
                    "Nothing was changed. Restore a backup: journal restore --list.",
                ) from None
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
    check_kdf_cost(n, r, p)
    salt = _unb64(data.get("salt"), "salt")
    nonce = _unb64(data.get("nonce"), "nonce")
    if len(nonce) != NONCE_BYTES or len(salt) < 8:
        raise CryptoError("The encryption header's salt or nonce has the wrong size.")
    key_check = None
    if "kc" in data:
        key_check = _unb64(data["kc"], "key check")
        if len(key_check) != KEY_CHECK_BYTES:
            raise CryptoError("The encryption header's key check has the wrong size.")
    generation = data.get("g", 0)
    if type(generation) is not int or generation < 0:
        raise CryptoError("The encryption header's generation is damaged.")
    return Header(KdfParams(n, r, p, salt), nonce, line, key_check, generation)


def check_kdf_cost(n: int, r: int, p: int) -> None:
    """Refuse scrypt parameters beyond MAX_KDF_MEMORY / MAX_KDF_WORK, before any work.

    The parameters come from a header nobody has verified yet (it is authenticated only once
    the key exists): an edited one could otherwise cost minutes and gigabytes, or crash.
    ``JOURNAL_ALLOW_COSTLY_KDF=1`` lets the user open such a file on purpose.
    """
    memory = 128 * n * r
    if (memory <= MAX_KDF_MEMORY and n * r * p <= MAX_KDF_WORK) or os.environ.get(
        COSTLY_KDF_ENV
    ) == "1":
        return
    raise CostlyKdfError(
        f"The encryption header asks for a far costlier key derivation than journal writes "
        f"(scrypt N={n}, r={r}, p={p}: {memory // 2**20} MiB of memory), so it was not "
        "tried: the header may have been edited to stall journal.",
        f"Nothing was changed. If you raised these parameters yourself, set {COSTLY_KDF_ENV}=1 "
        "to open it; otherwise restore a backup (journal restore --list).",
    )


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


def seal(data: bytes, key: Key | None, *, generation: int | None = None) -> bytes:
    """``data`` as it goes to disk: encrypted under ``key``, or as it is without one.

    ``generation``: for the journal file itself (see Key.encrypt).
    """
    return key.encrypt(data, generation=generation) if key is not None else data


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
