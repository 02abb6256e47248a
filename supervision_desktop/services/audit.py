"""The audit log: every open, change, finalise, sign, export, import, transfer, backup and
disposal, with who, when and which record, never content.

Entries are chained: each entry's hash covers its own fields and the hash before it, so
an entry removed or altered anywhere in the log breaks the chain from there on
(`check_log`). Call `log_event` inside the transaction that does the work, so the
entry and the change commit together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from supervision_desktop.store.models import AuditEvent, Setting, utcnow
from supervision_desktop.store.settings import OWNER_NAME
from supervision_desktop.store.vault import Vault

GENESIS = "0" * 64

ACTIONS = (
    "unlock", "open", "create", "change", "finalise", "amend", "sign", "export",
    "countersign", "import", "mark_uploaded", "transfer_out", "transfer_in", "backup",
    "restore", "disposal", "person_change", "note_change",
)


def _entry_hash(previous_hash: str, at: dt.datetime, actor: str, action: str,
                record_id: str | None, person_id: str | None, detail: str) -> str:
    payload = json.dumps(
        [previous_hash, at.isoformat(), actor, action, record_id, person_id, detail],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def log_event(session: Session, action: str, *, record_id: str | None = None,
              person_id: str | None = None, detail: str = "") -> None:
    """Append one entry to the log in ``session``'s transaction.

    ``detail`` must not carry record content or names: say "version 2", "3 records",
    never what was written.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}")
    last = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(1)).first()
    previous_hash = last.hash if last else GENESIS
    owner = session.get(Setting, OWNER_NAME)
    actor = owner.value if owner else ""
    at = utcnow()
    session.add(AuditEvent(
        at=at, actor=actor, action=action, record_id=record_id, person_id=person_id,
        detail=detail, previous_hash=previous_hash,
        hash=_entry_hash(previous_hash, at, actor, action, record_id, person_id, detail),
    ))
    session.flush()


def log(vault: Vault, action: str, *, record_id: str | None = None,
        person_id: str | None = None, detail: str = "") -> None:
    """`log_event` in a transaction of its own (for events that change nothing else)."""
    with vault.transaction() as session:
        log_event(session, action, record_id=record_id, person_id=person_id, detail=detail)


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor: str
    action: str
    record_id: str | None
    person_id: str | None
    detail: str


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    entries: int
    first_bad_id: int | None = None  # the first entry whose hash or link does not hold

    @property
    def message(self) -> str:
        if self.ok:
            return f"The audit log is intact ({self.entries} entries)."
        return (f"The audit log has been altered: entry {self.first_bad_id} does not follow "
                "from the entry before it (an entry was removed or changed).")


def entries(vault: Vault, *, record_id: str | None = None, limit: int | None = None
            ) -> list[AuditEntry]:
    """Newest first."""
    with vault.transaction() as session:
        query = select(AuditEvent).order_by(AuditEvent.id.desc())
        if record_id is not None:
            query = query.where(AuditEvent.record_id == record_id)
        if limit is not None:
            query = query.limit(limit)
        return [AuditEntry(e.id, e.at, e.actor, e.action, e.record_id, e.person_id, e.detail)
                for e in session.scalars(query)]


def check_log(vault: Vault) -> ChainCheck:
    previous_hash = GENESIS
    count = 0
    with vault.transaction() as session:
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
            count += 1
            expected = _entry_hash(previous_hash, event.at, event.actor, event.action,
                                   event.record_id, event.person_id, event.detail)
            if event.previous_hash != previous_hash or event.hash != expected:
                return ChainCheck(False, count, event.id)
            previous_hash = event.hash
    return ChainCheck(True, count)
