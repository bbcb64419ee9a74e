"""The prompt library: every pack and prompt, searchable as you type, filterable, starrable."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Checkbox, Input, OptionList, Select, Static
from textual.widgets.option_list import Option

from journal.errors import JournalError
from journal.prompts import Prompt
from journal.tui.widgets.fitting_footer import FittingFooter
from journal.tui.widgets.prompt_card import theme_label

if TYPE_CHECKING:
    from journal.tui.app import JournalApp


def prompt_matches(prompt: Prompt, words: list[str], pack_title: str) -> bool:
    """Whether every word appears in the prompt's text, questions, tags or pack."""
    haystack = " ".join(
        [prompt.text, *prompt.followups, *prompt.tags, prompt.theme, pack_title, prompt.id]
    ).casefold()
    return all(word in haystack for word in words)


class PromptLibraryScreen(Screen[Prompt | None]):
    """Browse the enabled packs; enter writes about the highlighted prompt now."""

    app: JournalApp

    BINDINGS = [
        Binding("escape", "close", "Back", tooltip="Back to Today"),
        Binding(
            "ctrl+b",
            "toggle_star",
            "Star",
            priority=True,
            tooltip="Star or unstar the prompt: starred prompts come back more often",
        ),
        Binding(
            "ctrl+o",
            "write_now",
            "Write now",
            priority=True,
            tooltip="Write about the highlighted prompt now (enter in the list does too)",
        ),
        Binding("ctrl+f", "focus_search", "Search", priority=True, tooltip="Search prompts"),
    ]

    def __init__(self) -> None:
        super().__init__(id="prompt_library")
        self._shown: list[Prompt] = []

    def compose(self) -> ComposeResult:
        """Search and filters on top, the list and the highlighted prompt below."""
        library = self.app.prompts
        with Horizontal(id="topbar"):
            yield Static("Prompt library", id="date")
            yield Static(
                f"{len(library.prompts())} prompts in {len(library.enabled_packs)} packs",
                id="status",
            )
        with Horizontal(id="library-filters"):
            yield Input(placeholder="Search prompts…", id="prompt-search", compact=True)
            yield Select(
                [(theme_label(t), t) for t in library.themes],
                prompt="All themes",
                id="theme-filter",
                compact=True,
            )
            yield Checkbox("Starred only", id="starred-only", compact=True)
        with Horizontal(id="library-main"):
            yield OptionList(id="prompt-list")
            with VerticalScroll(id="prompt-detail"):
                yield Static(id="detail-title")
                yield Static(id="detail-text")
                yield Static(id="detail-followups")
                yield Static(id="detail-meta")
        yield FittingFooter()

    def on_mount(self) -> None:
        """Fill the list and put the cursor in the search box."""
        self.refresh_list()
        self.query_one("#prompt-search", Input).focus()

    # ---- list -----------------------------------------------------------------------------

    def _stars(self) -> set[str]:
        return set(self.app.starred_prompts())

    def refresh_list(self, keep: str | None = None) -> None:
        """Apply search, theme and starred filters."""
        library = self.app.prompts
        words = self.query_one("#prompt-search", Input).value.casefold().split()
        theme = self.query_one("#theme-filter", Select).value
        starred_only = self.query_one("#starred-only", Checkbox).value
        stars = self._stars()
        shown: list[Prompt] = []
        for prompt in library.prompts(None if theme is Select.NULL else str(theme)):
            if starred_only and prompt.id not in stars:
                continue
            if words and not prompt_matches(prompt, words, library.packs[prompt.pack].title):
                continue
            shown.append(prompt)
        self._shown = shown
        option_list = self.query_one("#prompt-list", OptionList)
        option_list.clear_options()
        option_list.add_options(
            Option(
                Content.assemble(("★ " if p.id in stars else "  ", "bold $accent"), p.text),
                id=p.id,
            )
            for p in shown
        )
        option_list.border_title = f"{len(shown)} prompts"
        if shown:
            ids = [p.id for p in shown]
            option_list.highlighted = ids.index(keep) if keep in ids else 0
        self._show_detail(self.highlighted_prompt())

    def highlighted_prompt(self) -> Prompt | None:
        """The prompt under the cursor in the list."""
        option_list = self.query_one("#prompt-list", OptionList)
        index = option_list.highlighted
        if index is None or not (0 <= index < len(self._shown)):
            return None
        return self._shown[index]

    def _show_detail(self, prompt: Prompt | None) -> None:
        title = self.query_one("#detail-title", Static)
        text = self.query_one("#detail-text", Static)
        followups = self.query_one("#detail-followups", Static)
        meta = self.query_one("#detail-meta", Static)
        if prompt is None:
            title.update("")
            text.update(Content.styled("No prompt matches. Try fewer words.", "italic"))
            followups.update("")
            meta.update("")
            return
        pack = self.app.prompts.packs[prompt.pack]
        star = "★ starred · " if prompt.id in self._stars() else ""
        title.update(Content(f"{star}{theme_label(prompt.theme)} · {pack.title}"))
        text.update(Content(prompt.text))
        followups.update(Content("\n".join(f"· {q}" for q in prompt.followups)))
        details = [f"id {prompt.id}", "for " + ", ".join(w.replace("-", " ") for w in prompt.when)]
        if prompt.tags:
            details.append("tags " + ", ".join(prompt.tags))
        meta.update(Content("\n".join(details)))

    @on(Input.Changed, "#prompt-search")
    @on(Select.Changed, "#theme-filter")
    @on(Checkbox.Changed, "#starred-only")
    def _filters_changed(self) -> None:
        self.refresh_list()

    @on(OptionList.OptionHighlighted, "#prompt-list")
    def _highlighted(self) -> None:
        self._show_detail(self.highlighted_prompt())

    @on(OptionList.OptionSelected, "#prompt-list")
    def _selected(self) -> None:
        self.action_write_now()

    @on(Input.Submitted, "#prompt-search")
    def _search_submitted(self) -> None:
        if self._shown:
            self.query_one("#prompt-list", OptionList).focus()

    # ---- actions --------------------------------------------------------------------------

    def action_toggle_star(self) -> None:
        """Star the highlighted prompt (starred prompts come back more often), or unstar it."""
        prompt = self.highlighted_prompt()
        if prompt is None:
            return
        try:
            starred = self.app.toggle_prompt_star(prompt.id)
        except JournalError as exc:
            self.app.report(exc, title="Star not saved")
            return
        self.notify("Starred: it will come back more often." if starred else "Unstarred.")
        self.refresh_list(keep=prompt.id)

    def action_write_now(self) -> None:
        """Back to Today with this prompt in front of you."""
        prompt = self.highlighted_prompt()
        if prompt is not None:
            self.dismiss(prompt)

    def action_focus_search(self) -> None:
        """Jump to the search box."""
        self.query_one("#prompt-search", Input).focus()

    def action_close(self) -> None:
        """Back to Today without changing the prompt."""
        self.dismiss(None)
