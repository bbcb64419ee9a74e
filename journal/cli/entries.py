"""From the shell: ``journal today`` (the app), ``add``, ``list`` and ``prompt``."""

from __future__ import annotations

import argparse
import itertools
import sys
from datetime import date
from typing import TYPE_CHECKING

from journal.cli.common import (
    UsageError,
    add_command,
    add_filters,
    as_of,
    date_arg,
    day_or_today,
    edit_text,
    filter_from,
    forget_kept,
    json_text,
    load_prompts,
    load_settings,
    open_store,
    parse_or_keep,
    positive_int,
    print_json,
    run_app,
    start_text,
    warn_backup,
    warn_invalid,
)
from journal.display import visible, visible_line
from journal.errors import JournalError
from journal.models import Entry, now_local

if TYPE_CHECKING:
    from collections.abc import Iterator

    from journal.cli.common import Subparsers
    from journal.store import Store


def register(subparsers: Subparsers) -> None:
    """Add ``today``, ``add`` and ``list`` (``prompt``: :func:`register_prompt`)."""
    p = add_command(subparsers, "today", "open the app on Today (the default)")
    p.set_defaults(func=cmd_today)

    p = add_command(subparsers, "add", "add an entry without opening the app; prints its uid")
    p.add_argument(
        "text",
        nargs="?",
        help="the entry's text, or - to read it from standard input; none: write it in $EDITOR",
    )
    p.add_argument("--title", default="", help="a title for the entry")
    p.add_argument("--tag", action="append", default=[], metavar="TAG", help="a tag (repeatable)")
    p.add_argument("--date", type=date_arg, metavar="DATE", help="the day it belongs to")
    p.add_argument(
        "--kind", choices=("reflection", "note"), default="reflection", help="entry kind"
    )
    p.add_argument(
        "--no-inline-tags", action="store_true", help="do not turn #word / @word into tags"
    )
    p.add_argument(
        "--from",
        dest="from_file",
        metavar="FILE",
        help="open an edit kept in unapplied-edits/ (after a broken front matter) again",
    )
    p.set_defaults(func=cmd_add)

    p = add_command(subparsers, "list", "list entries, newest first")
    p.add_argument("-n", type=positive_int, metavar="N", help="at most N entries")
    add_filters(p)
    p.add_argument(
        "--on-this-day",
        action="store_true",
        help="entries from this day of the year in earlier years",
    )
    p.add_argument(
        "--on", type=date_arg, metavar="DATE", help="entries from DATE's day in earlier years"
    )
    p.add_argument("--json", action="store_true", help="print JSON for machines")
    p.set_defaults(func=cmd_list)


def register_prompt(subparsers: Subparsers) -> None:
    """Add ``prompt`` (apart from :func:`register` only so ``--help`` keeps its order)."""
    p = add_command(subparsers, "prompt", "print today's prompt and its follow-up questions")
    p.add_argument("--date", type=date_arg, metavar="DATE", help="the prompt of another day")
    p.add_argument("--theme", metavar="THEME", help="only prompts of this theme")
    p.add_argument("--next", action="store_true", help="another prompt instead")
    p.add_argument("--json", action="store_true", help="print JSON for machines")
    p.set_defaults(func=cmd_prompt)


def cmd_today(args: argparse.Namespace) -> int:
    """``journal`` and ``journal today``: the app, opened on Today."""
    return run_app(args)


def cmd_add(args: argparse.Namespace) -> int:
    """``journal add``: the text given, standard input (``-``), or the editor (no text)."""
    if args.from_file is not None and args.text is not None:
        raise UsageError("give the text or --from FILE, not both")
    if args.text is None:
        store = open_store(args)
        added = add_from_editor(args, store)
        if added is not None:
            print(added.uid)
            warn_backup(store)
        return 0
    text = sys.stdin.read() if args.text == "-" else args.text
    if not text.strip():
        raise UsageError("the entry is empty; nothing was saved")
    tags = args.tag
    if not args.no_inline_tags and load_settings().inline_tags:
        from journal.tags import with_inline_tags

        tags = with_inline_tags(tags, args.title, text)
    entry = Entry.new(
        text.rstrip("\n") + ("\n" if args.text == "-" else ""),
        title=args.title,
        tags=tags,
        day=args.date,
        kind=args.kind,
    )
    store = open_store(args)
    store.add(entry)
    print(entry.uid)
    warn_backup(store)
    return 0


def add_from_editor(args: argparse.Namespace, store: Store) -> Entry | None:
    """``journal add`` with no text: a new entry written in the editor (None if left empty)."""
    from journal.tags import with_inline_tags
    from journal.transfer.editing import editor_text

    day = args.date or now_local().date().isoformat()
    template = start_text(args, store, editor_text(args.title, list(args.tag), day, ""))
    after, changed = edit_text(template, name="new-entry.md")
    if not changed:
        print("Nothing was written; no entry was added.")
        return None
    try:
        edited = parse_or_keep(after, store, again="journal add")
    except JournalError:
        forget_kept(args)  # kept again, under a new name
        raise
    if not edited.body.strip() and not edited.title.strip():
        print("The entry is empty; nothing was saved.")
        return None
    tags = edited.tags
    if load_settings().inline_tags and not args.no_inline_tags:
        tags = with_inline_tags(tags, edited.title, edited.body)
    entry = Entry.new(edited.body, title=edited.title, tags=tags, day=edited.day, kind=args.kind)
    added = store.add(entry)
    forget_kept(args)
    return added


def cmd_list(args: argparse.Namespace) -> int:
    """``journal list``."""
    store = open_store(args)
    # One pass per process: caching parsed documents or search text would only cost memory.
    store.cache_search_text = store.keep_parsed = False
    # Streamed: entries are built, printed and dropped one by one (flat memory instead of
    # every Entry, every dict and the whole output at once).
    found: Iterator[Entry] = store.iter_entries(filter_from(args))
    if args.on_this_day or args.on:
        from journal.onthisday import on_this_day

        found = on_this_day(found, day_or_today(args.on))
    entries = itertools.islice(found, args.n)
    out = sys.stdout
    if args.json:
        # The same text as print_json(list), one entry at a time: an entry's own lines are
        # indented by two more spaces (JSON strings hold no newline).
        out.write("[")
        first = True
        for e in entries:
            text = json_text(e.to_dict())
            out.write(("\n  " if first else ",\n  ") + text.replace("\n", "\n  "))
            first = False
        out.write("]\n" if first else "\n]\n")
    else:
        for e in entries:
            # Control characters (an ESC from a paste) must not drive the user's terminal.
            tags = " ".join(f"#{visible_line(t)}" for t in e.tags)
            star = "*" if e.starred else " "
            headline = visible_line(e.headline)
            if len(headline) > 60:
                headline = headline[:59] + "…"
            line = f"{e.day}  {visible_line(e.uid[:8])} {star} {e.kind:<10}  {headline}  {tags}"
            out.write(line.rstrip())
            out.write("\n")
    warn_invalid(store)
    return 0


def cmd_prompt(args: argparse.Namespace) -> int:
    """``journal prompt``: print the day's prompt (never writes to the journal).

    The same choice as the app's: the feed reads the same moment (check-ins today, the
    review weekday, an entry to look back on) from the journal.
    """
    from journal.display import visible_line
    from journal.prompts import PromptFeed, read_moment
    from journal.store import make_filter

    settings = load_settings()
    library = load_prompts(settings)
    store = open_store(args)
    day: date = as_of(args)
    if args.theme and args.theme not in library.themes:
        themes = ", ".join(visible_line(t) for t in library.themes)
        raise UsageError(f"no theme {visible_line(args.theme)!r}; themes: {themes}")
    stars = [*settings.starred_prompts, *store.starred_prompts()]
    feed = PromptFeed(library, store.prompt_log(), stars)
    moment = read_moment(
        store,
        day,
        hour=now_local().hour,
        review_weekday=settings.review_weekday,
        between=lambda since, until: store.entries(make_filter(since=since, until=until)),
    )
    chosen = feed.for_day(day, theme=args.theme, moment=moment)
    if chosen is None:
        print("journal: no prompts are enabled (check the config file)", file=sys.stderr)
        return 1
    prompt = chosen.prompt
    if args.next:
        prompt = feed.another(day, prompt.id, theme=args.theme, moment=moment) or prompt
    pack = library.packs[prompt.pack]
    if args.json:
        print_json(
            {
                "day": day.isoformat(),
                "id": prompt.id,
                "pack": prompt.pack,
                "pack_title": pack.title,
                "theme": prompt.theme,
                "text": prompt.text,
                "followups": list(prompt.followups),
                "tags": list(prompt.tags),
                "when": list(prompt.when),
                "time": prompt.time,
                "reason": chosen.to_dict(),
            }
        )
        return 0
    if chosen.lookback is not None:
        print(visible_line(chosen.lookback.label()))
    # A prompt pack in the user's folder is text from outside, like an import.
    print(visible(prompt.text))
    for question in prompt.followups:
        print(f"  - {visible_line(question)}")
    print(f"  ({visible_line(pack.title)}; {visible_line(prompt.id)}; {chosen.reason})")
    return 0
