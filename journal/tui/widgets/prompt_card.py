"""The card that shows the day's prompt, its theme, its follow-up questions and, for a
look-back, the entry it looks back on."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.reactive import reactive
from textual.widgets import Static

from journal.display import visible_line
from journal.prompts import LookBack, Prompt


def theme_label(theme: str) -> str:
    """``'respond-not-react'`` -> ``'Respond not react'``."""
    return theme.replace("-", " ").capitalize()


def lookback_text(look: LookBack) -> str:
    """The look-back line: which entry, and its intensity then for a check-in."""
    # The headline is the user's own text: escaped, never sent raw to the terminal.
    text = visible_line(look.label())
    before, after = look.intensity
    if before is not None:
        then = f"{before}/10" + (f", {after}/10 after" if after is not None else "")
        text += f"\nThen it was {then}. How much does it still sting, 0 to 10?"
    return text


class PromptCard(Vertical):
    """Shows one prompt. Set :attr:`lookback` (if any), then :attr:`prompt`; it redraws."""

    prompt: reactive[Prompt | None] = reactive(None, always_update=True)
    pack_title: reactive[str] = reactive("")
    #: The entry a look-back prompt is about, shown above the prompt (None: not a look-back).
    lookback: LookBack | None = None

    def compose(self) -> ComposeResult:
        """The look-back entry, the prompt text and the follow-up questions under it."""
        yield Static(id="prompt-lookback")
        yield Static(id="prompt-text")
        yield Static(id="prompt-followups")

    def watch_prompt(self, prompt: Prompt | None) -> None:
        """Redraw for a new prompt."""
        if not self.is_mounted:
            return
        text = self.query_one("#prompt-text", Static)
        followups = self.query_one("#prompt-followups", Static)
        look = self.query_one("#prompt-lookback", Static)
        look.update(Content(lookback_text(self.lookback)) if self.lookback else "")
        look.display = self.lookback is not None and prompt is not None
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
