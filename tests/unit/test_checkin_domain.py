"""The check-in's domain: answers -> entry, what is due and in what order, done, revisits, stats."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone

import pytest

from journal.checkin import (
    KIND_PHRASES,
    STEPS,
    CheckinAnswers,
    CheckinDraft,
    Compassion,
    FollowUpPlan,
    build_entry,
    problems,
)
from journal.due import (
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

TZ = timezone(timedelta(hours=1))
MOMENT = datetime(2026, 11, 22, 9, 30, tzinfo=TZ)
TODAY = MOMENT.date()


def full_answers(**changes) -> CheckinAnswers:
    answers = CheckinAnswers(
        intensity_before=7,
        what_happened="Sam called about the late delivery and raised his voice.",
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
    answers = CheckinAnswers(**kw)
    if due:
        answers.follow_up = FollowUpPlan("Call back " + day, due)
    moment = datetime.fromisoformat(day + "T10:00:00+01:00")
    entry = build_entry(answers, day, moment)
    if done:
        entry = mark_done(entry, datetime.fromisoformat(done + "T12:00:00+01:00"))
    return entry


# ---- the steps ------------------------------------------------------------------------------


def test_ten_steps_with_titles_and_hints():
    assert len(STEPS) == 10
    assert STEPS[0].id == "intensity_before"
    assert STEPS[-1].id == "intensity_after"
    assert all(s.title and s.hint for s in STEPS)
    their = next(s for s in STEPS if s.id == "their_side")
    assert "what and how, not why" in their.hint
    assert all(len(phrases) >= 3 for phrases in KIND_PHRASES.values())


# ---- build_entry ----------------------------------------------------------------------------


def test_build_entry_keeps_every_answer_structured():
    entry = build_entry(full_answers(), TODAY, MOMENT)
    assert entry.kind == "checkin"
    assert entry.day == "2026-11-22"
    assert entry.created == "2026-11-22T09:30:00+01:00"
    c = entry.checkin
    assert c is not None
    assert c["intensity_before"] == 7 and c["intensity_after"] == 3
    assert c["what_happened"].startswith("Sam called")
    assert c["reaction"] == "responded"
    assert c["noticed"] == "Hot face, fast talking."
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


def test_body_has_one_heading_per_answered_step_in_order():
    entry = build_entry(full_answers(), TODAY, MOMENT)
    headings = [line for line in entry.body.splitlines() if line.startswith("## ")]
    assert len(headings) == 10
    assert headings[0] == "## How intense it felt"
    assert headings[-1] == "## How intense it feels now"
    assert "- [ ] Call Sam back, by Tuesday 24 November 2026" in entry.body
    assert "3 out of 10 (mild), down 4 from 7." in entry.body
    assert "I responded." in entry.body


def test_skipping_everything_still_builds_an_entry_with_defaults():
    entry = build_entry(CheckinAnswers(), TODAY, MOMENT)
    assert entry.kind == "checkin"
    assert entry.body == ""
    assert entry.title == "Check-in after a tough call"
    assert entry.follow_up is None
    assert entry.revisit_on == "2027-02-20"  # day + 90
    assert entry.checkin is not None and entry.checkin["intensity_before"] is None


def test_only_some_steps_give_only_their_headings():
    answers = CheckinAnswers(intensity_before=5, own_later="Apologise to Sam.")
    entry = build_entry(answers, TODAY, MOMENT)
    headings = [line for line in entry.body.splitlines() if line.startswith("## ")]
    assert headings == ["## How intense it felt", "## Mine to own, later"]


def test_never_means_no_revisit():
    entry = build_entry(CheckinAnswers(revisit_on="never"), TODAY, MOMENT)
    assert entry.revisit_on is None


@pytest.mark.parametrize(
    ("changes", "step"),
    [
        ({"intensity_before": 11}, "intensity_before"),
        ({"intensity_after": -1}, "intensity_after"),
        ({"reaction": "shouted"}, "reaction"),
        ({"follow_up": FollowUpPlan("Call", None)}, "follow_up"),
        ({"follow_up": FollowUpPlan(None, "2026-11-24")}, "follow_up"),
        ({"follow_up": FollowUpPlan("Call", "someday")}, "follow_up"),
        ({"revisit_on": "2027-02-30"}, "revisit"),
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
    assert CheckinAnswers.from_dict(answers.to_dict()) == CheckinAnswers.from_dict(
        CheckinAnswers.from_dict(answers.to_dict()).to_dict()
    )
    again = CheckinAnswers.from_dict(answers.to_dict())
    assert again.to_dict() == answers.to_dict()


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
            "learnt_since": "Warn early.",
            "course_corrected": "A change notice.",
            "outcome_changed": None,
        },
        "version": 1,
    }
    assert "## What have I learnt since?" in revisit.body
    assert "## What changed in the outcome?" not in revisit.body
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
