"""How long the quick check-in takes a person: ``checkin_pace.py [--read S] [--app] [--size WxH]``.

Drives the real ``journal checkin`` (or, with ``--app``, ``journal`` and f2) in a private tmux
server, at a calm pace: ``--gap`` seconds (default 0.4) between single keys and typed text at
``--cps`` characters a second (default 4). ``--read`` adds that many seconds on each new step,
for reading it. Every path points at a fresh temporary folder (no real journal is touched).

It prints one JSON object: the seconds from the first key to "Check-in saved" on screen, the
single keystrokes (alt+→, Tab, Enter, the letters and digits that pick) and the typed
characters, and the check-in ``journal list --kind checkin --json`` then holds.

The path: hurt and frustrated, 7; kind phrase 2; one line of what happened; "Call Sam back" by
"fri"; 3 at the end; "Save now".
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.tmux import Tmux, journal_command, run_cli, terminal_env

HAPPENED = "Customer shouted about the late refund, then hung up."
ACTION = "Call Sam back"


class Pace:
    """Sends keys and text at a person's pace and counts them."""

    def __init__(self, tmux: Tmux, gap: float, cps: float, read: float) -> None:
        self.tmux, self.gap, self.cps, self.read = tmux, gap, cps, read
        self.keys = 0
        self.chars = 0

    def key(self, *keys: str) -> None:
        for key in keys:
            self.tmux.send(key)
            self.keys += 1
            time.sleep(self.gap)

    def type(self, text: str) -> None:
        for ch in text:
            self.tmux.send(ch, literal=True)
            self.chars += 1
            time.sleep(1 / self.cps)
        self.tmux.wait_for(text[-10:])

    def step(self, seen: str) -> None:
        """alt+→, wait for the next step, then read it."""
        self.key("M-Right")
        self.tmux.wait_for(seen)
        time.sleep(self.read)


def _toast(screen: str) -> str:
    """The words of the notification on screen (its border and padding dropped)."""
    lines = []
    for line in screen.splitlines():
        if "▌" in line:
            lines.append(line.split("▌", 1)[1].strip(" │▐"))
    return " ".join(part for part in lines if part)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gap", type=float, default=0.4)
    parser.add_argument("--cps", type=float, default=4.0)
    parser.add_argument("--read", type=float, default=0.0)
    parser.add_argument("--app", action="store_true", help="start journal and press f2")
    parser.add_argument("--size", default="80x24")
    parser.add_argument("--show", action="store_true", help="print the screen once saved")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME"):
            os.environ[name] = str(root / name.lower())
        env = terminal_env(root)
        if args.app:
            # An existing journal, so the app opens on Today rather than the first-start welcome.
            added = run_cli(env, "add", "A quiet morning.")
            assert added.returncode == 0, added.stderr
        tmux = Tmux(env, width=width, height=height)
        try:
            pace = Pace(tmux, args.gap, args.cps, args.read)
            if args.app:
                tmux.start(journal_command())
                tmux.wait_for("f2")
                time.sleep(1.0)
                start = time.monotonic()
                pace.key("F2")
            else:
                tmux.start(f"{journal_command()} checkin")
                start = None
            tmux.wait_for("Step 1 of 5")
            start = start or time.monotonic()
            time.sleep(args.read)
            pace.key("h", "f", "7")
            tmux.wait_for("7 of 10")
            pace.step("Step 2 of 5")
            pace.key("2")
            pace.step("Step 3 of 5")
            pace.type(HAPPENED)
            pace.step("Step 4 of 5")
            pace.type(ACTION)
            pace.key("Tab")
            pace.type("fri")
            tmux.wait_for("Friday")
            pace.step("Step 5 of 5")
            pace.key("3")
            tmux.wait_for("Down 4.")
            pace.step("Go deeper now")
            pace.key("Enter")
            screen = tmux.wait_for("Check-in saved")
            seconds = time.monotonic() - start
            if args.show:
                print(screen)
            tmux.send("C-q")
            tmux.wait_gone()
        finally:
            tmux.kill()
        listed = run_cli(env, "list", "--kind", "checkin", "--json")
        (entry,) = json.loads(listed.stdout)
        print(
            json.dumps(
                {
                    "command": "journal, then f2" if args.app else "journal checkin",
                    "size": args.size,
                    "gap_s": args.gap,
                    "chars_per_s": args.cps,
                    "read_per_step_s": args.read,
                    "seconds": round(seconds, 1),
                    "keystrokes": pace.keys,
                    "typed_chars": pace.chars,
                    "ending": _toast(screen),
                    "feelings": entry["checkin"]["feelings"],
                    "ratings": [
                        entry["checkin"]["intensity_before"],
                        entry["checkin"]["intensity_after"],
                    ],
                    "title": entry["title"],
                    "follow_up": entry["follow_up"],
                },
                indent=1,
            )
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
