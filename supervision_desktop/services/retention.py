"""Retention review and secure disposal, and the disposal report.

The rules in force are the shipped ``resources/retention/default.yaml`` or an agency's
own file kept inside the vault (`set_rules_file`). `review` lists every record whose
retention date has come. `dispose` destroys the records the user confirmed, in one
transaction: the record, every version, its tracked actions and carries, its search
index row and any signed PDFs of it; then the write-ahead log is checkpointed and
truncated and the database is VACUUMed, so with ``secure_delete`` (and FTS5's own
secure-delete) nothing of the record is left in the vault file. The VACUUM rewrites the
whole file (seconds on a large vault): ``progress(fraction, text)`` says how far it has
got, for the GUI, which runs it off its own thread. What remains is a
`Disposal` row (what, when, by whom, which rule; no content, no names) and an audit entry.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import Field
from sqlalchemy import delete, func, or_, select, text
from sqlalchemy.orm import Session

from supervision_desktop.domain.dates import local_time, uk_date
from supervision_desktop.domain.retention import (
    Assessment,
    PersonFacts,
    RecordFacts,
    RetentionError,
    RetentionRules,
    assess_record,
    load_rules,
)
from supervision_desktop.domain.templates import Template
from supervision_desktop.errors import InvalidInput, NotFound, VaultDamaged
from supervision_desktop.paths import resources_dir
from supervision_desktop.services import agency
from supervision_desktop.services.audit import log_event
from supervision_desktop.store import settings
from supervision_desktop.store.engine import is_plaintext
from supervision_desktop.store.models import (
    ActionCarry,
    Disposal,
    Person,
    Record,
    RecordVersion,
    SearchEntry,
    Setting,
    SignedDocument,
    TemplateSnapshot,
    TrackedAction,
)
from supervision_desktop.store.private_files import open_private
from supervision_desktop.store.vault import Vault, database_path

RULES_FILE = "retention_rules_definition"  # settings key: an agency's own rules (JSON)
CONFIRM_WORD = "DISPOSE"  # what the GUI asks to be typed before destroying anything


def rules_dir() -> Path:
    return resources_dir() / "retention"


@functools.cache
def shipped_rules() -> RetentionRules:
    return load_rules(rules_dir() / "default.yaml")


def session_rules(session: Session) -> RetentionRules:
    """The rules in force: the agency pack's, unless it lets a vault choose; then the
    vault's own rules file, else the pack's or the shipped ones."""
    pack = agency.active()
    if pack is not None and not pack.pack.local_policy_choice:
        return pack.retention
    stored = settings.read(session, RULES_FILE)
    if stored:
        return RetentionRules.from_snapshot(stored)
    return pack.retention if pack is not None else shipped_rules()


def vault_rules(vault: Vault) -> RetentionRules:
    with vault.read() as session:
        return session_rules(session)


def uses_own_rules(vault: Vault) -> bool:
    with vault.read() as session:
        return bool(settings.read(session, RULES_FILE))


def check_rules_file(path: Path) -> RetentionRules:
    try:
        return load_rules(path)
    except RetentionError as exc:
        raise InvalidInput(f"The retention rules are not valid: {exc}") from None


def set_rules_file(vault: Vault, path: Path) -> RetentionRules:
    """Keep a copy of an agency's rules in the vault; they apply from now on (refused where
    the agency pack sets the rules for everyone)."""
    agency.refuse_local_choice("retention rules")
    rules = check_rules_file(path)
    with vault.transaction() as session:
        settings.write(session, RULES_FILE, rules.snapshot())
    return rules


def reset_rules(vault: Vault) -> None:
    with vault.transaction() as session:
        session.execute(delete(Setting).where(Setting.key == RULES_FILE))


# --- review --------------------------------------------------------------------------


@dataclass(frozen=True)
class DueRecord:
    record_id: str
    template_id: Annotated[str, Field(serialization_alias="template")]
    template_title: Annotated[str, Field(serialization_alias="title")]
    subject_id: str | None
    subject_name: Annotated[str, Field(serialization_alias="subject")]
    subject_kind: str
    session_date: Annotated[dt.date | None, Field(serialization_alias="date")]
    status: str
    rule_id: Annotated[str, Field(serialization_alias="rule")]
    rule_title: str
    rule_ref: Annotated[str, Field(serialization_alias="ref")]
    due_on: dt.date
    why: str


def _templates(session: Session) -> dict[tuple[str, int], Template]:
    return {(s.template_id, s.version): Template.from_snapshot(s.definition)
            for s in session.scalars(select(TemplateSnapshot))}


def _facts(session: Session) -> tuple[dict[str, PersonFacts], dict[str, Person]]:
    people = {p.id: p for p in session.scalars(select(Person))}
    return {p.id: PersonFacts(p.id, p.kind, p.ended_on) for p in people.values()}, people


def _assess(session: Session, rules: RetentionRules, record: Record,
            templates: dict[tuple[str, int], Template],
            facts: dict[str, PersonFacts]) -> tuple[Template, Assessment]:
    template = templates[(record.template_id, record.template_version)]
    assessed = assess_record(rules, RecordFacts(
        record.id, template.category, template.subject_kind, record.subject_id,
        record.session_date), facts)
    return template, assessed


def review(vault: Vault, today: dt.date | None = None) -> list[DueRecord]:
    """Every record whose retention date is today or earlier, the longest overdue first."""
    today = today or dt.date.today()
    with vault.read() as session:
        rules = session_rules(session)
        templates = _templates(session)
        facts, people = _facts(session)
        due = []
        for record in session.scalars(select(Record)):
            template, assessed = _assess(session, rules, record, templates, facts)
            if not assessed.is_due(today) or assessed.rule is None or assessed.due_on is None:
                continue
            person = people.get(record.subject_id or "")
            due.append(DueRecord(
                record.id, record.template_id, template.title, record.subject_id,
                person.name if person else "", person.kind if person else "",
                record.session_date, record.status, assessed.rule.id, assessed.rule.title,
                assessed.rule.ref, assessed.due_on, assessed.why))
    return sorted(due, key=lambda d: (d.due_on, d.subject_name, d.session_date or dt.date.min))


def record_retention(vault: Vault, record_id: str) -> Assessment:
    """Which rule applies to one record and when (if ever) it falls due."""
    with vault.read() as session:
        record = session.get(Record, record_id)
        if record is None:
            raise NotFound(f"There is no record with id {record_id}.")
        facts, _ = _facts(session)
        return _assess(session, session_rules(session), record, _templates(session), facts)[1]


# --- disposal ------------------------------------------------------------------------


@dataclass(frozen=True)
class DisposalView:
    id: int
    record_id: str
    template_id: Annotated[str, Field(serialization_alias="template")]
    subject_id: str | None
    subject_kind: str
    session_date: dt.date | None
    versions: int
    rule_id: Annotated[str, Field(serialization_alias="rule")]
    rule_text: str
    due_since: dt.date | None
    disposed_at: dt.datetime
    disposed_by: str


def _view(row: Disposal) -> DisposalView:
    return DisposalView(row.id, row.record_id, row.template_id, row.subject_id,
                        row.subject_kind, row.session_date, row.versions, row.rule_id,
                        row.rule_text, row.due_since, row.disposed_at, row.disposed_by)


@dataclass(frozen=True)
class DisposalOutcome:
    disposed: tuple[DisposalView, ...]
    # people whose records were all disposed: offer to remove them too (id, name, kind)
    people_without_records: tuple[tuple[str, str, str], ...]


Report = Callable[[float, str], None]  # progress: fraction done (0–1), what is being done


def _quiet(_fraction: float, _text: str) -> None:
    """No one is watching the progress (the command line)."""


def dispose(vault: Vault, record_ids: list[str], *, confirmed: bool,
            today: dt.date | None = None, progress: Report = _quiet) -> DisposalOutcome:
    """Destroy records that are due, after the user's explicit confirmation."""
    if not confirmed:
        raise InvalidInput("Disposal destroys records for good: confirm it to go ahead. "
                           "Nothing was destroyed.")
    record_ids = list(dict.fromkeys(record_ids))
    if not record_ids:
        raise InvalidInput("Choose at least one record to dispose of.")
    today = today or dt.date.today()
    disposed: list[DisposalView] = []
    subjects: set[str] = set()
    with vault.transaction() as session:
        rules = session_rules(session)
        templates = _templates(session)
        facts, people = _facts(session)
        by_whom = settings.read(session, settings.OWNER_NAME)
        for number, record_id in enumerate(record_ids):
            progress(0.4 * number / len(record_ids),
                     f"Destroying record {number + 1} of {len(record_ids)}…")
            record = session.get(Record, record_id)
            if record is None:
                raise NotFound(f"There is no record with id {record_id}. Nothing was destroyed.")
            _, assessed = _assess(session, rules, record, templates, facts)
            if not assessed.is_due(today) or assessed.rule is None:
                raise InvalidInput(f"Record {record_id} is not due for disposal "
                                   f"({assessed.why}). Nothing was destroyed.")
            person = people.get(record.subject_id or "")
            versions = len(record.versions)
            _destroy(session, record)
            row = Disposal(
                record_id=record_id, template_id=record.template_id,
                subject_id=record.subject_id, subject_kind=person.kind if person else "",
                session_date=record.session_date, versions=versions,
                rule_id=assessed.rule.id,
                rule_text=f"{assessed.rule.describe()} [{assessed.rule.ref}]",
                due_since=assessed.due_on, disposed_by=by_whom,
            )
            session.add(row)
            session.flush()
            log_event(session, "disposal", record_id=record_id, person_id=record.subject_id,
                      detail=f"rule {assessed.rule.id}; {versions} version"
                      + ("s" if versions != 1 else ""))
            disposed.append(_view(row))
            if record.subject_id:
                subjects.add(record.subject_id)
        session.execute(text(
            "INSERT INTO record_search(record_search) VALUES ('optimize')"))
        left = []
        for subject_id in sorted(subjects):
            held = session.scalar(select(func.count(Record.id))
                                  .where(Record.subject_id == subject_id))
            if not held and subject_id in people:
                left.append((subject_id, people[subject_id].name, people[subject_id].kind))
    scrub(vault, progress)
    return DisposalOutcome(tuple(disposed), tuple(left))


def _destroy(session: Session, record: Record) -> None:
    record_id = record.id
    session.execute(delete(SignedDocument).where(or_(
        SignedDocument.record_id == record_id, SignedDocument.claimed_record_id == record_id)))
    # the search index row goes with its entry (a trigger; FTS5 secure-delete is on)
    session.execute(delete(SearchEntry).where(SearchEntry.record_id == record_id))
    session.execute(delete(ActionCarry).where(ActionCarry.record_id == record_id))
    own_actions = select(TrackedAction.id).where(TrackedAction.source_record_id == record_id)
    session.execute(delete(ActionCarry).where(ActionCarry.action_id.in_(own_actions)))
    session.execute(delete(TrackedAction).where(TrackedAction.source_record_id == record_id))
    session.execute(delete(RecordVersion).where(RecordVersion.record_id == record_id))
    session.expunge(record)
    session.execute(delete(Record).where(Record.id == record_id))


def scrub(vault: Vault, progress: Report = _quiet) -> None:
    """Checkpoint and truncate the write-ahead log, VACUUM, truncate again; then check
    the file is still encrypted and readable with the key."""
    raw = vault.engine.raw_connection()
    try:
        cursor = raw.cursor()
        progress(0.4, "Emptying the vault's journal…")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        progress(0.45, "Rewriting the vault file so nothing of the records is left in it "
                       "(this can take a minute on a large vault)…")
        cursor.execute("VACUUM")
        progress(0.8, "Emptying the vault's journal…")
        busy = cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        progress(0.85, "Checking every page of the vault file…")
        problems = [row[0] for row in cursor.execute("PRAGMA cipher_integrity_check")]
        progress(1.0, "Done.")
        cursor.close()
    finally:
        raw.close()
    if busy:
        raise VaultDamaged("The records were destroyed, but the vault's journal could not be "
                           "emptied while another window reads it. Close other windows and "
                           "run the disposal again; nothing further will be destroyed.")
    if problems or is_plaintext(database_path(vault.folder)):
        raise VaultDamaged("After disposal the vault file failed its check: "
                           + (problems[0] if problems else "it is not encrypted")
                           + ". Restore your most recent backup.")


def disposals(vault: Vault) -> list[DisposalView]:
    """The disposal report, newest first."""
    with vault.read() as session:
        return [_view(row) for row in
                session.scalars(select(Disposal).order_by(Disposal.id.desc()))]


# --- the report as files -------------------------------------------------------------

REPORT_COLUMNS = ("Disposed at (UTC)", "Disposed by", "Record", "Template", "Person id",
                  "Kind", "Session date", "Versions", "Rule", "Due since", "Rule text")


def _uk(day: dt.date | None) -> str:
    return uk_date(day)


def report_rows(vault: Vault) -> list[list[str]]:
    return [[local_time(d.disposed_at), d.disposed_by, d.record_id,
             d.template_id, d.subject_id or "", d.subject_kind, _uk(d.session_date),
             str(d.versions), d.rule_id, _uk(d.due_since), d.rule_text]
            for d in disposals(vault)]


def write_report_csv(vault: Vault, path: Path) -> int:
    rows = report_rows(vault)
    with open_private(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(REPORT_COLUMNS)
        writer.writerows(rows)
    return len(rows)


def write_report_pdf(vault: Vault, path: Path) -> int:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from supervision_desktop.paths import fonts_dir

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(fonts_dir() / "DejaVuSans.ttf")))
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=7.5, leading=9.5)
    title = ParagraphStyle("title", fontName="DejaVuSans", fontSize=14, leading=18)
    rows = report_rows(vault)
    cells = [[Paragraph(_escape(c), body) for c in REPORT_COLUMNS]]
    cells += [[Paragraph(_escape(c), body) for c in row] for row in rows]
    widths = [26, 24, 30, 30, 30, 15, 18, 12, 24, 18, 50]
    table = Table(cells, colWidths=[w * mm for w in widths], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8e8e8")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    doc = SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=10 * mm,
                            rightMargin=10 * mm, topMargin=12 * mm, bottomMargin=12 * mm,
                            title="Disposal report", author="Supervision Desktop")
    intro = (f"Records destroyed under the retention rules: {len(rows)}. "
             f"Printed {uk_date(dt.date.today())}. The report holds no record "
             "content and no names of the people the records were about.")
    doc.build([Paragraph("Disposal report", title), Paragraph(_escape(intro), body),
               Spacer(1, 4 * mm), table])
    return len(rows)


def _escape(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
