"""Regenerate the README screenshots: ``python screenshots/make.py`` (from the repository).

Every scene of tests/scenes.py, on the demo journal with a frozen clock, at 120x36.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.scenes import SCENES, SCREENSHOT_SIZE, demo_app  # noqa: E402


async def shoot(name: str, out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="journal-shots-") as folder:
        app = demo_app(Path(folder))
        async with app.run_test(size=SCREENSHOT_SIZE) as pilot:
            await SCENES[name](pilot)
            svg = app.export_screenshot(title=f"journal · {name}")
    out.write_text(svg, encoding="utf-8")


def main() -> int:
    out_dir = ROOT / "screenshots"
    for name in SCENES:
        target = out_dir / f"{name}.svg"
        asyncio.run(shoot(name, target))
        print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
