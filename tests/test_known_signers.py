"""Known signers: trust on first use, a different certificate under a known name, a
deliberate (audited) replacement, the owner's own certificates, readable fingerprints."""

from __future__ import annotations

import hashlib

import pytest
from cryptography import x509

from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import audit, certificates, known_signers, people
from supervision_desktop.services.known_signers import Standing
from supervision_desktop.store.vault import Vault
from tests.conftest import OWNER

WORKER = "Priya Oakenshaw"  # fictional


def _cert(name: str) -> bytes:
    return certificates.generate_certificate(name)[1]  # PEM


def test_fingerprint_words_are_twelve_groups_of_five_digits_from_the_sha256() -> None:
    cert = _cert(WORKER)
    sha = hashlib.sha256(x509.load_pem_x509_certificate(cert).public_bytes(
        certificates.serialization.Encoding.DER)).hexdigest()
    words = known_signers.fingerprint_words(cert)
    groups = words.split(" ")
    assert len(groups) == 12 and all(len(g) == 5 and g.isdigit() for g in groups)
    assert words == known_signers.fingerprint_words(sha)
    assert known_signers.fingerprint_words("00" * 32) == " ".join(["00000"] * 12)
    assert known_signers.fingerprint_words("00" * 31 + "2a") == " ".join(["00000"] * 11
                                                                         + ["00042"])
    assert known_signers.fingerprint_words(_cert(WORKER)) != words  # a new key: new words


def test_a_first_time_signer_is_new_then_known_once_pinned(vault: Vault) -> None:
    cert = _cert(WORKER)
    with vault.transaction() as session:
        first = known_signers.standing(session, cert)
        assert first.standing is Standing.NEW and not first.genuine
        assert first.name == WORKER and "Not known yet" in first.message
        pinned = known_signers.pin(session, cert)
        assert pinned.accepted_how == "first_use" and pinned.name == WORKER
        again = known_signers.standing(session, cert)
    assert again.standing is Standing.KNOWN and again.genuine and again.how == "first_use"
    (listed,) = known_signers.list_signers(vault)
    assert listed.fingerprint == first.fingerprint
    assert listed.words == known_signers.fingerprint_words(cert)
    assert [e.action for e in audit.entries(vault)].count("signer_change") == 1


def test_an_impostor_with_the_same_name_is_a_mismatch_and_cannot_be_pinned(
    vault: Vault
) -> None:
    real, impostor = _cert(WORKER), _cert("  priya  OAKENSHAW ")  # same name, folded
    with vault.transaction() as session:
        known_signers.pin(session, real)
        found = known_signers.standing(session, impostor)
        assert found.standing is Standing.MISMATCH and not found.genuine
        assert known_signers.MISMATCH_TEXT in found.message
        assert found.on_file == (known_signers.sha256_of(real),)
        with pytest.raises(InvalidInput, match="needs a reason"):
            known_signers.pin(session, impostor)
        with pytest.raises(InvalidInput, match="Say why"):
            known_signers.replace(session, impostor, reason="   ")
    assert len(known_signers.list_signers(vault)) == 1


def test_a_new_certificate_is_accepted_only_on_purpose_and_audited(vault: Vault) -> None:
    old, new = _cert(WORKER), _cert(WORKER)
    with vault.transaction() as session:
        known_signers.pin(session, old)
        accepted = known_signers.replace(session, new, reason="New laptop; compared by phone")
        assert accepted.accepted_how == "replaced"
        assert accepted.reason == "New laptop; compared by phone"
        assert known_signers.standing(session, new).standing is Standing.KNOWN
        assert known_signers.standing(session, old).standing is Standing.KNOWN  # old files
    details = [e.detail for e in audit.entries(vault) if e.action == "signer_change"]
    fingerprint = known_signers.sha256_of(new)[:16]
    assert any(d == f"certificate {fingerprint} accepted: accepted as a replacement "
               "(reason given)" for d in details)
    assert all(WORKER not in d and "laptop" not in d for d in details)  # no names, no text
    assert audit.check_log(vault).ok


def test_the_owners_own_certificate_is_known_and_a_copy_of_their_name_is_not(
    vault: Vault
) -> None:
    own = certificates.certificate_info(vault).fingerprint
    signer, _info = certificates.owner_signer(vault)
    with vault.transaction() as session:
        mine = known_signers.standing(session, signer.signing_cert.dump())
        assert mine.standing is Standing.KNOWN and mine.how == "own"
        assert mine.fingerprint == own
        forged = known_signers.standing(session, _cert(OWNER))
        assert forged.standing is Standing.MISMATCH and forged.on_file == (own,)


def test_a_pin_is_bound_to_the_person_record_of_that_name(vault: Vault) -> None:
    person = people.add_person(vault, "supervisee", {"name": WORKER})
    cert = _cert(WORKER)
    with vault.transaction() as session:
        pinned = known_signers.pin(session, cert)
        assert pinned.person_id == person.id
        # the person's certificate, even when the file spells the name otherwise
        other = known_signers.standing(session, _cert("P. Oakenshaw"), person_id=person.id)
        assert other.standing is Standing.MISMATCH and other.person_id == person.id


def test_without_a_vault_nobody_is_known_and_an_agency_ca_is_trusted() -> None:
    cert = _cert(WORKER)
    assert known_signers.standing(None, cert).standing is Standing.NEW
    trusted = known_signers.standing(None, cert, issued_by_trusted_ca=True,
                                     issuer="Example Trust CA")
    assert trusted.standing is Standing.TRUSTED and trusted.genuine
    assert "issued by Example Trust CA" in trusted.message


def test_a_vault_at_schema_0003_is_upgraded_keeping_its_people(
    vault_folder, data_key: bytes  # type: ignore[no-untyped-def]
) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from supervision_desktop.store import vault as vaults
    from supervision_desktop.store.migrate import _config, head_revision

    with vaults.open_with_key(vault_folder, data_key) as opened:
        person = people.add_person(opened, "supervisee", {"name": WORKER})
        with opened.engine.connect() as connection:
            command.downgrade(_config(connection), "0003")
        assert "known_signers" not in inspect(opened.engine).get_table_names()
    with vaults.open_with_key(vault_folder, data_key) as reopened:
        assert reopened.schema_revision == head_revision()
        assert "known_signers" in inspect(reopened.engine).get_table_names()
        assert people.get_person(reopened, person.id).name == WORKER
        with reopened.transaction() as session:
            known_signers.pin(session, _cert(WORKER))
        assert len(known_signers.list_signers(reopened)) == 1
    # the copy taken before migrating is the whole 0003 vault (the WAL was checkpointed)
    from supervision_desktop.store.engine import make_engine

    before = make_engine(vault_folder / f"vault.db.before-{head_revision()}", data_key)
    with before.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version"
                                          ).scalar() == "0003"
        assert connection.exec_driver_sql("SELECT name FROM people WHERE id = ?",
                                          (person.id,)).scalar() == WORKER
    before.dispose()
