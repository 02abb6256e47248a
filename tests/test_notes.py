"""A carer's two kinds of notes: life story notes a child may read, professional notes.

The two never mix: listings ask for one kind, and the life-story PDF (signed with the
carer's certificate) holds no word of a professional note. Every change is audited
without its content.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from supervision_desktop.cli import run
from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import audit, notes, people
from supervision_desktop.store.vault import Vault
from tests.conftest import ODD_TEXT, PASSPHRASE, files_containing

LIFE_TEXT = "Ellie rode a bike without stabilisers at Cannon Hill Park"
PROFESSIONAL_TEXT = "Contact with birth mother cancelled at short notice again"


def _pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def _child(vault: Vault, name: str = "Ellie Marsh") -> str:
    return people.add_person(vault, "child", {"name": name}).id


def test_notes_of_each_kind_are_listed_apart_oldest_first(vault: Vault) -> None:
    child = _child(vault)
    notes.add_note(vault, "life_story", child_id=child, written_on="2026-11-02",
                   title="Bike", body=LIFE_TEXT)
    notes.add_note(vault, "life_story", child_id=child, written_on="2026-10-01",
                   title="First day", body="Started at Greenfield Primary")
    notes.add_note(vault, "professional", child_id=child, written_on="2026-11-03",
                   body=PROFESSIONAL_TEXT)
    life = notes.list_notes(vault, "life_story")
    assert [n.title for n in life] == ["First day", "Bike"]
    assert all(n.child_name == "Ellie Marsh" for n in life)
    professional = notes.list_notes(vault, "professional")
    assert [n.body for n in professional] == [PROFESSIONAL_TEXT]
    assert notes.list_notes(vault, "life_story", child_id=_child(vault, "Sam Okafor")) == []


def test_edit_and_delete_are_audited_without_content(vault: Vault) -> None:
    note = notes.add_note(vault, "professional", body=PROFESSIONAL_TEXT)
    edited = notes.edit_note(vault, note.id, title="Contact", body=PROFESSIONAL_TEXT + ".")
    assert (edited.title, edited.kind) == ("Contact", "professional")
    assert notes.get_note(vault, note.id).body.endswith(".")
    notes.delete_note(vault, note.id)
    assert notes.list_notes(vault, "professional") == []
    changes = [e for e in audit.entries(vault) if e.action == "note_change"]
    assert len(changes) == 3
    assert all("birth mother" not in e.detail and "Contact" not in e.detail for e in changes)
    assert audit.check_log(vault).ok  # the log's chain still holds


def test_unknown_kind_and_a_note_about_a_carer_are_refused(vault: Vault) -> None:
    with pytest.raises(InvalidInput, match="life_story or professional"):
        notes.add_note(vault, "diary", body="x")
    carer = people.add_person(vault, "carer", {"name": "Jo Marsh"}).id
    with pytest.raises(InvalidInput, match="about a child"):
        notes.add_note(vault, "life_story", child_id=carer, body="x")


def test_note_text_is_not_in_plaintext_in_the_vault_folder(vault: Vault,
                                                           vault_folder: Path) -> None:
    notes.add_note(vault, "life_story", body=LIFE_TEXT)
    vault.close()
    assert files_containing(vault_folder, "Cannon Hill Park") == []


def test_life_story_pdf_holds_no_professional_note_and_is_signed(vault: Vault,
                                                                 tmp_path: Path) -> None:
    child = _child(vault)
    other = _child(vault, "Sam Okafor")
    notes.add_note(vault, "life_story", child_id=child, written_on="2026-11-02",
                   title="Bike", body=LIFE_TEXT + "\n" + ODD_TEXT)
    notes.add_note(vault, "life_story", child_id=other, body="Sam's first swimming badge")
    notes.add_note(vault, "professional", child_id=child, body=PROFESSIONAL_TEXT)
    path = notes.export_life_story(vault, tmp_path / "ellie.pdf", child_id=child)
    text = _pdftotext(path)
    assert "Cannon Hill Park" in text
    assert "02/11/2026" in text
    assert "birth mother" not in text
    assert "swimming badge" not in text  # another child's story is not in Ellie's
    assert "Dŵr" in text  # Welsh survives, markup is printed not obeyed
    assert "<b>bold</b>" in " ".join(text.split())
    if shutil.which("pdfsig"):
        check = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True)
        assert "Signature is Valid" in check.stdout
        assert "Total document signed" in check.stdout


def test_cli_adds_lists_and_exports_life_story_notes(
    vault_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    base = ["--vault", str(vault_folder)]
    assert run([*base, "notes", "add", "--kind", "life_story", "--title", "Bike",
                "--body", LIFE_TEXT, "--date", "2026-11-02"]) == 0
    assert run([*base, "notes", "add", "--kind", "professional",
                "--body", PROFESSIONAL_TEXT]) == 0
    capsys.readouterr()
    assert run([*base, "notes", "list", "--kind", "life_story"]) == 0
    listed = capsys.readouterr().out
    assert "02/11/2026" in listed and "Bike" in listed and "birth mother" not in listed
    out = tmp_path / "story.pdf"
    assert run([*base, "notes", "export", "--kind", "life_story", "--out", str(out)]) == 0
    text = _pdftotext(out)
    assert "Cannon Hill Park" in text and "birth mother" not in text
    with pytest.raises(SystemExit) as refused:  # only life story notes are exported
        run([*base, "notes", "export", "--kind", "professional", "--out",
             str(tmp_path / "p.pdf")])
    assert refused.value.code == 2
    assert not (tmp_path / "p.pdf").exists()
