"""The export's fast path for plain prose gives exactly what markdown-it's reading gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from journal.transfer.markdown import (
    _demote_plain_prose,
    _protect_full,
    keeps_outline,
    plain_keeps_outline,
    protect_markdown,
)

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
    assert "#### What happened" in fast
    assert fast == _protect_full(body, 3)


def test_anything_unusual_is_left_to_markdown_it() -> None:
    for body in ("> # quoted heading", "```\n# in code\n```", "Title\n=====", "    # code"):
        assert _demote_plain_prose(body, 3) is None


@settings(max_examples=300, deadline=None)
@given(st.lists(LINES, min_size=1, max_size=12), st.sampled_from([1, 3, 4]))
def test_plain_outline_check_agrees_with_markdown_it(lines: list[str], by: int) -> None:
    text = "\n".join(lines).strip("\n")
    if text.strip() and plain_keeps_outline(text, by):
        assert keeps_outline(text, by)


ANSWERS = st.recursive(
    st.one_of(st.sampled_from(["", "yes"]), LINES, st.integers(-2, 11), st.booleans()),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["action", "due", "a_b", "#x"]), inner, max_size=3),
    ),
    max_leaves=6,
)


@settings(max_examples=300, deadline=None)
@given(
    st.dictionaries(
        st.sampled_from(["what_happened", "intensity_before", "their side", "# odd", "x\ty"]),
        st.one_of(ANSWERS, st.lists(LINES, max_size=4).map("\n".join)),
        max_size=5,
    )
)
def test_check_in_answers_read_plainly_agree_with_markdown_it(checkin: dict[str, object]) -> None:
    # render_checkin skips markdown-it when every answer reads as plain prose; asking
    # markdown-it every time gives the same text.
    from journal.transfer import render

    fast = render.render_checkin(checkin)
    original = render._block_keeps_outline
    render._block_keeps_outline = lambda block: False  # type: ignore[assignment]  # force it
    try:
        slow = render.render_checkin(checkin)
    finally:
        render._block_keeps_outline = original  # type: ignore[method-assign]
    assert fast == slow
