"""The weekly review screen (f8) and what Today shows for the feed's moments (Pilot)."""

from __future__ import annotations

from datetime import date, timedelta

from textual.widgets import Static, TextArea

from journal.config import Settings
from journal.models import Entry
from journal.prompts import review_body, review_title, review_week
from journal.tui.dialogs.confirm import ConfirmScreen
from journal.tui.screens.weekly_review import WeeklyReviewScreen, week_text
from journal.tui.widgets.prompt_card import PromptCard
from tests.conftest import FROZEN

SUNDAY = FROZEN.date()  # 22 Nov 2026
assert SUNDAY.weekday() == 6


def test_review_title_and_body() -> None:
    assert review_week(SUNDAY) == (date(2026, 11, 16), SUNDAY)
    assert review_title(SUNDAY) == "Weekly review · 16–22 Nov 2026"
    assert review_title(date(2026, 12, 2)) == "Weekly review · 26 Nov – 2 Dec 2026"
    assert review_title(date(2027, 1, 3)) == "Weekly review · 28 Dec 2026 – 3 Jan 2027"
    body = review_body(["First?", "Second?"], ["  An answer. ", ""])
    assert body == "## First?\n\nAn answer.\n"
    assert review_body(["First?"], [" "]) == ""


def test_week_text_lists_entries_and_checkins_escaped() -> None:
    entries = [
        Entry.new("Quiet day.", day=SUNDAY - timedelta(days=2), moment=FROZEN),
        Entry.new("x", title="Sam\x1b[31m call", kind="checkin", day=SUNDAY, moment=FROZEN),
    ]
    text = week_text(entries, SUNDAY)
    assert text.splitlines()[0] == "2 entries, 1 check-in"
    assert "Fri 20  Quiet day." in text
    assert "Sun 22  check-in · Sam" in text and "\x1b" not in text


async def test_weekly_review_saves_one_tagged_entry(make_app, store) -> None:
    store.add(Entry.new("Monday went well.", day=SUNDAY - timedelta(days=6), moment=FROZEN))
    store.add(Entry.new("x", title="Hard call", kind="checkin", day=SUNDAY, moment=FROZEN))
    store.add(Entry.new("Too old for this week.", day=SUNDAY - timedelta(days=7), moment=FROZEN))
    app = make_app(settings=Settings(review_weekday=6))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, WeeklyReviewScreen)
        listed = str(screen.query_one("#review-entries", Static).render())
        assert "Monday went well." in listed and "check-in · Hard call" in listed
        assert "Too old" not in listed
        assert 1 <= len(screen.questions) <= 2
        await pilot.press(*"Steadier than last week.")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, WeeklyReviewScreen)
    reviews = [e for e in store.entries() if "weekly-review" in e.tags]
    assert len(reviews) == 1
    review = reviews[0]
    assert review.title == "Weekly review · 16–22 Nov 2026" and review.kind == "reflection"
    assert "Steadier than last week." in review.body
    assert review.prompt is not None and review.prompt.text.split()[0] in review.body


async def test_escape_with_text_asks_first(make_app, store) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press(*"Half a thought")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)  # save, discard or keep writing
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, WeeklyReviewScreen)
        assert app.screen.answers()[0] == "Half a thought"


async def test_today_shows_a_lookback_beside_its_entry(make_app, store) -> None:
    start = SUNDAY - timedelta(days=200)
    store.add(Entry.new("The first entry.", day=start, moment=FROZEN))
    old = store.add(Entry.new("x", title="Brookside", day=SUNDAY - timedelta(days=92)))
    # Review on Thursday: the weekly look-back day is Sunday (three days after).
    app = make_app(settings=Settings(review_weekday=3))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        card = app.screen.query_one(PromptCard)
        assert card.prompt is not None and "revisit" in card.prompt.when
        assert card.lookback is not None and card.lookback.uid == old.uid
        shown = str(app.screen.query_one("#prompt-lookback", Static).render())
        assert "Brookside" in shown


async def test_after_a_checkin_today_offers_a_tough_call_prompt(make_app, store) -> None:
    app = make_app(settings=Settings(review_weekday=None))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        card = app.screen.query_one(PromptCard)
        first = card.prompt
        assert first is not None
        # A check-in saved (as the check-in screen does), then back on Today.
        store.add(Entry.new("x", kind="checkin", moment=FROZEN + timedelta(minutes=5)))
        app.home.on_screen_resume()
        await pilot.pause()
        assert card.prompt is not None and card.prompt != first
        assert "after-a-tough-call" in card.prompt.when
        editor = app.screen.query_one("#editor", TextArea)
        assert editor.has_focus


async def test_weekly_review_answers_are_autosaved_and_offered_back(make_app, store) -> None:
    """A kill while reviewing costs a moment of typing at most: the answers are a draft on
    disk as they are typed, and the next start offers them back; a save removes the draft."""
    import orjson

    from journal.store.drafts import Draft, draft_files

    def drafts_on_disk() -> list[Draft]:
        return [Draft.from_dict(orjson.loads(p.read_bytes())) for p in draft_files(store.path)]

    app = make_app(settings=Settings(review_weekday=6))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, WeeklyReviewScreen)
        await pilot.press(*"Kinder to myself on Thursday.")
        await pilot.pause(0.4)  # the draft follows within drafting.INTERVAL
        drafts = drafts_on_disk()
        bodies = [d.body for d in drafts]
        assert any("Kinder to myself on Thursday." in b for b in bodies), bodies
        review = next(d for d in drafts if "Kinder" in d.body)
        assert review.title == review_title(SUNDAY) and review.tags == "weekly-review"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not [d for d in drafts_on_disk() if "Kinder" in d.body]
    assert [e.title for e in store.entries()] == [review_title(SUNDAY)]


async def test_a_killed_weekly_review_is_offered_back_at_the_next_start(make_app, store) -> None:
    from journal.store.drafts import Draft, DraftBox

    # What a killed review session leaves: its draft file, its lock released.
    box = DraftBox(store.path)
    body = review_body(["How did the week go?"], ["Better than it felt."])
    box.save(Draft(title=review_title(SUNDAY), tags="weekly-review", body=body))
    box.close()
    app = make_app(settings=Settings(review_weekday=6))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.click("#answer-restore")
        await pilot.pause()
        editor = app.screen.query_one("#editor", TextArea)
        assert "Better than it felt." in editor.text
