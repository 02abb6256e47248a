"""What a vault holds, at a glance: owner, role, dates, schema and counts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from supervision_desktop.store import settings
from supervision_desktop.store.models import Person, Record
from supervision_desktop.store.vault import Vault


@dataclass(frozen=True)
class VaultInfo:
    folder: str
    vault_id: str
    owner_name: str
    role: str
    created_at: str
    schema_revision: str
    agency_pack: str  # the pack the vault was made with ("" for none)
    agency_recovery_key: str | None  # fingerprint of the agency key the data key is wrapped to
    people: dict[str, int]
    records: dict[str, int]

    def as_dict(self) -> dict[str, Any]:
        return {
            "folder": self.folder,
            "vault_id": self.vault_id,
            "owner": self.owner_name,
            "role": self.role,
            "created": self.created_at,
            "schema_version": self.schema_revision,
            "agency_pack": self.agency_pack or None,
            "agency_recovery_key": self.agency_recovery_key,
            "counts": {"people": self.people, "records": self.records},
        }


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
