"""The ``journal`` command line, in-process through ``main`` and as a real subprocess."""

from __future__ import annotations

import argparse
import io
import json
import os
import re
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest
from markdown_it import MarkdownIt
from mdit_py_plugins.front_matter import front_matter_plugin

import journal.cli.common
from journal import __version__
from journal.cli import main
from journal.models import FIELDS, Entry
from journal.store import Store

TODAY = date(2026, 11, 22)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> date:
    """Relative dates (``tomorrow``, ``+3d``) resolve against a fixed day in-process."""
    monkeypatch.setattr(journal.cli.common, "today", lambda: TODAY)
    return TODAY


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run ``journal argv...`` in-process: (exit code, stdout, stderr)."""
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def run_ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


def add(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    out = run_ok(capsys, "add", *argv)
    uid = out.strip()
    assert len(uid) == 32 and uid.isalnum(), out
    return uid


def list_json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict]:
    out = run_ok(capsys, "list", "--json", *argv)
    data = json.loads(out)
    assert isinstance(data, list)
    return data


def journal_cmd(*argv: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the real command in a subprocess; the environment (JOURNAL_DB...) is inherited."""
    return subprocess.run(
        [sys.executable, "-m", "journal", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )


# ---- add and list --------------------------------------------------------------------------


def test_env_points_at_tmp(db_path: Path) -> None:
    assert os.environ["JOURNAL_DB"] == str(db_path)


def test_add_then_list_by_tag(capsys, db_path: Path) -> None:
    uid = add(capsys, "x", "--tag", "t")
    add(capsys, "other entry", "--tag", "u")
    out = run_ok(capsys, "list", "--tag", "t")
    lines = out.splitlines()
    assert len(lines) == 1
    assert uid[:8] in lines[0] and "#t" in lines[0] and "x" in lines[0]
    assert Store.open(db_path).get(uid).tags == ("t",)


def test_add_reads_stdin(capsys, monkeypatch, db_path: Path) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("From standard input\nsecond line\n\n"))
    uid = add(capsys, "-", "--tag", "piped")
    entry = Store.open(db_path).get(uid)
    assert entry.body == "From standard input\nsecond line\n"
    assert entry.tags == ("piped",)


def test_add_empty_is_refused(capsys, monkeypatch, db_path: Path) -> None:
    code, out, err = run(capsys, "add", "   ")
    assert code == 2 and "empty" in err and out == ""
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n\n"))
    code, out, err = run(capsys, "add", "-")
    assert code == 2
    assert not db_path.exists()


def test_add_with_date_and_title(capsys, db_path: Path) -> None:
    uid = add(capsys, "dated body", "--date", "2026-03-04", "--title", "A title")
    uid2 = add(capsys, "relative", "--date", "yesterday", "--kind", "note")
    store = Store.open(db_path)
    entry = store.get(uid)
    assert entry.day == "2026-03-04" and entry.title == "A title" and entry.body == "dated body"
    other = store.get(uid2)
    assert other.day == (TODAY - timedelta(days=1)).isoformat() and other.kind == "note"
    out = run_ok(capsys, "list")
    assert "A title" in out and "2026-03-04" in out


def test_list_limit_and_order(capsys) -> None:
    uids = [add(capsys, f"entry {i}", "--date", f"2026-11-{10 + i}") for i in range(5)]
    data = list_json(capsys, "-n", "2")
    assert [d["uid"] for d in data] == [uids[4], uids[3]]
    out = run_ok(capsys, "list", "-n", "3")
    assert len(out.splitlines()) == 3
    assert [line.split()[0] for line in out.splitlines()] == [
        "2026-11-14",
        "2026-11-13",
        "2026-11-12",
    ]


def test_list_since_until(capsys) -> None:
    for day in ("2026-10-31", "2026-11-01", "2026-11-15", "2026-11-30", "2026-12-01"):
        add(capsys, f"on {day}", "--date", day)
    data = list_json(capsys, "--since", "2026-11-01", "--until", "2026-11-30")
    assert [d["day"] for d in data] == ["2026-11-30", "2026-11-15", "2026-11-01"]
    data = list_json(capsys, "--since", "tomorrow")  # 2026-11-23 here
    assert [d["day"] for d in data] == ["2026-12-01", "2026-11-30"]


def test_list_search(capsys) -> None:
    a = add(capsys, "A tough call with the Client")
    add(capsys, "a calm day")
    b = add(capsys, "client lunch", "--title", "TOUGH negotiation")
    data = list_json(capsys, "--search", "tough client")
    assert sorted(d["uid"] for d in data) == sorted([a, b])
    assert list_json(capsys, "--search", "zebra") == []


def test_list_json_has_every_field(capsys) -> None:
    uid = add(capsys, "body text", "--tag", "#Hard Calls", "--title", "T", "--date", "2026-01-02")
    data = list_json(capsys)
    assert len(data) == 1
    doc = data[0]
    assert set(doc) == set(FIELDS)
    assert doc["uid"] == uid
    assert doc["tags"] == ["hard-calls"]
    assert doc["day"] == "2026-01-02" and doc["title"] == "T" and doc["body"] == "body text"
    assert Entry.from_dict(doc).uid == uid


def test_list_json_empty_journal(capsys, db_path: Path) -> None:
    assert list_json(capsys) == []
    assert run_ok(capsys, "list") == ""
    assert not db_path.exists()  # reading never creates the journal


def test_db_option_before_and_after_the_command(capsys, tmp_path: Path, db_path: Path) -> None:
    other = tmp_path / "elsewhere" / "other.json"
    first = add(capsys, "--db", str(other), "first")
    code, out, err = run(capsys, "--db", str(other), "add", "second")
    assert code == 0, err
    second = out.strip()
    before = json.loads(run_ok(capsys, "--db", str(other), "list", "--json"))
    after = json.loads(run_ok(capsys, "list", "--json", "--db", str(other)))
    assert sorted(d["uid"] for d in before) == sorted([first, second])
    assert before == after
    assert not db_path.exists()  # the default journal was never touched
    assert list_json(capsys) == []


# ---- bad arguments -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["list", "-n", "zero"], ["-n", "zero"]),
        (["list", "-n", "0"], ["-n"]),
        (["add", "x", "--date", "2026-02-30"], ["--date", "2026-02-30"]),
        (["add", "x", "--date", "someday"], ["--date", "someday"]),
        (["list", "--since", "nope"], ["--since"]),
        (["bogus"], ["bogus"]),
        (["list", "--frobnicate"], ["--frobnicate"]),
        (["export"], ["-o"]),
        (["list", "--kind", "diary"], ["diary"]),
    ],
)
def test_bad_arguments_exit_2_with_one_line(capsys, db_path: Path, argv, words) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("journal")
    for word in words:
        assert word in err
    assert not db_path.exists()


# ---- a corrupt journal ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["list"],
        ["list", "--json"],
        ["add", "new entry"],
        ["export", "-o", "OUT"],
        ["prompt"],
    ],
)
def test_corrupt_database_exit_1_and_file_unchanged(capsys, db_path: Path, tmp_path, argv) -> None:
    raw = b'{"entries": {"1": {"uid": "abc", "body": "cut off'
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(raw)
    argv = [str(tmp_path / "out.md") if a == "OUT" else a for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 1
    assert str(db_path) in err
    assert "Traceback" not in err
    assert out == ""
    assert db_path.read_bytes() == raw
    assert not (tmp_path / "out.md").exists()


# ---- export --------------------------------------------------------------------------------

HOSTILE = [
    "# A heading in the body\n\nText.",
    "Paragraph\n---\nmore",
    "Setext one\n===",
    "Short underline\n-",
    "## Two\n### Three\n#### Four\n##### Five\n###### Six",
    "```python\n# not a heading\nprint('unclosed fence')",
    "> # quoted heading\n> still quoted",
]


def heading_counts(markdown: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    # The export starts with YAML front matter, as Pandoc and Obsidian read it.
    for token in MarkdownIt("commonmark").use(front_matter_plugin).parse(markdown):
        if token.type == "heading_open":
            counts[token.tag] = counts.get(token.tag, 0) + 1
    return counts


def test_export_writes_one_heading_per_entry(capsys, db_path: Path, tmp_path: Path) -> None:
    store = Store.open(db_path)
    days = ["2025-12-30", "2026-01-05", "2026-01-20", "2026-02-01", "2026-11-22", "2026-11-22"]
    bodies = HOSTILE + ["plain"] * (len(days) - len(HOSTILE))
    for i, day in enumerate(days):
        store.add(Entry.new(bodies[i % len(bodies)], day=day, title=f"entry {i}"))
    store.add(Entry.new(HOSTILE[-2], day="2026-11-23"))
    out_file = tmp_path / "export" / "out.md"
    code, _, err = run(capsys, "export", "-o", str(out_file))
    assert code == 0, err
    assert "7 entries" in err
    text = out_file.read_text("utf-8")
    counts = heading_counts(text)
    assert counts.get("h3", 0) == 7
    assert counts.get("h1", 0) == 2  # 2025, 2026
    assert counts.get("h2", 0) == 4  # Dec 2025, Jan, Feb, Nov 2026
    assert all(f"entry {i}" in text for i in range(len(days)))


def test_export_refuses_to_overwrite(capsys, tmp_path: Path) -> None:
    add(capsys, "one entry", "--date", "2026-11-20")
    out_file = tmp_path / "out.md"
    out_file.write_text("precious\n")
    code, _, err = run(capsys, "export", "-o", str(out_file))
    assert code == 2
    assert "--force" in err and len(err.strip().splitlines()) == 1
    assert out_file.read_text() == "precious\n"
    code, _, err = run(capsys, "export", "-o", str(out_file), "--force")
    assert code == 0, err
    assert heading_counts(out_file.read_text()).get("h3") == 1


def test_export_filters(capsys, tmp_path: Path) -> None:
    add(capsys, "keep", "--tag", "keep", "--date", "2026-11-01")
    add(capsys, "drop", "--date", "2026-11-02")
    out_file = tmp_path / "filtered.md"
    run_ok(capsys, "export", "-o", str(out_file), "--tag", "keep")
    text = out_file.read_text()
    assert "keep" in text and "drop" not in text


def test_export_to_a_folder_is_refused(capsys, tmp_path: Path) -> None:
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, _, err = run(capsys, "export", "-o", str(folder), "--force")
    assert code == 2 and "folder" in err


# ---- prompt --------------------------------------------------------------------------------


def test_prompt_is_stable_and_changes_the_next_day(capsys, db_path: Path) -> None:
    first = run_ok(capsys, "prompt")
    second = run_ok(capsys, "prompt")
    assert first == second
    assert first.strip()
    explicit = run_ok(capsys, "prompt", "--date", TODAY.isoformat())
    assert explicit == first
    tomorrow = run_ok(capsys, "prompt", "--date", "tomorrow")
    assert tomorrow.splitlines()[0] != first.splitlines()[0]
    assert tomorrow == run_ok(capsys, "prompt", "--date", (TODAY + timedelta(1)).isoformat())
    assert not db_path.exists()  # printing a prompt never writes the journal


def test_prompt_next_differs(capsys) -> None:
    today = run_ok(capsys, "prompt").splitlines()[0]
    other = run_ok(capsys, "prompt", "--next").splitlines()[0]
    assert other != today


def test_prompt_json(capsys) -> None:
    text_out = run_ok(capsys, "prompt")
    data = json.loads(run_ok(capsys, "prompt", "--json"))
    assert data["day"] == TODAY.isoformat()
    assert set(data) >= {"id", "pack", "pack_title", "theme", "text", "followups", "tags", "when"}
    assert text_out.splitlines()[0] == data["text"]
    assert data["id"] in text_out
    assert isinstance(data["followups"], list)
    for question in data["followups"]:
        assert f"  - {question}" in text_out


def test_prompt_theme(capsys) -> None:
    data = json.loads(run_ok(capsys, "prompt", "--json", "--theme", "follow-up"))
    assert data["theme"] == "follow-up"
    code, _, err = run(capsys, "prompt", "--theme", "no-such-theme")
    assert code == 2 and "no-such-theme" in err


def test_prompt_warns_about_broken_user_pack(capsys, tmp_path: Path) -> None:
    from journal.paths import user_prompts_dir

    folder = user_prompts_dir()
    assert str(folder).startswith(str(tmp_path))
    folder.mkdir(parents=True)
    (folder / "broken.toml").write_text('id = "x"\n[[prompts\n')
    code, out, err = run(capsys, "prompt")
    assert code == 0 and out.strip()
    assert "broken.toml" in err


def test_broken_config_warns_but_works(capsys) -> None:
    from journal.paths import config_path

    path = config_path()
    path.parent.mkdir(parents=True)
    path.write_text('theme = "a"\n[prompts\n')
    code, out, err = run(capsys, "prompt")
    assert code == 0 and out.strip()
    assert "line 2" in err


# ---- version and help ----------------------------------------------------------------------


def test_version_and_help_in_process(capsys) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.strip() == f"journal {__version__}"
    code, out, _ = run(capsys, "--help")
    assert code == 0
    for command in ("add", "list", "export", "prompt"):
        assert command in out
    code, out, _ = run(capsys, "list", "--help")
    assert code == 0 and "--since" in out


#: Every command, in the order ``journal --help`` lists them, and the module that owns it.
COMMANDS_BY_MODULE = {
    "today": "entries",
    "add": "entries",
    "list": "entries",
    "show": "reading",
    "tags": "reading",
    "journals": "reading",
    "edit": "editing",
    "delete": "editing",
    "export": "transfer",
    "import": "transfer",
    "prompt": "entries",
    "backup": "safety",
    "restore": "safety",
    "doctor": "safety",
    "checkin": "checkin",
    "due": "checkin",
    "done": "checkin",
    "move": "checkin",
    "stats": "checkin",
    "encrypt": "crypto",
    "decrypt": "crypto",
    "passphrase": "crypto",
    "accept": "crypto",
    "merge": "sync",
    "completion": "completion",
}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_help_lists_every_command(capsys) -> None:
    from journal.cli import build_parser

    assert list(_subcommands(build_parser())) == list(COMMANDS_BY_MODULE)
    code, out, _ = run(capsys, "--help")
    assert code == 0
    # A command's name starts its line, four spaces in (a wrapped help line starts further in).
    listed = re.findall(r"^    (\S+)", out, flags=re.MULTILINE)
    # Grouped (Write, Read, ...): every command once, in the order of COMMAND_GROUPS.
    from journal.cli import COMMAND_GROUPS

    grouped = [name for _title, names in COMMAND_GROUPS for name in names]
    assert [word for word in listed if word in COMMANDS_BY_MODULE] == grouped
    assert sorted(grouped) == sorted(COMMANDS_BY_MODULE)
    assert "Write:" in out and "Keep it safe:" in out
    code, _, err = run(capsys, "lsit")
    assert code == 2 and "invalid choice" in err and "export" in err


def test_each_command_module_registers_its_own_commands() -> None:
    """register(subparsers) adds exactly the module's commands, each bound (set_defaults) to
    a function of that module; nothing is dispatched through a table."""
    import importlib

    from journal.cli.common import ArgumentParser

    for name in sorted(set(COMMANDS_BY_MODULE.values())):
        module = importlib.import_module(f"journal.cli.{name}")
        parser = ArgumentParser(prog="journal")
        sub = parser.add_subparsers(dest="command", parser_class=ArgumentParser)
        if name == "completion":
            module.register(sub, parser)
        else:
            module.register(sub)
        if name == "entries":
            module.register_prompt(sub)
        mine = [c for c, m in COMMANDS_BY_MODULE.items() if m == name]
        assert sorted(_subcommands(parser)) == sorted(mine), name
        for command, subparser in _subcommands(parser).items():
            func = subparser.get_default("func")
            assert func.__module__ == module.__name__ and func.__name__.startswith("cmd_"), command
        assert not hasattr(module, "COMMANDS"), name


def _cli_sources() -> dict[str, str]:
    folder = Path(journal.cli.__file__).parent
    return {path.name: path.read_text() for path in sorted(folder.glob("*.py"))}


def test_the_cli_has_no_start_up_tricks() -> None:
    """No garbage-collector switching, no os._exit, no early read (prefetch) in journal/cli/;
    and no command module imports the package or another command module."""
    import ast

    sources = _cli_sources()
    assert {"__init__.py", "common.py", "entries.py", "safety.py"} <= set(sources)
    command_modules = {name[:-3] for name in sources} - {"__init__", "common"}
    for name, text in sources.items():
        tree = ast.parse(text)
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert all(a.name not in ("gc", "journal.prefetch") for a in node.names), name
            if isinstance(node, ast.ImportFrom):
                assert node.module not in ("gc", "journal.prefetch"), name
                names = [a.name for a in node.names]
                assert not (node.module == "journal" and "prefetch" in names), name
                if name != "__init__.py":
                    assert node.module != "journal.cli", (name, names)
                    others = {f"journal.cli.{m}" for m in command_modules - {name[:-3]}}
                    assert node.module not in others, (name, node.module)
            if isinstance(node, ast.Attribute):
                assert node.attr != "_exit", name
        assert "prefetch" not in text, name


FRESH_RUN = """
import gc, json, sys
from journal.cli import main
codes = [main(["add", "a fresh interpreter"]), main(["list"])]
print(json.dumps({
    "codes": codes,
    "gc": gc.isenabled(),
    "frozen": gc.get_freeze_count(),
    "threads": __import__("threading").active_count(),
}))
"""


def test_a_command_leaves_the_garbage_collector_alone_and_reads_nothing_early(db_path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", FRESH_RUN],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {
        "codes": [0, 0],
        "gc": True,
        "frozen": 0,
        "threads": 1,
    }


def test_the_console_script_is_journal_cli_run() -> None:
    pyproject = (Path(journal.cli.__file__).parents[2] / "pyproject.toml").read_text()
    scripts = pyproject.split("[project.scripts]\n", 1)[1].split("\n\n", 1)[0]
    assert scripts == 'journal = "journal.cli:run"'


def test_run_exits_with_the_code_of_main(monkeypatch, capsys) -> None:
    monkeypatch.setattr(sys, "argv", ["journal", "list", "-n", "1"])
    with pytest.raises(SystemExit) as exc:
        journal.cli.run()
    assert exc.value.code == 0
    monkeypatch.setattr(sys, "argv", ["journal", "add", "  "])
    with pytest.raises(SystemExit) as exc:
        journal.cli.run()
    assert exc.value.code == 2 and "the entry is empty" in capsys.readouterr().err


# ---- as a real command (subprocess) --------------------------------------------------------


def test_subprocess_add_and_list(db_path: Path) -> None:
    added = journal_cmd("add", "from a subprocess", "--tag", "sub")
    assert added.returncode == 0, added.stderr
    uid = added.stdout.strip()
    listed = journal_cmd("list", "--tag", "sub", "--json")
    assert listed.returncode == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert [d["uid"] for d in data] == [uid]
    assert Store.open(db_path).get(uid).body == "from a subprocess"


def test_subprocess_add_from_stdin(db_path: Path) -> None:
    added = journal_cmd("add", "-", stdin="piped in\n")
    assert added.returncode == 0, added.stderr
    assert Store.open(db_path).get(added.stdout.strip()).body == "piped in\n"


def test_subprocess_bad_arguments_one_line() -> None:
    result = journal_cmd("list", "-n", "zero")
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1


def test_subprocess_corrupt_database(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    raw = b"\xef\xbb\xbf{}"
    db_path.write_bytes(raw)
    result = journal_cmd("list")
    assert result.returncode == 1
    assert str(db_path) in result.stderr and "Traceback" not in result.stderr
    assert db_path.read_bytes() == raw


def test_subprocess_closed_pipe_is_not_an_error(db_path: Path) -> None:
    """`journal list | head -1`: the reader goes away; exit 0 and no traceback."""
    store = Store.open(db_path)
    store.add_many([Entry.new(f"line {i} " + "words " * 20) for i in range(3000)])
    store.close()
    proc = subprocess.Popen(
        [sys.executable, "-m", "journal", "list"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err


CHECK_TEXTUAL = """
import sys
from journal.cli import main
try:
    main(sys.argv[1:])
except SystemExit:
    pass
print("TEXTUAL-LOADED" if "textual" in sys.modules else "TEXTUAL-NOT-LOADED")
"""


@pytest.mark.parametrize(
    "argv", [["--version"], ["--help"], ["list"], ["prompt"], ["add", "--help"]]
)
def test_fast_commands_do_not_import_textual(argv: list[str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK_TEXTUAL, *argv],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "TEXTUAL-NOT-LOADED"


def test_version_importtime_has_no_textual() -> None:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "journal", "--version"],
        capture_output=True,
        text=True,
        timeout=60,
        env=os.environ.copy(),
    )
    assert result.returncode == 0
    assert result.stdout.strip() == f"journal {__version__}"
    imported = [line for line in result.stderr.splitlines() if line.startswith("import time:")]
    assert imported, "importtime printed nothing: the check would be empty"
    assert not [line for line in imported if "textual" in line]
