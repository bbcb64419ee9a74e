"""The prompt packs ship inside the wheel: build it, install it in a fresh venv, run it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_wheel_ships_prompts_and_journal_prompt_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
        timeout=300,
    )
    wheels = list(dist.glob("journal-*.whl"))
    assert len(wheels) == 1
    import zipfile

    names = zipfile.ZipFile(wheels[0]).namelist()
    packs = [n for n in names if n.startswith("journal/prompts/") and n.endswith(".toml")]
    assert len(packs) >= 6

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    pip = venv / "bin" / "pip"
    subprocess.run([str(pip), "install", "-q", str(wheels[0])], check=True, timeout=600)
    env = {
        **os.environ,
        "JOURNAL_DB": str(tmp_path / "j.json"),
        "JOURNAL_CONFIG": str(tmp_path / "c.toml"),
    }
    # Run from a folder without the source tree, so only the installed wheel can answer.
    result = subprocess.run(
        [str(venv / "bin" / "journal"), "prompt", "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["text"]
    assert "warning" not in result.stderr
    located = subprocess.run(
        [
            str(venv / "bin" / "python"),
            "-c",
            "from journal.prompts import builtin_packs_dir; print(builtin_packs_dir())",
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=True,
    )
    assert str(venv) in located.stdout
