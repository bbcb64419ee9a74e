"""Reading from the shell: ``journal show``, ``journal tags`` and ``journal journals``."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from typing import TYPE_CHECKING

from journal.cli.common import (
    add_command,
    db_path,
    entries_text,
    load_settings,
    open_store,
    print_json,
    resolve_entry,
    warn_invalid,
)
from journal.display import visible, visible_line
from journal.errors import JournalError

if TYPE_CHECKING:
    from journal.cli.common import Subparsers
    from journal.models import Entry
    from journal.store import Store


def register(subparsers: Subparsers) -> None:
    """Add ``show``, ``tags`` and ``journals``."""
    p = add_command(subparsers, "show", "show one entry in full (a unique start of its id will do)")
    p.add_argument("id", metavar="ID", help="the entry's uid, or a unique start of it")
    how = p.add_mutually_exclusive_group()
    how.add_argument("--json", action="store_true", help="print JSON for machines")
    how.add_argument(
        "--markdown", action="store_true", help="print exactly what the export writes for it"
    )
    p.set_defaults(func=cmd_show)

    p = add_command(subparsers, "tags", "every tag with how often it is used, most used first")
    p.add_argument("--json", action="store_true", help="print JSON for machines")
    p.add_argument("--names", action="store_true", help=argparse.SUPPRESS)  # for completion
    p.set_defaults(func=cmd_tags)

    p = add_command(subparsers, "journals", "the named journals of the config file")
    p.add_argument("--json", action="store_true", help="print JSON for machines")
    p.add_argument("--names", action="store_true", help=argparse.SUPPRESS)  # for completion
    p.set_defaults(func=cmd_journals)


def show_text(entry: Entry) -> str:
    """The entry as a person reads it on a terminal (control characters escaped)."""
    from journal.transfer.render import render_checkin

    lines = [visible_line(entry.title) if entry.title else f"Untitled {entry.kind}"]
    lines.append(f"{entry.day}  {entry.created[11:16]}  {entry.kind}  id {entry.uid}")
    if entry.prompt is not None:
        lines.append(f"Prompt: {visible_line(entry.prompt.text)}")
    if entry.tags:
        lines.append("Tags: " + " ".join(f"#{visible_line(t)}" for t in entry.tags))
    if entry.starred:
        lines.append("Starred")
    if entry.follow_up is not None:
        f = entry.follow_up
        state = f"done {f.done[:10]}" if f.done else f"due {f.due}"
        lines.append(f"Follow-up: {visible_line(f.action)} ({state})")
        if f.note:
            lines.append(f"  Note: {visible_line(f.note)}")
    if entry.revisit_on:
        lines.append(f"Look back on: {entry.revisit_on}")
    body = entry.body.rstrip("\n")
    if body:
        lines += ["", visible(body)]
    if entry.checkin:
        lines += ["", visible(render_checkin(entry.checkin).rstrip("\n"))]
    return "\n".join(lines) + "\n"


def cmd_show(args: argparse.Namespace) -> int:
    """``journal show ID``."""
    store = open_store(args)
    entry = resolve_entry(store, args.id)
    if args.json:
        # orjson escapes every control character in strings: the output is valid JSON and
        # holds no raw escape byte.
        print_json(entry.to_dict())
    elif args.markdown:
        from journal.transfer.export import entry_file_text

        sys.stdout.write(visible(entry_file_text(entry)))
    else:
        sys.stdout.write(show_text(entry))
    warn_invalid(store)
    return 0


def tag_counts(store: Store) -> list[tuple[str, int]]:
    """Every tag and how many entries carry it, most used first (then by name)."""
    counts: Counter[str] = Counter()
    for entry in store.entries():
        counts.update(entry.tags)
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def cmd_tags(args: argparse.Namespace) -> int:
    """``journal tags``."""
    store = open_store(args)
    counts = tag_counts(store)
    if args.names:
        for tag, _count in counts:
            print(visible_line(tag))
        return 0
    if args.json:
        print_json([{"tag": tag, "count": count} for tag, count in counts])
    elif not counts:
        print("No tags yet. Add some with --tag, or write #word in an entry.")
    else:
        width = max(len(str(c)) for _, c in counts)
        for tag, count in counts:
            print(f"{count:>{width}}  #{visible_line(tag)}")
    warn_invalid(store)
    return 0


def cmd_journals(args: argparse.Namespace) -> int:
    """``journal journals``: each named journal with its path and how many entries it has."""
    from journal.store import Store
    from journal.store.crypto import CryptoError, read_file_header

    settings = load_settings()
    if args.names:
        for name, _path in settings.journals:
            print(name)
        return 0
    current = db_path(args)
    rows: list[dict[str, object]] = []
    for name, path in settings.journals:
        count: int | None = None
        state = "not created yet"
        if path.exists():
            try:
                if read_file_header(path) is not None:
                    state = "encrypted"
                else:
                    count = Store.open(path).count()
                    state = entries_text(count)
            except (CryptoError, OSError, JournalError) as exc:  # listed, not fatal
                state = f"cannot be read: {visible_line(str(exc).splitlines()[0])}"
        rows.append(
            {
                "name": name,
                "path": str(path),
                "entries": count,
                "state": state,
                "current": path == current,
            }
        )
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("No named journals. Add them to the config file, for example:")
        print('  [journals]\n  work = "~/journals/work.json"')
        print("then use one with `journal -j work ...`.")
        return 0
    width = max(len(str(r["name"])) for r in rows)
    for r in rows:
        mark = "*" if r["current"] else " "
        print(f"{mark} {r['name']!s:<{width}}  {r['state']!s:<18}  {visible_line(str(r['path']))}")
    return 0
