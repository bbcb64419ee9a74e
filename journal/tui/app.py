"""The full-screen app, built around the store, settings and prompt library ``journal.cli`` gives.

The app is the shell: bindings, the screens it opens, the unsaved-text guard and the hang-up.
It knows Today as :attr:`JournalApp.home` and any screen the user writes on as a
:class:`~journal.tui.drafting.WritingScreen`; the palette's rows are in ``commands.py`` and the
slow or many-step work (export, import, what is due) in ``flows.py``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.theme import Theme

from journal.config import Settings, save_theme
from journal.display import visible
from journal.errors import ConfigError, JournalError
from journal.models import Entry, now_local
from journal.prompts import Moment, Prompt, PromptFeed, PromptLibrary, read_moment
from journal.store import Store
from journal.store.atomic import atomic_write_bytes, failure_reason
from journal.tui.commands import EntriesProvider, PromptsProvider, system_commands
from journal.tui.dialogs.confirm import ConfirmScreen
from journal.tui.dialogs.help import HelpScreen, describe_bindings
from journal.tui.drafting import WritingScreen
from journal.tui.flows import start_export, start_import
from journal.tui.messages import EntriesChanged
from journal.tui.screens.today import TodayScreen
from journal.tui.themes import THEMES
from journal.tui.widgets.due_list import DueList

# The other screens are imported where they are first opened: a start pays only for Today.

if TYPE_CHECKING:
    from journal.tui.screens.unlock import Locked


class JournalApp(App[int]):
    """journal's Textual app."""

    CSS_PATH = "app.tcss"
    TITLE = "journal"
    ENABLE_COMMAND_PALETTE = True
    COMMANDS = App.COMMANDS | {PromptsProvider, EntriesProvider}
    #: Classes on every screen by terminal size; app.tcss folds and stacks panels with them.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (70, "-medium"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (24, "-tall")]

    BINDINGS = [
        Binding("f1", "help", "Help", priority=True),
        Binding(
            "f2",
            "checkin",
            "Check-in",
            priority=True,
            tooltip="Check-in after a tough call: a few guided minutes",
        ),
        # Shown in f1 and the palette; the footer keeps to what fits in 80 columns.
        Binding(
            "f3",
            "history",
            "History",
            priority=True,
            show=False,
            tooltip="History: browse, search and filter every entry",
        ),
        Binding(
            "f4",
            "insights",
            "Insights",
            priority=True,
            show=False,
            tooltip="Insights: a year of written days, check-ins and promises",
        ),
        Binding(
            "f5",
            "prompt_library",
            "Prompts",
            priority=True,
            show=False,
            tooltip="Prompt library: browse, search and star every prompt",
        ),
        Binding(
            "f9",
            "on_this_day",
            "On this day",
            priority=True,
            show=False,
            tooltip="On this day: what you wrote on this date in earlier years",
        ),
        Binding(
            "ctrl+e",
            "export",
            "Export",
            priority=True,
            show=False,
            tooltip="Export to Markdown: one file, or one file per entry",
        ),
        Binding(
            "f8",
            "weekly_review",
            "Weekly review",
            priority=True,
            show=False,
            tooltip="Weekly review: the week's entries and check-ins, what is due, two questions",
        ),
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("ctrl+l", "hide_screen", "Hide the screen", priority=True, show=False),
    ]

    def __init__(
        self,
        *,
        settings: Settings,
        store: Store | None,
        prompts: PromptLibrary,
        start: str = "today",
        clock: Callable[[], datetime] = now_local,
        config_path: Path | None = None,
        first_run: bool = False,
        demo: bool = False,
        locked: Locked | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        #: `journal --demo`: a throwaway journal; Today says so in its top bar.
        self.demo = demo
        if demo:
            self.sub_title = "demo journal"
        #: The name of a journal chosen with `journal -j NAME` (Today's top bar shows it).
        self.journal_name: str | None = None
        #: An encrypted journal not opened yet (store is None): the app starts on the unlock
        #: screen, and :meth:`unlocked` sets the store (screens/unlock.py).
        self.locked = locked
        self.store: Store = cast("Store", store)
        self.prompts = prompts
        self.start = start
        self.clock = clock
        #: Where a theme chosen in the app is remembered (None: not remembered, as in tests).
        self.config_path = config_path
        #: No journal existed before this start: greet the user once.
        self.first_run = first_run
        #: Entries deleted in this session, newest last, so ctrl+z can bring them back.
        self.deleted: list[Entry] = []
        #: Problems found before the app started (a broken config file), shown once at mount.
        self.startup_problems: list[JournalError] = []
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

    def get_default_screen(self) -> Screen[Any]:
        """Today is home (behind the unlock screen when the journal is encrypted)."""
        if self.locked is not None:
            from journal.tui.screens.unlock import UnlockScreen

            return UnlockScreen(self.locked)
        return TodayScreen()

    def on_mount(self) -> None:
        """Tell the user once about anything that loaded badly."""
        for problem in self.prompts.problems:
            self.notify(f"{problem}", title="Prompt pack skipped", severity="warning", timeout=12)
        for line in self.prompts.setting_problems():
            self.notify(
                line, title="Check your config file", severity="warning", timeout=12, markup=False
            )
        for error in self.startup_problems:
            self.report(error, title="Settings not loaded: using the defaults")
        self._catch_hang_up()
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self._tell_about_conflict_copies()
        if self.locked is None:
            self._begin()

    def _tell_about_conflict_copies(self) -> None:
        """A sync tool's conflict copy beside the journal: say so once, with the command."""
        import shlex

        from journal.display import visible_line
        from journal.store.merge import conflict_copies

        path = self.store.path if self.store is not None else getattr(self.locked, "path", None)
        if path is None:
            return
        copies = conflict_copies(Path(path))
        if not copies:
            return
        names = ", ".join(visible_line(c.name) for c in copies[:3])
        self.notify(
            f"{names} {'is' if len(copies) == 1 else 'are'} beside your journal: a sync "
            "tool's copy from another machine that may hold entries this one does not. "
            f"From the shell: journal merge {shlex.quote(str(copies[0]))}",
            title="Sync conflict copy",
            severity="warning",
            timeout=30,
            markup=False,
        )

    def unlocked(self, store: Store) -> None:
        """The passphrase was right (screens/unlock.py): go on exactly as a normal start."""
        self.store = store
        self.locked = None
        # The unlock screen is the default screen, which Textual cannot switch away from;
        # Today starts a screen stack (mode) of its own, exactly as at a normal start.
        self.add_mode("journal", TodayScreen)
        self.switch_mode("journal")
        self._begin()

    def _begin(self) -> None:
        """The start with the journal open: straight into the check-in when asked.

        (The first run's welcome is part of Today: screens/today.py.)
        """
        if self.start == "checkin":
            # `journal checkin`: straight into the check-in; leaving it lands on Today.
            self.action_checkin()

    def _remember_theme(self, theme: Theme) -> None:
        if self.config_path is None or theme.name == self.settings.theme:
            return
        try:
            save_theme(self.config_path, theme.name, write=atomic_write_bytes)
        except (OSError, ConfigError) as exc:
            reason = exc.message if isinstance(exc, ConfigError) else failure_reason(exc)
            self.notify(
                visible(f"The theme could not be remembered in {self.config_path}: {reason}"),
                severity="warning",
                markup=False,
            )
            return
        self.settings = replace(self.settings, theme=theme.name)

    # ---- home ---------------------------------------------------------------------------------

    @property
    def home(self) -> TodayScreen:
        """Today, always at the bottom of the screen stack once the journal is open."""
        home = self.screen_stack[0]
        if not isinstance(home, TodayScreen):
            raise LookupError("Today is not open yet: the journal is still locked")
        return home

    def go_home(self) -> TodayScreen:
        """Close every screen above Today and return it."""
        while len(self.screen_stack) > 1:
            self.pop_screen()
        return self.home

    # ---- helpers for screens ----------------------------------------------------------------

    def report(self, exc: JournalError, *, title: str = "Problem") -> None:
        """Show a domain error as a notification that stays long enough to read."""
        text = exc.message + (f"\n{exc.hint}" if exc.hint else "")
        self.notify(text, title=title, severity="error", timeout=15, markup=False)

    def guard_unsaved(self, then: Callable[[], None], *, doing: str) -> None:
        """Run ``then`` now, or after asking what to do with unsaved text on the screen."""
        screen = self.screen
        if not isinstance(screen, WritingScreen) or not screen.has_unsaved:
            then()
            return

        def answered(answer: str | None) -> None:
            if answer == "save":
                if screen.save():
                    then()
            elif answer == "discard":
                # A deliberate discard: the autosaved draft goes too (drafts.py).
                screen.discard_draft()
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

    # ---- prompts ----------------------------------------------------------------------------

    def starred_prompts(self) -> list[str]:
        """Prompts starred in the app or in the config file."""
        stars = list(self.settings.starred_prompts)
        stars += [s for s in self.store.starred_prompts() if s not in stars]
        return stars

    def prompt_feed(self) -> PromptFeed:
        """The feed as of now: library, log and stars."""
        return PromptFeed(self.prompts, self.store.prompt_log(), self.starred_prompts())

    def prompt_moment(self, day: date | None = None) -> Moment:
        """What the feed needs to know of ``day`` (default today) at this hour."""
        from journal.store import make_filter

        store = self.store
        return read_moment(
            store,
            day or self.today(),
            hour=self.now().hour,
            review_weekday=self.settings.review_weekday,
            between=lambda since, until: store.entries(make_filter(since=since, until=until)),
        )

    def toggle_prompt_star(self, prompt_id: str) -> bool:
        """Star or unstar a prompt; True when it is now starred."""
        starred = prompt_id not in self.store.starred_prompts()
        self.store.set_prompt_starred(prompt_id, starred)
        return starred

    def write_about_prompt(self, prompt_id: str) -> None:
        """Go to Today and start a fresh entry about this prompt.

        An entry or check-in open there is never written into: unsaved text is asked about
        first, as ctrl+n does.
        """
        prompt = self.prompts.get(prompt_id)
        if prompt is None:
            return
        if self.home.has_unsaved:
            self.go_home()
        self.guard_unsaved(
            lambda: self.go_home().write_about(prompt), doing="write about another prompt"
        )

    def action_prompt_library(self) -> None:
        """Open the prompt library (f5)."""
        from journal.tui.screens.prompt_library import PromptLibraryScreen

        if isinstance(self.screen, PromptLibraryScreen):
            return

        def chosen(prompt: Prompt | None) -> None:
            if prompt is not None:
                self.write_about_prompt(prompt.id)

        self.push_screen(PromptLibraryScreen(), chosen)

    def action_pick_theme(self) -> None:
        """Narrow the feed to one theme (or all)."""
        from journal.tui.dialogs.theme_picker import ThemePickerScreen

        def picked(theme: str | None) -> None:
            if theme is not None:
                self.home.narrow_to_theme(theme or None)

        self.push_screen(ThemePickerScreen(self.prompts.themes), picked)

    # ---- entries ----------------------------------------------------------------------------

    def edit_entry(self, uid: str) -> None:
        """Open an entry on Today's editor (asking first about unsaved text there); a check-in
        opens in the check-in instead, over the screen in front."""
        entry = self.store.get(uid)
        if entry is not None and entry.kind == "checkin" and entry.checkin is not None:
            self.open_checkin(entry)
            return
        if self.home.has_unsaved:
            self.go_home()
        self.guard_unsaved(lambda: self.go_home().open_entry(uid), doing="open another entry")

    def delete_entry(self, uid: str) -> Entry:
        """Delete an entry, remembering it for :meth:`undo_delete`."""
        entry = self.store.delete(uid)
        self.deleted.append(entry)
        return entry

    def undo_delete(self) -> Entry | None:
        """Restore the most recently deleted entry of this session."""
        if not self.deleted:
            self.notify("Nothing deleted in this session.")
            return None
        entry = self.deleted[-1]
        try:
            self.store.restore(entry)
        except JournalError as exc:
            self.report(exc, title="Not restored")
            return None
        self.deleted.pop()
        self.notify(f"Brought back “{entry.headline[:50]}”.")
        return entry

    def action_history(self, select_uid: str | None = None) -> None:
        """Open History (f3), optionally with one entry selected."""
        from journal.tui.screens.history import HistoryScreen

        if isinstance(self.screen, HistoryScreen):
            if select_uid:
                self.screen.select(select_uid)
            return
        self.push_screen(HistoryScreen(select_uid))

    def on_this_day_entries(self) -> list[Entry]:
        """Entries written on today's date in earlier years, newest first."""
        from journal.onthisday import is_on_this_day

        day = self.today()
        return list(self.store.iter_entries_where(lambda d: is_on_this_day(d.get("day", ""), day)))

    def action_on_this_day(self) -> None:
        """Show what was written on this date in earlier years (f9)."""
        from journal.tui.screens.on_this_day import OnThisDayScreen

        if isinstance(self.screen, OnThisDayScreen):
            return
        entries = self.on_this_day_entries()
        if not entries:
            self.notify("Nothing from this date in earlier years yet.")
            return
        day = self.today()
        heading = f"On this day, {day.day} {day:%B}: {len(entries)} from earlier years"
        self.push_screen(OnThisDayScreen(entries, heading))

    def action_insights(self) -> None:
        """Open Insights (f4): the year of written days, check-ins, promises, themes."""
        from journal.tui.screens.insights import InsightsScreen

        if not isinstance(self.screen, InsightsScreen):
            self.push_screen(InsightsScreen())

    def action_undo_delete(self) -> None:
        """Bring back the last entry deleted in this session (palette)."""
        if self.undo_delete() is not None:
            self.screen.post_message(EntriesChanged())

    # ---- check-in, follow-ups and revisits (journal/checkin.py) ------------------------------

    def action_checkin(self) -> None:
        """Open the check-in after a tough call (f2)."""
        from journal.tui.screens.checkin import CheckinScreen

        if isinstance(self.screen, CheckinScreen):
            return
        if isinstance(self.screen, ModalScreen):
            self.notify("Close this dialog first, then press f2.", severity="warning")
            return
        self.push_screen(CheckinScreen())

    def action_weekly_review(self) -> None:
        """Open the weekly review (f8): the week at a glance and one or two questions."""
        from journal.tui.screens.weekly_review import WeeklyReviewScreen

        if isinstance(self.screen, WeeklyReviewScreen):
            return
        if isinstance(self.screen, ModalScreen):
            self.notify("Close this dialog first, then press f8.", severity="warning")
            return
        self.push_screen(WeeklyReviewScreen(self.today()))

    def open_checkin(self, entry: Entry) -> None:
        """Reopen a saved check-in in the stepper, with its answers."""
        from journal.tui.screens.checkin import CheckinScreen

        self.push_screen(CheckinScreen(entry))

    def open_checkin_by_uid(self, uid: str) -> None:
        """Reopen the saved check-in ``uid`` in the stepper (the palette's pick); one already
        open in front is left as it is, so one entry never has two stepper screens."""
        from journal.tui.screens.checkin import CheckinScreen

        front = self.screen
        if isinstance(front, CheckinScreen) and front.entry is not None and front.entry.uid == uid:
            self.notify("This check-in is already open.")
            return
        self.edit_entry(uid)

    def action_show_due(self) -> None:
        """Put the cursor on Today's list of what is due (palette)."""
        found = self.go_home().query(DueList)
        if not found or not found.first().display:
            self.notify("Nothing is due: no open follow-ups and no revisits.")
            return
        found.first().focus()

    # ---- Markdown out and back in (flows.py, with the dialogs in dialogs/transfer.py) ----------

    def _transfer_allowed(self) -> bool:
        if isinstance(self.screen, ModalScreen):
            self.notify("Close this dialog first.", severity="warning")
            return False
        return True

    def action_export(self) -> None:
        """Export entries to Markdown (ctrl+e): one file, or one file per entry."""
        if self._transfer_allowed():
            start_export(self)

    def action_import(self) -> None:
        """Import an export of journal, or a jrnl JSON export (palette)."""
        if self._transfer_allowed():
            start_import(self)

    # ---- privacy and safety -----------------------------------------------------------------

    def action_hide_screen(self) -> None:
        """Hide everything behind a calm blank screen until a key is pressed (ctrl+l)."""
        from journal.tui.screens.privacy import PrivacyScreen

        if not isinstance(self.screen, PrivacyScreen):
            self.push_screen(PrivacyScreen())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the screen is hidden no action runs: every key just brings the journal back."""
        from journal.tui.screens.privacy import PrivacyScreen

        if isinstance(self.screen, PrivacyScreen):
            return False
        if self.locked is not None and action != "quit":
            return False  # nothing but quit until the journal is unlocked
        return super().check_action(action, parameters)

    def _catch_hang_up(self) -> None:
        """On a closed terminal (SIGHUP) or SIGTERM, keep the unsaved text as a draft, then exit."""
        import asyncio
        import signal

        if self.is_headless:
            return
        loop = asyncio.get_running_loop()
        for sig in (getattr(signal, "SIGHUP", None), signal.SIGTERM):
            if sig is not None:
                with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                    loop.add_signal_handler(sig, self._hang_up, sig)

    def _hang_up(self, sig: int) -> None:
        import os
        import signal

        for screen in self.screen_stack:
            if isinstance(screen, WritingScreen):
                # Whatever one screen's draft does, the others are still written, and we exit.
                with contextlib.suppress(Exception):
                    screen.flush_draft()
        if sig == getattr(signal, "SIGHUP", None):
            # The terminal is gone. Putting it back means writing to a closed terminal, and
            # Textual's output thread can then wait for ever (seen: apps left running with no
            # terminal after `tmux kill-server`). The draft is on disk and every save was
            # written when it was made: leave at once, as a hang-up would have.
            os._exit(128 + sig)
        self.exit(0)

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
        from journal.checkin import help_note

        self.push_screen(
            HelpScreen(
                name,
                describe_bindings(screen),
                global_keys,
                help_note=help_note(self.settings.help_note),
            )
        )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """Every action, in the command palette (the table is in commands.py)."""
        return system_commands(self)
