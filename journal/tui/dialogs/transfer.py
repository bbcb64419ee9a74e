"""Export and import in the app: two dialogs that ask, one progress screen that does the work.

``ctrl+e`` opens :class:`ExportScreen` (what, where, which format); the palette command
"Import Markdown or jrnl JSON…" opens :class:`ImportScreen`. The dialogs only collect input
and dismiss with a request; the flows in ``journal/tui/flows.py`` (called by the app's actions)
ask before overwriting anything and run the slow part in a thread worker on
:class:`TransferScreen`, whose progress bar follows the work and which says, at the end,
where the files went or what was added.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    ProgressBar,
    RadioButton,
    RadioSet,
    Select,
    Static,
)
from textual.worker import Worker, WorkerState

from journal.dates import DateError, parse_date
from journal.errors import JournalError
from journal.models import KINDS
from journal.store import EntryFilter, make_filter
from journal.transfer.export import ExportError, ProgressFn, export_conflict

if TYPE_CHECKING:
    from journal.tui.app import JournalApp

DEFAULT_FILE = "~/journal-export.md"
DEFAULT_FOLDER = "~/journal-export"
T = TypeVar("T")


@dataclass(frozen=True)
class ExportRequest:
    """What the export dialog asks for."""

    path: Path
    per_entry: bool
    flt: EntryFilter


@dataclass(frozen=True)
class ImportRequest:
    """What the import dialog asks for (``fmt`` None: detect it)."""

    path: Path
    fmt: str | None


# ---- export dialog ---------------------------------------------------------------------------


class ExportScreen(ModalScreen[ExportRequest | None]):
    """Ask what to export (filters), where, and as one file or one file per entry."""

    app: JournalApp

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        # Not a priority key: the keys typed before it reach the fields first.
        Binding("ctrl+s", "export", "Export"),
        # Enter exports from anywhere in the dialog (the format, a checkbox, a field), except
        # on a button, which does what it says, and in a drop-down, which picks (check_action).
        Binding("enter", "export_on_enter", "Export", priority=True, show=False),
    ]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter is left to a focused button or drop-down; everywhere else it exports."""
        focused = self.focused
        if (
            action == "export_on_enter"
            and focused is not None
            and (
                isinstance(focused, Button)
                or any(isinstance(node, Select) for node in focused.ancestors_with_self)
            )
        ):
            return False
        return super().check_action(action, parameters)

    def action_export_on_enter(self) -> None:
        """Enter: export, as the Export button would."""
        self.action_export()

    def compose(self) -> ComposeResult:
        """Format, path, filters, a live count and the buttons."""
        with Vertical(id="export-dialog", classes="dialog transfer-dialog"):
            yield Static("Export to Markdown", classes="dialog-title")
            if self.app.store.encrypted:
                # Said before anything is written (crypto.py): the export is not encrypted.
                yield Static(
                    "Note: your journal is encrypted; this export is plain text.",
                    id="export-plain-warning",
                    classes="transfer-warning",
                )
            yield Label("Format", classes="transfer-label")
            with RadioSet(id="export-format"):
                yield RadioButton("One Markdown file", value=True, id="format-file")
                yield RadioButton("One file per entry (a folder)", id="format-folder")
            yield Label("Where", classes="transfer-label")
            yield Input(
                DEFAULT_FILE, placeholder="a file or a folder", id="export-path", compact=True
            )
            yield Label("Which entries (empty: all of them)", classes="transfer-label")
            with Horizontal(classes="transfer-row"):
                yield Input(placeholder="Since, e.g. -4w", id="export-since", compact=True)
                yield Input(placeholder="Until, e.g. today", id="export-until", compact=True)
                yield Input(placeholder="Tags", id="export-tag", compact=True)
            with Horizontal(classes="transfer-row -spaced"):
                yield Input(placeholder="Words…", id="export-search", compact=True)
                yield Select(
                    [(k, k) for k in KINDS], prompt="Any kind", id="export-kind", compact=True
                )
                yield Checkbox("Starred only", id="export-starred", compact=True)
            yield Static("", id="export-summary", classes="transfer-summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Export", id="export-go", variant="primary", compact=True)
                yield Button("Cancel", id="export-cancel", compact=True)

    def on_mount(self) -> None:
        """The cursor starts on the format; then count what would be exported."""
        self.query_one("#export-format", RadioSet).focus()
        self._update_summary()

    @property
    def per_entry(self) -> bool:
        """Whether "one file per entry" is chosen."""
        return self.query_one("#format-folder", RadioButton).value

    def read_filter(self) -> tuple[EntryFilter, list[str]]:
        """The filter the fields describe, and the problems found reading them."""
        today = self.app.today()
        problems: list[str] = []
        dates: dict[str, str | None] = {"since": None, "until": None}
        for name in dates:
            text = self.query_one(f"#export-{name}", Input).value.strip()
            if text:
                try:
                    dates[name] = parse_date(text, today, "past").isoformat()
                except DateError as exc:
                    problems.append(f"{name.capitalize()}: {exc.message}")
        tag = self.query_one("#export-tag", Input).value.strip()
        kind = self.query_one("#export-kind", Select).value
        flt = make_filter(
            since=dates["since"],
            until=dates["until"],
            tags=[t for t in tag.replace(",", " ").split() if t],
            kind=None if kind is Select.NULL else str(kind),
            search=self.query_one("#export-search", Input).value or None,
            starred=True if self.query_one("#export-starred", Checkbox).value else None,
        )
        return flt, problems

    @on(Input.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _update_summary(self) -> None:
        flt, problems = self.read_filter()
        summary = self.query_one("#export-summary", Static)
        summary.set_class(bool(problems), "-error")
        if problems:
            summary.update("\n".join(problems))
            return
        store = self.app.store
        total = store.count()
        matching = store.count(flt)
        noun = "entry" if matching == 1 else "entries"
        text = f"{matching} {noun}" + (f" of {total}" if matching != total else "")
        path_text = self.query_one("#export-path", Input).value.strip()
        if path_text:
            try:
                conflict = export_conflict(Path(path_text).expanduser(), per_entry=self.per_entry)
            except ExportError as exc:
                summary.set_class(True, "-error")
                summary.update(exc.message)
                return
            if conflict:
                text += f". {conflict} You will be asked before anything is replaced."
        summary.update(text)

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self) -> None:
        # Follow the format with the default path, unless the user typed their own.
        path = self.query_one("#export-path", Input)
        if self.per_entry and path.value.strip() == DEFAULT_FILE:
            path.value = DEFAULT_FOLDER
        elif not self.per_entry and path.value.strip() == DEFAULT_FOLDER:
            path.value = DEFAULT_FILE
        self._update_summary()

    @on(Input.Submitted)
    @on(Button.Pressed, "#export-go")
    def action_export(self) -> None:
        """Check the answers and hand back the request."""
        flt, problems = self.read_filter()
        path_text = self.query_one("#export-path", Input).value.strip()
        if not path_text:
            problems.append("Where: give a file or folder name.")
        if problems:
            summary = self.query_one("#export-summary", Static)
            summary.set_class(True, "-error")
            summary.update("\n".join(problems))
            return
        self.dismiss(ExportRequest(Path(path_text).expanduser(), self.per_entry, flt))

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        """Close without exporting."""
        self.dismiss(None)


# ---- import dialog ---------------------------------------------------------------------------


class ImportScreen(ModalScreen[ImportRequest | None]):
    """Ask what to import: a path and, if detection is not wanted, its format."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        """Path, format and the buttons."""
        with Vertical(id="import-dialog", classes="dialog transfer-dialog"):
            yield Static("Import Markdown or jrnl JSON", classes="dialog-title")
            yield Static(
                "A folder from a per-entry export, a file from a one-file export, or a jrnl "
                "JSON export (jrnl --export json). You will see what it adds, updates and "
                "skips before anything changes.",
                classes="dialog-body",
            )
            yield Label("From", classes="transfer-label")
            yield Input(
                placeholder="~/journal-export or ~/jrnl.json", id="import-path", compact=True
            )
            yield Label("Format", classes="transfer-label")
            yield Select(
                [("journal export (folder or .md file)", "journal"), ("jrnl JSON", "jrnl")],
                prompt="Detect it",
                id="import-format",
                compact=True,
            )
            yield Static("", id="import-summary", classes="transfer-summary")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Preview", id="import-go", variant="primary")
                yield Button("Cancel", id="import-cancel")

    def on_mount(self) -> None:
        """The cursor starts in the path."""
        self.query_one("#import-path", Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#import-go")
    def action_preview(self) -> None:
        """Check the path and hand back the request."""
        text = self.query_one("#import-path", Input).value.strip()
        summary = self.query_one("#import-summary", Static)
        summary.set_class(True, "-error")
        if not text:
            summary.update("From: give the folder or file to import.")
            return
        path = Path(text).expanduser()
        if not path.exists():
            summary.update(f"{path} does not exist.")
            return
        fmt = self.query_one("#import-format", Select).value
        self.dismiss(ImportRequest(path, None if fmt is Select.NULL else str(fmt)))

    @on(Button.Pressed, "#import-cancel")
    def action_cancel(self) -> None:
        """Close without importing."""
        self.dismiss(None)


# ---- the work, with progress -------------------------------------------------------------------


class TransferScreen(ModalScreen[bool], Generic[T]):
    """Run one slow job in a thread with a progress bar, then say what happened.

    ``job(progress)`` runs in a worker thread and calls ``progress(done, total)`` as it goes;
    ``describe(result)`` is the sentence shown at the end. With ``confirm`` set, a button of
    that name offers the next step (dismissing with True); closing dismisses with False.
    The screen cannot be closed while the job runs: an import must not be half-reported.
    """

    BINDINGS = [Binding("escape", "close", "Close")]

    def __init__(
        self,
        title: str,
        job: Callable[[ProgressFn], T],
        describe: Callable[[T], str],
        *,
        confirm: str | Callable[[T], str | None] | None = None,
    ) -> None:
        super().__init__()
        self.title_text = title
        self.job = job
        self.describe = describe
        self.confirm = confirm
        self.result: T | None = None
        self.error: BaseException | None = None

    def compose(self) -> ComposeResult:
        """Title, progress bar, status and the buttons."""
        with Vertical(id="transfer-dialog", classes="dialog transfer-dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield ProgressBar(id="transfer-progress", show_eta=False)
            yield Static("Working…", id="transfer-status", classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Go ahead", id="transfer-confirm", variant="primary")
                yield Button("Close", id="transfer-close", disabled=True)

    def on_mount(self) -> None:
        """Start the job."""
        self.query_one("#transfer-confirm", Button).display = False
        self.run_worker(self._run, thread=True, exit_on_error=False, name="transfer")

    @property
    def running(self) -> bool:
        """Whether the job is still going."""
        return self.query_one("#transfer-close", Button).disabled

    def _run(self) -> T:
        return self.job(self._progress)

    def _progress(self, done: int, total: int) -> None:
        # Called from the worker thread: hand the numbers to the UI thread.
        self.app.call_from_thread(self._show_progress, done, total)

    def _show_progress(self, done: int, total: int) -> None:
        self.query_one("#transfer-progress", ProgressBar).update(total=max(total, 1), progress=done)
        self.query_one("#transfer-status", Static).update(f"{done:,} of {total:,}…")

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Show the result (or the problem) when the job ends."""
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        status = self.query_one("#transfer-status", Static)
        bar = self.query_one("#transfer-progress", ProgressBar)
        close = self.query_one("#transfer-close", Button)
        close.disabled = False
        if event.state == WorkerState.SUCCESS:
            # The one worker of this screen runs _run, which returns the job's T.
            result = cast("T", event.worker.result)
            self.result = result
            total = bar.total if bar.total else 1
            bar.update(total=total, progress=total)
            status.update(self.describe(result))
            label = self.confirm(result) if callable(self.confirm) else self.confirm
            if label:
                confirm = self.query_one("#transfer-confirm", Button)
                confirm.label = label
                confirm.display = True
                confirm.focus()
                return
        else:
            self.error = event.worker.error
            status.set_class(True, "-error")
            if isinstance(self.error, JournalError):
                status.update(
                    self.error.message + (f"\n{self.error.hint}" if self.error.hint else "")
                )
            else:
                status.update(f"Something went wrong: {self.error}")
        close.focus()

    @on(Button.Pressed, "#transfer-confirm")
    def _confirmed(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#transfer-close")
    def action_close(self) -> None:
        """Close once the job has ended."""
        if not self.running:
            self.dismiss(False)
