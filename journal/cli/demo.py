"""``journal --demo``: the app on a throwaway journal full of sample entries.

Everything the demo could write (the journal, its lock, drafts, backups, a theme chosen in
the app) lands in one private temporary folder that is removed when the app ends, even
after an error. The user's journal and config are never opened.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

#: The temporary folder's name starts with this (tests look for leftovers by it).
DEMO_PREFIX = "journal-demo-"
#: Commands that open the app, and so can run on the demo journal.
APP_COMMANDS = (None, "today", "checkin", "history")


@contextlib.contextmanager
def _pointed_at(folder: Path) -> Iterator[None]:
    """Point $JOURNAL_DB and $JOURNAL_CONFIG into ``folder`` while the demo runs.

    The app is handed its paths directly; this is a second guard, so any code that asks
    journal.paths for the default journal or config gets the demo's, never the user's.
    """
    from journal.paths import CONFIG_ENV, DB_ENV

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
    from journal.models import now_local
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
