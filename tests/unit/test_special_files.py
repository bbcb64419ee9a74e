"""FIFOs, devices and huge files where journal's own files belong (issue 15, item 8).

A named pipe as the config file, a prompt pack, a draft or a file beside an encrypted
journal would make a plain read wait for ever for a writer; a symlink to /dev/zero would read
until memory runs out. Each case runs in a subprocess with a timeout (or a thread joined with
a timeout), so a regression fails here instead of hanging the suite.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from journal.config import CONFIG_CAP, load_settings, save_theme
from journal.errors import EntryError
from journal.models import Entry
from journal.paths import drafts_dir, user_prompts_dir
from journal.prompts import PACK_CAP, PromptLibrary
from journal.safe_read import FileTooLargeError, NotRegularFileError, read_capped
from journal.store import Store
from journal.store.atomic import atomic_write_bytes
from journal.store.backups import backup_now
from journal.store.drafts import Draft, DraftBox, checkin_draft_path, load_checkin_draft

JOURNAL = shutil.which("journal") or str(Path(sys.executable).with_name("journal"))
#: Far longer than any of these commands takes; only a hang reaches it.
TIMEOUT = 60

pytestmark = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")


def journal(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command, killed (and the test failed) if it ever waits for a writer."""
    return subprocess.run(
        [JOURNAL, *args],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=TIMEOUT,
        env={**os.environ, **(env or {})},
    )


def special(path: Path, kind: str) -> Path:
    """Put a FIFO (``fifo``) or a symlink to /dev/zero (``zero``) at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to("/dev/zero")
    return path


def within_timeout(call: Callable[[], Any], fifo: Path | None = None) -> Any:
    """``call()`` in a thread; fails the test if it has not returned after TIMEOUT seconds.

    A thread stuck opening ``fifo`` is released by opening the FIFO's other end, so it does
    not outlive the test.
    """
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:
            box["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(TIMEOUT)
    if thread.is_alive():
        if fifo is not None:
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"still reading after {TIMEOUT} s: it hangs")
    if "error" in box:
        raise box["error"]
    return box.get("value")


KINDS = ["fifo", "zero"]
WHAT = {"fifo": "a named pipe (FIFO)", "zero": "a device"}


# ---- the reader itself -----------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_reader_refuses_what_is_no_regular_file(tmp_path: Path, kind: str) -> None:
    path = special(tmp_path / "x", kind)
    with pytest.raises(NotRegularFileError) as caught:
        within_timeout(lambda: read_capped(path, 100), path if kind == "fifo" else None)
    assert WHAT[kind] in str(caught.value.strerror)


def test_the_reader_refuses_a_file_over_its_cap_reading_no_more(tmp_path: Path) -> None:
    path = tmp_path / "x"
    path.write_bytes(b"x" * 101)
    with pytest.raises(FileTooLargeError, match="larger than 100 bytes"):
        read_capped(path, 100)
    path.write_bytes(b"x" * 100)
    assert read_capped(path, 100) == b"x" * 100


# ---- the config file -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("argv", [["add", "words #tag"], ["prompt"], ["list"]])
def test_a_special_config_file_is_named_never_read(
    tmp_path: Path, db_path: Path, kind: str, argv: list[str]
) -> None:
    cfg = special(tmp_path / "config" / "config.toml", kind)
    result = journal(*argv)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    if argv[0] != "list":  # list needs no setting: it does not read the file at all
        [line] = [w for w in result.stderr.splitlines() if "config file" in w]
        assert f"The config file {cfg} was not read: it is {WHAT[kind]}, not a regular" in line
        assert f"Replace {cfg} with a small text file, or remove it." in result.stderr


@pytest.mark.parametrize("kind", KINDS)
def test_load_settings_of_a_special_file_returns_the_defaults_at_once(
    tmp_path: Path, kind: str
) -> None:
    cfg = special(tmp_path / "config" / "config.toml", kind)
    _, problem = within_timeout(lambda: load_settings(cfg), cfg)
    assert problem is not None and WHAT[kind] in problem.message
    assert problem.message.startswith(f"The config file {cfg} was not read: ")


def test_a_config_file_over_one_mb_is_not_read(tmp_path: Path) -> None:
    cfg = tmp_path / "config" / "config.toml"
    cfg.parent.mkdir(parents=True)
    cfg.write_bytes(b'theme = "journal-night"\n' + b"# padding\n" * (CONFIG_CAP // 10))
    assert CONFIG_CAP == 2**20
    settings, problem = load_settings(cfg)
    assert problem is not None and "it is larger than 1 MB" in problem.message
    assert settings.theme != "journal-night"


@pytest.mark.parametrize("kind", KINDS)
def test_choosing_a_theme_with_a_special_config_file_fails_at_once(
    tmp_path: Path, kind: str
) -> None:
    cfg = special(tmp_path / "config" / "config.toml", kind)
    with pytest.raises(NotRegularFileError):
        within_timeout(
            lambda: save_theme(cfg, "journal-night", write=atomic_write_bytes),
            cfg if kind == "fifo" else None,
        )
    assert cfg.is_symlink() or not cfg.is_file()  # left as it was


# ---- prompt packs ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_special_pack_file_is_skipped_with_a_warning(tmp_path: Path, kind: str) -> None:
    pack = special(user_prompts_dir() / "mine.toml", kind)
    result = journal("prompt")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    [line] = [w for w in result.stderr.splitlines() if "mine.toml" in w]
    assert f"warning: prompt pack skipped: {pack}: was not read: it is " in line
    assert WHAT[kind] in line and "replace it with a pack file or remove it" in line


def test_a_pack_over_four_mb_is_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "packs"
    folder.mkdir()
    (folder / "huge.toml").write_bytes(b"# x\n" * (PACK_CAP // 4 + 1))
    assert PACK_CAP == 4 * 2**20
    lib = PromptLibrary.load(user_dir=folder)
    [problem] = lib.problems
    assert problem.source.name == "huge.toml" and "it is larger than 4 MB" in problem.problem
    assert lib.packs  # the shipped packs load all the same


# ---- drafts ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_a_special_file_among_the_drafts_is_skipped_and_said(db_path: Path, kind: str) -> None:
    Store.open(db_path).add(Entry.new("saved"))
    real = DraftBox(db_path, session="ended")
    real.save(Draft(title="", tags="", body="unsaved words"))
    real.close()
    odd = special(drafts_dir(db_path) / "draft-odd.json", kind)
    box = DraftBox(db_path)
    found = within_timeout(box.orphans, odd if kind == "fifo" else None)
    assert [d.body for d in found] == ["unsaved words"]  # the real draft is still offered
    [(path, reason)] = box.skipped
    assert path == odd and WHAT[kind] in reason
    assert odd.is_symlink() or odd.exists()  # left alone, never removed

    result = journal("doctor")
    assert "Traceback" not in result.stderr
    assert result.returncode == 0, result.stdout
    said = " ".join(result.stdout.split())  # the report wraps long lines
    assert f"{odd} is in the drafts folder but was not read: it is {WHAT[kind]}" in said
    assert f"fix: rm {odd}" in said
    assert "Unsaved text from" in said


@pytest.mark.parametrize("kind", KINDS)
def test_a_special_check_in_draft_gives_a_clear_message(db_path: Path, kind: str) -> None:
    path = special(checkin_draft_path(db_path), kind)
    with pytest.raises(EntryError) as caught:
        within_timeout(lambda: load_checkin_draft(db_path), path if kind == "fifo" else None)
    assert caught.value.message == (
        f"The check-in draft {path} was not read: it is {WHAT[kind]}, not a regular file."
    )
    assert caught.value.hint.startswith(f"Remove {path};")


# ---- files the encryption path reads ---------------------------------------------------------


def test_encrypting_with_fifos_among_backups_and_drafts_never_hangs(
    tmp_path: Path, db_path: Path
) -> None:
    Store.open(db_path).add(Entry.new("words"))
    backup_now(db_path)
    (db_path.parent / f".{db_path.name}.checked").unlink()  # the record of the last write
    fifos = [
        special(
            db_path.parent / f"{db_path.name}.backups" / "journal-2026-01-01T0000.json", "fifo"
        ),
        special(drafts_dir(db_path) / "draft-odd.json", "fifo"),
        special(db_path.parent / f".{db_path.name}.checked", "fifo"),
    ]
    secret = tmp_path / "pass"
    secret.write_text("correct horse battery staple\n", encoding="utf-8")
    result = journal("encrypt", env={"JOURNAL_NEW_PASSPHRASE_FILE": str(secret)})
    assert result.returncode == 0, result.stderr
    assert "Encrypted the journal" in result.stdout
    env = {"JOURNAL_PASSPHRASE_FILE": str(secret)}
    listed = journal("list", env=env)
    assert listed.returncode == 0 and "words" in listed.stdout, listed.stderr
    doctor = journal("doctor", env=env)
    assert "Traceback" not in doctor.stderr
    for fifo in fifos:
        assert not fifo.is_file()  # left as they were


def test_a_fifo_as_the_encrypted_journals_record_never_hangs(tmp_path: Path, db_path: Path) -> None:
    from journal.store.watermark import record_path

    Store.open(db_path).add(Entry.new("words"))
    secret = tmp_path / "pass"
    secret.write_text("correct horse battery staple\n", encoding="utf-8")
    assert journal("encrypt", env={"JOURNAL_NEW_PASSPHRASE_FILE": str(secret)}).returncode == 0
    record = record_path(db_path)
    record.unlink()
    special(record, "fifo")
    result = journal("list", env={"JOURNAL_PASSPHRASE_FILE": str(secret)})
    assert "Traceback" not in result.stderr
    assert result.returncode == 0 and "words" in result.stdout, result.stderr


# ---- the journal itself (store/jsonfile.py, already regular-only) ----------------------------


def test_a_link_to_dev_zero_as_the_journal_is_refused(tmp_path: Path) -> None:
    link = special(tmp_path / "journal.json", "zero")
    for argv in (["list"], ["add", "words"], ["doctor"]):
        result = journal("--db", str(link), *argv)
        assert result.returncode == 1, result.stderr
        assert "not a regular file" in result.stderr and "Traceback" not in result.stderr
