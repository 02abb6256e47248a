"""Agency packs as an agency's IT uses them: made from a shipped organisation, checked
line by line, installed, and then followed by every vault on the computer."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import pytest

from supervision_desktop import paths
from supervision_desktop.cli import run
from supervision_desktop.services import agency, compliance, templates, vault_access
from supervision_desktop.services import retention as retention_service
from supervision_desktop.services.info import vault_info
from tests.conftest import OWNER, PASSPHRASE

# Each shipped organisation's forms, in the order its pack lists them (from the seeds).
SHIPPED = {
    "lambeth": ["professional-supervision", "agreement-lambeth", "case-discussion-family",
                "case-discussion-cla", "reflective-group-discussion", "management-oversight"],
    "kent": ["personal-supervision", "case-supervision-sos", "management-oversight"],
    "birmingham-ifa": ["staff-supervision-social-worker", "staff-supervision-manager",
                       "agreement-bct", "front-sheet", "monitoring-sheet"],
    "walsall": ["foster-carer-supervision", "carer-response"],
}


pytestmark = pytest.mark.usefixtures("no_installed_pack")


def cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def use(monkeypatch: pytest.MonkeyPatch, pack: Path) -> None:
    monkeypatch.setenv(agency.ENVIRONMENT, str(pack))


@pytest.mark.parametrize("organisation", sorted(SHIPPED))
def test_each_shipped_pack_checks_and_offers_exactly_its_forms(
        organisation: str, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    pack = paths.agencies_dir() / organisation
    assert cli(capsys, "agency", "check", str(pack)) == (0, f"{pack}: ok\n", "")
    use(monkeypatch, pack)
    code, out, _ = cli(capsys, "templates", "list", "--json")
    assert code == 0 and [t["id"] for t in json.loads(out)] == SHIPPED[organisation]
    assert agency.active().policy.id == organisation  # type: ignore[union-attr]


def test_the_shipped_packs_are_the_four_organisations_and_file_names_are_ids() -> None:
    assert agency.shipped_organisations() == sorted(SHIPPED)
    for template in templates.catalogue().templates:  # agency new copies id.yaml
        assert (paths.templates_dir() / f"{template.id}.yaml").is_file()


def test_without_a_pack_every_shipped_form_is_offered() -> None:
    assert agency.active() is None
    assert templates.offered() == templates.catalogue()
    assert len(templates.offered().templates) == 15


@pytest.mark.parametrize("organisation", sorted(SHIPPED))
def test_agency_new_makes_an_editable_pack_that_checks(
        organisation: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "pack"
    code, out, _ = cli(capsys, "agency", "new", str(folder), "--like", organisation)
    assert code == 0 and "Made an editable pack" in out
    assert sorted(p.stem for p in (folder / "templates").glob("*.yaml")) == \
        sorted(SHIPPED[organisation])
    assert (folder / "policy.yaml").is_file() and (folder / "retention.yaml").is_file()
    assert "\npolicy: policy.yaml\n" in (folder / "agency.yaml").read_text(encoding="utf-8")
    assert cli(capsys, "agency", "check", str(folder)) == (0, f"{folder}: ok\n", "")


def test_agency_new_refuses_an_unknown_organisation_and_a_folder_in_use(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(capsys, "agency", "new", str(tmp_path / "a"), "--like", "anytown")
    assert code == 1 and err == ("error: There is no shipped organisation 'anytown'. Choose "
                                 "one of: birmingham-ifa, kent, lambeth, walsall.\n")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = cli(capsys, "agency", "new", str(tmp_path / "b"), "--like", "kent")
    assert code == 1 and "is not an empty folder" in err
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["notes.txt"]


def _broken_kent(tmp_path: Path) -> Path:
    folder = tmp_path / "broken"
    agency.new_pack(folder, "kent")
    pack = (folder / "agency.yaml").read_text(encoding="utf-8")
    pack = pack.replace("  - management-oversight\n",
                        "  - management-oversight\n  - no-such-form\n")
    (folder / "agency.yaml").write_text(pack, encoding="utf-8")
    policy = (folder / "policy.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    id_line = next(i for i, line in enumerate(policy) if line.startswith("id: "))
    policy.insert(id_line + 1, "bogus_key: 3\n")
    (folder / "policy.yaml").write_text("".join(policy), encoding="utf-8")
    (folder / "retention.yaml").write_text("rules: [\n", encoding="utf-8")
    form = folder / "templates" / "personal-supervision.yaml"
    form.write_text(form.read_text(encoding="utf-8").replace(
        "title: Personal supervision record", "title: Our personal supervision record", 1),
        encoding="utf-8")
    return folder


def test_check_lists_every_problem_as_file_line_message(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = _broken_kent(tmp_path)
    policy = (folder / "policy.yaml").read_text(encoding="utf-8").splitlines()
    bogus = policy.index("bogus_key: 3") + 1
    code, out, _ = cli(capsys, "agency", "check", str(folder))
    assert code == 1
    assert out.splitlines() == [
        "agency.yaml:14: templates: there is no template 'no-such-form' in templates/ or "
        "among the shipped ones",
        f"policy.yaml:{bogus}: bogus_key: Extra inputs are not permitted",
        "retention.yaml:2: not valid YAML (did not find expected node content)",
        "templates/personal-supervision.yaml:1: differs from the shipped "
        "'personal-supervision' version 2: raise its version (version: 3) so records made "
        "with either stay told apart",
    ]
    code, out, _ = cli(capsys, "agency", "check", str(folder), "--json")
    assert code == 1 and json.loads(out)["problems"][0] == {
        "file": "agency.yaml", "line": 14,
        "message": "templates: there is no template 'no-such-form' in templates/ or among "
                   "the shipped ones"}


def test_a_broken_pack_is_never_half_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    use(monkeypatch, _broken_kent(tmp_path))
    code, out, err = cli(capsys, "templates", "list")
    assert code == 1 and out == ""
    assert err.startswith("error: The agency pack in ") and "no forms are offered" in err
    assert "agency.yaml:14: templates: there is no template 'no-such-form'" in err
    with pytest.raises(agency.PackUnusable):
        vault_access.create_vault(tmp_path / "v", owner_name=OWNER, role="supervisor",
                                  passphrase=PASSPHRASE)
    assert not (tmp_path / "v").exists()


def test_a_pack_that_is_named_but_missing_says_so(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    use(monkeypatch, tmp_path / "gone")
    code, _, err = cli(capsys, "agency", "show")
    assert code == 1
    assert err == (f"error: The agency pack named by the {agency.ENVIRONMENT} setting "
                   f"({tmp_path / 'gone'}) is not there. Ask your IT service desk, or "
                   "remove the setting.\n")


def test_a_pack_as_one_zip_file_works_and_one_reaching_outside_is_refused(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "walsall"
    agency.new_pack(folder, "walsall")
    archive = tmp_path / "walsall.zip"
    with zipfile.ZipFile(archive, "w") as out:  # with a top folder, as zip tools make it
        for path in folder.rglob("*"):
            out.write(path, f"walsall/{path.relative_to(folder)}")
    assert cli(capsys, "agency", "check", str(archive)) == (0, f"{archive}: ok\n", "")
    use(monkeypatch, archive)
    assert [t.id for t in templates.offered().templates] == SHIPPED["walsall"]

    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as out:
        out.writestr("agency.yaml", "format: 1\n")
        out.writestr("../../outside.txt", "x")
    code, out_text, _ = cli(capsys, "agency", "check", str(evil))
    assert (code, out_text) == (1, "evil.zip:1: '../../outside.txt' points outside the "
                                   "pack\n")
    assert not (tmp_path.parent / "outside.txt").exists()

    not_zip = tmp_path / "pack.zip"
    not_zip.write_bytes(b"PK\x03\x04 cut short")
    code, out_text, _ = cli(capsys, "agency", "check", str(not_zip))
    assert code == 1 and out_text.startswith("pack.zip:1: is neither a pack folder nor a "
                                             ".zip of one")


def test_the_machine_folder_wins_over_the_users_and_the_setting_over_both(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(paths.agencies_dir() / "kent", tmp_path / "user-agency")
    assert agency.active().pack.short_name == "Kent"  # type: ignore[union-attr]
    assert agency.find_source().where == "user"  # type: ignore[union-attr]
    shutil.copytree(paths.agencies_dir() / "walsall", tmp_path / "machine-agency")
    assert agency.active().pack.short_name == "Walsall"  # type: ignore[union-attr]
    use(monkeypatch, paths.agencies_dir() / "lambeth")
    assert agency.active().pack.short_name == "Lambeth"  # type: ignore[union-attr]


def test_the_packs_policy_and_rules_win_over_the_vaults_choice(
        vault_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    vault = ["--vault", str(vault_folder)]
    assert cli(capsys, "policy", "set", "walsall", *vault)[0] == 0
    folder = tmp_path / "kent"
    agency.new_pack(folder, "kent")
    use(monkeypatch, folder)
    code, out, _ = cli(capsys, "policy", "show", "--json", *vault)
    assert code == 0 and json.loads(out)["id"] == "kent"
    code, _, err = cli(capsys, "policy", "set", "lambeth", *vault)
    assert code == 1 and err == (
        "error: Your agency's pack (Kent (version 2026.1)) sets the policy profile for "
        "everyone on this computer, so it cannot be changed here. Ask your IT service "
        "desk.\n")
    code, _, err = cli(capsys, "retention", "set", "--file",
                       str(folder / "retention.yaml"), *vault)
    assert code == 1 and "sets the retention rules for everyone" in err

    # a pack that lets each vault choose: the vault's own choice stands again
    text = (folder / "agency.yaml").read_text(encoding="utf-8")
    (folder / "agency.yaml").write_text(
        text.replace("local_policy_choice: false", "local_policy_choice: true"),
        encoding="utf-8")
    code, out, _ = cli(capsys, "policy", "show", "--json", *vault)
    assert json.loads(out)["id"] == "walsall"
    assert cli(capsys, "policy", "set", "lambeth", *vault)[0] == 0


def test_an_agencys_own_policy_file_in_the_pack_is_followed(
        vault_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "kent"
    agency.new_pack(folder, "kent")
    policy = (folder / "policy.yaml").read_text(encoding="utf-8")
    (folder / "policy.yaml").write_text(policy.replace("\nid: kent\n", "\nid: kent-local\n"),
                                        encoding="utf-8")
    use(monkeypatch, folder)
    vault = vault_access.unlock_with_passphrase(vault_folder, PASSPHRASE).vault
    try:
        assert compliance.vault_profile(vault).id == "kent-local"
        assert retention_service.vault_rules(vault).id == "default"
    finally:
        vault.close()


def test_a_vault_records_the_pack_it_was_made_with(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    use(monkeypatch, paths.agencies_dir() / "kent")
    made = vault_access.create_vault(tmp_path / "v", owner_name=OWNER, role="supervisor",
                                     passphrase=PASSPHRASE, policy_profile="lambeth")
    try:
        info = vault_info(made.vault)
        assert info.agency_pack == "Kent (version 2026.1)"
        assert compliance.vault_profile(made.vault).id == "kent"  # the pack's, not lambeth
    finally:
        made.vault.close()
    monkeypatch.delenv(agency.ENVIRONMENT)
    code, out, _ = cli(capsys, "info", "--vault", str(tmp_path / "v"))
    assert code == 0 and "Agency pack:    Kent (version 2026.1)\n" in out
    code, out, _ = cli(capsys, "info", "--json", "--vault", str(tmp_path / "v"))
    assert json.loads(out)["agency_pack"] == "Kent (version 2026.1)"


def test_a_changed_form_in_the_pack_never_alters_records_made_before(
        vault_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from supervision_desktop.services import people, records

    folder = tmp_path / "kent"
    agency.new_pack(folder, "kent")
    use(monkeypatch, folder)
    vault = vault_access.unlock_with_passphrase(vault_folder, PASSPHRASE).vault
    try:
        person = people.add_person(vault, "supervisee", {"name": "Rhys Example"})
        form = templates.get_template("personal-supervision")
        made = records.create_record(vault, form, subject_id=person.id)
        path = folder / "templates" / "personal-supervision.yaml"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("\nversion: 2\n", "\nversion: 3\n").replace(
            "title: Personal supervision record", "title: Kent staff supervision record", 1),
            encoding="utf-8")
        assert templates.get_template("personal-supervision").version == 3
        assert templates.get_template("personal-supervision").title.startswith("Kent staff")
        kept = records.get_record(vault, made).template
        assert (kept.version, kept.title) == (2, form.title)
    finally:
        vault.close()


def test_show_says_what_this_install_uses(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        tmp_path: Path) -> None:
    code, out, _ = cli(capsys, "agency", "show")
    assert code == 0 and out.startswith("No agency pack is installed")
    assert cli(capsys, "agency", "show", "--json")[1] == "null\n"
    use(monkeypatch, paths.agencies_dir() / "walsall")
    code, out, _ = cli(capsys, "agency", "show", "--json")
    shown = json.loads(out)
    assert (shown["short_name"], shown["version"], shown["policy"], shown["templates"],
            shown["where"]) == ("Walsall", "2026.1", "walsall", SHIPPED["walsall"],
                                "environment")


def _anytown_logo(path: Path, size: tuple[int, int] = (240, 60)) -> None:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).rectangle((4, 4, size[0] - 4, size[1] - 4), outline="navy", width=6)
    image.save(path, "PNG")


def test_the_packs_marking_and_logo_are_on_every_page_of_a_record(
        vault_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from supervision_desktop.services import people, records
    from supervision_desktop.services.rendering import render_record_pdf
    from tests.sample_values import fill_every_field

    folder = tmp_path / "kent"
    agency.new_pack(folder, "kent")
    _anytown_logo(folder / "logo.png")
    text = (folder / "agency.yaml").read_text(encoding="utf-8")
    (folder / "agency.yaml").write_text(text.replace(
        "marking: OFFICIAL-SENSITIVE\n", "marking: OFFICIAL\nlogo: logo.png\n"),
        encoding="utf-8")
    use(monkeypatch, folder)
    vault = vault_access.unlock_with_passphrase(vault_folder, PASSPHRASE).vault
    try:
        person = people.add_person(vault, "supervisee", {"name": "Rhys Example"})
        form = templates.get_template("personal-supervision")
        record = records.create_record(vault, form, subject_id=person.id,
                                       fields=fill_every_field(form, "Discussed " * 400))
        pdf = tmp_path / "record.pdf"
        pdf.write_bytes(render_record_pdf(vault, record).data)
    finally:
        vault.close()
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")[:-1]
    assert len(pages) > 1
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == "OFFICIAL" and lines[-1] == "OFFICIAL"
    images = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True,
                            check=True).stdout.splitlines()[2:]
    assert sorted({int(row.split()[0]) for row in images}) == list(range(1, len(pages) + 1))


def test_the_carers_evidence_pack_prints_the_packs_marking_on_every_page(
        vault_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import subprocess

    from supervision_desktop.export.evidence_pack import render_evidence_pack
    from supervision_desktop.services.evidence_pack import build_pack

    folder = tmp_path / "walsall"
    agency.new_pack(folder, "walsall")
    text = (folder / "agency.yaml").read_text(encoding="utf-8")
    (folder / "agency.yaml").write_text(
        text.replace("marking: OFFICIAL-SENSITIVE\n", "marking: OFFICIAL\n"), encoding="utf-8")
    use(monkeypatch, folder)
    vault = vault_access.unlock_with_passphrase(vault_folder, PASSPHRASE).vault
    try:
        pdf = tmp_path / "pack.pdf"
        pdf.write_bytes(render_evidence_pack(build_pack(vault)))
    finally:
        vault.close()
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout.split("\f")[:-1]
    assert pages
    for page in pages:
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        assert lines[0] == "OFFICIAL" and lines[-1] == "OFFICIAL"


@pytest.mark.parametrize(("content", "problem"), [
    (b"GIF89a not really", "logo: is not a PNG or JPEG image"),
    (b"", "logo: logo.png is empty"),
])
def test_a_logo_that_is_not_an_image_is_named(
        content: bytes, problem: str, tmp_path: Path) -> None:
    folder = tmp_path / "kent"
    agency.new_pack(folder, "kent")
    (folder / "logo.png").write_bytes(content)
    text = (folder / "agency.yaml").read_text(encoding="utf-8")
    (folder / "agency.yaml").write_text(text.replace("marking:", "logo: logo.png\nmarking:"),
                                        encoding="utf-8")
    found = [str(p) for p in agency.check(folder)]
    assert len(found) == 1 and found[0].startswith(f"agency.yaml:9: {problem}")


def test_a_huge_logo_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "kent"
    agency.new_pack(folder, "kent")
    _anytown_logo(folder / "logo.png", (5000, 20))
    text = (folder / "agency.yaml").read_text(encoding="utf-8")
    (folder / "agency.yaml").write_text(text.replace("marking:", "logo: logo.png\nmarking:"),
                                        encoding="utf-8")
    assert [str(p) for p in agency.check(folder)] == [
        "agency.yaml:9: logo: is 5000 × 20 pixels; at most 4000 a side is needed for a "
        "page header"]


def test_the_pack_format_doc_describes_every_key_and_the_folders_the_app_reads(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """IT writes packs from resources/agencies/README.md: every key agency.yaml accepts is
    in its example, the example itself checks, and the machine folders are the app's."""
    import re
    import sys

    from supervision_desktop.domain.agency_pack import AgencyPack, parse_pack

    doc = (paths.agencies_dir() / "README.md").read_text(encoding="utf-8")
    example = re.search(r"## `agency.yaml`\n\n```yaml\n(.*?)```", doc, re.S)
    assert example is not None
    keys = re.findall(r"^([a-z_]+):", example.group(1), re.M)
    assert sorted(keys) == sorted(AgencyPack.model_fields)
    assert parse_pack(example.group(1)).short_name == "Kent"
    for platform, shown in (("linux", "/etc/xdg/SupervisionDesktop/agency/"),
                            ("darwin", "/Library/Application Support/SupervisionDesktop/agency/")):
        monkeypatch.setattr(sys, "platform", platform)
        assert f"{paths._machine_dir() / 'agency'}/" == shown and f"`{shown}`" in doc
    assert "`%ProgramData%\\SupervisionDesktop\\agency\\`" in doc
    for shipped in SHIPPED:
        assert "Format: ../README.md" in (paths.agencies_dir() / shipped / "agency.yaml"
                                          ).read_text(encoding="utf-8")


def test_a_weak_recovery_key_is_refused_and_a_good_one_is_shown_by_its_fingerprint(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    """A key too weak to guard every vault's key for as long as records are kept is
    refused with the command that makes a good one (tests/test_agency_recovery.py: use)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    folder = tmp_path / "kent"
    agency.new_pack(folder, "kent")
    (folder / agency.RECOVERY_PUBLIC_KEY).write_bytes(key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo))
    code, out, _ = cli(capsys, "agency", "check", str(folder))
    assert code == 1 and out.splitlines() == [
        "recovery-public.pem:1: must be an RSA key of at least 3072 bits (openssl genpkey "
        "-algorithm RSA -pkeyopt rsa_keygen_bits:3072)"]
    fixture = Path(__file__).parent / "fixtures" / "agency-recovery" / "recovery-public.pem"
    shutil.copy(fixture, folder / agency.RECOVERY_PUBLIC_KEY)
    use(monkeypatch, folder)
    code, out, _ = cli(capsys, "agency", "show")
    assert code == 0 and ("Recovery:  every vault is also wrapped to the agency key 8aeaebbd "
                          "bc997562 99d55b09 29c240eb 19ef69d1 2c0cbbe7 bed2c061 4a2f756e\n"
                          in out)


def _guide_snippets() -> list[str]:
    """The YAML of "Changing a form for your agency" in the pack format doc, as IT would
    paste it (the doc's list indent of three spaces taken off)."""
    import re

    readme = (paths.agencies_dir() / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Changing a form for your agency")[1].split("\n## ")[0]
    blocks = re.findall(r"```yaml\n(.*?)   ```", section, re.S)
    return ["".join(line[3:] + "\n" for line in block.splitlines()) for block in blocks]


def edit_as_the_guide_says(pack: Path) -> Path:
    """Kent's personal supervision form in ``pack`` changed step by step as the doc says:
    a label reworded, a field and a table added, the version raised. Returns the file."""
    wording, field, table = _guide_snippets()
    path = pack / "templates" / "personal-supervision.yaml"
    text = path.read_text(encoding="utf-8")
    for old, new in (("        label: Date of supervision\n", wording),
                     ("      - id: session_type\n", field + "      - id: session_type\n"),
                     ("  - id: signatures\n", table + "\n  - id: signatures\n"),
                     ("\nversion: 2\n", "\nversion: 3\n")):
        assert text.count(old) == 1
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_form_edited_as_the_authoring_guide_says_works_like_a_shipped_one(
        vault_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import subprocess

    from supervision_desktop.services import people, records
    from supervision_desktop.services.rendering import render_record_pdf
    from tests.sample_values import fill_every_field

    pack = tmp_path / "kent"
    agency.new_pack(pack, "kent")
    path = edit_as_the_guide_says(pack)
    assert cli(capsys, "agency", "check", str(pack)) == (0, f"{pack}: ok\n", "")
    use(monkeypatch, pack)
    form = templates.get_template("personal-supervision")
    assert form.version == 3
    assert [f.label for f in form.fields() if f.id in ("supervision_date", "venue")] == [
        "Date of this supervision session", "Where the session took place"]
    vault = vault_access.unlock_with_passphrase(vault_folder, PASSPHRASE).vault
    try:
        person = people.add_person(vault, "supervisee", {"name": "Rhys Example"})
        values = fill_every_field(form, "Noted")
        values["venue"] = "Home visit"
        values["training_attended"] = [{"course": "Trauma-informed practice",
                                        "course_date": "2026-11-02"}]
        made = records.create_record(vault, form, subject_id=person.id, fields=values)
        assert records.get_record(vault, made).fields["venue"] == "Home visit"
        pdf = tmp_path / "record.pdf"
        pdf.write_bytes(render_record_pdf(vault, made).data)
    finally:
        vault.close()
    text = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True,
                                   text=True, check=True).stdout.split())
    for shown in ("Date of this supervision session", "Where the session took place",
                  "Home visit", "Training since the last supervision", "Training attended",
                  "Trauma-informed practice", "02/11/2026"):
        assert shown in text
    # the mistake the guide shows, and the very line it says the check prints
    path.write_text(path.read_text(encoding="utf-8").replace(
        "        options:\n          - Office\n          - Home visit\n          - Online\n",
        "", 1), encoding="utf-8")
    code, out, _ = cli(capsys, "agency", "check", str(pack))
    readme = (paths.agencies_dir() / "README.md").read_text(encoding="utf-8")
    assert code == 1 and len(out.splitlines()) == 1 and f"`{out.strip()}`" in readme
