"""SVG snapshots of the main screens on the demo journal (pytest-textual-snapshot).

After an intended UI change: ``pytest tests/app/test_snapshots.py --snapshot-update``, look at
the report, and regenerate the README pictures with ``python screenshots/make.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenes import SCENES, demo_app


@pytest.mark.parametrize("name", sorted(SCENES))
@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 36)], ids=["60x20", "80x24", "120x36"])
def test_screen(name: str, size: tuple[int, int], snap_compare, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path), terminal_size=size, run_before=SCENES[name])
