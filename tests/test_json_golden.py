"""Every ``--json`` output of the command line, compared with a golden file.

Scripts written by agency IT read these outputs, so a field renamed, dropped, added or
written differently must be a deliberate change: the golden files in tests/golden/json/
(one per command) say what each command prints today, and this test fails on any
difference. One small, fictional team is built once for the module through the real
command line and services, on a fixed day (the clock ticks on from 09:30 UTC on
Wednesday 25/11/2026), so dates and due states are the same on every run.

Only values that differ from run to run are replaced before comparing, each by a
placeholder that still shows its shape (see ``normalise``); everything else (field
names, nesting, dates, statuses, numbers, the order of every list) is compared as it is.
The order of keys inside an object is not compared: it means nothing to a JSON reader.

To write the golden files again after a deliberate change, run this test with
``SUPERVISION_UPDATE_GOLDEN=1`` and read the diff before committing it.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import difflib
import io
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from supervision_desktop.cli import build_parser, run
from tests.conftest import PASSPHRASE

GOLDEN = Path(__file__).parent / "golden" / "json"
UPDATE_VARIABLE = "SUPERVISION_UPDATE_GOLDEN"
BUILT_AT = dt.datetime(2026, 11, 25, 9, 30, tzinfo=dt.UTC)  # a Wednesday
AS_OF = "2026-11-25"
TEMPLATE_FILE = Path(__file__).parents[1] / "resources" / "templates"

# Fictional people only.
OWNER = "Morgan Testwell"
CARER = "Harriet Quillfeather"
STAFF_TEMPLATE = "staff-supervision-social-worker"


# --- the normaliser ------------------------------------------------------------------------

# An id made by uuid.uuid4().hex (people, records, actions, documents, notes, ...).
UUID = re.compile(r"\b[0-9a-f]{32}\b")
# The first 8 hex digits of such an id, as file names and audit details shorten them.
SHORT_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{8}(?![0-9a-f])")
# A SHA-256 in hex: certificate fingerprints (new keys every run) and content hashes
# (over records holding those ids).
SHA256 = re.compile(r"^[0-9a-f]{64}$")
# The first 16 hex digits of a certificate's SHA-256, as the audit log names it.
SHORT_FINGERPRINT = re.compile(r"\b(certificate|CA) [0-9a-f]{16}\b")
# fingerprint_words(): twelve groups of five digits drawn from a SHA-256 above.
FINGERPRINT_WORDS = re.compile(r"\b\d{5}( \d{5}){11}\b")
# A moment read from the ticking clock, ISO 8601; its time zone suffix is kept in the
# placeholder, so "+00:00" becoming "Z" (or a naive time) still shows as a difference.
TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(Z|[+-]\d\d:\d\d)?$")
# A moment in a sentence for people, in this computer's time zone ("25/11/2026 09:30").
LOCAL_TIME = re.compile(r"\b\d\d/\d\d/\d{4} \d\d:\d\d\b")
# A certificate serial number (random), hex as certificates.py writes it.
SERIAL = re.compile(r"^[0-9a-f]{1,40}$")


def normalise(value: Any, names: dict[str, str], tmp: str) -> Any:
    """``value`` with what changes between runs replaced by placeholders:

    - the temporary folder the vaults are built in: ``<tmp>`` (inside any string);
    - ids (32 hex digits, anywhere in a string): the name the build gave the thing,
      such as ``<record:amara-november>``, so links between outputs are still checked;
      an id the build did not name: ``<uuid>``; the first 8 digits of a named id (in
      file names): ``<record:harriet[:8]>`` (8 digits that start no named id are kept);
    - a whole-string SHA-256: ``<sha256>``; "certificate"/"CA" and 16 hex digits (the
      audit log's short fingerprint): ``certificate <sha256[:16]>``; fingerprint words
      (anywhere in a string): ``<fingerprint words>``;
    - a whole-string ISO timestamp: ``<timestamp>`` plus its zone suffix, e.g.
      ``<timestamp+00:00>``; a local "dd/mm/yyyy hh:mm" in a sentence: ``<local time>``
      (dates without a time are never replaced);
    - the value of a ``serial`` key (a certificate's random serial): ``<serial>``.
    """
    if isinstance(value, dict):
        return {key: ("<serial>" if key == "serial" and isinstance(item, str)
                      and SERIAL.match(item) else normalise(item, names, tmp))
                for key, item in value.items()}
    if isinstance(value, list):
        return [normalise(item, names, tmp) for item in value]
    if not isinstance(value, str):
        return value
    if SHA256.match(value):
        return "<sha256>"
    stamp = TIMESTAMP.match(value)
    if stamp:
        return f"<timestamp{stamp.group(1) or ''}>"
    value = value.replace(tmp, "<tmp>")
    value = UUID.sub(lambda m: names.get(m.group(0), "<uuid>"), value)
    prefixes = {key[:8]: f"{name[:-1]}[:8]>" for key, name in names.items()}
    value = SHORT_ID.sub(lambda m: prefixes.get(m.group(0), m.group(0)), value)
    value = SHORT_FINGERPRINT.sub(lambda m: f"{m.group(1)} <sha256[:16]>", value)
    value = FINGERPRINT_WORDS.sub("<fingerprint words>", value)
    return LOCAL_TIME.sub("<local time>", value)


# --- the team ---------------------------------------------------------------------------------


@dataclass
class Scene:
    """The vaults built for the module, and what the build's own --json commands printed."""

    tmp: Path
    worker: Path  # the supervising social worker's vault
    carer: Path  # the foster carer's vault
    ids: dict[str, str] = field(default_factory=dict)  # name -> id
    printed: dict[str, Any] = field(default_factory=dict)  # golden name -> parsed output
    sent: Path = Path()  # the foster carer record the worker exported
    pack: Path = Path()  # an agency pack (Kent's), to install for "agency show"
    broken_pack: Path = Path()  # a pack with an unknown key in agency.yaml
    bad_template: Path = Path()  # a template file with an unknown key

    @property
    def names(self) -> dict[str, str]:
        return {value: f"<{name}>" for name, value in self.ids.items()}

    def cli(self, *argv: str, status: int = 0) -> str:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = run(list(argv))
        assert code == status, f"{argv}: exit {code}: {err.getvalue()}"
        assert "Traceback" not in out.getvalue() + err.getvalue()
        return out.getvalue()

    def json_of(self, *argv: str, status: int = 0) -> Any:
        return json.loads(self.cli(*argv, status=status))

    def data_file(self, name: str, data: Any) -> str:
        path = self.tmp / "data" / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        return str(path)


def _signature(name: str, role: str) -> dict[str, Any]:
    return {"name": name, "role": role, "date": "2026-11-22",
            "strokes": [[[10, 10], [50.5, 40], [120, 20]]]}


def _ca_certificate(folder: Path) -> Path:
    """An agency CA certificate (new key each run: its fingerprint is normalised)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Example Trust Signing CA")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name)
        .public_key(key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256()))
    path = folder / "agency-ca.crt"
    path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return path


def _build(scene: Scene) -> None:
    from supervision_desktop.services import lifecycle, records
    from supervision_desktop.services.templates import get_template
    from supervision_desktop.store import vault as vaults
    from tests.sample_values import fill_every_field

    w = ("--vault", str(scene.worker))
    c = ("--vault", str(scene.carer))
    ids = scene.ids
    scene.cli("init", *w, "--name", OWNER, "--policy", "lambeth")
    scene.cli("init", *c, "--name", CARER, "--role", "carer")
    ids["vault:worker"] = scene.json_of("info", "--json", *w)["vault_id"]
    ids["vault:carer"] = scene.json_of("info", "--json", *c)["vault_id"]

    def person(name: str, kind: str, data: dict[str, Any], *vault: str) -> None:
        ids[f"person:{name}"] = scene.cli(
            "person", "add", "--kind", kind, "--data",
            scene.data_file(f"{name}.json", data), *(vault or w)).strip()

    person("amara", "supervisee", {"name": "Amara Okafor", "staff_group": "nqsw",
                                   "start_date": "2026-09-07", "job_title": "Social worker"})
    person("kai", "child", {"name": "Kai Example", "case_id": "C-1001", "dob": "2016-03-04",
                            "plan": "child_in_need"})
    person("harriet", "carer", {"name": CARER})
    person("rowan", "supervisee", {"name": "Rowan Leftwell", "staff_group": "social_worker"})
    person("sky", "supervisee", {"name": "Sky Formerly", "staff_group": "social_worker"})

    def record(name: str, template: str, subject: str, day: str, fields: dict[str, Any],
               *, finalise: bool = True) -> None:
        data = scene.data_file(f"{name}-record.json", {"subject": ids[f"person:{subject}"],
                                                       "date": day, "fields": fields})
        ids[f"record:{name}"] = scene.cli("record", "create", "--template", template,
                                          "--data", data, *w).strip()
        if finalise:
            scene.cli("record", "finalise", ids[f"record:{name}"], *w)

    staff = fill_every_field(get_template(STAFF_TEMPLATE), "Discussed")
    del staff["last_actions"]  # filled by the actions carried from the last record
    staff["agreed_actions"] = [
        {"action": "Book the ASYE mid-point review", "owner": "Amara Okafor",
         "due": "2026-11-16"},
        {"action": "Update the chronology for the Example family", "owner": "Amara Okafor",
         "due": "2026-12-04"},
        {"action": "Find a shadowing opportunity", "owner": "Team manager"},
    ]
    record("amara-october", STAFF_TEMPLATE, "amara", "2026-10-12", staff)
    record("kai-discussion", "case-discussion-family", "kai", "2026-10-01",
           fill_every_field(get_template("case-discussion-family"), "Discussed"))
    record("rowan-old", STAFF_TEMPLATE, "rowan", "2019-03-04", {
        **fill_every_field(get_template(STAFF_TEMPLATE), "Words"), "agreed_actions": []})
    record("sky-old", STAFF_TEMPLATE, "sky", "2018-06-11", {
        **fill_every_field(get_template(STAFF_TEMPLATE), "Words"), "agreed_actions": []})
    record("amara-november", STAFF_TEMPLATE, "amara", "2026-11-20", {}, finalise=False)
    carried = scene.json_of("actions", "carried", ids["record:amara-november"], "--json", *w)
    scene.cli("actions", "resolve", ids["record:amara-november"], carried[0]["id"], "--done",
              "--reason", "Booked for 8 December", *w)

    with vaults.open_with_passphrase(scene.worker, PASSPHRASE) as vault:
        foster = get_template("foster-carer-supervision")
        ids["record:harriet"] = records.create_record(
            vault, foster, subject_id=ids["person:harriet"], session_date="2026-11-22",
            fields={
                "carer_household": CARER, "supervising_social_worker": OWNER,
                "supervision_date": "2026-11-22",
                "carers_views": "Harriet asked about a holiday in the spring half-term.",
                "placement_review": [{"placed_child": "Kai Example",
                                      "placement_discussion": "Settled; school good."}],
                "agreements_actions": [{"action": "Contact the child's social worker",
                                        "by_whom": "SSW", "by_when": "2026-12-15"}],
                "true_reflection": True,
                "for_worker_supervision": "Review the complaint pattern with the worker.",
                "ssw_signature": _signature(OWNER, "Supervising social worker"),
                "carer_signature": _signature(CARER, "Foster carer"),
            })
        lifecycle.finalise(vault, ids["record:harriet"])

    ids["deviation:amara"] = scene.cli(
        "deviation", "add", ids["person:amara"], "--every", "6 weeks", "--reason",
        "Works 15 hours a week", "--approved-by", "Dana Reid, service manager",
        "--agreed-on", "2026-10-05", *w).strip()
    ids["cancellation:amara"] = scene.cli(
        "cancel", ids["person:amara"], "--date", "2026-11-02", "--time", "10:00", "--reason",
        "Court hearing", "--initiated-by", "Supervisee", "--rescheduled", "2026-11-09",
        "--comments", "Moved by a week", *w).strip()

    exported = scene.tmp / "exported"
    (sent,) = scene.cli("export", ids["record:harriet"], "--out", str(exported), *w).split()
    scene.sent = Path(sent)
    scene.printed["import"] = scene.json_of("import", sent, "--json", *c)
    # documents are listed newest first, to the second, then by random id: the carer's
    # export below must come a second later than this import or the order is chance
    time.sleep(1.05)

    with vaults.open_with_passphrase(scene.carer, PASSPHRASE) as vault:
        held = records.get_record(vault, ids["record:harriet"]).summary.subject_id
        ids["record:response"] = records.create_record(
            vault, get_template("carer-response"), subject_id=held,
            session_date="2026-11-24", fields={
                "responds_to": ids["record:harriet"],
                "responds_to_title": "Foster carer supervision record",
                "true_reflection": False,
                "disagreements": "The respite dates were 3 to 5 January, not 2 to 4.",
                "carer_signature": _signature(CARER, "Foster carer"),
            })
        lifecycle.finalise(vault, ids["record:response"])
    (response,) = scene.cli("export", ids["record:response"], "--out",
                            str(scene.tmp / "response"), *c).split()
    scene.cli("import", response, *w)
    person("kestrel", "child", {"name": "Kestrel Ashdown"}, *c)
    for kind, title, body in (("life_story", "Our first walk", "Kestrel found a heron."),
                              ("professional", "Respite", "Asked about respite dates.")):
        ids[f"note:{kind}"] = scene.cli(
            "notes", "add", "--kind", kind, "--child", ids["person:kestrel"],
            "--date", "2026-11-23", "--title", title, "--body", body, *c).strip()

    scene.cli("certificate", "trust-ca", str(_ca_certificate(scene.tmp)), *w)
    scene.cli("person", "end", ids["person:rowan"], "--on", "01/04/2019", "--reason",
              "Left the team", *w)
    scene.cli("person", "end", ids["person:sky"], "--on", "02/07/2018", "--reason",
              "Moved to another agency", *w)
    scene.cli("retention", "dispose", ids["record:rowan-old"], "--confirm", "--as-of",
              "01/01/2060", *w)
    scene.cli("backup", "--out", str(scene.tmp / "backups"), *w)
    ids.update({f"action:{i}": row["id"] for i, row in enumerate(
        scene.json_of("actions", "--all", "--json", *w))})
    for who, vault in (("worker", w), ("carer", c)):
        ids.update({f"document:{who}-{d['direction']}-{d['kind']}": d["id"]
                    for d in scene.json_of("documents", "list", "--json", *vault)})
    # the log grows with every command that opens the vault: read once, here
    scene.printed["audit-list"] = scene.json_of("audit", "list", "--json", *w)

    scene.pack = scene.tmp / "pack"
    scene.cli("agency", "new", str(scene.pack), "--like", "kent")
    broken = scene.tmp / "broken-pack"
    scene.cli("agency", "new", str(broken), "--like", "walsall")
    pack_file = broken / "agency.yaml"
    pack_file.write_text(pack_file.read_text(encoding="utf-8") + "shoe_size: 9\n",
                         encoding="utf-8")
    scene.broken_pack = broken
    good_template = scene.tmp / f"{STAFF_TEMPLATE}.yaml"  # under <tmp>, wherever the checkout
    good_template.write_bytes((TEMPLATE_FILE / f"{STAFF_TEMPLATE}.yaml").read_bytes())
    bad_template = scene.tmp / "bad-template.yaml"
    bad_template.write_text("id: bad\nversion: 1\ntitle: Bad\nsections: []\nwizard: true\n",
                            encoding="utf-8")
    scene.bad_template = bad_template


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scene]:
    from supervision_desktop import paths
    from supervision_desktop.services import agency

    tmp = tmp_path_factory.mktemp("json-golden")
    with pytest.MonkeyPatch.context() as patch, \
            time_machine.travel(BUILT_AT, tick=True):
        patch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
        patch.delenv("SUPERVISION_CERTIFICATE_PASSWORD", raising=False)
        patch.delenv(agency.ENVIRONMENT, raising=False)
        patch.setattr(paths, "machine_agency_dir", lambda: tmp / "machine-agency")
        patch.setattr(paths, "user_agency_dir", lambda: tmp / "user-agency")
        built = Scene(tmp=tmp, worker=tmp / "worker", carer=tmp / "carer")
        _build(built)
        yield built


# --- the commands -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    command: str  # the sub-command path, as typed
    argv: Callable[[Scene], list[str]]
    status: int = 0
    with_pack: bool = False  # run with the Kent agency pack installed for this user


def _w(scene: Scene) -> list[str]:
    return ["--vault", str(scene.worker)]


def _c(scene: Scene) -> list[str]:
    return ["--vault", str(scene.carer)]


def _disclosure_copy(scene: Scene) -> list[str]:
    """A copy of the worker's vault to disclose from: a disclosure keeps its file and logs
    it, which would change what "documents list" prints from the worker's own vault."""
    import shutil

    copy = scene.tmp / "worker-disclosure"
    if not copy.exists():
        shutil.copytree(scene.worker, copy)
    return ["--vault", str(copy)]


def _split_copy(scene: Scene) -> list[str]:
    """A copy of the worker's vault to split a record from: a split export keeps its
    files and logs them, which would change what "documents list" prints."""
    import shutil

    copy = scene.tmp / "worker-split"
    if not copy.exists():
        shutil.copytree(scene.worker, copy)
    return ["--vault", str(copy)]


CASES: dict[str, Case] = {
    "agency-check": Case("agency check", lambda s: [
        "agency", "check", str(s.broken_pack), "--json"], status=1),
    "agency-show": Case("agency show", lambda s: ["agency", "show", "--json"], with_pack=True),
    "agency-show-none": Case("agency show", lambda s: ["agency", "show", "--json"]),
    "audit-list": Case("audit list", lambda s: []),  # printed while building (see there)
    "backup-status": Case("backup status", lambda s: ["backup", "status", "--json", *_w(s)]),
    "policy-list": Case("policy list", lambda s: ["policy", "list", "--json"]),
    "policy-show": Case("policy show", lambda s: ["policy", "show", "--json", *_w(s)]),
    "deviation-list": Case("deviation list", lambda s: ["deviation", "list", "--json", *_w(s)]),
    "disclose": Case("disclose", lambda s: [
        "disclose", "--person", s.ids["person:kai"], "--out", str(s.tmp / "disclosure"),
        "--keep", "Harriet", "--json", *_disclosure_copy(s)]),
    "split-export": Case("split-export", lambda s: [
        "split-export", s.ids["record:amara-october"], "--out", str(s.tmp / "split"),
        "--json", *_split_copy(s)]),
    "due": Case("due", lambda s: ["due", "--json", "--as-of", AS_OF, *_w(s)]),
    "actions": Case("actions", lambda s: ["actions", "--all", "--json", *_w(s)]),
    "actions-carried": Case("actions carried", lambda s: [
        "actions", "carried", s.ids["record:amara-november"], "--json", *_w(s)]),
    "monitoring": Case("monitoring", lambda s: [
        "monitoring", s.ids["person:amara"], "--json", *_w(s)]),
    "search": Case("search", lambda s: ["search", "Discussed", "--json", *_w(s)]),
    "import": Case("import", lambda s: []),  # printed while building: it changes the vault
    "documents-list": Case("documents list", lambda s: ["documents", "list", "--json", *_w(s)]),
    "documents-list-carer": Case("documents list", lambda s: [
        "documents", "list", "--json", *_c(s)]),
    "documents-responses": Case("documents responses", lambda s: [
        "documents", "responses", s.ids["record:harriet"], "--json", *_w(s)]),
    "verify": Case("verify", lambda s: [
        "verify", str(s.sent), "--json", *_w(s)]),
    "verify-no-vault": Case("verify", lambda s: [
        "verify", str(s.sent), "--json",
        "--vault", str(s.tmp / "no-vault-here")], status=3),
    "certificate-show": Case("certificate show", lambda s: [
        "certificate", "show", "--json", *_w(s)]),
    "certificate-trusted": Case("certificate trusted", lambda s: [
        "certificate", "trusted", "--json", *_w(s)]),
    "notes-list": Case("notes list", lambda s: [
        "notes", "list", "--kind", "life_story", "--json", *_c(s)]),
    "person-list": Case("person list", lambda s: ["person", "list", "--json", *_w(s)]),
    "record-show": Case("record show", lambda s: [
        "record", "show", s.ids["record:harriet"], "--json", *_w(s)]),
    "record-list": Case("record list", lambda s: ["record", "list", "--json", *_w(s)]),
    "record-list-drafts": Case("record list", lambda s: [
        "record", "list", "--drafts", "--json", *_w(s)]),
    "retention-review": Case("retention review", lambda s: [
        "retention", "review", "--as-of", "01/01/2060", "--json", *_w(s)]),
    "retention-report": Case("retention report", lambda s: [
        "retention", "report", "--json", *_w(s)]),
    "signers-list": Case("signers list", lambda s: ["signers", "list", "--json", *_w(s)]),
    "templates-list": Case("templates list", lambda s: ["templates", "list", "--json"]),
    "templates-show": Case("templates show", lambda s: [
        "templates", "show", STAFF_TEMPLATE, "--json"]),
    "templates-check": Case("templates check", lambda s: [
        "templates", "check", str(s.tmp / f"{STAFF_TEMPLATE}.yaml"), str(s.bad_template),
        "--json"], status=1),
    "info": Case("info", lambda s: ["info", "--json", *_w(s)]),
}


def _output(scene: Scene, name: str) -> Any:
    case = CASES[name]
    if name in scene.printed:
        return scene.printed[name]
    if not case.with_pack:
        return scene.json_of(*case.argv(scene), status=case.status)
    from supervision_desktop import paths

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(paths, "user_agency_dir", lambda: scene.pack)
        return scene.json_of(*case.argv(scene), status=case.status)


@pytest.mark.parametrize("name", sorted(CASES))
def test_json_output_matches_its_golden_file(scene: Scene, name: str) -> None:
    found = normalise(_output(scene, name), scene.names, str(scene.tmp))
    golden = GOLDEN / f"{name}.json"
    if os.environ.get(UPDATE_VARIABLE) == "1":
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(json.dumps(found, indent=2, ensure_ascii=False) + "\n",
                          encoding="utf-8")
    assert golden.is_file(), f"no {golden.name}: run with {UPDATE_VARIABLE}=1 to write it"
    expected = json.loads(golden.read_text(encoding="utf-8"))
    if found != expected:  # pytest's diff of two long lists hides where they differ
        written = json.dumps(found, indent=2, ensure_ascii=False).splitlines()
        wanted = json.dumps(expected, indent=2, ensure_ascii=False).splitlines()
        pytest.fail(f"{name} --json differs from {golden.name} (- golden, + now):\n"
                    + "\n".join(difflib.unified_diff(wanted, written, lineterm="", n=2)))


def _json_commands(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()
                   ) -> Iterator[str]:
    """Every sub-command path that takes --json."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _json_commands(sub, (*path, name))
        elif "--json" in action.option_strings:
            yield " ".join(path)


def test_every_json_command_has_a_golden_file() -> None:
    assert sorted(set(_json_commands(build_parser()))) == sorted(
        {case.command for case in CASES.values()})


def test_no_golden_file_is_left_without_its_command() -> None:
    assert sorted(p.stem for p in GOLDEN.glob("*.json")) == sorted(CASES)
