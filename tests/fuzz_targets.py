"""Every file parser the app has, as fuzz targets: random bytes and mutated valid files.

Each target reads one input and must either succeed or raise the parser's own typed
error; anything else (a RecursionError, an OverflowError, a KeyError, a generic
"unexpected error") fails the run. Shared by tests/test_fuzz_parsers.py (about 100
examples a parser) and benchmarks/fuzz_parsers.py (as many as asked for).
"""

from __future__ import annotations

import contextlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from supervision_desktop.domain import safe_input
from supervision_desktop.domain.policy import PolicyError, load_profile
from supervision_desktop.domain.retention import RetentionError, load_rules
from supervision_desktop.domain.templates import TemplateError, load_template
from supervision_desktop.errors import UserError
from supervision_desktop.export.record_attachment import (
    AttachmentProblem,
    RecordAttachment,
    extract_attachment,
)
from supervision_desktop.export.verification import verify_pdf
from supervision_desktop.paths import policies_dir, resources_dir, templates_dir
from supervision_desktop.services import (
    backup,
    certificates,
    export,
    lifecycle,
    people,
    records,
    transfer,
)
from supervision_desktop.services.templates import get_template
from supervision_desktop.store.vault import Vault
from tests.sample_values import fill_every_field

BUNDLE_PASSPHRASE = "fuzz bundle passphrase"


@dataclass(frozen=True)
class Target:
    """One parser: how to call it on bytes, the errors it may raise, and a valid input."""

    name: str
    parse: Callable[[bytes], object]
    allowed: tuple[type[BaseException], ...]
    sample: bytes
    examples: int = 100  # in the suite's run; the benchmark multiplies it


def _through_file(reader: Callable[[Path], object], suffix: str) -> Callable[[bytes], object]:
    def parse(data: bytes) -> object:
        with tempfile.TemporaryDirectory(prefix="sd-fuzz-") as folder:
            path = Path(folder) / f"input{suffix}"
            path.write_bytes(data)
            return reader(path)
    return parse


def _pdf(data: bytes) -> object:
    report = verify_pdf(data)  # never raises: a bad file is a report
    assert report.summary
    return extract_attachment(data)


def targets(vault: Vault, work: Path) -> list[Target]:
    """The targets, with valid samples made in ``vault`` (a record, a backup, a bundle)."""
    person = people.add_person(vault, "supervisee", {"name": "Fenwick Fictional"})
    template = get_template("professional-supervision")
    fields = fill_every_field(template, "Plain words", long_text="A longer note.")
    record_id = records.create_record(vault, template, subject_id=person.id,
                                      session_date="2026-11-20", fields=fields)
    lifecycle.finalise(vault, record_id)
    (pdf,) = export.export_record(vault, record_id, work / "pdf")
    pdf_bytes = pdf.read_bytes()
    attachment = extract_attachment(pdf_bytes)
    assert attachment is not None
    made = backup.back_up(vault, work / "backup.sdbackup")
    (work / "outbox").mkdir()
    sent = transfer.export_person(vault, person.id, work / "outbox")
    record_json = (b'{"subject": "%s", "date": "2026-11-22", "fields": {"notes": "Kai"}}'
                   % person.id.encode())
    return [
        Target("record --data JSON", lambda d: safe_input.loads_json(d, "record.json"),
               (safe_input.InputProblem,), record_json),
        Target("template YAML", _through_file(load_template, ".yaml"), (TemplateError,),
               (templates_dir() / "professional-supervision.yaml").read_bytes()),
        Target("policy YAML", _through_file(load_profile, ".yaml"), (PolicyError,),
               (policies_dir() / "lambeth.yaml").read_bytes()),
        Target("retention YAML", _through_file(load_rules, ".yaml"), (RetentionError,),
               (resources_dir() / "retention" / "default.yaml").read_bytes()),
        Target("backup file", _through_file(backup.read_backup, ".sdbackup"), (UserError,),
               made.path.read_bytes()),
        Target("transfer bundle",
               _through_file(lambda p: transfer.open_bundle(vault, p, BUNDLE_PASSPHRASE),
                             ".sdtransfer"),
               (UserError,), _resealed(sent.path, sent.passphrase), examples=30),
        Target("record data in a PDF", RecordAttachment.from_json, (AttachmentProblem,),
               attachment.to_json()),
        Target("signed PDF", _pdf, (UserError,), pdf_bytes, examples=40),
        Target("agency PKCS#12",
               _through_file(lambda p: certificates.import_pkcs12(vault, p, "pw"), ".p12"),
               (UserError,), _pkcs12("pw"), examples=50),
    ]


def _pkcs12(password: str) -> bytes:
    """A small agency-style PKCS#12: a self-signed certificate and its key."""
    import datetime as dt

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Fuzz Agency Worker")])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(1).not_valid_before(start)
            .not_valid_after(start + dt.timedelta(days=3650)).sign(key, hashes.SHA256()))
    return pkcs12.serialize_key_and_certificates(b"worker", key, cert, None,
                                                 BestAvailableEncryption(password.encode()))


def _resealed(path: Path, passphrase: str) -> bytes:
    """The bundle sealed again under a fixed passphrase, so mutations reach its content."""
    envelope = json.loads(transfer._plaintext(path, passphrase))  # signature and all
    return transfer.seal(envelope, BUNDLE_PASSPHRASE)


@st.composite
def mutated(draw: st.DrawFn, sample: bytes) -> bytes:
    """``sample`` with a few byte flips, a cut, an insertion or a repeated slice — or,
    one time in eight, random bytes."""
    if draw(st.integers(0, 7)) == 0:
        return draw(st.binary(max_size=4096))
    data = bytearray(sample)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        how = draw(st.sampled_from(["flip", "cut", "insert", "repeat"]))
        if how == "flip":
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif how == "cut":
            del data[at:]
        elif how == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
        else:
            end = min(len(data), at + draw(st.integers(1, 64)))
            data[at:at] = bytes(data[at:end]) * draw(st.integers(2, 200))
    return bytes(data)


def check(target: Target, data: bytes) -> None:
    """Parse ``data``; an exception other than the target's own typed errors escapes."""
    with contextlib.suppress(*target.allowed):
        target.parse(data)


def fuzz(target: Target, examples: int, *, derandomize: bool = True) -> None:
    """Run ``examples`` random and mutated inputs through ``target``: the same ones every
    run unless ``derandomize`` is False (the suite and CI cannot fail at random; the long
    run, benchmarks/fuzz_parsers.py, draws new ones each time)."""

    @settings(max_examples=examples, deadline=None, database=None, derandomize=derandomize,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=mutated(target.sample))
    def run(data: bytes) -> None:
        check(target, data)

    run()
