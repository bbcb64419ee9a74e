"""Changing entries from the shell: ``journal edit`` (in your editor) and ``journal delete``.

Both keep the app's promises: an edit is applied whole or not at all, an entry that changed
meanwhile is never overwritten silently, and a delete takes a copy of the journal first and
says how to get the entries back.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from typing import TYPE_CHECKING

from journal.cli.common import (
    UsageError,
    add_command,
    add_filters,
    edit_text,
    entries_text,
    filter_from,
    forget_kept,
    kept_base_changed,
    load_settings,
    open_store,
    parse_or_keep,
    resolve_entry,
    start_text,
    warn_backup,
)
from journal.display import visible_line
from journal.errors import JournalError

if TYPE_CHECKING:
    from journal.cli.common import Subparsers


def register(subparsers: Subparsers) -> None:
    """Add ``edit`` and ``delete``."""
    p = add_command(subparsers, "edit", "edit an entry in $VISUAL / $EDITOR")
    p.add_argument("id", metavar="ID", help="the entry's uid, or a unique start of it")
    p.add_argument(
        "--no-inline-tags", action="store_true", help="do not turn #word / @word into tags"
    )
    add_from_option(p)
    p.set_defaults(func=cmd_edit)

    p = add_command(subparsers, "delete", "delete entries by id or by filter (asks first)")
    p.add_argument("ids", nargs="*", metavar="ID", help="entries' uids or unique starts of them")
    add_filters(p)
    p.add_argument("--yes", action="store_true", help="do not ask (for scripts)")
    p.set_defaults(func=cmd_delete)


def add_from_option(parser: argparse.ArgumentParser) -> None:
    """``--from FILE``: open an edit that was kept aside (unapplied-edits/) instead."""
    parser.add_argument(
        "--from",
        dest="from_file",
        metavar="FILE",
        help="open an edit kept in unapplied-edits/ (after a broken front matter) again",
    )


def _inline(settings_allow: bool, args: argparse.Namespace) -> bool:
    return settings_allow and not getattr(args, "no_inline_tags", False)


def cmd_edit(args: argparse.Namespace) -> int:
    """``journal edit ID``."""
    from journal.tags import with_inline_tags
    from journal.transfer.editing import entry_editor_text

    settings = load_settings()
    store = open_store(args)
    before = resolve_entry(store, args.id)
    text = start_text(args, store, entry_editor_text(before))
    after, changed = edit_text(text, name=f"entry-{before.uid[:8]}.md")
    if not changed:
        print("No change; the entry is as it was.")
        return 0
    try:
        edited = parse_or_keep(
            after, store, again=f"journal edit {before.uid[:8]}", uid=before.uid, base=before
        )
    except JournalError:
        forget_kept(args)  # kept again, under a new name
        raise
    body = edited.body
    if not before.body.endswith("\n") and body.endswith("\n"):
        body = body[:-1]  # the file's final newline (see entry_editor_text) is not the text's
    tags = edited.tags
    if _inline(settings.inline_tags, args):
        tags = with_inline_tags(tags, edited.title, body)
    from journal.models import Entry
    from journal.store import EditConflictError

    def keep_as_new(where: str, deleted: bool = False) -> int:
        copy = Entry.new(body, title=edited.title, tags=tags, day=edited.day, kind=before.kind)
        copy = dataclasses.replace(copy, prompt=before.prompt)
        store.add(copy)
        forget_kept(args)
        print(
            f"The entry {before.uid[:8]} {where}. Nothing was "
            f"overwritten: your version is saved as a new entry, {copy.uid[:8]}"
            + ("." if deleted else "; `journal show` both and delete the one you do not want.")
        )
        warn_backup(store)
        return 0

    if kept_base_changed(args, before):
        # The kept edit began from an older version: its text would undo what changed since.
        return keep_as_new("changed after this edit was kept")
    try:
        # The app's rule (store/conflicts.py): compared with the entry as it was loaded, so
        # what changed elsewhere meanwhile (`journal done`, a star) is kept, and text changed
        # on both sides is never overwritten.
        saved = store.update(
            before.edited(title=edited.title, tags=tags, day=edited.day, body=body),
            expected=before,
        )
    except EditConflictError as exc:
        if exc.stored is None:
            return keep_as_new("was deleted while you edited it", deleted=True)
        return keep_as_new("was changed elsewhere while you edited it")
    forget_kept(args)
    print(f"Saved {saved.uid[:8]}.")
    warn_backup(store)
    return 0


# ---- delete -------------------------------------------------------------------------------


def _has_filter(args: argparse.Namespace) -> bool:
    return bool(args.since or args.until or args.tag or args.kind or args.search or args.starred)


def _ask(question: str) -> bool:
    """A yes/no question on the terminal; never assumes yes without one."""
    try:
        tty = open("/dev/tty", "r+", encoding="utf-8")  # noqa: SIM115 - closed below
    except OSError:
        return False
    with tty:
        tty.write(question)
        tty.flush()
        answer = tty.readline()
    return answer.strip().lower() in {"y", "yes"}


def cmd_delete(args: argparse.Namespace) -> int:
    """``journal delete ID...`` or ``journal delete --search/--tag/--since/--until...``."""
    from journal.store.backups import keep_copy

    if not args.ids and not _has_filter(args):
        raise UsageError("say which entries: ids, or filters such as --tag or --since")
    if args.ids and _has_filter(args):
        raise UsageError("give ids or filters, not both")
    store = open_store(args)
    if args.ids:
        chosen = {e.uid: e for e in (resolve_entry(store, i) for i in args.ids)}
        going = list(chosen.values())
    else:
        going = list(store.iter_entries(filter_from(args)))
    if not going:
        print("No entry matches; nothing was deleted.")
        return 0
    print(f"{entries_text(len(going))} will be deleted:")
    for e in going[:30]:
        print(f"  {e.day}  {e.uid[:8]}  {visible_line(e.headline)[:60]}")
    if len(going) > 30:
        print(f"  ... and {len(going) - 30} more")
    if not args.yes:
        interactive = sys.stdin.isatty() or os.environ.get("JOURNAL_ASK_TTY") == "1"
        if not interactive:
            raise UsageError(
                "not deleting without a yes: there is no terminal to ask on. "
                "Add --yes to delete from a script."
            )
        if not _ask(f"Delete {entries_text(len(going))}? [y/N] "):
            print("Nothing was deleted.")
            return 0
    kept = keep_copy(store.path, tag="before-delete")
    with store.transaction():
        for e in going:
            store.delete(e.uid)
    print(f"Deleted {entries_text(len(going))}.")
    if kept is not None:
        print(
            f"A copy of the journal from just before is kept as {kept.name}; "
            f"`journal restore {kept.name}` puts it back (the journal as it is now is kept "
            "aside first)."
        )
    return 0
