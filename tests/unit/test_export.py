"""Markdown export: heading demotion and a one-file export that keeps its outline."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta, timezone

import pytest
from markdown_it import MarkdownIt

from journal.models import Entry, FollowUp, PromptRef
from journal.transfer.export import to_markdown
from journal.transfer.markdown import close_open_fence, demote_headings
from journal.transfer.render import render_entry

TZ = timezone(timedelta(hours=1))
MD = MarkdownIt("commonmark")


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
        ("## Two", "##### Two"),
        ("### Three", "###### Three"),
        ("#### Four", "**Four**"),
        ("###### Six", "**Six**"),
        ("# Closed #", "#### Closed"),
        ("## Closed ###   ", "##### Closed"),
        ("# C# rocks", "#### C# rocks"),
        ("   # Indented", "   #### Indented"),
        ("Title\n=====", "#### Title"),
        ("Title\n-----", "##### Title"),
        ("Title\n=", "#### Title"),
        ("Title\n-", "##### Title"),
        ("Two line\nsetext\n===", "#### Two line setext"),
        ("> # Quoted", "> #### Quoted"),
        ("- # In a list", "- #### In a list"),
        ("> Quoted setext\n> ---", "> ##### Quoted setext"),
    ],
)
def test_demote_headings(body: str, expected: str) -> None:
    assert demote_headings(body) == expected


@pytest.mark.parametrize("by", [1, 2, 3])
def test_demote_levels_match_markdown_it(by: int) -> None:
    body = "# a\n\n## b\n\nc\n===\n\nd\n---\n\n###### f"
    before = [int(tag[1]) for tag, _ in headings(body)]
    after = demote_headings(body, by=by)
    expected = [lvl + by for lvl in before if lvl + by <= 6]
    assert [int(tag[1]) for tag, _ in headings(after)] == expected
    bold = sum(1 for lvl in before if lvl + by > 6)
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
    assert "`#work`" in section and "`#hard-calls`" in section
    assert "Kind: checkin" in section
    assert "Follow-up: Call back (due 2026-11-25, open)" in section
    assert "Starred" in section


def test_export_streams_oldest_first_as_given() -> None:
    a = make("first", "2030-01-01")
    b = make("second", "2030-01-02")
    text = to_markdown([a, b])
    assert text.index("first") < text.index("second")
    assert text.startswith("<!-- Journal: exported by journal -->")
    assert to_markdown([]).count("#") == 0


def test_yes_no_and_numbers_in_a_check_in_are_never_mixed_up() -> None:
    # 1 and True are equal in Python; a remembered rendering of one must not serve the other.
    from journal.transfer.render import render_checkin

    assert "##### A\n\n1\n" in render_checkin({"a": 1})
    assert "##### A\n\nyes\n" in render_checkin({"a": True})
    assert "##### A\n\n0\n" in render_checkin({"a": 0})
    assert "##### A\n\nno\n" in render_checkin({"a": False})
