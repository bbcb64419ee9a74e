"""A 0-10 scale you can set from the keyboard: ← →, home/end, or type the number."""

from __future__ import annotations

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from journal.checkin import intensity_word

LOW, HIGH = 0, 10
#: Where the arrows start from when nothing is chosen yet: the middle of the scale.
START = 5


class IntensityScale(Widget, can_focus=True):
    """Eleven points, 0 to 10, one of them chosen (or none). Posts :class:`Changed`."""

    BINDINGS = [
        Binding("left,down", "step(-1)", "Less intense", show=False),
        Binding("right,up", "step(1)", "More intense", show=False),
        Binding("home", "choose(0)", "Calm (0)", show=False),
        Binding("end", "choose(10)", "As strong as it gets (10)", show=False),
        Binding("backspace,delete", "clear", "Clear", show=False),
    ]

    value: reactive[int | None] = reactive(None)

    class Changed(Message):
        """The chosen value changed (``None`` when cleared)."""

        def __init__(self, scale: IntensityScale, value: int | None) -> None:
            super().__init__()
            self.scale = scale
            self.value = value

        @property
        def control(self) -> IntensityScale:
            """The scale that changed (for ``@on`` selectors)."""
            return self.scale

    def __init__(
        self,
        value: int | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.set_reactive(IntensityScale.value, value)
        # A "1" just typed may become "10" if the next key is "0".
        self._after_one = False

    def validate_value(self, value: int | None) -> int | None:
        """Clamp to the scale."""
        if value is None:
            return None
        return max(LOW, min(HIGH, int(value)))

    def watch_value(self, value: int | None) -> None:
        """Tell the screen."""
        self.post_message(self.Changed(self, value))

    def action_step(self, delta: int) -> None:
        """Move one point along the scale."""
        self._after_one = False
        self.value = START if self.value is None else self.value + delta

    def action_choose(self, value: int) -> None:
        """Jump to a point."""
        self._after_one = False
        self.value = value

    def action_clear(self) -> None:
        """No answer."""
        self._after_one = False
        self.value = None

    def on_key(self, event: events.Key) -> None:
        """Digits choose a point; "1" then "0" is 10."""
        if event.key.isdigit() and len(event.key) == 1:
            event.stop()
            event.prevent_default()
            self.type_key(event.key)

    def type_key(self, key: str) -> None:
        """A key typed for the scale elsewhere (a digit, an arrow, home or end), as if here."""
        if key.isdigit() and len(key) == 1:
            digit = int(key)
            if digit == 0 and self._after_one:
                self.value = 10
                self._after_one = False
                return
            self.value = digit
            self._after_one = digit == 1
        elif key in ("left", "down"):
            self.action_step(-1)
        elif key in ("right", "up"):
            self.action_step(1)
        elif key == "home":
            self.action_choose(0)
        elif key == "end":
            self.action_choose(10)

    def render(self) -> Content:
        """The scale with the chosen point highlighted, and a word for it."""
        cells: list[Content | tuple[str, str] | str] = []
        for n in range(LOW, HIGH + 1):
            label = f" {n} "
            if n == self.value:
                cells.append((label, "reverse bold"))
            else:
                cells.append((label, "dim" if self.value is not None else ""))
        if self.value is None:
            caption: Content | tuple[str, str] = (
                "Not set. Type a number (1 then 0 for 10) or use ← →.",
                "italic dim",
            )
        else:
            caption = (f"{self.value} of 10 · {intensity_word(self.value)}", "bold")
        return Content.assemble(*cells, "\n", caption)
