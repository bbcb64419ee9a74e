"""Moving in from Day One (its JSON export, zipped or not) and from a folder of Markdown notes
shaped like an Obsidian vault."""

from __future__ import annotations

import json
import os
import stat
import zipfile
from pathlib import Path

import pytest

from journal.store import Store
from journal.transfer.dayone import unescape_dayone
from journal.transfer.importers import ImportFailed, detect_format, run_import

PHOTO_MD5 = "d41d8cd98f00b204e9800998ecf8427e"


def dayone_entry(**fields: object) -> dict[str, object]:
    entry: dict[str, object] = {
        "uuid": "1546F37361264E129200B2CA6A885855",
        "creationDate": "2024-03-05T15:38:37Z",
        "modifiedDate": "2024-03-05T16:00:00Z",
        "timeZone": "Europe/London",
        "text": "A plain day",
        "starred": False,
    }
    entry.update(fields)
    return entry


def dayone_zip(
    folder: Path, journals: dict[str, list[dict[str, object]]], media: dict[str, bytes]
) -> Path:
    path = folder / "Export.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, entries in journals.items():
            archive.writestr(
                f"{name}.json",
                json.dumps({"metadata": {"version": "1.0"}, "entries": entries}, indent=2),
            )
        for member, data in media.items():
            archive.writestr(member, data)
    return path


@pytest.fixture
def export(tmp_path: Path) -> Path:
    journal_entries = [
        dayone_entry(
            uuid="AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            # 23:30 in Tokyo on 5 March is 14:30 UTC: the entry belongs to 5 March there.
            creationDate="2024-03-05T14:30:00Z",
            timeZone="Asia/Tokyo",
            text="# A hard call\n\nIt went badly\\. Then \\(slowly\\) better\\!\n\n"
            "- item \\- one\n\n`keep \\. this` and C:\\\\path\n\n"
            "![](dayone-moment://PHOTO1)\n\n![](dayone-moment://PHOTO2)",
            tags=["Calls", "work stuff"],
            starred=True,
            photos=[
                {"identifier": "PHOTO1", "md5": PHOTO_MD5, "type": "jpeg"},
                {"identifier": "PHOTO2", "md5": "0" * 32, "type": "png"},
            ],
            location={"placeName": "Cafe", "localityName": "Shibuya", "country": "Japan"},
            weather={"conditionsDescription": "Light Rain", "temperatureCelsius": 12.4},
        ),
        dayone_entry(
            uuid="BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB",
            # 01:00 UTC on 6 March is 17:00 on 5 March in Los Angeles.
            creationDate="2024-03-06T01:00:00Z",
            timeZone="America/Los_Angeles",
            text="Evening note",
        ),
    ]
    work_entries = [dayone_entry(uuid="CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC", text="Standup")]
    return dayone_zip(
        tmp_path,
        {"Journal": journal_entries, "Work": work_entries},
        {f"photos/{PHOTO_MD5}.jpeg": b"\xff\xd8 a jpeg"},
    )


def test_unescape_undoes_exactly_what_day_one_escapes() -> None:
    assert unescape_dayone("a\\. b\\- c\\( d\\) e\\! f\\#") == "a. b- c( d) e! f#"
    assert unescape_dayone("\\d stays \\q stays") == "\\d stays \\q stays"
    assert unescape_dayone("`code \\. stays` but \\. goes") == "`code \\. stays` but . goes"
    assert unescape_dayone("```\n\\.\n```\n\\.") == "```\n\\.\n```\n."


def test_a_day_one_zip_moves_in_with_days_media_tags_and_stars(export: Path, db_path: Path) -> None:
    assert detect_format(export) == "dayone"
    store = Store.open(db_path)
    plan = run_import(store, export)
    assert len(plan.added) == 3
    entries = {e.uid: e for e in Store.open(db_path).entries()}
    hard = entries["a" * 32]
    assert hard.day == "2024-03-05" and hard.created.endswith("+09:00")
    assert hard.title == "A hard call"
    assert hard.body.startswith("It went badly. Then (slowly) better!\n\n- item - one\n\n")
    assert "`keep \\. this`" in hard.body
    assert "![photo](attachments/dayone/" + PHOTO_MD5 + ".jpeg)" in hard.body
    assert "*(photo not in the Day One export)*" in hard.body
    assert "Location: Cafe, Shibuya, Japan · Weather: Light Rain, 12 °C" in hard.body
    assert hard.tags == ("calls", "work-stuff", "dayone-journal")
    assert hard.starred
    evening = entries["b" * 32]
    assert evening.day == "2024-03-05" and evening.created.endswith("-08:00")
    assert entries["c" * 32].tags == ("dayone-work",)
    photo = db_path.parent / "attachments" / "dayone" / f"{PHOTO_MD5}.jpeg"
    assert photo.read_bytes() == b"\xff\xd8 a jpeg"
    assert stat.S_IMODE(photo.parent.stat().st_mode) == 0o700
    assert any("not in the export" in w for w in plan.warnings)
    # A second import adds nothing.
    again = run_import(Store.open(db_path), export)
    assert not again.added and not again.updated and len(again.skipped) == 3


def test_a_dry_run_changes_nothing_and_copies_no_media(export: Path, db_path: Path) -> None:
    plan = run_import(Store.open(db_path), export, dry_run=True)
    assert len(plan.added) == 3
    assert not db_path.exists()
    assert not (db_path.parent / "attachments").exists()


def test_a_malformed_entry_is_named_and_nothing_is_imported(tmp_path: Path, db_path: Path) -> None:
    bad = dayone_zip(
        tmp_path,
        {"Journal": [dayone_entry(), dayone_entry(uuid="X" * 32, creationDate="yesterday")]},
        {},
    )
    with pytest.raises(ImportFailed) as caught:
        run_import(Store.open(db_path), bad)
    assert "entry 2" in caught.value.message and "creationDate" in caught.value.message
    assert not db_path.exists()


def test_the_json_file_alone_imports_with_its_media_folder(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "unzipped"
    (folder / "photos").mkdir(parents=True)
    (folder / "photos" / f"{PHOTO_MD5}.jpeg").write_bytes(b"jpeg")
    entry = dayone_entry(
        text="![](dayone-moment://P)",
        photos=[{"identifier": "P", "md5": PHOTO_MD5, "type": "jpeg"}],
    )
    path = folder / "Journal.json"
    path.write_text(json.dumps({"metadata": {"version": "1.0"}, "entries": [entry]}))
    assert detect_format(path) == "dayone"
    run_import(Store.open(db_path), path, "dayone")
    (stored,) = Store.open(db_path).entries()
    assert "attachments/dayone/" in stored.body
    assert (db_path.parent / "attachments" / "dayone" / f"{PHOTO_MD5}.jpeg").read_bytes() == b"jpeg"


def test_videos_audio_and_pdfs_are_linked_or_said_missing(tmp_path: Path, db_path: Path) -> None:
    """Day One points at other media as dayone-moment:/video/ID (and /audio/, /pdfAttachment/)
    and keeps them in videos/, audios/ and pdfs/ under their MD5."""
    video, audio = "1" * 32, "2" * 32
    entry = dayone_entry(
        text="A clip ![](dayone-moment:/video/V1)\n\nA voice note ![](dayone-moment:/audio/A1)"
        "\n\nThe contract ![](dayone-moment:/pdfAttachment/P1)",
        videos=[{"identifier": "V1", "md5": video, "type": "mov"}],
        audios=[{"identifier": "A1", "md5": audio, "format": "m4a"}],
        pdfAttachments=[{"identifier": "P1", "md5": "3" * 32, "type": "pdf"}],
    )
    export = dayone_zip(
        tmp_path,
        {"Journal": [entry]},
        {f"videos/{video}.mov": b"mov", f"audios/{audio}.m4a": b"m4a"},
    )
    run_import(Store.open(db_path), export)
    (stored,) = Store.open(db_path).entries()
    assert f"A clip [video](attachments/dayone/{video}.mov)" in stored.body
    assert f"A voice note [audio recording](attachments/dayone/{audio}.m4a)" in stored.body
    assert "The contract *(PDF not in the Day One export)*" in stored.body
    assert "dayone-moment" not in stored.body
    folder = db_path.parent / "attachments" / "dayone"
    assert (folder / f"{video}.mov").read_bytes() == b"mov"
    assert sorted(p.name for p in folder.iterdir()) == [f"{video}.mov", f"{audio}.m4a"]


def test_the_summary_names_each_journal_tag_as_written(tmp_path: Path, db_path: Path) -> None:
    export = dayone_zip(
        tmp_path,
        {"Journal": [dayone_entry()], "Work Stuff": [dayone_entry(uuid="D" * 32)]},
        {},
    )
    plan = run_import(Store.open(db_path), export)
    tags = {t for e in Store.open(db_path).entries() for t in e.tags}
    assert tags == {"dayone-journal", "dayone-work-stuff"}
    (note,) = [w for w in plan.warnings if "Several Day One journals" in w]
    assert "(dayone-journal, dayone-work-stuff)" in note


def test_a_large_export_reports_its_progress(tmp_path: Path) -> None:
    from journal.transfer.dayone import read_dayone

    entries = [dayone_entry(uuid=f"{n:032X}", text=f"Entry {n}") for n in range(450)]
    export = dayone_zip(tmp_path, {"Journal": entries}, {})
    seen: list[tuple[int, int]] = []
    read = read_dayone(export, progress=lambda done, total: seen.append((done, total)))
    assert len(read.entries) == 450
    assert seen == [(200, 450), (400, 450), (450, 450)]


# ---- a folder of Markdown notes ------------------------------------------------------------


@pytest.fixture
def vault(tmp_path: Path) -> Path:
    root = tmp_path / "vault"
    for folder in (".obsidian", "templates", "attachments", "daily/2024/03", "projects"):
        (root / folder).mkdir(parents=True)
    (root / ".obsidian" / "app.json").write_text("{}")
    (root / ".obsidian" / "note.md").write_text("not a note")
    (root / "templates" / "Daily.md").write_text("# {{date}}\n")
    (root / "attachments" / "pic.md").write_text("an attachment's note")
    (root / "attachments" / "pic.png").write_bytes(b"png")
    (root / "2024-03-05.md").write_text("Wrote about #growth and @sam.\n")
    (root / "2024-03-06 Wednesday.md").write_text("# Long day\n\nThe call ran over.\n")
    (root / "daily" / "2024" / "03" / "07.md").write_text("Nested daily note\n")
    (root / "projects" / "Launch plan.md").write_text(
        "---\ntitle: The launch\ndate: 2024-02-01\ntags: [work, Launch Day]\n---\n"
        "Body `#not` here\n"
    )
    (root / "projects" / "Ideas.md").write_text("---\ntags: a, b\n---\nUndated idea\n")
    (root / "projects" / "empty.md").write_text("---\ntitle:\n---\n\n")
    os.utime(root / "projects" / "Ideas.md", (1710000000, 1710000000))  # 2024-03-09
    return root


def test_an_obsidian_vault_moves_in(vault: Path, db_path: Path) -> None:
    assert detect_format(vault) == "markdown"
    plan = run_import(Store.open(db_path), vault)
    entries = {e.body.strip(): e for e in Store.open(db_path).entries()}
    assert sorted(entries) == [
        "Body `#not` here",
        "Nested daily note",
        "The call ran over.",
        "Undated idea",
        "Wrote about #growth and @sam.",
    ]
    note = entries["Wrote about #growth and @sam."]
    assert note.day == "2024-03-05" and note.title == "" and note.tags == ("growth", "sam")
    assert entries["The call ran over."].title == "Long day"
    assert entries["The call ran over."].day == "2024-03-06"
    assert entries["Nested daily note"].day == "2024-03-07"
    launch = entries["Body `#not` here"]
    assert (launch.title, launch.day, launch.tags) == (
        "The launch",
        "2024-02-01",
        ("work", "launch-day"),
    )
    idea = entries["Undated idea"]
    assert idea.title == "Ideas" and idea.tags == ("a", "b")
    assert any("modification time" in w for w in plan.warnings)
    assert any("template" in w for w in plan.warnings)
    # Twice adds nothing; an edited note updates its entry.
    assert not run_import(Store.open(db_path), vault).added
    (vault / "2024-03-05.md").write_text("Wrote about #growth, edited.\n")
    os.utime(vault / "2024-03-05.md")
    again = run_import(Store.open(db_path), vault)
    assert not again.added and len(again.updated) == 1


def test_a_yaml_alias_in_a_note_is_refused(tmp_path: Path, db_path: Path) -> None:
    folder = tmp_path / "notes"
    folder.mkdir()
    bomb = (
        "---\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n---\nx\n"
    )
    (folder / "bomb.md").write_text(bomb)
    with pytest.raises(ImportFailed) as caught:
        run_import(Store.open(db_path), folder, "markdown")
    assert "not allowed" in caught.value.message and "bomb.md" in caught.value.message
    assert not db_path.exists()


def test_a_symlink_out_of_the_notes_folder_is_not_followed(tmp_path: Path, db_path: Path) -> None:
    outside = tmp_path / "outside.md"
    outside.write_text("private, elsewhere\n")
    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "2024-01-01.md").write_text("inside\n")
    (folder / "link.md").symlink_to(outside)
    run_import(Store.open(db_path), folder, "markdown")
    assert [e.body for e in Store.open(db_path).entries()] == ["inside\n"]


def test_the_per_entry_export_carries_the_photos_along(
    export: Path, db_path: Path, tmp_path: Path
) -> None:
    from journal.transfer.export import export_per_entry

    run_import(Store.open(db_path), export)
    out = tmp_path / "vault"
    export_per_entry(Store.open(db_path), out)
    files = list(out.rglob("*.md"))
    hard = next(p for p in files if "A hard call" in p.read_text())
    link = f"attachments/dayone/{PHOTO_MD5}.jpeg"
    assert f"]({link})" in hard.read_text()
    assert (hard.parent / link).read_bytes() == b"\xff\xd8 a jpeg"
    # A second export with --force rewrites it as its own, and the folder still imports.
    export_per_entry(Store.open(db_path), out, force=True)
    assert (hard.parent / link).read_bytes() == b"\xff\xd8 a jpeg"
    again = run_import(Store.open(db_path), out)
    assert not again.added and not again.updated
