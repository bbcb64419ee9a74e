"""The full-screen app. Built around a store, settings and a prompt library given by ``cli.py``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from journal.config import Settings
from journal.errors import JournalError
from journal.models import now_local
from journal.prompts import PromptLibrary
from journal.screens.confirm import ConfirmScreen
from journal.screens.help import HelpScreen, describe_bindings
from journal.store import Store
from journal.themes import THEMES


class JournalApp(App[int]):
    """journal's Textual app."""

    CSS_PATH = "app.tcss"
    TITLE = "journal"
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding("f1", "help", "Help", priority=True),
        Binding("ctrl+q", "quit", "Quit", priority=True),
    ]

    def __init__(
        self,
        *,
        settings: Settings,
        store: Store,
        prompts: PromptLibrary,
        start: str = "today",
        clock: Callable[[], datetime] = now_local,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.store = store
        self.prompts = prompts
        self.start = start
        self.clock = clock
        for theme in THEMES:
            self.register_theme(theme)
        self.theme = settings.theme if settings.theme in self.available_themes else THEMES[0].name

    # ---- time (one place to freeze in tests) -----------------------------------------------

    def now(self) -> datetime:
        """The current moment (aware, local)."""
        return self.clock()

    def today(self) -> date:
        """The local day."""
        return self.clock().date()

    # ---- start-up ---------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        """Today is home."""
        from journal.screens.today import TodayScreen

        return TodayScreen()

    def on_mount(self) -> None:
        """Tell the user once about anything that loaded badly."""
        for problem in self.prompts.problems:
            self.notify(f"{problem}", title="Prompt pack skipped", severity="warning", timeout=12)

    # ---- helpers for screens ----------------------------------------------------------------

    def report(self, exc: JournalError, *, title: str = "Problem") -> None:
        """Show a domain error as a notification that stays long enough to read."""
        text = exc.message + (f"\n{exc.hint}" if exc.hint else "")
        self.notify(text, title=title, severity="error", timeout=15, markup=False)

    def guard_unsaved(self, then: Callable[[], None], *, doing: str) -> None:
        """Run ``then`` now, or after asking what to do with unsaved text on the screen."""
        screen = self.screen
        if not getattr(screen, "has_unsaved", False):
            then()
            return

        def answered(answer: str | None) -> None:
            if answer == "save":
                if screen.save():  # type: ignore[attr-defined]
                    then()
            elif answer == "discard":
                then()

        self.push_screen(
            ConfirmScreen(
                f"You have unsaved text. Save it before you {doing}?",
                [
                    ("save", "Save", "primary"),
                    ("discard", "Discard", "error"),
                    ("cancel", "Keep writing", "default"),
                ],
                title="Unsaved text",
            ),
            answered,
        )

    # ---- actions ----------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Quit, asking first when there is unsaved text."""
        self.guard_unsaved(lambda: self.exit(0), doing="quit")

    def action_help(self) -> None:
        """Show every key of this screen and the global ones."""
        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss(None)
            return
        screen = self.screen
        global_keys = [*describe_bindings(self), ("ctrl+p", "Command palette: every action")]
        name = (screen.id or type(screen).__name__).replace("_", " ").capitalize()
        self.push_screen(HelpScreen(name, describe_bindings(screen), global_keys))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        """Every action, in the command palette."""
        yield SystemCommand(
            "Save entry", "Save what you are writing (ctrl+s)", self._on_today("save")
        )
        yield SystemCommand(
            "New entry", "Start a fresh entry (ctrl+n)", self._on_today("new_entry")
        )
        yield SystemCommand(
            "Another prompt", "Show a different prompt (ctrl+r)", self._on_today("another_prompt")
        )
        yield SystemCommand(
            "Insert questions",
            "Insert the prompt's follow-up questions as headings (ctrl+t)",
            self._on_today("insert_followups"),
        )
        yield SystemCommand("Help", "Show every key (f1)", self.action_help)
        yield SystemCommand("Theme", "Change the colours", self.action_change_theme)
        yield SystemCommand("Quit", "Quit journal (ctrl+q)", self.action_quit)

    def _on_today(self, action: str) -> Callable[[], object]:
        def run() -> object:
            screen = self.screen
            method = getattr(screen, f"action_{action}", None)
            if method is None:
                self.notify("That works on Today only.", severity="warning")
                return None
            return method()

        return run
