"""Waiting for the app to do something, however slow the machine is."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


async def until(pilot: Any, condition: Callable[[], object], *, limit: float = 60.0) -> None:
    """Let the app run until ``condition()`` holds; fail only after ``limit`` seconds.

    For things the app does on a timer (the autosave, the look for outside changes): a fixed
    pause would assume how fast this machine is.
    """
    deadline = time.monotonic() + limit
    while not condition():
        assert time.monotonic() < deadline, f"gave up after {limit:.0f} s"
        await pilot.pause(0.05)
