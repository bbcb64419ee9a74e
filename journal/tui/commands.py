"""Command-palette providers: jump to an entry, or find a prompt and write about it now."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from journal.dates import DateError, parse_date
from journal.tui.widgets.prompt_card import theme_label

if TYPE_CHECKING:
    from journal.models import Entry
    from journal.tui.app import JournalApp


class PromptsProvider(Provider):
    """Every enabled prompt, matched on its text; choosing one puts it on Today."""

    @property
    def journal_app(self) -> JournalApp:
        """The app, typed."""
        return self.app  # type: ignore[return-value]

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
    """Jump to an entry by its title, its day or words in it (opens it in History)."""

    LIMIT = 20

    async def search(self, query: str) -> Hits:
        """Entries on the day the query names, then entries containing its words."""
        from journal.store import make_filter

        app: JournalApp = self.app  # type: ignore[assignment]
        query = query.strip()
        if len(query) < 2:
            return
        matcher = self.matcher(query)
        found: dict[str, Entry] = {}
        try:
            day = parse_date(query, app.today()) if any(c.isdigit() for c in query) else None
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
            yield Hit(
                score,
                matcher.highlight(label),
                partial(app.action_history, entry.uid),
                help=f"Entry · {entry.kind}",
            )
