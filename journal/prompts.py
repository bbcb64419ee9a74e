"""Prompt packs (TOML) and the daily prompt feed.

A pack is a TOML file with ``id``, ``title``, ``theme``, ``description`` and ``[[prompts]]``
(``id``, ``text``, optional ``followups``, ``tags``, ``when``). Packs are validated strictly;
a broken pack is skipped and reported by file, prompt id and problem, and the others load.

The prompt of the day is chosen without randomness that changes between runs: a fixed
shuffle of the enabled prompts (seeded by the cycle number) walked one step a day, skipping
prompts already shown in the current cycle. Once the app shows a prompt it is logged, so the
day's prompt stays put even if packs change later in the day.
"""

from __future__ import annotations

import hashlib
import random
import re
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

from journal.display import visible_line
from journal.errors import PromptPackError
from journal.models import Entry
from journal.safe_read import FileTooLargeError, NotRegularFileError, read_capped

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

#: The kinds of prompt the feed offers (a prompt's ``when``), one cycle each.
DAILY = "daily"
WEEKLY = "weekly-review"
AFTER_CALL = "after-a-tough-call"
LOOKBACK = "revisit"
WHEN_VALUES = (DAILY, AFTER_CALL, WEEKLY, LOOKBACK)
PACK_KEYS = {"id", "title", "theme", "description", "prompts"}
PROMPT_KEYS = {"id", "text", "followups", "tags", "when", "time", "replaces"}
#: Time-of-day hints a prompt may carry; the feed prefers the one that fits the local hour.
TIME_VALUES = ("morning", "evening")
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
EPOCH = date(2000, 1, 1)


@dataclass(frozen=True)
class Prompt:
    """One prompt of a pack."""

    id: str
    text: str
    pack: str
    theme: str
    followups: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    when: tuple[str, ...] = ("daily",)
    #: ``"morning"``, ``"evening"`` or None (any time of day).
    time: str | None = None
    #: Ids of retired prompts merged into this one: entries that recorded them still resolve.
    replaces: tuple[str, ...] = ()

    def fits_hour(self, hour: int) -> bool:
        """Whether the prompt suits the local ``hour`` (no hint suits every hour)."""
        if self.time == "morning":
            return 4 <= hour < 12
        if self.time == "evening":
            return hour >= 17 or hour < 4
        return True


@dataclass(frozen=True)
class Pack:
    """A prompt pack: metadata plus its prompts, in file order."""

    id: str
    title: str
    theme: str
    description: str
    prompts: tuple[Prompt, ...]
    source: Path
    builtin: bool = True


@dataclass
class PackProblem:
    """Why a pack was skipped: the file, the prompt id (if any) and what is wrong."""

    source: Path
    prompt_id: str | None
    problem: str

    def __str__(self) -> str:
        where = f"{self.source}"
        if self.prompt_id:
            where += f", prompt {self.prompt_id!r}"
        return f"{where}: {self.problem}"


def builtin_packs_dir() -> Path:
    """The packs shipped with journal: inside the wheel, or ``prompts/`` in a source checkout."""
    packaged = Path(str(resources.files("journal"))) / "prompts"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "prompts"


def _text(value: Any, what: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{what} must be a string, not {type(value).__name__}")
    if not allow_empty and not value.strip():
        raise ValueError(f"{what} is empty")
    return value.strip()


def _str_list(value: Any, what: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ValueError(f"{what} must be a list of strings, not {type(value).__name__}")
    return tuple(_text(v, f"each of {what}") for v in value)


def parse_pack(data: Mapping[str, Any], source: Path, builtin: bool = True) -> Pack:
    """Validate one parsed pack; raise :class:`PromptPackError` naming the prompt and problem."""

    def fail(problem: str, prompt_id: str | None = None) -> PromptPackError:
        return PromptPackError(str(PackProblem(source, prompt_id, problem)))

    unknown = set(data) - PACK_KEYS
    if unknown:
        raise fail(f"unknown key(s) {', '.join(sorted(unknown))} at the top of the pack")
    for key in ("id", "title", "theme", "prompts"):
        if key not in data:
            raise fail(f"the pack has no {key!r}")
    try:
        pack_id = _text(data["id"], "id")
        title = _text(data["title"], "title")
        theme = _text(data["theme"], "theme")
        description = _text(data.get("description", ""), "description", allow_empty=True)
    except ValueError as exc:
        raise fail(str(exc)) from None
    if not _ID_RE.match(pack_id):
        raise fail(f"pack id {pack_id!r} must be lowercase letters, digits and dashes")
    raw_prompts = data["prompts"]
    if not isinstance(raw_prompts, list) or not raw_prompts:
        raise fail("'prompts' must be a non-empty list of [[prompts]] tables")
    prompts: list[Prompt] = []
    seen: set[str] = set()
    for number, raw in enumerate(raw_prompts, start=1):
        label = f"#{number}"
        if not isinstance(raw, dict):
            raise fail("is not a table", label)
        if isinstance(raw.get("id"), str) and raw["id"].strip():
            label = raw["id"].strip()
        unknown = set(raw) - PROMPT_KEYS
        if unknown:
            raise fail(f"unknown key(s) {', '.join(sorted(unknown))}", label)
        try:
            if "id" not in raw:
                raise ValueError("has no id")
            prompt_id = _text(raw["id"], "id")
            if not _ID_RE.match(prompt_id):
                raise ValueError("id must be lowercase letters, digits and dashes")
            if "text" not in raw:
                raise ValueError("has no text")
            text = _text(raw["text"], "text")
            followups = _str_list(raw.get("followups", []), "followups")
            if len(followups) > 3:
                raise ValueError("has more than 3 followups")
            tags = _str_list(raw.get("tags", []), "tags")
            when = _str_list(raw.get("when", ["daily"]), "when")
            bad = [w for w in when if w not in WHEN_VALUES]
            if bad:
                raise ValueError(f"'when' value {bad[0]!r} is not one of: {', '.join(WHEN_VALUES)}")
            time = raw.get("time")
            if time is not None and time not in TIME_VALUES:
                raise ValueError(f"'time' must be one of: {', '.join(TIME_VALUES)}")
            replaces = _str_list(raw.get("replaces", []), "replaces")
            if any(not _ID_RE.match(r) for r in replaces):
                raise ValueError("each of replaces must be a prompt id")
        except ValueError as exc:
            raise fail(str(exc), label) from None
        if prompt_id in seen:
            raise fail("duplicate id within the pack", prompt_id)
        seen.add(prompt_id)
        prompts.append(
            Prompt(
                id=prompt_id,
                text=text,
                pack=pack_id,
                theme=theme,
                followups=followups,
                tags=tags,
                when=when or ("daily",),
                time=time,
                replaces=replaces,
            )
        )
    return Pack(pack_id, title, theme, description, tuple(prompts), source, builtin)


#: The largest pack file read: the shipped ones are 10-30 KB; a pack is text someone wrote.
PACK_CAP = 4 * 2**20


def load_pack_file(path: Path, builtin: bool = True) -> Pack:
    """Read and validate one pack file.

    Only a regular file of at most :data:`PACK_CAP` bytes is read: a FIFO or a link to a
    device in the packs folder is skipped and reported, never a hang or a read without end.
    """
    try:
        raw = read_capped(path, PACK_CAP)
    except (NotRegularFileError, FileTooLargeError) as exc:
        problem = f"was not read: {exc.strerror}; replace it with a pack file or remove it"
        raise PromptPackError(str(PackProblem(path, None, problem))) from None
    except OSError as exc:
        raise PromptPackError(str(PackProblem(path, None, f"cannot be read ({exc})"))) from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise PromptPackError(str(PackProblem(path, None, "is not UTF-8 text"))) from None
    except RecursionError:  # tomllib recurses once per level of nesting
        raise PromptPackError(str(PackProblem(path, None, "is nested too deeply"))) from None
    except tomllib.TOMLDecodeError as exc:
        raise PromptPackError(str(PackProblem(path, None, f"is not valid TOML: {exc}"))) from None
    return parse_pack(data, path, builtin)


@dataclass
class PromptLibrary:
    """Every loaded pack, which are enabled, and the problems met while loading."""

    packs: dict[str, Pack] = field(default_factory=dict)
    problems: list[PackProblem] = field(default_factory=list)
    disabled: frozenset[str] = frozenset()
    #: Retired prompt id -> the id of the prompt it was merged into (ids are stable forever).
    aliases: dict[str, str] = field(default_factory=dict)
    #: ``(setting, names)``: pack ids the settings name that no loaded pack has (a typo, a
    #: pack removed), so the user hears which ones instead of prompts silently missing.
    unknown_packs: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)

    @classmethod
    def load(
        cls,
        builtin_dir: Path | None = None,
        user_dir: Path | None = None,
        *,
        disabled: Iterable[str] = (),
        enabled_only: Iterable[str] = (),
    ) -> PromptLibrary:
        """Load built-in then user packs; broken or clashing packs are skipped and reported."""
        lib = cls()
        sources: list[tuple[Path, bool]] = []
        builtin_dir = builtin_dir if builtin_dir is not None else builtin_packs_dir()
        for folder, builtin in ((builtin_dir, True), (user_dir, False)):
            if folder is not None and folder.is_dir():
                sources.extend((p, builtin) for p in sorted(folder.glob("*.toml")))
        prompt_owner: dict[str, Path] = {}
        for path, builtin in sources:
            try:
                pack = load_pack_file(path, builtin)
            except PromptPackError as exc:
                lib.problems.append(PackProblem(path, None, str(exc).split(": ", 1)[-1]))
                lib.problems[-1] = _problem_from_error(path, exc)
                continue
            if pack.id in lib.packs:
                lib.problems.append(
                    PackProblem(
                        path,
                        None,
                        f"pack id {pack.id!r} is already used by {lib.packs[pack.id].source}",
                    )
                )
                continue
            ids = [p.id for p in pack.prompts] + [r for p in pack.prompts for r in p.replaces]
            clash = next((i for i in ids if i in prompt_owner), None)
            if clash is not None:
                lib.problems.append(
                    PackProblem(path, clash, f"prompt id is already used in {prompt_owner[clash]}")
                )
                continue
            for pid in ids:
                prompt_owner[pid] = path
            for p in pack.prompts:
                lib.aliases.update(dict.fromkeys(p.replaces, p.id))
            lib.packs[pack.id] = pack
        only = set(enabled_only)
        off = set(disabled)
        if only:
            off |= {pid for pid in lib.packs if pid not in only}
        lib.disabled = frozenset(off)
        for setting, names in (("enabled_packs", enabled_only), ("disabled_packs", disabled)):
            unknown = tuple(dict.fromkeys(n for n in names if n not in lib.packs))
            if unknown:
                lib.unknown_packs.append((setting, unknown))
        return lib

    def setting_problems(self) -> list[str]:
        """One line per pack setting that names packs not loaded: which names, and the packs
        there are (names shown with control characters escaped: they come from a file)."""
        known = ", ".join(visible_line(p) for p in sorted(self.packs)) or "none"
        lines = []
        for setting, names in self.unknown_packs:
            quoted = ", ".join(f"'{visible_line(n)}'" for n in names)
            line = f"prompts.{setting} names no pack called {quoted}"
            if setting == "enabled_packs" and not self.enabled_packs:
                line += ", so no prompt is shown"
            lines.append(f"{line}; the packs are: {known}.")
        return lines

    @property
    def enabled_packs(self) -> list[Pack]:
        """Packs in use, in id order."""
        return [self.packs[k] for k in sorted(self.packs) if k not in self.disabled]

    def prompts(self, theme: str | None = None) -> list[Prompt]:
        """Every prompt of the enabled packs (optionally of one theme), in a stable order."""
        out: list[Prompt] = []
        for pack in self.enabled_packs:
            if theme is None or pack.theme == theme:
                out.extend(pack.prompts)
        return out

    @property
    def themes(self) -> list[str]:
        """The themes of the enabled packs."""
        return sorted({p.theme for p in self.enabled_packs})

    def resolve(self, prompt_id: str) -> str:
        """The live id for ``prompt_id``: itself, or the prompt a retired id was merged into."""
        return self.aliases.get(prompt_id, prompt_id)

    def get(self, prompt_id: str) -> Prompt | None:
        """A prompt by id from any loaded pack (enabled or not); a retired id resolves to the
        prompt it was merged into (the entry that recorded it keeps the text it was shown)."""
        prompt_id = self.resolve(prompt_id)
        for pack in self.packs.values():
            for prompt in pack.prompts:
                if prompt.id == prompt_id:
                    return prompt
        return None


def _problem_from_error(path: Path, exc: PromptPackError) -> PackProblem:
    # parse_pack formats "<file>, prompt 'x': problem"; keep the pieces for the UI.
    text = exc.message
    prefix = str(path)
    rest = text[len(prefix) :] if text.startswith(prefix) else text
    prompt_id = None
    m = re.match(r"^, prompt '([^']*)': (.*)$", rest, re.S)
    if m:
        prompt_id, problem = m.group(1), m.group(2)
    else:
        problem = rest[2:] if rest.startswith(": ") else rest
    return PackProblem(path, prompt_id, problem)


def _cycle_order(ids: Sequence[str], cycle: int, kind: str = DAILY) -> list[str]:
    """A shuffle of ``ids`` that is the same on every machine for a given cycle and kind."""
    salt = f"journal-cycle-{cycle}" if kind == DAILY else f"journal-cycle-{kind}-{cycle}"
    seed = int.from_bytes(hashlib.sha256(salt.encode()).digest()[:8], "big")
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    return order


# ---- the moment: what the day calls for ------------------------------------------------------

#: A journal this young never gets a look-back: there is nothing three months old to look at.
LOOKBACK_AGE_DAYS = 90
#: Entries this many days old (up to a week more) are the ones a look-back brings back.
LOOKBACK_AFTER_DAYS = 90
#: The default weekday of the weekly review (Monday is 0): Friday.
DEFAULT_REVIEW_WEEKDAY = 4
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass(frozen=True)
class LookBack:
    """An entry a look-back prompt is about, shown beside the prompt.

    ``why`` is ``"revisit"`` (a check-in whose revisit date has come) or ``"months"`` (an
    entry about three months old). ``since`` is the day it became due.
    """

    uid: str
    day: str
    headline: str
    why: str
    since: date
    kind: str = "reflection"
    #: The check-in's intensity at the time (before, after), for "how much does it still sting".
    intensity: tuple[int | None, int | None] = (None, None)

    def label(self) -> str:
        """One line for the prompt card and the CLI: ``Looking back at: Tue 3 Mar · title``."""
        what = "your check-in" if self.kind == "checkin" else "your entry"
        when = f"{date.fromisoformat(self.day):%a} {date.fromisoformat(self.day).day} "
        when += f"{date.fromisoformat(self.day):%b %Y}"
        return f"Looking back at {what} of {when}: {self.headline}"


@dataclass(frozen=True)
class Moment:
    """What the feed knows of the day: the date and hour, the review weekday, and the few
    facts of the journal that decide which kind of prompt fits (see :func:`read_moment`)."""

    day: date
    hour: int = 9
    #: The weekly-review weekday (Monday is 0); None: no weekly review.
    review_weekday: int | None = DEFAULT_REVIEW_WEEKDAY
    #: The day of the oldest entry (None: an empty journal).
    journal_start: date | None = None
    #: When each of the day's check-ins was saved.
    checkins: tuple[datetime, ...] = ()
    #: Entries a look-back could be about, most fitting first.
    lookbacks: tuple[LookBack, ...] = ()

    @property
    def is_review_day(self) -> bool:
        """Whether today is the weekly-review weekday."""
        return self.day.weekday() == self.review_weekday

    @property
    def old_enough(self) -> bool:
        """Whether the journal is old enough for look-backs."""
        start = self.journal_start
        return start is not None and (self.day - start).days >= LOOKBACK_AGE_DAYS

    def lookback_today(self) -> LookBack | None:
        """The entry today's look-back is about, or None when today is no look-back day.

        Once the journal is old enough, a look-back comes up once a week, three days after the
        review (an entry about three months old, or a due revisit), and on the day a revisit
        falls due; never on the review day itself.
        """
        if not self.old_enough or self.is_review_day:
            return None
        weekly_day = self.day.weekday() == ((self.review_weekday or 0) + 3) % 7
        for look in self.lookbacks:
            if look.since > self.day:
                continue
            if weekly_day or (look.why == "revisit" and look.since == self.day):
                return look
        return None

    def last_checkin(self) -> datetime | None:
        """When the day's latest check-in was saved."""
        return max(self.checkins) if self.checkins else None


class JournalReader(Protocol):
    """The journal as the feed reads it; :class:`journal.store.Store` is one."""

    def entries(
        self, flt: Any = None, *, limit: int | None = None, oldest_first: bool = False
    ) -> list[Entry]:
        """Entries, newest first (or oldest first), at most ``limit``."""
        ...

    def due_documents(self) -> Iterable[tuple[int, dict[str, Any]]]:
        """The documents that can matter to what is due (see :mod:`journal.due`)."""
        ...

    def entry_from_document(self, doc_id: int, doc: dict[str, Any]) -> Entry | None:
        """The validated entry of one of those documents."""
        ...


def _intensity(entry: Entry) -> tuple[int | None, int | None]:
    answers = entry.checkin or {}
    out: list[int | None] = []
    for key in ("intensity_before", "intensity_after"):
        value = answers.get(key)
        out.append(value if isinstance(value, int) and not isinstance(value, bool) else None)
    return out[0], out[1]


def read_moment(
    journal: JournalReader,
    day: date,
    *,
    hour: int,
    review_weekday: int | None = DEFAULT_REVIEW_WEEKDAY,
    between: Callable[[date, date], Iterable[Entry]],
) -> Moment:
    """What the feed needs to know about ``day`` from the journal, read cheaply.

    ``between(since, until)`` returns the entries of those days (the store's day index
    answers it without reading the rest): today's, for its check-ins, and those about three
    months old, for the look-back. Due revisits come from :func:`journal.due.due_items`.
    """
    from journal.due import due_items

    oldest = journal.entries(limit=1, oldest_first=True)
    start = date.fromisoformat(oldest[0].day) if oldest else None
    checkins: list[datetime] = []
    lookbacks: list[LookBack] = []
    for entry in between(day, day):
        if entry.kind == "checkin":
            checkins.append(datetime.fromisoformat(entry.created))
    if start is not None and (day - start).days >= LOOKBACK_AGE_DAYS:
        by_uid: dict[str, Entry] = {}
        for item in due_items(journal, day):
            if item.kind != "revisit":
                continue
            lookbacks.append(
                LookBack(item.uid, item.entry_day, item.text, "revisit", item.due, "checkin")
            )
        lo = day - timedelta(days=LOOKBACK_AFTER_DAYS + 6)
        hi = day - timedelta(days=LOOKBACK_AFTER_DAYS)
        old = [e for e in between(lo, hi) if e.kind in ("reflection", "checkin")]
        # Closest to exactly three months first, then the earliest written that day.
        old.sort(key=lambda e: (-(date.fromisoformat(e.day).toordinal()), e.created))
        for entry in old:
            by_uid[entry.uid] = entry
            since = date.fromisoformat(entry.day) + timedelta(days=LOOKBACK_AFTER_DAYS)
            lookbacks.append(
                LookBack(entry.uid, entry.day, entry.headline, "months", since, entry.kind)
            )
        # The original intensity of a check-in look-back (due_items holds only the headline).
        wanted = {lb.uid for lb in lookbacks if lb.kind == "checkin" and lb.uid not in by_uid}
        if wanted:
            for doc_id, doc in journal.due_documents():
                if doc.get("uid") in wanted:
                    found = journal.entry_from_document(doc_id, doc)
                    if found is not None:
                        by_uid[found.uid] = found
        lookbacks = [
            replace(lb, intensity=_intensity(by_uid[lb.uid])) if lb.uid in by_uid else lb
            for lb in lookbacks
        ]
    return Moment(
        day=day,
        hour=hour,
        review_weekday=review_weekday,
        journal_start=start,
        checkins=tuple(checkins),
        lookbacks=tuple(lookbacks),
    )


# ---- the feed ----------------------------------------------------------------------------------


def in_kind(prompt: Prompt, kind: str) -> bool:
    """Whether ``prompt`` belongs to the feed of ``kind``.

    A look-back prompt asks about an entry, so it is offered only beside one: it never joins
    the daily or weekly feeds, whatever else its ``when`` says.
    """
    if kind == LOOKBACK:
        return LOOKBACK in prompt.when
    if LOOKBACK in prompt.when:
        return False
    return kind in prompt.when


@dataclass(frozen=True)
class DayPrompt:
    """The prompt chosen for a moment, why, and whether it came from the log (already shown)."""

    prompt: Prompt
    day: date
    logged: bool
    #: Which feed it came from: daily, weekly-review, after-a-tough-call or revisit.
    kind: str = DAILY
    #: For a look-back: the entry it is about (shown beside it).
    lookback: LookBack | None = None

    @property
    def reason(self) -> str:
        """Why this prompt, in a few words (``journal prompt`` and the prompt card)."""
        if self.kind == WEEKLY:
            return f"weekly review ({self.day:%A})"
        if self.kind == AFTER_CALL:
            return "after a check-in today"
        if self.kind == LOOKBACK and self.lookback is not None:
            return f"look-back of entry {self.lookback.uid}"
        return "daily"

    def to_dict(self) -> dict[str, Any]:
        """The reason as plain JSON (``journal prompt --json``)."""
        look = self.lookback
        return {
            "kind": self.kind,
            "text": self.reason,
            "entry": None
            if look is None
            else {
                "uid": look.uid,
                "day": look.day,
                "kind": look.kind,
                "headline": look.headline,
                "why": look.why,
                "intensity_before": look.intensity[0],
                "intensity_after": look.intensity[1],
            },
        }


class PromptFeed:
    """Chooses prompts for a moment: the prompt of the day and 'another one'.

    Each kind (daily, weekly review, after a check-in, look-back) has its own pool and its own
    cycle: no prompt of a kind repeats until that kind's pool is used up. What the moment calls
    for comes first: after a check-in, a prompt for after a tough call; on the review weekday, a
    weekly-review prompt; on a look-back day, a look-back beside its entry; else a daily one.
    """

    #: Every STAR_EVERY-th day a starred prompt not seen for STAR_REST days comes back.
    STAR_EVERY = 4
    STAR_REST = 14

    def __init__(
        self,
        library: PromptLibrary,
        log: Sequence[Mapping[str, Any]] = (),
        starred: Iterable[str] = (),
    ) -> None:
        self.library = library
        self.log = [dict(r, prompt=library.resolve(str(r.get("prompt")))) for r in log]
        self.starred = frozenset(library.resolve(s) for s in starred)

    def pool(self, kind: str, theme: str | None = None) -> list[Prompt]:
        """The enabled prompts of one kind (and theme), in a stable order."""
        return [p for p in self.library.prompts(theme) if in_kind(p, kind)]

    def _slot(self, moment: Moment) -> tuple[str, LookBack | None]:
        if moment.checkins:
            return AFTER_CALL, None
        if moment.is_review_day:
            return WEEKLY, None
        look = moment.lookback_today()
        if look is not None:
            return LOOKBACK, look
        return DAILY, None

    def _shown_in_cycle(self, pool: Sequence[str], before: date) -> set[str]:
        """Ids shown before ``before`` since the pool was last fully used up."""
        # Walk forward and start afresh each time the pool fills up. (Walking backward and
        # stopping when the pool is full finds *a* full set, not the last cycle boundary, so
        # it forgot the current cycle and repeated prompts after the first round.)
        pool_set = set(pool)
        cutoff = before.isoformat()
        seen: set[str] = set()
        for record in self.log:
            if str(record.get("day", "")) >= cutoff:
                continue
            pid = record.get("prompt")
            if pid in pool_set:
                seen.add(pid)
                if len(seen) == len(pool_set):
                    seen = set()
        return seen

    def logged_for(self, day: date, since: datetime | None = None) -> list[str]:
        """Prompt ids shown on ``day`` (at or after ``since`` when given), in order."""
        iso = day.isoformat()
        out: list[str] = []
        for record in self.log:
            if record.get("day") == iso and record.get("status") == "shown":
                if since is not None and not _at_or_after(record.get("at"), since):
                    continue
                pid = str(record.get("prompt"))
                if pid not in out:
                    out.append(pid)
        return out

    def for_day(
        self, day: date, theme: str | None = None, moment: Moment | None = None
    ) -> DayPrompt | None:
        """The prompt for ``moment`` (by default an ordinary hour of ``day``).

        The first prompt of the right kind shown that day stays the day's prompt; after a
        check-in, the first one shown since the latest check-in.
        """
        moment = moment or Moment(day)
        kind, look = self._slot(moment)
        pool = self.pool(kind, theme)
        if not pool and kind != DAILY:
            kind, look, pool = DAILY, None, self.pool(DAILY, theme)
        if not pool:
            return None
        by_id = {p.id: p for p in pool}
        since = moment.last_checkin() if kind == AFTER_CALL else None
        for pid in self.logged_for(day, since):
            if pid in by_id:
                return DayPrompt(by_id[pid], day, True, kind, look)
        # A new pick never repeats a prompt already shown today (a second check-in, say).
        today = set(self.logged_for(day))
        if len(today & set(by_id)) >= len(by_id):
            today = set()
        return DayPrompt(self._pick(day, pool, today, kind, moment.hour), day, False, kind, look)

    def another(
        self,
        day: date,
        current: str | None,
        theme: str | None = None,
        moment: Moment | None = None,
    ) -> Prompt | None:
        """A different prompt of the same kind for the same moment: the next unseen one."""
        moment = moment or Moment(day)
        kind, _ = self._slot(moment)
        pool = self.pool(kind, theme)
        if not pool:
            kind, pool = DAILY, self.pool(DAILY, theme)
        if not pool:
            return None
        current = self.library.resolve(current) if current else None
        exclude = set(self.logged_for(day))
        if current:
            exclude.add(current)
        if len(exclude & {p.id for p in pool}) >= len(pool):
            exclude = {current} if current else set()
        return self._pick(day, pool, exclude, kind, moment.hour)

    def _last_shown(self) -> dict[str, str]:
        last: dict[str, str] = {}
        for record in self.log:
            pid = record.get("prompt")
            day = record.get("day")
            if isinstance(pid, str) and isinstance(day, str):
                last[pid] = max(day, last.get(pid, ""))
        return last

    def _starred_due(self, day: date, pool: Sequence[Prompt], exclude: set[str]) -> Prompt | None:
        """On some days a starred prompt that has rested long enough comes back."""
        if not self.starred or (day - EPOCH).days % self.STAR_EVERY:
            return None
        last = self._last_shown()
        rested = day.toordinal() - self.STAR_REST
        candidates = [
            p
            for p in pool
            if p.id in self.starred
            and p.id not in exclude
            and (p.id not in last or date.fromisoformat(last[p.id]).toordinal() <= rested)
        ]
        if not candidates:
            return None
        # The one that has waited longest, ties broken by id, so the choice is stable.
        return min(candidates, key=lambda p: (last.get(p.id, ""), p.id))

    def _pick(
        self,
        day: date,
        pool: Sequence[Prompt],
        exclude: set[str],
        kind: str = DAILY,
        hour: int = 9,
    ) -> Prompt:
        starred = self._starred_due(day, pool, exclude)
        if starred is not None:
            return starred
        ids = [p.id for p in pool]
        by_id = {p.id: p for p in pool}
        n = len(ids)
        # The weekly feed moves one step a week, the others one a day.
        index = (day - EPOCH).days // (7 if kind == WEEKLY else 1)
        cycle, pos = divmod(index, n)
        order = _cycle_order(ids, cycle, kind)
        seen = self._shown_in_cycle(ids, day) | exclude
        if len(seen & set(ids)) >= n:
            seen = set(exclude)
        unseen = [
            order[(pos + step) % n] for step in range(n) if order[(pos + step) % n] not in seen
        ]
        # The walk's next unseen prompt, unless it is for another time of day: then the one
        # that suits the hour from the far end of the cycle, so tomorrow's step (the next
        # position) does not land on today's choice even without a log.
        if unseen and not by_id[unseen[0]].fits_hour(hour):
            late = [order[k] for k in range(n - 1, pos, -1)] + unseen
            for pid in late:
                if pid not in seen and by_id[pid].fits_hour(hour):
                    return by_id[pid]
        if unseen:
            return by_id[unseen[0]]
        return by_id[order[pos]]


def _at_or_after(value: Any, moment: datetime) -> bool:
    if not isinstance(value, str):
        return False
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return False
    if at.tzinfo is None:
        at = at.astimezone()
    return at >= moment


def parse_weekday(value: str) -> int:
    """``"friday"`` (or ``"fri"``) -> 4; raises ValueError naming the choices."""
    text = value.strip().casefold()
    for number, name in enumerate(WEEKDAYS):
        if text in (name, name[:3]):
            return number
    raise ValueError(f"{value!r} is not a weekday (monday … sunday)")


# ---- the weekly review ---------------------------------------------------------------------------

#: The tag a weekly review entry carries (export, filters and History treat it like any tag).
REVIEW_TAG = "weekly-review"


def review_week(day: date) -> tuple[date, date]:
    """The seven days a review on ``day`` looks back over: the six before it and the day."""
    return day - timedelta(days=6), day


def review_title(day: date) -> str:
    """``Weekly review · 16–22 Nov 2026`` (months and years shown only where they differ)."""
    first, last = review_week(day)
    if first.year != last.year:
        span = f"{first.day} {first:%b %Y} – {last.day} {last:%b %Y}"
    elif first.month != last.month:
        span = f"{first.day} {first:%b} – {last.day} {last:%b %Y}"
    else:
        span = f"{first.day}–{last.day} {last:%b %Y}"
    return f"Weekly review · {span}"


def review_questions(prompt: Prompt) -> list[str]:
    """The review's one or two questions: the weekly prompt and its first follow-up."""
    return [prompt.text, *prompt.followups[:1]]


def review_body(questions: Sequence[str], answers: Sequence[str]) -> str:
    """The review entry's Markdown: each answered question as a heading over its answer."""
    parts = [
        f"## {question}\n\n{answer.strip()}\n"
        for question, answer in zip(questions, answers, strict=True)
        if answer.strip()
    ]
    return "\n".join(parts)


def weekly_prompt(feed: PromptFeed, day: date, moment: Moment | None = None) -> Prompt | None:
    """The weekly-review prompt for ``day``: the day's own when it is the review day, else
    the first weekly prompt shown that day, else the next in the weekly cycle."""
    moment = moment or Moment(day)
    if moment.is_review_day and not moment.checkins:
        chosen = feed.for_day(day, moment=moment)
        if chosen is not None and chosen.kind == WEEKLY:
            return chosen.prompt
    pool = feed.pool(WEEKLY)
    if not pool:
        return None
    by_id = {p.id: p for p in pool}
    for pid in feed.logged_for(day):
        if pid in by_id:
            return by_id[pid]
    return feed._pick(day, pool, set(), WEEKLY, moment.hour)
