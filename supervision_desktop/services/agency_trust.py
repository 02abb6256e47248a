"""Agency trust anchors: the CA certificates whose signing certificates count as trusted.

Anchors come from two places only:

- the **machine-wide folder** IT installs (``paths.machine_ca_dir()``: on Linux
  ``/etc/xdg/SupervisionDesktop/ca/``, on Windows ``%ProgramData%\\SupervisionDesktop\\ca\\``,
  on macOS ``/Library/Application Support/SupervisionDesktop/ca/``), writable only with
  administrator rights: every ``.pem``, ``.crt``, ``.cer`` or ``.der`` file in it, and in
  the ``ca/`` folder of an agency pack installed there (``paths.machine_agency_dir()``);
- an **explicit import into the vault** (``certificate trust-ca FILE``, or the CA
  certificates in an agency PKCS#12 the owner imports), written to the audit log.

A per-user folder or an environment variable never adds one: a program running as the
user could write those silently. Only certificates marked as CAs are taken.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID
from pydantic import Field, computed_field

from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import audit
from supervision_desktop.store import settings
from supervision_desktop.store.vault import Vault

TRUSTED_ROOTS = "trusted_roots"  # settings key: PEM of the CAs imported into this vault
SUFFIXES = (".pem", ".crt", ".cer", ".der")
MAX_FILE_BYTES = 1_000_000  # a CA file is a few kilobytes

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Anchor:
    name: str
    fingerprint: Annotated[str, Field(serialization_alias="sha256")]  # SHA-256, hex
    source: str  # "machine" (the folder IT installs) or "vault" (imported)
    der: Annotated[bytes, Field(exclude=True)]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def fingerprint_words(self) -> str:
        from supervision_desktop.services.known_signers import fingerprint_words

        return fingerprint_words(self.fingerprint)


def is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def _name(cert: x509.Certificate) -> str:
    for oid in (NameOID.COMMON_NAME, NameOID.ORGANIZATION_NAME):
        values = cert.subject.get_attributes_for_oid(oid)
        if values:
            return str(values[0].value)
    return cert.subject.rfc4514_string()


def read_certificates(data: bytes) -> list[x509.Certificate]:
    """Every certificate in a PEM bundle, or the one DER certificate; [] if none."""
    try:
        if b"-----BEGIN CERTIFICATE-----" in data:
            return list(x509.load_pem_x509_certificates(data))
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        return []


def _anchor(cert: x509.Certificate, source: str) -> Anchor:
    return Anchor(_name(cert), cert.fingerprint(hashes.SHA256()).hex(), source,
                  cert.public_bytes(serialization.Encoding.DER))


def machine_anchors(ca_dir: Path | None = None) -> list[Anchor]:
    """The CA certificates in the machine-wide folder, then those in the ``ca/`` folder of
    an agency pack IT installed machine-wide (``ca_dir``, for tests, stands for both). A
    file that is not a CA certificate is skipped (and logged, without its content)."""
    from supervision_desktop.paths import machine_ca_dir

    folder = machine_ca_dir() if ca_dir is None else ca_dir
    try:
        files = sorted(p for p in folder.iterdir()
                       if p.suffix.lower() in SUFFIXES and p.is_file())
    except OSError:
        files = []
    return _anchors_in([*files, *(_machine_pack_ca_files() if ca_dir is None else [])])


def _machine_pack_ca_files() -> list[Path]:
    """The pack's CA files, only when the pack came from the machine-wide folder: a pack
    from the user's folder or the environment could be written by any program the user
    runs. A broken pack adds none (every command says what is wrong with it anyway)."""
    from supervision_desktop.errors import UserError
    from supervision_desktop.services import agency

    try:
        pack = agency.active()
    except UserError:
        return []
    if pack is None or pack.source.where != "machine":
        return []
    return list(pack.ca_files)


def _anchors_in(files: list[Path]) -> list[Anchor]:
    found: list[Anchor] = []
    for path in files:
        try:
            if path.stat().st_size > MAX_FILE_BYTES:
                raise ValueError("too large")
            certs = read_certificates(path.read_bytes())
        except (OSError, ValueError):
            certs = []
        cas = [c for c in certs if is_ca(c)]
        if not cas:
            log.warning("Skipped %s in the agency CA folder: not a CA certificate", path.name)
        found.extend(_anchor(c, "machine") for c in cas)
    return found


def vault_anchors(vault: Vault) -> list[Anchor]:
    with vault.transaction() as session:
        text = settings.read(session, TRUSTED_ROOTS)
    return [_anchor(c, "vault") for c in read_certificates(text.encode("ascii"))]


def anchors(vault: Vault | None, *, ca_dir: Path | None = None) -> list[Anchor]:
    """Every trust anchor: the machine-wide folder's, then the vault's imported ones."""
    found = machine_anchors(ca_dir)
    if vault is not None:
        seen = {a.fingerprint for a in found}
        found += [a for a in vault_anchors(vault) if a.fingerprint not in seen]
    return found


def trusted_roots(vault: Vault | None, *, ca_dir: Path | None = None) -> list[bytes]:
    """The anchors as DER, for ``export.verification.verify_pdf(trust_roots=...)``."""
    return [a.der for a in anchors(vault, ca_dir=ca_dir)]


def add_to_vault(vault: Vault, certs: list[x509.Certificate], *, how: str) -> list[Anchor]:
    """Trust these CA certificates in this vault from now on (audited)."""
    pem = serialization.Encoding.PEM
    added = []
    with vault.transaction() as session:
        text = settings.read(session, TRUSTED_ROOTS)
        held = {c.fingerprint(hashes.SHA256()) for c in read_certificates(text.encode("ascii"))}
        for cert in certs:
            if cert.fingerprint(hashes.SHA256()) in held:
                continue
            text += cert.public_bytes(pem).decode("ascii")
            held.add(cert.fingerprint(hashes.SHA256()))
            anchor = _anchor(cert, "vault")
            added.append(anchor)
            audit.log_event(session, "trust_change",
                            detail=f"agency CA {anchor.fingerprint[:16]} trusted ({how})")
        settings.write(session, TRUSTED_ROOTS, text)
    return added


def import_ca(vault: Vault, path: Path | str) -> list[Anchor]:
    """``certificate trust-ca FILE``: trust the CA certificate(s) in a PEM or DER file."""
    path = Path(path).expanduser()
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InvalidInput(f"{path.name} is too large to be a CA certificate.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"There is no file {path}.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None
    certs = read_certificates(data)
    if not certs:
        raise InvalidInput(f"{path.name} is not a certificate file (PEM or DER).")
    cas = [c for c in certs if is_ca(c)]
    if not cas:
        raise InvalidInput(f"{path.name} holds no CA certificate (one allowed to issue "
                           "certificates). Ask IT for the agency's CA certificate.")
    return add_to_vault(vault, cas, how="imported by the owner")
