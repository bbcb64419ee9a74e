"""``journal prompt --json --date D`` and the app's Today on day D offer the same prompt for the
same reason: on an ordinary day, the weekly-review day, a look-back day and after a check-in,
before the app has logged the prompt and after (issue 16)."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import pytest

import journal.cli.common
import journal.cli.entries
from journal.cli import main
from journal.config import Settings
from journal.models import Entry
from journal.store import Store
from journal.tui.widgets.prompt_card import PromptCard, lookback_text

ZONE = timezone(timedelta(hours=1))

#: Each moment and the day it falls on, in the journal built below (review weekday Friday).
DAYS = {
    "daily": date(2026, 11, 25),  # a Wednesday
    "weekly-review": date(2026, 11, 27),  # a Friday
    "revisit": date(2026, 11, 30),  # a Monday: the entry of 29 Aug is three months old
    "after-a-tough-call": date(2026, 12, 1),  # a check-in that morning
}


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 30), tzinfo=ZONE)


def cli_prompt(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, now: datetime
) -> dict[str, object]:
    monkeypatch.setattr(journal.cli.common, "today", lambda: now.date())
    monkeypatch.setattr(journal.cli.entries, "now_local", lambda: now)
    assert main(["prompt", "--json", "--date", now.date().isoformat()]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


@pytest.mark.parametrize("kind", list(DAYS))
async def test_cli_prompt_agrees_with_the_app(
    kind: str,
    make_app,
    db_path: Path,
    store: Store,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    start = date(2026, 1, 5)
    store.add(Entry.new("First day.", day=start, moment=at(start, 9)))
    store.add(Entry.new("Three months back.", title="Back then", day=date(2026, 8, 29)))
    call_day = DAYS["after-a-tough-call"]
    store.add(
        Entry.new(
            "The delivery was late again.",
            title="Tough call",
            kind="checkin",
            day=call_day,
            checkin={"intensity_before": 7, "intensity_after": 4},
            revisit_on=(call_day + timedelta(days=90)).isoformat(),
            moment=at(call_day, 8),
        )
    )
    # A starred prompt: the CLI and the app read the stars the same way.
    store.set_prompt_starred("what-went-well-001", True)
    store.close()
    day = DAYS[kind]
    now = at(day, 9)

    before = cli_prompt(capsys, monkeypatch, now)
    app = make_app(store=Store.open(db_path), settings=Settings(), clock=lambda: now)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        card = app.screen.query_one(PromptCard)
        choice = app.screen.choice  # type: ignore[attr-defined]
        assert card.prompt is not None and choice is not None
        assert choice.kind == kind
        shown = (card.prompt.id, choice.to_dict())
        if kind == "revisit":
            # The app shows the entry beside the look-back, as the CLI names it.
            assert choice.lookback is not None and card.lookback == choice.lookback
            assert "Back then" in lookback_text(card.lookback)
        await pilot.pause()
    app.store.close()
    after = cli_prompt(capsys, monkeypatch, now)  # now the app has logged it as shown

    for data in (before, after):
        assert (data["id"], data["reason"]) == shown
        assert data["day"] == day.isoformat()
        assert kind in data["when"]  # type: ignore[operator]
