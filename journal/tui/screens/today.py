"""Today: the day's prompt, a calm place to write, and today's entries beside it."""

from __future__ import annotations

import dataclasses
import os
import re
from datetime import date, datetime
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Input, Static, TextArea

from journal.dates import long_day, short_day
from journal.display import visible, visible_line
from journal.errors import JournalError
from journal.models import Entry, PromptRef, normalise_tags
from journal.prompts import DAILY, WEEKLY, DayPrompt, Prompt, PromptFeed
from journal.store import EditConflictError
from journal.store.atomic import failure_reason
from journal.store.drafts import Draft
from journal.tui import flows as due_actions
from journal.tui.dialogs.welcome import WelcomePanel
from journal.tui.drafting import DraftKeeper, WritingScreen
from journal.tui.messages import EntriesChanged
from journal.tui.screens.checkin import offer_unfinished_checkin
from journal.tui.widgets.due_list import DueList
from journal.tui.widgets.entry_list import EntryList
from journal.tui.widgets.fitting_footer import FittingFooter
from journal.tui.widgets.long_text import fit_highlighting, load_text_fitted, text_size
from journal.tui.widgets.prompt_card import PromptCard, theme_label


def write_new_file(target: Path, text: str) -> None:
    """Write ``text`` to a new file at ``target`` (0600); an existing one is never replaced."""
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())


_TAG_SPLIT = re.compile(r"[,\s]+")
_LIST_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( +)")
#: Spaces one indent adds or takes away when no list item above says otherwise.
INDENT = 2
#: Shown in the top bar by `journal --demo`, so nobody mistakes the sample for their journal.
DEMO_LABEL = "demo journal · nothing here touches yours"
#: The same on a narrow terminal, where the date comes first.
DEMO_SHORT_LABEL = "demo journal"


def parse_tags(text: str) -> list[str]:
    """``'calls, #growth  team'`` -> ``['calls', '#growth', 'team']`` (normalised later)."""
    return [t for t in _TAG_SPLIT.split(text) if t.strip()]


def indent_step(lines: list[str], row: int) -> int:
    """How far alt+right indents line ``row``: under the content of the list item above it.

    Markdown nests a list item by indenting it to where the text of the item above starts
    (``- `` is two columns, ``10. `` four); anything else moves by :data:`INDENT` spaces.
    """
    current = len(lines[row]) - len(lines[row].lstrip(" "))
    for above in reversed(lines[:row]):
        if not above.strip():
            continue
        match = _LIST_ITEM.match(above)
        if match:
            content = len(match.group(0))
            if content > current:
                return content - current
        break
    return INDENT


def outdent_step(lines: list[str], row: int) -> int:
    """How far alt+left takes line ``row`` back: to the indent of the item it is nested in."""
    current = len(lines[row]) - len(lines[row].lstrip(" "))
    if current == 0:
        return 0
    for above in reversed(lines[:row]):
        depth = len(above) - len(above.lstrip(" "))
        if above.strip() and depth < current:
            return current - depth
    return min(current, INDENT)


def long_date(day: date) -> str:
    """``Sunday 22 November 2026``."""
    return f"{day:%A} {day.day} {day:%B %Y}"


class TodayScreen(WritingScreen[None]):
    """The home screen: prompt card, title and tags, the editor, and today's entries."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("ctrl+n", "new_entry", "New", priority=True),
        Binding("ctrl+r", "another_prompt", "Another prompt", priority=True),
        Binding(
            "ctrl+b", "toggle_star", "Star or unstar today's prompt", priority=True, show=False
        ),
        # Only while the first run's welcome shows (check_action): they close it. No
        # description: it is no key of Today's to list in f1 or the palette.
        Binding("enter,escape", "close_welcome", "", priority=True, show=False),
        Binding("alt+right", "indent", "Indent the line (nests a list item)", show=False),
        Binding("alt+left", "outdent", "Outdent the line", show=False),
        Binding(
            "ctrl+o",
            "open_in_editor",
            "Open in my editor",
            priority=True,
            show=False,
            tooltip="Open in my editor ($VISUAL / $EDITOR); the text comes back unsaved",
        ),
        Binding(
            "ctrl+t",
            "insert_followups",
            "Insert the prompt's questions as headings",
            priority=True,
            show=False,
        ),
        Binding(
            "alt+o",
            "copy_out",
            "Copy the text out to a file or the clipboard",
            priority=True,
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="today")
        self.day: date = self.app.today()
        self.prompt: Prompt | None = None
        #: How the feed chose the prompt on show (kind, reason, look-back entry).
        self.choice: DayPrompt | None = None
        #: When set, the feed only offers prompts of this theme.
        self.theme_filter: str | None = None
        self.editing: Entry | None = None
        self._saved_values: tuple[str, str, str] = ("", "", "")
        #: Whether noting a prompt in the journal failed already (said once per session).
        self._prompt_log_failed = False
        #: Whether the last save failed: the next good one clears the warnings about it.
        self._save_failed = False
        #: What the top bar says after a save (when, and where the entry went).
        self._saved_at = ""
        #: Autosaves unsaved text as a draft and offers drafts of ended sessions back.
        self.drafts = DraftKeeper(self)

    # ---- layout ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """Top bar, prompt card, writer and sidebar, footer."""
        with Horizontal(id="topbar"):
            yield Static(long_date(self.day), id="date")
            if self.app.demo:
                yield Static(DEMO_LABEL, id="demo-label")
                yield Static(DEMO_SHORT_LABEL, id="demo-short-label")
            if self.app.journal_name:
                yield Static(
                    Content(f"journal · {visible_line(self.app.journal_name)}"),
                    id="journal-label",
                )
            yield Static("", id="on-this-day-hint")
            yield Static("", id="status")
        yield PromptCard(id="prompt")
        with Horizontal(id="main"):
            with Vertical(id="writer"):
                with Horizontal(id="meta"):
                    yield Input(placeholder="Title (optional)", id="title", compact=True)
                    yield Input(placeholder="Tags (optional)", id="tags", compact=True)
                yield TextArea(
                    "",
                    language="markdown",
                    id="editor",
                    soft_wrap=True,
                    # tab moves on to the next region; alt+right / alt+left indent (help.py).
                    tab_behavior="focus",
                    placeholder="Write here. ctrl+s saves; ctrl+t brings in the questions.",
                )
            with Vertical(id="sidebar"):
                # Follow-ups and revisits due; hidden when nothing is (flows.py).
                yield DueList(id="due")
                yield EntryList(id="today-entries", empty_text="Nothing yet today.")
        if self.app.first_run and self.app.start != "checkin":
            yield WelcomePanel(self.app.store.path)
        yield FittingFooter()

    def on_mount(self) -> None:
        """Choose the prompt, show today's entries, put the cursor in the editor."""
        self.query_one("#today-entries", EntryList).border_title = "Today"
        self._choose_prompt()
        self.refresh_entries()
        self.call_after_refresh(self._show_on_this_day_hint)
        self._update_editor_title()
        self.query_one("#editor", TextArea).focus()
        self.set_interval(2.0, self._check_external_changes)
        self.drafts.start()
        offer_unfinished_checkin(self, self.app)

    def on_unmount(self) -> None:
        """Stop autosaving; a draft still on disk is offered at the next start."""
        self.drafts.stop()

    # ---- prompt ---------------------------------------------------------------------------

    def _feed(self) -> PromptFeed:
        return self.app.prompt_feed()

    def _choose_prompt(self, *, only_new: bool = False) -> None:
        # only_new: back from a check-in or a dialog, change the prompt only when the moment
        # now calls for a new one (after a check-in), and never under unsaved text.
        chosen = self._feed().for_day(self.day, moment=self.app.prompt_moment(self.day))
        if only_new and (
            chosen is None or chosen.logged or chosen.prompt == self.prompt or self.has_unsaved
        ):
            return
        self.choice = chosen
        if chosen is None:
            self._show_prompt(None)
            return
        self._show_prompt(chosen.prompt)
        if chosen.kind == WEEKLY and not only_new:
            self.notify("It is the weekly-review day: f8 opens a short review of the week.")
        if not chosen.logged:
            # Logging writes the whole journal (~0.3 s at 36,500 entries): after the first
            # frame, so the editor is on screen at once.
            self.call_after_refresh(self._log_prompt, chosen.prompt, "shown")

    def _show_prompt(self, prompt: Prompt | None) -> None:
        self.prompt = prompt
        if self._answered_elsewhere():
            return  # the card shows the prompt the open entry answered (_show_entry_context)
        card = self.query_one(PromptCard)
        card.display = True
        if prompt is not None:
            pack_title = self.app.prompts.packs[prompt.pack].title
            parts = []
            if prompt.id in self.app.starred_prompts():
                parts.append("★ starred")
            # The pack title is worth showing only when it says more than the theme does.
            if pack_title.casefold() != theme_label(prompt.theme).casefold():
                parts.append(pack_title)
            if self.theme_filter:
                parts.append("this theme only")
            choice = self.choice if self.choice and self.choice.prompt == prompt else None
            if choice is not None and choice.kind != DAILY:
                parts.insert(0, choice.reason.split(" of entry")[0])
            card.pack_title = " · ".join(parts)
            card.lookback = choice.lookback if choice is not None else None
        card.prompt = prompt

    def write_about(self, prompt: Prompt) -> None:
        """Start a fresh entry about ``prompt`` (the caller has dealt with unsaved text)."""
        if self.editing is not None or any(self.values()):
            self._start_new()
        self.use_prompt(prompt)

    def use_prompt(self, prompt: Prompt) -> None:
        """Put a prompt chosen elsewhere (library, palette) in front of the writer."""
        if self.prompt is not None and self.prompt.id != prompt.id:
            self._log_prompt(self.prompt, "skipped")
        if self.prompt is None or self.prompt.id != prompt.id:
            self._log_prompt(prompt, "shown")
        self._show_prompt(prompt)
        self.query_one("#editor", TextArea).focus()

    def narrow_to_theme(self, theme: str | None) -> None:
        """Only offer prompts of ``theme`` from now on (None: every theme)."""
        self.theme_filter = theme
        if theme is None:
            self.notify("Prompts from every theme.")
            if self.prompt is not None:
                self._show_prompt(self.prompt)
            return
        if self.prompt is not None and self.prompt.theme == theme:
            self._show_prompt(self.prompt)
        else:
            nxt = self._another(self.prompt.id if self.prompt else None, theme)
            if nxt is not None:
                self.use_prompt(nxt)
        self.notify(f"Prompts about {theme.replace('-', ' ')} only. Pick a theme again to widen.")

    def action_toggle_star(self) -> None:
        """Star today's prompt so it comes back more often (or unstar it)."""
        if self.prompt is None:
            return
        try:
            starred = self.app.toggle_prompt_star(self.prompt.id)
        except JournalError as exc:
            self.app.report(exc, title="Star not saved")
            return
        self._show_prompt(self.prompt)
        self.notify("Starred: this prompt will come back more often." if starred else "Unstarred.")

    def _another(self, current: str | None, theme: str | None) -> Prompt | None:
        moment = self.app.prompt_moment(self.day)
        nxt = self._feed().another(self.day, current, theme, moment=moment)
        if nxt is not None and self.choice is not None:
            # The same kind as the day's prompt (and beside the same look-back entry).
            self.choice = DayPrompt(nxt, self.day, False, self.choice.kind, self.choice.lookback)
        return nxt

    def _log_prompt(self, prompt: Prompt, status: str) -> None:
        try:
            self.app.store.log_prompt(self.day.isoformat(), prompt.id, prompt.pack, status)
        except JournalError as exc:
            # The log is a nicety; never block writing because of it, and say so once (a
            # full disk or a read-only journal fails every time, from the start).
            if not self._prompt_log_failed:
                self._prompt_log_failed = True
                self.app.report(exc, title="Prompt log not saved (you can still write)")

    def action_another_prompt(self) -> None:
        """Move on to a different prompt; the day's first one stays in the log."""
        if self.prompt is None:
            self.notify("No prompt packs are enabled.", severity="warning")
            return
        if self.editing is not None:
            self.notify("This entry keeps the prompt it answered. ctrl+n starts a new entry.")
            return
        current = self.prompt
        nxt = self._another(current.id, self.theme_filter)
        if nxt is None or nxt.id == current.id:
            self.notify("No other prompt to offer.", severity="warning")
            return
        self._log_prompt(current, "skipped")
        self._log_prompt(nxt, "shown")
        self._show_prompt(nxt)

    def action_insert_followups(self) -> None:
        """Put the prompt and its follow-up questions into the entry as headings."""
        # The card's prompt: today's, or the one the open entry answered.
        prompt = self.query_one(PromptCard).prompt
        if prompt is None:
            return
        editor = self.query_one("#editor", TextArea)
        questions = list(prompt.followups)
        if not questions:
            self.notify("This prompt has no follow-up questions.")
            return
        block = "".join(f"## {q}\n\n\n" for q in questions)
        text = editor.text
        if text and not text.endswith("\n\n"):
            block = ("\n" if text.endswith("\n") else "\n\n") + block
        editor.move_cursor(editor.document.end)
        editor.insert(block)
        # Land the cursor under the first inserted question.
        first_row = editor.document.end[0] - 3 * len(questions) + 1
        editor.move_cursor((max(first_row, 0), 0))
        editor.focus()

    def _show_on_this_day_hint(self) -> None:
        count = len(self.app.on_this_day_entries())
        hint = self.query_one("#on-this-day-hint", Static)
        hint.update(f"On this day: {count} from earlier years · f9" if count else "")
        hint.display = bool(count)

    def action_open_in_editor(self) -> None:
        """Edit what the writer holds in $VISUAL / $EDITOR; it comes back unsaved (ctrl+o)."""
        from journal.tui.external_editor import edit_outside

        title, tags, body = self.values()
        day = self.editing.day if self.editing else self.day.isoformat()
        try:
            edited = edit_outside(
                self.app,
                title=title,
                tags=parse_tags(tags),
                day=day,
                body=body,
                journal_path=self.app.store.path,
                key=self.app.store.key,
                uid=self.editing.uid if self.editing else "",
                base=self.editing,
            )
        except JournalError as exc:
            self.app.report(exc, title="Editor")
            return
        finally:
            self.refresh(layout=True)
        if edited is None:
            self.notify("No change in the editor.")
            return
        self.query_one("#title", Input).value = edited.title
        self.query_one("#tags", Input).value = ", ".join(edited.tags)
        editor = self.query_one("#editor", TextArea)
        editor.load_text(edited.body)
        editor.move_cursor(editor.document.end)
        editor.focus()
        if edited.day != day:
            self.notify("The day can be changed from the shell (journal edit); kept as it was.")
        self._update_status()
        self.notify("Back from the editor: ctrl+s saves it.")

    def action_indent(self) -> None:
        """Indent the editor's line (or the selected lines), as Markdown nests list items."""
        self._shift_lines(outdent=False)

    def action_outdent(self) -> None:
        """Take the editor's line (or the selected lines) back one level."""
        self._shift_lines(outdent=True)

    def _shift_lines(self, *, outdent: bool) -> None:
        editor = self.query_one("#editor", TextArea)
        editor.focus()
        lines = editor.text.split("\n")
        start, end = sorted((editor.selection.start, editor.selection.end))
        cursor_row, cursor_col = editor.cursor_location
        last = end[0] - (1 if end[0] > start[0] and end[1] == 0 else 0)
        shift = 0
        for row in range(start[0], last + 1):
            if outdent:
                step = outdent_step(lines, row)
                if step:
                    editor.delete((row, 0), (row, step))
                    lines[row] = lines[row][step:]
            else:
                step = indent_step(lines, row)
                editor.insert(" " * step, (row, 0))
                lines[row] = " " * step + lines[row]
            if row == cursor_row:
                shift = -step if outdent else step
        editor.move_cursor((cursor_row, max(cursor_col + shift, 0)))

    # ---- entries --------------------------------------------------------------------------

    def refresh_entries(self) -> None:
        """Reload today's entries into the sidebar."""
        from journal.store import make_filter

        flt = make_filter(since=self.day, until=self.day)
        entries = self.app.store.entries(flt)
        entry_list = self.query_one("#today-entries", EntryList)
        entry_list.show(entries, highlight=self.editing.uid if self.editing else None)
        count = len(entries)
        entry_list.border_title = f"Today · {count}" if count else "Today"
        due_actions.refresh_due(self, self.day)

    def on_entries_changed(self, _: EntriesChanged) -> None:
        """An import or an undone delete: today's list may have changed."""
        self.refresh_entries()

    def _check_external_changes(self) -> None:
        try:
            changed = self.app.store.refresh()
        except JournalError as exc:
            self.app.report(exc, title="Journal file problem")
            return
        if changed:
            self._follow_outside_edit()
            self.refresh_entries()
            self.notify("The journal changed outside the app; the list is up to date.")

    def _follow_outside_edit(self) -> None:
        """The entry open here changed elsewhere: show the new version if nothing is typed.

        With unsaved text the editor is left alone; the next save merges or asks.
        """
        if self.editing is None or self.has_unsaved:
            return
        fresh = self.app.store.get(self.editing.uid)
        if fresh is None or fresh == self.editing:
            return
        self.editing = fresh
        self._set_values(fresh.title, ", ".join(fresh.tags), fresh.body)
        self._update_editor_title()

    # ---- editor state ---------------------------------------------------------------------

    def values(self) -> tuple[str, str, str]:
        """(title, tags, body) as typed."""
        return (
            self.query_one("#title", Input).value,
            self.query_one("#tags", Input).value,
            self.query_one("#editor", TextArea).text,
        )

    @property
    def has_unsaved(self) -> bool:
        """True when the editor holds text that is not saved."""
        return self.values() != self._saved_values

    def _set_values(self, title: str, tags: str, body: str) -> None:
        self.query_one("#title", Input).value = title
        self.query_one("#tags", Input).value = tags
        editor = self.query_one("#editor", TextArea)
        self._long_text(load_text_fitted(editor, body))
        editor.move_cursor(editor.document.end)
        self._saved_values = self.values()
        self._update_status()

    def _update_editor_title(self) -> None:
        editor = self.query_one("#editor", TextArea)
        if self.editing is None:
            editor.border_title = "New entry"
        else:
            created = datetime.fromisoformat(self.editing.created)
            written = f"{created:%H:%M}"
            if self.editing.day != self.day.isoformat():
                written = f"{short_day(self.editing.day)}, {written}"
            editor.border_title = f"Editing · written {written}"
        self._show_entry_context()

    def _answered_elsewhere(self) -> bool:
        """True when the open entry is not one answering today's prompt today."""
        entry = self.editing
        if entry is None:
            return False
        if entry.day != self.day.isoformat():
            return True
        return entry.prompt is None or self.prompt is None or entry.prompt.id != self.prompt.id

    def _show_entry_context(self) -> None:
        """The top bar's day and the prompt card: the open entry's own, or today's."""
        entry = self.editing
        date_label = self.query_one("#date", Static)
        card = self.query_one(PromptCard)
        other_day = entry is not None and entry.day != self.day.isoformat()
        date_label.update(long_day(entry.day) if entry and other_day else long_date(self.day))
        date_label.set_class(other_day, "-other-day")
        if entry is None or not self._answered_elsewhere():
            if card.prompt is not self.prompt or not card.display:
                self._show_prompt(self.prompt)
            return
        ref = entry.prompt
        if ref is None:
            # Nothing answered: showing today's prompt would suggest it did.
            card.display = False
            return
        known = self.app.prompts.get(ref.id)
        card.display = True
        card.pack_title = "the prompt this entry answered"
        # The text as it was shown at the time (it is stored with the entry), escaped.
        card.prompt = Prompt(
            id=ref.id,
            text=visible(ref.text),
            pack=ref.pack,
            theme=known.theme if known else "",
            followups=known.followups if known else (),
        )

    def _update_status(self) -> None:
        status = self.query_one("#status", Static)
        if self.has_unsaved:
            status.update("● unsaved")
            status.set_class(True, "-unsaved")
        else:
            status.update(self._saved_at or "saved" if self.editing else "")
            status.set_class(False, "-unsaved")

    @on(TextArea.Changed, "#editor")
    @on(Input.Changed, "#title, #tags")
    def _edited(self) -> None:
        if self.query(WelcomePanel):
            self.action_close_welcome()  # the first words close the welcome and stay
        self._update_status()
        self.drafts.changed()
        editor = self.query_one("#editor", TextArea)
        self._long_text(fit_highlighting(editor, text_size(editor)))

    def _long_text(self, switched_off: bool | None) -> None:
        # widgets/long_text.py: Markdown highlighting costs too much per key on huge entries.
        if switched_off:
            self.notify("A long entry: Markdown colours are off so typing stays quick.")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter and escape close the welcome while it shows; otherwise they are the editor's."""
        if action == "close_welcome":
            return bool(self.query(WelcomePanel))
        return super().check_action(action, parameters)

    def action_close_welcome(self) -> None:
        """Close the first run's welcome; the cursor is in the editor already."""
        for panel in self.query(WelcomePanel):
            panel.remove()
        self.query_one("#editor", TextArea).focus()

    # ---- drafts (see drafting.py) ---------------------------------------------------------

    def current_draft(self) -> Draft:
        """The editor's state as a draft."""
        title, tags, body = self.values()
        prompt = self.prompt
        return Draft(
            title=title,
            tags=tags,
            body=body,
            editing=self.editing.uid if self.editing else None,
            prompt=PromptRef(prompt.id, prompt.pack, prompt.text) if prompt else None,
            day=self.day.isoformat(),
            base=(self.editing.title, self.editing.tags, self.editing.body)
            if self.editing
            else None,
        )

    def draft_is_saved(self, draft: Draft) -> bool:
        """Whether the journal already holds exactly this draft's text (nothing to offer)."""
        key = (draft.title.strip(), normalise_tags(parse_tags(draft.tags)), draft.body)
        store = self.app.store
        if draft.editing:
            found = store.get(draft.editing)
            candidates = [found] if found is not None else []
        else:
            from journal.store import make_filter

            try:
                day = date.fromisoformat(draft.day)
            except ValueError:
                return False
            candidates = store.entries(make_filter(since=day, until=day))
        return any((e.title, e.tags, e.body) == key for e in candidates)

    def restore_draft(self, draft: Draft) -> None:
        """Put a draft back in the editor; it stays unsaved until ctrl+s."""
        entry = self.app.store.get(draft.editing) if draft.editing else None
        if draft.editing and entry is None:
            self.notify("The entry it was editing is gone; it will be saved as a new one.")
        if entry is not None and draft.base is not None:
            # The draft was typed over the entry as it was then: that is the version a save
            # compares with, so a change saved elsewhere since is merged or asked about.
            title, tags, body = draft.base
            entry = dataclasses.replace(entry, title=title, tags=tags, body=body)
        self.editing = entry
        if entry is not None:
            self._set_values(entry.title, ", ".join(entry.tags), entry.body)
        elif draft.prompt is not None:
            prompt = self.app.prompts.get(draft.prompt.id)
            if prompt is not None and prompt != self.prompt:
                self.use_prompt(prompt)
        self.query_one("#title", Input).value = draft.title
        self.query_one("#tags", Input).value = draft.tags
        editor = self.query_one("#editor", TextArea)
        self._long_text(load_text_fitted(editor, draft.body))
        editor.move_cursor(editor.document.end)
        self._update_status()
        self._update_editor_title()
        self.refresh_entries()
        editor.focus()

    def discard_draft(self) -> None:
        """The user chose to discard the unsaved text (app.guard_unsaved)."""
        self.drafts.discard()

    def flush_draft(self) -> None:
        """Write the draft now: the terminal is going away."""
        self.drafts.flush()

    # ---- actions --------------------------------------------------------------------------

    def action_save(self) -> None:
        """Save the entry (new, or the one being edited), once every key typed is in it.

        ctrl+s is a priority binding: the app runs it as soon as it reads the key, while
        keys read just before it (a paste, a text expander, one burst from tmux) may still
        wait in the focused field's queue. ``call_later`` on that field runs the save after
        them, so it takes the text with every one of those keys applied. With nothing
        waiting, the save runs at once.
        """
        focused = self.app.focused
        if focused is None or focused.message_queue_size == 0 or not focused.call_later(self.save):
            self.save()

    def save(self) -> bool:
        """Save what is in the editor; True when it is safely on disk.

        An edit goes through the store's three-way rule (store/conflicts.py): what another
        window or the shell changed meanwhile is kept, and when the text itself changed on
        both sides nothing is written until the user chooses (dialogs/conflict.py). A write
        that fails (a full disk, a read-only journal) leaves the text here to try again.
        """
        title, tags_text, body = self.values()
        if not body.strip() and not title.strip():
            self.notify("Nothing to save yet.", severity="warning")
            return False
        store = self.app.store
        moment = self.app.now()
        try:
            if self.editing is not None:
                base = self.editing
                mine = base.edited(
                    moment, title=title.strip(), body=body, tags=parse_tags(tags_text)
                )
                entry = store.update(mine, expected=base, touch=False)
            else:
                prompt = self.prompt
                entry = Entry.new(
                    body,
                    title=title,
                    tags=parse_tags(tags_text),
                    day=self.day,
                    prompt=PromptRef(prompt.id, prompt.pack, prompt.text) if prompt else None,
                    moment=moment,
                )
                with store.transaction():
                    store.add(entry)
                    if prompt is not None:
                        store.log_prompt(self.day.isoformat(), prompt.id, prompt.pack, "answered")
        except EditConflictError as exc:
            self._ask_about_conflict(exc)
            return False
        except JournalError as exc:
            self.report_not_saved(exc)
            return False
        self._saved(entry, moment)
        return True

    def report_not_saved(self, exc: JournalError) -> None:
        """Say why the save failed, that the text is still here and how to go on."""
        self._save_failed = True
        self.app.report(
            JournalError(
                exc.message,
                "\n".join(
                    part
                    for part in (
                        exc.hint,
                        "Your text is still here: press ctrl+s to try again, or alt+o to "
                        "copy it out to a file or the clipboard.",
                    )
                    if part
                ),
            ),
            title="Not saved: your text is still here",
        )

    def _saved(self, entry: Entry, moment: datetime, note: str = "") -> None:
        """The entry is on disk: show it as saved (with what others changed meanwhile)."""
        title, tags, body = self.values()
        self.editing = entry
        if (title.strip(), normalise_tags(parse_tags(tags)), body) != (
            entry.title,
            entry.tags,
            entry.body,
        ):
            # The other side changed a field left alone here, and its change was kept.
            self._set_values(entry.title, ", ".join(entry.tags), entry.body)
        self._saved_values = self.values()
        self.drafts.saved()
        self._update_status()
        self._update_editor_title()
        self.refresh_entries()
        if self._save_failed:
            # What the failed tries said no longer holds: leave only the good news.
            self._save_failed = False
            self.app.clear_notifications()
        # Said in the top bar, not a toast: a toast would sit over Today's list.
        self._saved_at = f"Saved at {moment:%H:%M}"
        if entry.day != self.day.isoformat():
            # It is not in Today's list: say where it is.
            self._saved_at += f" · {short_day(entry.day)}, in History (f3)"
        self._update_status()
        if note:
            self.notify(note.strip(), title="Saved")

    def _ask_about_conflict(self, conflict: EditConflictError) -> None:
        """The entry changed elsewhere in the same text: let the user choose; lose nothing."""
        from journal.tui.dialogs.conflict import (
            KEEP_BOTH,
            KEEP_MINE,
            KEEP_THEIRS,
            SAVE_AS_NEW,
            ConflictScreen,
        )

        mine, theirs = conflict.mine, conflict.stored
        # Written now, so even a crash while the dialog is open costs nothing.
        self.drafts.write_now()

        def answered(answer: str | None) -> None:
            if answer == KEEP_MINE and theirs is not None:
                self.editing = theirs  # the base is now what is stored: mine goes over it
                self.save()
            elif answer == KEEP_THEIRS and theirs is not None:
                self.editing = theirs
                self._set_values(theirs.title, ", ".join(theirs.tags), theirs.body)
                self.drafts.saved()
                self._update_editor_title()
                self.refresh_entries()
                self.notify("The version saved elsewhere is in the editor now.")
            elif answer in (KEEP_BOTH, SAVE_AS_NEW):
                self._save_as_new(mine, theirs)
            else:
                self.notify("Nothing saved; your text is still here. ctrl+s asks again.")

        self.app.push_screen(ConflictScreen(mine, theirs), answered)

    def _save_as_new(self, mine: Entry, theirs: Entry | None) -> None:
        """Mine as an entry of its own, beside theirs (which stays as saved)."""
        moment = self.app.now()
        entry = Entry.new(
            mine.body,
            title=mine.title,
            tags=mine.tags,
            day=mine.day,
            prompt=mine.prompt,
            kind=mine.kind if mine.kind in ("reflection", "note") else "reflection",
            moment=moment,
        )
        try:
            self.app.store.add(entry)
        except JournalError as exc:
            self.report_not_saved(exc)
            return
        both = " Both kept: yours is a new entry beside the other one."
        self._saved(entry, moment, both if theirs is not None else "")

    # ---- copying the text out (when the journal cannot take it) -----------------------

    def text_out(self) -> str:
        """The editor's title, tags and body as one Markdown text."""
        title, tags, body = self.values()
        head = [f"# {title.strip()}"] if title.strip() else []
        if tags.strip():
            head.append(f"Tags: {tags.strip()}")
        return "\n\n".join([*head, body]).rstrip("\n") + "\n"

    def action_copy_out(self) -> None:
        """Write the editor's text to a file the user names, or to the clipboard."""
        from journal.tui.dialogs.copy_out import CopyOutChoice, CopyOutScreen

        if not any(part.strip() for part in self.values()):
            self.notify("There is no text to copy out.", severity="warning")
            return
        text = self.text_out()
        suggested = str(Path.home() / f"journal-{self.app.now():%Y-%m-%d-%H%M}.md")

        def chosen(choice: CopyOutChoice | None) -> None:
            if choice is None:
                return
            if choice.where == "clipboard":
                self.app.copy_to_clipboard(text)
                self.notify(
                    "Copied to the clipboard, where the terminal allows it (in tmux: "
                    "set -g set-clipboard on). The editor still has it.",
                    title="Copied",
                )
                return
            target = Path(choice.path).expanduser()
            try:
                write_new_file(target, text)
            except OSError as exc:
                self.notify(
                    f"{target} could not be written: {failure_reason(exc)}. The text is still "
                    "here; choose another place (alt+o), such as another disk.",
                    title="Not copied",
                    severity="error",
                    timeout=15,
                    markup=False,
                )
                return
            self.notify(f"Written to {target}. The editor still has it.", markup=False)

        self.app.push_screen(CopyOutScreen(suggested), chosen)

    def action_new_entry(self) -> None:
        """Start a fresh entry (asks first if there is unsaved text)."""
        self.app.guard_unsaved(self._start_new, doing="start a new entry")

    def _start_new(self) -> None:
        self.editing = None
        self._saved_at = ""
        self._set_values("", "", "")
        self._update_editor_title()
        self.refresh_entries()
        self.query_one("#editor", TextArea).focus()

    @on(DueList.FollowUpPicked, "#due")
    def _follow_up_picked(self, event: DueList.FollowUpPicked) -> None:
        due_actions.pick_follow_up(self, event.uid, self.day)

    @on(DueList.RevisitPicked, "#due")
    def _revisit_picked(self, event: DueList.RevisitPicked) -> None:
        due_actions.pick_revisit(self, event.uid, self.day)

    def on_screen_resume(self) -> None:
        """Back from a check-in, a revisit or a dialog: what is due may have changed, and
        after a check-in the next prompt is one for after a tough call."""
        self.refresh_entries()
        self._choose_prompt(only_new=True)

    @on(EntryList.EntrySelected, "#today-entries")
    def _open_entry(self, event: EntryList.EntrySelected) -> None:
        if self.editing is not None and event.uid == self.editing.uid:
            self.query_one("#editor", TextArea).focus()
            return
        entry = self.app.store.get(event.uid)
        if entry is not None and entry.kind == "checkin" and entry.checkin is not None:
            self.app.open_checkin(entry)  # on its own screen: the text here stays as it is
            return
        self.app.guard_unsaved(lambda: self.open_entry(event.uid), doing="open another entry")

    def open_entry(self, uid: str) -> None:
        """Load a saved entry into the editor for editing."""
        entry = self.app.store.get(uid)
        if entry is None:
            self.notify("That entry no longer exists.", severity="warning")
            self.refresh_entries()
            return
        if entry.kind == "checkin" and entry.checkin is not None:
            self.app.open_checkin(entry)  # a check-in stays a check-in
            return
        self.editing = entry
        self._saved_at = ""
        self._set_values(entry.title, ", ".join(entry.tags), entry.body)
        self._update_editor_title()
        self.query_one("#editor", TextArea).focus()
