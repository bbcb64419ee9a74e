"""End to end in a real terminal (tmux): the hidden passphrase prompts of the CLI and the app's
unlock screen, with the installed ``journal`` command."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from journal.store import Store
from journal.store.crypto import Key, is_encrypted
from tests.tmux import Tmux, journal_command, run_cli

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

PASS = "correct horse battery staple"


@pytest.fixture
def shell(env: dict[str, str]):
    session = Tmux(env, height=24)
    session.start("bash --norc --noprofile")
    session.wait_for("bash")
    yield session
    session.kill()


def _db(env: dict[str, str]) -> Path:
    return Path(env["JOURNAL_DB"])


def encrypt_with(env: dict[str, str], pass_file: Path):
    return run_cli({**env, "JOURNAL_NEW_PASSPHRASE_FILE": str(pass_file)}, "encrypt")


def test_encrypt_by_hidden_prompts_then_list_asks_again(shell: Tmux, env: dict[str, str]):
    assert run_cli(env, "add", "The quokka entry.").returncode == 0
    shell.send(f"{journal_command()} encrypt; echo EXIT=$?", "Enter")
    shell.wait_for("New passphrase:")
    shell.send(PASS, "Enter")
    shell.wait_for("The same again:")
    shell.send("not the same at all", "Enter")
    shell.wait_for("differ")
    shell.wait_for("New passphrase:")
    shell.send(PASS, "Enter")
    shell.wait_for("The same again:")
    shell.send(PASS, "Enter")
    screen = shell.wait_for("\nEXIT=0")
    assert "Encrypted the journal" in screen
    assert PASS not in screen  # hidden input: never echoed
    assert is_encrypted(_db(env).read_bytes())

    shell.send("clear", "Enter")
    shell.send(f"{journal_command()} list; echo EXIT=$?", "Enter")
    shell.wait_for("Passphrase for")
    shell.send("wrong passphrase", "Enter")
    shell.wait_for("2 tries left")
    shell.send(PASS, "Enter")
    screen = shell.wait_for("\nEXIT=0")
    assert "The quokka entry." in screen and PASS not in screen


def test_three_wrong_passphrases_exit_1_and_change_nothing(shell: Tmux, env: dict[str, str]):
    assert run_cli(env, "add", "The quokka entry.").returncode == 0
    pass_file = Path(env["JOURNAL_DB"]).parent.parent / "pass"
    pass_file.write_text(PASS + "\n", encoding="utf-8")
    assert (
        run_cli({**env, "JOURNAL_NEW_PASSPHRASE_FILE": str(pass_file)}, "encrypt").returncode == 0
    )
    before = _db(env).read_bytes()
    shell.send(f"{journal_command()} add 'more text'; echo EXIT=$?", "Enter")
    for left in ("2 tries left", "1 try left", None):
        shell.wait_for("Passphrase for")
        shell.send("wrong passphrase", "Enter")
        if left:
            shell.wait_for(left)
    screen = shell.wait_for("\nEXIT=1")
    assert "stays locked" in screen and "Nothing was changed" in screen
    assert _db(env).read_bytes() == before


def test_the_app_unlocks_writes_and_keeps_everything_encrypted(env: dict[str, str]) -> None:
    db = _db(env)
    assert run_cli(env, "add", "The quokka entry from the shell.").returncode == 0
    pass_file = db.parent.parent / "pass"
    pass_file.write_text(PASS + "\n", encoding="utf-8")
    assert (
        run_cli({**env, "JOURNAL_NEW_PASSPHRASE_FILE": str(pass_file)}, "encrypt").returncode == 0
    )
    app = Tmux(env)
    try:
        app.start(journal_command())
        app.wait_for("Your journal is locked")
        app.send("wrong passphrase", literal=True)
        app.send("Enter")
        app.wait_for("2 tries left")
        app.send(PASS, literal=True)
        screen = app.screen()
        assert PASS not in screen  # a password field shows dots
        app.send("Enter")
        app.wait_for("quokka entry")
        app.send("A platypus paragraph, typed in the app.", literal=True)
        app.wait_for("unsaved")
        app.save_and_quit()
    finally:
        app.kill()
    raw = db.read_bytes()
    assert b"platypus" not in raw and b"quokka" not in raw
    bodies = [e.body for e in Store.open(db, key=Key.for_file(PASS, raw)).entries()]
    assert "A platypus paragraph, typed in the app." in bodies


def test_the_app_exits_1_after_three_wrong_passphrases(env: dict[str, str]) -> None:
    db = _db(env)
    assert run_cli(env, "add", "The quokka entry.").returncode == 0
    pass_file = db.parent.parent / "pass"
    pass_file.write_text(PASS + "\n", encoding="utf-8")
    assert (
        run_cli({**env, "JOURNAL_NEW_PASSPHRASE_FILE": str(pass_file)}, "encrypt").returncode == 0
    )
    before = db.read_bytes()
    shell = Tmux(env)
    try:
        shell.start("bash --norc --noprofile")
        shell.wait_for("bash")
        shell.send(f"{journal_command()}; echo EXIT=$?", "Enter")
        shell.wait_for("Your journal is locked")
        for left in ("2 tries left", "1 try left", None):
            shell.send("wrong passphrase", literal=True)
            shell.send("Enter")
            if left:
                shell.wait_for(left)
        screen = shell.wait_for("\nEXIT=1")
        assert "stays locked" in screen
    finally:
        shell.kill()
    assert db.read_bytes() == before
