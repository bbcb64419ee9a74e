"""Where things live on disk: platformdirs locations, overridable by environment variables.

Nothing here creates a directory; callers that write make the folder they need with
:func:`ensure_private_dir`.
"""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "journal"
DB_ENV = "JOURNAL_DB"
CONFIG_ENV = "JOURNAL_CONFIG"
DB_FILENAME = "journal.json"


def data_dir() -> Path:
    """The platform's user data folder for journal (e.g. ``~/.local/share/journal``)."""
    import platformdirs  # here: a command given --db or $JOURNAL_DB never needs it (~4 ms)

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def config_dir() -> Path:
    """The platform's user config folder for journal (e.g. ``~/.config/journal``)."""
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False)


def default_db_path() -> Path:
    """The journal database: ``$JOURNAL_DB`` if set, else ``journal.json`` in the data folder."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return data_dir() / DB_FILENAME


def config_path() -> Path:
    """The config file: ``$JOURNAL_CONFIG`` if set, else ``config.toml`` in the config folder."""
    env = os.environ.get(CONFIG_ENV)
    if env:
        return Path(env).expanduser()
    return config_dir() / "config.toml"


def user_prompts_dir() -> Path:
    """Folder where users drop their own prompt packs (``*.toml``)."""
    return config_dir() / "prompts"


def drafts_dir(db_path: Path) -> Path:
    """Drafts sit beside the journal they belong to, so ``--db`` keeps them apart."""
    return db_path.parent / f".{db_path.name}.drafts"


def backups_dir(db_path: Path) -> Path:
    """Rolling backups of one journal, in its own folder."""
    return db_path.parent / f"{db_path.name}.backups"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if missing; folders we create are 0700 whatever the umask.

    Existing folders are left alone: ``--db /tmp/x.json`` must not chmod ``/tmp``.
    """
    missing: list[Path] = []
    p = path
    while not p.exists():
        missing.append(p)
        if p.parent == p:
            break
        p = p.parent
    for folder in reversed(missing):
        folder.mkdir(mode=0o700, exist_ok=True)
        os.chmod(folder, 0o700)
    return path
