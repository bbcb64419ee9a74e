"""The card that shows the day's prompt, its theme and its follow-up questions."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from journal.prompts import Prompt


def theme_label(theme: str) -> str:
    """``'respond-not-react'`` -> ``'Respond not react'``."""
    return theme.replace("-", " ").capitalize()


class PromptCard(Vertical):
    """Shows one prompt. Set :attr:`prompt`; it redraws itself."""

    prompt: reactive[Prompt | None] = reactive(None, always_update=True)
    pack_title: reactive[str] = reactive("")

    def compose(self) -> ComposeResult:
        """The prompt text and the follow-up questions under it."""
        yield Static(id="prompt-text")
        yield Static(id="prompt-followups")

    def watch_prompt(self, prompt: Prompt | None) -> None:
        """Redraw for a new prompt."""
        if not self.is_mounted:
            return
        text = self.query_one("#prompt-text", Static)
        followups = self.query_one("#prompt-followups", Static)
        if prompt is None:
            self.border_title = "No prompt"
            text.update("No prompt packs are enabled. Write whatever is on your mind.")
            followups.update("")
            followups.set_class(True, "-empty")
            return
        self.border_title = theme_label(prompt.theme)
        self.border_subtitle = self.pack_title
        text.update(Content(prompt.text))
        followups.update(Content("\n".join(f"· {q}" for q in prompt.followups)))
        # A class, not display: app.tcss also hides the questions on a short terminal.
        followups.set_class(not prompt.followups, "-empty")

    def on_mount(self) -> None:
        """Draw whatever prompt was set before mounting."""
        self.watch_prompt(self.prompt)
