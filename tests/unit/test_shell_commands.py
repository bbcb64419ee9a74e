"""What a jrnl user reaches for: show, edit, delete, tags, inline tags, on this day, named
journals, bare text and completion, in-process through ``main``."""

from __future__ import annotations

import json
import os
import stat
from datetime import date
from pathlib import Path

import pytest

import journal.cli.common
from journal.cli import main
from journal.models import Entry, FollowUp
from journal.onthisday import on_this_day
from journal.store import Store
from journal.tags import inline_tags
from journal.transfer.editing import EditedFileError, editor_text, parse_editor_text

TODAY = date(2026, 12, 2)


@pytest.fixture(autouse=True)
def fixed_today(monkeypatch: pytest.MonkeyPatch) -> date:
    monkeypatch.setattr(journal.cli.common, "today", lambda: TODAY)
    return TODAY


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def ok(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return out


def editor_script(tmp_path: Path, name: str, body: str) -> str:
    """A tiny editor: a shell script run on the file, as $EDITOR would be."""
    path = tmp_path / name
    path.write_text("#!/bin/sh\n" + body + "\n", encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)
    return str(path)


#: Editor commands that break the front matter (``day:`` becomes an unknown key) and fix it.
BREAK_FRONT_MATTER = "sed -i 's/^day:.*/when: x/' \"$1\""
FIX_FRONT_MATTER = "sed -i 's/^when:.*/day: {day}/' \"$1\""


def stored(db: Path) -> list[Entry]:
    return Store.open(db).entries()


# ---- inline tags ---------------------------------------------------------------------------


def test_inline_tags_are_read_from_prose_but_not_from_code_or_urls() -> None:
    text = (
        "Spoke with @Sam about #Growth.\n"
        "# A heading, C# and a@b.com, https://x.org/#frag, `#span`, #3\n"
        "```\n#infence\n```\n\n    #indented code\n\nEnd (#paren)."
    )
    assert inline_tags(text) == ("sam", "growth", "paren")


def test_bare_text_adds_an_entry_with_its_inline_tags(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    ok(capsys, "Met @Sam, it went #well")
    (entry,) = stored(db_path)
    assert entry.body == "Met @Sam, it went #well"
    assert entry.tags == ("sam", "well")
    ok(capsys, "add", "--no-inline-tags", "no #tags here")
    assert {e.body: e.tags for e in stored(db_path)}["no #tags here"] == ()


def test_a_mistyped_command_is_not_an_entry(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    code, _out, err = run(capsys, "lsit")
    assert code == 2 and "invalid choice" in err
    assert not db_path.exists()


def test_inline_tags_can_be_switched_off_in_the_config(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    config = Path(os.environ["JOURNAL_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text("[tags]\ninline = false\n", encoding="utf-8")
    ok(capsys, "add", "a #word stays text")
    assert stored(db_path)[0].tags == ()


# ---- show ----------------------------------------------------------------------------------


def test_show_by_prefix_in_three_forms(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    uid = ok(capsys, "add", "The body\nsecond line", "--title", "A title", "--tag", "calls")
    uid = uid.strip()
    out = ok(capsys, "show", uid[:6])
    assert "A title" in out and "The body\nsecond line" in out and "#calls" in out
    data = json.loads(ok(capsys, "show", uid[:6], "--json"))
    assert data["uid"] == uid and data["title"] == "A title"
    from journal.transfer.export import entry_file_text

    assert ok(capsys, "show", uid, "--markdown") == entry_file_text(Store.open(db_path).get(uid))


def test_an_ambiguous_prefix_lists_the_matches(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    store = Store.open(db_path)
    for uid in ("abcd1111" + "0" * 24, "abcd2222" + "0" * 24):
        e = Entry.new("text " + uid[:8])
        store.add(Entry.from_dict({**e.to_dict(), "uid": uid}))
    code, _out, err = run(capsys, "show", "abcd")
    assert code == 2
    assert "abcd1111" in err and "abcd2222" in err and "give more" in err
    code, _out, err = run(capsys, "show", "ffff")
    assert code == 2 and "no entry" in err


def test_show_escapes_control_characters(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    store = Store.open(db_path)
    entry = store.add(Entry.new("evil \x1b]52;c;aGk=\x07 body", title="t\x1b[2J"))
    for form in ((), ("--json",), ("--markdown",)):
        out = ok(capsys, "show", entry.uid, *form)
        assert "\x1b" not in out and "\x07" not in out
    assert json.loads(ok(capsys, "show", entry.uid, "--json"))["body"] == entry.body


# ---- edit ----------------------------------------------------------------------------------


def test_edit_applies_a_changed_file_and_keeps_what_the_editor_does_not_own(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store = Store.open(db_path)
    entry = store.add(
        Entry.new(
            "first line",
            title="Old",
            follow_up=FollowUp(action="call Sam", due="2026-12-05"),
            starred=True,
        )
    )
    monkeypatch.setenv(
        "EDITOR",
        editor_script(
            tmp_path,
            "ed",
            "sed -i 's/^title: Old/title: New/' \"$1\"; echo 'more #later' >> \"$1\"",
        ),
    )
    out = ok(capsys, "edit", entry.uid[:8])
    assert "Saved" in out
    (after,) = stored(db_path)
    assert after.title == "New"
    assert after.body == "first line\nmore #later"
    assert after.tags == ("later",)
    assert after.follow_up == entry.follow_up and after.starred


def test_an_unchanged_file_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry = Store.open(db_path).add(Entry.new("as it was"))
    before = db_path.read_bytes()
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, "ed", "true"))
    assert "No change" in ok(capsys, "edit", entry.uid)
    assert db_path.read_bytes() == before


def test_an_editor_that_fails_changes_nothing(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry = Store.open(db_path).add(Entry.new("as it was"))
    before = db_path.read_bytes()
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, "ed", 'echo junk >> "$1"; exit 3'))
    code, _out, err = run(capsys, "edit", entry.uid)
    assert code == 1 and "exited with status 3" in err and "nothing was changed" in err
    assert db_path.read_bytes() == before


def test_broken_front_matter_is_kept_aside_and_reported(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry = Store.open(db_path).add(Entry.new("as it was"))
    before = db_path.read_bytes()
    monkeypatch.setenv(
        "EDITOR",
        editor_script(tmp_path, "ed", 'sed -i \'s/^day:.*/when: later/\' "$1"; echo new >> "$1"'),
    )
    code, _out, err = run(capsys, "edit", entry.uid)
    assert code == 1 and "not applied" in err
    assert db_path.read_bytes() == before
    kept = next((db_path.parent / "unapplied-edits").iterdir())
    assert "new" in kept.read_text(encoding="utf-8") and str(kept) in err
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600


def test_a_kept_edit_opens_again_with_from_and_is_removed_once_applied(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry = Store.open(db_path).add(Entry.new("as it was"))
    monkeypatch.setenv(
        "EDITOR",
        editor_script(tmp_path, "ed", BREAK_FRONT_MATTER + '; echo kept >> "$1"'),
    )
    _code, _out, err = run(capsys, "edit", entry.uid)
    (kept,) = (db_path.parent / "unapplied-edits").iterdir()
    assert f"journal edit {entry.uid[:8]} --from {kept}" in err
    # Broken again: kept again under a new name, the old copy gone (one copy, never none).
    assert run(capsys, "edit", entry.uid, "--from", str(kept))[0] == 1
    (again,) = (db_path.parent / "unapplied-edits").iterdir()
    assert again != kept and "kept" in again.read_text(encoding="utf-8")
    monkeypatch.setenv(
        "EDITOR", editor_script(tmp_path, "fix", FIX_FRONT_MATTER.format(day="2026-11-30"))
    )
    assert "Saved" in ok(capsys, "edit", entry.uid[:8], "--from", str(again))
    (after,) = stored(db_path)
    assert (after.body, after.day) == ("as it was\nkept\nkept", "2026-11-30")
    assert not list((db_path.parent / "unapplied-edits").iterdir())
    # The same for a new entry written in the editor.
    monkeypatch.setenv(
        "EDITOR",
        editor_script(tmp_path, "ed3", 'sed -i \'s/^tags:.*/tag: x/\' "$1"; echo new >> "$1"'),
    )
    _code, _out, err = run(capsys, "add")
    (kept,) = (db_path.parent / "unapplied-edits").iterdir()
    assert f"journal add --from {kept}" in err
    monkeypatch.setenv(
        "EDITOR", editor_script(tmp_path, "fix3", "sed -i 's/^tag:.*/tags: y/' \"$1\"")
    )
    ok(capsys, "add", "--from", str(kept))
    assert {e.body.strip(): e.tags for e in stored(db_path)}["new"] == ("y",)
    assert not kept.exists()


def test_a_kept_edit_never_overwrites_what_changed_after_it_was_kept(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry = Store.open(db_path).add(Entry.new("first words"))
    monkeypatch.setenv(
        "EDITOR",
        editor_script(tmp_path, "ed", BREAK_FRONT_MATTER + '; echo mine >> "$1"'),
    )
    assert run(capsys, "edit", entry.uid)[0] == 1
    (kept,) = (db_path.parent / "unapplied-edits").iterdir()
    # Meanwhile the entry is edited elsewhere (the app, another shell).
    store = Store.open(db_path)
    now = store.get(entry.uid)
    store.update(now.edited(body="first words\nwritten later"), expected=now)
    monkeypatch.setenv(
        "EDITOR", editor_script(tmp_path, "fix", FIX_FRONT_MATTER.format(day="2026-11-30"))
    )
    out = ok(capsys, "edit", entry.uid[:8], "--from", str(kept))
    assert "changed after this edit was kept" in out and "Nothing was overwritten" in out
    bodies = sorted(e.body for e in stored(db_path))
    assert bodies == ["first words\nmine", "first words\nwritten later"]
    assert not kept.exists()


def test_an_encrypted_journal_is_never_left_in_the_clear_by_an_edit(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from journal.store.crypto import KdfParams, Key

    passphrase = "correct horse battery staple"
    key = Key.derive(passphrase, KdfParams.fresh(2**10))
    entry = Store.open(db_path, key=key).add(Entry.new("quokka"))
    pass_file = tmp_path / "pass"
    pass_file.write_text(passphrase + "\n", encoding="utf-8")
    pass_file.chmod(0o600)
    monkeypatch.setenv("JOURNAL_PASSPHRASE_FILE", str(pass_file))
    seen = tmp_path / "seen"
    # The editor sees the text in the clear (that is its job), then breaks the front matter.
    monkeypatch.setenv(
        "EDITOR",
        editor_script(
            tmp_path,
            "ed",
            f'echo "$1" > {seen}; grep -q quokka "$1" && echo yes >> {seen}; '
            + BREAK_FRONT_MATTER
            + '; echo marmalade >> "$1"',
        ),
    )
    code, _out, err = run(capsys, "edit", entry.uid)
    assert code == 1 and "encrypted, as the journal is" in err
    edit_file, found = seen.read_text().split()
    assert found == "yes" and not Path(edit_file).parent.exists()
    (kept,) = (db_path.parent / "unapplied-edits").iterdir()
    assert kept.name.endswith(".md.sealed")
    # Nothing under the journal's folder or the home folder holds the text in the clear (the
    # test's own editor scripts, directly in tmp_path, do).
    for path in tmp_path.rglob("*"):
        if path.is_file() and path.parent != tmp_path:
            assert b"marmalade" not in path.read_bytes(), path
            assert b"quokka" not in path.read_bytes(), path
    # Opened again with the journal's key, fixed, applied; the sealed copy is gone.
    monkeypatch.setenv(
        "EDITOR", editor_script(tmp_path, "fix", FIX_FRONT_MATTER.format(day="2026-12-01"))
    )
    assert "Saved" in ok(capsys, "edit", entry.uid, "--from", str(kept))
    assert Store.open(db_path, key=key).entries()[0].body == "quokka\nmarmalade"
    assert not kept.exists()


def test_an_entry_changed_while_the_editor_ran_is_not_overwritten(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry = Store.open(db_path).add(Entry.new("original"))
    # The editor stands in for "someone else saved meanwhile": it changes the entry through
    # the real command before editing its own file.
    other = f"journal_db={db_path}"
    script = (
        f"{other}\n"
        f'JOURNAL_DB="$journal_db" {os.sys.executable} -c "'
        "from journal.store import Store; from pathlib import Path; import os; "
        "s = Store.open(Path(os.environ['JOURNAL_DB'])); e = s.entries()[0]; "
        "s.update(e.edited(body='changed elsewhere'), expected=e)\"\n"
        "echo 'my edit' >> \"$1\""
    )
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, "ed", script))
    out = ok(capsys, "edit", entry.uid)
    assert "changed elsewhere" in out
    bodies = sorted(e.body for e in stored(db_path))
    assert bodies == ["changed elsewhere", "original\nmy edit"]


def test_the_edit_file_is_private_and_removed(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    entry = Store.open(db_path).add(Entry.new("secret"))
    seen = tmp_path / "seen"
    monkeypatch.setenv(
        "EDITOR",
        editor_script(
            tmp_path,
            "ed",
            f'stat -c \'%a\' "$(dirname "$1")" > {seen}; echo "$1" >> {seen}',
        ),
    )
    ok(capsys, "edit", entry.uid)
    mode, path = seen.read_text().split()
    assert mode == "700"
    assert not Path(path).exists() and not Path(path).parent.exists()


def test_add_with_no_text_opens_the_editor(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "EDITOR", editor_script(tmp_path, "ed", "echo 'written in vim #editor' >> \"$1\"")
    )
    uid = ok(capsys, "add", "--tag", "given").strip()
    (entry,) = stored(db_path)
    assert entry.uid == uid and entry.body.strip() == "written in vim #editor"
    assert entry.tags == ("given", "editor")
    monkeypatch.setenv("EDITOR", editor_script(tmp_path, "ed2", "true"))
    assert "no entry was added" in ok(capsys, "add")
    assert len(stored(db_path)) == 1


def test_editor_text_round_trips() -> None:
    text = editor_text("A: title", ("a", "b"), "2026-12-02", "body\n\n# heading\n---\nmore")
    parsed = parse_editor_text(text)
    assert (parsed.title, parsed.tags, parsed.day) == ("A: title", ("a", "b"), "2026-12-02")
    assert parsed.body == "body\n\n# heading\n---\nmore"
    with pytest.raises(EditedFileError):
        parse_editor_text("no front matter")
    with pytest.raises(EditedFileError):
        parse_editor_text("---\ntitle: x\n")


# ---- delete --------------------------------------------------------------------------------


def test_delete_by_filter_without_a_terminal_refuses(
    capsys: pytest.CaptureFixture[str], db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ok(capsys, "add", "one", "--tag", "old")
    ok(capsys, "add", "two")
    monkeypatch.setattr("sys.stdin", open(os.devnull))  # noqa: SIM115 - no terminal at all
    code, out, err = run(capsys, "delete", "--tag", "old")
    assert code == 2 and "--yes" in err and "one" in out
    assert len(stored(db_path)) == 2


def test_delete_by_filter_with_yes_takes_a_copy_first(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    ok(capsys, "add", "one", "--tag", "old")
    ok(capsys, "add", "two")
    out = ok(capsys, "delete", "--tag", "old", "--yes")
    assert "Deleted 1 entry" in out and "journal restore" in out
    assert [e.body for e in stored(db_path)] == ["two"]
    name = out.split("journal restore ")[1].split("`")[0]
    ok(capsys, "restore", name)
    assert sorted(e.body for e in stored(db_path)) == ["one", "two"]


def test_delete_by_ids_and_nothing_without_a_choice(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    uid = ok(capsys, "add", "one").strip()
    ok(capsys, "add", "two")
    assert run(capsys, "delete")[0] == 2
    ok(capsys, "delete", uid[:8], "--yes")
    assert [e.body for e in stored(db_path)] == ["two"]


# ---- tags, on this day, named journals -----------------------------------------------------


def test_tags_most_used_first(capsys: pytest.CaptureFixture[str]) -> None:
    ok(capsys, "add", "a", "--tag", "calls", "--tag", "growth")
    ok(capsys, "add", "b", "--tag", "calls")
    out = ok(capsys, "tags")
    assert out.splitlines() == ["2  #calls", "1  #growth"]
    assert json.loads(ok(capsys, "tags", "--json")) == [
        {"tag": "calls", "count": 2},
        {"tag": "growth", "count": 1},
    ]


def test_on_this_day_across_a_leap_day(capsys: pytest.CaptureFixture[str], db_path: Path) -> None:
    for day in ("2024-02-29", "2025-02-28", "2023-02-28", "2027-02-28", "2024-03-01"):
        ok(capsys, "add", f"written {day}", "--date", day)
    entries = stored(db_path)
    found = lambda target: sorted(e.day for e in on_this_day(entries, target))  # noqa: E731
    assert found(date(2027, 2, 28)) == ["2023-02-28", "2024-02-29", "2025-02-28"]
    assert found(date(2028, 2, 29)) == ["2024-02-29"]
    assert found(date(2028, 2, 28)) == ["2023-02-28", "2025-02-28", "2027-02-28"]
    out = ok(capsys, "list", "--on", "2027-02-28")
    assert "2024-02-29" in out and "2025-02-28" in out and "2027-02-28" not in out
    ok(capsys, "add", "a year ago today", "--date", "2025-12-02")
    out = ok(capsys, "list", "--on-this-day")
    assert "a year ago today" in out and "written" not in out


def test_two_named_journals_are_kept_apart(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    config = Path(os.environ["JOURNAL_CONFIG"])
    config.parent.mkdir(parents=True, exist_ok=True)
    work, personal = tmp_path / "w" / "work.json", tmp_path / "p" / "personal.json"
    config.write_text(f'[journals]\nwork = "{work}"\npersonal = "{personal}"\n', encoding="utf-8")
    ok(capsys, "-j", "work", "add", "a work note")
    ok(capsys, "add", "--journal", "personal", "a personal note")
    assert [e.body for e in stored(work)] == ["a work note"]
    assert [e.body for e in stored(personal)] == ["a personal note"]
    out = ok(capsys, "journals")
    assert "work" in out and "personal" in out and "1 entry" in out
    code, _out, err = run(capsys, "-j", "nope", "list")
    assert code == 2 and "work, personal" in err
    # --db wins over --journal.
    other = tmp_path / "other.json"
    ok(capsys, "-j", "work", "--db", str(other), "add", "elsewhere")
    assert [e.body for e in stored(other)] == ["elsewhere"]


# ---- completion and help -------------------------------------------------------------------


def _bash_complete(script: str, words: list[str], env: dict[str, str]) -> list[str]:
    import shutil
    import subprocess

    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    line = " ".join(f"'{w}'" for w in words)
    program = (
        f"{script}\nCOMP_WORDS=({line}); COMP_CWORD={len(words) - 1}; _journal; "
        'printf "%s\\n" "${COMPREPLY[@]}"'
    )
    done = subprocess.run(
        ["bash", "--norc", "-c", program], capture_output=True, text=True, env=env, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_bash_completion_offers_commands_options_and_tags(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import sys

    ok(capsys, "add", "x", "--tag", "calls")
    script = ok(capsys, "completion", "bash")
    # `journal` on PATH for the script's own calls: a shim running this Python's journal.
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shim = bindir / "journal"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m journal "$@"\n')
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{bindir}:{os.environ['PATH']}"}
    assert {"show", "shell"} & set(_bash_complete(script, ["journal", "sh"], env)) == {"show"}
    assert "--markdown" in _bash_complete(script, ["journal", "show", "--m"], env)
    assert _bash_complete(script, ["journal", "list", "--tag", "ca"], env) == ["calls"]


def test_zsh_and_fish_scripts_name_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    from journal.cli import COMMAND_GROUPS

    zsh = ok(capsys, "completion", "zsh")
    fish = ok(capsys, "completion", "fish")
    assert zsh.startswith("#compdef journal") and "bashcompinit" in zsh
    for _title, names in COMMAND_GROUPS:
        for name in names:
            assert f"-a {name} " in fish


def test_the_readme_shows_every_command_under_its_group() -> None:
    """README's "The command line at a glance" has a `# Group` comment per group of
    ``journal --help`` and, under it, a line running each of that group's commands."""
    import re

    from journal.cli import COMMAND_GROUPS

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The command line at a glance", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    groups: dict[str, str] = {}
    title = ""
    for line in block.splitlines():
        if line.startswith("# "):
            title = line[2:].strip()
            groups[title] = ""
        elif title:
            groups[title] += line + "\n"
    for group, names in COMMAND_GROUPS:
        assert group in groups, group
        for name in names:
            if name == "today":  # `journal` alone, above the groups
                assert re.search(r"^journal +#", block, re.MULTILINE)
                continue
            pattern = rf"^journal (?:-j \S+ |--db \S+ )?{name}\b"
            assert re.search(pattern, groups[group], re.MULTILINE), (group, name)
