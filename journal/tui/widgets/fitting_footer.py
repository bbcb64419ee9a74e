"""A footer that drops the keys that do not fit instead of cutting one mid-word."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widget import Widget
from textual.widgets import Footer


class FittingFooter(Footer):
    """Textual's footer, showing only the keys that fit whole; the palette key always shows.

    Keys are kept in the order the bindings list them (the most useful first); the rest stay
    in f1 and the command palette. Textual's own footer cuts the last key mid-word instead
    ("esc Leave (draft kep").
    """

    #: The width the keys were last fitted to. Hiding a key changes the footer's virtual size,
    #: which Textual reports as a resize too: only a new width means fitting again.
    _fitted_width = -1
    #: What the keys shown were built from (see _shown_bindings).
    _composed: tuple[Any, ...] | None = None

    def _shown_bindings(self) -> tuple[Any, ...]:
        """Everything Footer.compose reads from the bindings: the keys it would show."""
        palette = self.app.COMMAND_PALETTE_BINDING
        shown = []
        for _node, binding, enabled, tooltip in self.screen.active_bindings.values():
            if binding.show or binding.key == palette:
                group = binding.group
                shown.append(
                    (
                        binding.key,
                        self.app.get_key_display(binding),
                        binding.description,
                        binding.action,
                        enabled,
                        tooltip,
                        None if group is None else (group.description, group.compact),
                    )
                )
        return (self.compact, self.show_command_palette, tuple(shown))

    async def recompose(self) -> None:
        """Rebuild the keys when the bindings shown changed, then drop what does not fit.

        Textual asks on every change of focus; most leave the same keys (tab from the title
        to the tags). Building ten keys again each time was the largest single cost of
        moving focus: the test that moves focus through every theme went from 24 s to 10 s.
        A fit that no longer holds (measured before the layout settled) builds them again.
        """
        if not self.is_attached:
            return  # its screen has gone: nothing to show keys for
        shown = self._shown_bindings()
        if shown == self._composed and self._fits():
            return
        self._composed = shown
        await super().recompose()
        self.call_after_refresh(self._fit)

    def on_resize(self, event: events.Resize) -> None:
        """Show every key again, measure, and drop what does not fit the new width."""
        if event.size.width == self._fitted_width:
            return
        self._fitted_width = event.size.width
        for child in self.children:
            child.display = True
        self.call_after_refresh(self._fit)

    def _keys_and_edge(self) -> tuple[list[Widget], int]:
        """The keys (all but the palette's) and the column they must end before."""
        right = self.content_region.right
        keys = []
        for child in self.children:
            if child.has_class("-command-palette"):
                right = min(right, child.region.x)
            else:
                keys.append(child)
        return keys, right

    def _fits(self) -> bool:
        """Whether the keys shown are laid out and end before the palette key."""
        keys, right = self._keys_and_edge()
        shown = [child for child in keys if child.display]
        return all(child.region.width > 0 and child.region.right <= right for child in shown)

    def _fit(self, tries: int = 5) -> None:
        if not self.is_attached:
            return
        shown = [child for child in self.children if child.display]
        if tries and any(child.outer_size.width == 0 for child in shown):
            # Not laid out yet: measure after the next frame.
            self.call_after_refresh(self._fit, tries - 1)
            return
        keys, right = self._keys_and_edge()
        overflow = False
        for child in keys:
            # Once one key does not fit whole, neither does any after it.
            overflow = overflow or child.region.right > right
            child.display = not overflow
