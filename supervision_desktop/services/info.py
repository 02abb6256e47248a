"""What a vault holds, at a glance: owner, role, dates, schema and counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from pydantic import Field, computed_field, field_serializer
from sqlalchemy import func, select

from supervision_desktop.store import settings
from supervision_desktop.store.models import Person, Record
from supervision_desktop.store.vault import Vault


@dataclass(frozen=True)
class Counts:
    """How many people of each kind and records in each state a vault holds."""

    people: dict[str, int]
    records: dict[str, int]


@dataclass(frozen=True)
class VaultInfo:
    folder: str
    vault_id: str
    owner_name: Annotated[str, Field(serialization_alias="owner")]
    role: str
    created_at: Annotated[str, Field(serialization_alias="created")]
    schema_revision: Annotated[str, Field(serialization_alias="schema_version")]
    agency_pack: str  # the pack the vault was made with ("" for none; JSON: null)
    agency_recovery_key: str | None  # fingerprint of the agency key the data key is wrapped to
    people: Annotated[dict[str, int], Field(exclude=True)]  # JSON: under "counts"
    records: Annotated[dict[str, int], Field(exclude=True)]

    @field_serializer("agency_pack")
    def _none_for_no_pack(self, pack: str) -> str | None:
        return pack or None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def counts(self) -> Counts:
        return Counts(self.people, self.records)


def vault_info(vault: Vault) -> VaultInfo:
    with vault.transaction() as session:
        people = dict(
            session.execute(select(Person.kind, func.count()).group_by(Person.kind)).all()
        )
        records = dict(
            session.execute(select(Record.status, func.count()).group_by(Record.status)).all()
        )
        return VaultInfo(
            folder=str(vault.folder),
            vault_id=vault.vault_id,
            owner_name=settings.read(session, settings.OWNER_NAME),
            role=settings.read(session, settings.ROLE),
            created_at=settings.read(session, settings.CREATED_AT),
            schema_revision=vault.schema_revision,
            agency_pack=settings.read(session, settings.AGENCY_PACK),
            agency_recovery_key=vault.key_file.organisation_fingerprint,
            people={k: int(v) for k, v in people.items()},
            records={k: int(v) for k, v in records.items()},
        )
