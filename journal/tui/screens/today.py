"""Today: the day's prompt, a calm place to write, and today's entries beside it."""

from __future__ import annotations

import re
from datetime import date, datetime

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Static, TextArea

from journal.dates import long_day, short_day
from journal.display import visible
from journal.errors import JournalError
from journal.models import Entry, PromptRef
from journal.prompts import Prompt, PromptFeed
from journal.store.drafts import Draft
from journal.tui import flows as due_actions
from journal.tui.dialogs.welcome import WelcomePanel
from journal.tui.drafting import DraftKeeper, WritingScreen
from journal.tui.messages import EntriesChanged
from journal.tui.widgets.due_list import DueList
from journal.tui.widgets.entry_list import EntryList
from journal.tui.widgets.fitting_footer import FittingFooter
from journal.tui.widgets.long_text import fit_highlighting, load_text_fitted, text_size
from journal.tui.widgets.prompt_card import PromptCard, theme_label

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
            "ctrl+t",
            "insert_followups",
            "Insert the prompt's questions as headings",
            priority=True,
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__(id="today")
        self.day: date = self.app.today()
        self.prompt: Prompt | None = None
        #: When set, the feed only offers prompts of this theme.
        self.theme_filter: str | None = None
        self.editing: Entry | None = None
        self._saved_values: tuple[str, str, str] = ("", "", "")
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
        self._update_editor_title()
        self.query_one("#editor", TextArea).focus()
        self.set_interval(2.0, self._check_external_changes)
        self.drafts.start()

    def on_unmount(self) -> None:
        """Stop autosaving; a draft still on disk is offered at the next start."""
        self.drafts.stop()

    # ---- prompt ---------------------------------------------------------------------------

    def _feed(self) -> PromptFeed:
        return self.app.prompt_feed()

    def _choose_prompt(self) -> None:
        chosen = self._feed().for_day(self.day)
        if chosen is None:
            self._show_prompt(None)
            return
        self._show_prompt(chosen.prompt)
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
            card.pack_title = " · ".join(parts)
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
            nxt = self._feed().another(self.day, self.prompt.id if self.prompt else None, theme)
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

    def _log_prompt(self, prompt: Prompt, status: str) -> None:
        try:
            self.app.store.log_prompt(self.day.isoformat(), prompt.id, prompt.pack, status)
        except JournalError as exc:
            # The log is a nicety; never block writing because of it.
            self.app.report(exc, title="Prompt log not saved")

    def action_another_prompt(self) -> None:
        """Move on to a different prompt; the day's first one stays in the log."""
        if self.prompt is None:
            self.notify("No prompt packs are enabled.", severity="warning")
            return
        if self.editing is not None:
            self.notify("This entry keeps the prompt it answered. ctrl+n starts a new entry.")
            return
        current = self.prompt
        nxt = self._feed().another(self.day, current.id, self.theme_filter)
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
            self.refresh_entries()
            self.notify("The journal changed outside the app; the list is up to date.")

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
        )

    def restore_draft(self, draft: Draft) -> None:
        """Put a draft back in the editor; it stays unsaved until ctrl+s."""
        entry = self.app.store.get(draft.editing) if draft.editing else None
        if draft.editing and entry is None:
            self.notify("The entry it was editing is gone; it will be saved as a new one.")
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
        """Save the entry (new, or the one being edited)."""
        self.save()

    def save(self) -> bool:
        """Save what is in the editor; True when it is safely on disk."""
        title, tags_text, body = self.values()
        if not body.strip() and not title.strip():
            self.notify("Nothing to save yet.", severity="warning")
            return False
        store = self.app.store
        moment = self.app.now()
        try:
            if self.editing is not None:
                entry = self.editing.edited(
                    moment, title=title.strip(), body=body, tags=parse_tags(tags_text)
                )
                store.update(entry, touch=False)
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
        except JournalError as exc:
            self.app.report(exc, title="Not saved: your text is still here")
            return False
        self.editing = entry
        self._saved_values = self.values()
        self.drafts.saved()
        self._update_status()
        self._update_editor_title()
        self.refresh_entries()
        # Said in the top bar, not a toast: a toast would sit over Today's list.
        self._saved_at = f"Saved at {moment:%H:%M}"
        if entry.day != self.day.isoformat():
            # It is not in Today's list: say where it is.
            self._saved_at += f" · {short_day(entry.day)}, in History (f3)"
        self._update_status()
        return True

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
        """Back from a check-in, a revisit or a dialog: what is due may have changed."""
        self.refresh_entries()

    @on(EntryList.EntrySelected, "#today-entries")
    def _open_entry(self, event: EntryList.EntrySelected) -> None:
        if self.editing is not None and event.uid == self.editing.uid:
            self.query_one("#editor", TextArea).focus()
            return
        self.app.guard_unsaved(lambda: self.open_entry(event.uid), doing="open another entry")

    def open_entry(self, uid: str) -> None:
        """Load a saved entry into the editor for editing."""
        entry = self.app.store.get(uid)
        if entry is None:
            self.notify("That entry no longer exists.", severity="warning")
            self.refresh_entries()
            return
        self.editing = entry
        self._saved_at = ""
        self._set_values(entry.title, ", ".join(entry.tags), entry.body)
        self._update_editor_title()
        self.query_one("#editor", TextArea).focus()
