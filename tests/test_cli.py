"""The command line as agency IT would script it: clear output, one-line errors, exit codes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from supervision_desktop.cli import run
from supervision_desktop.store.migrate import head_revision
from tests.conftest import OWNER, PASSPHRASE


@pytest.fixture(autouse=True)
def _passphrase(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = run(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def test_init_prints_a_working_recovery_key_and_info_shows_the_owner(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "new-vault"
    status, out, _ = _run(capsys, "init", "--vault", str(folder), "--name", "Rhiannon Ŵyn")
    assert status == 0
    keys = re.findall(r"\b(?:[A-Z2-7]{4}-){7}[A-Z2-7]{4}\b", out)
    assert len(keys) == 1
    status, out, _ = _run(capsys, "info", "--vault", str(folder), "--json")
    assert status == 0
    info = json.loads(out)
    assert info["owner"] == "Rhiannon Ŵyn"
    assert info["role"] == "supervisor"
    assert info["schema_version"] == head_revision()  # migrated to the newest schema
    assert info["counts"] == {"people": {}, "records": {}}
    from supervision_desktop.services.vault_access import unlock_with_recovery_key

    unlock_with_recovery_key(folder, keys[0], "another fine passphrase").close()


def test_init_as_carer_and_human_readable_info(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "carer"
    init = _run(capsys, "init", "--vault", str(folder), "--name", "Sam Carer", "--role", "carer")
    assert init[0] == 0
    status, out, _ = _run(capsys, "info", "--vault", str(folder))
    assert status == 0
    assert "Owner:          Sam Carer" in out
    assert "Role:           carer" in out
    assert re.search(r"Created:\s+\d\d/\d\d/\d{4}", out)


def test_init_chooses_the_agency_policy_and_refuses_an_unknown_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "walsall"
    assert _run(capsys, "init", "--vault", str(folder), "--name", "Alex Example",
                "--policy", "walsall")[0] == 0
    from supervision_desktop.services import compliance
    from supervision_desktop.store import vault as vaults

    with vaults.open_with_passphrase(folder, PASSPHRASE) as vault:
        assert compliance.vault_profile(vault).id == "walsall"
    status, _, err = _run(capsys, "init", "--vault", str(tmp_path / "other"), "--name", "A B",
                          "--policy", "atlantis")
    assert status == 1 and "no policy profile 'atlantis'" in err
    assert not (tmp_path / "other").exists()


def test_weak_passphrase_is_refused_at_init(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", "short")
    status, _, err = _run(capsys, "init", "--vault", str(tmp_path / "v"), "--name", "A Person")
    assert status == 1
    assert "at least 10 characters" in err
    assert not (tmp_path / "v").exists()


def test_wrong_passphrase_is_one_line_and_exit_1(
    vault_folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", "definitely not it")
    status, out, err = _run(capsys, "info", "--vault", str(vault_folder))
    assert status == 1
    assert out == ""
    assert err.count("\n") == 1 and "passphrase is not right" in err


def test_missing_vault_is_explained(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _run(capsys, "info", "--vault", str(tmp_path / "nowhere"))
    assert status == 1
    assert "There is no vault" in err and "init" in err


def test_people_added_and_listed(vault_folder: Path, tmp_path: Path,
                                 capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "child.json"
    data.write_text(json.dumps({"name": "Kai Example", "case_id": "C-1001", "dob": "2016-03-04",
                                "plan": "looked_after"}))
    status, out, _ = _run(capsys, "person", "add", "--kind", "child", "--data", str(data),
                          "--vault", str(vault_folder))
    assert status == 0
    person_id = out.strip()
    assert re.fullmatch(r"[0-9a-f]{32}", person_id)
    status, out, _ = _run(capsys, "person", "list", "--json", "--vault", str(vault_folder))
    [person] = json.loads(out)
    assert person == {"id": person_id, "kind": "child", "name": "Kai Example", "case_id": "C-1001",
                      "dob": "2016-03-04", "plan": "looked_after", "legal_status": "",
                      "placement_matched": False, "end_date": None, "placed_with": "",
                      "placed_from": None, "placed_until": None}
    status, out, _ = _run(capsys, "person", "list", "--vault", str(vault_folder))
    assert "Kai Example" in out and person_id in out


def test_bad_person_data_names_each_problem(vault_folder: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    data = tmp_path / "bad.json"
    data.write_text(json.dumps({"name": "X", "staff_group": "wizard", "shoe_size": 9}))
    status, _, err = _run(capsys, "person", "add", "--kind", "supervisee", "--data", str(data),
                          "--vault", str(vault_folder))
    assert status == 1
    assert "staff_group" in err and "shoe_size" in err
    data.write_text("{not json")
    status, _, err = _run(capsys, "person", "add", "--kind", "supervisee", "--data", str(data),
                          "--vault", str(vault_folder))
    assert status == 1 and "not valid JSON" in err


def test_templates_check_reports_the_file_and_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "agency-form.yaml"
    broken.write_text(
        "id: agency-form\nversion: 1\ntitle: Agency form\ncategory: supervision\n"
        "subject_kind: supervisee\nsource: {organisation: A, document: B, seed: none}\n"
        "sections:\n  - id: first\n    title: First\n    fields:\n"
        "      - {id: mood, kind: choice, label: Mood}\n"
    )
    status, out, _ = _run(capsys, "templates", "check", str(broken))
    assert status == 1
    assert "agency-form.yaml" in out and "'mood'" in out and "needs options" in out


def test_command_line_entry_point_runs_without_traceback(vault_folder: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "supervision_desktop", "record", "show", "no-such-id",
         "--vault", str(vault_folder)],
        capture_output=True, text=True, env={"SUPERVISION_PASSPHRASE": PASSPHRASE, "PATH": ""},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == "error: There is no record with id no-such-id."
    assert OWNER not in result.stderr
