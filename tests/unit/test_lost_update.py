"""Two writers on one entry: a save never undoes what another window or the shell saved.

The store compares the entry the editor loaded with the one stored now (store/conflicts.py):
fields the editor left alone take the stored value, and text changed on both sides raises
EditConflictError with nothing written (issue 15, item 1).
"""

from __future__ import annotations

import os
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from journal.due import mark_done
from journal.errors import JournalError
from journal.models import Entry, FollowUp
from journal.store import EditConflictError, Store
from journal.store.atomic import WriteFailedError

TZ = timezone(timedelta(hours=1))
NOON = datetime(2026, 11, 22, 12, 0, tzinfo=TZ)


def checkin_entry() -> Entry:
    return Entry.new(
        "What happened: the call.\n\n- [ ] Send the refund",
        title="Tough call",
        kind="checkin",
        checkin={"intensity_before": 7},
        follow_up=FollowUp("Send the refund", "2026-11-25"),
        moment=NOON - timedelta(hours=3),
    )


def test_two_windows_appending_raise_a_conflict_and_keep_both_texts(db_path: Path) -> None:
    one, two = Store.open(db_path), Store.open(db_path)
    first = one.add(Entry.new("Start.", moment=NOON))
    loaded_one, loaded_two = one.get(first.uid), two.get(first.uid)
    assert loaded_one is not None and loaded_two is not None
    one.update(loaded_one.edited(body="Start. From window one."), expected=loaded_one)
    with pytest.raises(EditConflictError) as caught:
        two.update(loaded_two.edited(body="Start. From window two."), expected=loaded_two)
    assert caught.value.fields == ("body",)
    assert caught.value.stored is not None
    assert caught.value.stored.body == "Start. From window one."
    assert caught.value.mine.body == "Start. From window two."
    # Nothing was written: window one's acknowledged save is still there.
    assert Store.open(db_path).get(first.uid).body == "Start. From window one."  # type: ignore[union-attr]


def test_fields_left_alone_take_the_stored_value(db_path: Path) -> None:
    app, shell = Store.open(db_path), Store.open(db_path)
    saved = app.add(checkin_entry())
    loaded = app.get(saved.uid)
    assert loaded is not None
    # The shell stars it and marks the follow-up done with a note (ticking the body).
    now = shell.get(saved.uid)
    assert now is not None
    shell.update(now.edited(starred=True, revisit_on="2027-02-20"), expected=now)
    now = shell.get(saved.uid)
    assert now is not None
    shell.update(mark_done(now, NOON, "Refund sent."), expected=now, touch=False)
    # The app, with its stale copy, changes only the title.
    result = app.update(loaded.edited(title="A tough call, handled"), expected=loaded)
    stored = Store.open(db_path).get(saved.uid)
    assert stored == result
    assert stored is not None
    assert stored.title == "A tough call, handled"
    assert stored.follow_up is not None and stored.follow_up.is_done
    assert stored.follow_up.note == "Refund sent."
    assert stored.starred and stored.revisit_on == "2027-02-20"
    assert "- [x] Send the refund" in stored.body


def test_body_changed_on_both_sides_keeps_the_follow_up_done(db_path: Path) -> None:
    app, shell = Store.open(db_path), Store.open(db_path)
    saved = app.add(checkin_entry())
    loaded = app.get(saved.uid)
    now = shell.get(saved.uid)
    assert loaded is not None and now is not None
    shell.update(mark_done(now, NOON, "Done."), expected=now, touch=False)
    mine = loaded.edited(body=loaded.body + "\n\nWhat I learnt: slow down.")
    with pytest.raises(EditConflictError) as caught:
        app.update(mine, expected=loaded)
    # The user keeps theirs... no: keeps mine. Mine goes over what is stored now, and the
    # follow-up state still comes from the stored copy.
    stored = caught.value.stored
    assert stored is not None
    kept = app.update(stored.edited(body=mine.body), expected=stored)
    assert kept.follow_up is not None and kept.follow_up.note == "Done."
    assert Store.open(db_path).get(saved.uid) == kept


def test_same_change_on_both_sides_is_no_conflict(db_path: Path) -> None:
    one, two = Store.open(db_path), Store.open(db_path)
    first = one.add(Entry.new("Same.", moment=NOON))
    a, b = one.get(first.uid), two.get(first.uid)
    assert a is not None and b is not None
    one.update(a.edited(body="Same, fixed."), expected=a)
    two.update(b.edited(body="Same, fixed.", tags=["calls"]), expected=b)
    got = Store.open(db_path).get(first.uid)
    assert got is not None and got.body == "Same, fixed." and got.tags == ("calls",)


def test_deleted_elsewhere_is_a_conflict_without_a_stored_entry(db_path: Path) -> None:
    one, two = Store.open(db_path), Store.open(db_path)
    first = one.add(Entry.new("Gone soon.", moment=NOON))
    loaded = two.get(first.uid)
    assert loaded is not None
    one.delete(first.uid)
    with pytest.raises(EditConflictError) as caught:
        two.update(loaded.edited(body="Still mine."), expected=loaded)
    assert caught.value.stored is None
    assert Store.open(db_path).count() == 0


def test_a_read_only_journal_is_refused_and_kept_read_only(db_path: Path) -> None:
    store = Store.open(db_path)
    store.add(Entry.new("Keep me as I am.", moment=NOON))
    before = db_path.read_bytes()
    os.chmod(db_path, 0o400)
    again = Store.open(db_path)
    assert again.count() == 1  # reading still works
    with pytest.raises(WriteFailedError) as caught:
        again.add(Entry.new("Not this.", moment=NOON))
    assert "read-only" in caught.value.message
    assert "chmod u+w" in caught.value.hint
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o400
    assert db_path.read_bytes() == before
    with pytest.raises(JournalError):
        again.log_prompt("2026-11-22", "p", "pack", "shown")
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o400


def test_cli_refuses_a_read_only_journal_in_one_line(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from journal import cli

    assert cli.main(["add", "kept"]) == 0
    os.chmod(db_path, 0o400)
    before = db_path.read_bytes()
    capsys.readouterr()
    assert cli.main(["add", "refused"]) == 1
    err = capsys.readouterr().err
    assert "is read-only" in err and "chmod u+w" in err and "Traceback" not in err
    assert db_path.read_bytes() == before
    assert stat.S_IMODE(os.stat(db_path).st_mode) == 0o400
