"""Shared fixtures. Every test runs with every journal path pointed at its own tmp folder."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, settings

from journal.config import Settings
from journal.prompts import PromptLibrary
from journal.store import Store

if TYPE_CHECKING:
    from journal.tui.app import JournalApp

FROZEN = datetime(2026, 11, 22, 9, 30, tzinfo=timezone(timedelta(hours=1)))

# No test may depend on how fast the machine is. Hypothesis's defaults do twice: a 200 ms
# deadline per example and a health check that fails when generating examples is slow, and
# both fail a sound property test on a loaded machine. Every other setting stays its default.
# (A test's own suppress_health_check list replaces this one: add too_slow there too.)
settings.register_profile("journal", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("journal")


def pytest_configure(config: pytest.Config) -> None:
    """Test folders in memory where the machine has a tmpfs; Textual as tests/textual_patches.py
    says (parsed CSS shared by apps, every notification kept on record).

    Every test's folder is made with ``tempfile``, so pointing ``TMPDIR`` at ``/dev/shm``
    moves them all (the journals, the tmux tests' homes, the wheel's venv) off the disk: a
    save's fsyncs then cost nothing, and an app test makes a dozen. It is set before xdist
    starts its workers, which inherit it. A ``TMPDIR`` the caller set is kept.
    """
    import os
    import tempfile

    shm = "/dev/shm"
    if "TMPDIR" not in os.environ and os.path.isdir(shm) and os.access(shm, os.W_OK | os.X_OK):
        os.environ["TMPDIR"] = shm
        tempfile.tempdir = None  # computed again from TMPDIR
    from tests.textual_patches import record_notifications, share_parsed_css

    share_parsed_css()
    record_notifications()


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """Workers for ``-n auto``: two per core. About a third of an app test's time is spent
    waiting (timers, the terminal's idle), so a core runs a second test meanwhile: on 2
    cores, 4 workers took the whole suite from 281 s to 236 s here (an idle machine)."""
    import os

    return 2 * (os.cpu_count() or 1)


@pytest.fixture(autouse=True)
def isolated_paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Never touch a real journal: data, config, state and the journal itself live in tmp."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("JOURNAL_DB", str(tmp_path / "data" / "journal.json"))
    monkeypatch.setenv("JOURNAL_CONFIG", str(tmp_path / "config" / "config.toml"))
    monkeypatch.delenv("JOURNAL_PASSPHRASE_FILE", raising=False)
    monkeypatch.delenv("JOURNAL_NEW_PASSPHRASE_FILE", raising=False)
    # No test may open a real editor on the terminal: one that wants one sets its own.
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", "false")
    yield tmp_path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """The journal file of this test (not created yet)."""
    return tmp_path / "data" / "journal.json"


@pytest.fixture
def store(db_path: Path) -> Store:
    """An empty store at ``db_path``."""
    return Store.open(db_path)


@pytest.fixture(scope="session")
def library() -> PromptLibrary:
    """The shipped prompt packs."""
    return PromptLibrary.load(user_dir=None)


@pytest.fixture
def frozen_clock() -> datetime:
    """The moment tests pretend it is."""
    return FROZEN


@pytest.fixture
def make_app(store: Store, library: PromptLibrary) -> Callable[..., JournalApp]:
    """Build the app around the test store, with a frozen clock."""
    # Imported here: only the app's tests pay for Textual.
    from journal.tui.app import JournalApp

    def build(**kwargs: Any) -> JournalApp:
        kwargs.setdefault("settings", Settings())
        kwargs.setdefault("store", store)
        kwargs.setdefault("prompts", library)
        kwargs.setdefault("clock", lambda: FROZEN)
        return JournalApp(**kwargs)

    return build


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Environment for the real ``journal`` command (tmux tests): every path in tmp."""
    from tests.tmux import terminal_env

    return terminal_env(tmp_path)
