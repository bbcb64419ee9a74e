"""The check-in's commands: ``journal checkin``, ``due``, ``done`` and ``stats``.

Registered by :mod:`journal.cli`. Only ``checkin`` starts the app; the others never import
Textual, so ``journal due`` stays quick enough for a shell start-up file.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from journal.stats import CheckinStats


def add_commands(command: Callable[[str, str], argparse.ArgumentParser]) -> None:
    """Add the subcommands through ``cli.build_parser``'s ``command(name, help)`` helper."""
    from journal.cli import _date_arg

    command("checkin", "open the app straight into the check-in after a tough call")

    p = command("due", "print follow-ups and revisits that are due, one a line (nothing when none)")
    p.add_argument("--date", type=_date_arg, metavar="DATE", help="as of another day")
    p.add_argument("--json", action="store_true", help="print JSON for machines")

    p = command("done", "mark an entry's follow-up done")
    p.add_argument("uid", metavar="UID", help="the entry's id, or its first characters")
    p.add_argument("--note", default="", metavar="TEXT", help="how it went (optional)")

    p = command("stats", "follow-ups kept on time, intensity before and after, responses")
    p.add_argument("--date", type=_date_arg, metavar="DATE", help="as of another day")
    p.add_argument("--json", action="store_true", help="print JSON for machines")


def _as_of(args: argparse.Namespace) -> date:
    from journal.cli import _today

    return date.fromisoformat(args.date) if getattr(args, "date", None) else _today()


def _print_json(payload: Any) -> None:
    import orjson

    sys.stdout.write(orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode() + "\n")


def cmd_checkin(args: argparse.Namespace) -> int:
    """``journal checkin``: the app, opened on the check-in."""
    from journal.cli import run_app

    return run_app(args, start="checkin")


def cmd_due(args: argparse.Namespace) -> int:
    """``journal due``: one line per item due; nothing at all when nothing is due."""
    from journal.cli import _warn_invalid, open_store
    from journal.dates import short_day
    from journal.due import due_items

    store = open_store(args)
    today = _as_of(args)
    items = due_items(store, today)
    if args.json:
        _print_json([item.to_dict() for item in items])
    else:
        lines = []
        for item in items:
            text = " ".join(item.text.split())
            if item.kind == "revisit":
                text = f"look back on: {text} (from {short_day(item.entry_day)})"
            if len(text) > 70:
                text = text[:69] + "…"
            lines.append(f"{item.status:<8}  {short_day(item.due):<10}  {item.uid[:8]}  {text}")
        if lines:
            sys.stdout.write("\n".join(lines) + "\n")
    _warn_invalid(store)
    return 0


def cmd_done(args: argparse.Namespace) -> int:
    """``journal done UID``: mark the follow-up done now, with an optional note."""
    from journal.cli import UsageError, open_store
    from journal.dates import relative_day, short_day
    from journal.due import mark_done
    from journal.errors import JournalError
    from journal.models import now_local

    store = open_store(args)
    uid = store.find_uid(args.uid.strip())
    if uid is None:
        raise UsageError(
            f"no entry has the id {args.uid!r} (give the id `journal due` shows, "
            "at least 4 characters, or enough to be unique)"
        )
    entry = store.get(uid)
    if entry is None:
        raise UsageError(f"entry {uid[:8]} is not readable; run `journal doctor`")
    if entry.follow_up is None:
        raise JournalError(
            f"Entry {uid[:8]} ({entry.headline[:50]}) has no follow-up.",
            "`journal due` lists the open follow-ups and their ids.",
        )
    moment = now_local()
    updated = mark_done(entry, moment, args.note)
    store.update(updated, touch=False)
    due = date.fromisoformat(updated.follow_up.due)  # type: ignore[union-attr]
    late = (moment.date() - due).days
    when = "on time" if late <= 0 else f"{late} day{'s' if late != 1 else ''} late"
    print(
        f"Done: {updated.follow_up.action} "  # type: ignore[union-attr]
        f"(due {short_day(due)}, {relative_day(due, moment.date())}; {when})"
    )
    return 0


def stats_lines(stats: CheckinStats) -> list[str]:
    """The readable form of ``journal stats``."""

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
        rows.append(("Reactions", f"{parts} (of {answered})"))
    else:
        rows.append(("Reactions", "-"))
    rows.append(("Revisits written", str(stats.revisits)))
    width = max(len(label) for label, _ in rows)
    return [f"{label:<{width}}  {value}" for label, value in rows]


def cmd_stats(args: argparse.Namespace) -> int:
    """``journal stats``: the numbers, plain or as JSON."""
    from journal.cli import _warn_invalid, open_store
    from journal.stats import compute_stats

    store = open_store(args)
    stats = compute_stats(store, _as_of(args))
    if args.json:
        _print_json(stats.to_dict())
    else:
        print("\n".join(stats_lines(stats)))
    _warn_invalid(store)
    return 0


COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "checkin": cmd_checkin,
    "due": cmd_due,
    "done": cmd_done,
    "stats": cmd_stats,
}
