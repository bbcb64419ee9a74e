"""The demo journal (journal/demo.py) and ``journal --demo`` (journal/cli/demo.py)."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections import Counter
from datetime import date, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from journal import cli
from journal.cli import demo as demo_cli
from journal.demo import TODAY_PROMPT, demo_entries, demo_prompt_log, fill_demo
from journal.due import due_items, revisits_of
from journal.models import Entry, parse_timestamp
from journal.prompts import PromptLibrary
from journal.stats import compute_stats
from journal.store import Store
from tests.conftest import FROZEN
from tests.tmux import Tmux, journal_command
from tests.unit.test_architecture import import_in_fresh_interpreter

TODAY = FROZEN.date()
TZ = FROZEN.tzinfo
assert TZ is not None


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return demo_entries(TODAY, TZ)


@pytest.fixture
def filled(store: Store) -> Store:
    fill_demo(store, TODAY, TZ)
    return store


# ---- the entries -----------------------------------------------------------------------


def test_the_same_day_gives_the_same_journal(entries: list[Entry]) -> None:
    again = demo_entries(TODAY, TZ)
    assert [e.to_dict() for e in again] == [e.to_dict() for e in entries]
    assert demo_prompt_log(TODAY) == demo_prompt_log(TODAY)


def test_another_day_moves_everything_with_it(entries: list[Entry]) -> None:
    later = demo_entries(TODAY + timedelta(days=10), TZ)
    assert [e.uid for e in later] == [e.uid for e in entries]
    shifted = [(date.fromisoformat(e.day) + timedelta(days=10)).isoformat() for e in entries]
    assert [e.day for e in later] == shifted


def test_every_entry_is_valid_and_round_trips(entries: list[Entry]) -> None:
    assert len({e.uid for e in entries}) == len(entries)
    for entry in entries:
        assert Entry.from_dict(entry.to_dict()) == entry
        created = parse_timestamp(entry.created, "created")
        assert created.date().isoformat() == entry.day, entry.headline
        assert parse_timestamp(entry.updated, "updated") >= created
        assert entry.day <= TODAY.isoformat()
    assert [(e.day, e.created) for e in entries] == sorted((e.day, e.created) for e in entries)


def test_a_few_weeks_with_rest_days(entries: list[Entry]) -> None:
    days = {e.day for e in entries}
    recent = [TODAY - timedelta(days=n) for n in range(35)]
    written = [d for d in recent if d.isoformat() in days]
    assert 15 <= len(written) <= 30
    assert len(recent) - len(written) >= 5  # rest days, no streak
    assert TODAY.isoformat() in days
    # Two check-ins from about three months earlier, for the look-back.
    assert sum(1 for e in entries if e.day < (TODAY - timedelta(days=60)).isoformat()) == 2


def test_every_kind_and_a_mix_of_stars_tags_and_edits(entries: list[Entry]) -> None:
    kinds = Counter(e.kind for e in entries)
    assert kinds["reflection"] >= 10
    assert kinds["checkin"] >= 6
    assert kinds["note"] >= 2
    assert kinds["revisit"] == 1
    tagged = sum(1 for e in entries if e.tags)
    assert len(entries) / 5 <= tagged <= len(entries) / 2
    assert 2 <= sum(e.starred for e in entries) <= 6
    edited = [e for e in entries if e.updated != e.created and e.follow_up is None]
    assert 2 <= len(edited) <= 4


def test_written_entries_are_a_readable_length(entries: list[Entry]) -> None:
    for entry in entries:
        if entry.kind in ("reflection", "note"):
            words = len(entry.body.split())
            assert 40 <= words <= 200, (entry.headline, words)
    bodies = [e.body for e in entries if e.kind == "reflection"]
    assert any("\n## " in b for b in bodies)
    assert any("\n- " in b for b in bodies)
    assert any("\n## " not in b for b in bodies)


def test_every_prompt_is_a_real_one_quoted_exactly(
    entries: list[Entry], library: PromptLibrary
) -> None:
    answered = [e for e in entries if e.prompt is not None]
    assert len(answered) >= 10
    assert all(e.kind == "reflection" for e in answered)
    for entry in answered:
        assert entry.prompt is not None
        prompt = library.get(entry.prompt.id)
        assert prompt is not None, entry.prompt.id
        assert (entry.prompt.pack, entry.prompt.text) == (prompt.pack, prompt.text)
        # Headings in the body are the prompt's own follow-up questions.
        headings = [line[3:] for line in entry.body.splitlines() if line.startswith("## ")]
        assert all(h in prompt.followups for h in headings), headings
    assert len({e.prompt.pack for e in answered if e.prompt}) >= 6


def test_the_prompt_log_matches_the_reflections(
    entries: list[Entry], library: PromptLibrary
) -> None:
    log = demo_prompt_log(TODAY)
    assert all(set(r) == {"day", "prompt", "pack", "status"} for r in log)
    assert [r["day"] for r in log] == sorted(r["day"] for r in log)
    for record in log:
        prompt = library.get(record["prompt"])
        assert prompt is not None and prompt.pack == record["pack"]
    answered = {(r["day"], r["prompt"]) for r in log if r["status"] == "answered"}
    reflections = {(e.day, e.prompt.id) for e in entries if e.prompt is not None}
    assert answered == reflections
    shown = {(r["day"], r["prompt"]) for r in log if r["status"] == "shown"}
    assert answered <= shown
    assert {r["status"] for r in log} == {"shown", "answered", "skipped"}
    assert (TODAY.isoformat(), TODAY_PROMPT) in shown


def test_other_time_zones_and_days_build_too() -> None:
    # A day right after a daylight-saving change, in a named zone.
    entries = demo_entries(date(2027, 3, 29), ZoneInfo("Europe/London"))
    assert {e.day for e in entries} <= {
        (date(2027, 3, 29) - timedelta(days=n)).isoformat() for n in range(120)
    }
    far = demo_entries(date(2030, 1, 1), timezone(timedelta(hours=-8)))
    assert due_items(far, date(2030, 1, 1))


# ---- what the app will show ------------------------------------------------------------


def test_due_has_every_kind_of_item(filled: Store, entries: list[Entry]) -> None:
    items = due_items(filled, TODAY)
    statuses = Counter(i.status for i in items)
    assert statuses == {"overdue": 1, "today": 1, "upcoming": 1, "revisit": 1}
    # The revisit due today is the August-ish check-in nobody has looked back on yet; the
    # other old one was looked back on already, so it is not due any more.
    old = [
        e for e in entries if e.kind == "checkin" and e.revisit_on and e.revisit_on <= str(TODAY)
    ]
    assert len(old) == 2
    looked_back = [e for e in old if revisits_of(filled, e.uid)]
    assert len(looked_back) == 1
    (revisit,) = [i for i in items if i.status == "revisit"]
    assert revisit.due == TODAY
    assert revisit.uid not in {e.uid for e in looked_back}


def test_follow_ups_kept_on_time_late_and_missed(filled: Store, entries: list[Entry]) -> None:
    stats = compute_stats(filled, TODAY)
    assert stats.kept_on_time_pct is not None and 0 < stats.kept_on_time_pct < 100
    assert stats.follow_ups_overdue == 1
    late = [
        e
        for e in entries
        if e.follow_up and e.follow_up.done and e.follow_up.done[:10] > e.follow_up.due
    ]
    assert len(late) == 1
    for entry in entries:
        if entry.follow_up and entry.follow_up.done:
            assert entry.follow_up.done > entry.created


def test_intensity_drops_and_every_reaction_appears(filled: Store) -> None:
    stats = compute_stats(filled, TODAY)
    assert stats.intensity_before_avg is not None and stats.intensity_after_avg is not None
    assert stats.intensity_after_avg < stats.intensity_before_avg
    assert stats.intensity_pairs == stats.checkins >= 6
    assert all(count > 0 for count in stats.reactions.values())
    assert stats.revisits == 1


def test_fill_demo_is_one_write(
    store: Store, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import journal.store.jsonfile

    writes: list[Path] = []
    real_write = journal.store.jsonfile.atomic_write_bytes

    def counting(target: Path, data: bytes, mode: int = 0o600) -> None:
        writes.append(target)
        real_write(target, data, mode)

    monkeypatch.setattr(journal.store.jsonfile, "atomic_write_bytes", counting)
    fill_demo(store, TODAY, TZ)
    assert writes == [db_path]
    reopened = Store.open(db_path)
    assert reopened.count() == len(demo_entries(TODAY, TZ))
    assert [
        {k: r[k] for k in ("day", "prompt", "pack", "status")} for r in reopened.prompt_log()
    ] == demo_prompt_log(TODAY)
    assert not reopened.invalid


def test_the_demo_module_does_not_import_textual() -> None:
    report = import_in_fresh_interpreter("journal.demo", "journal.cli.demo")
    assert report["imported"] == ["journal.demo", "journal.cli.demo"]
    assert report["textual"] == []


# ---- the app and the command line -------------------------------------------------------


async def test_today_says_it_is_the_demo(make_app, filled: Store) -> None:
    from textual.widgets import Static

    from journal.tui.screens.today import DEMO_LABEL

    app = make_app(demo=True)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        label = app.screen.query_one("#demo-label", Static)
        assert str(label.content) == DEMO_LABEL
        assert app.sub_title == "demo journal"
        assert "First things" in str(
            app.screen.query_one("#today-entries").get_option_at_index(0).prompt
        )


async def test_no_demo_label_on_a_real_journal(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#demo-label")


@pytest.mark.parametrize("command", ["list", "backup", "due"])
def test_demo_is_for_the_app_only(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--demo", command]) == 2
    err = capsys.readouterr().err
    assert "--demo is for the app only" in err and command in err


def test_demo_refuses_a_db(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli.main(["--demo", "--db", str(tmp_path / "x.json")]) == 2
    assert "leave out --db" in capsys.readouterr().err
    assert not (tmp_path / "x.json").exists()


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """tempfile's folder for this test only, so leftovers are easy to see."""
    folder = tmp_path / "tmpdir"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_run_demo_uses_only_its_own_folder_and_removes_it(
    private_tmp: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from journal.tui.app import JournalApp

    seen: dict = {}

    def fake_run(self: JournalApp) -> None:
        folder = self.store.path.parent
        seen.update(
            folder=folder,
            mode=folder.stat().st_mode & 0o777,
            db=self.store.path,
            config=self.config_path,
            env_db=os.environ["JOURNAL_DB"],
            env_config=os.environ["JOURNAL_CONFIG"],
            entries=self.store.count(),
            demo=self.demo,
            start=self.start,
        )

    monkeypatch.setattr(JournalApp, "run", fake_run)
    user_db, user_config = os.environ["JOURNAL_DB"], os.environ["JOURNAL_CONFIG"]
    assert cli.main(["--demo", "checkin"]) == 0
    folder = seen["folder"]
    assert folder.parent == private_tmp and folder.name.startswith(demo_cli.DEMO_PREFIX)
    assert seen["mode"] == 0o700
    assert seen["db"] == folder / "journal.json"
    assert seen["config"].parent == folder
    assert Path(seen["env_db"]).parent == folder and Path(seen["env_config"]).parent == folder
    assert seen["entries"] == len(demo_entries(TODAY, TZ))
    assert seen["demo"] is True and seen["start"] == "checkin"
    # Gone afterwards, and the user's paths are back and untouched.
    assert list(private_tmp.iterdir()) == []
    assert (os.environ["JOURNAL_DB"], os.environ["JOURNAL_CONFIG"]) == (user_db, user_config)
    assert not Path(user_db).exists() and not Path(user_config).exists()


def test_run_demo_cleans_up_after_an_error(
    private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from journal.tui.app import JournalApp

    def crash(self: JournalApp) -> None:
        assert len(list(private_tmp.iterdir())) == 1  # the folder exists while it runs
        raise RuntimeError("boom")

    monkeypatch.setattr(JournalApp, "run", crash)
    with pytest.raises(RuntimeError, match="boom"):
        demo_cli.run_demo()
    assert list(private_tmp.iterdir()) == []


# ---- end to end in a real terminal -------------------------------------------------------


def _files_under(*folders: Path) -> set[Path]:
    return {p for folder in folders if folder.exists() for p in folder.rglob("*")}


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_journal_demo_in_a_terminal(tmp_path: Path) -> None:
    tmpdir = tmp_path / "tmpdir"
    tmpdir.mkdir()
    home = Path(os.environ["HOME"])
    env = {
        "JOURNAL_DB": os.environ["JOURNAL_DB"],
        "JOURNAL_CONFIG": os.environ["JOURNAL_CONFIG"],
        "HOME": str(home),
        "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"],
        "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"],
        "XDG_STATE_HOME": os.environ["XDG_STATE_HOME"],
        "XDG_CACHE_HOME": os.environ["XDG_CACHE_HOME"],
        "TMPDIR": str(tmpdir),
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }
    watched = [home, Path(env["JOURNAL_DB"]).parent, Path(env["JOURNAL_CONFIG"]).parent]
    before = _files_under(*watched)
    tmux = Tmux(env, width=120, height=36)
    try:
        tmux.start(journal_command() + " --demo")
        screen = tmux.wait_for("demo journal")
        screen = tmux.wait_for("First things")
        assert "overdue" in screen and "Send Larkfield" in screen
        demo_folders = [p for p in tmpdir.iterdir() if p.name.startswith(demo_cli.DEMO_PREFIX)]
        assert len(demo_folders) == 1 and (demo_folders[0] / "journal.json").exists()
        tmux.send("C-q")
        tmux.wait_gone()
    finally:
        tmux.kill()
    assert list(tmpdir.iterdir()) == []
    assert _files_under(*watched) == before
    assert not Path(env["JOURNAL_DB"]).exists()
    assert not Path(env["JOURNAL_CONFIG"]).exists()
