"""Acting on what is due, for any screen that shows a :class:`DueList` (Today does).

The list only posts messages; these helpers do the store work on the screen's behalf:
refresh the list, open the follow-up dialog and record its outcome, open a revisit.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from textual.worker import get_current_worker

from journal.dates import short_day
from journal.due import DueItem, due_items, mark_done, move_follow_up
from journal.errors import JournalError
from journal.stats import compute_stats
from journal.tui.widgets.due_list import DueList

if TYPE_CHECKING:
    from textual.screen import Screen

    from journal.tui.app import JournalApp


#: Up to this many entries what is due is worked out at once (a few milliseconds). A bigger
#: journal works it out in a thread worker after the next frame, so neither the first frame
#: nor a save waits for it (36,500 entries: ~50 ms of work).
SYNC_LIMIT = 1_000


def stats_line(app: JournalApp, day: date) -> str:
    """A short line for the due panel: the follow-up record, if there is one yet."""
    stats = compute_stats(app.store, day)
    if stats.kept_on_time_pct is None:
        return ""
    return f"kept on time {stats.kept_on_time_pct:.0f}%"


def _work_out(app: JournalApp, day: date) -> tuple[list[DueItem], str] | JournalError:
    """What is due and the panel's summary line, or the problem that stopped it."""
    try:
        items = due_items(app.store, day)
        return items, stats_line(app, day) if items else ""
    except JournalError as exc:
        return exc


def _show(screen: Screen, result: tuple[list[DueItem], str] | JournalError) -> None:
    app: JournalApp = screen.app  # type: ignore[assignment]
    if isinstance(result, JournalError):
        app.report(result, title="Could not work out what is due")
        return
    found = screen.query(DueList)
    if found:
        found.first().show(*result)


def refresh_due(screen: Screen, day: date) -> None:
    """Reload what is due into the screen's :class:`DueList` (hidden when nothing is).

    A small journal is done at once; a large one in a thread worker started after the next
    refresh, whose result is shown unless a newer refresh replaced it meanwhile.
    """
    app: JournalApp = screen.app  # type: ignore[assignment]
    if not screen.query(DueList):
        return
    if app.store.count() <= SYNC_LIMIT:
        _show(screen, _work_out(app, day))
        return

    def in_thread() -> None:
        worker = get_current_worker()
        result = _work_out(app, day)
        if not worker.is_cancelled and screen.is_attached:
            app.call_from_thread(_show, screen, result)

    def start() -> None:
        if screen.is_attached:
            screen.run_worker(
                in_thread, thread=True, exclusive=True, group="due", exit_on_error=False
            )

    screen.call_after_refresh(start)


def pick_follow_up(screen: Screen, uid: str, day: date) -> None:
    """Open the dialog for the follow-up of entry ``uid`` and record what the user chose."""
    from journal.tui.dialogs.follow_up import FollowUpChoice, FollowUpScreen

    app: JournalApp = screen.app  # type: ignore[assignment]
    entry = app.store.get(uid)
    if entry is None or entry.follow_up is None or entry.follow_up.is_done:
        app.notify("That follow-up is no longer open.", severity="warning")
        refresh_due(screen, day)
        return

    def chosen(choice: FollowUpChoice | None) -> None:
        if choice is None:
            return
        current = app.store.get(uid)
        if current is None:
            app.notify("That entry no longer exists.", severity="warning")
            refresh_due(screen, day)
            return
        moment = app.now()
        try:
            if choice.action == "done":
                updated = mark_done(current, moment, choice.note)
                message = f"Done: {current.follow_up.action if current.follow_up else ''}"
            else:
                assert choice.due is not None
                updated = move_follow_up(current, choice.due, moment)
                message = f"Moved to {short_day(choice.due)}."
            app.store.update(updated, touch=False)
        except JournalError as exc:
            app.report(exc, title="Follow-up not changed")
            return
        app.notify(message, title="Follow-up", markup=False)
        refresh_due(screen, day)

    app.push_screen(FollowUpScreen(entry, day), chosen)


def pick_revisit(screen: Screen, uid: str, day: date) -> None:
    """Open the revisit screen for entry ``uid``."""
    from journal.tui.screens.revisit import RevisitScreen

    app: JournalApp = screen.app  # type: ignore[assignment]
    entry = app.store.get(uid)
    if entry is None:
        app.notify("That entry no longer exists.", severity="warning")
        refresh_due(screen, day)
        return

    def closed(_uid: str | None) -> None:
        refresh_due(screen, day)

    app.push_screen(RevisitScreen(entry), closed)
