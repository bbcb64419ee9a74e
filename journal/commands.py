"""Command-palette providers: find a prompt by its words and write about it now."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider

from journal.widgets.prompt_card import theme_label

if TYPE_CHECKING:
    from journal.app import JournalApp


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
