"""Every template can be filled completely from the command line, odd text and all,
and comes back exactly — while none of it is readable in the vault folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from supervision_desktop.cli import run
from supervision_desktop.services.templates import catalogue
from tests.conftest import ODD_TEXT, PASSPHRASE, files_containing
from tests.sample_values import fill_every_field

TEMPLATES = catalogue().templates
PASTE = ("Lorem ipsum dolor sit amet, Dŵr Łódź مرحبا 你好 👍🏽 <b>&amp;</b>\n\n" * 1400)[:100_000]
SUBJECT_DATA = {
    "supervisee": {"name": "Jo Bloggs", "job_title": "Social worker", "staff_group": "nqsw",
                   "start_date": "2026-09-07"},
    "carer": {"name": "The Carter household", "carers": ["Sam Carter"]},
    "child": {"name": "Kai Example", "case_id": "C-1001", "dob": "2016-03-04",
              "plan": "looked_after"},
}


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    status = run(list(argv))
    out, err = capsys.readouterr()
    assert status == 0, err
    return out


def test_all_fifteen_templates_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    listed = json.loads(_cli(capsys, "templates", "list", "--json"))
    assert len(listed) == 15  # the seeds' fourteen and the carer's response
    assert catalogue().errors == ()


@pytest.mark.parametrize("template", TEMPLATES, ids=[t.id for t in TEMPLATES])
def test_every_field_round_trips_exactly_and_stays_encrypted(
    template, vault_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = ["--vault", str(vault_folder)]
    subject = None
    if template.subject_kind != "none":
        person_file = tmp_path / "person.json"
        person_file.write_text(json.dumps(SUBJECT_DATA[template.subject_kind]))
        subject = _cli(capsys, "person", "add", "--kind", template.subject_kind,
                       "--data", str(person_file), *vault).strip()
    fields = fill_every_field(template, ODD_TEXT, long_text=ODD_TEXT + "\n\n" + PASTE)
    data = tmp_path / "record.json"
    data.write_text(json.dumps({"subject": subject, "date": "2026-11-22", "fields": fields},
                               ensure_ascii=False), encoding="utf-8")
    record_id = _cli(capsys, "record", "create", "--template", template.id,
                     "--data", str(data), *vault).strip()

    shown = json.loads(_cli(capsys, "record", "show", record_id, "--json", *vault))
    in_header = {f.fills: f.id for f in template.fields() if f.asked_in_header}
    header_values = {"session_date": "2026-11-22",
                     "subject": SUBJECT_DATA.get(template.subject_kind, {}).get("name")}
    assert shown["fields"] == {**fields, **{field_id: header_values[fact]
                                            for fact, field_id in in_header.items()}}
    assert shown["template"] == {"id": template.id, "version": template.version,
                                 "title": template.title}
    assert shown["date"] == "2026-11-22"
    assert shown["subject"]["id"] == subject

    shown_text = _cli(capsys, "record", "show", record_id, *vault)
    assert ODD_TEXT in shown_text
    for needle in ("Dŵr ŷ Łódź", "مرحبا بالعالم", "你好世界", "DROP TABLE records", "Jo Bloggs"):
        assert files_containing(vault_folder, needle) == []
