"""Two copies of one journal, brought together: no text written on either side is lost,
nothing deleted comes back unless it was edited after the deletion, and merging again
changes nothing. Also: sync tools' conflict copies are found beside the journal."""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from journal.cli import main
from journal.models import Entry, FollowUp
from journal.store import Store
from journal.store.merge import conflict_copies, plan_merge, snapshot_of

START = datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc)


class Clock:
    """Whole seconds that only move forward, so 'edited after the deletion' is well defined."""

    def __init__(self) -> None:
        self.now = START

    def tick(self) -> datetime:
        self.now += timedelta(seconds=5)
        return self.now


def merge_into(ours: Store, theirs: Store) -> None:
    plan = plan_merge(snapshot_of(ours), snapshot_of(theirs))
    ours.apply_merge(plan.upserts, [e.uid for e in plan.deleted], plan.tombstones, plan.versions)


def texts(store: Store) -> set[str]:
    return {e.body for e in store.entries()}


# Operations on one side: (kind, which entry, words).
OPS = st.lists(
    st.tuples(
        st.sampled_from(["add", "edit", "delete", "done"]),
        st.integers(min_value=0, max_value=5),
        st.text(alphabet="abcdefgh ", min_size=1, max_size=12),
    ),
    max_size=6,
)


@settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ours_ops=OPS, theirs_ops=OPS, direction=st.booleans())
# Both sides wrote the same words; one then deleted them (found by a CI run).
@example(
    ours_ops=[("edit", 0, "a")], theirs_ops=[("edit", 0, "a"), ("delete", 0, "a")], direction=False
)
def test_two_copies_diverge_and_merge_without_losing_a_word(
    tmp_path_factory: pytest.TempPathFactory, ours_ops, theirs_ops, direction: bool
) -> None:
    folder = tmp_path_factory.mktemp("merge")
    clock = Clock()
    base = Store.open(folder / "a.json")
    for n in range(4):
        base.add(
            Entry.new(
                f"base {n}",
                follow_up=FollowUp(action=f"call {n}", due="2026-02-01"),
                moment=clock.tick(),
            )
        )
    base.close()
    shutil.copy(folder / "a.json", folder / "b.json")
    a, b = Store.open(folder / "a.json"), Store.open(folder / "b.json")
    written: set[str] = {e.body for e in a.entries()}  # every text either side ever held last
    superseded: set[str] = set()  # texts a side went on to edit (an earlier version there)
    deleted_on: dict[str, str] = {}  # uid -> the side that deleted it
    # Texts a side deleted as they were: a deletion of exactly those words was seen by its
    # side, so the same words written on the other side may go with it (one text, one choice).
    deleted_texts: set[str] = set()
    edited_on: dict[str, set[str]] = {}  # uid -> the sides that changed its text
    for side, store, ops in (("a", a, ours_ops), ("b", b, theirs_ops)):
        for op, which, words in ops:
            entries = sorted(store.entries(), key=lambda e: e.created)
            moment = clock.tick()
            if op == "add" or not entries:
                entry = Entry.new(f"new {words}", moment=moment)
                store.add(entry)
                continue
            target = entries[which % len(entries)]
            if op == "edit":
                store.update(
                    target.edited(moment, body=f"{target.body} {words}"),
                    expected=target,
                    touch=False,
                )
                edited_on.setdefault(target.uid, set()).add(side)
                superseded.add(target.body)
            elif op == "delete":
                store.delete(target.uid)
                deleted_on[target.uid] = side
                deleted_texts.add(target.body)
            elif op == "done" and target.follow_up is not None:
                done = FollowUp(
                    target.follow_up.action,
                    target.follow_up.due,
                    done=moment.isoformat(),
                    note=words,
                )
                store.update(target.edited(moment, follow_up=done), expected=target, touch=False)
    base_bodies = written
    # What each side wrote: a text it holds that the common base did not.
    wrote = {e.body for store in (a, b) for e in store.entries() if e.body not in base_bodies}
    ours, theirs = (a, b) if direction else (b, a)
    merge_into(ours, theirs)
    merged = Store.open(ours.path)
    have = texts(merged)
    # Every text written on either side is in the merged journal (entry or conflict copy),
    # unless a side later edited that very text further (then its newer version is there) or
    # deleted that very text (having seen every word of it).
    assert wrote - have <= superseded | deleted_texts, wrote - have
    # Nothing deleted comes back unless the other side changed its text (which the deleting
    # side never saw).
    uids = {e.uid for e in merged.entries()}
    for uid, side in deleted_on.items():
        if uid in uids:
            assert edited_on.get(uid, set()) - {side}, uid
    # Merging again changes nothing.
    before = {e.uid: e.to_dict() for e in merged.entries()}
    merge_into(merged, Store.open(theirs.path))
    after = {e.uid: e.to_dict() for e in Store.open(ours.path).entries()}
    assert after == before


def test_a_change_on_one_side_is_taken_without_a_conflict(tmp_path: Path) -> None:
    clock = Clock()
    a = Store.open(tmp_path / "a.json")
    entry = a.add(Entry.new("the first words", moment=clock.tick()))
    shutil.copy(a.path, tmp_path / "b.json")
    b = Store.open(tmp_path / "b.json")
    b.update(
        entry.edited(clock.tick(), body="the first words, and more"), expected=entry, touch=False
    )
    merge_into(a, b)
    assert texts(Store.open(a.path)) == {"the first words, and more"}
    # And the other way: b already has the newer text; a's old one is an earlier version.
    merge_into(b, Store.open(a.path))
    assert texts(Store.open(b.path)) == {"the first words, and more"}


def test_both_sides_changed_keeps_both_texts(tmp_path: Path) -> None:
    clock = Clock()
    a = Store.open(tmp_path / "a.json")
    entry = a.add(Entry.new("start", title="Call", moment=clock.tick()))
    shutil.copy(a.path, tmp_path / "b.json")
    b = Store.open(tmp_path / "b.json")
    a.update(entry.edited(clock.tick(), body="start, my laptop"), expected=entry, touch=False)
    b.update(entry.edited(clock.tick(), body="start, my desktop"), expected=entry, touch=False)
    merge_into(a, b)
    merged = Store.open(a.path).entries()
    by_body = {e.body: e for e in merged}
    assert set(by_body) == {"start, my laptop", "start, my desktop"}
    assert by_body["start, my desktop"].uid == entry.uid  # the later text stays the entry
    copy = by_body["start, my laptop"]
    assert copy.title == "Conflict copy: Call" and "conflict" in copy.tags


def test_a_follow_up_done_on_either_side_stays_done(tmp_path: Path) -> None:
    clock = Clock()
    a = Store.open(tmp_path / "a.json")
    entry = a.add(Entry.new("x", follow_up=FollowUp("call Sam", "2026-02-01"), moment=clock.tick()))
    shutil.copy(a.path, tmp_path / "b.json")
    b = Store.open(tmp_path / "b.json")
    done = FollowUp("call Sam", "2026-02-01", done=clock.tick().isoformat(), note="sorted")
    b.update(entry.edited(clock.now, follow_up=done), expected=entry, touch=False)
    a.update(entry.edited(clock.tick(), starred=True), expected=entry, touch=False)
    merge_into(a, b)
    (merged,) = Store.open(a.path).entries()
    assert merged.follow_up == done and merged.starred


def test_a_deletion_wins_over_an_older_copy_but_not_over_a_later_edit(tmp_path: Path) -> None:
    clock = Clock()
    a = Store.open(tmp_path / "a.json")
    gone = a.add(Entry.new("to delete", moment=clock.tick()))
    edited = a.add(Entry.new("to edit", moment=clock.tick()))
    shutil.copy(a.path, tmp_path / "b.json")
    b = Store.open(tmp_path / "b.json")
    a.delete(gone.uid)
    a.delete(edited.uid)
    later = datetime.now(timezone.utc) + timedelta(hours=1)  # after the deletions' own stamps
    b.update(edited.edited(later, body="to edit, edited later"), expected=edited, touch=False)
    merge_into(a, b)
    assert texts(Store.open(a.path)) == {"to edit, edited later"}


def test_journal_merge_command_takes_a_backup_and_a_dry_run_changes_nothing(
    tmp_path: Path, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    store = Store.open(db_path)
    store.add(Entry.new("here"))
    other = db_path.parent / "journal.sync-conflict-20261202-101010-ABCDEFG.json"
    shutil.copy(db_path, other)
    o = Store.open(other)
    o.add(Entry.new("written on the other machine"))
    before = db_path.read_bytes()
    assert main(["merge", str(other), "--dry-run"]) == 0
    assert "Would merge: 1 added" in capsys.readouterr().out
    assert db_path.read_bytes() == before
    assert conflict_copies(db_path) == [other]
    assert main(["merge", str(other)]) == 0
    out = capsys.readouterr().out
    assert "Merged: 1 added" in out and "before-merge" in out
    assert texts(Store.open(db_path)) == {"here", "written on the other machine"}


@pytest.mark.parametrize(
    "name",
    [
        "journal.sync-conflict-20241205-101010-ABCDEFG.json",
        "journal (Sam's conflicted copy 2024-12-05).json",
        "journal (conflicted copy 2024-12-05 101010).json",
        "journal (1).json",
    ],
)
def test_conflict_copies_are_found_by_their_names(db_path: Path, name: str) -> None:
    db_path.parent.mkdir(parents=True, exist_ok=True)
    db_path.write_text("{}")
    (db_path.parent / name).write_text("{}")
    (db_path.parent / "notes.json").write_text("{}")
    assert [p.name for p in conflict_copies(db_path)] == [name]
