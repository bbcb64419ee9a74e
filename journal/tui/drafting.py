"""Writing screens, and the keeper of their unsaved text.

:class:`WritingScreen` is what the app knows of a screen the user writes on (Today, the
check-in, a revisit): whether leaving would lose text, how to save it, how to throw its draft
away, how to write its draft at once. :class:`DraftKeeper` keeps Today's unsaved text as a
draft and offers ended sessions' drafts back.

The screen tells the keeper when its text changed, was saved or was discarded; the keeper writes
the draft (journal/store/drafts.py) at once, and then at most a quarter of a second after each
change while the typing goes on, so a crash, a kill or a closed terminal costs at most that.
"""

from __future__ import annotations

import contextlib
import time
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar

from textual.screen import Screen

from journal.display import visible_line
from journal.store.atomic import failure_reason
from journal.store.drafts import Draft, DraftBox, describe_when
from journal.tui.dialogs.confirm import ConfirmScreen

if TYPE_CHECKING:
    from textual.timer import Timer

    from journal.tui.app import JournalApp

ResultT = TypeVar("ResultT")

#: How closely the draft follows the typing: the first change after a quiet spell is written
#: at once, and while the typing goes on the draft is written again at most this many seconds
#: after each change. A kill -9 then costs at most this much typing (the debounce it replaces
#: waited for a second of quiet, so a kill within that second lost everything typed).
INTERVAL = 0.25


class WritingScreen(Screen[ResultT]):
    """A screen the user writes on: the app asks it before anything could lose its text.

    The app's unsaved-text guard (:meth:`~journal.tui.app.JournalApp.guard_unsaved`) and its
    hang-up handler use only this interface. The defaults suit a screen whose answers are
    always kept (the check-in writes its own draft as it goes).
    """

    app: JournalApp

    @property
    def has_unsaved(self) -> bool:
        """True when leaving now would lose written text."""
        return False

    def save(self) -> bool:
        """Save what is written; True when it is safely on disk."""
        raise NotImplementedError

    def discard_draft(self) -> None:
        """The user chose to throw the text away: its autosaved draft goes too."""

    def flush_draft(self) -> None:
        """Write the draft now: the terminal is going away."""

    # A screen whose text a DraftKeeper keeps gives it these three.

    def current_draft(self) -> Draft:
        """What is written now, as a draft."""
        raise NotImplementedError

    def draft_is_saved(self, draft: Draft) -> bool:
        """Whether the journal already holds exactly this draft's text (nothing to offer)."""
        return False

    def restore_draft(self, draft: Draft) -> None:
        """Put an ended session's draft back to be written on (only screens that offer)."""
        raise NotImplementedError


class DraftKeeper:
    """Autosaves one screen's text as a draft and offers drafts of ended sessions at start.

    Each keeper writes its own draft file (the weekly review's sits beside Today's, so each
    screen's text is kept whole). A screen other than Today starts with ``offer=False``:
    offering ended sessions' drafts is Today's, at the app's start.
    """

    def __init__(self, screen: WritingScreen[Any]) -> None:
        self.screen = screen
        self.box: DraftBox | None = None
        self._timer: Timer | None = None
        #: When the draft was last written (monotonic seconds), for :data:`INTERVAL`.
        self._last_write = -INTERVAL
        self._discarded = False
        self._failing = False

    # ---- life cycle ----------------------------------------------------------------------

    def start(self, *, offer: bool = True) -> None:
        """Claim a draft file for this session and (``offer``) look for drafts of ended
        sessions."""
        store = self.screen.app.store
        # An encrypted journal's drafts are written encrypted with its key (crypto.py).
        self.box = DraftBox(store.path, key=store.key)
        # Held from the start, so `journal encrypt` and friends know the app is open.
        self.box.claim()
        if not offer:
            return
        self.offer_orphans()
        for path, reason in self.box.skipped:
            # A FIFO or a device among the drafts: not read (no hang), not removed, said once.
            self.screen.notify(
                visible_line(f"{path} was not read: {reason}. Remove it from the drafts folder."),
                title="Not a draft",
                severity="warning",
                timeout=12,
                markup=False,
            )

    def stop(self) -> None:
        """Stop the timer and release the session (the draft file, if any, stays)."""
        self._cancel()
        if self.box is not None:
            self.box.close()

    # ---- autosave ------------------------------------------------------------------------

    def changed(self) -> None:
        """The text changed: write the draft now, or within :data:`INTERVAL` seconds."""
        self._discarded = False
        if self._timer is not None:
            return  # a write is due already; it takes the text as it is then
        wait = self._last_write + INTERVAL - time.monotonic()
        if wait <= 0:
            self.write_now()
        else:
            self._timer = self.screen.set_timer(wait, self.write_now)

    def write_now(self) -> None:
        """Write (or remove) the draft to match the editor right now."""
        self._cancel()
        if self.box is None or self._discarded:
            return
        self._last_write = time.monotonic()
        try:
            if self.screen.has_unsaved:
                self.box.save(self.screen.current_draft(), moment=self.screen.app.now())
            else:
                self.box.clear()
        except OSError as exc:
            if not self._failing:
                self.screen.notify(
                    f"Your text could not be autosaved: {failure_reason(exc)}. It is still "
                    "here: ctrl+s saves it once the disk can be written again, and alt+o "
                    "copies it out.",
                    title="Autosave failed",
                    severity="error",
                    timeout=15,
                )
            self._failing = True
            return
        self._failing = False

    def saved(self) -> None:
        """The entry reached the journal: the draft is no longer needed."""
        self._cancel()
        self._clear()

    def discard(self) -> None:
        """The user chose to throw the text away: remove the draft and write no more of it."""
        self._cancel()
        self._discarded = True
        self._clear()

    def _clear(self) -> None:
        if self.box is None:
            return
        try:
            self.box.clear()
        except OSError as exc:
            # The text is in the journal (or thrown away by choice); only the copy stays.
            self.screen.notify(
                f"The draft file could not be removed: {failure_reason(exc)}. It may be "
                "offered again at the next start; discard it then.",
                severity="warning",
            )

    def flush(self) -> None:
        """Write the draft now (the terminal is closing)."""
        if not self._discarded:
            self.write_now()

    def _cancel(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    # ---- drafts of ended sessions --------------------------------------------------------

    def offer_orphans(self) -> None:
        """Ask about the newest draft an ended session left; never delete without asking."""
        box = self.box
        if box is None:
            return
        orphans = []
        for orphan in box.orphans():
            if self.screen.draft_is_saved(orphan):
                # Its text reached the journal (a kill between the save and the draft's
                # removal): offering it back would only make a second copy.
                with contextlib.suppress(OSError):
                    box.discard(orphan)
            else:
                orphans.append(orphan)
        if not orphans:
            return
        draft = orphans[0]
        when = describe_when(draft.saved_at, self.screen.app.now())
        words = draft.words
        question = (
            f"Restore the text you were writing {when}?\n\n"
            f"“{draft.preview()}” · {words} word{'' if words == 1 else 's'}"
        )

        def answered(answer: str | None) -> None:
            if answer == "restore":
                self._restore(box, draft, more=len(orphans) - 1)
            elif answer == "discard":
                try:
                    box.discard(draft)
                except OSError as exc:
                    self.screen.notify(
                        f"The draft could not be removed: {failure_reason(exc)}. It will be "
                        "offered again next time.",
                        severity="warning",
                    )
                    return
                self.screen.notify("The unsaved text was discarded.")
                self.offer_orphans()
            else:
                self.screen.notify("Kept: it will be offered again next time.")

        self.screen.app.push_screen(
            ConfirmScreen(
                question,
                [
                    ("restore", "Restore", "primary"),
                    ("later", "Not now", "default"),
                    ("discard", "Discard", "error"),
                ],
                title="Unsaved text from last time",
            ),
            answered,
        )

    def _restore(self, box: DraftBox, draft: Draft, *, more: int) -> None:
        if self.screen.has_unsaved:
            # Something was typed before the answer: keep both, the draft first.
            current = self.screen.current_draft()
            draft = replace(
                draft,
                title=draft.title or current.title,
                tags=", ".join(t for t in (draft.tags, current.tags) if t.strip()),
                body="\n\n".join(t for t in (draft.body, current.body) if t),
            )
        self.screen.restore_draft(draft)
        self._discarded = False
        try:
            # Ours first, then theirs: there is never a moment without a copy on disk.
            box.adopt(draft, moment=self.screen.app.now())
        except OSError as exc:
            self.screen.notify(
                f"Restored, but it could not be autosaved here: {failure_reason(exc)}. The "
                "old draft file stays. Save it with ctrl+s, or copy it out with alt+o.",
                title="Draft restored",
                severity="warning",
                timeout=15,
            )
            return
        note = f" {more} more will be offered next time." if more > 0 else ""
        self.screen.notify(f"Restored. Save it with ctrl+s.{note}", title="Draft restored")
