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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Any

from journal.errors import PromptPackError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

WHEN_VALUES = ("daily", "after-a-tough-call", "weekly-review", "revisit")
PACK_KEYS = {"id", "title", "theme", "description", "prompts"}
PROMPT_KEYS = {"id", "text", "followups", "tags", "when"}
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
            )
        )
    return Pack(pack_id, title, theme, description, tuple(prompts), source, builtin)


def load_pack_file(path: Path, builtin: bool = True) -> Pack:
    """Read and validate one pack file."""
    try:
        raw = path.read_bytes()
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
            clash = next((p.id for p in pack.prompts if p.id in prompt_owner), None)
            if clash is not None:
                lib.problems.append(
                    PackProblem(path, clash, f"prompt id is already used in {prompt_owner[clash]}")
                )
                continue
            for p in pack.prompts:
                prompt_owner[p.id] = path
            lib.packs[pack.id] = pack
        only = set(enabled_only)
        off = set(disabled)
        if only:
            off |= {pid for pid in lib.packs if pid not in only}
        lib.disabled = frozenset(off)
        return lib

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

    def get(self, prompt_id: str) -> Prompt | None:
        """A prompt by id from any loaded pack (enabled or not)."""
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


def _cycle_order(ids: Sequence[str], cycle: int) -> list[str]:
    """A shuffle of ``ids`` that is the same on every machine for a given cycle."""
    seed = int.from_bytes(hashlib.sha256(f"journal-cycle-{cycle}".encode()).digest()[:8], "big")
    order = sorted(ids)
    random.Random(seed).shuffle(order)
    return order


@dataclass(frozen=True)
class DayPrompt:
    """The prompt chosen for a day, and whether it came from the log (already shown)."""

    prompt: Prompt
    day: date
    logged: bool


class PromptFeed:
    """Chooses prompts: the prompt of the day and 'another one', from the log and the library."""

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
        self.log = list(log)
        self.starred = frozenset(starred)

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

    def logged_for(self, day: date) -> list[str]:
        """Prompt ids shown on ``day``, in order."""
        iso = day.isoformat()
        out: list[str] = []
        for record in self.log:
            if record.get("day") == iso and record.get("status") == "shown":
                pid = str(record.get("prompt"))
                if pid not in out:
                    out.append(pid)
        return out

    def for_day(self, day: date, theme: str | None = None) -> DayPrompt | None:
        """The prompt of ``day``: the first one shown that day, else the next in the feed."""
        pool = self.library.prompts(theme)
        if not pool:
            return None
        by_id = {p.id: p for p in pool}
        for pid in self.logged_for(day):
            if pid in by_id:
                return DayPrompt(by_id[pid], day, True)
        return DayPrompt(self._pick(day, pool, exclude=set()), day, False)

    def another(self, day: date, current: str | None, theme: str | None = None) -> Prompt | None:
        """A different prompt for the same day: the next unseen one after ``current``."""
        pool = self.library.prompts(theme)
        if not pool:
            return None
        exclude = set(self.logged_for(day))
        if current:
            exclude.add(current)
        if len(exclude & {p.id for p in pool}) >= len(pool):
            exclude = {current} if current else set()
        return self._pick(day, pool, exclude=exclude)

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

    def _pick(self, day: date, pool: Sequence[Prompt], exclude: set[str]) -> Prompt:
        starred = self._starred_due(day, pool, exclude)
        if starred is not None:
            return starred
        ids = [p.id for p in pool]
        by_id = {p.id: p for p in pool}
        n = len(ids)
        index = (day - EPOCH).days
        cycle, pos = divmod(index, n)
        order = _cycle_order(ids, cycle)
        seen = self._shown_in_cycle(ids, day) | exclude
        if len(seen & set(ids)) >= n:
            seen = set(exclude)
        for step in range(n):
            pid = order[(pos + step) % n]
            if pid not in seen:
                return by_id[pid]
        return by_id[order[pos]]
