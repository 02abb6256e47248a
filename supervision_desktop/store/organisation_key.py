"""The agency's recovery key pair: made by IT, the public half in the agency pack.

A vault made (or next opened) under a pack with ``recovery-public.pem`` also wraps its
data key to that key with RSA-OAEP (SHA-256), so the agency can reopen a vault whose
worker has lost both the passphrase and the printed recovery key. The private half is
encrypted under a passphrase and stays on IT's own machine; it is never read by the app
on a worker's laptop except by ``recover --agency-key``.

The fingerprint is the SHA-256 of the public key (DER SubjectPublicKeyInfo), shown in
groups of eight hex digits, so IT can tell which key a vault is wrapped to.
"""

from __future__ import annotations

import hashlib

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

from supervision_desktop.errors import InvalidInput

KEY_BITS = 3072  # NIST SP 800-57: 128-bit security, as long as the records are kept
PUBLIC_FILE = "recovery-public.pem"
PRIVATE_FILE = "recovery-private.pem"
MAX_PEM_BYTES = 64 * 1024


class AgencyKeyRefused(InvalidInput):
    """The agency's private key file cannot be used; the message says why."""


def _public_der(key: rsa.RSAPublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.DER,
                            serialization.PublicFormat.SubjectPublicKeyInfo)


def fingerprint_of(key: rsa.RSAPublicKey) -> str:
    digest = hashlib.sha256(_public_der(key)).hexdigest()
    return " ".join(digest[i : i + 8] for i in range(0, len(digest), 8))


def load_public(pem: bytes) -> rsa.RSAPublicKey:
    """A public key the agency pack check has already accepted (RSA, >= KEY_BITS)."""
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, rsa.RSAPublicKey) or key.key_size < KEY_BITS:
        raise ValueError(f"must be an RSA key of at least {KEY_BITS} bits")
    return key


def _oaep(label: bytes) -> padding.OAEP:
    return padding.OAEP(mgf=padding.MGF1(algorithm=hashes.SHA256()),
                        algorithm=hashes.SHA256(), label=label)


def wrap(key: rsa.RSAPublicKey, data_key: bytes, label: bytes) -> bytes:
    return key.encrypt(data_key, _oaep(label))


def unwrap(key: rsa.RSAPrivateKey, ciphertext: bytes, label: bytes) -> bytes:
    """ValueError if this key did not wrap it (or the label, that is the vault, differs)."""
    return key.decrypt(ciphertext, _oaep(label))


def generate(passphrase: str) -> tuple[bytes, bytes]:
    """A new key pair: (public PEM, private PEM encrypted under ``passphrase``)."""
    if len(passphrase) < 12:
        raise InvalidInput("The agency key's passphrase must be at least 12 characters: "
                           "it is all that protects every vault's key if the file is copied.")
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    private_pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(passphrase.encode("utf-8")))
    return public_pem, private_pem


def load_private(data: bytes, passphrase: str, name: str) -> rsa.RSAPrivateKey:
    """The agency's private key from ``data`` (the file ``name``); AgencyKeyRefused with
    one clear message for a wrong passphrase, a file that is not one, or a weak key."""
    if len(data) > MAX_PEM_BYTES or b"PRIVATE KEY-----" not in data:
        raise AgencyKeyRefused(f"{name} is not an agency recovery key ({PRIVATE_FILE}).")
    if b"ENCRYPTED PRIVATE KEY" not in data:
        raise AgencyKeyRefused(f"{name} is not encrypted under a passphrase, so it is not "
                               "used. Make a new pair with 'agency keygen'.")
    try:
        key = serialization.load_pem_private_key(data, passphrase.encode("utf-8"))
    except (ValueError, TypeError, UnsupportedAlgorithm):
        raise AgencyKeyRefused(f"The passphrase for {name} is wrong, or the file is "
                               "damaged. Nothing was changed.") from None
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < KEY_BITS:
        raise AgencyKeyRefused(f"{name} is not an RSA key of at least {KEY_BITS} bits.")
    return key
