"""The ``journal`` command: builds the parser, runs the command the arguments name.

Each command group is a module here with a ``register(subparsers)`` that adds its subcommands
and binds each one to its function (``set_defaults(func=...)``); what they share is in
:mod:`journal.cli.common`. With no command, ``journal`` opens the app on Today. Textual is
imported only on the path that starts the app, so the other commands start fast.

Every start builds every subcommand's parser, so a command module imports at its top only
what its parser needs; each command imports the rest (the exporter, the doctor, the prompt
packs, the demo journal...) when it runs. That keeps ``journal add`` from loading code it
never calls: together ~40 ms per start, measured with ``python -X importtime``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from journal import __version__
from journal.cli import checkin, crypto, demo, entries, safety, transfer
from journal.cli.common import ArgumentParser, UsageError, add_db_option
from journal.errors import JournalError


def build_parser() -> ArgumentParser:
    """The whole command line, every subcommand in the order ``journal --help`` lists them."""
    parser = ArgumentParser(
        prog="journal",
        description="A private reflection journal for the terminal. "
        "With no command, opens the app on Today.",
        epilog="Nothing leaves your machine. Data: $JOURNAL_DB or the user data folder; "
        "config: $JOURNAL_CONFIG or config.toml in the user config folder.",
    )
    parser.add_argument("--version", action="version", version=f"journal {__version__}")
    add_db_option(parser, None)
    demo.add_option(parser)
    # No command: the app on Today (a subcommand's own default replaces this one).
    parser.set_defaults(func=entries.cmd_today)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    entries.register(sub)  # today, add, list
    transfer.register(sub)  # export, import: Markdown out and back in
    entries.register_prompt(sub)  # prompt
    safety.register(sub)  # backup, restore, doctor: keeping your words safe
    checkin.register(sub)  # checkin, due, done, stats: after a tough call
    crypto.register(sub)  # encrypt, decrypt, passphrase: encryption at rest
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``journal`` with these arguments (the command line's when None); the exit code.

    Bad arguments exit 2 from argparse itself (``SystemExit``), as ``--help`` exits 0.
    """
    args = build_parser().parse_args(sys.argv[1:] if argv is None else list(argv))
    try:
        return int(demo.cmd_demo(args) if args.demo else args.func(args))
    except UsageError as exc:
        print(f"journal: error: {exc}", file=sys.stderr)
        return 2
    except JournalError as exc:
        print(f"journal: error: {exc.message}", file=sys.stderr)
        if exc.hint:
            print(exc.hint, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0


def _silence_stdout() -> None:
    """`journal list | head` closed the pipe: not an error worth a traceback. What is still
    buffered goes nowhere, so the interpreter's own flush at exit does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def run() -> NoReturn:
    """The ``journal`` console script: :func:`main`, then exit with its code."""
    code = main()
    try:
        sys.stdout.flush()  # here, where a closed pipe can still be caught
    except BrokenPipeError:
        _silence_stdout()
    sys.exit(code)
