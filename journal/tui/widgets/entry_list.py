"""A compact, virtualised list of entries (OptionList draws only the visible rows)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from journal.models import Entry

KIND_MARK = {"reflection": "", "checkin": "◆ ", "revisit": "↺ ", "note": "· "}


class EntryList(OptionList):
    """Entries as one line each; selecting one posts :class:`EntryList.EntrySelected`."""

    class EntrySelected(Message):
        """The user picked an entry."""

        def __init__(self, entry_list: EntryList, uid: str) -> None:
            super().__init__()
            self.entry_list = entry_list
            self.uid = uid

        @property
        def control(self) -> EntryList:
            """The list the entry was picked from (for ``@on`` selectors)."""
            return self.entry_list

    def __init__(
        self,
        *,
        empty_text: str = "Nothing yet.",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.empty_text = empty_text
        self._uids: list[str] = []

    def show(self, entries: Sequence[Entry], *, highlight: str | None = None) -> None:
        """Replace the rows with ``entries``; keep ``highlight`` (a uid) selected."""
        self.clear_options()
        self._uids = [e.uid for e in entries]
        if not entries:
            self.add_option(Option(Content.styled(self.empty_text, "dim italic"), disabled=True))
            return
        options = []
        for entry in entries:
            time = datetime.fromisoformat(entry.created).strftime("%H:%M")
            star = " ★" if entry.starred else ""
            label = Content.assemble(
                (f"{time} ", "dim"), KIND_MARK.get(entry.kind, ""), entry.headline, star
            )
            options.append(Option(label, id=entry.uid))
        self.add_options(options)
        if highlight in self._uids:
            self.highlighted = self._uids.index(highlight)

    def on_focus(self) -> None:
        """Arriving by tab, the first entry is under the cursor, so enter opens it at once."""
        if self.highlighted is None and self._uids:
            self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Translate the generic selection into our message."""
        event.stop()
        if event.option.id:
            self.post_message(self.EntrySelected(self, event.option.id))
