"""Nothing outside journal/tui imports Textual or the app (checked in a fresh interpreter).

The import-linter contracts in pyproject.toml read the import statements; this test runs them:
every module outside ``journal/tui``, found on disk rather than listed by hand, is imported in
one fresh interpreter, and neither ``textual`` nor ``journal.tui`` may be loaded after.
"""

from __future__ import annotations

import json
import os
import pkgutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import journal

SCRIPT = """
import importlib, json, sys
modules = sys.argv[1:]
for name in modules:
    importlib.import_module(name)
print(json.dumps({
    "imported": [m for m in modules if m in sys.modules],
    "textual": sorted(m for m in sys.modules if m == "textual" or m.startswith("textual.")),
    "tui": sorted(m for m in sys.modules if m == "journal.tui" or m.startswith("journal.tui.")),
}))
"""


def modules_outside_tui() -> list[str]:
    """Every module and package of journal except journal.tui and what is inside it.

    Walked on disk with ``pkgutil.iter_modules`` (``walk_packages`` would import each package
    to look inside it, journal.tui included).
    """
    found = ["journal"]

    def walk(folder: Path, prefix: str) -> None:
        for info in pkgutil.iter_modules([str(folder)]):
            name = prefix + info.name
            if name == "journal.tui":
                continue
            found.append(name)
            if info.ispkg:
                walk(folder / info.name, name + ".")

    walk(Path(journal.__file__).parent, "journal.")
    return found


def import_in_fresh_interpreter(*modules: str) -> dict[str, Any]:
    """Import ``modules`` in a new Python; what it imported, and which Textual and tui modules."""
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, *modules],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_the_walk_finds_every_layer_and_skips_the_tui() -> None:
    modules = modules_outside_tui()
    for expected in ("journal.models", "journal.store.store", "journal.transfer", "journal.cli"):
        assert expected in modules
    assert not any(m == "journal.tui" or m.startswith("journal.tui.") for m in modules)


def test_nothing_outside_the_tui_imports_textual_or_the_tui() -> None:
    modules = modules_outside_tui()
    report = import_in_fresh_interpreter(*modules)
    assert report["imported"] == modules
    assert report["textual"] == []
    assert report["tui"] == []


def test_the_check_can_see_textual_and_the_tui() -> None:
    # The same check notices Textual and the app when something does import them, so the test
    # above is real.
    report = import_in_fresh_interpreter("journal.models", "journal.tui.app")
    assert "textual" in report["textual"]
    assert "journal.tui.app" in report["tui"]


def test_importing_creates_no_files(tmp_path: Path) -> None:
    before = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    import_in_fresh_interpreter(*modules_outside_tui())
    after = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*"))
    assert after == before
