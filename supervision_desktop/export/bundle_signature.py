"""A detached signature over a transfer bundle's content, with the signer's certificate.

Pure (no vault). ``sign`` signs ``SIGNED_PREFIX + content`` with a private key (EC P-256
or other curves: ECDSA with SHA-256; RSA: PSS with SHA-256; Ed25519/Ed448) and returns
the signature block carried in the bundle: the algorithm, the signature and the signer's
certificate and chain as PEM. ``check`` verifies the block against the content and returns
the certificates, or raises :class:`BadSignature`. The algorithm is taken from the
certificate's key, never from the block, so a block cannot ask for a weaker check.

Plain signatures with ``cryptography`` rather than CMS: the bundle is our own format,
read only by this application, and the certificate carried is all a receiver needs.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, padding, rsa

SIGNED_PREFIX = b"supervision-desktop-transfer 2\n"  # a signature for nothing else


class BadSignature(Exception):
    """The signature block is missing, malformed, or does not match the content."""


@dataclass(frozen=True)
class Signed:
    """Who signed: the certificate whose key made the signature, and its chain."""

    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...]


def _pss() -> padding.PSS:
    return padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.DIGEST_LENGTH)


def _algorithm(key: Any) -> str:
    if isinstance(key, ec.EllipticCurvePrivateKey | ec.EllipticCurvePublicKey):
        return "ecdsa-sha256"
    if isinstance(key, rsa.RSAPrivateKey | rsa.RSAPublicKey):
        return "rsa-pss-sha256"
    if isinstance(key, ed25519.Ed25519PrivateKey | ed25519.Ed25519PublicKey):
        return "ed25519"
    if isinstance(key, ed448.Ed448PrivateKey | ed448.Ed448PublicKey):
        return "ed448"
    raise BadSignature("a key of a kind that cannot sign")


def sign(content: bytes, key: Any, certificate: x509.Certificate,
         chain: Sequence[x509.Certificate] = ()) -> dict[str, Any]:
    """The signature block for ``content``, made with ``key`` (``certificate``'s key)."""
    message = SIGNED_PREFIX + content
    if isinstance(key, ec.EllipticCurvePrivateKey):
        value = key.sign(message, ec.ECDSA(hashes.SHA256()))
    elif isinstance(key, rsa.RSAPrivateKey):
        value = key.sign(message, _pss(), hashes.SHA256())
    elif isinstance(key, ed25519.Ed25519PrivateKey | ed448.Ed448PrivateKey):
        value = key.sign(message)
    else:
        raise BadSignature("a key of a kind that cannot sign")
    pem = serialization.Encoding.PEM
    return {
        "algorithm": _algorithm(key),
        "value": base64.b64encode(value).decode("ascii"),
        "certificate": certificate.public_bytes(pem).decode("ascii"),
        "chain": [c.public_bytes(pem).decode("ascii") for c in chain],
    }


def check(content: bytes, block: Any) -> Signed:
    """The signer of ``content`` if ``block`` is a valid signature over it."""
    if not isinstance(block, dict):
        raise BadSignature("no signature")
    try:
        certificate = x509.load_pem_x509_certificate(str(block["certificate"]).encode("ascii"))
        chain = tuple(x509.load_pem_x509_certificate(str(c).encode("ascii"))
                      for c in block.get("chain", []))
        value = base64.b64decode(str(block["value"]), validate=True)
    except (KeyError, TypeError, ValueError) as exc:
        raise BadSignature("a malformed signature") from exc
    public = certificate.public_key()
    message = SIGNED_PREFIX + content
    try:
        if block.get("algorithm") != _algorithm(public):
            raise BadSignature("a signature by another algorithm than its key's")
        if isinstance(public, ec.EllipticCurvePublicKey):
            public.verify(value, message, ec.ECDSA(hashes.SHA256()))
        elif isinstance(public, rsa.RSAPublicKey):
            public.verify(value, message, _pss(), hashes.SHA256())
        elif isinstance(public, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
            public.verify(value, message)
    except InvalidSignature as exc:
        raise BadSignature("the content is not what was signed") from exc
    return Signed(certificate, chain)
