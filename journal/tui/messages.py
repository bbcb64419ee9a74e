"""Messages that more than one screen handles."""

from __future__ import annotations

from textual.message import Message


class EntriesChanged(Message):
    """Entries changed behind the screen's back (an import, an undone delete): show them again.

    Posted to the screen in front by the app or a flow; a screen that lists entries handles it
    (``on_entries_changed``) by reloading its list.
    """
