"""The export's fast path for plain prose gives exactly what markdown-it's reading gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from journal.transfer.export import _demote_plain_prose, _protect_full, protect_markdown

LINES = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "Plain words, then more.",
            "# One",
            "## Two ##",
            "###### Six",
            "####### seven",
            "#hashtag here",
            "#",
            "## ",
            "### closing #",
            "- a bullet",
            "- # not a heading",
            "-not a bullet",
            "> a quote",
            "1. first",
            "    indented # code",
            "```",
            "~~~",
            "<div>",
            "---",
            "===",
            "* star",
            "Café, naïve — “quoted” 🙂 学习",
            "text with `code` and <b>inline</b> html",
            "\\# escaped",
            "#\tTabbed",
            "7 out of 10 (strong).",
            "7. a list",
            "- [ ] Call them by Friday",
            "[ref]: /url",
            "##### Label",
            "- **Action:** Call them",
            "**bold** start",
            "** spaced",
            "***",
            "* * *",
        ]
    ),
    st.text(alphabet=st.sampled_from("#-=>*` <abc1.\t"), max_size=12),
)


@settings(max_examples=400, deadline=None)
@given(st.lists(LINES, max_size=12), st.sampled_from([1, 3, 5]))
def test_fast_path_agrees_with_markdown_it(lines: list[str], by: int) -> None:
    body = "\n".join(lines)
    assert protect_markdown(body, by) == _protect_full(body, by)


def test_plain_prose_takes_the_fast_path() -> None:
    body = "Hello there.\n\n## What happened\n\n- I listened.\n- I said back what I heard."
    fast = _demote_plain_prose(body, 3)
    assert fast is not None
    assert "##### What happened" in fast
    assert fast == _protect_full(body, 3)


def test_anything_unusual_is_left_to_markdown_it() -> None:
    for body in ("> # quoted heading", "```\n# in code\n```", "Title\n=====", "    # code"):
        assert _demote_plain_prose(body, 3) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=12), st.sampled_from([1, 3, 4]))
def test_plain_outline_check_agrees_with_markdown_it(lines: list[str], by: int) -> None:
    from journal.transfer.export import _keeps_outline, _plain_keeps_outline

    text = "\n".join(lines).strip("\n")
    if text.strip() and _plain_keeps_outline(text, by):
        assert _keeps_outline(text, by)


@settings(max_examples=500, deadline=None)
@given(st.lists(LINES, max_size=12))
def test_the_one_scan_reading_agrees_with_the_line_by_line_one(lines: list[str]) -> None:
    from journal.transfer.export import ENTRY_LEVEL, _demote_simple_utf8

    body = "\n".join(lines)
    if any(c in body for c in "\r\t\0\x0b\x0c"):
        return  # the caller has ruled these out before asking
    simple = _demote_simple_utf8(body, body.encode("utf-8"))
    if simple is not None:
        assert simple == _demote_plain_prose(body, ENTRY_LEVEL).encode("utf-8")
        assert simple == _protect_full(body, ENTRY_LEVEL).encode("utf-8")


def test_the_one_scan_reading_takes_the_usual_bodies() -> None:
    from journal.transfer.export import _demote_simple_utf8

    def _demote_simple(text: str) -> str | None:
        done = _demote_simple_utf8(text, text.encode("utf-8"))
        return None if done is None else done.decode("utf-8")

    body = (
        "## What happened\n\nThey were upset.\n\n- [ ] Call back by Friday\n- I listened\n\n"
        "10 out of 10, then 7.\n   \n# Big\n### Small"
    )
    assert _demote_simple(body) == (
        "##### What happened\n\nThey were upset.\n\n- [ ] Call back by Friday\n- I listened\n\n"
        "10 out of 10, then 7.\n   \n#### Big\n###### Small"
    )
    for odd in ("#### Four", "## Closed ##", "- [x]: link", "1. a list", "## ", "#tag", "> q"):
        assert _demote_simple(f"Text\n{odd}") is None
        assert _demote_simple(odd) is None
