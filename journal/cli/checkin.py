"""The check-in's commands: ``journal checkin``, ``due``, ``done`` and ``stats``.

Only ``checkin`` starts the app; the others never import Textual, so ``journal due`` stays
quick enough for a shell start-up file.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import TYPE_CHECKING

from journal.cli.common import (
    UsageError,
    add_command,
    as_of,
    date_arg,
    due_date_arg,
    open_store,
    print_json,
    run_app,
    warn_invalid,
)
from journal.display import visible_line
from journal.errors import JournalError
from journal.models import now_local

if TYPE_CHECKING:
    from journal.cli.common import Subparsers
    from journal.models import Entry
    from journal.stats import CheckinStats
    from journal.store import Store


def register(subparsers: Subparsers) -> None:
    """Add ``checkin``, ``due``, ``done`` and ``stats``."""
    p = add_command(
        subparsers, "checkin", "open the app straight into the check-in after a tough call"
    )
    p.set_defaults(func=cmd_checkin)

    p = add_command(
        subparsers,
        "due",
        "print follow-ups and revisits that are due, one a line (nothing when none)",
    )
    p.add_argument("--date", type=date_arg, metavar="DATE", help="as of another day")
    p.add_argument("--json", action="store_true", help="print JSON for machines")
    p.set_defaults(func=cmd_due)

    p = add_command(subparsers, "done", "mark an entry's follow-up done")
    p.add_argument("uid", metavar="UID", help="the entry's id, or its first characters")
    p.add_argument("--note", default="", metavar="TEXT", help="how it went (optional)")
    p.set_defaults(func=cmd_done)

    p = add_command(subparsers, "move", "move an open follow-up to another day")
    p.add_argument("uid", metavar="UID", help="the entry's id, or its first characters")
    p.add_argument(
        "due",
        type=due_date_arg,
        metavar="DATE",
        help="the new day (friday means the next one; a missed follow-up still counts late)",
    )
    p.set_defaults(func=cmd_move)

    p = add_command(
        subparsers,
        "stats",
        "follow-ups kept on time, ratings before, after and looking back, feelings named most",
    )
    p.add_argument("--date", type=date_arg, metavar="DATE", help="as of another day")
    p.add_argument("--json", action="store_true", help="print JSON for machines")
    p.set_defaults(func=cmd_stats)


def cmd_checkin(args: argparse.Namespace) -> int:
    """``journal checkin``: the app, opened on the check-in."""
    return run_app(args, start="checkin")


def cmd_due(args: argparse.Namespace) -> int:
    """``journal due``: one line per item due; nothing at all when nothing is due."""
    from journal.dates import short_day
    from journal.due import due_items

    store = open_store(args)
    items = due_items(store, as_of(args))
    if args.json:
        print_json([item.to_dict() for item in items])
    else:
        lines = []
        for item in items:
            text = visible_line(" ".join(item.text.split()))
            if item.kind == "revisit":
                text = f"look back on: {text} (from {short_day(item.entry_day)})"
            if len(text) > 70:
                text = text[:69] + "…"
            uid = visible_line(item.uid[:8])
            lines.append(f"{item.status:<8}  {short_day(item.due):<10}  {uid}  {text}")
        if lines:
            sys.stdout.write("\n".join(lines) + "\n")
    warn_invalid(store)
    return 0


def _with_follow_up(store: Store, given: str) -> Entry:
    """The entry whose id starts with ``given`` and that has a follow-up (``done``, ``move``);
    a usage error saying what to give otherwise."""
    uid = store.find_uid(given.strip())
    if uid is None:
        raise UsageError(
            f"no entry has the id {visible_line(given)!r} (give the id `journal due` shows, "
            "at least 4 characters, or enough to be unique)"
        )
    entry = store.get(uid)
    if entry is None:
        raise UsageError(f"entry {visible_line(uid[:8])} is not readable; run `journal doctor`")
    if entry.follow_up is None:
        raise JournalError(
            f"Entry {visible_line(uid[:8])} ({visible_line(entry.headline[:50])}) "
            "has no follow-up.",
            "`journal due` lists the open follow-ups and their ids.",
        )
    return entry


def cmd_done(args: argparse.Namespace) -> int:
    """``journal done UID``: mark the follow-up done now, with an optional note."""
    from journal.dates import relative_day, short_day
    from journal.due import mark_done

    store = open_store(args)
    entry = _with_follow_up(store, args.uid)
    moment = now_local()
    updated = mark_done(entry, moment, args.note)
    store.update(updated, expected=entry, touch=False)
    follow_up = updated.follow_up
    assert follow_up is not None  # mark_done keeps the follow-up and ticks it
    due = date.fromisoformat(follow_up.due)
    late = (moment.date() - due).days
    when = "on time" if late <= 0 else f"{late} day{'s' if late != 1 else ''} late"
    print(
        f"Done: {visible_line(follow_up.action)} "
        f"(due {short_day(due)}, {relative_day(due, moment.date())}; {when})"
    )
    return 0


def cmd_move(args: argparse.Namespace) -> int:
    """``journal move UID DATE``: the open follow-up is due on another day."""
    from journal.dates import relative_day, short_day
    from journal.display import visible_line
    from journal.due import move_follow_up

    store = open_store(args)
    entry = _with_follow_up(store, args.uid)
    moment = now_local()
    updated = move_follow_up(entry, args.due, moment)
    store.update(updated, expected=entry, touch=False)
    follow_up = updated.follow_up
    assert follow_up is not None  # move_follow_up keeps the follow-up
    due = date.fromisoformat(follow_up.due)
    line = (
        f"Moved: {visible_line(follow_up.action)} "
        f"(now due {short_day(due)}, {relative_day(due, moment.date())})"
    )
    if follow_up.missed is not None:
        line += f"; it missed {short_day(follow_up.missed)}, so it counts as late"
    print(line)
    return 0


def stats_lines(stats: CheckinStats) -> list[str]:
    """The readable form of ``journal stats``."""

    from journal.display import visible_line

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{value:.0f}%"

    rows: list[tuple[str, str]] = [("Check-ins", str(stats.checkins))]
    if stats.follow_ups:
        rows.append(
            (
                "Follow-ups kept on time",
                f"{pct(stats.kept_on_time_pct)} ({stats.follow_ups_kept_on_time} of "
                f"{stats.follow_ups_settled} settled; {stats.follow_ups_open} open, "
                f"{stats.follow_ups_overdue} overdue)",
            )
        )
        if stats.follow_ups_moved:
            overdue = stats.follow_ups_moved_overdue
            rows.append(
                (
                    "Follow-ups moved",
                    f"{stats.follow_ups_moved}"
                    + (f" ({overdue} when already overdue: counted late)" if overdue else ""),
                )
            )
    else:
        rows.append(("Follow-ups kept on time", "- (no follow-ups yet)"))
    if stats.intensity_pairs:
        rows.append(
            (
                "Intensity before → after",
                f"{stats.intensity_before_avg:.1f} → {stats.intensity_after_avg:.1f} "
                f"(average drop {stats.intensity_drop_avg:.1f} over "
                f"{stats.intensity_pairs} check-in{'s' if stats.intensity_pairs != 1 else ''})",
            )
        )
    else:
        before = stats.intensity_before_avg
        after = stats.intensity_after_avg
        rows.append(
            (
                "Intensity before → after",
                f"{'-' if before is None else f'{before:.1f}'} → "
                f"{'-' if after is None else f'{after:.1f}'}",
            )
        )
    answered = sum(stats.reactions.values())
    if answered:
        parts = " · ".join(f"{k} {pct(v)}" for k, v in stats.reaction_pct.items())
        rows.append(("What I did first", f"{parts} (of {answered})"))
    else:
        rows.append(("What I did first", "-"))
    if stats.feelings_top:
        rows.append(
            (
                "Feelings named most",
                ", ".join(f"{visible_line(f['word'])} ({f['count']})" for f in stats.feelings_top),
            )
        )
    rows.append(("Revisits written", str(stats.revisits)))
    if stats.revisit_stings:
        rows.append(
            (
                "Still stings, looking back",
                f"{stats.revisit_sting_avg:.1f} of 10 on average "
                f"(over {len(stats.revisit_stings)} check-in"
                f"{'s' if len(stats.revisit_stings) != 1 else ''})",
            )
        )
    width = max(len(label) for label, _ in rows)
    return [f"{label:<{width}}  {value}" for label, value in rows]


def cmd_stats(args: argparse.Namespace) -> int:
    """``journal stats``: the numbers, plain or as JSON."""
    from journal.stats import compute_stats

    store = open_store(args)
    stats = compute_stats(store, as_of(args))
    if args.json:
        print_json(stats.to_dict())
    else:
        print("\n".join(stats_lines(stats)))
    warn_invalid(store)
    return 0
