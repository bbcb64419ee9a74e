"""The command palette: every action as a row of data, plus two providers.

:data:`SYSTEM_COMMANDS` is what the app's :meth:`~journal.tui.app.JournalApp.get_system_commands`
offers; :class:`PromptsProvider` finds a prompt and writes about it now; :class:`EntriesProvider`
jumps to an entry.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.app import SystemCommand
from textual.command import DiscoveryHit, Hit, Hits, Provider

from journal.dates import DateError, parse_date
from journal.tui.widgets.prompt_card import theme_label

if TYPE_CHECKING:
    from journal.models import Entry
    from journal.tui.app import JournalApp


#: Every action, as (title, help, action). The action is in Textual's action syntax, run on the
#: app; a ``screen.`` action runs on the screen in front, as its own key would (Today's keys).
SYSTEM_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Save entry", "Save what you are writing (ctrl+s)", "screen.save"),
    ("New entry", "Start a fresh entry (ctrl+n)", "screen.new_entry"),
    (
        "Check-in after a tough call",
        "A few guided minutes after a hard moment, every step skippable (f2)",
        "checkin",
    ),
    (
        "What is due",
        "Follow-ups to keep and entries to look back on: mark done, move, revisit",
        "show_due",
    ),
    (
        "Weekly review",
        "The week's entries and check-ins, what is due, and two questions (f8)",
        "weekly_review",
    ),
    ("Another prompt", "Show a different prompt (ctrl+r)", "screen.another_prompt"),
    (
        "Insert questions",
        "Insert the prompt's follow-up questions as headings (ctrl+t)",
        "screen.insert_followups",
    ),
    (
        "Copy the text out…",
        "Write what you are writing to a file, or the clipboard: for a full disk (alt+o)",
        "screen.copy_out",
    ),
    ("Indent", "Indent the line, as Markdown nests a list item (alt+right)", "screen.indent"),
    ("Outdent", "Take the line back one level (alt+left)", "screen.outdent"),
    ("Star today's prompt", "Starred prompts come back more often (ctrl+b)", "screen.toggle_star"),
    ("Pick a theme", "Narrow the prompt feed to one theme", "pick_theme"),
    ("Prompt library", "Browse, search and star every prompt (f5)", "prompt_library"),
    ("History", "Browse, search and filter every entry (f3)", "history"),
    ("On this day", "What you wrote on this date in earlier years (f9)", "on_this_day"),
    (
        "Open in my editor",
        "Edit the entry in $VISUAL / $EDITOR; it comes back unsaved (ctrl+o)",
        "screen.open_in_editor",
    ),
    ("Insights", "A year of written days, check-ins and promises (f4)", "insights"),
    ("Undo delete", "Bring back the last entry deleted (ctrl+z in History)", "undo_delete"),
    ("Hide the screen", "A blank screen until a key is pressed (ctrl+l)", "hide_screen"),
    (
        "Export to Markdown…",
        "One file, or one file per entry with front matter; filters (ctrl+e)",
        "export",
    ),
    (
        "Import Markdown or jrnl JSON…",
        "Bring back an export of journal, or move in from jrnl",
        "import",
    ),
    ("Help", "Show every key (f1)", "help"),
    ("Theme", "Change the colours", "change_theme"),
    ("Quit", "Quit journal (ctrl+q)", "quit"),
)


def system_commands(app: JournalApp) -> Iterator[SystemCommand]:
    """:data:`SYSTEM_COMMANDS` for the palette."""
    for title, help_text, action in SYSTEM_COMMANDS:
        # A plain callable that schedules the action, so the command can be called from anywhere.
        yield SystemCommand(title, help_text, partial(app.call_later, _run, app, action))


async def _run(app: JournalApp, action: str) -> None:
    # False for a screen action: the screen in front has no such key (Today's are Today's).
    if not await app.run_action(action) and action.startswith("screen."):
        app.notify("That works on Today only.", severity="warning")


class PromptsProvider(Provider):
    """Every enabled prompt, matched on its text; choosing one puts it on Today."""

    @property
    def journal_app(self) -> JournalApp:
        """The app, typed."""
        return cast("JournalApp", self.app)

    async def search(self, query: str) -> Hits:
        """Prompts whose text matches what was typed."""
        matcher = self.matcher(query)
        app = self.journal_app
        for prompt in app.prompts.prompts():
            score = matcher.match(prompt.text)
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(prompt.text),
                    partial(app.write_about_prompt, prompt.id),
                    help=f"Prompt · {theme_label(prompt.theme)}",
                )

    async def discover(self) -> Hits:
        """With nothing typed, offer the starred prompts."""
        app = self.journal_app
        stars = set(app.starred_prompts())
        for prompt in app.prompts.prompts():
            if prompt.id in stars:
                yield DiscoveryHit(
                    f"★ {prompt.text}",
                    partial(app.write_about_prompt, prompt.id),
                    help=f"Starred prompt · {theme_label(prompt.theme)}",
                )


class EntriesProvider(Provider):
    """Jump to an entry by its title, its day or words in it (opens it in History; a check-in
    opens in the check-in's stepper)."""

    LIMIT = 20

    async def search(self, query: str) -> Hits:
        """Entries on the day the query names, then entries containing its words."""
        from journal.store import make_filter

        app = cast("JournalApp", self.app)
        query = query.strip()
        if len(query) < 2:
            return
        matcher = self.matcher(query)
        found: dict[str, Entry] = {}
        try:
            day = (
                parse_date(query, app.today(), "past") if any(c.isdigit() for c in query) else None
            )
        except DateError:
            day = None
        if day is not None:
            for entry in app.store.entries(make_filter(since=day, until=day), limit=self.LIMIT):
                found.setdefault(entry.uid, entry)
        for entry in app.store.entries(make_filter(search=query), limit=self.LIMIT):
            found.setdefault(entry.uid, entry)
        for entry in found.values():
            label = f"{entry.day}  {entry.headline[:70]}"
            score = matcher.match(label) or 0.5
            if entry.kind == "checkin" and entry.checkin is not None:
                # A check-in stays a check-in: it opens in the stepper, as from Today or History.
                yield Hit(
                    score,
                    matcher.highlight(label),
                    partial(app.open_checkin_by_uid, entry.uid),
                    help="Check-in · opens with its answers",
                )
                continue
            yield Hit(
                score,
                matcher.highlight(label),
                partial(app.action_history, entry.uid),
                help=f"Entry · {entry.kind}",
            )
