"""End to end: ctrl+e in the real app (tmux) exports; the real command imports it back."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.tmux import Tmux, journal_command

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "JOURNAL_DB": str(tmp_path / "data" / "journal.json"),
        "JOURNAL_CONFIG": str(tmp_path / "config" / "config.toml"),
        "HOME": os.environ["HOME"],
        "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"],
        "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"],
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }


@pytest.fixture
def tmux(env: dict[str, str]):
    session = Tmux(env, width=90, height=28)
    yield session
    session.kill()


def run_cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [journal_command(), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )


def test_ctrl_e_exports_and_import_brings_it_back(
    tmux: Tmux, env: dict[str, str], tmp_path: Path
) -> None:
    for text in ("# First\n\nAfter the call I wrote it down.", "Second, with ``` an open fence"):
        assert run_cli(env, "add", text, "--tag", "calls").returncode == 0
    original = run_cli(env, "list", "--json").stdout
    # The dialog's default path: ~/journal-export.md (HOME is this test's own folder).
    target = Path(env["HOME"]) / "journal-export.md"
    assert not target.exists()
    tmux.start(journal_command())
    tmux.wait_for("New entry")
    tmux.send("C-e")
    tmux.wait_for("Export to Markdown")
    tmux.wait_for("2 entries")
    tmux.send("C-s")
    screen = tmux.wait_for("Exported 2 entries")
    assert "100%" in screen, screen
    tmux.send("Escape")
    tmux.wait_without("Exported 2 entries")
    tmux.send("C-q")
    tmux.wait_gone()
    assert target.exists()
    copy = str(tmp_path / "copy.json")
    imported = run_cli(env, "--db", copy, "import", str(target))
    assert imported.returncode == 0, imported.stderr
    assert "Added 2" in imported.stdout
    assert run_cli(env, "--db", copy, "list", "--json").stdout == original
