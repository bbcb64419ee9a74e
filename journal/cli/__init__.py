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

import argparse
import io
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from journal import __version__
from journal.cli import (
    checkin,
    completion,
    crypto,
    demo,
    editing,
    entries,
    reading,
    safety,
    sync,
    transfer,
)
from journal.cli.common import (
    ArgumentParser,
    UsageError,
    add_db_option,
    db_path,
    forget_config_warnings,
)
from journal.cli.failures import TRACEBACK_ENV, describe_failure
from journal.display import visible
from journal.errors import JournalError

#: How ``journal --help`` groups the commands (every command is in one group; a test checks).
COMMAND_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Write", ("today", "add", "edit", "delete")),
    ("Read", ("list", "show", "tags", "prompt")),
    ("After a tough call", ("checkin", "due", "done", "move", "stats")),
    ("Move in and out", ("export", "import")),
    (
        "Keep it safe",
        ("backup", "restore", "doctor", "encrypt", "decrypt", "passphrase", "accept"),
    ),
    ("Journals and the shell", ("journals", "merge", "completion")),
)


class MainParser(ArgumentParser):
    """The top parser, whose help lists the commands in groups instead of one long list."""

    def format_help(self) -> str:
        """Usage, description, the commands by group, the options, the epilog."""
        import argparse

        helps: dict[str, str] = {}
        for action in self._actions:
            if isinstance(action, argparse._SubParsersAction):
                helps = {a.dest: a.help or "" for a in action._choices_actions}
        formatter = self._get_formatter()
        formatter.add_usage(self.usage, self._actions, self._mutually_exclusive_groups)
        formatter.add_text(self.description)
        head = formatter.format_help()
        width = max(len(name) for name in helps) + 2
        lines = []
        for title, names in COMMAND_GROUPS:
            lines.append(f"{title}:")
            lines.extend(f"    {name:<{width}}{helps.get(name, '')}" for name in names)
            lines.append("")
        options = self._get_formatter()
        for group in self._action_groups:
            if group.title == "positional arguments":
                continue
            options.start_section(group.title)
            options.add_arguments(group._group_actions)
            options.end_section()
        options.add_text(self.epilog)
        return head + "\n" + "\n".join(lines) + "\n" + options.format_help()


def build_parser() -> ArgumentParser:
    """The whole command line, every subcommand in the order ``journal --help`` lists them."""
    parser = MainParser(
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
    reading.register(sub)  # show, tags, journals
    editing.register(sub)  # edit, delete
    transfer.register(sub)  # export, import: Markdown out and back in
    entries.register_prompt(sub)  # prompt
    safety.register(sub)  # backup, restore, doctor: keeping your words safe
    checkin.register(sub)  # checkin, due, done, stats: after a tough call
    crypto.register(sub)  # encrypt, decrypt, passphrase: encryption at rest
    sync.register(sub)  # merge: two copies of one journal brought together
    completion.register(sub, parser)  # completion: a script for bash, zsh or fish
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``journal`` with these arguments (the command line's when None); the exit code.

    Bad arguments exit 2 from argparse itself (``SystemExit``), as ``--help`` exits 0. Every
    other failure is one line on stderr (what, and what to do) and exit 1, never a traceback:
    a full disk, a read-only folder, a file nested too deeply or too large for memory
    (journal.cli.failures says each in plain words). Messages quote stored and imported text,
    so they are shown with control characters escaped.
    """
    _printable_streams()
    forget_config_warnings()
    parser = build_parser()
    words = bare_text_as_add(parser, sys.argv[1:] if argv is None else list(argv))
    args = parser.parse_args(words)
    try:
        return int(demo.cmd_demo(args) if args.demo else args.func(args))
    except UsageError as exc:
        _error(str(exc))
        return 2
    except JournalError as exc:
        _error(exc.message, exc.hint)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return 0
    except Exception as exc:
        if os.environ.get(TRACEBACK_ENV):
            raise
        _error(*describe_failure(exc, journal=_journal_of(args)))
        return 1


def _journal_of(args: argparse.Namespace) -> str | None:
    """The journal file the arguments name, to say which file a failure was about."""
    try:
        return str(db_path(args))
    except Exception:  # a message must never fail for want of a path
        return None


def _printable_streams() -> None:
    """Let stdout and stderr print anything: a character the terminal's encoding lacks (or
    a lone surrogate) comes out as a backslash escape instead of raising UnicodeEncodeError."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (OSError, ValueError):  # a closed or detached stream: nothing to print to
                pass


def _error(message: str, hint: str = "") -> None:
    """``journal: error: MESSAGE`` and the hint under it, on stderr; never raises."""
    text = f"journal: error: {visible(message)}"
    if hint:
        text += f"\n{visible(hint)}"
    try:
        print(text, file=sys.stderr, flush=True)
    except Exception:  # stderr is closed, full or refuses the text: nowhere left to say it
        pass


#: Options of the main parser that take a value (skipped when looking for the command).
_VALUE_OPTIONS = frozenset({"--db", "-j", "--journal"})


def bare_text_as_add(parser: ArgumentParser, words: list[str]) -> list[str]:
    """``journal "Met Sam, it went well"`` adds an entry, as jrnl does.

    The rule: when the first word that is not a main option is not a command and holds a
    space, it is an entry's text and ``add`` is meant. A single unknown word stays an error
    (a mistyped command must not become an entry); ``journal add WORD`` adds one word.
    """
    commands = _command_names(parser)
    i = 0
    while i < len(words):
        word = words[i]
        if word == "--":
            return words
        if word in _VALUE_OPTIONS:
            i += 2
            continue
        if word.startswith("-"):
            i += 1
            continue
        if word not in commands and any(c.isspace() for c in word):
            return [*words[:i], "add", *words[i:]]
        return words
    return words


def _command_names(parser: ArgumentParser) -> set[str]:
    import argparse

    for action in parser._actions:  # argparse keeps its subcommands here, nowhere public
        if isinstance(action, argparse._SubParsersAction):
            return set(action.choices)
    return set()


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
    except OSError as exc:  # `journal list > file` on a full disk: the last write failed
        _silence_stdout()
        _error(*describe_failure(exc, journal=None))
        code = code or 1
    sys.exit(code)
