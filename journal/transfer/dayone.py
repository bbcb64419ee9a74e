"""Moving in from Day One: its JSON export, as the zip Day One writes or the JSON file alone.

A Day One export is a zip holding one JSON file per journal (``Journal.json``, ``Work.json``)
and the media in folders by kind (``photos/``, ``videos/``, ``audios/``, ``pdfs/``), each file
named by its MD5 and type (``photos/<md5>.jpeg``). Each JSON file is
``{"metadata": {...}, "entries": [...]}``; an entry has ``uuid``, ``creationDate`` (UTC),
``timeZone``, ``modifiedDate``, ``text`` (Markdown, with Day One's backslash escapes),
``tags``, ``starred``, ``location``, ``weather`` and its media (``photos`` etc.), which the
text points at as ``![](dayone-moment://<identifier>)`` (photos) or
``dayone-moment:/video/<identifier>`` (and ``/audio/``, ``/pdfAttachment/``).

Per entry here:

- the uid is Day One's ``uuid`` in lower case, so importing twice adds nothing;
- the day is the local day in the entry's own time zone (an entry written at 23:30 in Tokyo
  belongs to that evening, whatever the UTC date), ``created``/``updated`` keep that offset;
- Day One's escapes (``\\.`` ``\\-`` ``\\(`` ...) are undone for exactly the characters it
  escapes (:data:`DAYONE_ESCAPED`), outside code, and nothing else;
- a first line that is a heading becomes the title;
- location and weather become one readable line at the end of the body (not dropped);
- the Day One journal an entry came from is the tag ``dayone-<journal>`` (e.g.
  ``dayone-work``), so several journals in one export stay apart;
- media are copied into ``attachments/dayone/`` beside the journal (a private folder), and
  the references become relative Markdown links to them; a file the export does not hold is
  said in the text ("photo not in the Day One export") instead of a broken link.

Nothing is written until everything has been read and checked (all or nothing); the media
are copied by :func:`copy_attachments` right before the journal is written.
"""

from __future__ import annotations

import json
import re
import uuid as uuid_module
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import Any

from journal.errors import EntryError, JournalError
from journal.models import Entry, normalise_tag, normalise_tags, timestamp

__all__ = [
    "ATTACHMENTS_FOLDER",
    "DAYONE_ESCAPED",
    "Attachment",
    "DayOneExport",
    "copy_attachments",
    "read_dayone",
    "unescape_dayone",
]

#: Characters Day One puts a backslash before in an entry's Markdown.
DAYONE_ESCAPED = frozenset("\\`*_{}[]()#+-.!>|~<")
#: Beside the journal file: where imported media go.
ATTACHMENTS_FOLDER = "attachments"
#: A zip member or JSON file larger than this is refused (a Day One export of text alone is
#: a few MB even for thousands of entries).
MAX_JSON_BYTES = 512 * 1024 * 1024
_MEDIA_KINDS = {
    "photos": ("photos", "photo"),
    "videos": ("videos", "video"),
    "audios": ("audios", "audio recording"),
    "pdfAttachments": ("pdfs", "PDF"),
}
_MOMENT_RE = re.compile(
    r"(!?)\[([^\]\n]*)\]\(dayone-moment:(?://|/(?:video|audio|pdfAttachment)/)([A-Za-z0-9-]+)\)"
)
_HEADING_RE = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN_RE = re.compile(r"(`+)(?:(?!\1).)+?\1", re.DOTALL)
_ESCAPE_RE = re.compile(r"\\([" + re.escape("".join(sorted(DAYONE_ESCAPED))) + r"])")
ProgressFn = Callable[[int, int], None]


@dataclass(frozen=True)
class Attachment:
    """A media file to copy: where it is in the export, and its name under attachments/."""

    source: str  # the zip member name, or a path on disk
    target: str  # relative to the journal's folder, e.g. attachments/dayone/ab12.jpeg
    from_zip: bool


@dataclass
class DayOneExport:
    """Everything read from a Day One export, checked."""

    entries: list[tuple[Entry, str]] = field(default_factory=list)  # (entry, where)
    attachments: list[Attachment] = field(default_factory=list)
    missing_media: int = 0
    journals: list[str] = field(default_factory=list)
    archive: Path | None = None  # the zip, when the export is one
    folder: Path | None = None  # the folder of a loose JSON file (its media folders are there)


class DayOneError(JournalError):
    """The Day One export cannot be imported as it is; nothing was changed."""


def unescape_dayone(text: str) -> str:
    """Undo Day One's backslash escapes (:data:`DAYONE_ESCAPED`), outside code only."""
    if "\\" not in text:
        return text
    out: list[str] = []
    fence: str | None = None
    for line in text.split("\n"):
        opened = _FENCE_RE.match(line)
        if fence is not None:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = None
            out.append(line)
            continue
        if opened:
            fence = opened.group(1)
            out.append(line)
            continue
        pieces: list[str] = []
        last = 0
        for span in _CODE_SPAN_RE.finditer(line):
            pieces.append(_ESCAPE_RE.sub(r"\1", line[last : span.start()]))
            pieces.append(span.group())
            last = span.end()
        pieces.append(_ESCAPE_RE.sub(r"\1", line[last:]))
        out.append("".join(pieces))
    return "\n".join(out)


def _zone(name: Any) -> Any:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not isinstance(name, str) or not name:
        return timezone.utc
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _moment(value: Any, zone: Any, where: str, name: str) -> datetime:
    if not isinstance(value, str):
        raise DayOneError(f"{where}: {name} is missing or not text")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise DayOneError(f"{where}: {name} {value!r} is not a date and time") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(zone)


def _place_line(item: dict[str, Any]) -> str:
    parts: list[str] = []
    location = item.get("location")
    if isinstance(location, dict):
        names = [
            str(location[k])
            for k in ("placeName", "localityName", "administrativeArea", "country")
            if isinstance(location.get(k), str) and location.get(k)
        ]
        unique = list(dict.fromkeys(names))
        if unique:
            parts.append("Location: " + ", ".join(unique))
        elif isinstance(location.get("latitude"), (int, float)):
            parts.append(
                f"Location: {location['latitude']:.5f}, {location.get('longitude', 0):.5f}"
            )
    weather = item.get("weather")
    if isinstance(weather, dict):
        bits: list[str] = []
        if isinstance(weather.get("conditionsDescription"), str):
            bits.append(weather["conditionsDescription"])
        temp = weather.get("temperatureCelsius")
        if isinstance(temp, (int, float)) and not isinstance(temp, bool):
            bits.append(f"{temp:.0f} °C")
        if bits:
            parts.append("Weather: " + ", ".join(bits))
    return " · ".join(parts)


def _title_and_body(text: str) -> tuple[str, str]:
    first, _, rest = text.partition("\n")
    heading = _HEADING_RE.match(first)
    if heading is None:
        return "", text
    return heading.group(1).strip(), rest.lstrip("\n")


class _Media:
    """Finds an entry's media files in the export and names their copies."""

    def __init__(self, names: set[str], folder: Path | None, archive: bool) -> None:
        self.folder = folder
        self.archive = archive
        # (kind folder, md5) -> the file: one look-up per medium, not a scan of every file
        # (an export of thousands of photos would otherwise take photos x files steps).
        self.index: dict[tuple[str, str], str] = {}
        for name in sorted(names):
            kind_folder, slash, rest = name.partition("/")
            if slash and rest and "/" not in rest:
                self.index.setdefault((kind_folder, rest.split(".", 1)[0]), name)

    def find(self, kind_folder: str, md5: str) -> str | None:
        """The export's file for the medium ``md5`` of this kind, if it holds one."""
        return self.index.get((kind_folder, md5))


def _rewrite_media(
    item: dict[str, Any], body: str, media: _Media, export: DayOneExport, where: str
) -> str:
    links: dict[str, str] = {}
    for key, (folder, label) in _MEDIA_KINDS.items():
        listed = item.get(key) or []
        if not isinstance(listed, list):
            raise DayOneError(f"{where}: {key} is not a list")
        for medium in listed:
            if not isinstance(medium, dict) or not isinstance(medium.get("identifier"), str):
                continue
            ident = medium["identifier"]
            md5 = medium.get("md5")
            found = media.find(folder, md5) if isinstance(md5, str) else None
            if found is None:
                links[ident] = f"*({label} not in the Day One export)*"
                export.missing_media += 1
                continue
            name = PurePosixPath(found).name
            target = f"{ATTACHMENTS_FOLDER}/dayone/{name}"
            export.attachments.append(Attachment(found, target, media.archive))
            links[ident] = f"![{label}]({target})" if key == "photos" else f"[{label}]({target})"

    def replace(match: re.Match[str]) -> str:
        ident = match.group(3)
        if ident in links:
            return links[ident]
        export.missing_media += 1
        return "*(attachment not in the Day One export)*"

    return _MOMENT_RE.sub(replace, body)


def _journal_name(member: str) -> str:
    return PurePosixPath(member).stem


def _entries_of(data: Any, where: str) -> list[Any]:
    if isinstance(data, dict) and isinstance(data.get("entries"), list):
        return list(data["entries"])
    raise DayOneError(
        f'{where} is not a Day One JSON export (no "entries" list).',
        "Export from Day One as JSON (File > Export > JSON) and import the zip or its .json.",
    )


def _too_large(where: str) -> str:
    from journal.store.files import size_text

    return (
        f"{where} is larger than {size_text(MAX_JSON_BYTES)}, the most journal reads from "
        "a Day One journal, so it was not read."
    )


def _read_json(raw: bytes, where: str) -> Any:
    if len(raw) > MAX_JSON_BYTES:
        raise DayOneError(_too_large(where))
    try:
        return json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise DayOneError(f"{where} is not UTF-8 text.") from None
    except (json.JSONDecodeError, RecursionError) as exc:
        detail = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
        line = f", line {exc.lineno}" if isinstance(exc, json.JSONDecodeError) else ""
        raise DayOneError(f"{where}{line}: not valid JSON ({detail}).") from None


def read_dayone(path: Path, *, progress: ProgressFn | None = None) -> DayOneExport:
    """Read and check a Day One export (zip or JSON); :class:`DayOneError` names the entry.

    Only a regular file is opened (never blocking on a pipe); a JSON file, or a JSON member of
    the zip, may be at most :data:`MAX_JSON_BYTES`.
    """
    from journal.store.files import open_regular_file, read_regular_file

    export = DayOneExport()
    sources: list[tuple[str, Any]] = []
    try:
        handle = open_regular_file(path)
    except JournalError as exc:
        raise DayOneError(exc.message, exc.hint) from None
    with handle:
        is_zip = zipfile.is_zipfile(handle)
    if is_zip:
        export.archive = path
        try:
            with open_regular_file(path) as handle, zipfile.ZipFile(handle) as archive:
                infos = [i for i in archive.infolist() if not i.is_dir()]
                names = {i.filename for i in infos}
                for info in infos:
                    member = info.filename
                    if (
                        member.endswith(".json")
                        and "/" not in member.strip("/")
                        and not member.startswith(("__MACOSX", "."))
                    ):
                        if info.file_size > MAX_JSON_BYTES:
                            raise DayOneError(_too_large(f"{path}:{member}"))
                        with archive.open(info) as opened:
                            # Never more than the cap, whatever the zip says the size is.
                            data = opened.read(MAX_JSON_BYTES + 1)
                        sources.append((member, _read_json(data, f"{path}:{member}")))
        except zipfile.BadZipFile as exc:
            raise DayOneError(f"{path} is a damaged zip file ({exc}).") from None
        media = _Media(names, None, archive=True)
    else:
        try:
            # One byte over the cap is enough for _read_json to say it is too large.
            raw = read_regular_file(path, MAX_JSON_BYTES + 1)[0]
        except JournalError as exc:
            raise DayOneError(exc.message, exc.hint) from None
        sources.append((path.name, _read_json(raw, str(path))))
        folder = path.parent
        export.folder = folder
        names = set()
        for kind_folder, _label in _MEDIA_KINDS.values():
            sub = folder / kind_folder
            if sub.is_dir() and not sub.is_symlink():
                names.update(
                    f"{kind_folder}/{p.name}"
                    for p in sub.iterdir()
                    if p.is_file() and not p.is_symlink()
                )
        media = _Media(names, folder, archive=False)
    if not sources:
        raise DayOneError(
            f"{path} holds no Day One journal (.json) at its top level.",
            "Import the zip Day One wrote (File > Export > JSON), or the .json in it.",
        )
    total = sum(len(_entries_of(data, f"{path}:{member}")) for member, data in sources)
    seen = 0
    problems: list[str] = []
    for member, data in sources:
        journal_tag = normalise_tag(f"dayone-{_journal_name(member)}")
        export.journals.append(_journal_name(member))
        for n, item in enumerate(_entries_of(data, f"{path}:{member}"), 1):
            where = f"{member}, entry {n}"
            try:
                if not isinstance(item, dict):
                    raise DayOneError(f"{where}: not an object")
                uid = item.get("uuid")
                if not isinstance(uid, str) or not uid.strip():
                    raise DayOneError(f"{where}: no uuid")
                where = f"{member}, entry {n} (uuid {uid})"
                entry = _entry(item, uid, journal_tag, media, export, where)
            except DayOneError as exc:
                problems.append(exc.message)
                continue
            export.entries.append((entry, where))
            seen += 1
            if progress and (seen % 200 == 0 or seen == total):
                progress(seen, total)
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:10])
        more = f"\n  ...and {len(problems) - 10} more" if len(problems) > 10 else ""
        raise DayOneError(
            f"Cannot import {path}: {len(problems)} entr{'y' if len(problems) == 1 else 'ies'} "
            f"malformed:\n{shown}{more}",
            "Nothing was imported; the journal has not been changed.",
        )
    return export


def _entry(
    item: dict[str, Any],
    uid: str,
    journal_tag: str,
    media: _Media,
    export: DayOneExport,
    where: str,
) -> Entry:
    zone = _zone(item.get("timeZone"))
    if zone is None:
        raise DayOneError(f"{where}: unknown time zone {item.get('timeZone')!r}")
    created = _moment(item.get("creationDate"), zone, where, "creationDate")
    modified = (
        _moment(item["modifiedDate"], zone, where, "modifiedDate")
        if item.get("modifiedDate")
        else created
    )
    text = item.get("text", "")
    if not isinstance(text, str):
        raise DayOneError(f"{where}: text is not text")
    title, body = _title_and_body(unescape_dayone(text.replace("\r\n", "\n")))
    body = _rewrite_media(item, body, media, export, where)
    place = _place_line(item)
    if place:
        body = body.rstrip("\n") + ("\n\n" if body.strip() else "") + place + "\n"
    tags_in = item.get("tags") or []
    if not isinstance(tags_in, list) or not all(isinstance(t, str) for t in tags_in):
        raise DayOneError(f"{where}: tags must be a list of text")
    starred = item.get("starred", False)
    if not isinstance(starred, bool):
        raise DayOneError(f"{where}: starred must be true or false")
    stamp_created = timestamp(created)
    stamp_updated = timestamp(max(modified, created))
    try:
        return Entry(
            uid=_uid(uid),
            kind="reflection",
            created=stamp_created,
            updated=stamp_updated,
            day=created.date().isoformat(),
            title=title.replace("\n", " "),
            body=body,
            tags=normalise_tags([*tags_in, journal_tag]),
            starred=starred,
        )
    except EntryError as exc:
        raise DayOneError(f"{where}: {exc.message}") from None


def _uid(value: str) -> str:
    cleaned = value.strip().lower()
    if re.fullmatch(r"[0-9a-f]{32}", cleaned):
        return cleaned
    # Not Day One's usual 32 hex digits: a stable uid derived from it (a re-import finds it).
    return uuid_module.uuid5(uuid_module.NAMESPACE_URL, f"dayone:{value}").hex


def copy_attachments(export: DayOneExport, journal_folder: Path) -> int:
    """Copy the export's media beside the journal (private folder and files); how many were
    new. A file already there with the same name is the same medium (named by its MD5)."""
    from journal.paths import ensure_private_dir
    from journal.store.atomic import atomic_write_bytes
    from journal.store.files import read_regular_file

    if not export.attachments:
        return 0
    folder = ensure_private_dir(journal_folder / ATTACHMENTS_FOLDER / "dayone")
    ensure_private_dir(journal_folder / ATTACHMENTS_FOLDER)
    copied = 0
    archive = zipfile.ZipFile(export.archive) if export.archive is not None else None
    try:
        for attachment in dict.fromkeys(export.attachments):
            target = journal_folder / attachment.target
            if target.parent != folder or target.exists():
                continue
            if archive is not None:
                data = archive.read(attachment.source)
            elif export.folder is not None:
                # Listed as a regular file, not a link: read it only if it still is one.
                data = read_regular_file(export.folder / attachment.source, follow_symlinks=False)[
                    0
                ]
            else:
                continue
            atomic_write_bytes(target, data)
            copied += 1
    finally:
        if archive is not None:
            archive.close()
    return copied
