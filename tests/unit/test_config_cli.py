"""What the command line says about the config file: every problem named, once per command."""

from __future__ import annotations

from pathlib import Path

import pytest

from journal.cli import main
from journal.models import Entry
from journal.store import Store
from journal.store.backups import list_backups


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    path = tmp_path / "config" / "config.toml"
    path.parent.mkdir(parents=True)
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``journal argv...`` in-process: (exit code, stdout, stderr)."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


BAD_KEEP = ["-1", '"many"', "0", "true", "2.5"]


# ---- backups.keep (issue 15, item 16) --------------------------------------------------------


@pytest.mark.parametrize("value", BAD_KEEP)
def test_add_warns_about_an_invalid_backups_keep(
    capsys, cfg: Path, db_path: Path, value: str
) -> None:
    """The daily backup ``add`` takes reads ``keep``: a bad value is said, not ignored."""
    Store.open(db_path).add(Entry.new("yesterday's words"))  # a journal to back up
    cfg.write_text(f"[backups]\nkeep = {value}\n", encoding="utf-8")
    code, _, err = run(capsys, "add", "--no-inline-tags", "today's words")
    assert code == 0
    assert [b for b in list_backups(db_path) if b.tag is None]  # the backup was taken
    assert f"{cfg}, line 2: backups.keep must be a whole number of at least 1" in err
    assert err.count("backups.keep") == 1


@pytest.mark.parametrize("value", BAD_KEEP)
def test_backup_warns_about_an_invalid_backups_keep(
    capsys, cfg: Path, db_path: Path, value: str
) -> None:
    Store.open(db_path).add(Entry.new("words"))
    cfg.write_text(f"[backups]\nkeep = {value}\n", encoding="utf-8")
    code, out, err = run(capsys, "backup")
    assert code == 0 and "Backed up 1 entry" in out
    assert f"{cfg}, line 2: backups.keep must be a whole number of at least 1" in err
    assert "journal uses its defaults" in err


def test_one_warning_per_command_however_often_the_config_is_read(
    capsys, cfg: Path, db_path: Path
) -> None:
    """``add`` reads the file for inline tags and again for the backup: one warning; the next
    command warns again."""
    Store.open(db_path).add(Entry.new("words"))
    cfg.write_text("[backups]\nkeep = 0\n", encoding="utf-8")
    for _ in range(2):
        code, _, err = run(capsys, "add", "more #words")
        assert code == 0
        assert err.count("backups.keep") == 1, err


# ---- pack names that do not exist (issue 15, item 16) ----------------------------------------


def test_unknown_enabled_packs_are_named_with_the_known_ones(capsys, cfg: Path) -> None:
    cfg.write_text('[prompts]\nenabled_packs = ["their-side", "thier-side"]\n', encoding="utf-8")
    code, out, err = run(capsys, "prompt")
    assert code == 0 and out.strip()  # their-side still gives a prompt
    [line] = [w for w in err.splitlines() if "enabled_packs" in w]
    assert str(cfg) in line
    assert "names no pack called 'thier-side';" in line
    assert "the packs are: failure-as-learning, follow-up," in line and "their-side" in line


def test_only_unknown_enabled_packs_says_why_no_prompt_comes(capsys, cfg: Path) -> None:
    cfg.write_text('[prompts]\nenabled_packs = ["nope", "\\u001b]0;pwned\\u0007"]\n', "utf-8")
    code, _, err = run(capsys, "prompt")
    assert code == 1
    assert "names no pack called 'nope', '\\x1b]0;pwned\\x07', so no prompt is shown" in err
    assert "\x1b" not in err and "\x07" not in err  # shown visibly escaped


def test_unknown_disabled_packs_are_named(capsys, cfg: Path) -> None:
    cfg.write_text('[prompts]\ndisabled_packs = ["self-compasion"]\n', encoding="utf-8")
    code, _, err = run(capsys, "prompt")
    assert code == 0
    assert "prompts.disabled_packs names no pack called 'self-compasion';" in err
    assert "self-compassion" in err.split("the packs are:")[1]


def test_known_pack_names_give_no_warning(capsys, cfg: Path) -> None:
    cfg.write_text(
        '[prompts]\nenabled_packs = ["their-side"]\ndisabled_packs = ["follow-up"]\n', "utf-8"
    )
    code, _, err = run(capsys, "prompt")
    assert code == 0 and err == ""
