"""A tiny driver for the real ``journal`` command in tmux, the way a person would use it.

Every wait polls for what a person would see and gives up only after a minute: the limits
are there to end a hung test, not to say how fast the app must be, so a loaded machine that
takes ten seconds to start the app still passes.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Mapping
from pathlib import Path


def journal_command() -> str:
    """The installed ``journal`` script beside this Python (the venv's), or on PATH."""
    beside = Path(sys.executable).parent / "journal"
    if beside.exists():
        return str(beside)
    found = shutil.which("journal")
    if not found:
        raise RuntimeError("the journal command is not installed in this environment")
    return found


def terminal_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a journal started in a terminal: every path inside ``tmp_path``."""
    return {
        "JOURNAL_DB": str(tmp_path / "data" / "journal.json"),
        "JOURNAL_CONFIG": str(tmp_path / "config" / "config.toml"),
        "HOME": os.environ["HOME"],
        "XDG_DATA_HOME": os.environ["XDG_DATA_HOME"],
        "XDG_CONFIG_HOME": os.environ["XDG_CONFIG_HOME"],
        "TERM": "xterm-256color",
        "COLORTERM": "truecolor",
    }


def run_cli(env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed ``journal`` with ``env`` added, as a shell would."""
    return subprocess.run(
        [journal_command(), *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
    )


def _without_size(env: dict[str, str]) -> dict[str, str]:
    """``env`` without COLUMNS and LINES: pytest-xdist's workers set them to 80x24, and a
    Textual app given them draws at that size whatever its terminal's."""
    return {key: value for key, value in env.items() if key not in ("COLUMNS", "LINES")}


class Tmux:
    """One private tmux server (its own socket) running one command in a window."""

    def __init__(self, env: Mapping[str, str], width: int = 100, height: int = 30) -> None:
        self.socket = f"journal-test-{uuid.uuid4().hex[:8]}"
        self.env = dict(env)
        self.width = width
        self.height = height

    def _tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            ["tmux", "-L", self.socket, *args],
            capture_output=True,
            text=True,
            check=check,
            env=_without_size({**os.environ, **self.env}),
        )

    def start(self, command: str) -> None:
        """Start ``command`` in a fresh detached session of the given size."""
        env_args: list[str] = []
        for key, value in self.env.items():
            env_args += ["-e", f"{key}={value}"]
        # The app reads its size once as it starts; a window that tmux sizes late (a loaded
        # machine) would leave it drawing for the wrong terminal. So the server's default
        # size is this one, and the command starts only once its terminal has that size.
        size = f"{self.height} {self.width}"
        wait = (
            f'n=0; while [ "$(stty size)" != "{size}" ] && [ $n -lt 600 ]; '
            f"do sleep 0.05; n=$((n+1)); done; unset COLUMNS LINES; exec {command}"
        )
        self._tmux(
            "-f",
            "/dev/null",
            "set-option",
            "-g",
            "default-size",
            f"{self.width}x{self.height}",
            ";",
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            str(self.width),
            "-y",
            str(self.height),
            *env_args,
            f"sh -c {shlex.quote(wait)}",
        )

    def send(self, *keys: str, literal: bool = False) -> None:
        """send-keys; ``literal`` types text as-is."""
        args = ["send-keys", "-t", "t"]
        if literal:
            args.append("-l")
        self._tmux(*args, *keys)

    def screen(self) -> str:
        """What a person would see now."""
        result = self._tmux("capture-pane", "-p", "-t", "t", check=False)
        return result.stdout

    def command_pid(self) -> int:
        """The process id of the command in the pane (under the shell tmux may start)."""
        pid = int(self._tmux("display-message", "-p", "-t", "t", "#{pane_pid}").stdout)
        if Path(f"/proc/{pid}/comm").read_text().strip() in ("sh", "bash", "dash"):
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            pid = int(children[0]) if children else pid
        return pid

    def alive(self) -> bool:
        """Whether the session (the command) is still running."""
        return self._tmux("has-session", "-t", "t", check=False).returncode == 0

    def wait_for(self, text: str, timeout: float = 60.0) -> str:
        """Wait until ``text`` is on screen; return the screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} did not appear within {timeout}s. Screen:\n{screen}")

    def wait_without(self, text: str, timeout: float = 60.0) -> str:
        """Wait until ``text`` is no longer on screen; return the screen."""
        deadline = time.monotonic() + timeout
        screen = ""
        while time.monotonic() < deadline:
            screen = self.screen()
            if text not in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} stayed on screen for {timeout}s. Screen:\n{screen}")

    def save_and_quit(self) -> None:
        """ctrl+s, wait for the save to be said, then ctrl+q and wait for the app to end."""
        self.send("C-s")
        self.wait_for("Saved at")
        self.send("C-q")
        self.wait_gone()

    def wait_gone(self, timeout: float = 60.0) -> None:
        """Wait until the command has exited."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                return
            time.sleep(0.1)
        raise AssertionError(f"the app did not exit. Screen:\n{self.screen()}")

    def kill(self) -> None:
        """Stop the private tmux server."""
        self._tmux("kill-server", check=False)


def process_exited(pid: int, timeout: float = 60.0) -> bool:
    """Whether process ``pid`` ends (or is only waiting to be collected) within ``timeout``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][:1]
        except (OSError, IndexError):
            return True
        if state == "Z":
            return True
        time.sleep(0.1)
    return False


def start_first_time(tmux: Tmux) -> None:
    """A first start greets the user; Enter begins writing."""
    tmux.start(journal_command())
    tmux.wait_for("Welcome to journal")
    tmux.send("Enter")
    tmux.wait_without("Welcome to journal")


def restore_and_save(env: Mapping[str, str]) -> tuple[str, str]:
    """Start the app again, take the draft it offers back, save it and quit, as a person
    would after a crash. Returns the screens of the offer and of the restored text."""
    tmux = Tmux(env)
    try:
        tmux.start(journal_command())
        offer = tmux.wait_for("Restore the text you were writing")
        tmux.send("Enter")  # Restore has the focus
        restored = tmux.wait_for("Draft restored")
        tmux.save_and_quit()
    finally:
        tmux.kill()
    return offer, restored
