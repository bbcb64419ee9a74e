"""The flows: work of many steps that a key or a message starts, done for the app or a screen.

What is due, for any screen that shows a :class:`DueList` (Today does): the list only posts
messages; these helpers refresh it, open the follow-up dialog and record its outcome, open a
revisit. Markdown out and back in: :func:`start_export` and :func:`start_import` open the
dialogs of ``dialogs/transfer.py``, ask before overwriting anything, run the slow part on a
:class:`TransferScreen` and report with a notification (an import also with
:class:`EntriesChanged`, so the screen in front shows the new entries).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual.worker import get_current_worker

from journal.dates import short_day
from journal.due import DueItem, due_items, mark_done, move_follow_up
from journal.errors import JournalError
from journal.tui.dialogs.confirm import ConfirmScreen
from journal.tui.messages import EntriesChanged
from journal.tui.widgets.due_list import DueList

if TYPE_CHECKING:
    from textual.screen import Screen

    from journal.transfer.export import ExportResult, ProgressFn
    from journal.transfer.importers import ImportPlan, Source
    from journal.tui.app import JournalApp
    from journal.tui.dialogs.transfer import ExportRequest, ImportRequest


#: Up to this many entries what is due is worked out at once. A bigger journal works it out in
#: a thread worker after the next frame, so neither the first frame nor a save waits for it.
SYNC_LIMIT = 1_000


def _app(screen: Screen[Any]) -> JournalApp:
    # Every screen of this app is on a JournalApp; Textual types screen.app as any App.
    return cast("JournalApp", screen.app)


# ---- what is due -------------------------------------------------------------------------------


def _work_out(app: JournalApp, day: date) -> list[DueItem] | JournalError:
    """What is due, or the problem that stopped it working it out."""
    try:
        return due_items(app.store, day)
    except JournalError as exc:
        return exc


def _show(screen: Screen[Any], result: list[DueItem] | JournalError) -> None:
    app = _app(screen)
    if isinstance(result, JournalError):
        app.report(result, title="Could not work out what is due")
        return
    found = screen.query(DueList)
    if found:
        found.first().show(result)


def refresh_due(screen: Screen[Any], day: date) -> None:
    """Reload what is due into the screen's :class:`DueList` (hidden when nothing is).

    A small journal is done at once; a large one in a thread worker started after the next
    refresh, whose result is shown unless a newer refresh replaced it meanwhile.
    """
    app = _app(screen)
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


def pick_follow_up(screen: Screen[Any], uid: str, day: date) -> None:
    """Open the dialog for the follow-up of entry ``uid`` and record what the user chose."""
    from journal.tui.dialogs.follow_up import FollowUpChoice, FollowUpScreen

    app = _app(screen)
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
            elif choice.due is not None:
                updated = move_follow_up(current, choice.due, moment)
                message = f"Moved to {short_day(choice.due)}."
            else:
                return  # the dialog sends a move only with its new date
            app.store.update(updated, expected=current, touch=False)
        except JournalError as exc:
            app.report(exc, title="Follow-up not changed")
            return
        app.notify(message, title="Follow-up", markup=False)
        refresh_due(screen, day)

    app.push_screen(FollowUpScreen(entry, day), chosen)


def pick_revisit(screen: Screen[Any], uid: str, day: date) -> None:
    """Open the revisit screen for entry ``uid``."""
    from journal.tui.screens.revisit import RevisitScreen

    app = _app(screen)
    entry = app.store.get(uid)
    if entry is None:
        app.notify("That entry no longer exists.", severity="warning")
        refresh_due(screen, day)
        return

    def closed(_uid: str | None) -> None:
        refresh_due(screen, day)

    app.push_screen(RevisitScreen(entry), closed)


# ---- Markdown out and back in (called by the app's actions) -----------------------------------


# The transfer dialogs and writers are imported on first use, like the screens: a start pays
# only for what Today shows.


def start_export(app: JournalApp) -> None:
    """Ask what to export, confirm any overwrite, export with progress, say where it went."""
    from journal.transfer.export import (
        ExportError,
        export_conflict,
        export_file,
        export_per_entry,
    )
    from journal.tui.dialogs.transfer import ExportScreen, TransferScreen

    def chosen(request: ExportRequest | None) -> None:
        if request is None:
            return
        try:
            conflict = export_conflict(request.path, per_entry=request.per_entry)
        except ExportError as exc:
            app.report(exc, title="Not exported")
            return
        if not conflict:
            run(request, force=False)
            return
        what = (
            "Write the export into it? Files with the same names are replaced, and files a "
            "previous export wrote there and this one does not are removed; other files stay."
            if request.per_entry
            else "Replace it with this export?"
        )
        app.push_screen(
            ConfirmScreen(
                f"{conflict} {what}",
                [("overwrite", "Overwrite", "error"), ("cancel", "Cancel", "default")],
                title="Overwrite?",
            ),
            lambda answer: run(request, force=True) if answer == "overwrite" else None,
        )

    def run(request: ExportRequest, *, force: bool) -> None:
        def job(progress: ProgressFn) -> ExportResult:
            if request.per_entry:
                return export_per_entry(
                    app.store, request.path, request.flt, force=force, progress=progress
                )
            return export_file(app.store, request.path, request.flt, force=force, progress=progress)

        def done(_: bool | None) -> None:
            if screen.result is not None:
                app.notify(screen.result.describe(), title="Exported", timeout=10)

        screen: TransferScreen[ExportResult] = TransferScreen(
            f"Exporting to {request.path}", job, lambda result: result.describe() + "."
        )
        app.push_screen(screen, done)

    app.push_screen(ExportScreen(), chosen)


def _plan_text(plan: ImportPlan, *, dry_run: bool) -> str:
    from journal.transfer.importers import describe_changes

    lines = [plan.summary(dry_run=dry_run)]
    if dry_run:
        listing = list(describe_changes(plan))
        lines += [line.strip() for line in listing[:8]]
        if len(listing) > 8:
            lines.append(f"…and {len(listing) - 8} more")
    lines += plan.warnings
    if dry_run and not plan.changes:
        lines.append("Nothing to import: the journal already has all of it.")
    return "\n".join(lines)


def start_import(app: JournalApp) -> None:
    """Ask what to import, preview it (a dry run), then import it on request, with progress."""
    from journal.transfer.importers import import_source, read_source
    from journal.tui.dialogs.transfer import ImportScreen, TransferScreen

    def chosen(request: ImportRequest | None) -> None:
        if request is None:
            return
        state: dict[str, Source] = {}

        def preview(progress: ProgressFn) -> ImportPlan:
            source = read_source(request.path, request.fmt, progress=progress)
            state["source"] = source
            return import_source(app.store, request.path, source, dry_run=True)

        def previewed(confirmed: bool | None) -> None:
            if confirmed and "source" in state:
                apply(request.path, state["source"])

        app.push_screen(
            TransferScreen(
                f"Reading {request.path}",
                preview,
                lambda plan: _plan_text(plan, dry_run=True),
                confirm=lambda plan: "Import" if plan.changes else None,
            ),
            previewed,
        )

    def apply(path: Path, source: Source) -> None:
        def job(progress: ProgressFn) -> ImportPlan:
            progress(0, 1)
            plan = import_source(app.store, path, source)
            progress(1, 1)
            return plan

        def done(_: bool | None) -> None:
            plan = screen.result
            if plan is None:
                return
            app.notify(plan.summary(), title="Imported", timeout=10)
            app.screen.post_message(EntriesChanged())

        screen: TransferScreen[ImportPlan] = TransferScreen(
            f"Importing {path}", job, lambda plan: _plan_text(plan, dry_run=False)
        )
        app.push_screen(screen, done)

    app.push_screen(ImportScreen(), chosen)
