"""Two changes to how Textual behaves under test, neither seen on screen.

**One parse of each stylesheet for the whole test run, instead of one per app.** Every app
a test starts parses ``app.tcss`` and every widget's ``DEFAULT_CSS`` again: about a sixth of
an app test's CPU time (cProfile of a start, type and save: Textual's CSS tokenizer was the
top entry). Textual caches parsed rules per stylesheet only; this shares
them across stylesheets, keyed as Textual keys its own cache plus the CSS variables (the
theme), which Textual's key leaves out because it clears its cache when they change. The
rules are reused as they are, as Textual reuses them within a stylesheet; the snapshot tests
would show any difference on screen. Textual is pinned exactly, so the private methods
wrapped here cannot move under us unnoticed.

**Every notification raised stays on record.** A toast leaves ``app._notifications`` after
its timeout (5 s of wall time): on a loaded machine a test could type past it and find the
message gone. Tests read :func:`notifications_raised` instead: each one the app raised.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App
    from textual.notifications import Notification

_SHARED: dict[tuple[Any, ...], Any] = {}


def share_parsed_css() -> None:
    """Wrap ``Stylesheet._parse_rules`` with a cache shared by every stylesheet (once)."""
    from textual.css.stylesheet import Stylesheet

    original = Stylesheet._parse_rules
    if getattr(original, "shared", False):
        return

    def parse_rules(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> Any:
        variables = tuple(sorted(self._variables.items()))
        key = (css, read_from, is_default_rules, tie_breaker, scope, variables)
        rules = _SHARED.get(key)
        if rules is None:
            rules = original(self, css, read_from, is_default_rules, tie_breaker, scope)
            _SHARED[key] = rules
        return rules

    parse_rules.shared = True  # type: ignore[attr-defined]
    Stylesheet._parse_rules = parse_rules  # type: ignore[method-assign]


def record_notifications() -> None:
    """Keep a list of every notification added to any app's collection (once)."""
    from textual.notifications import Notifications

    original = Notifications.add
    if getattr(original, "recording", False):
        return

    def add(self: Notifications, notification: Notification) -> Notifications:
        self.__dict__.setdefault("raised", []).append(notification)
        return original(self, notification)

    add.recording = True  # type: ignore[attr-defined]
    Notifications.add = add  # type: ignore[method-assign]


def notifications_raised(app: App[Any]) -> list[Notification]:
    """Every notification ``app`` raised, in order, expired or not."""
    raised: list[Notification] = app._notifications.__dict__.get("raised", [])
    return raised
