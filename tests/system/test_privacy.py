"""Privacy: private files whatever the umask, no network ever, and ctrl+l hides the screen."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from textual.widgets import TextArea

from journal import cli
from journal.config import load_settings
from journal.paths import backups_dir, drafts_dir
from journal.tui.dialogs.help import HelpScreen
from journal.tui.screens.privacy import PrivacyScreen
from tests.textual_patches import notifications_raised

JOURNAL = str(Path(sys.executable).parent / "journal")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ---- files 0600, folders 0700, whatever the umask ------------------------------------------


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o002])
async def test_everything_written_is_private(umask: int, tmp_path: Path, make_app, capsys):
    db = tmp_path / "data" / "journal.json"
    export = tmp_path / "out" / "journal.md"
    old = os.umask(umask)
    try:
        assert cli.main(["add", "first"]) == 0
        assert cli.main(["add", "second"]) == 0  # takes the daily backup
        assert cli.main(["backup"]) in (0,)
        assert cli.main(["export", "-o", str(export)]) == 0
        app = make_app()
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press(*"a draft")
            app.screen.flush_draft()
            await pilot.pause()
    finally:
        os.umask(old)
    capsys.readouterr()
    folders = [db.parent, backups_dir(db), drafts_dir(db), export.parent]
    files = [db, export, *backups_dir(db).iterdir(), *drafts_dir(db).iterdir()]
    files += [db.parent / ".journal.json.lock"]
    assert any(p.name.startswith("draft-") for p in files)
    assert len([p for p in files if p.parent == backups_dir(db)]) >= 1
    for folder in folders:
        assert mode(folder) == 0o700, folder
    for file in files:
        assert mode(file) == 0o600, file


# ---- no network ----------------------------------------------------------------------------

SITECUSTOMIZE = textwrap.dedent(
    '''
    """Test harness: any attempt to reach the network is refused and written down."""
    import os
    import socket

    _LOG = os.environ["NO_NETWORK_LOG"]
    _NETWORK = {socket.AF_INET, socket.AF_INET6}


    def _refuse(what):
        with open(_LOG, "a") as log:
            log.write(what + "\\n")
        raise OSError("network access is blocked in this test: " + what)


    class _NoNetworkSocket(socket.socket):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            if fileno is None and (family == -1 or family in _NETWORK):
                _refuse(f"socket({family}, {type})")
            super().__init__(family, type, proto, fileno)


    socket.socket = _NoNetworkSocket
    socket.create_connection = lambda *a, **k: _refuse(f"create_connection{a}")
    socket.getaddrinfo = lambda *a, **k: _refuse(f"getaddrinfo{a}")
    socket.gethostbyname = lambda *a, **k: _refuse(f"gethostbyname{a}")
    '''
)

APP_SESSION = textwrap.dedent(
    """
    import asyncio
    from pathlib import Path

    from journal.tui.app import JournalApp
    from journal.config import Settings
    from journal.prompts import PromptLibrary
    from journal.store import Store


    async def main():
        store = Store.open(Path(__import__("os").environ["JOURNAL_DB"]))
        app = JournalApp(settings=Settings(), store=store, prompts=PromptLibrary.load())
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            await pilot.press(*"written offline")
            await pilot.press("ctrl+s")
            await pilot.pause(1.2)
            await pilot.press("ctrl+l")
            await pilot.press("x")
            await pilot.press("f3")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.press("ctrl+p")
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        assert "written offline" in [e.body for e in store.entries()]
        print("app ok")


    asyncio.run(main())
    """
)


@pytest.fixture
def offline(tmp_path: Path) -> tuple[dict[str, str], Path]:
    site = tmp_path / "offline-site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    log = tmp_path / "network-attempts.log"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(site), os.environ.get("PYTHONPATH")])),
        "NO_NETWORK_LOG": str(log),
    }
    return env, log


def test_the_block_works(offline) -> None:
    """The harness can fail: a program that reaches out is refused and recorded."""
    env, log = offline
    result = subprocess.run(
        [sys.executable, "-c", "import socket; socket.create_connection(('127.0.0.1', 9))"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert result.returncode != 0 and "network access is blocked" in result.stderr
    assert "create_connection" in log.read_text()
    raw = subprocess.run(
        [sys.executable, "-c", "import socket; socket.socket(socket.AF_INET)"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert raw.returncode != 0


@pytest.mark.slow
def test_every_command_and_the_app_work_without_network(offline, tmp_path: Path) -> None:
    env, log = offline
    export = tmp_path / "out.md"
    commands = [
        ["add", "offline thought", "--tag", "calls"],
        ["add", "another"],
        ["list"],
        ["list", "--json", "--search", "offline"],
        ["prompt"],
        ["prompt", "--json", "--next"],
        ["export", "-o", str(export)],
        ["backup"],
        ["restore", "--list"],
        ["doctor"],
        ["--help"],
    ]
    for args in commands:
        result = subprocess.run(
            [JOURNAL, *args], capture_output=True, text=True, env=env, timeout=60
        )
        assert result.returncode == 0, (args, result.stderr)
    app = subprocess.run(
        [sys.executable, "-c", APP_SESSION], capture_output=True, text=True, env=env, timeout=120
    )
    assert app.returncode == 0, app.stderr[-3000:]
    assert "app ok" in app.stdout
    assert not log.exists() or log.read_text() == "", log.read_text()


# ---- ctrl+l ---------------------------------------------------------------------------------


async def test_ctrl_l_hides_everything_until_a_key(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press(*"a private sentence")
        await pilot.press("ctrl+l")
        await pilot.pause()
        assert isinstance(app.screen, PrivacyScreen)
        app.notify("a private notification")
        await pilot.pause()
        shot = app.export_screenshot()
        assert "Press any key to return" in shot.replace("&#160;", " ")
        for secret in ("private", "sentence", "Today", "notification"):
            assert secret not in shot.replace("Press any key to return", "")
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, PrivacyScreen)
        editor = app.screen.query_one("#editor", TextArea)
        assert editor.text == "a private sentence", "the key only brought the journal back"


async def test_global_keys_only_bring_the_journal_back(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        for key in ("f1", "ctrl+q", "ctrl+s", "ctrl+l", "ctrl+p"):
            await pilot.press("ctrl+l")
            await pilot.pause()
            assert isinstance(app.screen, PrivacyScreen)
            await pilot.press(key)
            await pilot.pause()
            assert not isinstance(app.screen, (PrivacyScreen, HelpScreen)), key
            assert app.screen.id == "today", key
            assert app.is_running
        assert app.store.entries() == [], "ctrl+s behind the blank did not save"


async def test_hide_the_screen_is_in_the_palette_and_help(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        commands = {c.title: c for c in app.get_system_commands(app.screen)}
        assert "Hide the screen" in commands
        commands["Hide the screen"].callback()
        await pilot.pause()
        assert isinstance(app.screen, PrivacyScreen)
        await pilot.click()
        await pilot.pause()
        assert not isinstance(app.screen, PrivacyScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.content) for s in app.screen.query("Static"))
        assert "ctrl+l" in text and "Hide the screen" in text


# ---- a broken config file -------------------------------------------------------------------


async def test_broken_config_is_shown_in_the_app_with_its_line(
    tmp_path: Path, make_app, monkeypatch
) -> None:
    config = tmp_path / "config" / "config.toml"
    config.parent.mkdir()
    config.write_text('theme = "journal-calm"\n\n[backups]\nkeep = "many"\n')
    captured = []
    monkeypatch.setattr("journal.tui.app.JournalApp.run", lambda self, **kw: captured.append(self))
    assert cli.main([]) == 0
    [app] = captured
    assert app.settings.backups_keep == 14, "the defaults are used"
    [problem] = app.startup_problems
    assert "line 4" in problem.message and "backups.keep" in problem.message

    shown = make_app()
    shown.startup_problems.append(problem)
    async with shown.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        messages = [n.message for n in notifications_raised(shown)]
        assert any("line 4" in m and "config.toml" in m for m in messages), messages
        assert shown.screen.id == "today"


def test_toml_syntax_error_names_its_line(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('theme = "a"\nthis is not toml\n')
    _, problem = load_settings(config)
    assert problem is not None and "on line 2" in problem.message
