"""Prompt packs (shipped and user-made) and the daily prompt feed."""

from __future__ import annotations

import itertools
import re
import textwrap
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from journal.prompts import (
    DAILY,
    WHEN_VALUES,
    Moment,
    PromptFeed,
    PromptLibrary,
    builtin_packs_dir,
    load_pack_file,
)

DAY = date(2026, 11, 22)


def shown(day: date, prompt) -> dict:
    return {"day": day.isoformat(), "prompt": prompt.id, "pack": prompt.pack, "status": "shown"}


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def pack_toml(pack_id: str, prompts: list[tuple[str, str]], extra: str = "") -> str:
    out = f'id = "{pack_id}"\ntitle = "T {pack_id}"\ntheme = "{pack_id}"\ndescription = "d"\n'
    for pid, text in prompts:
        out += f'\n[[prompts]]\nid = "{pid}"\ntext = "{text}"\n{extra}'
    return out


# ---- the shipped packs ---------------------------------------------------------------------


def test_shipped_library_loads_cleanly(library: PromptLibrary) -> None:
    assert library.problems == []
    assert len(library.packs) >= 6
    assert len(library.prompts()) >= 120
    assert all(pack.builtin for pack in library.packs.values())
    # Every file in the folder became a pack.
    assert len(library.packs) == len(list(builtin_packs_dir().glob("*.toml")))


def test_every_pack_has_metadata_and_prompts(library: PromptLibrary) -> None:
    for pack in library.packs.values():
        assert pack.title and pack.theme and pack.description, pack.id
        assert len(pack.prompts) >= 5, pack.id
        assert all(p.pack == pack.id and p.theme == pack.theme for p in pack.prompts)


def _starts_with_why(text: str) -> bool:
    return text.lstrip(" \t\"'“‘(*_-").casefold().startswith("why")


def test_no_prompt_or_followup_asks_why(library: PromptLibrary) -> None:
    offenders = []
    for prompt in library.prompts():
        for text in (prompt.text, *prompt.followups):
            if _starts_with_why(text):
                offenders.append((prompt.id, text))
    assert offenders == []


def test_why_check_can_fail() -> None:
    assert _starts_with_why("Why did you do that?")
    assert _starts_with_why('  "why not?"')
    assert not _starts_with_why("What happened?")


def test_every_when_is_valid(library: PromptLibrary) -> None:
    for prompt in library.prompts():
        assert prompt.when, prompt.id
        assert set(prompt.when) <= set(WHEN_VALUES), prompt.id
    # The daily feed has something to choose from.
    assert any("daily" in p.when for p in library.prompts())


def test_prompt_ids_are_unique(library: PromptLibrary) -> None:
    counts = Counter(p.id for p in library.prompts())
    assert [pid for pid, n in counts.items() if n > 1] == []
    assert all(library.get(p.id) == p for p in library.prompts())


def test_prompts_are_sensible_text(library: PromptLibrary) -> None:
    for prompt in library.prompts():
        assert 15 <= len(prompt.text) <= 400, prompt.id
        assert len(prompt.followups) <= 3, prompt.id
        texts = [prompt.text, *prompt.followups]
        assert all(t == t.strip() and t for t in texts), prompt.id


# ---- broken user packs ---------------------------------------------------------------------


@pytest.fixture
def user_dir(tmp_path: Path) -> Path:
    return tmp_path / "user-prompts"


BROKEN = {
    "invalid-toml.toml": ('id = "bad"\n[[prompts]\nid = "x"\n', None, "not valid TOML"),
    "unknown-top-key.toml": (
        'colour = "red"\n' + pack_toml("unknown-top", [("unknown-top-001", "Text here")]),
        None,
        "unknown key",
    ),
    "unknown-prompt-key.toml": (
        pack_toml("unknown-key", [("unknown-key-001", "Text here")], extra='mood = "calm"\n'),
        "unknown-key-001",
        "mood",
    ),
    "duplicate-id.toml": (
        pack_toml("dupe", [("dupe-001", "Fine one"), ("follow-up-001", "Clashes with built-in")]),
        "follow-up-001",
        "already used",
    ),
    "empty-text.toml": (
        pack_toml("empty", [("empty-001", "   ")]),
        "empty-001",
        "empty",
    ),
    "followups-type.toml": (
        pack_toml("fu-type", [("fu-type-001", "Text here")], extra='followups = "one"\n'),
        "fu-type-001",
        "followups must be a list",
    ),
    "too-many-followups.toml": (
        pack_toml(
            "fu-many",
            [("fu-many-001", "Text here")],
            extra='followups = ["a?", "b?", "c?", "d?"]\n',
        ),
        "fu-many-001",
        "more than 3",
    ),
    "bad-when.toml": (
        pack_toml("bad-when", [("bad-when-001", "Text here")], extra='when = ["hourly"]\n'),
        "bad-when-001",
        "hourly",
    ),
    "pack-id-taken.toml": (pack_toml("follow-up", [("mine-001", "Text here")]), None, "already"),
}


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_broken_user_pack_is_skipped_and_named(
    name: str, user_dir: Path, library: PromptLibrary
) -> None:
    text, prompt_id, problem_text = BROKEN[name]
    bad = write(user_dir, name, text)
    good = write(user_dir, "zz-good.toml", pack_toml("good-user", [("good-user-001", "Fine")]))

    lib = PromptLibrary.load(user_dir=user_dir)

    assert len(lib.problems) == 1, lib.problems
    problem = lib.problems[0]
    assert problem.source == bad
    assert problem.prompt_id == prompt_id
    assert problem_text in problem.problem
    message = str(problem)
    assert str(bad) in message
    if prompt_id:
        assert prompt_id in message
    # Every built-in pack still loads, and so does the good user pack.
    assert set(library.packs) < set(lib.packs)
    assert "good-user" in lib.packs and lib.packs["good-user"].source == good
    assert not lib.packs["good-user"].builtin
    # Nothing of the broken pack leaks into the feed.
    bad_ids = {p.id for p in lib.prompts()} - {p.id for p in library.prompts()}
    assert bad_ids == {"good-user-001"}
    assert lib.get("follow-up-001").pack == "follow-up"


def test_many_broken_packs_at_once(user_dir: Path, library: PromptLibrary) -> None:
    for name, (text, _, _) in BROKEN.items():
        write(user_dir, name, text)
    lib = PromptLibrary.load(user_dir=user_dir)
    assert sorted(p.source.name for p in lib.problems) == sorted(BROKEN)
    assert set(lib.packs) == set(library.packs)


def test_non_utf8_pack(user_dir: Path) -> None:
    user_dir.mkdir()
    (user_dir / "latin1.toml").write_bytes(b'id = "caf\xe9"\n')
    lib = PromptLibrary.load(user_dir=user_dir)
    assert [p.source.name for p in lib.problems] == ["latin1.toml"]
    assert "UTF-8" in lib.problems[0].problem


def test_load_pack_file_reports_the_prompt(tmp_path: Path) -> None:
    from journal.errors import PromptPackError

    path = write(tmp_path, "p.toml", pack_toml("p", [("p-001", "ok"), ("p-001", "again")]))
    with pytest.raises(PromptPackError, match=r"p-001.*duplicate"):
        load_pack_file(path)


def test_valid_user_pack_loads_with_defaults(user_dir: Path) -> None:
    write(
        user_dir,
        "mine.toml",
        """\
        id = "mine"
        title = "Mine"
        theme = "personal"

        [[prompts]]
        id = "mine-001"
        text = "  What went well today?  "
        followups = ["What helped?"]
        tags = ["good"]
        when = ["daily", "weekly-review"]

        [[prompts]]
        id = "mine-002"
        text = "What are you looking forward to?"
        """,
    )
    lib = PromptLibrary.load(user_dir=user_dir)
    assert lib.problems == []
    first, second = lib.packs["mine"].prompts
    assert first.text == "What went well today?"
    assert first.followups == ("What helped?",)
    assert first.when == ("daily", "weekly-review")
    assert second.when == ("daily",) and second.followups == ()
    assert "personal" in lib.themes
    assert [p.id for p in lib.prompts("personal")] == ["mine-001", "mine-002"]


# ---- enabling and disabling ----------------------------------------------------------------


def test_disabled_packs(library: PromptLibrary) -> None:
    off = sorted(library.packs)[:2]
    lib = PromptLibrary.load(user_dir=None, disabled=off)
    enabled = {p.id for p in lib.enabled_packs}
    assert enabled == set(library.packs) - set(off)
    assert not any(p.pack in off for p in lib.prompts())
    # Disabled prompts can still be looked up (old entries refer to them).
    some = library.packs[off[0]].prompts[0]
    assert lib.get(some.id) == some


def test_enabled_only(library: PromptLibrary) -> None:
    only = sorted(library.packs)[-1]
    lib = PromptLibrary.load(user_dir=None, enabled_only=[only])
    assert [p.id for p in lib.enabled_packs] == [only]
    assert {p.pack for p in lib.prompts()} == {only}
    assert lib.themes == [library.packs[only].theme]


def test_enabled_only_and_disabled_together(library: PromptLibrary) -> None:
    a, b = sorted(library.packs)[:2]
    lib = PromptLibrary.load(user_dir=None, enabled_only=[a, b], disabled=[b])
    assert [p.id for p in lib.enabled_packs] == [a]


def test_feed_with_everything_disabled(library: PromptLibrary) -> None:
    lib = PromptLibrary.load(user_dir=None, disabled=list(library.packs))
    feed = PromptFeed(lib)
    assert feed.for_day(DAY) is None
    assert feed.another(DAY, None) is None


# ---- the feed ------------------------------------------------------------------------------


def test_prompt_of_the_day_is_stable(library: PromptLibrary) -> None:
    first = PromptFeed(library).for_day(DAY)
    assert first is not None and not first.logged
    assert PromptFeed(library).for_day(DAY).prompt == first.prompt
    assert PromptFeed(library, []).for_day(DAY).prompt == first.prompt
    # Once logged, the logged prompt is the day's prompt, even from a new feed.
    log = [shown(DAY, first.prompt)]
    again = PromptFeed(library, log).for_day(DAY)
    assert again.prompt == first.prompt and again.logged


def test_logged_prompt_wins_for_the_day(library: PromptLibrary) -> None:
    other = next(p for p in library.prompts() if p != PromptFeed(library).for_day(DAY).prompt)
    feed = PromptFeed(library, [shown(DAY, other)])
    assert feed.for_day(DAY).prompt == other


def test_consecutive_days_differ(library: PromptLibrary) -> None:
    log: list[dict] = []
    day = DAY
    previous = None
    for _ in range(30):
        chosen = PromptFeed(library, log).for_day(day).prompt
        assert chosen != previous
        log.append(shown(day, chosen))
        previous = chosen
        day += timedelta(days=1)


def test_consecutive_days_differ_without_a_log(library: PromptLibrary) -> None:
    feed = PromptFeed(library)
    days = [DAY + timedelta(days=i) for i in range(10)]
    picks = [feed.for_day(d, moment=Moment(d, review_weekday=None)).prompt.id for d in days]
    assert all(a != b for a, b in itertools.pairwise(picks))


def test_another_returns_a_different_prompt(library: PromptLibrary) -> None:
    feed = PromptFeed(library)
    today = feed.for_day(DAY).prompt
    other = feed.another(DAY, today.id)
    assert other is not None and other.id != today.id
    # Asking again after logging both moves on again.
    log = [shown(DAY, today), shown(DAY, other)]
    third = PromptFeed(library, log).another(DAY, other.id)
    assert third.id not in {today.id, other.id}
    # The day's prompt is still the first one shown.
    assert PromptFeed(library, log).for_day(DAY).prompt == today


def test_theme_restricts_the_feed(library: PromptLibrary) -> None:
    theme = library.themes[0]
    feed = PromptFeed(library)
    for i in range(10):
        assert feed.for_day(DAY + timedelta(days=i), theme=theme).prompt.theme == theme
    assert PromptFeed(library).for_day(DAY, theme="no-such-theme") is None


def blocks_distinct(sequence: list[str], n: int) -> list[int]:
    """Indexes of the consecutive n-long windows that repeat a prompt."""
    return [
        start
        for start in range(0, len(sequence), n)
        if len(set(sequence[start : start + n])) != len(sequence[start : start + n])
    ]


def test_blocks_distinct_can_fail() -> None:
    assert blocks_distinct(["a", "b", "c", "b", "a", "c"], 3) == []
    assert blocks_distinct(["a", "b", "c", "a", "a", "c"], 3) == [3]


def test_no_repeat_until_the_pool_is_used_up_over_years(library: PromptLibrary) -> None:
    pool = PromptFeed(library).pool(DAILY)
    n = len(pool)
    log: list[dict] = []
    sequence: list[str] = []
    day = date(2026, 3, 5)
    for _ in range(3 * 365):
        chosen = PromptFeed(library, log).for_day(day, moment=Moment(day, review_weekday=None))
        assert not chosen.logged
        sequence.append(chosen.prompt.id)
        log.append(shown(day, chosen.prompt))
        day += timedelta(days=1)
    assert blocks_distinct(sequence, n) == []
    # Each full window shows the whole pool.
    for start in range(0, len(sequence) - n + 1, n):
        assert set(sequence[start : start + n]) == {p.id for p in pool}


def test_no_repeat_with_a_smaller_pool(library: PromptLibrary) -> None:
    only = sorted(library.packs)[0]
    lib = PromptLibrary.load(user_dir=None, enabled_only=[only])
    n = len(PromptFeed(lib).pool(DAILY))
    log: list[dict] = []
    sequence: list[str] = []
    day = date(2027, 12, 20)
    for _ in range(n * 6 + 7):
        chosen = PromptFeed(lib, log).for_day(day, moment=Moment(day, review_weekday=None)).prompt
        sequence.append(chosen.id)
        log.append(shown(day, chosen))
        day += timedelta(days=1)
    assert blocks_distinct(sequence, n) == []


@pytest.fixture(scope="module")
def small_library(tmp_path_factory: pytest.TempPathFactory) -> PromptLibrary:
    folder = tmp_path_factory.mktemp("small-packs")
    write(folder, "a.toml", pack_toml("a", [(f"a-{i}", f"Prompt a {i}") for i in range(4)]))
    write(folder, "b.toml", pack_toml("b", [(f"b-{i}", f"Prompt b {i}") for i in range(3)]))
    lib = PromptLibrary.load(builtin_dir=folder, user_dir=None)
    assert lib.problems == [] and len(lib.prompts()) == 7
    return lib


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    days=st.lists(
        st.tuples(st.integers(min_value=1, max_value=4), st.integers(min_value=0, max_value=3)),
        min_size=1,
        max_size=40,
    ),
)
def test_property_no_repeat_with_gaps_and_another(
    small_library: PromptLibrary, start: date, days: list[tuple[int, int]]
) -> None:
    """Skipped days and "another one" still use up the whole pool before any repeat."""
    lib = small_library
    n = len(lib.prompts())
    log: list[dict] = []
    sequence: list[str] = []
    day = start
    for gap, extra in days:
        day += timedelta(days=gap)
        feed = PromptFeed(lib, log)
        chosen = feed.for_day(day)
        assert feed.for_day(day) == chosen  # stable within the day
        current = chosen.prompt
        sequence.append(current.id)
        log.append(shown(day, current))
        for _ in range(extra):
            other = PromptFeed(lib, log).another(day, current.id)
            assert other.id != current.id
            sequence.append(other.id)
            log.append(shown(day, other))
            current = other
        # The day's prompt stays the first one shown that day.
        assert PromptFeed(lib, log).for_day(day).prompt == chosen.prompt
    assert blocks_distinct(sequence, n) == [], sequence


# ---- the library, revised ----------------------------------------------------------------------

REPO = Path(__file__).resolve().parents[2]


def all_prompt_text(library: PromptLibrary) -> list[tuple[str, str]]:
    """(where, text) for every pack title, description, prompt and follow-up."""
    out: list[tuple[str, str]] = []
    for pack in library.packs.values():
        out += [(pack.id, pack.title), (pack.id, pack.description)]
        for p in pack.prompts:
            out.append((p.id, p.text))
            out += [(p.id, f) for f in p.followups]
    return out


def seed_runs() -> set[str]:
    lines = (REPO / "tests" / "data" / "seed-5grams.txt").read_text("utf-8").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def copied_runs(text: str, seeds: set[str]) -> list[str]:
    from tests.unit.no_copy import RUN, digest, words

    found = []
    for line in text.splitlines():
        w = words(line)
        found += [
            " ".join(w[i : i + RUN])
            for i in range(len(w) - RUN + 1)
            if digest(w[i : i + RUN]) in seeds
        ]
    return found


def test_no_run_of_five_words_from_the_seeds(library: PromptLibrary) -> None:
    seeds = seed_runs()
    assert len(seeds) > 1000  # both essays, hashed
    copies = [
        (where, run) for where, text in all_prompt_text(library) for run in copied_runs(text, seeds)
    ]
    # Every string the app shows lives in the package: the check-in's steps and look-back
    # questions (once near-lifts of a seed sentence), the demo, the help; and the README.
    for extra in [REPO / "README.md", *sorted((REPO / "journal").rglob("*.py"))]:
        where = str(extra.relative_to(REPO))
        copies += [(where, run) for run in copied_runs(extra.read_text("utf-8"), seeds)]
    assert copies == []


def test_no_copy_check_can_fail() -> None:
    # A sentence of the second seed, in other words' company, is caught; our own is not.
    seeds = seed_runs()
    assert copied_runs("Here: trust stems from reliability, they say.", seeds) == []
    assert copied_runs("So what have you learnt since that incident, friend?", seeds)


#: The spelling convention (README): British English with -ise. Each pair: (wrong, right).
SPELLING = [
    ("learned", "learnt"),
    ("organization", "organisation"),
    ("organize", "organise"),
    ("apologize", "apologise"),
    ("judgment", "judgement"),
    ("analyze", "analyse"),
    ("analyzing", "analysing"),
    ("acknowledgment", "acknowledgement"),
]


def spelling_slips(text: str) -> list[str]:
    found = []
    for wrong, _right in SPELLING:
        found += re.findall(rf"\b{wrong}\w*", text, flags=re.IGNORECASE)
    return found


def test_one_spelling_convention_everywhere(library: PromptLibrary) -> None:
    slips = [(w, s) for w, text in all_prompt_text(library) for s in spelling_slips(text)]
    sources = [REPO / "README.md", *sorted((REPO / "journal").rglob("*.py"))]
    slips += [
        (str(p.relative_to(REPO)), s) for p in sources for s in spelling_slips(p.read_text("utf-8"))
    ]
    assert slips == []
    assert "British English" in (REPO / "README.md").read_text("utf-8")


def test_spelling_check_can_fail() -> None:
    assert spelling_slips("What I learned about the organization; a judgment call") == [
        "learned",
        "organization",
        "judgment",
    ]
    assert spelling_slips("What I learnt about the organisation; a judgement call") == []


def _echo(prompt_text: str, followup: str) -> set[str]:
    """Five-word runs a follow-up repeats from its own prompt (four would catch stems such as
    "what did you do", which a follow-up may well share)."""
    from tests.unit.no_copy import words

    def runs(text: str) -> set[str]:
        w = words(text)
        return {" ".join(w[i : i + 5]) for i in range(len(w) - 4)}

    return runs(prompt_text) & runs(followup)


def test_no_followup_repeats_its_prompt(library: PromptLibrary) -> None:
    """A follow-up goes one step further; one that repeats the prompt (left over from a
    rewrite, its "it" pointing at nothing) is a slip."""
    echoes = [(p.id, f) for p in library.prompts() for f in p.followups if _echo(p.text, f)]
    assert echoes == []


def test_echo_check_can_fail() -> None:
    assert _echo("What did you do in the next few minutes?", "What did you do next?") == set()
    assert _echo("What did you do in the next hour?", "And what did you do in the end?")


def test_openings_and_stems_vary(library: PromptLibrary) -> None:
    prompts = library.prompts()
    assert sum(p.text.startswith("Think of") for p in prompts) <= 8
    stems = Counter(" ".join(f.split()[:2]) for p in prompts for f in p.followups)
    assert stems["What would"] <= 22, stems.most_common(5)


#: Words that assume today went wrong, and the gentle exits that let a good day answer too.
BAD_DAY = re.compile(
    r"\b(went wrong|mistakes?|slip|setback|frustrated|heated|tense|sharply|stung|was hard|"
    r"were hard|hard about|blame|upset|let someone down|didn't work|misses|dreading)\b",
    re.IGNORECASE,
)
EXIT = re.compile(
    r"\b(if (there (was|were|is) (one|any)|any(thing)?|so|today (held|had|brought|taught|was)|"
    r"something|a mistake|someone|a customer|blame)|did anything|was (there|someone)|is there|"
    r"has any|did you|recall|remember|recently|lately|pick|choose|imagine|picture|"
    r"when (you|someone|did|a))\b",
    re.IGNORECASE,
)


def test_daily_prompts_that_assume_a_bad_day_offer_a_way_out(library: PromptLibrary) -> None:
    """A daily prompt about something going wrong *today* lets a good day answer it too."""
    stuck = [
        p.id
        for p in PromptFeed(library).pool(DAILY)
        if "today" in p.text.casefold() and BAD_DAY.search(p.text) and not EXIT.search(p.text)
    ]
    assert stuck == []


def test_bad_day_check_can_fail() -> None:
    assert BAD_DAY.search("What went wrong today?") and not EXIT.search("What went wrong today?")
    assert EXIT.search("If there was one, what went wrong today?")


def test_the_new_themes_are_covered(library: PromptLibrary) -> None:
    tags = Counter(t for p in library.prompts() for t in p.tags)
    for topic in (
        "gratitude",
        "strengths",
        "compromise",
        "patience",
        "home",
        "forgiveness",
        "anxiety",
        "what-and-how",
        "right-person",
        "attitude",
        "irate-customers",
        "feedback",
        "persistence",
        "anticipating",
    ):
        assert tags[topic], topic
    morning = [p for p in library.prompts() if p.time == "morning"]
    evening = [p for p in library.prompts() if p.time == "evening"]
    assert len(morning) >= 4 and len(evening) >= 4
    assert len(library.packs["what-went-well"].prompts) >= 10


# ---- ids are stable forever ----------------------------------------------------------------------

#: Retired by merging (issue 16): each resolves to the prompt it was merged into.
RETIRED = {
    "self-compassion-006": "failure-as-learning-005",
    "own-it-later-009": "own-it-later-020",
    "own-it-later-005": "imperfect-moments-002",
    "their-side-019": "imperfect-moments-008",
    "follow-up-018": "follow-up-001",
    "respond-not-react-018": "respond-not-react-003",
    "their-side-016": "their-side-006",
    "their-side-010": "their-side-004",
    "perfectionism-010": "failure-as-learning-001",
    "failure-as-learning-019": "perfectionism-019",
    "imperfect-moments-016": "imperfect-moments-009",
    "own-it-later-019": "follow-up-013",
    "follow-up-016": "follow-up-007",
    "own-it-later-018": "own-it-later-006",
    "own-it-later-014": "own-it-later-008",
    "own-it-later-013": "own-it-later-003",
    "failure-as-learning-020": "failure-as-learning-002",
    "perfectionism-020": "perfectionism-006",
    "perfectionism-009": "perfectionism-003",
    "imperfect-moments-020": "imperfect-moments-007",
    "imperfect-moments-014": "imperfect-moments-010",
    "respond-not-react-013": "own-it-later-002",
    "failure-as-learning-016": "follow-up-004",
    "their-side-013": "their-side-003",
    "own-it-later-011": "imperfect-moments-004",
    "their-side-015": "their-side-002",
}

#: Every id the library shipped before issue 16: none may ever stop resolving.
ORIGINAL_IDS = [
    f"{pack}-{n:03d}"
    for pack in (
        "failure-as-learning",
        "follow-up",
        "imperfect-moments",
        "own-it-later",
        "perfectionism",
        "respond-not-react",
        "self-compassion",
        "their-side",
    )
    for n in range(1, 21)
]


def test_every_id_ever_shipped_still_resolves(library: PromptLibrary) -> None:
    for pid in ORIGINAL_IDS:
        assert library.get(pid) is not None, pid
    for retired, keeper in RETIRED.items():
        assert library.get(retired).id == keeper
        assert library.resolve(retired) == keeper
        live = {p.id for p in library.prompts()}
        assert retired not in live


def test_a_retired_id_counts_as_its_keeper_in_the_cycle_and_stars(library: PromptLibrary) -> None:
    keeper = library.get("failure-as-learning-005")
    log = [{"day": "2026-11-20", "prompt": "self-compassion-006", "status": "shown"}]
    feed = PromptFeed(library, log, starred=["self-compassion-006"])
    assert keeper.id in feed._shown_in_cycle([p.id for p in feed.pool(DAILY)], DAY)
    assert keeper.id in feed.starred


def test_an_entry_keeps_the_text_it_was_shown(store, library: PromptLibrary) -> None:
    from journal.models import Entry, PromptRef

    shown_text = "Think of the harshest thing you said to yourself today."
    entry = store.add(
        Entry.new(
            "I wrote.", prompt=PromptRef("self-compassion-006", "self-compassion", shown_text)
        )
    )
    again = store.get(entry.uid)
    assert again.prompt.text == shown_text and again.prompt.id == "self-compassion-006"
    assert library.get(again.prompt.id).id == "failure-as-learning-005"


def test_a_retired_id_cannot_be_reused(user_dir: Path, library: PromptLibrary) -> None:
    write(user_dir, "mine.toml", pack_toml("mine", [("own-it-later-009", "Reused id")]))
    lib = PromptLibrary.load(user_dir=user_dir)
    assert "mine" not in lib.packs
    assert any(p.prompt_id == "own-it-later-009" for p in lib.problems)


def test_unknown_pack_names_in_the_settings_are_reported() -> None:
    lib = PromptLibrary.load(user_dir=None, enabled_only=["their-side", "x"], disabled=["y", "y"])
    assert lib.unknown_packs == [("enabled_packs", ("x",)), ("disabled_packs", ("y",))]
    first, second = lib.setting_problems()
    assert first.startswith("prompts.enabled_packs names no pack called 'x'; the packs are: ")
    assert second.startswith("prompts.disabled_packs names no pack called 'y'; ")
    assert all(pack in first for pack in lib.packs)
    assert PromptLibrary.load(user_dir=None, enabled_only=["their-side"]).setting_problems() == []
