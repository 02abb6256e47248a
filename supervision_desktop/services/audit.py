"""The audit log: every open, change, finalise, sign, export, import, transfer, backup and
disposal, with who, when and which record, never content.

Entries are chained: each entry's hash covers its own fields and the hash before it, so
an entry removed or altered anywhere in the log breaks the chain from there on
(`check_log`). Call `log_event` inside the transaction that does the work, so the
entry and the change commit together.

A plain chain cannot see its newest entries being cut off. So every entry also moves a
head marker in the vault's settings (how many entries, and the newest one's hash), and
`check_log` compares the log's end with it: deleting the last entries with a database
tool is caught unless the marker is rewritten to match as well. The marker lives in the
same encrypted file, so someone with the data key who rewrites both, or who puts back an
older copy of the whole vault file, is not caught by this check.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supervision_desktop.domain.dates import utc_now, utc_text
from supervision_desktop.store.models import AuditEvent, Setting
from supervision_desktop.store.private_files import open_private
from supervision_desktop.store.settings import OWNER_NAME
from supervision_desktop.store.vault import Vault

GENESIS = "0" * 64
HEAD = "audit_head"  # settings key: "<entries>:<newest entry's hash>"
CHANGE_COALESCE = dt.timedelta(minutes=10)  # autosaves: one "change" entry per 10 minutes

ACTIONS = (
    "unlock", "open", "create", "change", "finalise", "amend", "sign", "export",
    "countersign", "import", "mark_uploaded", "transfer_out", "transfer_in", "backup",
    "restore", "disposal", "person_change", "note_change", "signer_change", "trust_change",
    "key_change", "disclosure",
)


def _entry_hash(previous_hash: str, at: dt.datetime, actor: str, action: str,
                record_id: str | None, person_id: str | None, detail: str) -> str:
    if at.tzinfo is not None:  # written aware, read back naive: hash the same UTC time
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
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
    head = _read_head(session)
    count = head[0] if head else session.scalar(select(func.count(AuditEvent.id))) or 0
    actor = _actor(session)
    at = utc_now()
    entry_hash = _entry_hash(previous_hash, at, actor, action, record_id, person_id, detail)
    session.add(AuditEvent(
        at=at, actor=actor, action=action, record_id=record_id, person_id=person_id,
        detail=detail, previous_hash=previous_hash, hash=entry_hash,
    ))
    session.merge(Setting(key=HEAD, value=f"{count + 1}:{entry_hash}"))
    session.flush()


def _actor(session: Session) -> str:
    owner = session.get(Setting, OWNER_NAME)
    return owner.value if owner else ""


def _read_head(session: Session) -> tuple[int, str] | None:
    stored = session.get(Setting, HEAD)
    if stored is None:
        return None
    count, _, head_hash = stored.value.partition(":")
    try:
        return int(count), head_hash
    except ValueError:
        return -1, head_hash


def log_change(session: Session, record_id: str, *, detail: str = "") -> bool:
    """Log a draft's change, but at most once per record per actor per 10 minutes (so
    autosave does not flood the log). Returns whether an entry was written."""
    since = utc_now() - CHANGE_COALESCE
    recent = session.scalars(
        select(AuditEvent.id).where(
            AuditEvent.action == "change", AuditEvent.record_id == record_id,
            AuditEvent.actor == _actor(session), AuditEvent.at >= since,
        ).limit(1)
    ).first()
    if recent is not None:
        return False
    log_event(session, "change", record_id=record_id, detail=detail)
    return True


def log(vault: Vault, action: str, *, record_id: str | None = None,
        person_id: str | None = None, detail: str = "") -> None:
    """`log_event` in a transaction of its own (for events that change nothing else).
    Nothing is logged on a vault opened read-only: it cannot be written."""
    if vault.read_only:
        return
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
    problem: str = ""  # when the chain holds but its end does not match the head marker

    @property
    def message(self) -> str:
        if self.ok:
            return f"The audit log is intact ({self.entries} entries)."
        if self.problem:
            return f"The audit log has been altered: {self.problem}"
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
        head = _read_head(session)
    if head is None:
        if count:
            return ChainCheck(False, count, problem=(
                "its head marker is missing, so entries may have been removed from its end."))
        return ChainCheck(True, count)
    expected_count, head_hash = head
    if expected_count != count or head_hash != previous_hash:
        missing = expected_count - count
        if missing > 0:
            return ChainCheck(False, count, problem=(
                f"it should hold {expected_count} entries but holds {count}: the newest "
                f"{missing} {'entry was' if missing == 1 else 'entries were'} removed."))
        return ChainCheck(False, count, problem=(
            "its newest entry is not the one last written (entries were removed or "
            "replaced at its end)."))
    return ChainCheck(True, count)


CSV_COLUMNS = ("id", "at_utc", "actor", "action", "record_id", "person_id", "detail", "hash")


def export_csv(vault: Vault, path: Path, *, record_id: str | None = None) -> int:
    """Write the log (oldest first) as CSV, with each entry's hash; returns the count."""
    rows = list(reversed(entries(vault, record_id=record_id)))
    hashes: dict[int, str] = {}
    with vault.transaction() as session:
        for event_id, entry_hash in session.execute(select(AuditEvent.id, AuditEvent.hash)):
            hashes[event_id] = entry_hash
    with open_private(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(CSV_COLUMNS)
        for entry in rows:
            writer.writerow([entry.id, utc_text(entry.at), entry.actor, entry.action,
                             entry.record_id or "", entry.person_id or "", entry.detail,
                             hashes.get(entry.id, "")])
    return len(rows)
