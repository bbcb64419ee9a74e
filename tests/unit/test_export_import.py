"""Markdown out and back in, without losing a character.

The guarantee (hypothesis): random journals with hostile bodies survive ``export --per-entry``
-> ``import`` into an empty journal with every field of every entry identical, and their
one-file export has exactly one entry heading per entry (and imports back exactly too).
Then the edges: jrnl JSON, idempotence, dry runs, broken files, file names, overwriting,
a big streaming export, and the real command line.
"""

from __future__ import annotations

import inspect
import itertools
import json
import os
import stat
import tempfile
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

import journal.transfer.export as export_mod
from journal.cli import main
from journal.models import KINDS, Entry, FollowUp, PromptRef, normalise_tags
from journal.store import Store, make_filter
from journal.transfer.export import (
    ExportError,
    FileNamer,
    entry_file_text,
    export_file,
    export_per_entry,
    iter_markdown,
    safe_name,
    slugify,
    to_markdown,
)
from journal.transfer.importers import ImportFailed, parse_entry_file, read_source, run_import
from journal.transfer.render import prompt_quote

MD = MarkdownIt("commonmark").use(front_matter_plugin)
TZ = timezone(timedelta(hours=1))


# Thousands of tiny files: in memory where the system offers it, else the usual temp folder.
FAST_TMP = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


@pytest.fixture(autouse=True)
def no_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    """Durability is the storage tests' business; here thousands of tiny files must be quick."""
    monkeypatch.setattr(os, "fsync", lambda fd: None)


# ---- strategies ----------------------------------------------------------------------------

HOSTILE_LINES = [
    "# h1",
    "## h2",
    "### h3",
    "#### h4",
    "##### h5",
    "###### h6",
    "####### seven",
    "# closed #",
    "#",
    "---",
    "===",
    "-",
    "=",
    "***",
    "- - -",
    "Paragraph",
    "```",
    "````",
    "```python",
    "~~~",
    "    ```",
    "\t```",
    "<!--",
    "-->",
    "<!-- a closed comment -->",
    '<!-- journal:entry {"uid": "fake"} -->',
    "<!-- journal:format 1 -->",
    "<pre>",
    "</pre>",
    "<script>",
    "<style",
    "<?php",
    "<![CDATA[",
    "<!DOCTYPE html>",
    "<div>",
    "# 2026",
    "## November 2026",
    "### Sunday 22 November 2026, 09:14: Looks like an entry",
    "### Sunday 22 November 2026, 09:14",
    "title: not front matter",
    "uid: 0123",
    "> # quoted heading",
    "> ```",
    "- # heading in a list",
    "1. # numbered heading",
    "    indented code",
    "\tTabbed",
    "[ref]: /url 'title",
    "\\",
    "trailing spaces  ",
    "",
    "   ",
    "🙂🙃 emoji 👩‍👩‍👧",
    "e\u0301 combining n\u0303",
    "שלום עולם \u202eRTL override",
    "مرحبا",
    "zero\u200bwidth\u200d\ufeff",
    "nul\x00char",
    "line\u2028separator\u2029",
    "next\x85line",
    "form\x0cfeed\x0bvtab",
    "x" * 3000,
]
LINE_BREAKS = st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"])
any_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
body_line = st.one_of(st.sampled_from(HOSTILE_LINES), any_text)


@st.composite
def bodies(draw: st.DrawFn) -> str:
    lines = draw(st.lists(body_line, max_size=8))
    out = ""
    for i, line in enumerate(lines):
        if i:
            out += draw(LINE_BREAKS)
        out += line
    if lines and draw(st.booleans()):
        out += draw(LINE_BREAKS)
    return out


titles = st.one_of(
    st.just(""),
    st.sampled_from([h for h in HOSTILE_LINES if "\n" not in h and "\r" not in h]),
    st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r\n"), max_size=40),
)


def canonical_tags(raw: list[str]) -> tuple[str, ...]:
    """Tags as the store holds them once read back (normalising until nothing changes)."""
    tags = normalise_tags(raw)
    while normalise_tags(tags) != tags:
        tags = normalise_tags(tags)
    return tags


json_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    any_text,
    bodies(),
)
json_values = st.recursive(
    json_scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.one_of(any_text, st.sampled_from(["yes", "null", "2026-01-01"])),
            children,
            max_size=3,
        ),
    ),
    max_leaves=5,
)
checkins = st.one_of(
    st.none(),
    st.dictionaries(
        st.one_of(
            st.sampled_from(
                ["intensity_before", "what_happened", "compassion", "reaction", "yes", "~"]
            ),
            any_text,
        ),
        json_values,
        max_size=4,
    ),
)
offsets = st.sampled_from([0, 60, -300, 330, 345, -570, 840]).map(
    lambda m: timezone(timedelta(minutes=m))
)
moments = st.datetimes(
    min_value=datetime(1970, 1, 2), max_value=datetime(2099, 12, 30), timezones=offsets
).map(lambda d: d.replace(microsecond=0).isoformat())
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)).map(date.isoformat)
uids = st.one_of(
    st.uuids().map(lambda u: u.hex),
    st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=20).filter(
        lambda s: s.strip()
    ),
)


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    prompt = draw(
        st.none() | st.builds(PromptRef, id=any_text, pack=any_text, text=any_text | bodies())
    )
    follow_up = draw(
        st.none()
        | st.builds(
            FollowUp,
            action=any_text | bodies(),
            due=days,
            done=st.none() | moments,
            note=any_text,
        )
    )
    return Entry(
        uid=draw(uids),
        kind=draw(st.sampled_from(KINDS)),
        created=draw(moments),
        updated=draw(moments),
        day=draw(days),
        title=draw(titles),
        body=draw(bodies()),
        tags=canonical_tags(
            draw(st.lists(any_text | st.sampled_from(["#Calls", "@work", "yes"]), max_size=4))
        ),
        prompt=prompt,
        checkin=draw(checkins),
        follow_up=follow_up,
        revisit_on=draw(st.none() | days),
        revisit_of=draw(st.none() | any_text),
        starred=draw(st.booleans()),
    )


journals = st.lists(entries(), max_size=4, unique_by=lambda e: e.uid)


def by_uid(store: Store) -> dict[str, dict]:
    return {e.uid: e.to_dict() for e in store.iter_entries()}


def heading_tags(markdown: str) -> list[str]:
    return [t.tag for t in MD.parse(markdown) if t.type == "heading_open"]


# ---- the guarantee -----------------------------------------------------------------------


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(journal=journals)
def test_random_journals_survive_export_and_import(journal: list[Entry]) -> None:
    """Both exports of the same journal: per-entry restores every field of every entry; the
    one file has one entry heading per entry, an outline that is the exporter's alone, and
    restores exactly too."""
    with tempfile.TemporaryDirectory(dir=FAST_TMP) as tmp:
        root = Path(tmp)
        source = Store.open(root / "a.json")
        if journal:
            source.add_many(journal)
        expected = by_uid(source)

        # One file per entry, then into an empty journal.
        result = export_per_entry(source, root / "out")
        assert result.entries == len(journal)
        files = sorted((root / "out").rglob("*.md"))
        assert len(files) == len(journal)
        for path in files:
            # The body is byte-identical after the front matter's closing line and the prompt
            # quote, and the file ends with a line break.
            raw = path.read_bytes().decode("utf-8")
            stored = expected[parse_entry_file(path.read_bytes(), str(path)).uid]
            quote = f"{prompt_quote(stored['prompt']['text'])}\n\n" if stored["prompt"] else ""
            assert raw.endswith("\n---\n" + quote + stored["body"] + "\n")
        target = Store.open(root / "b.json")
        if journal:
            plan = run_import(target, root / "out")
            assert len(plan.added) == len(journal)
        assert by_uid(target) == expected

        # One file: one h3 per entry, h1 per year, h2 per month, nothing else at h1-h3.
        ordered = list(source.iter_entries(oldest_first=True))
        text = to_markdown(ordered)
        tokens = MD.parse(text)
        tags = [t.tag for t in tokens if t.type == "heading_open"]
        assert tags.count("h3") == len(journal)
        assert tags.count("h1") == len({e.day[:4] for e in journal})
        assert tags.count("h2") == len({e.day[:7] for e in journal})
        structural = [t for t in tokens if t.type == "heading_open" and t.tag <= "h3"]
        assert all(t.level == 0 for t in structural)
        levels = [int(t.tag[1]) for t in tokens if t.type == "heading_open"]
        assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
        if journal:
            path = root / "journal.md"
            path.write_bytes(text.encode("utf-8"))
            back = read_source(path)
            assert back.kind == "markdown" and not back.warnings
            assert [i.entry.to_dict() for i in back.entries] == [e.to_dict() for e in ordered]


@given(journal=journals)
@settings(max_examples=100, deadline=None)
def test_file_names_are_unique_and_safe(journal: list[Entry]) -> None:
    namer = FileNamer()
    names = [namer.path_for(e) for e in journal]
    keys = {unicodedata.normalize("NFC", n).casefold() for n in names}
    assert len(keys) == len(names)
    for name in names:
        _year, file_name = name.split("/")
        assert file_name == safe_name(file_name)
        assert len(file_name.encode("utf-8")) < 200
        assert not set(file_name) & set('<>:"/\\|?*')


# ---- filenames -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("After the outage", "after-the-outage"),
        ('  Hard call: with <Sam> / "Ops" | now?*  ', "hard-call-with-sam-ops-now"),
        ("Café", "café"),
        ("Cafe\u0301", "café"),  # NFD and NFC give the same name
        ("HELLO", "hello"),
        ("zero\u200bwidth\u200d", "zerowidth"),
        ("שלום \u202eעולם", "שלום-עולם"),
        ("🙂🙃", "entry"),
        ("...", "entry"),
        ("", "entry"),
        ("ﬁle", "file"),
    ],
)
def test_slugify(title: str, slug: str) -> None:
    assert slugify(title) == slug


def test_slug_is_length_limited() -> None:
    assert len(slugify("word " * 100)) <= export_mod.SLUG_MAX_CHARS
    assert len(slugify("語" * 200).encode("utf-8")) <= export_mod.SLUG_MAX_BYTES


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("CON", "CON-"),
        ("con.md", "con-.md"),
        ("NUL.txt", "NUL-.txt"),
        ("com1.md", "com1-.md"),
        ("LPT9", "LPT9-"),
        ('a<b>c:d"e/f\\g|h?i*j.md', "a-b-c-d-e-f-g-h-i-j.md"),
        ("trailing dot.", "trailing dot"),
        ("trailing space ", "trailing space"),
        ("..", "entry"),
        ("", "entry"),
        ("tab\tname", "tab-name"),
        ("console.md", "console.md"),
    ],
)
def test_safe_name(name: str, safe: str) -> None:
    assert safe_name(name) == safe


def make(body: str, day: str = "2026-11-22", hour: int = 9, minute: int = 14, **kw) -> Entry:
    y, m, d = (int(p) for p in day.split("-"))
    return Entry.new(body, day=day, moment=datetime(y, m, d, hour, minute, tzinfo=TZ), **kw)


def test_same_minute_same_title_never_collide(store: Store, tmp_path: Path) -> None:
    store.add_many([make(f"body {i}", title=t) for i, t in enumerate(["Hello", "HELLO", "hello!"])])
    store.add(make("no title"))
    store.add(make("", title=""))
    export_per_entry(store, tmp_path / "out")
    names = sorted(p.name for p in (tmp_path / "out" / "2026").iterdir())
    assert names == [
        "2026-11-22-0914-entry.md",
        "2026-11-22-0914-hello-2.md",
        "2026-11-22-0914-hello-3.md",
        "2026-11-22-0914-hello.md",
        "2026-11-22-0914-no-title.md",
    ]


# ---- per-entry files -----------------------------------------------------------------------


def test_front_matter_keeps_strings_yaml_would_mangle() -> None:
    tricky = [
        "yes",
        "no",
        "null",
        "~",
        "2026-01-01",
        "1e3",
        "0o17",
        " lead",
        "trail ",
        "a\tb",
        "a\r\nb",
        "x\x00y",
        "",
        "'quoted'",
        '"dq"',
        "key: value",
        "- item",
        "#comment",
        "line\u2028sep",
        "nel\x85",
        "emoji 🙂",
        "multi\nline\n",
        "\n\nleading",
        "---",
    ]
    entry = make(
        "---\ntitle: fake front matter\n---\nbody\r\n",
        title="yes",
        tags=["null", "2026-01-01"],
        prompt=PromptRef("no", "2026-01-01", "multi\nline prompt"),
        checkin={t: t for t in tricky} | {"nested": {"list": tricky}},
        follow_up=FollowUp("on", "2026-12-01", None, "off"),
        revisit_of="null",
    )
    text = entry_file_text(entry)
    assert text.startswith("---\ntitle: 'yes'\n")
    assert text.endswith(
        "\n---\n> multi line prompt\n\n---\ntitle: fake front matter\n---\nbody\r\n\n"
    )
    back = parse_entry_file(text.encode("utf-8"), "x.md")
    assert back.to_dict() == entry.to_dict()


def test_files_are_private(store: Store, tmp_path: Path) -> None:
    store.add(make("private"))
    out = tmp_path / "out"
    export_per_entry(store, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert stat.S_IMODE((out / "2026").stat().st_mode) == 0o700
    for path in out.rglob("*"):
        if path.is_file():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    one = tmp_path / "new-folder" / "one.md"
    export_file(store, one)
    assert stat.S_IMODE(one.stat().st_mode) == 0o600
    assert stat.S_IMODE(one.parent.stat().st_mode) == 0o700


def test_filters_apply_to_both_exports(store: Store, tmp_path: Path) -> None:
    store.add_many(
        [
            make("keep me", day="2026-11-01", tags=["calls"], starred=True),
            make("not starred", day="2026-11-02", tags=["calls"]),
            make("other tag", day="2026-11-03", starred=True),
            make("too early", day="2026-01-01", tags=["calls"], starred=True),
            make("a note", day="2026-11-04", tags=["calls"], starred=True, kind="note"),
        ]
    )
    flt = make_filter(since="2026-10-01", tags=["calls"], starred=True, kind="reflection")
    result = export_per_entry(store, tmp_path / "d", flt)
    assert result.entries == 1
    [only] = list((tmp_path / "d").rglob("*.md"))
    assert only.read_text("utf-8").endswith("\n---\nkeep me\n")
    export_file(store, tmp_path / "f.md", make_filter(search="tag"))
    text = (tmp_path / "f.md").read_text("utf-8")
    assert heading_tags(text).count("h3") == 1 and "other tag" in text


# ---- overwriting ------------------------------------------------------------------------------


def test_refuses_to_overwrite_without_force(store: Store, tmp_path: Path) -> None:
    store.add(make("entry"))
    existing = tmp_path / "x.md"
    existing.write_text("precious\n")
    with pytest.raises(ExportError, match="exists"):
        export_file(store, existing)
    assert existing.read_text() == "precious\n"
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine\n")
    with pytest.raises(ExportError, match="not empty"):
        export_per_entry(store, folder)
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
    with pytest.raises(ExportError, match="is a folder"):
        export_file(store, folder, force=True)
    with pytest.raises(ExportError, match="is a file"):
        export_per_entry(store, existing, force=True)
    export_file(store, existing, force=True)
    assert heading_tags(existing.read_text()).count("h3") == 1
    export_per_entry(store, folder, force=True)
    assert (folder / "notes.txt").read_text() == "mine\n"  # not ours: left alone


def test_never_exports_over_the_journal_itself(store: Store, db_path: Path) -> None:
    store.add(make("precious"))
    before = db_path.read_bytes()
    with pytest.raises(ExportError, match="journal itself"):
        export_file(store, db_path, force=True)
    assert db_path.read_bytes() == before


def test_forced_re_export_removes_files_it_wrote_before(store: Store, tmp_path: Path) -> None:
    entry = store.add(make("text", title="Old title"))
    out = tmp_path / "out"
    export_per_entry(store, out)
    store.update(entry.edited(title="New title"), expected=entry)
    result = export_per_entry(store, out, force=True)
    assert result.removed == 1
    lines = (out / ".journal-export.json").read_text("utf-8").splitlines()
    assert [json.loads(line)["path"] for line in lines[1:]] == ["2026/2026-11-22-0914-new-title.md"]
    names = [p.name for p in out.rglob("*.md")]
    assert names == ["2026-11-22-0914-new-title.md"]
    # So the folder imports cleanly (no entry twice).
    assert len(read_source(out).entries) == 1


# ---- streaming -----------------------------------------------------------------------------


def test_big_export_streams(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    start = datetime(2012, 1, 1, 8, tzinfo=TZ)
    many = [
        Entry.new(f"# Day {i}\n\nText {i}", moment=start + timedelta(days=i // 2, minutes=i))
        for i in range(5000)
    ]
    store.add_many(many)
    assert inspect.isgeneratorfunction(iter_markdown)

    def no_lists(*args, **kwargs):
        raise AssertionError("the export must stream, not build a list of every entry")

    monkeypatch.setattr(Store, "entries", no_lists)
    seen: list[tuple[int, int]] = []
    result = export_file(store, tmp_path / "big.md", progress=lambda d, t: seen.append((d, t)))
    assert result.entries == 5000
    assert seen[0] == (0, 5000) and seen[-1] == (5000, 5000)
    assert len(seen) < 300  # about every 1 %, not once per entry
    text = (tmp_path / "big.md").read_text("utf-8")
    assert heading_tags(text).count("h3") == 5000
    # Oldest first.
    assert text.index("Text 0\n") < text.index("Text 4999\n")
    seen.clear()
    result = export_per_entry(store, tmp_path / "big", progress=lambda d, t: seen.append((d, t)))
    assert result.entries == 5000 == len(list((tmp_path / "big").rglob("*.md")))
    assert seen[-1] == (5000, 5000)


# ---- import --------------------------------------------------------------------------------

JRNL_EXPORT = {
    "tags": {"@work": 2, "@family": 1},
    "entries": [
        {
            "title": "Started using jrnl.",
            "body": "It is simple.\n\nA second paragraph with @work in it.",
            "date": "2024-03-01",
            "time": "09:30",
            "tags": ["@work"],
            "starred": False,
        },
        {
            "title": "Dinner with the family.",
            "body": "",
            "date": "2024-03-02",
            "time": "19:05",
            "tags": ["@family", "@Work"],
            "starred": True,
        },
        {
            "title": "Same words twice.",
            "body": "x",
            "date": "2024-03-03",
            "time": "07:00",
            "tags": [],
            "starred": False,
        },
        {
            "title": "Same words twice.",
            "body": "x",
            "date": "2024-03-03",
            "time": "07:00",
            "tags": [],
            "starred": False,
        },
    ],
}


def write_jrnl(path: Path, data: dict | None = None) -> Path:
    path.write_text(json.dumps(data or JRNL_EXPORT, indent=2), "utf-8")
    return path


def test_jrnl_import_maps_every_field(store: Store, tmp_path: Path) -> None:
    source = write_jrnl(tmp_path / "jrnl.json")
    plan = run_import(store, source)  # detected as jrnl
    assert plan.format == "jrnl"
    assert len(plan.added) == 4
    entries = store.entries(oldest_first=True)
    first, second = entries[0], entries[1]
    assert first.title == "Started using jrnl."
    assert first.body == "It is simple.\n\nA second paragraph with @work in it."
    assert first.day == "2024-03-01"
    assert datetime.fromisoformat(first.created).strftime("%H:%M") == "09:30"
    assert datetime.fromisoformat(first.created).tzinfo is not None
    assert first.tags == ("work",)
    assert not first.starred
    assert second.tags == ("family", "work") and second.starred
    again = run_import(store, source, "jrnl")
    assert (len(again.added), len(again.updated), len(again.skipped)) == (0, 0, 4)
    assert store.count() == 4


def test_jrnl_folder_of_one_entry_files(store: Store, tmp_path: Path) -> None:
    """``jrnl --export json -o DIR/`` writes one entry per file."""
    folder = tmp_path / "my_entries"
    folder.mkdir()
    for n, item in enumerate(JRNL_EXPORT["entries"][:2]):
        (folder / f"2024_03_0{n + 1}_entry.json").write_text(json.dumps(item), "utf-8")
    plan = run_import(store, folder)  # detected: JSON files and no Markdown
    assert plan.format == "jrnl" and len(plan.added) == 2
    assert {e.title for e in store.entries()} == {"Started using jrnl.", "Dinner with the family."}
    assert not run_import(store, folder, "jrnl").added


def test_jrnl_entries_already_here_match_by_day_title_and_body(
    store: Store, tmp_path: Path
) -> None:
    store.add(Entry.new("x", title="Same words twice.", day="2024-03-03"))
    plan = run_import(store, write_jrnl(tmp_path / "j.json"), "jrnl", dry_run=True)
    assert len(plan.skipped) == 2 and len(plan.added) == 2


def test_jrnl_edited_here_is_never_overwritten(store: Store, tmp_path: Path) -> None:
    source = write_jrnl(tmp_path / "j.json")
    run_import(store, source)
    mine = store.entries(oldest_first=True)[0]
    store.update(mine.edited(body="My own words now."), expected=mine)
    plan = run_import(store, source)
    assert not plan.added and not plan.updated and len(plan.kept) == 1
    assert store.get(mine.uid).body == "My own words now."


def test_jrnl_broken_json_names_line_and_column(
    store: Store, db_path: Path, tmp_path: Path
) -> None:
    store.add(make("existing"))
    before = db_path.read_bytes()
    bad = tmp_path / "bad.json"
    bad.write_text('{\n  "entries": [\n    {"title": "a",}\n  ]\n}\n')
    with pytest.raises(ImportFailed) as caught:
        run_import(store, bad, "jrnl")
    assert str(bad) in caught.value.message and "line 3" in caught.value.message
    assert "column" in caught.value.message
    assert db_path.read_bytes() == before


def test_jrnl_bad_entry_names_it(store: Store, tmp_path: Path) -> None:
    data = json.loads(json.dumps(JRNL_EXPORT))
    data["entries"][1]["date"] = "2024-02-30"
    with pytest.raises(ImportFailed, match=r"entries\[1\].*2024-02-30"):
        run_import(store, write_jrnl(tmp_path / "j.json", data), "jrnl")
    assert store.count() == 0


def test_reimport_adds_nothing_and_updates_say_so(store: Store, tmp_path: Path) -> None:
    entries = [make(f"body {i}", day=f"2026-11-{10 + i}", title=f"t{i}") for i in range(3)]
    store.add_many(entries)
    out = tmp_path / "out"
    export_per_entry(store, out)
    target = Store.open(tmp_path / "copy.json")
    assert len(run_import(target, out).added) == 3
    again = run_import(target, out)
    assert (len(again.added), len(again.updated), len(again.skipped)) == (0, 0, 3)
    # Edit one file outside journal: importing it again updates that one entry.
    path = next(out.rglob("*t1.md"))
    path.write_bytes(path.read_bytes().replace(b"body 1", b"body 1, edited in another editor"))
    plan = run_import(target, out)
    assert [e.uid for e in plan.updated] == [entries[1].uid]
    assert target.get(entries[1].uid).body == "body 1, edited in another editor"
    assert "updated 1" in plan.summary()


def test_journal_copy_changed_later_is_kept(store: Store, tmp_path: Path) -> None:
    entry = store.add(make("first words"))
    out = tmp_path / "out"
    export_per_entry(store, out)
    store.update(entry.edited(body="newer words"), expected=entry)
    plan = run_import(store, out)
    assert not plan.updated and len(plan.kept) == 1
    assert store.get(entry.uid).body == "newer words"
    assert any("Kept 1" in w for w in plan.warnings)


def test_dry_run_changes_nothing(store: Store, db_path: Path, tmp_path: Path) -> None:
    store.add(make("one"))
    out = tmp_path / "out"
    export_per_entry(store, out)
    fresh = tmp_path / "fresh.json"
    plan = run_import(Store.open(fresh), out, dry_run=True)
    assert len(plan.added) == 1
    assert not fresh.exists()  # not even created
    before = db_path.read_bytes()
    store.add(make("two", day="2026-11-23"))
    before = db_path.read_bytes()
    path = next(out.rglob("*.md"))
    path.write_bytes(path.read_bytes() + b" changed")
    plan = run_import(store, out, dry_run=True)
    assert len(plan.updated) == 1
    assert db_path.read_bytes() == before


def test_broken_yaml_names_file_and_line_and_changes_nothing(
    store: Store, db_path: Path, tmp_path: Path
) -> None:
    store.add_many([make(f"entry {i}", day=f"2026-11-{10 + i}") for i in range(3)])
    out = tmp_path / "out"
    export_per_entry(store, out)
    target = Store.open(tmp_path / "target.json")
    target.add(make("already here", day="2020-01-01"))
    before = (tmp_path / "target.json").read_bytes()
    broken = sorted(out.rglob("*.md"))[1]
    lines = broken.read_text("utf-8").split("\n")
    lines[5] = "title: [unclosed"  # line 6 of the file
    broken.write_text("\n".join(lines), "utf-8")
    with pytest.raises(ImportFailed) as caught:
        run_import(target, out)
    message = caught.value.message
    assert str(broken) in message and "line 7" in message, message
    assert "starts on line 6" in message
    assert "not been changed" in caught.value.hint
    assert (tmp_path / "target.json").read_bytes() == before


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda t: t.replace("day: '2026-11-22'", "day: '2026-11-31'"), ["line 11", "day"]),
        (lambda t: t.replace("kind: reflection", "kind: diary"), ["line 5", "kind"]),
        (lambda t: t.replace("starred: false", "starred: false\nmood: good"), ["line 7", "mood"]),
        (lambda t: t.replace("---\n", "", 1), ["line 1", "front matter"]),
        (lambda t: t[: t.index("\n---\n") + 1], ["never closed"]),
    ],
)
def test_invalid_entry_file_names_the_line(tmp_path: Path, change, words) -> None:
    text = entry_file_text(make("body"))
    with pytest.raises(ImportFailed) as caught:
        parse_entry_file(change(text).encode("utf-8"), "e.md")
    for word in words:
        assert word in caught.value.message, caught.value.message


def test_hand_typed_dates_in_front_matter_are_read_as_text() -> None:
    entry = make("body")
    text = entry_file_text(entry).replace("day: '2026-11-22'", "day: 2026-11-23")
    assert parse_entry_file(text.encode("utf-8"), "e.md").day == "2026-11-23"


def test_same_uid_in_two_files_is_refused(store: Store, tmp_path: Path) -> None:
    store.add(make("x"))
    out = tmp_path / "out"
    export_per_entry(store, out)
    [path] = list(out.rglob("*.md"))
    (path.parent / "copy.md").write_bytes(path.read_bytes())
    with pytest.raises(ImportFailed, match="also in"):
        read_source(out)


def test_one_file_import_refuses_plain_and_foreign_files(tmp_path: Path) -> None:
    plain = tmp_path / "plain.md"
    plain.write_text(to_markdown([make("x")], restore=False))
    with pytest.raises(ImportFailed, match="--plain"):
        read_source(plain)
    foreign = tmp_path / "notes.md"
    foreign.write_text("# My notes\n\nNot from journal.\n")
    with pytest.raises(ImportFailed, match="not a Markdown export written by journal"):
        read_source(foreign, "journal")
    # Detected, a Markdown file journal did not write is a note to move in (issue 20).
    (note,) = read_source(foreign).entries
    assert (note.entry.title, note.entry.body) == ("My notes", "Not from journal.\n")


def test_one_file_import_notices_hand_edits(tmp_path: Path) -> None:
    path = tmp_path / "j.md"
    path.write_text(to_markdown([make("original words")]).replace("\noriginal words", "\nnew"))
    source = read_source(path)
    assert source.entries[0].entry.body == "original words"
    assert source.warnings and "edited by hand" in source.warnings[0]


# ---- the command line ---------------------------------------------------------------------


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse's usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_round_trip_per_entry_and_one_file(capsys, store: Store, tmp_path: Path) -> None:
    store.add_many(
        [
            make("# Heading\r\n---\n```\nunclosed", title="Hard", tags=["calls"], starred=True),
            make("same minute", title="Hard"),
            make(
                "another", day="2025-02-03", kind="note", follow_up=FollowUp("Call", "2025-02-10")
            ),
        ]
    )
    code, original, _ = run(capsys, "list", "--json")
    assert code == 0
    d = tmp_path / "d"
    code, out, err = run(capsys, "export", "--per-entry", str(d))
    assert code == 0 and "3 entries" in err
    new = tmp_path / "new.json"
    code, out, err = run(capsys, "--db", str(new), "import", str(d))
    assert code == 0, err
    assert "Added 3" in out
    assert run(capsys, "--db", str(new), "list", "--json")[1] == original
    code, out, err = run(capsys, "--db", str(new), "import", str(d))
    assert "Added 0, updated 0, skipped 3" in out
    one = tmp_path / "one.md"
    assert run(capsys, "export", "-o", str(one))[0] == 0
    other = tmp_path / "other.json"
    code, out, err = run(capsys, "--db", str(other), "import", str(one), "--format", "journal")
    assert code == 0, err
    assert run(capsys, "--db", str(other), "list", "--json")[1] == original


def test_cli_dry_run_lists_and_changes_nothing(capsys, tmp_path: Path) -> None:
    source = write_jrnl(tmp_path / "jrnl.json")
    db = tmp_path / "j.json"
    code, out, err = run(capsys, "--db", str(db), "import", str(source), "--dry-run")
    assert code == 0, err
    assert "Would add 4" in out and "Nothing was changed" in out
    assert out.count("  + 2024-03-") == 4
    assert not db.exists()


def test_cli_errors(capsys, store: Store, tmp_path: Path) -> None:
    store.add(make("x"))
    d = tmp_path / "d"
    d.mkdir()
    (d / "keep.txt").write_text("mine")
    code, _, err = run(capsys, "export", "--per-entry", str(d))
    assert code == 2 and "--force" in err and len(err.strip().splitlines()) == 1
    code, _, err = run(capsys, "export", "-o", str(tmp_path / "x.md"), "--per-entry", str(d))
    assert code == 2 and "not allowed with" in err
    code, _, err = run(capsys, "export", "--per-entry", str(tmp_path / "e"), "--plain")
    assert code == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{ nope")
    code, _, err = run(capsys, "import", str(bad))
    assert code == 1 and str(bad) in err and "line 1" in err and "not been changed" in err
    code, _, err = run(capsys, "import", str(tmp_path / "missing"))
    assert code == 1 and "does not exist" in err


def test_version_does_not_import_textual_or_yaml() -> None:
    import subprocess
    import sys

    code = (
        "import sys, journal.cli as c\n"
        "try:\n    c.main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print('textual' in sys.modules, 'yaml' in sys.modules)\n"
        "import journal.transfer.importers, journal.cli.transfer, journal.transfer.export\n"
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    # --version loads neither Textual nor YAML; the export and import core never load Textual.
    assert done.stdout.split()[-3:] == ["False", "False", "False"]


# ---- portability ---------------------------------------------------------------------------


def test_export_and_import_work_without_the_posix_only_calls(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """As on Windows before Python 3.13: no ``fchmod``, ``sync``, ``O_NOFOLLOW``, ``fork``...
    Both exports and an import of each still work, and the files are still private."""
    journal = [
        make("# Heading\n\nPlain words.", "2026-11-20", tags=["calls"]),
        make("```\nopen fence", "2026-11-21", kind="checkin", checkin={"what_happened": "x"}),
        make("Third, with <b>html</b>.", "2026-12-02", title="Later"),
    ]
    source = Store.open(tmp_path / "a.json")
    source.add_many(journal)
    expected = by_uid(source)
    for name in ("fchmod", "sync", "fork", "sendfile", "pread", "O_NOFOLLOW", "O_NONBLOCK"):
        monkeypatch.delattr(os, name, raising=False)
    assert not hasattr(os, "fchmod") and not hasattr(os, "sync")

    one_file = export_file(source, tmp_path / "out.md")
    per_entry = export_per_entry(source, tmp_path / "out")
    assert one_file.entries == per_entry.entries == 3
    written = [tmp_path / "out.md", *(tmp_path / "out").rglob("*.md")]
    assert len(written) == 4
    if os.name == "posix":
        assert all(p.stat().st_mode & 0o777 == 0o600 for p in written)
    for n, exported in enumerate((tmp_path / "out.md", tmp_path / "out")):
        target = Store.open(tmp_path / f"b{n}.json")
        run_import(target, exported)
        assert by_uid(Store.open(tmp_path / f"b{n}.json")) == expected
