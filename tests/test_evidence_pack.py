"""The carer's evidence pack: one signed PDF, an index in date order, originals attached.

Checked as a recipient would: poppler's pdfsig validates the signature, pdftotext reads
the index, pdfdetach takes out each attached original, which must be byte for byte the
file that was imported and must still verify on its own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from supervision_desktop.cli import run
from supervision_desktop.export.verification import verify_pdf
from supervision_desktop.services import lifecycle, records, responses
from supervision_desktop.services.carer_import import import_signed_pdf
from supervision_desktop.services.evidence_pack import build_pack, export_evidence_pack
from supervision_desktop.services.export import export_record
from supervision_desktop.services.templates import get_template
from supervision_desktop.store.models import RecordVersion
from supervision_desktop.store.vault import Vault
from tests.conftest import PASSPHRASE
from tests.test_carer_mode import (
    CARER,
    PASSPORT,
    answer,
    make_carer_vault,
    supervision_record,
)

DATE = re.compile(r"\b(\d\d)/(\d\d)/(\d{4})\b")


@pytest.fixture
def carer_vault(tmp_path: Path) -> Iterator[Vault]:
    vault = make_carer_vault(tmp_path / "carer-vault")
    yield vault
    vault.close()


def _text(path: Path, *pages: int) -> str:
    span = ["-f", str(pages[0]), "-l", str(pages[-1])] if pages else []
    return subprocess.run(["pdftotext", "-layout", *span, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


@pytest.fixture
def held(vault: Vault, carer_vault: Vault, tmp_path: Path) -> dict[str, object]:
    """A carer's vault holding: an own record (October), a received record (November)
    with its original PDF, a signed response to it, and a draft."""
    own = supervision_record(carer_vault, date="2026-10-15", due="2026-11-01",
                             conflict="Own notes of the October visit")
    lifecycle.check_chain(carer_vault, own)
    received_id = supervision_record(vault, date="2026-11-20")
    (sent,) = export_record(vault, received_id, tmp_path / "sent")
    assert import_signed_pdf(carer_vault, sent).ok
    response = responses.start_response(carer_vault, received_id)
    answer(carer_vault, response, true_reflection=False)
    lifecycle.finalise(carer_vault, response)
    export_record(carer_vault, response, tmp_path / "back")
    records.create_record(carer_vault, get_template("foster-carer-supervision"),
                          session_date="2026-11-24")  # a draft: not evidence yet
    return {"own": own, "received": received_id, "response": response, "sent": sent}


def test_index_lists_every_item_in_date_order(carer_vault: Vault, held: dict[str, object],
                                              tmp_path: Path) -> None:
    pack = build_pack(carer_vault, today=dt.date(2026, 11, 25))
    kinds = [row.kind for row in pack.rows]
    assert kinds.count("supervision") == 2 and kinds.count("response") == 1
    assert kinds.count("action") >= 2
    dates = [row.date for row in pack.rows]
    assert dates == sorted(dates)
    by_kind = {row.what: row for row in pack.rows}
    overdue = [r for r in pack.rows if r.kind == "action" and r.date == dt.date(2026, 10, 15)]
    assert overdue and overdue[0].action_status.startswith("Overdue since 01/11/2026")
    assert all(row.unchanged for row in pack.rows if row.kind != "action")
    received = next(r for r in pack.rows if "received copy" in r.what)
    assert "Morgan Testwell" in received.signed_by
    assert any("NOT a true reflection" in what for what in by_kind)
    assert pack.left_out and "1 draft is not included" in pack.left_out[0]

    path = export_evidence_pack(carer_vault, tmp_path / "pack.pdf").path
    index = _text(path, 1)
    found = [dt.date(int(y), int(m), int(d)) for d, m, y in DATE.findall(index)]
    item_dates = [d for d in found if d.year == 2026 and d != dt.date.today()]
    assert dt.date(2026, 10, 15) in item_dates and dt.date(2026, 11, 20) in item_dates
    assert index.index("15/10/2026") < index.index("20/11/2026")
    assert "✓ unchanged" in index and PASSPORT[:20] in " ".join(index.split())


def test_pack_is_signed_and_each_original_is_attached_byte_for_byte(
    carer_vault: Vault, held: dict[str, object], tmp_path: Path
) -> None:
    result = export_evidence_pack(carer_vault, tmp_path / "pack.pdf")
    assert (result.records, result.flagged) == (3, 0)
    check = subprocess.run(["pdfsig", str(result.path)], capture_output=True,
                           text=True).stdout
    assert "Signature is Valid" in check and "Total document signed" in check
    assert verify_pdf(result.path.read_bytes()).signatures[0].signer_name == CARER
    listing = subprocess.run(["pdfdetach", "-list", str(result.path)], capture_output=True,
                             text=True, check=True).stdout
    assert f"{result.attachments} embedded files" in listing and result.attachments >= 2
    out = tmp_path / "detached"
    out.mkdir()
    subprocess.run(["pdfdetach", "-saveall", "-o", str(out), str(result.path)], check=True)
    sent = held["sent"]
    assert isinstance(sent, Path)
    digests = {hashlib.sha256(f.read_bytes()).hexdigest(): f for f in out.iterdir()}
    original = hashlib.sha256(sent.read_bytes()).hexdigest()
    assert original in digests  # the very file the SSW sent
    assert all(verify_pdf(f.read_bytes()).ok for f in out.iterdir())
    text = _text(result.path)
    assert "Own notes of the October visit" in text  # each record's content follows
    assert "holiday was refused" in text


def test_a_record_altered_in_the_vault_is_flagged(carer_vault: Vault,
                                                  held: dict[str, object]) -> None:
    with carer_vault.transaction() as session:
        session.execute(update(RecordVersion).where(RecordVersion.record_id == held["own"])
                        .values(content={"conflict": "rewritten later"}))
    pack = build_pack(carer_vault)
    own = next(r for r in pack.rows if "my own record" in r.what)
    assert own.unchanged is False and "changed after it was finalised" in own.check_detail


def test_dates_limit_the_pack_and_the_cli_writes_it(
    carer_vault: Vault, held: dict[str, object], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    pack = build_pack(carer_vault, date_from=dt.date(2026, 11, 1))
    assert all(row.date and row.date >= dt.date(2026, 11, 1) for row in pack.rows)
    assert not any("my own record" in row.what for row in pack.rows)
    folder = carer_vault.folder
    carer_vault.close()
    monkeypatch.setenv("SUPERVISION_PASSPHRASE", PASSPHRASE)
    out = tmp_path / "cli-pack.pdf"
    assert run(["--vault", str(folder), "evidence-pack", "--out", str(out),
                "--from", "2026-11-01", "--to", "2026-11-30"]) == 0
    assert "2 records" in capsys.readouterr().out
    assert "15/10/2026" not in _text(out, 1)
    assert run(["--vault", str(folder), "evidence-pack", "--out", str(out),
                "--from", "2026-12-01", "--to", "2026-11-01"]) == 1
    assert "after the --to date" in capsys.readouterr().err


def test_a_file_that_did_not_verify_is_listed_flagged_and_attached(
    carer_vault: Vault, held: dict[str, object], tmp_path: Path
) -> None:
    sent = held["sent"]
    assert isinstance(sent, Path)
    data = bytearray(sent.read_bytes())
    data[len(data) // 3] ^= 0x01  # one changed byte inside the signed content
    altered = tmp_path / "altered.pdf"
    altered.write_bytes(bytes(data))
    kept = import_signed_pdf(carer_vault, altered, keep_flagged=True)
    assert kept.outcome == "flagged"
    pack = build_pack(carer_vault)
    flagged = [row for row in pack.rows if row.unchanged is False]
    assert len(flagged) == 1 and "altered.pdf" in flagged[0].what
    assert any(a.file_name == "altered.pdf" for a in pack.attachments)
    result = export_evidence_pack(carer_vault, tmp_path / "pack.pdf")
    assert result.flagged == 1
    assert "Flagged" in _text(result.path, 1)
