"""The domain core never imports Textual (checked in a fresh interpreter)."""

from __future__ import annotations

import json
import os
import subprocess
import sys

DOMAIN_MODULES = [
    "journal.models",
    "journal.store",
    "journal.store.jsonfile",
    "journal.prompts",
    "journal.config",
    "journal.paths",
    "journal.dates",
    "journal.transfer.export",
    "journal.errors",
    "journal.cli",
]

SCRIPT = """
import importlib, json, sys
modules = sys.argv[1:]
for name in modules:
    importlib.import_module(name)
print(json.dumps({
    "imported": [m for m in modules if m in sys.modules],
    "textual": sorted(m for m in sys.modules if m == "textual" or m.startswith("textual.")),
}))
"""


def import_in_fresh_interpreter(*modules: str) -> dict:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *modules],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_domain_core_does_not_import_textual() -> None:
    report = import_in_fresh_interpreter(*DOMAIN_MODULES)
    assert report["imported"] == DOMAIN_MODULES
    assert report["textual"] == []


def test_the_check_can_see_textual() -> None:
    # The same check notices Textual when something does import it, so the test above is real.
    report = import_in_fresh_interpreter("journal.models", "textual.app")
    assert "textual" in report["textual"]


def test_importing_creates_no_files(tmp_path) -> None:
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    import_in_fresh_interpreter(*DOMAIN_MODULES)
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert after == before
