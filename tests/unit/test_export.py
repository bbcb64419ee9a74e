"""Markdown export: heading demotion and a one-file export that keeps its outline."""

from __future__ import annotations

import calendar
import itertools
from datetime import datetime, timedelta, timezone

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

from journal.models import Entry, FollowUp, PromptRef
from journal.transfer.export import to_markdown
from journal.transfer.markdown import close_open_fence, demote_headings, nest_levels
from journal.transfer.render import render_entry

TZ = timezone(timedelta(hours=1))
# The one-file export starts with YAML front matter, as Pandoc, Obsidian and Hugo read it.
MD = MarkdownIt("commonmark").use(front_matter_plugin)


def headings(markdown: str) -> list[tuple[str, str]]:
    """(tag, text) of every heading markdown-it finds."""
    tokens = MD.parse(markdown)
    return [
        (tok.tag, tokens[i + 1].content)
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open"
    ]


def count(markdown: str, tag: str) -> int:
    return sum(1 for t, _ in headings(markdown) if t == tag)


def make(body: str, day: str, hour: int = 9, **kw) -> Entry:
    y, m, d = (int(p) for p in day.split("-"))
    return Entry.new(body, day=day, moment=datetime(y, m, d, hour, tzinfo=TZ), **kw)


# ---- demote_headings -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("# One", "#### One"),
        # A body's first heading always sits just below the entry's: no level is skipped.
        ("## Two", "#### Two"),
        ("### Three", "#### Three"),
        ("#### Four", "#### Four"),
        ("###### Six", "#### Six"),
        ("# Closed #", "#### Closed"),
        ("## Closed ###   ", "#### Closed"),
        ("# C# rocks", "#### C# rocks"),
        ("   # Indented", "   #### Indented"),
        ("Title\n=====", "#### Title"),
        ("Title\n-----", "#### Title"),
        ("Title\n=", "#### Title"),
        ("Title\n-", "#### Title"),
        ("Two line\nsetext\n===", "#### Two line setext"),
        ("> # Quoted", "> #### Quoted"),
        ("- # In a list", "- #### In a list"),
        ("> Quoted setext\n> ---", "> #### Quoted setext"),
        # Nesting is kept, gaps are closed, and past level 6 is bold text.
        ("## a\n\n#### b\n\n## c", "#### a\n\n##### b\n\n#### c"),
        ("# a\n## b\n### c\n#### d", "#### a\n##### b\n###### c\n**d**"),
    ],
)
def test_demote_headings(body: str, expected: str) -> None:
    assert demote_headings(body) == expected


@pytest.mark.parametrize("by", [1, 2, 3])
def test_demote_levels_match_markdown_it(by: int) -> None:
    body = "# a\n\n## b\n\nc\n===\n\nd\n---\n\n###### f"
    before = [int(tag[1]) for tag, _ in headings(body)]
    after = demote_headings(body, by=by)
    nested = nest_levels(before, by + 1)
    assert [int(tag[1]) for tag, _ in headings(after)] == [lvl for lvl in nested if lvl <= 6]
    bold = sum(1 for lvl in nested if lvl > 6)
    assert after.count("**") == 2 * bold


@pytest.mark.parametrize(
    "body",
    [
        "",
        "plain text\nwith lines",
        "#hashtag is not a heading",
        "####### seven hashes is not a heading",
        "    # indented code",
        "```\n# comment in a fence\n---\n```",
        "a - b = c\n- list\n- items",
        "---\n\nafter a thematic break",
        "* * *",
        "<h1>html stays html</h1>",
        "Price: 3 # 4\n\\# escaped",
    ],
)
def test_non_headings_are_untouched(body: str) -> None:
    assert demote_headings(body) == body


def test_body_otherwise_intact() -> None:
    body = (
        "Intro *emphasis* and `code`.\n\n"
        "# Big heading\n\n"
        "- item one\n- item two\n\n"
        "> a quote\n\n"
        "```sh\n# shell comment\necho hi\n```\n\n"
        "Closing line with trailing spaces  \n"
        "next"
    )
    out = demote_headings(body)
    assert out == body.replace("# Big heading", "#### Big heading")
    # Apart from the heading level, markdown-it reads the same structure.
    kinds = [t.type for t in MD.parse(out)]
    assert kinds == [t.type for t in MD.parse(body)]


def test_demoted_body_has_no_h1_to_h3() -> None:
    body = "# a\n## b\n### c\nd\n===\ne\n---\nf\n-\ng\n=="
    out = demote_headings(body)
    assert {tag for tag, _ in headings(out)} <= {"h4", "h5", "h6"}
    assert [text for _, text in headings(out)] == ["a", "b", "c", "d", "e", "f", "g"]


def test_close_open_fence() -> None:
    assert close_open_fence("```py\nprint(1)") == "```py\nprint(1)\n```"
    assert close_open_fence("~~~~\nx\n~~~") == "~~~~\nx\n~~~\n~~~~"
    closed = "```\nx\n```"
    assert close_open_fence(closed) == closed
    assert close_open_fence("no fence") == "no fence"


# ---- one-file export -----------------------------------------------------------------------

HOSTILE = [
    "A paragraph\n---\nThat line above must not make a level-2 heading.",
    "# 2031\n\nA body that looks like a year heading.",
    "## March 2031\n\nA body that looks like a month heading.",
    "### Sunday 1 January 2031, 09:00\n\nLooks like an entry heading.",
    "Setext h1 in disguise\n===",
    "Short underline\n=",
    "Dash underline\n-",
    "####### not a heading\n#hashtag",
    "```\nunclosed fence swallowing the rest\n# not a heading",
    "> # heading in a quote\n>\n> more quote",
    "- # heading in a list\n- second item",
    "Text\n\n<!-- a closed comment -->\n\nmore",
    "",
]


def hostile_entries() -> list[Entry]:
    days = [
        "2029-12-31",
        "2030-01-01",
        "2030-01-15",
        "2030-02-28",
        "2030-03-01",
        "2030-03-01",
        "2030-12-31",
        "2031-01-01",
        "2031-06-30",
        "2031-06-30",
        "2031-07-01",
        "2031-07-02",
        "2031-07-03",
    ]
    assert len(days) == len(HOSTILE)
    return [
        make(body, day, hour=8 + i % 10, title=f"Entry {i}" if i % 2 else "")
        for i, (body, day) in enumerate(zip(HOSTILE, days, strict=True))
    ]


def test_one_file_export_outline_survives_hostile_bodies() -> None:
    entries = hostile_entries()
    text = to_markdown(entries)
    years = {e.day[:4] for e in entries}
    months = {e.day[:7] for e in entries}
    assert count(text, "h3") == len(entries)
    assert count(text, "h1") == len(years) == 3
    assert count(text, "h2") == len(months) == 8
    # The outline is in order: years and months are the exporter's, never a body's.
    found = headings(text)
    assert [words for tag, words in found if tag == "h1"] == ["2029", "2030", "2031"]
    assert [words for tag, words in found if tag == "h2"] == [
        "December 2029",
        "January 2030",
        "February 2030",
        "March 2030",
        "December 2030",
        "January 2031",
        "June 2031",
        "July 2031",
    ]
    entry_headings = [words for tag, words in found if tag == "h3"]
    assert all(words.split()[0] in calendar.day_name for words in entry_headings)


def test_each_entry_renders_to_exactly_one_h3() -> None:
    for entry in hostile_entries():
        section = render_entry(entry)
        assert count(section, "h3") == 1, entry.body
        assert count(section, "h1") == count(section, "h2") == 0, entry.body
        assert section.startswith("### ")


def test_bodies_survive_the_export() -> None:
    plain = "Line one with *emphasis*.\n\n- a list\n- of things\n\n> and a quote"
    entry = make(plain, "2030-05-05")
    assert plain in to_markdown([entry])
    code = "```python\n# comment\nprint('x')\n```"
    assert code in to_markdown([make(code, "2030-05-05")])


def test_entry_heading_and_metadata() -> None:
    entry = make(
        "Body",
        "2026-11-22",
        hour=9,
        title="Hard call",
        kind="checkin",
        tags=["work", "Hard Calls"],
        prompt=PromptRef("p-1", "pack", "What happened?"),
        follow_up=FollowUp("Call back", "2026-11-25"),
        starred=True,
    )
    section = render_entry(entry)
    assert section.splitlines()[0] == "### Sunday 22 November 2026, 09:00: Hard call"
    assert "> What happened?" in section
    # Tags are plain text, as Obsidian reads tags; never code spans.
    assert "Tags: #work #hard-calls" in section and "`" not in section
    assert "Kind: checkin" in section
    assert "Follow-up: Call back (due 2026-11-25, open)" in section
    assert "Starred" in section


def test_export_streams_oldest_first_as_given() -> None:
    a = make("first", "2030-01-01")
    b = make("second", "2030-01-02")
    text = to_markdown([a, b])
    assert text.index("first") < text.index("second")
    assert text.startswith('---\ntitle: "Journal"\n')
    assert count(to_markdown([]), "h1") == 0


def test_yes_no_and_numbers_in_a_check_in_are_never_mixed_up() -> None:
    # 1 and True are equal in Python; a remembered rendering of one must not serve the other.
    from journal.transfer.render import render_checkin

    assert "##### A\n\n1\n" in render_checkin({"a": 1})
    assert "##### A\n\nyes\n" in render_checkin({"a": True})
    assert "##### A\n\n0\n" in render_checkin({"a": 0})
    assert "##### A\n\nno\n" in render_checkin({"a": False})


# ---- a file ready to publish (issue 18, item 10) --------------------------------------------


def skipped_levels(markdown: str) -> list[tuple[int, int, str]]:
    """Every heading that goes more than one level below the heading before it."""
    found = [(int(tag[1]), words) for tag, words in headings(markdown)]
    return [
        (prev, level, words)
        for (prev, _), (level, words) in itertools.pairwise(found)
        if level > prev + 1
    ]


def test_headings_never_skip_a_level_even_with_hostile_bodies() -> None:
    from journal.checkin import CheckinAnswers, build_entry

    extra = [
        "##### deep first\n\n# then shallow\n\n### then a gap",
        "Para\n\n###### six\n\nText\n---\n\n## two",
        "> ### quoted\n\n- ##### listed\n\n# top",
        "# a\n## b\n### c\n#### d\n##### e\n###### f",
        "**bold**\n---\n\n# x",
        "line\r# after a lone CR\r\n### and CRLF",
    ]
    entries = hostile_entries() + [make(b, "2032-01-01", hour=1 + i) for i, b in enumerate(extra)]
    answers = CheckinAnswers.from_dict(
        {
            "intensity_before": 7,
            "what_happened": "The call went badly.\n\n# A heading inside an answer",
            "reaction": "reacted",
            "compassion": {"hard_moment_ack": "Hard.", "what_i_need": "Rest."},
            "learnt": "Listen first.",
            "intensity_after": 4,
        }
    )
    checkin = build_entry(answers, "2032-02-02", datetime(2032, 2, 2, 9, tzinfo=TZ))
    text = to_markdown([*entries, checkin])
    assert skipped_levels(text) == []
    assert skipped_levels(to_markdown([*entries, checkin], restore=False)) == []


def test_a_check_in_is_rendered_once() -> None:
    from journal.checkin import CheckinAnswers, build_entry

    answers = CheckinAnswers.from_dict(
        {"intensity_before": 8, "what_happened": "A double charge.", "intensity_after": 3}
    )
    entry = build_entry(answers, "2026-11-22", datetime(2026, 11, 22, 9, tzinfo=TZ))
    for restore in (True, False):
        text = to_markdown([entry], restore=restore)
        readable = text.split("[journal-restore]")[0]
        assert readable.count("What happened") == 1  # the write-up, not a field dump too
        assert readable.count("A double charge") == 2  # in the title and the write-up
        assert "Version" not in readable and "Check-in\n" not in readable
    # An imported check-in with answers but no written body still shows its answers, once.
    bare = make("", "2026-11-23", kind="checkin", checkin={"what_happened": "Only data."})
    section = render_entry(bare)
    assert section.count("Only data.") == 1 and "#### Check-in" in section


def test_the_file_says_when_it_was_exported() -> None:
    moment = datetime(2026, 12, 2, 7, 5, tzinfo=TZ)
    text = to_markdown([make("x", "2026-01-01")], exported=moment)
    assert "exported: '2026-12-02T07:05:00+01:00'" in text.split("\n---\n")[0]
    assert "*Exported from journal on Wednesday 2 December 2026 at 07:05 (UTC+01:00).*" in text


def test_restore_data_is_one_block_at_the_end(monkeypatch: pytest.MonkeyPatch) -> None:
    import base64
    import json

    import journal.transfer.export as export_mod

    monkeypatch.setattr(export_mod, "RESTORE_RUN", 5)  # several lines, the last one short
    entries = hostile_entries()
    text = to_markdown(entries)
    readable, block = text.split("\n[journal-restore]: # (", 1)
    assert "journal-restore" not in readable and "uid" not in readable
    lines = [line for line in block.split("\n")[1:] if line]
    assert len(lines) == -(-len(entries) // 5)
    assert all(line.startswith(f"[journal-restore-{n}]: # (") for n, line in enumerate(lines, 1))
    runs = [json.loads(base64.b64decode(line.split("# (", 1)[1][:-1])) for line in lines]
    assert [item for run in runs for item in run] == [e.to_dict() for e in entries]
    # markdown-it reads the block as link reference definitions: nothing of it is shown.
    html = MarkdownIt("commonmark").use(front_matter_plugin).render(text)
    assert "journal-restore" not in html and entries[0].uid not in html
    assert to_markdown(entries, restore=False).count("journal-restore") == 0


def test_cat_of_the_export_is_safe() -> None:
    nasty = "\x1b]52;c;aGk=\x07 \x1b[2J \x9b31m \u202eevil \x7f \u2028 \x00 bell\x07"
    entry = make(
        f"Body {nasty}\nline two\tkept",
        "2026-03-03",
        title=f"Title {nasty}",
        tags=[f"t{nasty}"],
        prompt=PromptRef("p", "pack", f"Prompt {nasty}"),
        follow_up=FollowUp(f"Act {nasty}", "2026-03-05", note=f"note {nasty}"),
        checkin={"what_happened": f"answer {nasty}"},
    )
    bare = make("", "2026-03-04", kind="checkin", checkin={f"key{nasty}": f"answer {nasty}"})
    for restore in (True, False):
        text = to_markdown([entry, bare], restore=restore)
        for char in "\x1b\x07\x9b\u202e\x7f\u2028\x00\r":
            assert char not in text, repr(char)
        # Shown escaped, the backslash itself escaped so Markdown shows "\x1b" as it is.
        assert "Body \\\\x1b]52;c;aGk=\\\\x07" in text
        assert "line two\tkept" in text
