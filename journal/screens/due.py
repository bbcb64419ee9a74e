"""Acting on what is due, for any screen that shows a :class:`DueList` (Today does).

The list only posts messages; these helpers do the store work on the screen's behalf:
refresh the list, open the follow-up dialog and record its outcome, open a revisit.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from journal.checkin import due_items, mark_done, move_follow_up, short_day
from journal.errors import JournalError
from journal.stats import compute_stats
from journal.widgets.due_list import DueList

if TYPE_CHECKING:
    from textual.screen import Screen

    from journal.app import JournalApp


def stats_line(app: JournalApp, day: date) -> str:
    """A short line for the due panel: the follow-up record, if there is one yet."""
    stats = compute_stats(app.store, day)
    if stats.kept_on_time_pct is None:
        return ""
    return f"kept on time {stats.kept_on_time_pct:.0f}%"


def refresh_due(screen: Screen, day: date) -> None:
    """Reload what is due into the screen's :class:`DueList` (hidden when nothing is)."""
    app: JournalApp = screen.app  # type: ignore[assignment]
    found = screen.query(DueList)
    if not found:
        return
    try:
        items = due_items(app.store, day)
        summary = stats_line(app, day) if items else ""
    except JournalError as exc:
        app.report(exc, title="Could not work out what is due")
        return
    found.first().show(items, summary)


def pick_follow_up(screen: Screen, uid: str, day: date) -> None:
    """Open the dialog for the follow-up of entry ``uid`` and record what the user chose."""
    from journal.screens.follow_up import FollowUpChoice, FollowUpScreen

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
    from journal.screens.revisit import RevisitScreen

    app: JournalApp = screen.app  # type: ignore[assignment]
    entry = app.store.get(uid)
    if entry is None:
        app.notify("That entry no longer exists.", severity="warning")
        refresh_due(screen, day)
        return

    def closed(_uid: str | None) -> None:
        refresh_due(screen, day)

    app.push_screen(RevisitScreen(entry), closed)
