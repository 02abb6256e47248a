"""The drafts still to finish: each unfinished record with what stops it being
finalised (its required fields left empty, in form order) and how old it is.

The GUI's drafts list and `record list --drafts` both read this. Records being amended
are drafts too (their new version is); records received from others are not this
vault's to finish and are left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, SerializerFunctionWrapHandler, computed_field, model_serializer
from sqlalchemy import func, select

from supervision_desktop.domain.records import Origin, RecordStatus
from supervision_desktop.domain.templates import Template, missing_required
from supervision_desktop.services.records import RecordSummary, list_records
from supervision_desktop.store.models import RecordVersion, TemplateSnapshot
from supervision_desktop.store.vault import Vault


@dataclass(frozen=True)
class Draft:
    """A draft; as JSON, its record summary's keys with these beside them."""

    record: RecordSummary
    # labels of the required fields left empty, in form order
    missing: Annotated[tuple[str, ...], Field(serialization_alias="missing_required")]
    started_on: dt.date  # when the draft (or the amendment) was begun
    age_days: int  # days since then, on the day asked about

    @computed_field  # type: ignore[prop-decorator]
    @property
    def can_finalise(self) -> bool:
        return not self.missing

    @model_serializer(mode="wrap")
    def _record_beside(self, write: SerializerFunctionWrapHandler) -> dict[str, Any]:
        written: dict[str, Any] = write(self)
        record = written.pop("record")
        return {**record, **written}


def list_drafts(vault: Vault, today: dt.date | None = None) -> list[Draft]:
    """Every draft of this vault's own, oldest begun first."""
    today = today or dt.date.today()
    summaries = [r for r in list_records(vault, status=RecordStatus.DRAFT)
                 if r.origin != Origin.RECEIVED]
    if not summaries:
        return []
    ids = [r.id for r in summaries]
    templates: dict[tuple[str, int], Template] = {}
    with vault.read() as session:
        newest = (select(RecordVersion.record_id, func.max(RecordVersion.number).label("n"))
                  .where(RecordVersion.record_id.in_(ids))
                  .group_by(RecordVersion.record_id).subquery())
        latest = {record_id: (content, created_at) for record_id, content, created_at in
                  session.execute(
                      select(RecordVersion.record_id, RecordVersion.content,
                             RecordVersion.created_at)
                      .join(newest, (newest.c.record_id == RecordVersion.record_id)
                            & (newest.c.n == RecordVersion.number)))}
        for summary in summaries:
            key = (summary.template_id, summary.template_version)
            if key not in templates:
                definition = session.get_one(TemplateSnapshot, key).definition
                templates[key] = Template.from_snapshot(definition)
    drafts = []
    for summary in summaries:
        content, created_at = latest[summary.id]
        template = templates[(summary.template_id, summary.template_version)]
        started = created_at.date()
        drafts.append(Draft(summary, tuple(f.label for f in missing_required(template, content)),
                            started, max((today - started).days, 0)))
    return sorted(drafts, key=lambda d: (d.started_on, d.record.id))
