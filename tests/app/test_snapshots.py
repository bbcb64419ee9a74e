"""SVG snapshots of every screen and dialog (pytest-textual-snapshot): the main screens at three
sizes, the others at the two small ones (80x24 must stay usable, 60x20 degrade gracefully).

After an intended UI change: ``pytest tests/app/test_snapshots.py --snapshot-update``, look at
the report, and regenerate the README pictures with ``python screenshots/make.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.scenes import MORE_SCENES, SCENES, demo_app


@pytest.mark.parametrize("name", sorted(SCENES))
@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 36)], ids=["60x20", "80x24", "120x36"])
def test_screen(name: str, size: tuple[int, int], snap_compare, tmp_path: Path) -> None:
    assert snap_compare(demo_app(tmp_path), terminal_size=size, run_before=SCENES[name])


@pytest.mark.parametrize("name", sorted(MORE_SCENES))
@pytest.mark.parametrize("size", [(60, 20), (80, 24)], ids=["60x20", "80x24"])
def test_more_screens(name: str, size: tuple[int, int], snap_compare, tmp_path: Path) -> None:
    make, scene = MORE_SCENES[name]
    assert snap_compare(make(tmp_path), terminal_size=size, run_before=scene)
