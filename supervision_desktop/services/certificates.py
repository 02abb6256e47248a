"""The vault owner's signing identity: a certificate and its private key, kept in the vault.

Made at first need: an EC P-256 key and a self-signed X.509 certificate (CN = the
owner's name, O = Supervision Desktop, digital signature and non-repudiation, ten
years). Or an agency's PKCS#12 file, imported, which replaces it; the CA certificates
that come with it become the roots this vault trusts when verifying. Everything lives in
the ``settings`` table, so it is encrypted at rest with the rest of the vault.

The loaded pyHanko signer is cached per open vault (dropped with the vault object), so
repeated exports neither re-read nor re-parse the key.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID
from pydantic import Field, computed_field

from supervision_desktop.domain import safe_input
from supervision_desktop.domain.dates import UK_DATE_TIME, uk_date
from supervision_desktop.errors import InvalidInput
from supervision_desktop.services import agency_trust, audit
from supervision_desktop.store import settings
from supervision_desktop.store.vault import Vault

if TYPE_CHECKING:
    from pyhanko.sign.signers import Signer
    from sqlalchemy.orm import Session

SIGNING_KEY = "signing_key"  # PKCS#8 PEM, unencrypted: the vault itself is the protection
SIGNING_CERTIFICATE = "signing_certificate"  # PEM
SIGNING_CHAIN = "signing_chain"  # PEM certificates that came with an imported one
SIGNING_SOURCE = "signing_source"  # "generated", "imported" (PKCS#12) or "issued" (CSR)
PREVIOUS_CERTIFICATES = "previous_signing_certificates"  # SHA-256s, space-separated

ORGANISATION = "Supervision Desktop"
VALID_YEARS = 10


@dataclass(frozen=True)
class CertificateInfo:
    common_name: str
    organisation: str
    issuer: str
    serial: str
    fingerprint: Annotated[str, Field(serialization_alias="sha256")]  # SHA-256, hex
    not_before: dt.datetime
    not_after: dt.datetime
    source: str  # generated | imported | issued
    self_signed: bool

    @computed_field  # type: ignore[prop-decorator]
    @property
    def fingerprint_words(self) -> str:
        from supervision_desktop.services.known_signers import fingerprint_words

        return fingerprint_words(self.fingerprint)


@dataclass(frozen=True)
class _Stored:
    key_pem: bytes
    cert_pem: bytes
    chain_pem: bytes
    source: str


# --- certificates --------------------------------------------------------------------


def _name_attribute(name: x509.Name, oid: x509.ObjectIdentifier) -> str:
    values = name.get_attributes_for_oid(oid)
    return str(values[0].value) if values else ""


def describe(cert: x509.Certificate, source: str) -> CertificateInfo:
    return CertificateInfo(
        common_name=_name_attribute(cert.subject, NameOID.COMMON_NAME),
        organisation=_name_attribute(cert.subject, NameOID.ORGANIZATION_NAME),
        issuer=_name_attribute(cert.issuer, NameOID.COMMON_NAME)
        or _name_attribute(cert.issuer, NameOID.ORGANIZATION_NAME),
        serial=format(cert.serial_number, "x"),
        fingerprint=cert.fingerprint(hashes.SHA256()).hex(),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        source=source,
        self_signed=cert.issuer == cert.subject,
    )


def _certificate_name(owner_name: str) -> x509.Name:
    """Subject CN = the owner's name, if certificate tools accept it.

    X.509 names are compared after LDAP string preparation, which rejects a name that
    mixes right-to-left and left-to-right letters; such a name is written in plain
    Latin letters instead (or as "Supervision Desktop user" if none are left).
    """
    from asn1crypto import x509 as asn1_x509

    fallback = unicodedata.normalize("NFKD", owner_name).encode("ascii", "ignore").decode()
    for candidate in (owner_name, " ".join(fallback.split()), "Supervision Desktop user"):
        if not candidate:
            continue
        name = x509.Name([
            x509.NameAttribute(NameOID.COMMON_NAME, candidate[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANISATION),
        ])
        try:
            asn1_x509.Name.load(name.public_bytes()).hashable  # noqa: B018 - the check
        except ValueError:
            continue
        return name
    raise AssertionError("unreachable: the last candidate is plain ASCII")


def generate_certificate(owner_name: str) -> tuple[bytes, bytes]:
    """A new key and self-signed certificate for ``owner_name``: (key PEM, cert PEM)."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _certificate_name(owner_name)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))  # tolerate a clock a little behind
        .not_valid_after(now + dt.timedelta(days=365 * VALID_YEARS + VALID_YEARS // 4))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return key_pem, cert.public_bytes(serialization.Encoding.PEM)


def _read(vault: Vault) -> _Stored | None:
    with vault.transaction() as session:
        key = settings.read(session, SIGNING_KEY)
        cert = settings.read(session, SIGNING_CERTIFICATE)
        chain = settings.read(session, SIGNING_CHAIN)
        source = settings.read(session, SIGNING_SOURCE, "generated")
    if not key or not cert:
        return None
    return _Stored(key.encode("ascii"), cert.encode("ascii"), chain.encode("ascii"), source)


def _ensure(vault: Vault) -> _Stored:
    stored = _read(vault)
    if stored is not None:
        return stored
    with vault.transaction() as session:
        if not settings.read(session, SIGNING_KEY):  # nobody made one meanwhile
            owner = settings.read(session, settings.OWNER_NAME).strip()
            key_pem, cert_pem = generate_certificate(owner or "Supervision Desktop user")
            settings.write(session, SIGNING_KEY, key_pem.decode("ascii"))
            settings.write(session, SIGNING_CERTIFICATE, cert_pem.decode("ascii"))
            settings.write(session, SIGNING_CHAIN, "")
            settings.write(session, SIGNING_SOURCE, "generated")
    stored = _read(vault)
    assert stored is not None
    return stored


def certificate_info(vault: Vault) -> CertificateInfo:
    """The owner's signing certificate (made now if the vault has none yet)."""
    stored = _ensure(vault)
    return describe(x509.load_pem_x509_certificate(stored.cert_pem), stored.source)


def own_fingerprints_in(session: Session) -> set[str]:
    """SHA-256s of every certificate this vault has signed with (current and replaced)."""
    previous = settings.read(session, PREVIOUS_CERTIFICATES).split()
    cert = settings.read(session, SIGNING_CERTIFICATE)
    if not cert:
        return set(previous)
    current = x509.load_pem_x509_certificate(cert.encode("ascii")).fingerprint(hashes.SHA256())
    return {current.hex(), *previous}


def own_fingerprints(vault: Vault) -> set[str]:
    """SHA-256s of every certificate this vault has signed with (current and replaced)."""
    with vault.transaction() as session:
        return own_fingerprints_in(session)


def trusted_roots(vault: Vault | None, *, ca_dir: Path | None = None) -> list[bytes]:
    """Agency CA certificates (DER) trusted to confirm signers' identities: the machine-wide
    folder's and those imported into this vault (see ``services.agency_trust``)."""
    from supervision_desktop.services import agency_trust

    return agency_trust.trusted_roots(vault, ca_dir=ca_dir)


# --- the cached signer ---------------------------------------------------------------

_signers: weakref.WeakKeyDictionary[Vault, tuple[str, Signer]] = weakref.WeakKeyDictionary()


def owner_signer(vault: Vault) -> tuple[Signer, CertificateInfo]:
    """The pyHanko signer for the owner's certificate, loaded once per open vault."""
    from supervision_desktop.export.signing import make_signer

    stored = _ensure(vault)
    cert = x509.load_pem_x509_certificate(stored.cert_pem)
    info = describe(cert, stored.source)
    _check_current(cert)  # never sign what the verifier (and everyone else) would refuse
    cached = _signers.get(vault)
    if cached is not None and cached[0] == info.fingerprint:
        return cached[1], info
    key = serialization.load_pem_private_key(stored.key_pem, password=None)
    chain = (x509.load_pem_x509_certificates(stored.chain_pem) if stored.chain_pem else [])
    signer = make_signer(
        key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                          serialization.NoEncryption()),
        cert.public_bytes(serialization.Encoding.DER),
        [c.public_bytes(serialization.Encoding.DER) for c in chain],
    )
    _signers[vault] = (info.fingerprint, signer)
    return signer, info


def _not_current(cert: x509.Certificate) -> str:
    """Why ``cert`` cannot sign now ("expired on 01/02/2036"), or "": past its end, or not
    valid for more than a day yet (the verifier allows a day's clock skew)."""
    now = dt.datetime.now(dt.UTC)
    if cert.not_valid_after_utc < now:
        return f"expired on {uk_date(cert.not_valid_after_utc)}"
    if cert.not_valid_before_utc > now + dt.timedelta(days=1):
        return f"is not valid until {cert.not_valid_before_utc:{UK_DATE_TIME}} UTC"
    return ""


def _check_current(cert: x509.Certificate) -> None:
    """InvalidInput, before anything is signed, if the certificate cannot sign now."""
    problem = _not_current(cert)
    if problem.startswith("expired"):
        raise InvalidInput(
            f"Your signing certificate {problem}, so nothing was signed: a signature made "
            "with it would be reported as not valid. Import a current certificate "
            "(Vault → certificate, or 'certificate import').")
    if problem:
        raise InvalidInput(f"Your signing certificate {problem}, so nothing was signed. "
                           "Check this computer's date and time.")


def forget_signer(vault: Vault) -> None:
    """Drop the cached signer (its private key) for this vault, e.g. when it locks."""
    _signers.pop(vault, None)


# --- importing an agency certificate -------------------------------------------------


def _looks_like_pkcs12(data: bytes) -> bool:
    from asn1crypto import pkcs12

    try:
        pfx = pkcs12.Pfx.load(data, strict=True)
        return bool(pfx["version"].native == "v3" and pfx["auth_safe"]["content_type"].native)
    except (ValueError, TypeError, KeyError, OverflowError, RecursionError):
        return False


def _load_pkcs12(path: Path, password: str) -> tuple[Any, x509.Certificate, list[x509.Certificate]]:
    from cryptography.hazmat.primitives.serialization import pkcs12

    data = safe_input.read_bytes(path, max_bytes=1024 * 1024)  # a .p12 is a few KB
    if not _looks_like_pkcs12(data):
        raise InvalidInput(f"{path.name} is not a PKCS#12 certificate file (.p12 or .pfx).")
    secret = password.encode("utf-8") if password else None
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, secret)
    except ValueError:
        if secret is None:
            raise InvalidInput(f"{path.name} needs its password.") from None
        raise InvalidInput(f"The password for {path.name} is not right. Nothing was "
                           "changed.") from None
    if key is None or cert is None:
        raise InvalidInput(f"{path.name} holds no private key and certificate to sign with.")
    return key, cert, list(extra)


def _check_usable(key: Any, cert: x509.Certificate, name: str) -> None:
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
                      | ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey):
        raise InvalidInput(f"The key in {name} is of a kind that cannot sign PDFs.")
    raw = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*raw) != cert.public_key().public_bytes(*raw):
        raise InvalidInput(f"The private key in {name} does not belong to its certificate.")
    problem = _not_current(cert)
    if problem:
        raise InvalidInput(f"The certificate in {name} {problem}.")
    try:
        usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (usage.digital_signature or usage.content_commitment):
        raise InvalidInput(f"The certificate in {name} is not allowed to make signatures.")


def _is_ca(cert: x509.Certificate) -> bool:
    try:
        return cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    except x509.ExtensionNotFound:
        return cert.issuer == cert.subject


def import_pkcs12(vault: Vault, path: Path | str, password: str) -> CertificateInfo:
    """Sign from now on with an agency's PKCS#12 certificate; replaces the current one.

    The CA certificates in the file become this vault's trusted roots (replacing any
    from an earlier import), so PDFs signed by colleagues with certificates from the same
    agency verify as confirmed.
    """
    path = Path(path)
    key, cert, extra = _load_pkcs12(path, password)
    _check_usable(key, cert, path.name)
    pem = serialization.Encoding.PEM
    key_pem = key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    _store(vault, key_pem, cert, extra, "imported")
    agency_trust.add_to_vault(vault, [c for c in extra if _is_ca(c)],
                              how="came with the imported PKCS#12")
    return describe(cert, "imported")


def _store(vault: Vault, key_pem: bytes, cert: x509.Certificate,
           chain: list[x509.Certificate], source: str) -> None:
    """Sign from now on with ``cert``; the one it replaces stays listed as our own."""
    pem = serialization.Encoding.PEM
    chain_pem = b"".join(c.public_bytes(pem) for c in chain)
    replaced = own_fingerprints(vault)
    with vault.transaction() as session:
        settings.write(session, PREVIOUS_CERTIFICATES, " ".join(sorted(replaced)))
        settings.write(session, SIGNING_KEY, key_pem.decode("ascii"))
        settings.write(session, SIGNING_CERTIFICATE, cert.public_bytes(pem).decode("ascii"))
        settings.write(session, SIGNING_CHAIN, chain_pem.decode("ascii"))
        settings.write(session, SIGNING_SOURCE, source)
        audit.log_event(session, "signer_change",
                        detail=f"own signing certificate {describe(cert, source).fingerprint[:16]}"
                        f" now in use ({source})")
    forget_signer(vault)


# --- a certificate request for IT, and the certificate they issue -----------------------


def certificate_request(vault: Vault) -> bytes:
    """A PKCS#10 request (PEM) from this vault's own key, for the agency's IT to sign.

    The name is the owner's, as in the current certificate; the key never leaves the vault.
    """
    stored = _ensure(vault)
    key = serialization.load_pem_private_key(stored.key_pem, password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey):
        raise InvalidInput("This vault's key cannot make a certificate request.")
    subject = x509.load_pem_x509_certificate(stored.cert_pem).subject
    request = (
        x509.CertificateSigningRequestBuilder()
        .subject_name(subject)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return request.public_bytes(serialization.Encoding.PEM)


def import_signed(vault: Vault, path: Path | str) -> CertificateInfo:
    """Sign from now on with the certificate IT issued for this vault's request.

    The file (PEM, possibly with the issuing chain after it, or DER) must hold a
    certificate for this vault's own key. Its CA is not trusted by this: trust comes only
    from the machine-wide folder or ``certificate trust-ca``.
    """
    from supervision_desktop.services.agency_trust import read_certificates

    path = Path(path).expanduser()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InvalidInput(f"There is no file {path}.") from None
    except OSError as exc:
        raise InvalidInput(f"Cannot read {path}: {exc.strerror}.") from None
    certs = read_certificates(data)
    if not certs:
        raise InvalidInput(f"{path.name} is not a certificate file (PEM or DER).")
    stored = _ensure(vault)
    key = serialization.load_pem_private_key(stored.key_pem, password=None)
    raw = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ours = key.public_key().public_bytes(*raw)
    mine = [c for c in certs if c.public_key().public_bytes(*raw) == ours]
    if not mine:
        raise InvalidInput(f"The certificate in {path.name} is not for this vault's key: it "
                           "was issued for another request. Nothing was changed.")
    cert = mine[0]
    _check_usable(key, cert, path.name)
    _store(vault, stored.key_pem, cert, [c for c in certs if c is not cert], "issued")
    return describe(cert, "issued")
