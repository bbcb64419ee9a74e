"""The ``journal`` console script.

It starts reading the journal file (prefetch.py) before anything heavy is imported: the
command line module and what it imports take ~50 ms on one core, time the read (~40 ms at
36,500 entries) can use on another. Then it runs :func:`journal.cli.run`. Nothing here
imports ``typing``: every millisecond before the read starts is one it cannot overlap.
"""

from __future__ import annotations

import gc
import sys


def run() -> None:
    """Start the early read of the journal this command line names, then run it (it never
    returns: :func:`journal.cli.run` exits)."""
    # Importing and loading make tens of thousands of objects that live until the process
    # ends and no cycles to collect (36,500 entries: ~20 ms of collections for nothing).
    # journal.cli.collect_garbage_again turns the collector back on once that is done.
    gc.disable()
    from journal import prefetch

    try:
        path = prefetch.journal_named_by(sys.argv[1:])
    except Exception:  # only a guess: the command line itself says what is wrong
        path = None
    if path is not None:
        prefetch.start(path)

    from journal.cli import run as run_command_line

    run_command_line()
