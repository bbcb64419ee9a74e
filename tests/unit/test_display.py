"""Control characters are shown escaped, never sent raw to a terminal."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from journal.display import has_control, visible, visible_json, visible_line, visible_symbols


def test_escape_sequences_are_shown_not_sent() -> None:
    hostile = "title\x1b]52;c;aGk=\x07 and \x1b[2J\x9b1m"
    shown = visible(hostile)
    assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown
    assert shown == "title\\x1b]52;c;aGk=\\x07 and \\x1b[2J\\x9b1m"


def test_newlines_and_tabs_stay_in_a_body_but_not_in_a_line() -> None:
    assert visible("a\n\tb\r") == "a\n\tb\\x0d"
    assert visible_line("a\n\tb") == "a\\n\\tb"


def test_bidi_overrides_and_lone_surrogates_are_escaped() -> None:
    assert visible("abc\u202edef") == "abc\\u202edef"
    assert visible("x\ud800") == "x\\ud800"
    visible("x\ud800").encode("utf-8")  # printable on any UTF-8 terminal


def test_plain_text_is_returned_unchanged() -> None:
    text = "Grüße, 日本語, emoji 🙂 and — dashes"
    assert visible(text) is text
    assert not has_control(text)


@given(st.text())
def test_nothing_shown_holds_a_control_character(text: str) -> None:
    for shown in (visible(text), visible_line(text)):
        assert not has_control(shown)
        shown.encode("utf-8")
    assert "\n" not in visible_line(text)


def test_json_keeps_its_meaning_with_controls_escaped() -> None:
    import json

    import orjson

    value = {"t": "a\x9b\u202e\x7f\x1b\n\tz", "n": [1, 2]}
    raw = orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()
    assert "\x9b" in raw  # what the encoder alone writes
    shown = visible_json(raw)
    assert not has_control(shown)
    assert json.loads(shown) == value and "\n" in shown  # the indenting stays


def test_symbols_keep_one_character_for_one() -> None:
    text = "a\x1b[2J\x07\x7f\x9b\u202e\n\tz"
    shown = visible_symbols(text)
    assert len(shown) == len(text)
    assert shown == "a␛[2J␇␡\ufffd\ufffd\n\tz"
    assert not has_control(shown)
