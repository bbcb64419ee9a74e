"""The ``journal`` console script.

It starts reading the journal file (prefetch.py) before anything heavy is imported: the
command line module and what it imports take ~50 ms on one core, time the read (~40 ms at
36,500 entries) can use on another. Then it runs :func:`journal.cli.run`.
"""

from __future__ import annotations

import sys
from typing import NoReturn


def run() -> NoReturn:
    """Start the early read of the journal this command line names, then run it."""
    from journal import prefetch

    try:
        path = prefetch.journal_named_by(sys.argv[1:])
    except Exception:  # only a guess: the command line itself says what is wrong
        path = None
    if path is not None:
        prefetch.start(path)

    from journal.cli import run as run_command_line

    run_command_line()
