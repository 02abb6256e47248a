"""How much this vault trusts the sender of a transfer bundle: one decision, one place.

A bundle is signed with the sending manager's certificate (see ``services.transfer``);
the signature proves the file is the one that certificate signed, not who holds it,
because every self-made certificate can carry any name. So the receiver decides:

- ``TRUSTED``: the certificate chains to an agency CA this vault trusts (``certificates.
  trusted_roots``), so the agency vouches for the name.
- ``KNOWN``: this vault has accepted this very certificate before (pinned, trust on first
  use), or it is this vault's own certificate.
- ``NEW``: nobody by that name or from that sending vault was ever accepted here: the
  receiver compares the fingerprint with the sender (by phone, in person) and accepts it
  deliberately, once.
- ``MISMATCH``: this vault holds a different certificate for the same sending vault or the
  same name: an impostor, or the sender's new laptop. Accepted only deliberately.

For now the pins live in one vault setting (``TRANSFER_SENDERS``, JSON: sending vault id →
fingerprint and name; encrypted with the rest of the vault, no table or migration). When
``services.known_signers`` lands, :func:`sender_standing` and :func:`remember_sender`
are the only two functions to switch over to it: the ``Standing`` names are the same.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from enum import StrEnum
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization

from supervision_desktop.services.certificates import own_fingerprints, trusted_roots
from supervision_desktop.store import settings
from supervision_desktop.store.vault import Vault

TRANSFER_SENDERS = "transfer_senders"  # settings key: JSON {vault id: {fingerprint, name}}


class Standing(StrEnum):
    TRUSTED = "trusted"
    KNOWN = "known"
    NEW = "new"
    MISMATCH = "mismatch"

    @property
    def needs_acceptance(self) -> bool:
        """NEW and MISMATCH are imported only when the user deliberately accepts them."""
        return self in (Standing.NEW, Standing.MISMATCH)


def fingerprint(certificate: x509.Certificate) -> str:
    """SHA-256 of the certificate (DER), lower-case hex."""
    return certificate.fingerprint(hashes.SHA256()).hex()


def readable_fingerprint(hex_fingerprint: str) -> str:
    """``3F2A 9C01 …``: 16 groups of four, easy to read out and compare by phone."""
    text = hex_fingerprint.upper()
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def _pins(vault: Vault) -> dict[str, dict[str, str]]:
    with vault.transaction() as session:
        text = settings.read(session, TRANSFER_SENDERS)
    try:
        stored = json.loads(text) if text else {}
    except ValueError:
        return {}
    return {str(k): v for k, v in stored.items() if isinstance(v, dict)} \
        if isinstance(stored, dict) else {}


def _chains_to_trusted_root(vault: Vault, certificate: x509.Certificate,
                            chain: list[x509.Certificate]) -> bool:
    roots = trusted_roots(vault)
    if not roots:
        return False
    from asn1crypto import x509 as asn1_x509
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator.errors import PathBuildingError, PathValidationError

    der = serialization.Encoding.DER
    context = ValidationContext(
        trust_roots=[asn1_x509.Certificate.load(r) for r in roots],
        other_certs=[asn1_x509.Certificate.load(c.public_bytes(der)) for c in chain],
        allow_fetching=False, revocation_mode="soft-fail",
    )
    validator = CertificateValidator(asn1_x509.Certificate.load(certificate.public_bytes(der)),
                                     validation_context=context)
    try:
        asyncio.run(validator.async_validate_usage(  # type: ignore[no-untyped-call]
            {"digital_signature"}))
    except (PathBuildingError, PathValidationError, ValueError):
        return False
    return True


def sender_standing(vault: Vault, certificate: x509.Certificate,
                    chain: list[x509.Certificate], sender_vault_id: str,
                    claimed_name: str) -> Standing:
    """TRUSTED, KNOWN, NEW or MISMATCH for a bundle signed by ``certificate``.

    ``sender_vault_id`` and ``claimed_name`` come from inside the signed bundle (the
    sending vault's id, the certificate's name), so they cannot be swapped without the
    signature failing; a different certificate under either is a MISMATCH.
    """
    seen = fingerprint(certificate)
    if seen in own_fingerprints(vault):
        return Standing.KNOWN
    if _chains_to_trusted_root(vault, certificate, chain):
        return Standing.TRUSTED
    name = claimed_name.casefold().strip()
    same_person = [pin for vault_id, pin in _pins(vault).items()
                   if vault_id == sender_vault_id
                   or (name and str(pin.get("name", "")).casefold().strip() == name)]
    if any(pin.get("fingerprint") == seen for pin in same_person):
        return Standing.KNOWN
    return Standing.MISMATCH if same_person else Standing.NEW


def remember_sender(session: Any, certificate: x509.Certificate, sender_vault_id: str,
                    name: str, at: dt.datetime) -> None:
    """Pin ``certificate`` for the sending vault, in the import's own transaction."""
    text = settings.read(session, TRANSFER_SENDERS)
    try:
        pins = json.loads(text) if text else {}
    except ValueError:
        pins = {}
    if not isinstance(pins, dict):
        pins = {}
    pins[sender_vault_id] = {"fingerprint": fingerprint(certificate), "name": name,
                             "accepted_at": at.isoformat()}
    settings.write(session, TRANSFER_SENDERS, json.dumps(pins, sort_keys=True))
