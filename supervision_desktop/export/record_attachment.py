"""The record's data inside its signed PDF, for the vault that imports it; carer copies.

Pure: no vault. Before a record's PDF is signed, a JSON file is embedded in it
(``supervision-record.json``): the record id, version, content hash and the hash before
it, the template as written (its snapshot text), the values, who the record is about,
the session date, when it was finalised, and which staff-only sections a carer copy left
out. The first signature covers it, so an importer that reads it from the signed
revision gets exactly what the signer vouched for, and can check it by recomputing the
content hash (``domain.records``) and comparing it with what the signed revision claims.

A *carer copy* leaves out every section a template marks ``staff_only``: its values and
its place in the PDF. Its content hash is the same hash over the filtered values, and
chains to the carer copy of the version before, so a carer's vault can check its copies'
chain just as the sender's vault checks the full one.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from typing import Any

from supervision_desktop.domain import safe_input
from supervision_desktop.domain.dates import iso_date, moment
from supervision_desktop.domain.records import RecordContent
from supervision_desktop.domain.templates import Template
from supervision_desktop.errors import InvalidInput

ATTACHMENT_NAME = "supervision-record.json"
FORMAT = "supervision-desktop/record"
FORMAT_VERSION = 1


class AttachmentProblem(InvalidInput):
    """The embedded record data is missing pieces or is not what this app writes."""


# --- the attachment ---------------------------------------------------------------------


@dataclass(frozen=True)
class Subject:
    id: str
    kind: str
    name: str


@dataclass(frozen=True)
class RecordAttachment:
    """What a signed record PDF says about its record, in machine-readable form."""

    record_id: str
    version: int
    content_hash: str
    previous_hash: str | None
    template_id: str
    template_version: int
    template_definition: str  # Template.snapshot() of the template the record was written on
    values: dict[str, Any] = field(hash=False)
    subject: Subject | None
    session_date: dt.date | None
    finalised_at: dt.datetime | None
    omitted_sections: tuple[str, ...] = ()  # staff-only sections left out (carer copy)

    @property
    def carer_copy(self) -> bool:
        return bool(self.omitted_sections)

    def template(self) -> Template:
        try:
            return Template.from_snapshot(self.template_definition)
        except ValueError:
            raise AttachmentProblem("The form inside the PDF cannot be read.") from None

    def recomputed_hash(self) -> str:
        """The content hash of these values, as ``domain.records`` computes it."""
        return RecordContent(
            template_id=self.template_id,
            template_version=self.template_version,
            subject_id=self.subject.id if self.subject else None,
            session_date=self.session_date.isoformat() if self.session_date else None,
            fields=self.values,
        ).content_hash(self.previous_hash)

    def to_json(self) -> bytes:
        document = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "record_id": self.record_id,
            "version": self.version,
            "content_hash": self.content_hash,
            "previous_hash": self.previous_hash,
            "template": {"id": self.template_id, "version": self.template_version,
                         "definition": self.template_definition},
            "values": self.values,
            "subject": (None if self.subject is None else
                        {"id": self.subject.id, "kind": self.subject.kind,
                         "name": self.subject.name}),
            "session_date": self.session_date.isoformat() if self.session_date else None,
            "finalised_at": self.finalised_at.isoformat() if self.finalised_at else None,
            "omitted_sections": list(self.omitted_sections),
        }
        return json.dumps(document, ensure_ascii=False, sort_keys=True).encode("utf-8")

    @classmethod
    def from_json(cls, data: bytes) -> RecordAttachment:
        try:
            document = safe_input.loads_json(data, "The record data inside the PDF")
            if document.get("format") != FORMAT:
                raise AttachmentProblem("The PDF holds data this app does not know.")
            if int(document["format_version"]) > FORMAT_VERSION:
                raise AttachmentProblem(
                    "The PDF was made by a newer version of Supervision Desktop; update this "
                    "one to import it.")
            subject = document.get("subject")
            template = document["template"]
            values = document["values"]
            if not isinstance(values, dict):
                raise TypeError("values")
            return cls(
                record_id=str(document["record_id"]),
                version=int(document["version"]),
                content_hash=str(document["content_hash"]),
                previous_hash=(str(document["previous_hash"])
                               if document.get("previous_hash") else None),
                template_id=str(template["id"]),
                template_version=int(template["version"]),
                template_definition=str(template["definition"]),
                values=values,
                subject=(Subject(str(subject["id"]), str(subject["kind"]), str(subject["name"]))
                         if subject else None),
                session_date=(iso_date(document["session_date"])
                              if document.get("session_date") else None),
                finalised_at=(moment(document["finalised_at"])
                              if document.get("finalised_at") else None),
                omitted_sections=tuple(str(s) for s in document.get("omitted_sections", ())),
            )
        except AttachmentProblem:
            raise
        except safe_input.InputProblem as exc:
            raise AttachmentProblem(str(exc)) from None
        except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
            raise AttachmentProblem("The record data inside the PDF is damaged.") from None


# --- into and out of the PDF ------------------------------------------------------------


def embed_attachment(pdf: bytes, attachment: RecordAttachment) -> bytes:
    """``pdf`` with the attachment added (an incremental update; sign afterwards)."""
    from pyhanko.pdf_utils import embed
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    stream = embed.EmbeddedFileObject.from_file_data(
        writer, attachment.to_json(), mime_type="application/json"
    )
    embed.embed_file(writer, embed.FileSpec(
        file_spec_string=ATTACHMENT_NAME, file_name=ATTACHMENT_NAME, embedded_data=stream,
        description="The record's data, for importing into Supervision Desktop",
    ))
    output = io.BytesIO()
    writer.write(output)
    return output.getvalue()


def _attachment_in(root: Any) -> bytes | None:
    try:
        names = root["/Names"]["/EmbeddedFiles"]["/Names"]
    except (KeyError, TypeError):
        return None
    for position in range(0, len(names) - 1, 2):
        if str(names[position]) != ATTACHMENT_NAME:
            continue
        spec = names[position + 1]
        spec = spec.get_object() if hasattr(spec, "get_object") else spec
        stream = spec["/EF"]["/F"]
        stream = stream.get_object() if hasattr(stream, "get_object") else stream
        return bytes(stream.data)
    return None


def extract_attachment(data: bytes) -> RecordAttachment | None:
    """The attachment as the first signature signed it; None if the PDF has none.

    Read from the revision the first signature covers, so nothing added after signing
    can stand in for it. Raises AttachmentProblem if it is there but unreadable.
    """
    from supervision_desktop.export.signing import open_pdf, pdf_damage

    reader = open_pdf(data)
    try:
        revisions = [e.signed_revision for e in reader.embedded_regular_signatures]
        if not revisions:
            return None
        raw = _attachment_in(reader.get_historical_root(min(revisions)))
    except pdf_damage():
        raise AttachmentProblem("The record data inside the PDF cannot be read.") from None
    return None if raw is None else RecordAttachment.from_json(raw)
