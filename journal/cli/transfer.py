"""Taking the journal out and bringing it back: ``journal export`` and ``journal import``.

Neither command imports Textual.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from journal.cli.common import (
    UsageError,
    add_command,
    add_filters,
    filter_from,
    importing,
    open_store,
    warn,
    warn_invalid,
)
from journal.display import visible, visible_line

if TYPE_CHECKING:
    from journal.cli.common import Subparsers


def register(subparsers: Subparsers) -> None:
    """Add ``export`` and ``import``."""
    p = add_command(
        subparsers, "export", "export entries to Markdown: one file, or one file per entry"
    )
    where = p.add_mutually_exclusive_group(required=True)
    where.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE",
        help="one Markdown file: year, month and one heading per entry ('-': standard output)",
    )
    where.add_argument(
        "--per-entry",
        type=Path,
        metavar="DIR",
        help="one file per entry (YAML front matter + body) in DIR/YYYY/",
    )
    p.add_argument(
        "--force", action="store_true", help="overwrite FILE, or write into a non-empty DIR"
    )
    p.add_argument(
        "--plain",
        action="store_true",
        help="with -o: leave out the hidden restore data (the file cannot be imported back)",
    )
    add_filters(p)
    p.set_defaults(func=cmd_export)

    p = add_command(
        subparsers,
        "import",
        "import journal's own export, or move in from jrnl, Day One or Markdown notes",
    )
    p.add_argument(
        "path",
        type=Path,
        metavar="PATH",
        help="a --per-entry folder, a file from export -o, a jrnl JSON export, a Day One "
        "export (zip or JSON), or a folder (or .md file) of Markdown notes",
    )
    p.add_argument(
        "--format",
        choices=("journal", "jrnl", "dayone", "markdown"),
        default=None,
        help="what PATH is: journal's own export, a jrnl JSON export, a Day One export "
        "(zip or JSON), or a folder of Markdown notes (default: detect it)",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="print what would be added, updated and skipped; change nothing",
    )
    p.set_defaults(func=cmd_import)


def _terminal_progress(verb: str) -> Callable[[int, int], None] | None:
    """A one-line counter on stderr, only when stderr is a terminal."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        end = "\n" if done >= total else ""
        print(f"\r{verb}… {done}/{total}", end=end, file=sys.stderr, flush=True)

    return show


def cmd_export(args: argparse.Namespace) -> int:
    """``journal export -o FILE`` or ``journal export --per-entry DIR``."""
    from journal.display import visible_line
    from journal.transfer.export import (
        ExportError,
        ExportResult,
        export_conflict,
        export_file,
        export_per_entry,
        write_markdown,
    )

    per_entry = args.per_entry is not None
    out: Path = (args.per_entry if per_entry else args.output).expanduser()
    to_stdout = not per_entry and str(args.output) == "-"
    if per_entry and args.plain:
        raise UsageError("--plain applies to -o FILE only (per-entry files have no hidden data)")
    if not to_stdout:
        try:
            conflict = export_conflict(out, per_entry=per_entry)
        except ExportError as exc:
            raise UsageError(exc.message) from None
        if conflict and not args.force:
            raise UsageError(f"{conflict.rstrip('.')}; add --force to overwrite it")
    store = open_store(args)
    if store.encrypted:
        # Said before a byte is written: the export is readable by anyone who gets the file.
        print("Note: your journal is encrypted; this export is plain text.", file=sys.stderr)
    # One pass over the journal: do not keep parsed documents (memory stays near the file's
    # size; tests/bench measures it against jrnl).
    store.keep_parsed = False
    flt = filter_from(args)
    progress = _terminal_progress("Exporting")
    if to_stdout:
        done = write_markdown(store, sys.stdout.buffer, flt, restore=not args.plain)
        sys.stdout.buffer.flush()
        result = ExportResult(Path("-"), done, per_entry=False)
    elif per_entry:
        result = export_per_entry(store, out, flt, force=args.force, progress=progress)
    else:
        result = export_file(
            store, out, flt, force=args.force, restore=not args.plain, progress=progress
        )
    print(visible_line(result.describe()), file=sys.stderr)
    for note in result.notes:
        print(f"journal: note: {visible_line(note)}", file=sys.stderr)
    warn_invalid(store)
    return 1 if result.not_written else 0


def cmd_import(args: argparse.Namespace) -> int:
    """``journal import PATH [--format journal|jrnl] [--dry-run]``: all or nothing."""
    # Here, not at the top: the importers load PyYAML and markdown-it, which no other
    # command needs.
    from journal.transfer.importers import describe_changes, run_import

    store = open_store(args)
    with importing(args.path):
        plan = run_import(
            store,
            args.path,
            args.format,
            dry_run=args.dry_run,
            progress=_terminal_progress("Reading"),
        )
    # Every line below quotes the file's own text (titles, ids, names): shown escaped.
    print(visible(plan.summary(dry_run=args.dry_run)))
    if args.dry_run:
        for line in describe_changes(plan):
            print(visible_line(line))
        print("Nothing was changed (dry run).")
    elif plan.updated:
        print("Updated (the file's copy replaced the journal's):")
        for line in describe_changes(plan):
            if line.lstrip().startswith("~"):
                print(visible_line(line))
    for warning in plan.warnings:
        warn(f"note: {warning}")
    return 0
