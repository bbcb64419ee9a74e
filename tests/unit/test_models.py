"""The entry model: construction, validation, normalisation and copy safety."""

from __future__ import annotations

import copy
import dataclasses
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.errors import EntryError
from journal.models import (
    FIELDS,
    Entry,
    FollowUp,
    PromptRef,
    normalise_tag,
    normalise_tags,
    parse_day,
    timestamp,
)
from tests.unit.test_export_import import entries as valid_entries

MOMENT = datetime(2026, 11, 22, 9, 30, tzinfo=timezone(timedelta(hours=1)))


def full_entry() -> Entry:
    return Entry.new(
        "Body text\nwith two lines",
        title="A title",
        kind="checkin",
        day="2026-11-21",
        tags=["#Hard Calls ", "growth"],
        prompt=PromptRef(id="p-001", pack="pack", text="What happened?"),
        checkin={"before": 7, "after": 3, "answers": {"facts": ["a", "b"]}},
        follow_up=FollowUp(action="Call back", due="2026-11-25"),
        revisit_on="2027-02-20",
        revisit_of=None,
        starred=True,
        moment=MOMENT,
    )


def valid_doc(**changes) -> dict:
    doc = full_entry().to_dict()
    doc.update(changes)
    return doc


# ---- construction and round trip -----------------------------------------------------------


def test_new_fills_in_uid_stamps_and_day() -> None:
    entry = Entry.new("hello", moment=MOMENT)
    assert len(entry.uid) == 32
    assert entry.created == entry.updated == "2026-11-22T09:30:00+01:00"
    assert entry.day == "2026-11-22"
    assert entry.kind == "reflection"
    assert entry.tags == ()
    assert entry.starred is False


def test_new_gives_distinct_uids() -> None:
    assert len({Entry.new("x").uid for _ in range(50)}) == 50


def test_new_accepts_a_date_object_and_strips_title() -> None:
    entry = Entry.new("x", day=date(2026, 1, 2), title="  spaced  ")
    assert entry.day == "2026-01-02"
    assert entry.title == "spaced"


def test_round_trip_to_dict_from_dict() -> None:
    entry = full_entry()
    doc = entry.to_dict()
    assert set(doc) == set(FIELDS)
    again = Entry.from_dict(doc)
    assert again == entry
    assert again.to_dict() == doc


def test_to_dict_is_plain_json_types() -> None:
    doc = full_entry().to_dict()
    assert isinstance(doc["tags"], list)
    assert doc["prompt"] == {"id": "p-001", "pack": "pack", "text": "What happened?"}
    assert doc["follow_up"] == {
        "action": "Call back",
        "due": "2026-11-25",
        "done": None,
        "note": "",
    }
    assert doc["tags"] == ["hard-calls", "growth"]


def test_from_dict_minimal_document_uses_defaults() -> None:
    entry = Entry.from_dict(
        {
            "uid": "abc",
            "kind": "note",
            "created": "2026-11-22T09:30:00+00:00",
            "updated": "2026-11-22T09:30:00+00:00",
            "day": "2026-11-22",
        }
    )
    assert entry.title == "" and entry.body == "" and entry.tags == ()
    assert entry.prompt is None and entry.checkin is None and entry.follow_up is None
    assert entry.starred is False


# ---- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["2026-13-01", "2026-02-30", "22/11/2026", "2026-1-1", "", "today"])
def test_bad_day_string(day: str) -> None:
    with pytest.raises(EntryError, match="day"):
        Entry.from_dict(valid_doc(day=day))
    with pytest.raises(EntryError):
        Entry.new("x", day=day)


@pytest.mark.parametrize("day", [20261122, None, ["2026-11-22"], 2026.11])
def test_day_not_a_string(day) -> None:
    with pytest.raises(EntryError, match="day"):
        Entry.from_dict(valid_doc(day=day))


def test_parse_day_accepts_a_real_day() -> None:
    assert parse_day("2024-02-29") == date(2024, 2, 29)
    with pytest.raises(EntryError):
        parse_day("2025-02-29")


@pytest.mark.parametrize("kind", ["diary", "", "Reflection", None, 3])
def test_unknown_kind(kind) -> None:
    with pytest.raises(EntryError, match="kind"):
        Entry.from_dict(valid_doc(kind=kind))


def test_unknown_kind_in_new() -> None:
    with pytest.raises(EntryError, match="kind"):
        Entry.new("x", kind="diary")


@pytest.mark.parametrize(
    ("field", "value", "match"),
    [
        ("tags", "growth", "tags"),
        ("tags", {"a": 1}, "tags"),
        ("tags", [1, 2], "tags"),
        ("starred", 1, "starred"),
        ("starred", "yes", "starred"),
        ("starred", None, "starred"),
        ("title", "two\nlines", "title"),
        ("title", "carriage\rreturn", "title"),
        ("title", 5, "title"),
        ("body", 5, "body"),
        ("body", None, "body"),
        ("body", b"bytes", "body"),
        ("uid", "", "uid"),
        ("uid", 7, "uid"),
        ("checkin", ["not", "an", "object"], "checkin"),
        ("checkin", {"when": datetime(2026, 1, 1)}, "checkin"),
        ("checkin", {1: "non-text key"}, "checkin"),
        ("revisit_on", "soon", "revisit_on"),
        ("revisit_of", 12, "revisit_of"),
        ("prompt", "p-001", "prompt"),
        ("follow_up", "call", "follow_up"),
    ],
)
def test_wrong_types(field: str, value, match: str) -> None:
    with pytest.raises(EntryError, match=match):
        Entry.from_dict(valid_doc(**{field: value}))


def test_title_with_newline_in_new() -> None:
    with pytest.raises(EntryError, match="single line"):
        Entry.new("x", title="one\ntwo")


@pytest.mark.parametrize(
    "stamp", ["2026-11-22T09:30:00", "2026-11-22", "yesterday", "", "2026-11-22 09:30"]
)
@pytest.mark.parametrize("field", ["created", "updated"])
def test_timestamps_need_an_offset(field: str, stamp: str) -> None:
    with pytest.raises(EntryError, match=field):
        Entry.from_dict(valid_doc(**{field: stamp}))


def test_timestamp_with_offset_accepted() -> None:
    entry = Entry.from_dict(valid_doc(created="2026-11-22T09:30:00-05:00"))
    assert entry.created == "2026-11-22T09:30:00-05:00"


def test_timestamp_helper_always_has_an_offset() -> None:
    assert timestamp(MOMENT) == "2026-11-22T09:30:00+01:00"
    naive = timestamp(datetime(2026, 1, 1, 12, 0))
    assert datetime.fromisoformat(naive).tzinfo is not None


def test_unknown_fields_rejected() -> None:
    with pytest.raises(EntryError, match="unknown fields: mood"):
        Entry.from_dict(valid_doc(mood="ok"))


@pytest.mark.parametrize("field", ["uid", "kind", "created", "updated", "day"])
def test_missing_fields_rejected(field: str) -> None:
    doc = valid_doc()
    del doc[field]
    with pytest.raises(EntryError, match=f"missing fields: {field}"):
        Entry.from_dict(doc)


@pytest.mark.parametrize("not_a_mapping", [None, [], "entry", 3])
def test_from_dict_needs_an_object(not_a_mapping) -> None:
    with pytest.raises(EntryError):
        Entry.from_dict(not_a_mapping)


@pytest.mark.parametrize("field", ["body", "title"])
def test_lone_surrogates_rejected(field: str) -> None:
    with pytest.raises(EntryError, match=field):
        Entry.from_dict(valid_doc(**{field: "bad \udcff byte"}))


def test_lone_surrogates_rejected_in_new_and_in_checkin() -> None:
    with pytest.raises(EntryError, match="body"):
        Entry.new("bad \ud800 surrogate")
    with pytest.raises(EntryError, match="checkin"):
        Entry.new("x", checkin={"facts": "bad \udc80"})


def test_non_ascii_text_is_fine() -> None:
    entry = Entry.new("Café, naïve, 日本語, emoji 🙂", title="Ünïcode")
    assert Entry.from_dict(entry.to_dict()) == entry


def test_errors_are_value_errors() -> None:
    with pytest.raises(ValueError):
        Entry.new("x", kind="nope")


# ---- tags ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("#Hard Calls ", "hard-calls"),
        ("growth", "growth"),
        ("  #Growth  Mindset\t", "growth-mindset"),
        ("##double", "double"),
        ("#", ""),
        ("   ", ""),
        ("Straße", "strasse"),
    ],
)
def test_normalise_tag(raw: str, expected: str) -> None:
    assert normalise_tag(raw) == expected


def test_tags_normalised_and_deduplicated_in_first_seen_order() -> None:
    entry = Entry.new("x", tags=["#Hard Calls ", "hard-calls", "Growth", "#growth", "", "#"])
    assert entry.tags == ("hard-calls", "growth")


def test_tags_normalised_when_read_from_a_document() -> None:
    entry = Entry.from_dict(valid_doc(tags=["#Hard Calls", "hard-calls", "B"]))
    assert entry.tags == ("hard-calls", "b")


def test_normalise_tags_rejects_non_strings() -> None:
    with pytest.raises(EntryError):
        normalise_tags(["ok", 3])  # type: ignore[list-item]


# ---- copies --------------------------------------------------------------------------------


def test_to_dict_returns_a_deep_copy() -> None:
    entry = full_entry()
    before = copy.deepcopy(entry.to_dict())
    doc = entry.to_dict()
    doc["tags"].append("sneaky")
    doc["checkin"]["before"] = 99
    doc["checkin"]["answers"]["facts"].append("injected")
    doc["prompt"]["text"] = "changed"
    doc["follow_up"]["action"] = "changed"
    doc["title"] = "changed"
    assert entry.to_dict() == before
    assert entry.checkin == before["checkin"]


def test_checkin_passed_in_is_copied() -> None:
    answers = {"before": 7, "nested": {"list": [1, 2]}}
    entry = Entry.new("x", kind="checkin", checkin=answers)
    answers["before"] = 0
    answers["nested"]["list"].append(3)
    answers["new"] = "key"
    assert entry.checkin == {"before": 7, "nested": {"list": [1, 2]}}


def test_checkin_in_a_document_is_copied() -> None:
    doc = valid_doc()
    entry = Entry.from_dict(doc)
    doc["checkin"]["answers"]["facts"].append("later")
    assert entry.checkin["answers"]["facts"] == ["a", "b"]


def test_entry_is_frozen() -> None:
    entry = full_entry()
    with pytest.raises(AttributeError):
        entry.body = "changed"  # type: ignore[misc]


# ---- edited --------------------------------------------------------------------------------


def test_edited_stamps_updated_and_keeps_created() -> None:
    entry = Entry.new("x", moment=MOMENT)
    later = MOMENT + timedelta(hours=2)
    changed = entry.edited(later, body="y", tags=["#New Tag"])
    assert changed.body == "y"
    assert changed.tags == ("new-tag",)
    assert changed.created == entry.created
    assert changed.updated == "2026-11-22T11:30:00+01:00"
    assert changed.uid == entry.uid
    assert entry.body == "x"  # the original is untouched


def test_edited_without_moment_uses_now() -> None:
    entry = Entry.new("x", moment=datetime(2000, 1, 1, tzinfo=timezone.utc))
    changed = entry.edited(body="y")
    assert datetime.fromisoformat(changed.updated) > datetime.fromisoformat(entry.updated)


@pytest.mark.parametrize("field", ["uid", "created"])
def test_edited_refuses_identity_changes(field: str) -> None:
    entry = Entry.new("x", moment=MOMENT)
    with pytest.raises(EntryError, match="never change"):
        entry.edited(**{field: "2026-11-22T09:30:00+01:00"})


def test_edited_validates() -> None:
    entry = Entry.new("x")
    with pytest.raises(EntryError):
        entry.edited(day="2026-02-30")
    with pytest.raises(EntryError):
        entry.edited(title="a\nb")


# ---- FollowUp and PromptRef ----------------------------------------------------------------


def test_follow_up_round_trip_and_is_done() -> None:
    open_one = FollowUp.from_dict({"action": "Call", "due": "2026-12-01"})
    assert not open_one.is_done
    done = FollowUp.from_dict(
        {"action": "Call", "due": "2026-12-01", "done": "2026-12-01T10:00:00+00:00", "note": "ok"}
    )
    assert done.is_done
    assert FollowUp.from_dict(done.to_dict()) == done


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"action": "Call"}, "due"),
        ({"due": "2026-12-01"}, "action"),
        ({"action": "Call", "due": "2026-12-32"}, "follow_up.due"),
        ({"action": "Call", "due": "next week"}, "follow_up.due"),
        ({"action": 3, "due": "2026-12-01"}, "follow_up.action"),
        ({"action": "Call", "due": "2026-12-01", "done": "2026-12-01T10:00:00"}, "follow_up.done"),
        ({"action": "Call", "due": "2026-12-01", "done": True}, "follow_up.done"),
        ({"action": "Call", "due": "2026-12-01", "note": None}, "follow_up.note"),
        ({"action": "Call", "due": "2026-12-01", "extra": 1}, "unknown fields: extra"),
        ("call", "object"),
    ],
)
def test_follow_up_validation(data, match: str) -> None:
    with pytest.raises(EntryError, match=match):
        FollowUp.from_dict(data)


def test_follow_up_validates_on_construction() -> None:
    with pytest.raises(EntryError):
        FollowUp(action="x", due="2026-02-30")


def test_prompt_ref_round_trip() -> None:
    ref = PromptRef.from_dict({"id": "a", "pack": "b", "text": "c"})
    assert ref == PromptRef("a", "b", "c")
    assert PromptRef.from_dict(ref.to_dict()) == ref


@pytest.mark.parametrize(
    ("data", "match"),
    [
        ({"id": "a", "pack": "b"}, "missing text"),
        ({"id": "a", "text": "c"}, "missing pack"),
        ({"id": "a", "pack": "b", "text": "c", "when": "daily"}, "unknown fields: when"),
        ({"id": 1, "pack": "b", "text": "c"}, "prompt.id"),
        ({"id": "a", "pack": "b", "text": None}, "prompt.text"),
        (["a", "b", "c"], "object"),
    ],
)
def test_prompt_ref_validation(data, match: str) -> None:
    with pytest.raises(EntryError, match=match):
        PromptRef.from_dict(data)


def test_bad_prompt_inside_an_entry_document() -> None:
    with pytest.raises(EntryError, match="prompt"):
        Entry.from_dict(valid_doc(prompt={"id": "a"}))


def test_bad_follow_up_inside_an_entry_document() -> None:
    with pytest.raises(EntryError, match="follow_up"):
        Entry.from_dict(valid_doc(follow_up={"action": "x", "due": "never"}))


# ---- headline ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        ("The title", "ignored body", "The title"),
        ("", "\n\n  first line  \nsecond", "first line"),
        ("", "## A heading\nbody", "A heading"),
        ("", "", "(empty)"),
        ("", "\n   \n#\n", "(empty)"),
    ],
)
def test_headline(title: str, body: str, expected: str) -> None:
    assert Entry.new(body, title=title).headline == expected


def test_day_date() -> None:
    assert Entry.new("x", day="2026-03-04").day_date == date(2026, 3, 4)


@given(st.text())
def test_normalise_tag_is_idempotent(tag: str) -> None:
    once = normalise_tag(tag)
    assert normalise_tag(once) == once
    assert not once.startswith(("#", "-")) and not once.endswith("-")
    assert not any(c.isspace() for c in once)


def test_normalise_tag_strips_mixed_leading_marks() -> None:
    assert normalise_tag("-#x") == "x"
    assert normalise_tag("#-#Hard Calls ") == "hard-calls"
    assert normalise_tag("c#") == "c#"


# ---- Entry.from_stored: the quicker way in for documents the store parsed -------------------

#: Values a hand-edited or damaged journal might hold in any field.
ODD_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from(
        [
            "",
            " ",
            "x",
            "two\nlines",
            "2026-02-30",
            "2026-11-22",
            "2026-11-22T09:00:00",
            "2026-11-22T09:00:00+01:00",
            "reflection",
            "poem",
            "#Tag",
            "tag",
        ]
    ),
    st.lists(st.sampled_from(["a", "#A", "", 3, "a b"]), max_size=3),
    st.fixed_dictionaries({"id": st.just("p"), "pack": st.just("k"), "text": st.just("t")}),
    st.fixed_dictionaries({"text": st.just("t"), "id": st.just("p"), "pack": st.just("k")}),
    st.fixed_dictionaries({"action": st.just("Call"), "due": st.sampled_from(["2026-11-23", "x"])}),
    # A follow-up in to_dict's exact form, with values good and bad.
    st.fixed_dictionaries(
        {
            "action": st.sampled_from(["Call", "", 3, "two\nlines"]),
            "due": st.sampled_from(["2026-11-23", "2026-02-30", None]),
            "done": st.sampled_from([None, "2026-11-23T10:00:00+01:00", "2026-11-23T10:00", 5]),
            "note": st.sampled_from(["", "a note", None]),
        }
    ),
    st.dictionaries(st.sampled_from(["a", "b"]), st.integers(), max_size=2),
)


def outcome(build, doc):
    try:
        return build(doc)
    except EntryError as exc:
        return ("error", str(exc))


@settings(max_examples=300, deadline=None)
@given(
    valid_entries(),
    st.lists(st.tuples(st.sampled_from((*FIELDS, "extra")), ODD_VALUES), max_size=3),
    st.lists(st.sampled_from(FIELDS), max_size=2),
    st.booleans(),
)
def test_from_stored_agrees_with_from_dict(entry, changes, dropped, reorder) -> None:
    doc = entry.to_dict()
    for name, value in changes:
        doc[name] = value
    for name in dropped:
        doc.pop(name, None)
    if reorder:
        doc = dict(reversed(list(doc.items())))
    expected = outcome(Entry.from_dict, copy.deepcopy(doc))
    assert outcome(Entry.from_stored, copy.deepcopy(doc)) == expected


def test_from_stored_copies_the_check_in() -> None:
    doc = Entry.new("b", kind="checkin", checkin={"a": {"b": 1}}).to_dict()
    shared = Entry.from_stored(doc)
    assert shared.checkin == doc["checkin"] and shared.checkin is not doc["checkin"]


def test_from_stored_runs_the_constructors_rules() -> None:
    """One rule set: from_stored builds through __post_init__, so a rule there holds for it."""
    doc = Entry.new("b").to_dict()
    assert Entry.from_stored(doc) == Entry.from_dict(doc)
    for name, value, problem in [
        ("title", "two\nlines", "single line"),
        ("kind", "poem", "is not one of"),
        ("updated", "2026-11-22T09:00:00", "no UTC offset"),
        ("starred", 1, "true or false"),
        ("revisit_on", "2026-02-30", "not a real date"),
    ]:
        with pytest.raises(EntryError, match=problem):
            Entry.from_stored({**doc, name: value})


def test_the_stored_order_is_the_dataclass_order() -> None:
    entry = Entry.new("b", tags=["x"], follow_up=FollowUp("Call", "2026-11-23"))
    assert tuple(entry.to_dict()) == FIELDS == tuple(f.name for f in dataclasses.fields(Entry))
