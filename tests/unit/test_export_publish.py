"""Markdown ready to publish (issue 18, items 10-12): per-entry files as Obsidian, Pandoc, Hugo
and Jekyll read them, ``export -o -``, control characters, and Pandoc's own reading of both
exports (when pandoc is installed)."""

from __future__ import annotations

import os
import shutil
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from journal.checkin import CheckinAnswers, build_entry
from journal.models import Entry, FollowUp, PromptRef
from journal.store import Store
from journal.transfer.export import entry_file_text, export_file, export_per_entry, to_markdown
from journal.transfer.importers import parse_entry_file, read_source, run_import
from tests.tmux import journal_command
from tests.unit.test_export import hostile_entries

TZ = timezone(timedelta(hours=1))
# Everything a title may hold that a terminal would obey (a title has no line break).
NASTY = "\x1b]52;c;aGk=\x07 \x1b[2J \x9b31m \u202eevil \x7f \u2028 \x00 bell"


def make(body: str, day: str = "2026-11-22", hour: int = 9, **kw) -> Entry:
    y, m, d = (int(p) for p in day.split("-"))
    return Entry.new(body, day=day, moment=datetime(y, m, d, hour, tzinfo=TZ), **kw)


def checkin_entry() -> Entry:
    answers = CheckinAnswers.from_dict(
        {
            "intensity_before": 8,
            "what_happened": "A double charge for 40 seats.",
            "reaction": "reacted",
            "follow_up": {"action": "Send the credit note", "due": "2026-11-25"},
            "intensity_after": 4,
        }
    )
    return build_entry(answers, "2026-11-22", datetime(2026, 11, 22, 10, tzinfo=TZ))


def variety() -> list[Entry]:
    return [
        make(
            "After the call I wrote it down.",
            title="Hard call",
            tags=["calls", "growth"],
            prompt=PromptRef("p-1", "daily", "What did they need to hear?"),
            starred=True,
        ),
        make("", hour=11),  # untitled and empty
        make("No title, a first line", hour=12),
        checkin_entry(),
        make(f"Body {NASTY}\r\n", hour=13, title=f"T {NASTY}", prompt=PromptRef("p", "k", NASTY)),
        # Pandoc reads "\\alpha[" as raw LaTeX up to the next "]", wherever that is.
        make("I typed \\alpha[ and never closed it", hour=14),
        make("Costs $5 and $6, ^[a note, \\begin{x} open, ::: div", hour=15),
        *hostile_entries(),
    ]


def split(text: str) -> tuple[dict, str]:
    assert text.startswith("---\n")
    end = text.index("\n---\n", 4)
    return yaml.safe_load(text[4:end]), text[end + 5 :]


# ---- one file per entry (item 11) ------------------------------------------------------------


def test_per_entry_files_have_flat_readable_properties() -> None:
    for entry in variety():
        text = entry_file_text(entry)
        assert text.endswith("\n")
        props, after = split(text)
        # Every file has a title; the properties readers use are flat values.
        assert isinstance(props["title"], str) and props["title"].strip()
        assert props["date"] == date.fromisoformat(entry.day)
        assert props["tags"] == list(entry.tags) and props["kind"] == entry.kind
        for key, value in props.items():
            if key == "journal":
                continue
            assert isinstance(value, (str, int, bool, date, list)), (key, value)
            if isinstance(value, list):
                assert all(isinstance(v, str) for v in value)
        if entry.prompt:
            assert props["prompt"] == entry.prompt.text
            assert after.startswith("> ")
    checkin = entry_file_text(checkin_entry())
    props, _ = split(checkin)
    assert props["intensity_before"] == 8 and props["intensity_after"] == 4
    assert props["reaction"] == "reacted"
    assert props["follow_up"] == "Send the credit note" and props["due"] == date(2026, 11, 25)


def test_per_entry_files_come_back_exactly() -> None:
    for entry in variety():
        back = parse_entry_file(entry_file_text(entry).encode("utf-8"), "x.md")
        assert back.to_dict() == entry.to_dict()


def test_a_tag_added_in_obsidian_comes_back(store: Store, tmp_path: Path) -> None:
    entry = store.add(make("words", title="A title", tags=["calls"]))
    out = tmp_path / "vault"
    export_per_entry(store, out)
    [path] = out.rglob("*.md")
    path.write_text(path.read_text("utf-8").replace("- calls\n", "- calls\n- later\n"), "utf-8")
    back = parse_entry_file(path.read_bytes(), str(path))
    assert back.tags == ("calls", "later") and back.body == entry.body


def test_first_format_per_entry_files_still_import() -> None:
    entry = make("old body", title="Old", tags=["a"])
    data = entry.to_dict()
    body = data.pop("body")
    old = "---\n" + yaml.safe_dump(data, sort_keys=False) + "---\n" + body
    assert parse_entry_file(old.encode("utf-8"), "old.md").to_dict() == entry.to_dict()


# ---- standard output (item 12) ---------------------------------------------------------------


def run(env: dict[str, str], *args: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [journal_command(), *args], capture_output=True, env=env, cwd=cwd, timeout=120
    )


def test_export_dash_o_dash_writes_to_standard_output(tmp_path: Path) -> None:
    env = {**os.environ, "JOURNAL_DB": str(tmp_path / "j.json")}
    assert run(env, "add", "first words", "--tag", "calls", cwd=tmp_path).returncode == 0
    done = run(env, "export", "-o", "-", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert not (tmp_path / "-").exists()
    text = done.stdout.decode("utf-8")
    assert text.startswith("---\ntitle:") and "first words" in text and "#calls" in text
    assert b"standard output" in done.stderr
    saved = tmp_path / "saved.md"
    saved.write_bytes(done.stdout)
    env2 = {**env, "JOURNAL_DB": str(tmp_path / "k.json")}
    back = run(env2, "import", str(saved), cwd=tmp_path)
    assert back.returncode == 0 and b"Added 1" in back.stdout, back.stderr
    plain = run(env, "export", "-o", "-", "--plain", cwd=tmp_path)
    assert b"journal-restore" not in plain.stdout and b"first words" in plain.stdout


# ---- control characters in the one file (issue 15, item 6) ----------------------------------


def test_control_characters_are_escaped_and_restored_exactly(tmp_path: Path) -> None:
    entries = [e for e in variety() if NASTY in e.body or NASTY in e.title]
    entries.append(make("", kind="checkin", checkin={f"k{NASTY}": f"v{NASTY}"}, hour=20))
    entries.append(make("x", hour=21, follow_up=FollowUp(f"do {NASTY}", "2026-11-30")))
    path = tmp_path / "journal.md"
    path.write_bytes(to_markdown(entries).encode("utf-8"))
    raw = path.read_bytes()
    for char in "\x1b\x07\x9b\u202e\x7f\u2028\x00\r":
        assert char.encode("utf-8") not in raw, repr(char)
    back = read_source(path)
    assert [i.entry.to_dict() for i in back.entries] == [e.to_dict() for e in entries]


# ---- Pandoc (items 10 and 11) ----------------------------------------------------------------

needs_pandoc = pytest.mark.skipif(
    shutil.which("pandoc") is None,
    reason="pandoc is not installed (apt-get install pandoc; .ci/run installs it)",
)


def pandoc(path: Path, *args: str) -> tuple[str, str]:
    done = subprocess.run(
        ["pandoc", *args, "-t", "html", str(path)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout, done.stderr


def restore_data_in(html: str, entries: list[Entry]) -> list[str]:
    found = [e.uid for e in entries if e.uid in html]
    return found + (["journal-restore"] if "journal-restore" in html else [])


@needs_pandoc
@pytest.mark.parametrize("reader", ["markdown", "commonmark", "gfm"])
def test_pandoc_reads_the_one_file_export_without_a_warning(
    store: Store, tmp_path: Path, reader: str
) -> None:
    entries = variety()
    store.add_many(entries)
    path = tmp_path / "journal.md"
    export_file(store, path)
    html, warnings = pandoc(path, "-f", reader)
    assert warnings == ""
    assert restore_data_in(html, entries) == []
    assert "Hard call" in html and "<h3" in html
    if reader == "markdown":
        standalone, warnings = pandoc(path, "-f", reader, "-s")
        assert warnings == "" and "<title>Journal</title>" in standalone


@needs_pandoc
def test_pandoc_reads_every_per_entry_file_without_a_warning(store: Store, tmp_path: Path) -> None:
    entries = variety()
    store.add_many(entries)
    out = tmp_path / "out"
    export_per_entry(store, out)
    files = sorted(out.rglob("*.md"))
    assert len(files) == len(entries)
    for path in files:
        html, warnings = pandoc(path, "-f", "markdown", "-s")
        assert warnings == "", (path, warnings)
        assert "<title>" in html
        assert restore_data_in(html, entries) == []
    target = Store.open(tmp_path / "back.json")
    run_import(target, out)
    assert sorted(e.to_dict()["uid"] for e in target.iter_entries()) == sorted(
        e.uid for e in entries
    )


# ---- Markdown-escaped control characters: the same characters journal.display escapes -------


@given(
    st.text(
        st.one_of(
            st.characters(exclude_characters="\\"),
            st.sampled_from("\x00\x07\x1b\x7f\x85\x9b\u061c\u200e\u2028\u202e\u2066\u2069–’\n\t\r"),
        ),
        max_size=40,
    )
)
def test_bodies_escape_exactly_what_the_terminal_escapes(text: str) -> None:
    from journal.display import visible
    from journal.transfer.render import visible_markdown

    # The text holds no backslash: every one in visible() comes from an escape, and in
    # Markdown each is doubled so it shows as itself.
    assert visible_markdown(text) == visible(text).replace("\\", "\\\\")


def test_a_first_format_one_file_export_still_imports(tmp_path: Path) -> None:
    import orjson

    entries = [make("old words", title="Old"), make("more", hour=10, tags=["a"])]
    sections = "".join(
        f"### Sunday 22 November 2026, 09:00: x\n\n<!-- journal:entry "
        f"{orjson.dumps(e.to_dict()).decode()} -->\n\n{e.body}\n\n"
        for e in entries
    )
    path = tmp_path / "old.md"
    path.write_text(
        f"<!-- Journal: exported by journal -->\n<!-- journal:format 1 -->\n\n{sections}", "utf-8"
    )
    back = read_source(path)
    assert [i.entry.to_dict() for i in back.entries] == [e.to_dict() for e in entries]
