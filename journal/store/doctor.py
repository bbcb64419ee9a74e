"""``journal doctor``: look the journal over, say what is wrong and the command that fixes it.

:func:`examine` only reads: it never changes the journal, its folder, the lock, the backups
or the drafts. :func:`repair` fixes what can be fixed without losing a byte of writing
(a byte-order mark, CRLF line endings, duplicate uids, leftover temp files, permissions),
under the journal's write lock and always after keeping a copy of the file.

Decisions worth knowing:

- **CRLF line endings.** JSON allows CR and LF between tokens and journal writes plain LF
  (one document per line), so CRLF means another program rewrote the file. Nothing is lost
  and every command reads it as it is; the doctor still reports it (exit 1), because a
  journal changed behind your back is worth knowing about, and ``--repair`` rewrites it in
  journal's own form.
- **A damaged document** (say, a bad byte inside one entry) leaves the rest readable: journal
  lists what it can but refuses to save until the damage is gone, so the doctor points at
  the newest backup that parses (restoring keeps the damaged file aside).
- **Invalid entries** (a field of the wrong type) stay in the file untouched and are left
  out of lists; the doctor names each one. It does not guess a fix: which value was meant
  is for the writer to say (edit the file) or for a backup to hold.
- **The lock file** is an ``flock`` lock, which the kernel releases when its process dies,
  so a lock can never be stale; a lock file lying around is normal. The doctor only reports
  a lock that stays held for seconds (a process stuck mid-save).
- **An encrypted journal** (crypto.py): the header is always checked; the content only with
  the passphrase (the CLI reads ``JOURNAL_PASSPHRASE_FILE`` or asks on a terminal), and then
  exactly like a plain journal's. A passphrase that does not open it is a finding. Backups and
  drafts left plain beside it are a problem (``--repair``, or ``journal encrypt``, seals them).
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import shlex
import stat
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from journal.errors import DatabaseError, EntryError
from journal.paths import backups_dir, data_dir, default_db_path, drafts_dir
from journal.store.atomic import TEMP_SUFFIX, temp_prefix
from journal.store.crypto import (
    PASSPHRASE_FILE_ENV,
    CostlyKdfError,
    CryptoError,
    DamagedFileError,
    is_encrypted,
    read_header,
    unseal,
)
from journal.store.files import read_bytes
from journal.store.layout import decode_database, encode_database
from journal.store.lock import lock_timeouts, write_lock

BOM = b"\xef\xbb\xbf"
PROBLEM, NOTE, OK = "problem", "note", "ok"
_MARK = {PROBLEM: "✗", NOTE: "·", OK: "✓"}
_SHOW_AT_MOST = 10

# Repairs, by key.
STRIP_BOM = "strip-bom"
REWRITE = "rewrite"  # CRLF line endings: write the same data in journal's own form
DEDUPE = "dedupe"
TEMP_FILES = "temp-files"
PERMISSIONS = "permissions"
RESEAL = "reseal"  # plain backups or drafts beside an encrypted journal: encrypt them

if TYPE_CHECKING:
    from journal.store.crypto import Key


@dataclass(frozen=True)
class Finding:
    """One thing the doctor noticed, with the command that fixes it."""

    severity: str  # PROBLEM (unhealthy), NOTE (worth knowing) or OK
    title: str
    detail: str = ""
    fix: str = ""
    repair: str | None = None  # set when ``journal doctor --repair`` fixes it without loss


@dataclass
class Report:
    """Everything :func:`examine` found about one journal."""

    path: Path
    findings: list[Finding] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        """True when nothing needs fixing."""
        return not any(f.severity == PROBLEM for f in self.findings)

    @property
    def problems(self) -> list[Finding]:
        """The findings that make the journal unhealthy."""
        return [f for f in self.findings if f.severity == PROBLEM]

    @property
    def repairable(self) -> list[Finding]:
        """Problems ``--repair`` can fix without loss."""
        return [f for f in self.problems if f.repair]

    def add(self, severity: str, title: str, detail: str = "", fix: str = "", **kw: Any) -> None:
        """Record a finding."""
        self.findings.append(Finding(severity, title, detail, fix, **kw))


def command_prefix(db_path: Path) -> str:
    """``journal``, plus ``--db PATH`` when the journal is not the one found by default."""
    try:
        same = Path(db_path).expanduser().absolute() == default_db_path().absolute()
    except OSError:
        same = False
    return "journal" if same else f"journal --db {shlex.quote(str(db_path))}"


def _mode(path: Path) -> int | None:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return None


def _document_at(raw: bytes, offset: int) -> str:
    """``", in document 12"`` when the offset lies on a document's line (journal's layout)."""
    start = raw.rfind(b"\n", 0, offset) + 1
    match = re.match(rb'"(\d+)":\{', raw[start : start + 24])
    return f", in document {match.group(1).decode()}" if match else ""


def _line_col(raw: bytes, offset: int) -> tuple[int, int]:
    line = raw.count(b"\n", 0, offset) + 1
    start = raw.rfind(b"\n", 0, offset) + 1
    return line, offset - start + 1


def _size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024 / 1024:.1f} MB"


# ---- parsing, in detail ----------------------------------------------------------------------


@dataclass
class _Parsed:
    data: dict[str, dict[str, Any]] | None = None
    bom: bool = False
    crlf: bool = False


def _newest_restorable(db_path: Path, key: Key | None) -> Any:
    """The newest backup that parses; without a key, encrypted ones count (unchecked)."""
    from journal.store.backups import check_backup, list_backups

    for backup in reversed(list_backups(db_path)):
        check = check_backup(backup, key)
        if check.usable or (check.encrypted and key is None):
            return check
    return None


def _restore_advice(db_path: Path, prefix: str, key: Key | None = None) -> tuple[str, str]:
    """(detail, fix) for a journal that cannot be read: restore the newest good backup."""
    best = _newest_restorable(db_path, key)
    quoted = shlex.quote(str(db_path))
    if best is None:
        return (
            "There is no backup to restore. The file has not been changed: your writing is "
            "still in it, and a text editor can show what is left.",
            f"mv {quoted} {quoted}.damaged   # keep it; the next save starts a fresh journal",
        )
    taken = f"{best.backup.taken:%A %d %B %Y at %H:%M}"
    held = f"{best.entries} entries" if best.usable else "encrypted, not checked"
    return (
        f"The newest good backup is {best.backup.name} ({held}, taken {taken}). "
        "Restoring keeps the damaged file aside in the backups folder; anything written "
        "after the backup is only in the damaged file.",
        f"{prefix} restore {best.backup.name}",
    )


def _check_parse(
    report: Report, db_path: Path, raw: bytes, prefix: str, key: Key | None = None
) -> _Parsed:
    parsed = _Parsed(bom=raw.startswith(BOM))
    body = raw[len(BOM) :] if parsed.bom else raw
    problem: str | None = None
    detail = ""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        offset = exc.start + (len(BOM) if parsed.bom else 0)
        line, col = _line_col(raw, offset)
        problem = (
            f"The journal is not valid UTF-8: byte 0x{raw[offset]:02X} at offset {offset} "
            f"(line {line}, column {col}{_document_at(raw, offset)})."
        )
        detail = "Another program wrote bytes that are not text into it."
        if _document_at(raw, offset):
            detail += (
                " journal still lists the other entries, but will not save until this is "
                "fixed (so the damaged one is never written over)."
            )
        text = None
    if text is not None and problem is None:
        if not text.strip():
            problem = "The journal file is empty." if not text else "The file holds only spaces."
            detail = f"It is {_size(len(raw))}; a journal is never written empty."
        else:
            try:
                orjson.loads(text)
            except orjson.JSONDecodeError as exc:
                cut = exc.pos >= len(text.rstrip()) - 1
                problem = (
                    f"The journal is not valid JSON: {exc.msg} at line {exc.lineno}, column "
                    f"{exc.colno} (character {exc.pos} of {len(text)})."
                )
                detail = (
                    "It ends in the middle of the data: the file was cut short (truncated)."
                    if cut
                    else "Something changed it by hand or another program damaged it."
                )
    if problem is None:
        try:
            parsed.data = decode_database(body, db_path)
        except DatabaseError as exc:
            problem = exc.message.replace(f"The journal {db_path} ", "The journal ")
            detail = "It is valid JSON, but not shaped like a journal (tables of documents)."
    if problem is not None:
        advice, fix = _restore_advice(db_path, prefix, key)
        if parsed.bom:
            report.add(PROBLEM, "The file starts with a byte-order mark (bytes EF BB BF).")
        report.add(PROBLEM, problem, f"{detail} {advice}".strip(), fix)
        return parsed
    if parsed.bom:
        report.add(
            PROBLEM,
            "The file starts with a byte-order mark (bytes EF BB BF), which journal never "
            "writes: another program (an editor?) saved it.",
            "Behind the mark the journal is intact, but journal refuses to read a file it did "
            "not write exactly, so nothing opens until the mark is gone. Repair removes only "
            "those 3 bytes and keeps a copy first.",
            f"{prefix} doctor --repair",
            repair=STRIP_BOM,
        )
    if b"\r\n" in body:
        parsed.crlf = True
        report.add(
            PROBLEM,
            "The file has Windows (CRLF) line endings: another program rewrote it.",
            "JSON allows them, so nothing is lost and journal reads it as it is; the next save "
            "writes journal's own form. Repair does that now and keeps a copy first.",
            f"{prefix} doctor --repair",
            repair=REWRITE,
        )
    return parsed


def _backup_with_valid(db_path: Path, uids: list[str], key: Key | None = None) -> Any:
    """The newest backup holding a valid entry for every uid in ``uids``, or None."""
    from journal.models import Entry
    from journal.store.backups import list_backups

    if not uids:
        return None
    for backup in reversed(list_backups(db_path)):
        try:
            data = decode_database(unseal(read_bytes(backup.path), key), backup.path)
        except (DatabaseError, CryptoError, OSError):
            continue
        valid: set[str] = set()
        for doc in data.get("entries", {}).values():
            try:
                valid.add(Entry.from_dict(doc).uid)
            except EntryError:
                continue
        if all(u in valid for u in uids):
            return backup
    return None


def _check_contents(
    report: Report,
    data: dict[str, dict[str, Any]],
    db_path: Path,
    prefix: str,
    key: Key | None = None,
) -> None:
    from journal.models import Entry
    from journal.store import ENTRIES, META, SCHEMA_VERSION

    # The meta table holds more than the schema record (starring adds a settings record,
    # store.set_prompt_starred): only records that name a schema say which format this is.
    meta = data.get(META, {}).values()
    versions = [d["schema"] for d in meta if isinstance(d, dict) and "schema" in d]
    entries = data.get(ENTRIES, {})
    if not versions:
        if entries:
            report.add(
                NOTE,
                "No schema version is recorded (an early or foreign writer).",
                "The next save records it.",
            )
    elif any(not isinstance(v, int) or isinstance(v, bool) for v in versions):
        report.add(
            PROBLEM,
            f"The schema version is not a number: {versions[0]!r}.",
            "journal cannot tell which format the file is in.",
            f"{prefix} restore --list   # then restore a backup",
        )
    elif max(versions) > SCHEMA_VERSION:
        report.add(
            PROBLEM,
            f"A newer journal wrote this file (schema {max(versions)}; this one reads "
            f"{SCHEMA_VERSION}).",
            "Nothing is wrong with the file.",
            "pip install -U journal",
        )
    else:
        report.add(OK, f"Schema version {max(versions)}.")

    by_uid: dict[str, list[str]] = {}
    invalid: list[str] = []
    invalid_uids: list[str] = []
    for doc_id, doc in entries.items():
        uid = doc.get("uid")
        if isinstance(uid, str):
            by_uid.setdefault(uid, []).append(doc_id)
        try:
            Entry.from_dict(doc)
        except EntryError as exc:
            invalid.append(f"document {doc_id} (uid {uid if isinstance(uid, str) else '?'}): {exc}")
            if isinstance(uid, str):
                invalid_uids.append(uid)
    duplicated = {u: ids for u, ids in by_uid.items() if len(ids) > 1}
    if duplicated:
        lines = [f"uid {u}: documents #{', #'.join(ids)}" for u, ids in duplicated.items()]
        report.add(
            PROBLEM,
            f"{len(duplicated)} uid(s) are used by more than one entry; only the first shows.",
            "\n".join(lines[:_SHOW_AT_MOST])
            + "\nRepair drops exact copies and gives the others a new uid (no text is lost).",
            f"{prefix} doctor --repair",
            repair=DEDUPE,
        )
    if invalid:
        more = len(invalid) - _SHOW_AT_MOST
        listing = "\n".join(invalid[:_SHOW_AT_MOST])
        if more > 0:
            listing += f"\n... and {more} more"
        fixes = [f"${{EDITOR:-nano}} {shlex.quote(str(db_path))}   # fix the field(s) named above"]
        good = _backup_with_valid(db_path, invalid_uids, key)
        if good is not None:
            fixes.append(
                f"{prefix} restore {good.name}   # or: a backup where "
                f"{'it is' if len(invalid) == 1 else 'they are'} still valid"
            )
        report.add(
            PROBLEM,
            f"{len(invalid)} entr{'y is' if len(invalid) == 1 else 'ies are'} not valid and "
            "left out of lists (kept in the file untouched).",
            listing + "\njournal does not guess which value was meant. Fix the field by hand "
            "(the file is JSON; journal list shows the entry again once it is valid), or "
            "restore a backup in which the entry is still good (the current file is kept "
            "aside).",
            "\n".join(fixes),
        )
    if not duplicated and not invalid:
        count = len(entries)
        report.add(OK, f"{count} entr{'y' if count == 1 else 'ies'}, every one valid.")


def _check_conflict_copies(report: Report, db_path: Path, prefix: str) -> None:
    """A sync tool's conflict copy beside the journal: words written on another machine that
    are not in this file yet. Worth knowing, not a fault of the journal."""
    import shlex

    from journal.display import visible_line
    from journal.store.merge import conflict_copies

    for copy in conflict_copies(db_path):
        report.add(
            NOTE,
            f"A sync conflict copy is beside the journal: {visible_line(copy.name)}",
            "A file-sync tool left it when two machines wrote before syncing. It may hold "
            "entries this journal does not; merging keeps every text of both.",
            f"{prefix} merge {shlex.quote(str(copy))}",
        )


def _check_temp_files(report: Report, db_path: Path, target: Path, prefix: str) -> None:
    found: list[Path] = []
    with contextlib.suppress(OSError):
        found += target.parent.glob(f"{temp_prefix(target)}*{TEMP_SUFFIX}")
    with contextlib.suppress(OSError):
        found += backups_dir(db_path).glob(f".journal-*{TEMP_SUFFIX}")
    if not found:
        return
    total = sum(p.stat().st_size for p in found if p.exists())
    report.add(
        PROBLEM,
        f"{len(found)} leftover temp file(s), {_size(total)}, from a save that was interrupted.",
        "They never held a finished save (the journal was only replaced after a complete "
        "write), so removing them loses nothing. The next journal command removes them too.",
        f"{prefix} doctor --repair",
        repair=TEMP_FILES,
    )


def _is_journal_folder(folder: Path, target: Path) -> bool:
    """Whether the folder is journal's own, so chmod 700 on it hurts nothing else."""
    try:
        if folder.resolve() == data_dir().resolve():
            return True
        names = [p.name for p in folder.iterdir()]
    except OSError:
        return False
    ours = (target.name, f".{target.name}", f"{target.name}.")
    return all(n.startswith(ours) for n in names)


def _read_only(path: Path) -> bool:
    """Whether the user made ``path`` read-only (no write bit for its owner)."""
    mode = _mode(path)
    return mode is not None and not mode & stat.S_IWUSR


def private_paths(db_path: Path) -> list[tuple[Path, int]]:
    """Every path that must be private, with the mode it should have.

    A journal the user made read-only should be 0400: making it private keeps it read-only.
    """
    target = Path(os.path.realpath(db_path))
    out: list[tuple[Path, int]] = []
    if target.exists():
        out.append((target, 0o400 if _read_only(target) else 0o600))
    for folder in (backups_dir(Path(db_path)), drafts_dir(Path(db_path))):
        if folder.is_dir():
            out.append((folder, 0o700))
            with contextlib.suppress(OSError):
                out += [(p, 0o600) for p in sorted(folder.iterdir()) if p.is_file()]
    lock = target.parent / f".{target.name}.lock"
    if lock.exists():
        out.append((lock, 0o600))
    return out


def _check_permissions(report: Report, db_path: Path, target: Path) -> None:
    loose = [(p, m) for p, m in private_paths(db_path) if (_mode(p) or 0) & 0o077]
    if loose:
        lines = [f"{p}: mode {_mode(p):04o}, should be {m:04o}" for p, m in loose]
        fixes = [f"chmod {m:o} {shlex.quote(str(p))}" for p, m in loose]
        report.add(
            PROBLEM,
            f"{len(loose)} file(s) or folder(s) can be read by other users of this machine.",
            "\n".join(lines[:_SHOW_AT_MOST]),
            "\n".join(fixes[:_SHOW_AT_MOST]) + f"\n(or: {command_prefix(db_path)} doctor --repair)",
            repair=PERMISSIONS,
        )
    folder = target.parent
    mode = _mode(folder)
    if mode is not None and mode & 0o077:
        if _is_journal_folder(folder, target):
            report.add(
                PROBLEM,
                f"The journal's folder {folder} is open to others (mode {mode:04o}).",
                "Other users can see which files are in it.",
                f"chmod 700 {shlex.quote(str(folder))}",
                repair=PERMISSIONS,
            )
        else:
            report.add(
                NOTE,
                f"The journal lives in a shared folder ({folder}, mode {mode:04o}).",
                "The journal file itself is private; a folder of its own would hide even its "
                "name. journal never changes a folder it did not create.",
            )
    if not loose:
        report.add(OK, "The journal and its backups and drafts are private (0600, folders 0700).")


def _check_lock(report: Report, target: Path) -> None:
    lock_path = target.parent / f".{target.name}.lock"
    if not lock_path.exists():
        return
    deadline = time.monotonic() + 3.0
    while True:
        probe = write_lock(lock_path, timeout=0)
        try:
            probe.acquire()
        except lock_timeouts():
            if time.monotonic() < deadline:
                time.sleep(0.1)
                continue
            report.add(
                PROBLEM,
                "Another journal process has held the lock for more than 3 seconds.",
                "A save takes milliseconds, so that process is probably stuck.",
                f"fuser -v {shlex.quote(str(lock_path))}   # shows it; then end it",
            )
            return
        except OSError:
            return
        probe.release()
        return


def _check_backups(report: Report, db_path: Path, prefix: str, key: Key | None = None) -> None:
    from journal.store.backups import check_backup, list_backups

    backups = list_backups(db_path)
    if not backups:
        report.add(
            NOTE,
            "No backups yet.",
            "journal takes one a day before the first save of the day.",
            f"{prefix} backup",
        )
        return
    checks = [check_backup(b, key) for b in backups]
    # Encrypted backups cannot be checked without the passphrase; that is no fault of theirs.
    bad = [c for c in checks if not c.usable and not (c.encrypted and key is None)]
    newest = backups[-1]
    report.add(
        OK,
        f"{len(backups)} backup(s); the newest is {newest.name}.",
        f"In {backups_dir(db_path)}.",
    )
    for check in bad:
        if check.backup.tag is not None:
            continue  # a safety copy of a damaged file is expected not to parse
        report.add(NOTE, f"The backup {check.backup.name} cannot be restored: {check.problem}")


def _check_drafts(report: Report, db_path: Path, key: Key | None = None) -> None:
    from journal.models import now_local
    from journal.store.drafts import DraftBox, describe_when

    box = DraftBox(db_path, key=key)
    drafts = box.orphans(clean=False)
    for path, reason in box.skipped:
        report.add(
            NOTE,
            f"{path} is in the drafts folder but was not read: {reason}.",
            "journal never wrote it; the app leaves it alone.",
            f"rm {shlex.quote(str(path))}",
        )
    for draft in drafts:
        report.add(
            NOTE,
            f"Unsaved text from {describe_when(draft.saved_at, now_local())} is waiting: "
            f"“{draft.preview(40)}”.",
            "Start journal to restore it (or discard it).",
            "journal" if command_prefix(db_path) == "journal" else command_prefix(db_path),
        )


def _check_encrypted(
    report: Report,
    db_path: Path,
    raw: bytes,
    prefix: str,
    key: Key | None,
    key_problem: str | None,
) -> bytes | None:
    """Check an encrypted journal's header, and with the key its content: the plain bytes."""
    try:
        header = read_header(raw)
    except CostlyKdfError as exc:
        lowered = exc.message[:1].lower() + exc.message[1:]
        report.add(PROBLEM, f"The journal is encrypted, but {lowered}", exc.hint or "")
        return None
    except CryptoError as exc:
        advice, fix = _restore_advice(db_path, prefix, key)
        report.add(
            PROBLEM,
            f"The journal is encrypted, but its header is damaged: {exc.message}",
            "Without an intact header the key cannot be derived, so nothing can be decrypted "
            f"(the file has not been changed). {advice}",
            fix,
        )
        return None
    report.add(OK, f"Encrypted: {header.description}; the header is intact.")
    if key is None and key_problem is None:
        report.add(
            NOTE,
            "The content was not checked: no passphrase was given.",
            f"Run `{prefix} doctor` in a terminal to be asked for it, or set "
            f"{PASSPHRASE_FILE_ENV} to a file holding it.",
        )
        return None
    problem = key_problem
    plain = None
    if key is not None:
        try:
            plain = key.decrypt(raw)
        except DamagedFileError:
            _report_damaged(report, db_path, prefix, key)
            return None
        except CryptoError as exc:
            problem = exc.message
    if plain is None:
        advice, fix = _restore_advice(db_path, prefix, key)
        report.add(
            PROBLEM,
            "The passphrase given does not open the journal.",
            f"{problem} Either the passphrase was mistyped (the file has not been changed: "
            "run the doctor again), or the file was changed after journal wrote it; then "
            f"restore a backup. {advice}",
            f"{prefix} doctor   # and type the passphrase again\n{fix}",
        )
    return plain


def _report_damaged(report: Report, db_path: Path, prefix: str, key: Key) -> None:
    advice, fix = _restore_advice(db_path, prefix, key)
    report.add(
        PROBLEM,
        "The journal is damaged: the passphrase is right, but the encrypted content is not "
        "what journal wrote.",
        "A disk or copy error, or an edit, changed the file after it was written; the cipher "
        f"refuses to open it, so no part of it can be read (the file has not been changed). "
        f"{advice}",
        fix,
    )


def _check_watermark(report: Report, db_path: Path, raw: bytes | None, prefix: str) -> bool:
    """Is the file what this computer expects: encrypted, and not older than one seen?

    (store/watermark.py.) ``raw`` is the journal's bytes, None when there is no file. The
    generation of an encrypted file is read from its header; opening the journal checks it
    against the cipher too. True when a problem was reported.
    """
    from journal.store.watermark import remembered

    seen = remembered(db_path)
    if seen is None:
        return False
    if raw is None or not is_encrypted(raw):
        if raw is None:
            title = "This computer knows the journal as encrypted, but it is missing now."
            detail = (
                "It was moved or deleted (by hand, a sync, someone else), or removed on "
                "another computer. journal will not start a new plain journal in its place."
            )
        else:
            title = "This computer knows the journal as encrypted, but it is a plain file now."
            detail = (
                "journal refuses to read it or to write entries into it unencrypted. Either a "
                "plain file was put in its place (a sync, a copy, someone else), or it was "
                "decrypted on another computer."
            )
        report.add(
            PROBLEM,
            title,
            detail,
            f"{prefix} restore --list   # put the encrypted journal back from a backup\n"
            f"{prefix} accept   # or, if it is meant to be {'gone' if raw is None else 'plain'}: "
            "take it as it is",
        )
        return True
    try:
        generation = read_header(raw).generation
    except CryptoError:
        return False  # a damaged header is its own finding
    if generation < seen:
        report.add(
            PROBLEM,
            f"The journal is an older copy: write {generation}, but this computer has already "
            f"seen write {seen} of it.",
            "Every write of an encrypted journal counts up in its authenticated header, and "
            "this computer remembers the highest count it has seen. A lower one means an older "
            "copy was put back (a restore by hand, a sync, a copy from another computer): "
            "what was written after it is not in this file, and journal refuses to open it. "
            "The newer copy may be among the backups or in your sync tool's history.",
            f"{prefix} restore --list   # put the newer copy back\n"
            f"{prefix} accept   # or keep this older copy as the journal",
        )
        return True
    report.add(OK, f"This is write {generation} of the journal, the newest seen here.")
    return False


def _check_companions(
    report: Report, db_path: Path, prefix: str, header_params: Any, key: Key | None
) -> None:
    """Backups and drafts must follow the journal: encrypted beside an encrypted journal."""
    from journal.store.reseal import survey

    found = survey(db_path, header_params)

    def names(files: list[tuple[str, Path]]) -> str:
        listed = [f"{kind} {path}" for kind, path in files[:_SHOW_AT_MOST]]
        more = len(files) - _SHOW_AT_MOST
        return "\n".join(listed + ([f"... and {more} more"] if more > 0 else []))

    if header_params is not None:
        if found.plain:
            report.add(
                PROBLEM,
                f"{len(found.plain)} backup(s) or draft(s) are plain text beside the encrypted "
                "journal (an encryption cut short, or copied in by hand).",
                names(found.plain) + "\nAnyone who can read them reads your writing. "
                "Sealing them with the journal's passphrase loses nothing.",
                f"{prefix} encrypt   # finishes the job: seals them (or: {prefix} doctor "
                "--repair, with the passphrase)",
                repair=RESEAL if key is not None else None,
            )
        if found.other:
            report.add(
                NOTE,
                f"{len(found.other)} backup(s) or draft(s) are encrypted with another "
                "passphrase than the journal's (from before a passphrase change?).",
                names(found.other) + "\nThey stay private. Restoring such a backup asks "
                "for the passphrase it was encrypted with.",
            )
        if not found.plain:
            report.add(OK, "Every backup and draft is encrypted too.")
    elif found.other:
        report.add(
            NOTE,
            f"{len(found.other)} backup(s) or draft(s) are still encrypted, though the journal "
            "is not (a `journal decrypt` cut short?).",
            names(found.other),
            f"{prefix} decrypt   # opens them with their passphrase and writes them plain",
        )


def examine(
    db_path: Path,
    *,
    probe_lock: bool = True,
    key: Key | None = None,
    key_problem: str | None = None,
) -> Report:
    """Look the journal at ``db_path`` over, changing nothing.

    ``probe_lock=False`` skips the stuck-lock check (for :func:`repair`, which holds it).
    An encrypted journal's content is checked with ``key``; ``key_problem`` says why there
    is none when the passphrase given did not open it.
    """
    db_path = Path(db_path)
    report = Report(db_path)
    prefix = command_prefix(db_path)
    target = Path(os.path.realpath(db_path))
    if db_path.is_symlink():
        report.add(OK, f"{db_path} is a symlink to {target}; journal writes through to it.")
    if target.is_dir():
        report.add(
            PROBLEM,
            f"The journal path {target} is a folder, not a file.",
            "",
            "journal --db PATH/TO/journal.json ...   # or set JOURNAL_DB to a file",
        )
        return report
    try:
        raw = read_bytes(target)
    except FileNotFoundError:
        if not _check_watermark(report, db_path, None, prefix):
            report.add(OK, f"No journal at {db_path} yet: nothing to check until the first save.")
        _check_drafts(report, db_path)
        return report
    except PermissionError:
        report.add(
            PROBLEM,
            f"The journal {target} cannot be read: permission denied.",
            "",
            f"ls -l {shlex.quote(str(target))}   # check the owner; then chmod 600 it",
        )
        return report
    report.add(OK, f"{target}: {_size(len(raw))}.")
    if _read_only(target):
        report.add(
            NOTE,
            f"The journal is read-only (mode {_mode(target):04o}): journal reads it and writes "
            "nothing to it.",
            "A save, a restore or a repair that would rewrite it is refused, never forced.",
            f"chmod u+w {shlex.quote(str(target))}   # to write to it again",
        )
    header_params = None
    plain: bytes | None = raw
    if is_encrypted(raw):
        with contextlib.suppress(CryptoError):
            header_params = read_header(raw).params
        plain = _check_encrypted(report, db_path, raw, prefix, key, key_problem)
    _check_watermark(report, db_path, raw, prefix)
    if plain is not None:
        parsed = _check_parse(report, db_path, plain, prefix, key)
        if parsed.data is not None:
            if not parsed.bom and not parsed.crlf:
                report.add(OK, "The file parses: a journal in journal's own format.")
            _check_contents(report, parsed.data, db_path, prefix, key)
    _check_temp_files(report, db_path, target, prefix)
    _check_conflict_copies(report, db_path, prefix)
    _check_permissions(report, db_path, target)
    if probe_lock:
        _check_lock(report, target)
    _check_backups(report, db_path, prefix, key)
    _check_drafts(report, db_path, key)
    if header_params is not None or not is_encrypted(raw):  # not with a damaged header
        _check_companions(report, db_path, prefix, header_params, key)
    return report


# ---- repair -----------------------------------------------------------------------------------


def _dedupe(entries: dict[str, Any]) -> list[str]:
    import uuid

    done: list[str] = []
    seen: dict[str, dict[str, Any]] = {}
    for doc_id in sorted(entries, key=int):
        doc = entries[doc_id]
        uid = doc.get("uid")
        if not isinstance(uid, str):
            continue
        if uid not in seen:
            seen[uid] = doc
            continue
        if doc == seen[uid]:
            del entries[doc_id]
            done.append(f"removed document #{doc_id}, an exact copy of entry {uid}")
        else:
            new_uid = uuid.uuid4().hex
            doc["uid"] = new_uid
            done.append(f"gave document #{doc_id} (a second entry {uid}) the new uid {new_uid}")
    return done


def repair(
    db_path: Path, *, log: Callable[[str], None] | None = None, key: Key | None = None
) -> list[str]:
    """Fix what can be fixed without loss, keeping a copy first; returns what was done.

    An encrypted journal is repaired with ``key`` and written back encrypted.
    """
    from journal.store.backups import _journal_lock, keep_copy
    from journal.store.crypto import seal

    db_path = Path(db_path)
    target = Path(os.path.realpath(db_path))
    done: list[str] = []

    def did(text: str) -> None:
        done.append(text)
        if log is not None:
            log(text)

    with _journal_lock(db_path):
        report = examine(db_path, probe_lock=False, key=key)
        keys = {f.repair for f in report.repairable}
        rewrite = bool(keys & {STRIP_BOM, REWRITE, DEDUPE})
        if rewrite and _read_only(target):
            # The user's chmod 400 is their word: the file is left exactly as it is.
            did(f"left the journal as it is: it is read-only (chmod u+w {target}, then repair)")
            rewrite = False
        if rewrite:
            raw = original = read_bytes(target)
            sealed = is_encrypted(raw)
            raw = unseal(raw, key)  # the findings came from these very plain bytes
            body = raw[len(BOM) :] if raw.startswith(BOM) else raw
            data = decode_database(body, db_path)
            changes: list[str] = []
            if raw.startswith(BOM):
                changes.append("removed the byte-order mark")
            if DEDUPE in keys:
                changes += _dedupe(data.get("entries", {}))
            if REWRITE in keys or DEDUPE in keys:
                new = encode_database(data)
                if REWRITE in keys:
                    changes.append("rewrote the CRLF line endings in journal's own form")
            else:
                new = body
            copy = keep_copy(db_path, tag="before-repair")
            did(f"kept a copy of the file as it was: {copy}")
            from journal.store.atomic import atomic_write_bytes

            # An encrypted journal's write counter goes on (store/watermark.py).
            generation = read_header(original).generation + 1 if sealed else None
            atomic_write_bytes(target, seal(new, key if sealed else None, generation=generation))
            if generation is not None:
                from journal.store.watermark import remember

                remember(db_path, generation)
            for change in changes:
                did(change)
        if RESEAL in keys and key is not None:
            from journal.store.reseal import reseal

            result = reseal(db_path, key, key, lock=False)
            did(f"encrypted {result.counts()} with the journal's passphrase")
        if TEMP_FILES in keys:
            leftovers = list(target.parent.glob(f"{temp_prefix(target)}*{TEMP_SUFFIX}"))
            with contextlib.suppress(OSError):
                leftovers += backups_dir(db_path).glob(f".journal-*{TEMP_SUFFIX}")
            for leftover in leftovers:
                with contextlib.suppress(FileNotFoundError):
                    leftover.unlink()
            did(f"removed {len(leftovers)} leftover temp file(s)")
        if PERMISSIONS in keys:
            for path, mode in private_paths(db_path):
                if (_mode(path) or 0) & 0o077:
                    os.chmod(path, mode)
                    did(f"chmod {mode:o} {path}")
            folder = target.parent
            folder_mode = _mode(folder)
            if folder_mode and folder_mode & 0o077 and _is_journal_folder(folder, target):
                os.chmod(folder, 0o700)
                did(f"chmod 700 {folder}")
    return done


def render(report: Report, *, verbose: bool = True, width: int = 88) -> str:
    """The report as text for a terminal: one mark per finding, details and fixes indented."""
    lines = [f"journal doctor: {report.path}"]
    for finding in report.findings:
        if finding.severity == OK and not verbose:
            continue
        # Paths and names stay whole (no breaks at hyphens), so they can be copied.
        wrap = functools.partial(
            textwrap.fill, width=width, break_long_words=False, break_on_hyphens=False
        )
        mark = f"  {_MARK[finding.severity]} "
        lines.append(wrap(finding.title, initial_indent=mark, subsequent_indent="    "))
        for detail in finding.detail.splitlines():
            lines.append(wrap(detail, initial_indent=" " * 6, subsequent_indent=" " * 6))
        for i, fix in enumerate(finding.fix.splitlines()):
            lines.append(f"      {'fix: ' if i == 0 else '     '}{fix}")
    problems = len(report.problems)
    if problems:
        lines.append(f"{problems} problem(s) found.")
        if report.repairable:
            lines.append(
                f"`{command_prefix(report.path)} doctor --repair` fixes "
                f"{len(report.repairable)} of them without losing anything "
                "(a copy is kept first)."
            )
    else:
        lines.append("Healthy.")
    return "\n".join(lines)
