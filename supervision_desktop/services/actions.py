"""Tracked actions: taken from action tables when a record is finalised, carried into the
next record for the same person, and closed only by a decision recorded there.

The life of an action:

1. Record A is finalised: each row of its ``role: actions`` tables becomes an open
   tracked action (what, owner, due date, comments, and the row as written).
2. Record B is created for the same person from a template with a ``role:
   action_review`` table: every open action is pre-filled into that table and
   *carried* into B.
3. Before B is finalised, each carried action is marked done, carried forward or
   dropped (with a reason) by :func:`resolve_carried_action`; finalising refuses,
   listing them, until every one is. Done and dropped close the action; carried
   forward leaves it open for the record after B.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field, SerializerFunctionWrapHandler, computed_field, model_serializer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from supervision_desktop.domain import actions as domain
from supervision_desktop.domain.dates import uk_date, utc_now
from supervision_desktop.domain.records import RecordStatus
from supervision_desktop.domain.templates import Template
from supervision_desktop.errors import InvalidInput, NotFound
from supervision_desktop.services import audit, search
from supervision_desktop.services.people import PersonRef
from supervision_desktop.store.models import (
    ActionCarry,
    Person,
    Record,
    RecordVersion,
    TemplateSnapshot,
    TrackedAction,
)
from supervision_desktop.store.vault import Vault

OPEN, DONE, DROPPED = "open", "done", "dropped"


@dataclass(frozen=True)
class ActionSource:
    """The record an action was taken from, as JSON output names it."""

    record_id: str
    title: str
    date: dt.date | None


@dataclass(frozen=True)
class ActionView:
    id: str
    text: Annotated[str, Field(serialization_alias="action")]
    owner: str
    due_on: Annotated[dt.date | None, Field(serialization_alias="due")]
    status: str  # open, done, dropped
    comments: str
    subject_id: Annotated[str | None, Field(exclude=True)]  # JSON: under "subject"
    subject_name: Annotated[str, Field(exclude=True)]
    source_record_id: Annotated[str, Field(exclude=True)]  # JSON: under "source"
    source_title: Annotated[str, Field(exclude=True)]
    source_date: Annotated[dt.date | None, Field(exclude=True)]
    closed_on: dt.date | None
    closed_reason: str
    carried_into: str | None  # a record still being written that reviews this action

    def overdue_on(self, day: dt.date) -> int:
        """Days overdue on ``day`` (0 if not open, no due date, or not yet due)."""
        if self.status != OPEN or self.due_on is None or self.due_on >= day:
            return 0
        return (day - self.due_on).days

    @computed_field  # type: ignore[prop-decorator]
    @property
    def subject(self) -> PersonRef:
        return PersonRef(self.subject_id, self.subject_name)

    @computed_field  # type: ignore[prop-decorator]
    @property
    def source(self) -> ActionSource:
        return ActionSource(self.source_record_id, self.source_title, self.source_date)


@dataclass(frozen=True)
class CarriedAction:
    """An action carried into a record; as JSON, the action's keys with these beside."""

    action: ActionView
    outcome: str | None  # None until decided
    reason: str

    @model_serializer(mode="wrap")
    def _action_beside(self, write: SerializerFunctionWrapHandler) -> dict[str, Any]:
        written: dict[str, Any] = write(self)
        action = written.pop("action")
        return {**action, **written}


def _template(session: Session, record: Record) -> Template:
    snapshot = session.get_one(TemplateSnapshot, (record.template_id, record.template_version))
    return Template.from_snapshot(snapshot.definition)


def _pending_record(session: Session, action_id: str) -> str | None:
    return session.scalar(
        select(ActionCarry.record_id)
        .join(Record, Record.id == ActionCarry.record_id)
        .where(ActionCarry.action_id == action_id, Record.status == RecordStatus.DRAFT.value)
        .limit(1)
    )


def _view(session: Session, action: TrackedAction) -> ActionView:
    source = session.get_one(Record, action.source_record_id)
    title = session.get_one(TemplateSnapshot, (source.template_id, source.template_version)).title
    subject = session.get(Person, action.subject_id) if action.subject_id else None
    return ActionView(
        id=action.id, text=action.text, owner=action.owner, due_on=action.due_on,
        status=action.status, comments=action.comments, subject_id=action.subject_id,
        subject_name=subject.name if subject else "", source_record_id=source.id,
        source_title=title, source_date=source.session_date, closed_on=action.closed_on,
        closed_reason=action.closed_reason,
        carried_into=_pending_record(session, action.id) if action.status == OPEN else None,
    )


# --- hooks called inside the record services' transactions ---------------------------


def carry_into_new_record(session: Session, record: Record, template: Template) -> list[Any]:
    """Carry the subject's open actions into a new record; returns its review rows.

    Nothing is carried when the template has no review table or the record has no
    subject. The record must already be flushed (the carries refer to it).
    """
    field = domain.review_table(template)
    if field is None or record.subject_id is None:
        return []
    open_actions = session.scalars(
        select(TrackedAction)
        .join(Record, Record.id == TrackedAction.source_record_id)
        .where(TrackedAction.subject_id == record.subject_id, TrackedAction.status == OPEN,
               TrackedAction.source_record_id != record.id)
        .order_by(Record.session_date.nulls_first(), TrackedAction.field_id,
                  TrackedAction.row_number)
    ).all()
    rows = []
    for action in open_actions:
        session.add(ActionCarry(action_id=action.id, record_id=record.id, reason=""))
        rows.append(domain.review_row(field, action.text, action.owner, action.due_on))
    return rows


def unresolved(session: Session, record_id: str) -> list[TrackedAction]:
    """Open actions carried into this record with no decision recorded yet."""
    return list(
        session.scalars(
            select(TrackedAction)
            .join(ActionCarry, ActionCarry.action_id == TrackedAction.id)
            .where(ActionCarry.record_id == record_id, ActionCarry.outcome.is_(None),
                   TrackedAction.status == OPEN)
            .order_by(TrackedAction.created_at, TrackedAction.row_number)
        )
    )


def describe_unresolved(session: Session, record_id: str) -> str:
    """The sentence finalise shows while carried actions await a decision ('' if none)."""
    pending = unresolved(session, record_id)
    if not pending:
        return ""
    listed = "; ".join(
        f"{n}. “{a.text}”" + (f" ({a.owner})" if a.owner else "") + f" [id {a.id}]"
        for n, a in enumerate(pending, start=1)
    )
    return (
        f"Say what happened to {len(pending)} action(s) carried from the last record — "
        f"mark each done, carried forward or dropped with a reason: {listed}."
    )


def on_finalise(session: Session, record: Record, template: Template, draft: RecordVersion) -> None:
    """Apply the carried actions' outcomes, then track this record's own action rows."""
    closed_on = draft.session_date or dt.date.today()
    carries = session.scalars(select(ActionCarry).where(ActionCarry.record_id == record.id))
    for carry in carries:
        action = session.get_one(TrackedAction, carry.action_id)
        if carry.outcome in (DONE, DROPPED) and action.status == OPEN:
            action.status = carry.outcome
            action.closed_on = closed_on
            action.closed_reason = carry.reason
    _sync_actions(session, record, template, draft.content)


def _sync_actions(
    session: Session, record: Record, template: Template, content: dict[str, Any]
) -> None:
    """Make the record's tracked actions match its action rows (again, after an amendment).

    Rows are matched to existing actions by table and wording; an existing action that
    no longer appears is removed only if it is still open and was never carried on.
    """
    existing = {
        (a.field_id, a.text): a
        for a in session.scalars(
            select(TrackedAction).where(TrackedAction.source_record_id == record.id)
        )
    }
    for found in domain.extract_actions(template, content):
        action = existing.pop((found.field_id, found.text), None)
        if action is None:
            action = TrackedAction(id=uuid.uuid4().hex, source_record_id=record.id,
                                   field_id=found.field_id, text=found.text, status=OPEN,
                                   closed_reason="")
            session.add(action)
        action.subject_id = record.subject_id
        action.row_number = found.row_number
        action.owner = found.owner
        action.due_on = found.due
        action.comments = found.comments
        action.row = found.row
    for action in existing.values():
        carried = session.scalar(select(ActionCarry.id).where(ActionCarry.action_id == action.id))
        if action.status == OPEN and carried is None:
            session.delete(action)


# --- use cases -----------------------------------------------------------------------


def resolve_carried_action(
    vault: Vault, record_id: str, action_id: str, outcome: str, reason: str = ""
) -> None:
    """Record what the record under way decided about one carried action.

    ``outcome`` is done, carried_forward or dropped; dropping needs a reason. The
    decision is also written into the record's review table (status cell, and the
    comments cell if empty), so the finalised record itself shows it.
    """
    reason = reason.strip()
    if outcome not in domain.OUTCOMES:
        raise InvalidInput("An action is marked done, carried_forward or dropped.")
    if outcome == DROPPED and not reason:
        raise InvalidInput("Say why the action is being dropped.")
    with vault.transaction() as session:
        record = session.get(Record, record_id)
        if record is None:
            raise NotFound(f"There is no record with id {record_id}.")
        if record.status != RecordStatus.DRAFT.value:
            raise InvalidInput("This record is finalised; its review of actions is closed.")
        carry = session.scalar(
            select(ActionCarry).where(ActionCarry.record_id == record_id,
                                      ActionCarry.action_id == action_id)
        )
        if carry is None:
            raise NotFound(f"Action {action_id} was not carried into this record.")
        carry.outcome = outcome
        carry.reason = reason
        carry.resolved_at = utc_now()
        action = session.get_one(TrackedAction, action_id)
        _write_outcome(session, record, action.text, outcome, reason)


def _write_outcome(session: Session, record: Record, text: str, outcome: str,
                   reason: str) -> None:
    """Write a carried action's outcome into the draft's review table (status cell, and
    the comments cell if empty)."""
    template = _template(session, record)
    field = domain.review_table(template)
    draft = record.versions[-1]
    if field is not None:
        rows = domain.write_outcome(field, list(draft.content.get(field.id) or []),
                                    text, outcome, reason)
        if rows is not None:
            draft.content = {**draft.content, field.id: rows}
            draft.saved_at = record.updated_at = utc_now()
            search.index_record(session, record.id)


def close_action(
    vault: Vault, action_id: str, outcome: str, reason: str, closed_on: dt.date | None = None
) -> ActionView:
    """Close an open action directly: done or dropped, with a reason, on a day.

    For actions no later record reviews (case discussions, oversight, group
    discussions, a carer's received records …), and for any action settled between
    sessions. The day defaults to today; it may not be in the future nor before the
    record the action came from. If the action was carried into a record still being
    written, the same decision is recorded there too (its review table shows it), so
    the draft and this list agree and finalising the draft is not held up by it.
    Logged in the audit log (no wording, only the outcome).
    """
    reason = reason.strip()
    today = dt.date.today()
    closed_on = closed_on or today
    if outcome not in (DONE, DROPPED):
        raise InvalidInput("An action is closed as done or dropped.")
    if not reason:
        raise InvalidInput("Say how the action was done." if outcome == DONE
                           else "Say why the action is being dropped.")
    if closed_on > today:
        raise InvalidInput("An action cannot be closed on a day still to come.")
    with vault.transaction() as session:
        action = session.get(TrackedAction, action_id)
        if action is None:
            raise NotFound(f"There is no action with id {action_id}.")
        if action.status != OPEN:
            when = f" on {uk_date(action.closed_on)}" if action.closed_on else ""
            raise InvalidInput(f"This action is already {action.status}{when}.")
        source = session.get_one(Record, action.source_record_id)
        if source.session_date is not None and closed_on < source.session_date:
            raise InvalidInput(f"The action was agreed on {uk_date(source.session_date)}; "
                               "it cannot be closed before then.")
        action.status = outcome
        action.closed_on = closed_on
        action.closed_reason = reason
        carries = session.execute(
            select(ActionCarry, Record)
            .join(Record, Record.id == ActionCarry.record_id)
            .where(ActionCarry.action_id == action_id,
                   Record.status == RecordStatus.DRAFT.value)
        ).all()
        for carry, draft in carries:
            carry.outcome = outcome
            carry.reason = reason
            carry.resolved_at = utc_now()
            _write_outcome(session, draft, action.text, outcome, reason)
        audit.log_event(session, "change", record_id=action.source_record_id,
                        person_id=action.subject_id, detail=f"action closed: {outcome}")
        session.flush()
        return _view(session, action)


def carried_actions(vault: Vault, record_id: str) -> list[CarriedAction]:
    """The actions carried into a record, with any decision already made."""
    with vault.transaction() as session:
        if session.get(Record, record_id) is None:
            raise NotFound(f"There is no record with id {record_id}.")
        pairs = session.execute(
            select(ActionCarry, TrackedAction)
            .join(TrackedAction, TrackedAction.id == ActionCarry.action_id)
            .where(ActionCarry.record_id == record_id)
            .order_by(ActionCarry.id)
        ).all()
        return [CarriedAction(_view(session, a), c.outcome, c.reason) for c, a in pairs]


def list_actions(
    vault: Vault,
    *,
    status: str | None = OPEN,
    subject_id: str | None = None,
    overdue_on: dt.date | None = None,
) -> list[ActionView]:
    """Tracked actions (open ones by default), soonest due first."""
    query = select(TrackedAction).order_by(
        TrackedAction.due_on.nulls_last(), TrackedAction.created_at, TrackedAction.row_number
    )
    if status is not None:
        query = query.where(TrackedAction.status == status)
    if subject_id is not None:
        query = query.where(TrackedAction.subject_id == subject_id)
    if overdue_on is not None:
        query = query.where(TrackedAction.status == OPEN, TrackedAction.due_on < overdue_on)
    with vault.transaction() as session:
        return _views(session, query)


def overdue_actions(
    session: Session, day: dt.date, limit: int | None = None
) -> tuple[list[ActionView], int]:
    """Open actions due before ``day``, longest overdue first: the first ``limit`` of them
    (all if None) and how many there are in all.

    With a limit, one pass picks the ids and counts (reading only the sort columns),
    and only those rows are read in full: years of unclosed actions stay cheap.
    """
    a = TrackedAction
    order = (a.due_on.nulls_last(), a.created_at, a.row_number)
    due = (a.status == OPEN, a.due_on < day)
    if limit is None:
        views = _views(session, select(a).where(*due).order_by(*order))
        return views, len(views)
    picked = session.execute(
        select(a.id, func.count().over()).where(*due).order_by(*order).limit(limit)
    ).all()
    if not picked:
        return [], 0
    place = {action_id: n for n, (action_id, _total) in enumerate(picked)}
    views = _views(session, select(a).where(a.id.in_(place)))
    return sorted(views, key=lambda v: place[v.id]), int(picked[0][1])


def _views(session: Session, query: Any) -> list[ActionView]:
    """`_view` for every action the query selects, in two queries rather than four per
    action, reading plain columns (a long-lived vault holds thousands of open actions)."""
    a = TrackedAction
    joined = (
        query.with_only_columns(
            a.id, a.text, a.owner, a.due_on, a.status, a.comments, a.subject_id,
            a.source_record_id, a.closed_on, a.closed_reason,
            Record.session_date, TemplateSnapshot.title, Person.name,
        )
        .join(Record, Record.id == a.source_record_id)
        .join(TemplateSnapshot, (TemplateSnapshot.template_id == Record.template_id)
              & (TemplateSnapshot.version == Record.template_version))
        .outerjoin(Person, Person.id == a.subject_id)
    )
    pending: dict[str, str] = {}
    for action_id, record_id in session.execute(
        select(ActionCarry.action_id, ActionCarry.record_id)
        .join(Record, Record.id == ActionCarry.record_id)
        .where(Record.status == RecordStatus.DRAFT.value)
    ):
        pending.setdefault(action_id, record_id)
    return [
        ActionView(
            id=action_id, text=text, owner=owner, due_on=due_on, status=status,
            comments=comments, subject_id=subject_id, subject_name=name or "",
            source_record_id=source_id, source_title=title, source_date=source_date,
            closed_on=closed_on, closed_reason=closed_reason,
            carried_into=pending.get(action_id) if status == OPEN else None,
        )
        for (action_id, text, owner, due_on, status, comments, subject_id, source_id,
             closed_on, closed_reason, source_date, title, name) in session.execute(joined)
    ]
