"""``journal --demo``: the app on a throwaway journal full of sample entries.

Everything the demo could write (the journal, its lock, drafts, backups, a theme chosen in
the app) lands in one private temporary folder that is removed when the app ends, even
after an error. The user's journal and config are never opened.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from journal.cli.common import UsageError
from journal.models import now_local
from journal.paths import CONFIG_ENV, DB_ENV

#: The temporary folder's name starts with this (tests look for leftovers by it).
DEMO_PREFIX = "journal-demo-"
#: Commands that open the app, and so can run on the demo journal.
APP_COMMANDS = (None, "today", "checkin", "history")


def add_option(parser: argparse.ArgumentParser) -> None:
    """Add ``--demo`` to the main parser (it names no subcommand: it changes what the app
    opens)."""
    parser.add_argument(
        "--demo",
        action="store_true",
        help="look around first: the app on a temporary journal of sample entries "
        "(yours is not touched; deleted on quit)",
    )


def cmd_demo(args: argparse.Namespace) -> int:
    """``journal --demo [today|checkin]``: the app on the demo journal, or a usage error."""
    if args.command not in APP_COMMANDS:
        raise UsageError(
            f"--demo is for the app only (`journal --demo`, or `journal --demo checkin`), "
            f"not for `{args.command}`; nothing was run"
        )
    if getattr(args, "db", None):
        raise UsageError("--demo uses its own temporary journal; leave out --db")
    return run_demo(start=args.command if args.command in ("checkin", "history") else "today")


@contextlib.contextmanager
def _pointed_at(folder: Path) -> Iterator[None]:
    """Point $JOURNAL_DB and $JOURNAL_CONFIG into ``folder`` while the demo runs.

    The app is handed its paths directly; this is a second guard, so any code that asks
    journal.paths for the default journal or config gets the demo's, never the user's.
    """
    saved = {name: os.environ.get(name) for name in (DB_ENV, CONFIG_ENV)}
    os.environ[DB_ENV] = str(folder / "journal.json")
    os.environ[CONFIG_ENV] = str(folder / "config.toml")
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def run_demo(start: str = "today") -> int:
    """Fill a temporary journal with the demo entries, run the app on it, then delete it."""
    from journal.config import Settings
    from journal.demo import fill_demo
    from journal.prompts import PromptLibrary
    from journal.store import Store

    folder = Path(tempfile.mkdtemp(prefix=DEMO_PREFIX))  # 0700, ours alone
    store: Store | None = None
    try:
        with _pointed_at(folder):
            db = folder / "journal.json"
            store = Store.open(db)
            now = now_local()
            assert now.tzinfo is not None  # now_local() is always aware
            fill_demo(store, now.date(), now.tzinfo)

            # Textual costs about 0.2 s to import: only the app's path pays for it.
            from journal.tui.app import JournalApp

            # Default settings and the built-in packs only: the demo looks the same for
            # everyone and reads nothing of the user's.
            app = JournalApp(
                settings=Settings(),
                store=store,
                prompts=PromptLibrary.load(),
                start=start,
                config_path=folder / "config.toml",
                first_run=False,
                demo=True,
            )
            app.run()
            return app.return_code or 0
    finally:
        if store is not None:
            store.close()
        shutil.rmtree(folder, ignore_errors=True)
