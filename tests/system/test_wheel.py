"""The prompt packs ship inside the wheel: build it, install it in a fresh venv, run it.

The fresh venv gets the wheel alone (``--no-deps``, by this Python's pip) and borrows the
dependencies from this environment's site-packages through a ``.pth`` line, which puts them
after its own: ``journal`` itself can only come from the wheel. Installing Textual and the rest
again proved nothing about the wheel and was most of this test's time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.slow


def test_wheel_ships_prompts_and_journal_prompt_runs(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(ROOT)],
        check=True,
    )
    wheels = list(dist.glob("journal-*.whl"))
    assert len(wheels) == 1
    import zipfile

    names = zipfile.ZipFile(wheels[0]).namelist()
    packs = [n for n in names if n.startswith("journal/prompts/") and n.endswith(".toml")]
    assert len(packs) >= 6

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    install = [sys.executable, "-m", "pip", "--python", str(python), "install", "-q"]
    subprocess.run([*install, "--no-deps", str(wheels[0])], check=True)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (Path(site) / "borrowed-dependencies.pth").write_text("\n".join(sorted(ours)) + "\n")
    # No PYTHONPATH: a source tree on it would answer instead of the wheel.
    base = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env = {
        **base,
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
        env=env,
        cwd=tmp_path,
        check=True,
    )
    assert str(venv) in located.stdout
