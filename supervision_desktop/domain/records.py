"""Records as the domain sees them: status, canonical content and its hash.

The content hash is SHA-256 over canonical JSON (sorted keys, UTF-8, no spaces) of
everything that makes up a version: the template and version it was written on, the
subject, the session date and every field value. Equal content always hashes equal,
on any machine, so a PDF or a transferred copy can be matched to the vault.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class RecordStatus(StrEnum):
    DRAFT = "draft"
    FINALISED = "finalised"
    SIGNED = "signed"
    EXPORTED = "exported"
    UPLOADED = "uploaded"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class Origin(StrEnum):
    """Where a record came from (``Record.origin`` in the vault)."""

    OWN = "own"  # written in this vault
    RECEIVED = "received"  # taken from a signed PDF someone sent: read-only here
    TRANSFERRED = "transferred"  # came in a transfer bundle from another vault

    @property
    def label(self) -> str:
        return _ORIGIN_LABELS[self]


_ORIGIN_LABELS = {Origin.OWN: "My own record", Origin.RECEIVED: "Received (signed PDF)",
                  Origin.TRANSFERRED: "Transferred"}


@dataclass(frozen=True)
class RecordContent:
    template_id: str
    template_version: int
    subject_id: str | None
    session_date: str | None  # ISO date
    fields: dict[str, Any]

    def canonical_json(self) -> str:
        document = {
            "template": [self.template_id, self.template_version],
            "subject": self.subject_id,
            "date": self.session_date,
            "fields": self.fields,
        }
        return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def content_hash(self, previous_hash: str | None = None) -> str:
        """Hash of this content chained to the previous version's hash (if any)."""
        digest = hashlib.sha256()
        digest.update((previous_hash or "").encode("ascii"))
        digest.update(b"\n")
        digest.update(self.canonical_json().encode("utf-8"))
        return digest.hexdigest()
