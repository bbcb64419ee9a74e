"""What is due, compactly: open follow-ups (overdue, today, upcoming), then revisits."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from journal.dates import short_day
from journal.due import DueItem

#: How each group is marked (the style names are Textual theme variables).
STATUS_STYLE = {
    "overdue": "bold $error",
    "today": "bold $warning",
    "upcoming": "$text-muted",
    "revisit": "$accent",
}


#: Rows stay short in the narrow sidebar (the dialog shows the whole text): the text is cut at
#: a word, so a row is two whole lines, what and when, at the sidebar's width.
CLIP = 24


def _clip(text: str) -> str:
    text = " ".join(text.split())
    if len(text) <= CLIP:
        return text
    cut = text[: CLIP - 1]
    if " " in cut and not text[CLIP - 1].isspace():
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:·-") + "…"


def row(item: DueItem) -> Content:
    """``Call Sam back`` over ``overdue · Tue 17 Nov``, the status coloured."""
    if item.kind == "revisit":
        return Content.assemble(
            _clip(item.text),
            "\n",
            ("look back", STATUS_STYLE["revisit"]),
            (f" · from {short_day(item.entry_day)}", "dim"),
        )
    parts: list[Content | tuple[str, str] | str] = [
        _clip(item.text),
        "\n",
        (item.status, STATUS_STYLE.get(item.status, "")),
    ]
    if item.status != "today":
        parts.append((f" · {short_day(item.due)}", "dim"))
    return Content.assemble(*parts)


class DueList(OptionList):
    """The due items as one row each; picking one posts a message for the screen to act on."""

    class ItemPicked(Message):
        """The user picked a row: the uid of the entry it belongs to."""

        def __init__(self, due_list: DueList, uid: str) -> None:
            super().__init__()
            self.due_list = due_list
            self.uid = uid

        @property
        def control(self) -> DueList:
            """The list it was picked from."""
            return self.due_list

    class FollowUpPicked(ItemPicked):
        """The user picked an open follow-up (the uid of the entry holding it)."""

    class RevisitPicked(ItemPicked):
        """The user picked a revisit that is due (the uid of the entry to look back on)."""

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.items: list[DueItem] = []

    def show(self, items: Sequence[DueItem]) -> None:
        """Replace the rows; hide the whole list when nothing is due.

        No scores here: Today is where a person lands after a check-in, so the numbers stay
        on Insights (and ``journal stats``).
        """
        if list(items) == self.items and self.option_count:
            return  # the same rows again (after most saves): keep the list as it is
        keep = self.highlighted
        self.items = list(items)
        self.clear_options()
        self.add_options(Option(row(item), id=f"{item.kind}:{item.uid}") for item in self.items)
        overdue = sum(1 for i in self.items if i.status == "overdue")
        title = f"Due · {len(self.items)}"
        if overdue:
            title += f" · {overdue} overdue"
        self.border_title = title
        self.display = bool(self.items)
        if self.items:
            # Something is always highlighted, so enter acts at once.
            self.highlighted = min(keep or 0, len(self.items) - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Translate the generic selection into our messages."""
        event.stop()
        kind, _, uid = (event.option.id or "").partition(":")
        if kind == "follow_up":
            self.post_message(self.FollowUpPicked(self, uid))
        elif kind == "revisit":
            self.post_message(self.RevisitPicked(self, uid))
