"""What the PDF renderer is given and what it returns: plain values, no vault.

``RecordDocument`` carries everything printed on a record's PDF, so rendering can be
tested without a vault; ``services.rendering`` builds one from the vault.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from supervision_desktop.domain.templates import Template

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class VersionEntry:
    """One version of the record, as listed in the PDF's version history."""

    number: int
    created_at: dt.datetime  # naive values are taken as UTC
    finalised_at: dt.datetime | None
    reason: str  # why it was amended; empty for the first version
    content_hash: str | None  # None while the version is a draft


@dataclass(frozen=True)
class RecordDocument:
    """One record version, ready to print: the template it was written on and its values."""

    template: Template
    values: Mapping[str, Any] = field(hash=False)
    record_id: str
    version: int
    content_hash: str | None  # of this version; None for a draft (printed as a draft)
    subject_name: str
    session_date: dt.date | None
    owner: str  # the vault owner: the supervisor who writes the record
    versions: tuple[VersionEntry, ...] = ()
    marking: str = DEFAULT_MARKING  # protective marking, top and bottom of every page
    child_name: str | None = None  # per-child copy: "Copy for: NAME" on every page
    produced_at: dt.datetime = field(default_factory=_now)
    signature_slots: int = 2  # boxes reserved for visible digital signatures (0 to 2)
    carer_copy: bool = False  # staff-only sections left out (the template passed is filtered)
    logo: bytes | None = field(default=None, hash=False)  # the agency's PNG or JPEG
    # A split export's part (``domain.split``): what it is ("Staff file: personal
    # supervision") and the full record's content hash it is an extract of; the template
    # and values passed are the part's, and content_hash is the part's own.
    part: str = ""
    extract_of: str | None = None

    @property
    def is_final(self) -> bool:
        return self.content_hash is not None


@dataclass(frozen=True)
class SignatureBox:
    """Where a visible digital signature goes: PDF user space, origin bottom left.

    ``page_index`` counts from 0 and ``box`` is ``(x1, y1, x2, y2)`` in points, the
    form pyHanko's ``SigFieldSpec(on_page=..., box=...)`` takes.
    """

    page_index: int
    box: tuple[float, float, float, float]
    label: str


@dataclass(frozen=True)
class RenderedPdf:
    """The unsigned PDF and the reserved places for its signatures, in signing order."""

    data: bytes
    page_count: int
    signature_boxes: tuple[SignatureBox, ...] = ()
