"""Settings from config.toml: defaults, validation and saving the theme."""

from __future__ import annotations

import os
import stat
import textwrap
from pathlib import Path

import pytest

from journal.config import (
    CONFIG_CAP,
    DEFAULT_THEME,
    Settings,
    load_settings,
    parse_settings,
    save_theme,
)
from journal.errors import ConfigError
from journal.paths import config_path
from journal.store.atomic import atomic_write_bytes


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    return tmp_path / "config" / "config.toml"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_config_path_points_into_tmp(cfg: Path) -> None:
    assert config_path() == cfg


def test_missing_config_is_defaults(cfg: Path) -> None:
    settings, problem = load_settings(cfg)
    assert problem is None
    assert settings == Settings()
    assert settings.theme == DEFAULT_THEME
    assert settings.disabled_packs == () and settings.enabled_packs == ()
    assert settings.backups_keep == 14
    assert not cfg.exists()


def test_valid_config_parses(cfg: Path) -> None:
    write(
        cfg,
        """\
        # my settings
        theme = "journal-night"

        [prompts]
        disabled_packs = ["self-compassion"]
        enabled_packs = ["their-side", "follow-up"]
        starred = ["their-side-003"]

        [backups]
        keep = 3
        """,
    )
    settings, problem = load_settings(cfg)
    assert problem is None
    assert settings.theme == "journal-night"
    assert settings.disabled_packs == ("self-compassion",)
    assert settings.enabled_packs == ("their-side", "follow-up")
    assert settings.starred_prompts == ("their-side-003",)
    assert settings.backups_keep == 3
    assert settings.source == cfg


def test_empty_config_is_defaults(cfg: Path) -> None:
    write(cfg, "")
    assert load_settings(cfg) == (Settings(), None)


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('theme = "a"\n\n[prompts\nstarred = []\n', 3),
        ('theme = "unterminated\n', 1),
        ('theme = "a"\ntheme = "b"\n', 2),
        ("\n\n\n\n[backups]\nkeep = = 3\n", 6),
    ],
)
def test_broken_toml_gives_defaults_and_names_the_line(cfg: Path, text: str, line: int) -> None:
    write(cfg, text)
    settings, problem = load_settings(cfg)
    assert settings == Settings()
    assert isinstance(problem, ConfigError)
    assert f"line {line}" in problem.message
    assert str(cfg) in problem.message
    assert problem.hint  # says what to do


def test_non_utf8_config(cfg: Path) -> None:
    cfg.parent.mkdir(parents=True)
    cfg.write_bytes(b'theme = "caf\xe9"\n')
    settings, problem = load_settings(cfg)
    assert settings == Settings()
    assert problem is not None and "UTF-8" in problem.message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('colour = "blue"\n', ["unknown", "colour"]),
        ('[prompts]\nfavourite = ["x"]\n', ["unknown", "favourite"]),
        ("[backups]\nevery = 2\n", ["unknown", "every"]),
        ("[editor]\nwrap = true\n", ["unknown", "editor"]),
        ("theme = 3\n", ["theme"]),
        ('[prompts]\ndisabled_packs = "self-compassion"\n', ["prompts.disabled_packs"]),
        ("[prompts]\nenabled_packs = [1, 2]\n", ["prompts.enabled_packs"]),
        ("[prompts]\nstarred = true\n", ["prompts.starred"]),
        ('prompts = "all"\n', ["[prompts]"]),
        ("backups = 3\n", ["[backups]"]),
        ('[backups]\nkeep = "many"\n', ["backups.keep"]),
        ("[backups]\nkeep = 0\n", ["backups.keep"]),
        ("[backups]\nkeep = true\n", ["backups.keep"]),
        ("[backups]\nkeep = 2.5\n", ["backups.keep"]),
    ],
)
def test_unknown_keys_and_wrong_types_reported(cfg: Path, text: str, words: list[str]) -> None:
    write(cfg, 'theme = "journal-night"\n' + text if not text.startswith("theme") else text)
    settings, problem = load_settings(cfg)
    assert settings == Settings()  # defaults, not a half-applied file
    assert problem is not None
    for word in words:
        assert word in problem.message
    assert str(cfg) in problem.message


def test_parse_settings_directly() -> None:
    assert parse_settings({}) == Settings()
    with pytest.raises(ConfigError, match="unknown"):
        parse_settings({"nope": 1})
    assert parse_settings({"backups": {"keep": 1}}).backups_keep == 1


def test_unreadable_config(cfg: Path) -> None:
    cfg.mkdir(parents=True)  # a folder where the file should be
    settings, problem = load_settings(cfg)
    assert settings == Settings()
    assert problem is not None and str(cfg) in problem.message


# ---- save_theme ----------------------------------------------------------------------------


def test_save_theme_creates_the_file(cfg: Path) -> None:
    save_theme(cfg, "journal-night", write=atomic_write_bytes)
    assert load_settings(cfg) == (Settings(theme="journal-night"), None)
    assert stat.S_IMODE(os.stat(cfg).st_mode) == 0o600


def test_save_theme_keeps_other_lines(cfg: Path) -> None:
    original = textwrap.dedent(
        """\
        # My journal settings, written by hand.
        theme = "journal-calm"   # the default

        [prompts]
        # too much for now
        disabled_packs = ["self-compassion"]

        [backups]
        keep = 5
        """
    )
    write(cfg, original)
    save_theme(cfg, "journal-night", write=atomic_write_bytes)
    text = cfg.read_text("utf-8")
    expected = original.replace('theme = "journal-calm"   # the default', 'theme = "journal-night"')
    assert text == expected
    settings, problem = load_settings(cfg)
    assert problem is None
    assert settings.theme == "journal-night"
    assert settings.disabled_packs == ("self-compassion",)
    assert settings.backups_keep == 5


def test_save_theme_adds_a_line_when_there_is_none(cfg: Path) -> None:
    write(cfg, "# comment\n[backups]\nkeep = 2\n")
    save_theme(cfg, "journal-night", write=atomic_write_bytes)
    lines = cfg.read_text("utf-8").splitlines()
    assert lines == ['theme = "journal-night"', "# comment", "[backups]", "keep = 2"]
    settings, problem = load_settings(cfg)
    assert problem is None and settings.theme == "journal-night" and settings.backups_keep == 2


def test_save_theme_twice_replaces(cfg: Path) -> None:
    save_theme(cfg, "a", write=atomic_write_bytes)
    save_theme(cfg, "b", write=atomic_write_bytes)
    assert cfg.read_text("utf-8").count("theme") == 1
    assert load_settings(cfg)[0].theme == "b"


# ---- a config file of many unknown keys: found in linear time (issue 15, item 9) -------------


def many_unknown_keys(count: int, table: str = "") -> str:
    """A config of ``count`` unknown keys (20,000 make about 1 MB), after two known lines."""
    head = '# my settings\ntheme = "journal-night"\n' + (f"[{table}]\n" if table else "")
    keys = "".join(f'unknown_key_{i:05d} = "a value of some length {i}"\n' for i in range(count))
    return head + keys


class CountingPattern:
    """A compiled pattern that counts its ``match`` calls (the work per line of the file)."""

    def __init__(self, pattern) -> None:
        self.pattern = pattern
        self.calls = 0

    def match(self, text: str):
        self.calls += 1
        return self.pattern.match(text)


@pytest.mark.parametrize(("table", "line"), [("", 3), ("prompts", 4), ("backups", 4)])
def test_twenty_thousand_unknown_keys_give_one_line_with_the_right_number(
    cfg: Path, table: str, line: int
) -> None:
    write(cfg, many_unknown_keys(20_000, table))
    assert 1_000_000 < cfg.stat().st_size <= CONFIG_CAP  # the 1 MB, still read
    settings, problem = load_settings(cfg)
    assert settings == Settings()
    assert problem is not None
    assert f"{cfg}, line {line}: unknown setting(s)" in problem.message
    # The first ones in the file's order, then a count: one readable line, not 1 MB of names.
    assert "unknown_key_00000, unknown_key_00001," in problem.message
    assert "unknown_key_00010" not in problem.message
    assert "and 19,990 more" in problem.message
    assert len(problem.message) < 500


def test_finding_the_line_is_linear_in_the_file(cfg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each line of the file is looked at once, whatever the number of unknown keys: the
    count of pattern matches grows with the file (x10), not with its square (x100)."""
    import journal.config as config

    counts = {}
    for count in (2_000, 20_000):
        counter = CountingPattern(config._KEY_LINE)
        monkeypatch.setattr(config, "_KEY_LINE", counter)
        write(cfg, many_unknown_keys(count))
        problem = load_settings(cfg)[1]
        assert problem is not None and ", line 3: " in problem.message
        counts[count] = counter.calls
        assert counter.calls <= count + 2  # at most one match per line
    assert counts[20_000] <= 10 * counts[2_000] + 10


@pytest.mark.parametrize("relative", [False, True])
def test_save_theme_writes_through_a_symlinked_config(
    cfg: Path, tmp_path: Path, relative: bool
) -> None:
    """A config.toml that links into a dotfiles folder stays a link (issue 15, item 16)."""
    target = write(tmp_path / "dotfiles" / "journal.toml", "# mine\n[backups]\nkeep = 3\n")
    cfg.parent.mkdir(parents=True)
    cfg.symlink_to(os.path.relpath(target, cfg.parent) if relative else target)
    save_theme(cfg, "journal-night", write=atomic_write_bytes)
    assert cfg.is_symlink()
    assert target.read_text("utf-8") == 'theme = "journal-night"\n# mine\n[backups]\nkeep = 3\n'
    assert load_settings(cfg)[0] == Settings(theme="journal-night", backups_keep=3)
    assert sorted(p.name for p in cfg.parent.iterdir()) == ["config.toml"]  # no temp left
    assert sorted(p.name for p in target.parent.iterdir()) == ["journal.toml"]


def test_save_theme_through_a_link_to_a_file_not_there_yet(cfg: Path, tmp_path: Path) -> None:
    target = tmp_path / "dotfiles" / "journal.toml"
    target.parent.mkdir()
    cfg.parent.mkdir(parents=True)
    cfg.symlink_to(target)
    save_theme(cfg, "journal-night", write=atomic_write_bytes)
    assert cfg.is_symlink() and target.read_text("utf-8") == 'theme = "journal-night"\n'
