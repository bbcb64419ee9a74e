"""A footer that drops the keys that do not fit instead of cutting one mid-word."""

from __future__ import annotations

from textual import events
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

    async def recompose(self) -> None:
        """Rebuild the keys (the bindings changed), then drop what does not fit."""
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

    def _fit(self, tries: int = 5) -> None:
        if not self.is_attached:
            return
        shown = [child for child in self.children if child.display]
        if tries and any(child.outer_size.width == 0 for child in shown):
            # Not laid out yet: measure after the next frame.
            self.call_after_refresh(self._fit, tries - 1)
            return
        right = self.content_region.right
        keys = []
        for child in self.children:
            if child.has_class("-command-palette"):
                right = min(right, child.region.x)
            else:
                keys.append(child)
        overflow = False
        for child in keys:
            # Once one key does not fit whole, neither does any after it.
            overflow = overflow or child.region.right > right
            child.display = not overflow
