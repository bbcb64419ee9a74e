"""The check-in's domain: answers -> entry, what is due and in what order, done, revisits, stats."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from journal.checkin import (
    DEEP_STEPS,
    FEELINGS,
    KIND_PHRASE_SETS,
    OWN_WORD_KEY,
    QUICK_STEPS,
    REACTIONS,
    STEP_IDS,
    STEPS,
    TITLE_WORDS_MAX,
    CheckinAnswers,
    CheckinDraft,
    Compassion,
    FollowUpPlan,
    answers_of,
    body_matches,
    build_entry,
    closing_message,
    feeling_words,
    help_note,
    needs_help_note,
    problems,
    rebuild_entry,
    short_line,
    title_is_own,
    with_revisit_rating,
)
from journal.due import (
    REVISIT_QUESTIONS,
    EntrySource,
    RevisitAnswers,
    build_revisit,
    due_items,
    mark_done,
    move_follow_up,
    revisits_of,
)
from journal.errors import EntryError
from journal.models import Entry, FollowUp
from journal.stats import compute_stats
from journal.store.drafts import (
    checkin_draft_path,
    delete_checkin_draft,
    load_checkin_draft,
    save_checkin_draft,
)
from journal.transfer.export import entry_file_text, to_markdown
from journal.transfer.importers import parse_entry_file, read_source

TZ = timezone(timedelta(hours=1))
MOMENT = datetime(2026, 11, 22, 9, 30, tzinfo=TZ)
TODAY = MOMENT.date()


def full_answers(**changes) -> CheckinAnswers:
    answers = CheckinAnswers(
        feelings=["hurt", "Frustrated", " let  down "],
        intensity_before=7,
        what_happened="Sam called about the late delivery and raised his voice.",
        story="I always make a mess of these.",
        fairer_line="One call went badly; most go fine.",
        say_back="So you need a date you can trust.",
        not_mine="The warehouse delay.",
        who_could_help="Priya in logistics.",
        reaction="responded",
        noticed="Hot face, fast talking.",
        their_implication="They promised their own customer a date.",
        their_success="A firm date they can pass on.",
        compassion=Compassion(
            hard_moment_ack="That stung.",
            shared_humanity="Everyone has had a call like this.",
            what_i_need="I did what I could.",
        ),
        own_later="The delay was ours: say so, and say sorry.",
        follow_up=FollowUpPlan(action="Call Sam back", due="2026-11-24"),
        learnt="Ask about the impact before explaining.",
        keep_doing="Breathing before answering.",
        do_differently="Call before they notice.",
        revisit_on="2027-01-10",
        intensity_after=3,
    )
    for key, value in changes.items():
        setattr(answers, key, value)
    return answers


def checkin(day: str, *, due: str | None = None, done: str | None = None, **kw) -> Entry:
    """A check-in entry on ``day`` with an optional follow-up (done at ``done``)."""
    answers = CheckinAnswers(**(kw if kw or due else {"intensity_before": 5}))
    if due:
        answers.follow_up = FollowUpPlan("Call back " + day, due)
    moment = datetime.fromisoformat(day + "T10:00:00+01:00")
    entry = build_entry(answers, day, moment)
    if done:
        entry = mark_done(entry, datetime.fromisoformat(done + "T12:00:00+01:00"))
    return entry


# ---- the steps ------------------------------------------------------------------------------


def test_quick_steps_first_then_the_deeper_ones():
    assert [s.id for s in QUICK_STEPS] == [
        "feeling",
        "kindness",
        "what_happened",
        "follow_up",
        "feeling_after",
        "deeper",
    ]
    assert not any(s.deep for s in QUICK_STEPS) and all(s.deep for s in DEEP_STEPS)
    assert STEPS == QUICK_STEPS + DEEP_STEPS
    assert all(s.title and s.hint for s in STEPS)
    # No verdict as a question: "what did I do first", with the choice as a follow-on.
    first = next(s for s in STEPS if s.id == "first_move")
    assert "react" not in first.title.casefold()
    # No look-back step of its own: the date sits on the title-and-tags page.
    assert "revisit" not in STEP_IDS
    keys = [key for key, _ in FEELINGS]
    assert len(set(keys)) == len(keys) and OWN_WORD_KEY not in keys
    assert all(len(phrases) == 3 for phrases in KIND_PHRASE_SETS)
    phrases = " ".join(" ".join(p) for p in KIND_PHRASE_SETS)
    assert "did not deserve" in phrases and "forgive" in phrases and "patient" in phrases


# ---- build_entry ----------------------------------------------------------------------------


def test_build_entry_keeps_every_answer_structured():
    entry = build_entry(full_answers(), TODAY, MOMENT)
    assert entry.kind == "checkin"
    assert entry.day == "2026-11-22"
    assert entry.created == "2026-11-22T09:30:00+01:00"
    c = entry.checkin
    assert c is not None
    assert c["version"] == 2
    assert c["feelings"] == ["hurt", "frustrated", "let down"]
    assert c["intensity_before"] == 7 and c["intensity_after"] == 3
    assert c["intensity_revisit"] is None
    assert c["what_happened"].startswith("Sam called")
    assert c["reaction"] == "responded"
    assert c["noticed"] == "Hot face, fast talking."
    assert c["story"] and c["fairer_line"] and c["say_back"] and c["not_mine"]
    assert c["who_could_help"] == "Priya in logistics."
    assert c["their_implication"] == "They promised their own customer a date."
    assert c["their_success"] == "A firm date they can pass on."
    assert c["compassion"] == {
        "hard_moment_ack": "That stung.",
        "shared_humanity": "Everyone has had a call like this.",
        "what_i_need": "I did what I could.",
    }
    assert c["own_later"].startswith("The delay was ours")
    assert c["follow_up"] == {"action": "Call Sam back", "due": "2026-11-24"}
    assert c["learnt"] and c["keep_doing"] and c["do_differently"]
    assert c["revisit_on"] == "2027-01-10"
    assert entry.follow_up == FollowUp("Call Sam back", "2026-11-24")
    assert entry.revisit_on == "2027-01-10"
    # It survives the store's round trip unchanged.
    assert Entry.from_dict(entry.to_dict()) == entry


def test_the_body_describes_and_does_not_grade():
    entry = build_entry(full_answers(), TODAY, MOMENT)
    headings = [line for line in entry.body.splitlines() if line.startswith("## ")]
    assert headings[0] == "## How I felt"
    assert "Feeling hurt, frustrated and let down." in entry.body
    assert "How strong: 7 out of 10 (strong)." in entry.body
    assert "What I did first: responded." in entry.body
    assert "- [ ] Call Sam back, by Tuesday 24 November 2026" in entry.body
    assert "3 out of 10 (mild), down 4 from 7." in entry.body
    assert "React or respond" not in entry.body and "I responded." not in entry.body


def test_an_empty_check_in_is_not_built():
    with pytest.raises(EntryError, match="Nothing was answered"):
        build_entry(CheckinAnswers(), TODAY, MOMENT)
    # The default look-back date alone is not an answer either.
    assert CheckinAnswers(revisit_on="2027-01-01").is_empty


def test_an_action_without_a_date_is_due_tomorrow_and_no_action_no_due_item():
    entry = build_entry(CheckinAnswers(follow_up=FollowUpPlan("Call Sam")), TODAY, MOMENT)
    assert entry.follow_up == FollowUp("Call Sam", "2026-11-23")
    assert entry.checkin is not None and entry.checkin["follow_up"]["due"] == "2026-11-23"
    quiet = build_entry(CheckinAnswers(intensity_before=4), TODAY, MOMENT)
    assert quiet.follow_up is None
    assert [i.kind for i in due_items([quiet], TODAY)] == []


def test_only_some_steps_give_only_their_headings():
    answers = CheckinAnswers(intensity_before=5, own_later="Apologise to Sam.")
    entry = build_entry(answers, TODAY, MOMENT)
    headings = [line for line in entry.body.splitlines() if line.startswith("## ")]
    assert headings == ["## How I felt", "## What is mine, and what is not?"]
    assert entry.revisit_on == "2027-02-20"  # day + 90, without a step of its own


def test_never_means_no_revisit():
    entry = build_entry(CheckinAnswers(intensity_before=2, revisit_on="never"), TODAY, MOMENT)
    assert entry.revisit_on is None


@pytest.mark.parametrize(
    "text",
    [
        "Sam raised his voice about the late delivery, again, and then hung up on me mid-sentence",
        "Short.",
        "A" * 80,
        "Sam called.   Then Priya called about the same order!",
    ],
)
def test_titles_are_short_and_never_cut_with_an_ellipsis(text):
    title = build_entry(CheckinAnswers(what_happened=text), TODAY, MOMENT).title
    assert title.startswith("Check-in: ")
    assert "…" not in title and "..." not in title
    assert len(title) <= len("Check-in: ") + TITLE_WORDS_MAX
    assert not title.endswith((",", ".", " "))


def test_a_long_first_sentence_is_cut_at_a_clause_not_mid_phrase():
    title = build_entry(
        CheckinAnswers(what_happened="Customer shouted about the late refund, then hung up."),
        TODAY,
        MOMENT,
    ).title
    assert title == "Check-in: Customer shouted about the late refund"
    no_clause = "A customer called about a double charge on the invoice and shouted at me."
    title = build_entry(CheckinAnswers(what_happened=no_clause), TODAY, MOMENT).title
    assert title == "Check-in: A customer called about a double charge"  # not "...on the"
    # A clause too short to say what it was about is not where the cut goes; "not" stays.
    template = "After a template change, Northgate's appointment reminders went out twice."
    assert short_line(template) == "After a template change, Northgate's appointment"
    assert short_line("Sam said that he would not sign it", 27) == "Sam said that he would not"


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(codec="utf-8", categories=["L", "N", "P", "Zs"]), max_size=120))
def test_a_made_title_is_a_clean_start_of_what_happened(text):
    if not text.strip():
        return
    title = build_entry(CheckinAnswers(what_happened=text), TODAY, MOMENT).title
    assert len(title) <= len("Check-in: ") + TITLE_WORDS_MAX
    if "…" not in text:
        assert "…" not in title
    made = title.removeprefix("Check-in: ")
    if title.startswith("Check-in: "):
        assert " ".join(text.split()).startswith(made)


def test_a_title_made_before_clause_cuts_still_reads_as_made():
    answers = CheckinAnswers(what_happened="Customer shouted about the late refund, then hung up.")
    entry = build_entry(answers, TODAY, MOMENT)
    earlier = entry.edited(
        MOMENT, title="Check-in: Customer shouted about the late refund, then hung"
    )
    assert not title_is_own(earlier) and not title_is_own(entry)
    assert title_is_own(entry.edited(MOMENT, title="The refund call"))


@pytest.mark.parametrize(
    "title",
    [
        "The call where the customer kept shouting about the refund that never came",
        "Check-in: Sam called about the late delivery and raised his voice a…",
    ],
)
def test_a_revisit_title_is_cut_clean_too(title):
    moment = datetime(2026, 11, 22, 9, tzinfo=timezone.utc)
    original = build_entry(CheckinAnswers(what_happened="x"), "2026-08-01", moment, title=title)
    revisit = build_revisit(original, RevisitAnswers(learnt_since="x"), "2026-11-01", moment)
    assert revisit.title.startswith("Looking back: ")
    assert "…" not in revisit.title and "..." not in revisit.title
    assert len(revisit.title) <= len("Looking back: ") + TITLE_WORDS_MAX


def test_the_users_own_title_and_tags_win():
    entry = build_entry(
        CheckinAnswers(what_happened="x"), TODAY, MOMENT, title=" The  Sam call ", tags=["calls"]
    )
    assert entry.title == "The Sam call" and list(entry.tags) == ["calls"]
    words = build_entry(CheckinAnswers(feelings=["hurt", "numb"]), TODAY, MOMENT)
    assert words.title == "Check-in: feeling hurt and numb"


@pytest.mark.parametrize(
    ("changes", "step"),
    [
        ({"intensity_before": 11}, "feeling"),
        ({"intensity_after": -1}, "feeling_after"),
        ({"reaction": "shouted"}, "first_move"),
        ({"feelings": ["x" * 41]}, "feeling"),
        ({"follow_up": FollowUpPlan(None, "2026-11-24")}, "follow_up"),
        ({"follow_up": FollowUpPlan("Call", "someday")}, "follow_up"),
        ({"revisit_on": "2027-02-30"}, "title_tags"),
    ],
)
def test_bad_answers_are_refused_with_the_step_named(changes, step):
    answers = full_answers(**changes)
    found = problems(answers)
    assert [p.step for p in found] == [step]
    with pytest.raises(EntryError):
        build_entry(answers, TODAY, MOMENT)


def test_answers_round_trip_through_a_dict():
    answers = full_answers()
    again = CheckinAnswers.from_dict(answers.to_dict())
    assert again == CheckinAnswers.from_dict(again.to_dict())
    assert again.to_dict() == answers.to_dict()


texts = st.one_of(st.none(), st.text(max_size=30).map(str.strip).filter(bool))
ratings = st.one_of(st.none(), st.integers(0, 10))
#: Any text a person could type or paste, lines and Markdown included (not only short words).
any_texts = st.one_of(
    st.none(),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=80)
    .map(str.strip)
    .filter(bool),
)
#: The free-text answers version 2 added.
NEW_TEXT_FIELDS = ("story", "fairer_line", "say_back", "not_mine", "who_could_help")


@settings(max_examples=60, deadline=None)
@given(
    feelings=st.lists(st.sampled_from([w for _, w in FEELINGS] + ["let down"]), max_size=4),
    before=ratings,
    after=ratings,
    revisit=ratings,
    reaction=st.one_of(st.none(), st.sampled_from(REACTIONS)),
    happened=texts,
    deeper=st.fixed_dictionaries({name: any_texts for name in NEW_TEXT_FIELDS}),
)
def test_the_new_fields_survive_export_and_import(
    tmp_path_factory, feelings, before, after, revisit, reaction, happened, deeper
):
    answers = CheckinAnswers(
        feelings=feelings,
        intensity_before=before,
        intensity_after=after,
        reaction=reaction,
        what_happened=happened,
        intensity_revisit=revisit,
        **deeper,
    )
    if answers.is_empty:
        return
    entry = build_entry(answers, TODAY, MOMENT)
    back = parse_entry_file(entry_file_text(entry).encode("utf-8"), "e.md")
    one_file = tmp_path_factory.mktemp("export") / "journal.md"
    one_file.write_text(to_markdown([entry]), encoding="utf-8")
    (incoming,) = read_source(one_file).entries
    again = incoming.entry
    assert again.checkin == entry.checkin == back.checkin
    assert back.body == entry.body and back.title == entry.title
    data = answers_of(back).to_dict()
    assert data["feelings"] == feeling_words(feelings)
    assert (data["intensity_before"], data["intensity_after"]) == (before, after)
    assert data["intensity_revisit"] == revisit and data["reaction"] == reaction
    for name in NEW_TEXT_FIELDS:
        assert data[name] == answers.to_dict()[name], name


# A check-in as version 1 saved it (before feeling words), body and all.
V1_CHECKIN = {
    "intensity_before": 7,
    "what_happened": "Sam called about the late delivery and raised his voice.",
    "reaction": "reacted",
    "noticed": "Hot face.",
    "their_implication": None,
    "their_success": None,
    "compassion": {"hard_moment_ack": "That stung.", "shared_humanity": None, "what_i_need": None},
    "own_later": None,
    "follow_up": {"action": "Call Sam back", "due": "2026-11-24"},
    "learnt": None,
    "keep_doing": None,
    "do_differently": None,
    "revisit_on": "2027-02-20",
    "intensity_after": 4,
    "version": 1,
}
V1_BODY = """## How intense it felt

7 out of 10 (strong).

## What happened

Sam called about the late delivery and raised his voice.

## React or respond

I reacted.

### What I noticed in myself

Hot face.

## Being kind to myself

### This is a hard moment

That stung.

## Follow-up

- [ ] Call Sam back, by Tuesday 24 November 2026

## How intense it feels now

4 out of 10 (moderate), down 3 from 7.
"""


def v1_entry(body: str = V1_BODY) -> Entry:
    return Entry.new(
        body,
        title="Check-in: Sam called about the late delivery and raised his voice.",
        kind="checkin",
        day=TODAY,
        checkin=V1_CHECKIN,
        follow_up=FollowUp("Call Sam back", "2026-11-24"),
        revisit_on="2027-02-20",
        moment=MOMENT,
    )


def test_an_old_check_in_opens_and_saves_as_the_new_kind():
    old = v1_entry()
    answers = answers_of(old)
    assert answers.intensity_before == 7 and answers.feelings == []
    assert answers.revisit_on is None  # the default, so not shown as chosen
    assert body_matches(old)
    answers.feelings = ["hurt"]
    new = rebuild_entry(old, answers, MOMENT)
    assert new.uid == old.uid and new.checkin is not None
    assert new.checkin["version"] == 2 and new.checkin["feelings"] == ["hurt"]
    assert new.checkin["compassion"]["hard_moment_ack"] == "That stung."
    assert "Feeling hurt." in new.body and "What I did first: reacted." in new.body
    assert "That stung." in new.body
    assert new.checkin["notes"] is None  # nothing written by hand, nothing kept twice
    # The old title (made from the answers) is not the user's own: it is remade.
    assert not title_is_own(old)


def test_an_old_check_in_exported_before_imports_and_opens():
    old = v1_entry()
    back = parse_entry_file(entry_file_text(old).encode("utf-8"), "old.md")
    assert back == old
    answers = answers_of(back)
    assert answers.reaction == "reacted" and answers.follow_up.action == "Call Sam back"
    assert body_matches(back)


def test_words_written_into_an_old_body_by_hand_are_kept():
    old = v1_entry(V1_BODY + "\nLater: Sam apologised too.\n")
    assert not body_matches(old)
    new = rebuild_entry(old, answers_of(old), MOMENT)
    assert "Later: Sam apologised too." in new.body
    assert new.checkin is not None and "Later: Sam apologised" in new.checkin["notes"]
    # Rebuilding again does not pile the notes up.
    again = rebuild_entry(new, answers_of(new), MOMENT)
    assert again.body == new.body


def test_reopening_keeps_the_follow_up_done_and_the_rating_at_the_look_back():
    entry = build_entry(full_answers(), TODAY, MOMENT)
    done = mark_done(entry, MOMENT)
    rated = with_revisit_rating(done, 2, MOMENT)
    assert rated.checkin is not None and rated.checkin["intensity_revisit"] == 2
    assert "It still stung: 2 out of 10 (mild)." in rated.body
    answers = answers_of(rated)
    answers.what_happened = "Sam was upset about the delivery."
    new = rebuild_entry(rated, answers, MOMENT)
    assert new.follow_up is not None and new.follow_up.done == done.follow_up.done  # type: ignore[union-attr]
    assert "- [x] Call Sam back" in new.body
    assert new.checkin is not None and new.checkin["intensity_revisit"] == 2
    assert new.checkin["what_happened"] == "Sam was upset about the delivery."
    assert "Sam was upset about the delivery." in new.body
    assert body_matches(new)


def test_the_closing_message_is_kind_and_has_no_numbers():
    text = closing_message(full_answers(), TODAY)
    assert text.startswith("Saved.")
    assert "Follow-up: Call Sam back, Tue 24 Nov" in text
    assert "%" not in text and "→" not in text
    assert "Follow-up" not in closing_message(CheckinAnswers(intensity_before=3), TODAY)


def test_the_help_note_comes_from_the_config_when_given():
    assert "emergency" in help_note(None) and "team lead" in help_note(None)
    assert help_note("  Call 0800 123  ") == "Call 0800 123"
    assert needs_help_note(3, 8) and needs_help_note(2, 3) and not needs_help_note(6, 4)
    assert not needs_help_note(9, None)


# ---- due ------------------------------------------------------------------------------------


def test_due_order_overdue_today_upcoming_then_revisits():
    entries = [
        checkin("2026-11-01", due="2026-11-25"),  # upcoming (3 days)
        checkin("2026-11-02", due="2026-11-22"),  # today
        checkin("2026-11-03", due="2026-11-20"),  # overdue
        checkin("2026-11-04", due="2026-11-15"),  # overdue, older
        checkin("2026-11-05", due="2026-12-10"),  # too far ahead: not shown
        checkin("2026-11-06", due="2026-11-18", done="2026-11-18"),  # done: not shown
        checkin("2026-08-20"),  # revisit due 2026-11-18
        checkin("2026-08-30"),  # revisit due 2026-11-28: not yet
    ]
    items = due_items(entries, TODAY)
    assert [(i.kind, i.status, i.due.isoformat()) for i in items] == [
        ("follow_up", "overdue", "2026-11-15"),
        ("follow_up", "overdue", "2026-11-20"),
        ("follow_up", "today", "2026-11-22"),
        ("follow_up", "upcoming", "2026-11-25"),
        ("revisit", "revisit", "2026-11-18"),
    ]
    assert items[0].label(TODAY) == "overdue · Call back 2026-11-04 · due Sun 15 Nov"
    assert items[2].label(TODAY) == "today · Call back 2026-11-02"
    assert set(items[0].to_dict()) == {"kind", "status", "due", "uid", "text", "entry_day"}


def test_due_from_a_store_matches_due_from_entries(store):
    entries = [checkin("2026-11-03", due="2026-11-20"), checkin("2026-08-20")]
    store.add_many(entries)
    store.add(Entry.new("a plain reflection", moment=MOMENT))
    assert due_items(store, TODAY) == due_items(entries, TODAY)


class ListedJournal:
    """An EntrySource that is not a Store: what the domain asks of a journal, and no more."""

    def __init__(self, entries: list[Entry]) -> None:
        self.docs = {doc_id: entry.to_dict() for doc_id, entry in enumerate(entries, 1)}

    def due_documents(self) -> list[tuple[int, dict]]:
        return list(self.docs.items())

    def entry_from_document(self, doc_id: int, doc: dict) -> Entry | None:
        return Entry.from_stored(doc)


def test_the_store_is_an_entry_source_and_so_is_anything_with_its_two_methods(store):
    original = checkin("2026-08-20", due="2026-11-20")
    revisit = build_revisit(original, RevisitAnswers(learnt_since="Ask first."), TODAY, MOMENT)
    entries = [original, revisit, checkin("2026-11-03", due="2026-11-21")]
    store.add_many(entries)
    assert isinstance(store, EntrySource) and not isinstance(entries, EntrySource)
    listed = ListedJournal(entries)
    assert due_items(listed, TODAY) == due_items(store, TODAY) == due_items(entries, TODAY)
    assert compute_stats(listed, TODAY) == compute_stats(store, TODAY)
    assert revisits_of(listed, original.uid) == revisits_of(store, original.uid) == [revisit]


def test_nothing_due_is_an_empty_list():
    assert due_items([], TODAY) == []
    assert due_items([checkin("2026-11-20", due="2026-12-24")], TODAY) == []


# ---- done and moved -------------------------------------------------------------------------


def test_mark_done_records_when_and_the_note():
    entry = checkin("2026-11-20", due="2026-11-21")
    done = mark_done(entry, MOMENT, " Called; relieved ")
    assert done.follow_up is not None
    assert done.follow_up.done == "2026-11-22T09:30:00+01:00"
    assert done.follow_up.note == "Called; relieved"
    assert done.uid == entry.uid
    assert due_items([done], TODAY) == []
    with pytest.raises(EntryError, match="already marked done"):
        mark_done(done, MOMENT)


def test_mark_done_without_a_follow_up_is_an_error():
    with pytest.raises(EntryError, match="no follow-up"):
        mark_done(checkin("2026-11-20"), MOMENT)


def test_move_follow_up_changes_the_due_day():
    entry = checkin("2026-11-20", due="2026-11-21")
    moved = move_follow_up(entry, date(2026, 11, 27), MOMENT)
    assert moved.follow_up is not None and moved.follow_up.due == "2026-11-27"
    assert [i.status for i in due_items([moved], TODAY)] == ["upcoming"]
    with pytest.raises(EntryError):
        move_follow_up(mark_done(entry, MOMENT), "2026-11-30", MOMENT)


# ---- revisits -------------------------------------------------------------------------------


def test_revisit_links_both_ways_and_is_no_longer_due(store):
    original = checkin("2026-08-20", what_happened="Priya's reports broke.")
    store.add(original)
    assert [i.kind for i in due_items(store, TODAY)] == ["revisit"]
    revisit = build_revisit(
        original,
        RevisitAnswers(learnt_since="Warn early.", course_corrected="A change notice."),
        TODAY,
        MOMENT,
    )
    assert revisit.kind == "revisit"
    assert revisit.revisit_of == original.uid
    assert revisit.checkin == {
        "revisit": {
            "sting": None,
            "to_past_me": None,
            "learnt_since": "Warn early.",
            "course_corrected": "A change notice.",
            "outcome_changed": None,
        },
        "version": 2,
    }
    assert f"## {REVISIT_QUESTIONS['learnt_since']}" in revisit.body
    assert f"## {REVISIT_QUESTIONS['outcome_changed']}" not in revisit.body
    store.add(revisit)
    assert [e.uid for e in revisits_of(store, original.uid)] == [revisit.uid]
    assert due_items(store, TODAY) == []


# ---- stats ----------------------------------------------------------------------------------


def test_stats_with_a_frozen_today():
    entries = [
        # Kept on time (done on the due day) and kept early.
        checkin("2026-11-01", due="2026-11-05", done="2026-11-05", intensity_before=8,
                intensity_after=4, reaction="responded"),
        checkin("2026-11-02", due="2026-11-30", done="2026-11-10", intensity_before=6,
                intensity_after=2, reaction="responded"),
        # Done late.
        checkin("2026-11-03", due="2026-11-06", done="2026-11-08", intensity_before=9,
                intensity_after=9, reaction="reacted"),
        # Open and overdue: missed so far.
        checkin("2026-11-04", due="2026-11-20", intensity_before=5, reaction="paused"),
        # Open and due today: not counted yet. Open and later: not counted.
        checkin("2026-11-05", due="2026-11-22"),
        checkin("2026-11-06", due="2026-11-29"),
    ]  # fmt: skip
    entries.append(build_revisit(entries[0], RevisitAnswers(learnt_since="x"), TODAY, MOMENT))
    stats = compute_stats(entries, TODAY)
    assert stats.checkins == 6
    assert stats.revisits == 1
    assert stats.follow_ups == 6
    assert stats.follow_ups_done == 3
    assert stats.follow_ups_open == 3
    assert stats.follow_ups_overdue == 1
    assert stats.follow_ups_settled == 4
    assert stats.follow_ups_kept_on_time == 2
    assert stats.kept_on_time_pct == 50.0
    assert stats.intensity_before_avg == 7.0  # (8 + 6 + 9 + 5) / 4
    assert stats.intensity_after_avg == 5.0  # (4 + 2 + 9) / 3
    assert stats.intensity_drop_avg == pytest.approx(2.67, abs=0.01)  # (4 + 4 + 0) / 3
    assert stats.intensity_pairs == 3
    assert stats.reactions == {"reacted": 1, "paused": 1, "responded": 2}
    assert stats.reaction_pct == {"reacted": 25.0, "paused": 25.0, "responded": 50.0}
    assert stats.responded_pct == 50.0
    assert stats.summary() == (
        "follow-ups kept on time 50% (2/4) · intensity 7.0 → 5.0 · responded 50%"
    )
    # Another day, other numbers: the day is an argument, never the wall clock.
    later = compute_stats(entries, date(2026, 12, 1))
    assert later.follow_ups_overdue == 3
    assert later.follow_ups_settled == 6


def test_stats_of_an_empty_journal():
    stats = compute_stats([], TODAY)
    assert stats.checkins == 0
    assert stats.kept_on_time_pct is None
    assert stats.intensity_before_avg is None
    assert stats.summary() == ""
    assert stats.to_dict()["reactions"] == {"reacted": 0, "paused": 0, "responded": 0}


# ---- the draft ------------------------------------------------------------------------------


def test_draft_round_trip_is_private(db_path):
    draft = CheckinDraft(full_answers(), step="follow_up", typed={"due": "tue"})
    path = save_checkin_draft(db_path, draft, MOMENT)
    assert path == checkin_draft_path(db_path)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    back = load_checkin_draft(db_path)
    assert back is not None
    assert back.step == "follow_up"
    assert back.typed == {"due": "tue"}
    assert back.answers.to_dict() == full_answers().to_dict()
    delete_checkin_draft(db_path)
    assert load_checkin_draft(db_path) is None
    delete_checkin_draft(db_path)  # twice is fine


def test_unreadable_draft_is_moved_aside_not_lost(db_path):
    path = checkin_draft_path(db_path)
    path.parent.mkdir(parents=True)
    path.write_text("{ half a draft")
    with pytest.raises(EntryError, match="moved"):
        load_checkin_draft(db_path)
    assert not path.exists()
    assert path.with_name("checkin.json.unreadable").read_text() == "{ half a draft"


def test_domain_modules_do_not_import_textual():
    code = (
        "import sys, journal.checkin, journal.due, journal.stats, journal.cli.checkin; "
        "print(any(m == 'textual' or m.startswith('textual.') for m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_marking_done_ticks_the_box_in_the_body_only_where_we_wrote_it():
    moment = datetime(2026, 11, 22, 9, tzinfo=timezone.utc)
    answers = CheckinAnswers(
        what_happened="Invoice row", follow_up=FollowUpPlan("Call Sam back", "2026-11-25")
    )
    entry = build_entry(answers, "2026-11-22", moment)
    done = mark_done(entry, moment.replace(day=24))
    assert "- [ ] Call Sam back" not in done.body
    assert "- [x] Call Sam back" in done.body and "(done Tuesday 24 November 2026)" in done.body
    rewritten = entry.edited(moment, body="My own words, no checkbox.")
    assert mark_done(rewritten, moment).body == "My own words, no checkbox."


def test_a_revisit_title_does_not_say_check_in_twice():
    moment = datetime(2026, 11, 22, 9, tzinfo=timezone.utc)
    original = build_entry(CheckinAnswers(what_happened="Invoice row"), "2026-08-01", moment)
    assert original.title.startswith("Check-in: ")
    revisit = build_revisit(original, RevisitAnswers(learnt_since="x"), "2026-11-01", moment)
    assert revisit.title == "Looking back: Invoice row"


def test_stats_name_the_feelings_and_the_stings_at_the_look_back():
    entries = [
        checkin("2026-11-01", feelings=["hurt", "angry"], intensity_before=8, intensity_after=4),
        checkin("2026-11-02", feelings=["hurt"], intensity_before=6, intensity_after=5),
        checkin("2026-11-03", feelings=["numb", "angry", "hurt"], intensity_before=3),
    ]
    entries[0] = with_revisit_rating(entries[0], 2, MOMENT)
    stats = compute_stats(entries, TODAY)
    assert stats.feelings_top == [
        {"word": "hurt", "count": 3},
        {"word": "angry", "count": 2},
        {"word": "numb", "count": 1},
    ]
    assert stats.intensity_drop_avg == 2.5  # (4 + 1) / 2
    assert stats.revisit_stings == [
        {"uid": entries[0].uid, "day": "2026-11-01", "first": 8, "last": 4, "revisit": 2}
    ]
    assert stats.revisit_sting_avg == 2.0
    assert set(stats.to_dict()) >= {"feelings_top", "revisit_stings", "intensity_drop_avg"}


def test_the_help_note_is_set_in_the_config_file(tmp_path):
    from journal.config import load_settings
    from journal.errors import ConfigError

    path = tmp_path / "config.toml"
    path.write_text('[help]\nnote = "Ring Ana on 0123 456 789."\n', encoding="utf-8")
    settings, problem = load_settings(path)
    assert problem is None
    assert help_note(settings.help_note) == "Ring Ana on 0123 456 789."
    path.write_text("[help]\nnote = 3\n", encoding="utf-8")
    settings, problem = load_settings(path)
    assert isinstance(problem, ConfigError) and "help.note" in problem.message
    assert help_note(settings.help_note) == help_note(None)  # the defaults, never nothing
