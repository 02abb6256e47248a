"""Every file the app reads from outside: each fault gets its own message and stores nothing.

The faults seen on what had landed — a folder where a file is expected, an empty or cut-short
file, not UTF-8, 100,000 levels of nesting (RecursionError), numbers like 1e400 or 10**5000
(OverflowError) and a lone UTF-16 surrogate — reproduced at each boundary.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import struct
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from supervision_desktop.cli import run
from supervision_desktop.domain import safe_input
from supervision_desktop.domain.policy import PolicyError, load_profile
from supervision_desktop.domain.retention import RetentionError, load_rules
from supervision_desktop.domain.templates import TemplateError, load_template
from supervision_desktop.errors import InvalidInput
from supervision_desktop.export.record_attachment import AttachmentProblem, RecordAttachment
from supervision_desktop.export.verification import verify_pdf
from supervision_desktop.services import backup, carer_import, certificates, records, transfer
from supervision_desktop.store.vault import Vault
from tests.conftest import PASSPHRASE

DEEP = 100_000
DEEP_JSON = b"[" * DEEP + b"]" * DEEP
DEEP_YAML = "a: " + "[" * DEEP + "]" * DEEP + "\n"
ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{n}: &{n} [{', '.join([f'*{p}'] * 10)}]\n" for p, n in zip("abcdefg", "bcdefgh", strict=True))

# (file bytes, the exception class, the message's words) for a JSON file named record.json
JSON_FAULTS = {
    "empty": (b"", safe_input.FileEmpty, "record.json is empty."),
    "truncated": (b'{"fields": {"notes": "Kai', safe_input.NotValidJson,
                  "record.json is not valid JSON (line 1: Unterminated string starting at)."),
    "not utf-8": ('{"fields": {"notes": "Café"}}'.encode("cp1252"), safe_input.NotText,
                  "record.json is not UTF-8 text."),
    "nested": (DEEP_JSON, safe_input.NestedTooDeeply,
               "record.json is nested too deeply (more than 100 levels)."),
    "1e400": (b'{"fields": {"score": 1e400}}', safe_input.NumberOutOfRange,
              "record.json has a number too large to use (1e400)."),
    "10**5000": (b'{"fields": {"score": ' + b"1" + b"0" * 5000 + b"}}",
                 safe_input.NumberOutOfRange,
                 "record.json has a number too large to use (5001 digits)."),
    "NaN": (b'{"fields": {"score": NaN}}', safe_input.NumberOutOfRange,
            "record.json has NaN, which is not a number this app accepts."),
    "surrogate": (b'{"fields": {"notes": "Kai \\ud800 said"}}', safe_input.InvalidCharacter,
                  "record.json has an invalid character (a lone UTF-16 surrogate) in "
                  "'fields > notes'."),
}


@pytest.mark.parametrize("fault", JSON_FAULTS)
def test_each_json_fault_has_its_own_class_and_message(fault: str) -> None:
    data, kind, message = JSON_FAULTS[fault]
    with pytest.raises(kind) as caught:
        safe_input.loads_json(data, "record.json")
    assert str(caught.value) == message
    assert isinstance(caught.value, InvalidInput)


def test_brackets_inside_strings_do_not_count_as_nesting() -> None:
    deep_text = "[" * 500 + "{" * 500
    assert safe_input.loads_json(json.dumps({"notes": deep_text}), "r.json") == {
        "notes": deep_text}
    assert safe_input.loads_json(b"[" * 100 + b"]" * 100, "r.json") is not None
    with pytest.raises(safe_input.NestedTooDeeply):
        safe_input.loads_json(b"[" * 101 + b"]" * 101, "r.json")


def test_the_biggest_numbers_we_accept_still_parse() -> None:
    assert safe_input.loads_json(b"[" + b"9" * 30 + b", 1.5e300]", "r.json") == [
        int("9" * 30), 1.5e300]


def test_missing_folder_and_unreadable_files_each_say_so(tmp_path: Path) -> None:
    folder = tmp_path / "record.json"
    folder.mkdir()
    with pytest.raises(safe_input.FileUnreadable,
                       match=r"^record\.json is a folder, not a file\.$"):
        safe_input.load_json_file(folder)
    with pytest.raises(safe_input.FileUnreadable,
                       match=r"^There is no file gone\.json \(was it moved or deleted\?\)\.$"):
        safe_input.load_json_file(tmp_path / "gone.json")
    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2048 + b"[]")
    with pytest.raises(safe_input.FileTooLarge,
                       match=r"^big\.json is too large \(more than 2 KB\)"):
        safe_input.load_json_file(big, max_bytes=2048)


def test_yaml_faults_have_their_own_messages() -> None:
    cases = {
        DEEP_YAML: (safe_input.NestedTooDeeply, "t.yaml is nested too deeply (more than 100 "
                    "levels)."),
        ALIAS_BOMB: (safe_input.NestedTooDeeply, "t.yaml expands to too many values (more than "
                     "200,000; perhaps an alias bomb)."),
        "a: [1, 2\n": (safe_input.NotValidYaml, "t.yaml: line 2: not valid YAML (did not find "
                       "expected ',' or ']')."),
        "a: .inf\n": (safe_input.NumberOutOfRange, "t.yaml has a number too large to use in 'a'."),
        "a: " + "9" * 5000 + "\n": (safe_input.NotValidYaml, "t.yaml has a value that cannot be "
                                    "read (a date that does not exist, or a number far too "
                                    "long)."),
        "a: 2026-02-30\n": (safe_input.NotValidYaml, "t.yaml has a value that cannot be read (a "
                            "date that does not exist, or a number far too long)."),
        'a: {b: "\\ud800"}\n': (safe_input.NotValidYaml, "t.yaml: line 1: not valid YAML (found "
                                "invalid Unicode character escape code)."),
    }
    for text, (kind, message) in cases.items():
        with pytest.raises(kind) as caught:
            safe_input.loads_yaml(text, "t.yaml")
        assert str(caught.value) == message
    assert safe_input.loads_yaml("a: &x [1, 2]\nb: *x\n", "t.yaml") == {"a": [1, 2], "b": [1, 2]}


# --- the boundaries ----------------------------------------------------------------------


@pytest.mark.parametrize("loader, error", [(load_template, TemplateError),
                                           (load_profile, PolicyError),
                                           (load_rules, RetentionError)])
def test_template_policy_and_retention_files_name_each_fault(
    loader: object, error: type[Exception], tmp_path: Path
) -> None:
    path = tmp_path / "agency.yaml"
    faults = {
        "folder": (None, "agency.yaml: is a folder, not a file"),
        "empty": (b"", "agency.yaml: is empty"),
        "not utf-8": ("title: Café".encode("cp1252"), "agency.yaml: is not UTF-8 text"),
        "nested": (DEEP_YAML.encode(), "agency.yaml: is nested too deeply (more than 100 "
                   "levels)"),
        "alias bomb": (ALIAS_BOMB.encode(), "agency.yaml: expands to too many values"),
        "truncated": (b"id: x\ntitle: [Agency", "agency.yaml: line 3: not valid YAML"),
    }
    for fault, (content, message) in faults.items():
        if path.is_dir():
            path.rmdir()
        if content is None:
            path.mkdir()
        else:
            path.write_bytes(content)
        with pytest.raises(error) as caught:
            loader(path)  # type: ignore[operator]
        assert str(caught.value).startswith(message), fault


@pytest.mark.parametrize("fault", [*JSON_FAULTS, "folder"])
def test_cli_data_files_give_their_message_and_store_nothing(
    fault: str, vault_folder: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    data = tmp_path / "record.json"
    if fault == "folder":
        data.mkdir()
        message = f"{data} is a folder, not a file."
    else:
        content, _kind, message = JSON_FAULTS[fault]
        data.write_bytes(content)
        message = message.replace("record.json", str(data), 1)
    for command in (["record", "create", "--template", "professional-supervision"],
                    ["person", "add", "--kind", "supervisee"]):
        status = run([*command, "--data", str(data), "--vault", str(vault_folder)])
        _out, err = capsys.readouterr()
        assert (status, err) == (1, f"error: {message}\n")
    assert run(["record", "list", "--json", "--vault", str(vault_folder)]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert run(["person", "list", "--json", "--vault", str(vault_folder)]) == 0
    assert json.loads(capsys.readouterr().out) == []


def _backup_with_header(path: Path, header: bytes) -> Path:
    body = backup.MAGIC + struct.pack(">HI", backup.FORMAT_VERSION, len(header)) + header
    path.write_bytes(body + hashlib.sha256(body).digest())
    return path


@pytest.mark.parametrize("header", [DEEP_JSON, b'{"parts": 1e400}', b'{"a": "\\udc00"}',
                                    b'{"parts": [{"size": ' + b"9" * 5000 + b"}]}"])
def test_a_backup_with_a_hostile_header_is_damaged_not_a_crash(header: bytes,
                                                               tmp_path: Path) -> None:
    path = _backup_with_header(tmp_path / "x.sdbackup", header)
    with pytest.raises(backup.BackupDamaged) as caught:
        backup.read_backup(path)
    assert str(caught.value) == backup.DAMAGED


@pytest.mark.parametrize("header", [DEEP_JSON, b'{"format_version": 1e400}',
                                    b'{"format_version": ' + b"9" * 5000 + b"}"])
def test_a_bundle_with_a_hostile_header_is_damaged_not_a_crash(
        header: bytes, tmp_path: Path, vault: Vault) -> None:
    path = tmp_path / "x.sdtransfer"
    path.write_bytes(transfer.MAGIC + struct.pack(">I", len(header)) + header + b"\0" * 32)
    with pytest.raises(transfer.TransferRefused, match=r"^This transfer bundle is damaged"):
        transfer.open_bundle(vault, path, "any passphrase")


def test_a_sealed_bundle_with_nested_content_is_damaged(tmp_path: Path, vault: Vault) -> None:
    """Deep nesting inside the encrypted part, sealed by someone who knows the passphrase."""
    real = transfer.seal({"format": transfer.FORMAT}, "a passphrase")
    start = len(transfer.MAGIC) + 4
    (length,) = struct.unpack_from(">I", real, len(transfer.MAGIC))
    header_bytes = real[start : start + length]
    header = json.loads(header_bytes)
    key = transfer._derive(header["kdf"], "a passphrase")
    ciphertext = AESGCM(key).encrypt(base64.b64decode(header["nonce"]),
                                     DEEP_JSON, transfer.MAGIC + header_bytes)  # the envelope
    path = tmp_path / "x.sdtransfer"
    path.write_bytes(real[:start + length] + ciphertext)
    with pytest.raises(transfer.TransferRefused, match=r"^This transfer bundle is damaged"):
        transfer.open_bundle(vault, path, "a passphrase")


@pytest.mark.parametrize(("document", "message"), [
    (DEEP_JSON, "The record data inside the PDF is nested too deeply (more than 100 levels)."),
    (b'{"format": "supervision-desktop/record", "format_version": 1e400}',
     "The record data inside the PDF has a number too large to use (1e400)."),
    (b'{"format": "supervision-desktop/record", "format_version": ' + b"9" * 5000 + b"}",
     "The record data inside the PDF has a number too large to use (5000 digits)."),
    (b'{"format": "supervision-desktop/record", "values": {"n": "\\ud800"}}',
     "The record data inside the PDF has an invalid character (a lone UTF-16 surrogate) "
     "in 'values > n'."),
    (b"\xff\xfe", "The record data inside the PDF is not UTF-8 text."),
])
def test_record_data_inside_a_pdf_is_bounded(document: bytes, message: str) -> None:
    with pytest.raises(AttachmentProblem) as caught:
        RecordAttachment.from_json(document)
    assert str(caught.value) == message


def nested_pdf(inner: bytes) -> bytes:
    """A well-formed PDF whose catalogue holds ``inner`` (e.g. 100,000 nested arrays)."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R /Deep " + inner + b" >>",
               b"<< /Type /Pages /Kids [] /Count 0 >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.writelines(b"%010d 00000 n \n" % offset for offset in offsets)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


@pytest.mark.parametrize("inner", [b"[" * DEEP + b"]" * DEEP, b"<<" * DEEP + b">>" * DEEP])
def test_a_deeply_nested_pdf_is_refused_with_a_message(inner: bytes, vault: Vault,
                                                       tmp_path: Path) -> None:
    path = tmp_path / "letter.pdf"
    path.write_bytes(nested_pdf(inner))
    damaged = "This PDF is damaged or incomplete (perhaps cut short) and cannot be read."
    assert verify_pdf(path.read_bytes()).summary == damaged
    result = carer_import.import_signed_pdf(vault, path)
    assert result.outcome == carer_import.REFUSED and result.document_id is None
    assert damaged in result.message
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    refused = carer_import.import_signed_pdf(vault, folder)
    assert (refused.outcome, refused.message) == (
        carer_import.REFUSED, f"Not imported: {folder} is a folder, not a file.")


def test_an_agency_certificate_that_is_a_folder_or_empty_is_named(vault: Vault,
                                                                 tmp_path: Path) -> None:
    folder = tmp_path / "worker.p12"
    folder.mkdir()
    with pytest.raises(safe_input.FileUnreadable, match=r"^worker\.p12 is a folder, not a file"):
        certificates.import_pkcs12(vault, folder, "pw")
    empty = tmp_path / "empty.p12"
    empty.write_bytes(b"")
    with pytest.raises(safe_input.FileEmpty, match=r"^empty\.p12 is empty\.$"):
        certificates.import_pkcs12(vault, empty, "pw")
    assert certificates.certificate_info(vault).source == "generated"


def test_typed_text_keeps_everything_but_a_lone_surrogate() -> None:
    assert safe_input.clean_text("Kai \ud800 said 👍🏽") == "Kai \ufffd said 👍🏽"
    assert safe_input.clean_values({"a": ["x\udfff", {"b": "ok"}], "n": 3}) == {
        "a": ["x\ufffd", {"b": "ok"}], "n": 3}
    assert records  # the services that clean typed text are tested in test_surrogates.py


def test_a_full_disk_is_a_message_and_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ENOSPC comes from the operating system at fsync (the true boundary, faked here)."""
    import errno
    import os

    from supervision_desktop.services.export import write_atomically

    def full(_descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    target = tmp_path / "record.pdf"
    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(InvalidInput) as caught:
        write_atomically(target, b"%PDF-1.7 ...")
    assert str(caught.value) == (f"There is not enough space on the disk to write {target}. "
                                 "Nothing was written; free some space and try again.")
    assert list(tmp_path.iterdir()) == []


def test_inflating_stops_at_the_bound_without_unpacking_the_rest() -> None:
    """A few KB that unpack to 64 MB are refused once 1 MB is out, never held whole."""
    import tracemalloc
    import zlib

    bomb = zlib.compress(b"\0" * (64 * 1024 * 1024), 9)
    assert len(bomb) < 100_000
    tracemalloc.start()
    try:
        with pytest.raises(safe_input.FileTooLarge) as caught:
            safe_input.inflate(bomb, "The transfer bundle", max_bytes=1024 * 1024)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert str(caught.value) == "The transfer bundle is too large once unpacked (more than 1 MB)."
    assert peak < 4 * 1024 * 1024
    assert safe_input.inflate(zlib.compress(b"whole"), "x", max_bytes=5) == b"whole"
    with pytest.raises(zlib.error):
        safe_input.inflate(zlib.compress(b"whole file")[:-3], "x")


def test_a_signed_bundle_that_unpacks_too_large_is_refused_by_name(
        tmp_path: Path, vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """Signed by a real (if unknown) sender, so only the size stops it."""
    import zlib

    from supervision_desktop.export import bundle_signature

    monkeypatch.setattr(safe_input, "LARGE_DOCUMENT_BYTES", 1024 * 1024)
    key, certificate, chain = transfer._owner_key(vault)
    content = zlib.compress(b" " * (8 * 1024 * 1024), 9)
    envelope = {"format": transfer.FORMAT, "format_version": transfer.FORMAT_VERSION,
                "content": base64.b64encode(content).decode("ascii"),
                "signature": bundle_signature.sign(content, key, certificate, chain)}
    path = tmp_path / "bomb.sdtransfer"
    path.write_bytes(transfer.seal(envelope, "a passphrase"))
    with pytest.raises(transfer.TransferRefused) as caught:
        transfer.open_bundle(vault, path, "a passphrase")
    assert str(caught.value) == ("The transfer bundle is too large once unpacked (more than "
                                 "1 MB). Nothing was imported.")
