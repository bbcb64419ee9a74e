"""Two machines, one journal: ``journal merge OTHER`` brings another copy of this journal in."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from journal.cli.common import UsageError, add_command, open_store, unlock
from journal.display import visible_line

if TYPE_CHECKING:
    from journal.cli.common import Subparsers


def register(subparsers: Subparsers) -> None:
    """Add ``merge``."""
    p = add_command(
        subparsers,
        "merge",
        "bring another copy of this journal in (a sync conflict copy, a backup); no text is lost",
    )
    p.add_argument("other", type=Path, metavar="OTHER", help="the other copy's file")
    p.add_argument("--dry-run", action="store_true", help="say what would happen; change nothing")
    p.set_defaults(func=cmd_merge)


def cmd_merge(args: argparse.Namespace) -> int:
    """``journal merge OTHER [--dry-run]``."""
    from journal.store import Store
    from journal.store.backups import keep_copy
    from journal.store.merge import plan_merge, snapshot_of

    other_path = Path(args.other).expanduser()
    if not other_path.is_file():
        raise UsageError(f"{visible_line(str(other_path))} is not a file")
    store = open_store(args)
    if other_path.resolve() == store.path.resolve():
        raise UsageError("that is this journal itself; give the other copy")
    key = unlock(other_path, what=f"the other copy {other_path.name}")
    other = Store.open(other_path, key=key)
    plan = plan_merge(snapshot_of(store), snapshot_of(other))
    print(plan.summary(dry_run=args.dry_run))
    for mark, entries in (("+", plan.added), ("~", plan.updated), ("!", plan.conflicts)):
        for e in entries:
            print(f"  {mark} {e.day}  {e.uid[:8]}  {visible_line(e.headline)[:60]}")
    for e in plan.deleted:
        print(f"  - {e.day}  {e.uid[:8]}  {visible_line(e.headline)[:60]}")
    if args.dry_run:
        print("Nothing was changed (dry run).")
        return 0
    kept = keep_copy(store.path, tag="before-merge")
    store.apply_merge(plan.upserts, [e.uid for e in plan.deleted], plan.tombstones, plan.versions)
    if plan.conflicts:
        print(
            "Texts changed on both sides are kept as entries titled 'Conflict copy: ...' "
            "(tag #conflict): `journal list --tag conflict`."
        )
    if kept is not None:
        print(f"The journal from just before is kept as {kept.name} (`journal restore` it).")
    print(f"{other_path.name} was not changed; delete it once you are happy with the merge.")
    return 0
