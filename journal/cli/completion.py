"""``journal completion bash|zsh|fish``: a shell completion script, made from the parser.

The commands and their options come from the argparse parser itself, so the script never
lags behind the command line. Journal names and tags are asked of ``journal`` when the user
presses tab (``journal journals --names``, ``journal tags --names``), so they are current.

Install: ``journal completion bash > ~/.local/share/bash-completion/completions/journal``,
``journal completion zsh > "${fpath[1]}/_journal"``, or
``journal completion fish > ~/.config/fish/completions/journal.fish``.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from journal.cli.common import add_command

if TYPE_CHECKING:
    from journal.cli.common import Subparsers

SHELLS = ("bash", "zsh", "fish")
#: Options whose value is a file name, a journal's name or a tag.
_FILE_OPTIONS = ("--db", "-o", "--output", "--out")
_JOURNAL_OPTIONS = ("-j", "--journal")
_TAG_OPTIONS = ("--tag",)


def register(subparsers: Subparsers, root: argparse.ArgumentParser) -> None:
    """Add ``completion``; ``root`` is the whole command line, which the script describes."""
    p = add_command(subparsers, "completion", "print a shell completion script")
    p.add_argument("shell", choices=SHELLS, help="the shell to complete in")
    p.set_defaults(func=cmd_completion, completion_root=root)


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:  # argparse keeps subcommands here, nowhere public
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> list[str]:
    found: list[str] = []
    for action in parser._actions:
        if action.help == argparse.SUPPRESS:
            continue
        found.extend(o for o in action.option_strings if o not in found)
    return found


def _helps(parser: argparse.ArgumentParser) -> dict[str, str]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return {a.dest: a.help or "" for a in action._choices_actions}
    return {}


def bash_script(parser: argparse.ArgumentParser) -> str:
    """The bash completion function for ``parser``."""
    commands = _commands(parser)
    cases = "\n".join(
        f'        {name}) opts="{" ".join(_options(sub))}";;' for name, sub in commands.items()
    )
    return f"""# bash completion for journal (journal completion bash)
_journal() {{
    local cur prev cmd i opts
    cur="${{COMP_WORDS[COMP_CWORD]}}"
    prev="${{COMP_WORDS[COMP_CWORD-1]}}"
    cmd=""
    for ((i = 1; i < COMP_CWORD; i++)); do
        case "${{COMP_WORDS[i]}}" in
            --db|-j|--journal) ((i++));;
            -*) ;;
            *) cmd="${{COMP_WORDS[i]}}"; break;;
        esac
    done
    case "$prev" in
        {"|".join(_JOURNAL_OPTIONS)})
            COMPREPLY=($(compgen -W "$(journal journals --names 2>/dev/null)" -- "$cur"))
            return;;
        {"|".join(_TAG_OPTIONS)})
            COMPREPLY=($(compgen -W "$(journal tags --names 2>/dev/null)" -- "$cur"))
            return;;
        {"|".join(_FILE_OPTIONS)})
            COMPREPLY=($(compgen -f -- "$cur"))
            return;;
    esac
    if [[ -z "$cmd" ]]; then
        COMPREPLY=($(compgen -W "{" ".join(commands)} {" ".join(_options(parser))}" -- "$cur"))
        return
    fi
    case "$cmd" in
{cases}
        *) opts="";;
    esac
    if [[ "$cmd" == completion ]]; then
        opts="$opts {" ".join(SHELLS)}"
    fi
    COMPREPLY=($(compgen -W "$opts" -- "$cur"))
}}
complete -F _journal journal
"""


def zsh_script(parser: argparse.ArgumentParser) -> str:
    """zsh completion: the bash function through zsh's ``bashcompinit``."""
    return (
        "#compdef journal\n# zsh completion for journal (journal completion zsh)\n"
        "autoload -U +X bashcompinit && bashcompinit\n" + bash_script(parser)
    )


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def fish_script(parser: argparse.ArgumentParser) -> str:
    """The fish completions for ``parser``."""
    commands = _commands(parser)
    helps = _helps(parser)
    names = " ".join(commands)
    lines = [
        "# fish completion for journal (journal completion fish)",
        "complete -c journal -f",
        "complete -c journal -s j -l journal -x -a '(journal journals --names 2>/dev/null)'"
        " -d 'a named journal'",
        "complete -c journal -l db -r -F -d 'journal database file'",
    ]
    for name in commands:
        lines.append(
            f"complete -c journal -n 'not __fish_seen_subcommand_from {names}' "
            f"-a {name} -d {_fish_quote(helps.get(name, ''))}"
        )
    for name, sub in commands.items():
        for option in _options(sub):
            if not option.startswith("--") or option in ("--help", "--db", "--journal"):
                continue
            extra = ""
            if option in _TAG_OPTIONS:
                extra = " -x -a '(journal tags --names 2>/dev/null)'"
            elif option in _FILE_OPTIONS:
                extra = " -r -F"
            lines.append(
                f"complete -c journal -n '__fish_seen_subcommand_from {name}' "
                f"-l {option[2:]}{extra}"
            )
    lines.append(
        "complete -c journal -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'"
    )
    return "\n".join(lines) + "\n"


def cmd_completion(args: argparse.Namespace) -> int:
    """``journal completion SHELL``."""
    parser: argparse.ArgumentParser = args.completion_root
    script = {"bash": bash_script, "zsh": zsh_script, "fish": fish_script}[args.shell](parser)
    sys.stdout.write(script)
    return 0
