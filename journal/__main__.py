"""Allow ``python -m journal``."""

from __future__ import annotations

from journal.launch import run

if __name__ == "__main__":
    run()
