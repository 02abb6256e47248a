"""What is due: who needs supervising, whose case needs discussing, what is unfinished.

The vault's policy profile (a vault setting, default ``lambeth``) decides the rules.
Lambeth is the default because its policy is the most complete of the four: a rule for
every staff group, for every kind of child plan (including matched, 16+ and care
leavers), for agreement reviews and for uploads, so a new vault shows every kind of
due date; ``policy set`` changes it.

Which records count as a session: records of the profile's ``staff_supervision.counts``
categories (``supervision``) about a supervisee, and of ``case_discussion.counts``
(``case_discussion``, ``oversight``; Lambeth and Kent add ``group_discussion``) about a
child, dated on or before the day of the report. Drafts count — the session happened;
they are listed separately as unfinished. People with an end date (their details'
``end_date`` or ``ended_on``) on or before the day are left out. See domain/schedule.py
for how a due date is worked out.
"""

from __future__ import annotations

import datetime as dt
import functools
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from supervision_desktop.domain import schedule
from supervision_desktop.domain.people import PLAN_LABELS, STAFF_GROUP_LABELS
from supervision_desktop.domain.policy import (
    Period,
    PolicyError,
    PolicyProfile,
    ProfileCatalogue,
    load_profile,
    load_profiles,
)
from supervision_desktop.domain.records import RecordStatus
from supervision_desktop.domain.schedule import DueStatus, RuleRef
from supervision_desktop.domain.templates import FieldKind, Template
from supervision_desktop.domain.working_days import add_working_days
from supervision_desktop.errors import InvalidInput, NotFound, TemplateProblem
from supervision_desktop.paths import policies_dir
from supervision_desktop.services.actions import ActionView, list_actions
from supervision_desktop.store import settings
from supervision_desktop.store.models import (
    Cancellation,
    Deviation,
    Person,
    Record,
    RecordVersion,
    TemplateSnapshot,
)
from supervision_desktop.store.vault import Vault

POLICY_PROFILE = "policy_profile"  # settings key: the chosen profile's id
POLICY_PROFILE_FILE = "policy_profile_definition"  # settings key: a profile set from a file
DEFAULT_PROFILE = "lambeth"


# --- profiles ------------------------------------------------------------------------


@functools.cache
def profiles(folder: Path | None = None) -> ProfileCatalogue:
    """The shipped profiles (parsed once per process)."""
    return load_profiles(folder or policies_dir())


def profile_ids() -> list[str]:
    return [profile.id for profile in profiles().profiles]


def get_profile(profile_id: str) -> PolicyProfile:
    try:
        return profiles().get(profile_id)
    except KeyError:
        known = ", ".join(p.id for p in profiles().profiles)
        raise NotFound(f"There is no policy profile '{profile_id}'. Profiles: {known}.") from None


def session_profile(session: Session) -> PolicyProfile:
    chosen = settings.read(session, POLICY_PROFILE, DEFAULT_PROFILE)
    definition = settings.read(session, POLICY_PROFILE_FILE)
    if definition:
        profile = PolicyProfile.from_snapshot(definition)
        if profile.id == chosen:
            return profile
    try:
        return profiles().get(chosen)
    except KeyError:
        raise TemplateProblem(
            f"This vault follows the policy profile '{chosen}', which is not installed. "
            "Choose another with 'policy set'."
        ) from None


def vault_profile(vault: Vault) -> PolicyProfile:
    """The profile this vault's due dates follow."""
    with vault.transaction() as session:
        return session_profile(session)


def set_profile(
    vault: Vault, profile_id: str | None = None, *, path: Path | None = None
) -> PolicyProfile:
    """Choose a shipped profile by id, or an agency's own profile file (kept in the vault)."""
    if path is not None:
        try:
            profile = load_profile(path)
        except PolicyError as exc:
            raise InvalidInput(str(exc)) from None
        definition = profile.snapshot()
    elif profile_id is not None:
        profile, definition = get_profile(profile_id), ""
    else:
        raise InvalidInput("Name a profile or a profile file.")
    with vault.transaction() as session:
        settings.write(session, POLICY_PROFILE, profile.id)
        settings.write(session, POLICY_PROFILE_FILE, definition)
    return profile


@dataclass(frozen=True)
class ProfileCheck:
    path: Path
    profile: PolicyProfile | None
    problems: tuple[str, ...]


def check_profile_files(paths: list[Path]) -> list[ProfileCheck]:
    results = []
    for path in paths:
        try:
            results.append(ProfileCheck(path, load_profile(path), ()))
        except PolicyError as exc:
            results.append(ProfileCheck(path, None, tuple(exc.problems)))
    return results


# --- deviations ----------------------------------------------------------------------


@dataclass(frozen=True)
class DeviationView:
    id: str
    person_id: str
    person_name: str
    deviation: schedule.Deviation
    ended_on: dt.date | None

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "person": {"id": self.person_id, "name": self.person_name},
                **self.deviation.as_dict(),
                "ended_on": self.ended_on.isoformat() if self.ended_on else None}


def _deviation(row: Deviation) -> schedule.Deviation:
    return schedule.Deviation(Period.model_validate(row.every), row.agreed_on, row.reason,
                              row.approved_by)


def add_deviation(
    vault: Vault,
    person_id: str,
    every: Period | str,
    *,
    reason: str,
    approved_by: str,
    agreed_on: dt.date,
) -> DeviationView:
    """Record an agreed permanent change to one person's frequency (Kent §6.1)."""
    try:
        period = Period.parse(every) if isinstance(every, str) else every
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    reason, approved_by = reason.strip(), approved_by.strip()
    if not reason:
        raise InvalidInput("Say why the frequency is changing (it is part of the agreement).")
    if not approved_by:
        raise InvalidInput("Say who approved the change (e.g. the Service Manager).")
    with vault.transaction() as session:
        person = session.get(Person, person_id)
        if person is None or person.kind not in ("supervisee", "child"):
            raise NotFound(f"There is no supervisee or child with id {person_id}.")
        row = Deviation(id=uuid.uuid4().hex, person_id=person_id,
                        every=period.model_dump(exclude_defaults=True), reason=reason,
                        approved_by=approved_by, agreed_on=agreed_on)
        session.add(row)
        return DeviationView(row.id, person_id, person.name, _deviation(row), None)


def end_deviation(vault: Vault, deviation_id: str, ended_on: dt.date) -> None:
    with vault.transaction() as session:
        row = session.get(Deviation, deviation_id)
        if row is None:
            raise NotFound(f"There is no deviation with id {deviation_id}.")
        row.ended_on = ended_on


def list_deviations(vault: Vault, person_id: str | None = None) -> list[DeviationView]:
    query = select(Deviation, Person.name).join(Person).order_by(Deviation.agreed_on)
    if person_id is not None:
        query = query.where(Deviation.person_id == person_id)
    with vault.transaction() as session:
        return [DeviationView(row.id, row.person_id, name, _deviation(row), row.ended_on)
                for row, name in session.execute(query)]


def _deviation_in_force(rows: list[Deviation], as_of: dt.date) -> schedule.Deviation | None:
    current = [r for r in rows
               if r.agreed_on <= as_of and (r.ended_on is None or r.ended_on > as_of)]
    return _deviation(max(current, key=lambda r: r.agreed_on)) if current else None


# --- the report ----------------------------------------------------------------------


@dataclass(frozen=True)
class DueEntry:
    """One person (or one supervisee's agreement) and when they are next due."""

    person_id: str
    name: str
    kind: str
    group: str  # staff group or child's plan
    group_label: str
    last_session: dt.date | None
    last_record_id: str | None
    next_due: dt.date | None
    status: DueStatus
    days_overdue: int
    rule: RuleRef | None
    deviation: schedule.Deviation | None = None
    rescheduled_for: dt.date | None = None
    notes: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {
            "person": {"id": self.person_id, "name": self.name, "kind": self.kind},
            "group": self.group,
            "group_label": self.group_label,
            "last_session": self.last_session.isoformat() if self.last_session else None,
            "last_record_id": self.last_record_id,
            "next_due": self.next_due.isoformat() if self.next_due else None,
            "status": self.status.value,
            "days_overdue": self.days_overdue,
            "rule": self.rule.as_dict() if self.rule else None,
            "deviation": self.deviation.as_dict() if self.deviation else None,
            "rescheduled_for": self.rescheduled_for.isoformat() if self.rescheduled_for else None,
            "notes": list(self.notes),
        }


@dataclass(frozen=True)
class RecordDue:
    """A record not yet finished: draft, not exported, or not uploaded."""

    record_id: str
    title: str
    subject_name: str
    session_date: dt.date | None
    status: RecordStatus
    upload_deadline: dt.date | None
    deadline_status: DueStatus
    days_overdue: int
    rule: RuleRef | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "record_id": self.record_id,
            "title": self.title,
            "subject": self.subject_name,
            "date": self.session_date.isoformat() if self.session_date else None,
            "record_status": self.status.value,
            "upload_deadline": self.upload_deadline.isoformat() if self.upload_deadline else None,
            "status": self.deadline_status.value,
            "days_overdue": self.days_overdue,
            "rule": self.rule.as_dict() if self.rule else None,
        }


@dataclass(frozen=True)
class ShortSession:
    record_id: str
    name: str
    session_date: dt.date
    minutes: int
    minimum: int
    rule: RuleRef

    def as_dict(self) -> dict[str, Any]:
        return {"record_id": self.record_id, "person": self.name,
                "date": self.session_date.isoformat(), "minutes": self.minutes,
                "minimum": self.minimum, "rule": self.rule.as_dict()}


@dataclass(frozen=True)
class DueReport:
    as_of: dt.date
    profile: PolicyProfile
    people: list[DueEntry]
    agreements: list[DueEntry]
    drafts: list[RecordDue]
    not_exported: list[RecordDue]
    not_uploaded: list[RecordDue]
    overdue_actions: list[ActionView]
    short_sessions: list[ShortSession] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "as_of": self.as_of.isoformat(),
            "profile": {"id": self.profile.id, "title": self.profile.title,
                        "due_soon_days": self.profile.due_soon_days},
            "people": [e.as_dict() for e in self.people],
            "agreement_reviews": [e.as_dict() for e in self.agreements],
            "drafts": [r.as_dict() for r in self.drafts],
            "not_exported": [r.as_dict() for r in self.not_exported],
            "not_uploaded": [r.as_dict() for r in self.not_uploaded],
            "overdue_actions": [
                {**a.as_dict(), "days_overdue": a.overdue_on(self.as_of)}
                for a in self.overdue_actions
            ],
            "short_sessions": [s.as_dict() for s in self.short_sessions],
        }


class _RecordRow(NamedTuple):  # a tuple: made ten thousand times per report
    id: str
    template: Template
    subject_id: str | None
    session_date: dt.date | None
    status: RecordStatus
    origin: str  # "received": someone else's signed record, nothing for this vault to do


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _load_records(session: Session) -> list[_RecordRow]:
    templates = {
        (s.template_id, s.version): Template.from_snapshot(s.definition)
        for s in session.scalars(select(TemplateSnapshot))
    }
    statuses = {status.value: status for status in RecordStatus}
    columns = select(Record.id, Record.template_id, Record.template_version, Record.subject_id,
                     Record.session_date, Record.status, Record.origin)  # plain columns
    return [
        _RecordRow(record_id, templates[(template_id, version)], subject_id, session_date,
                   statuses[status], origin)
        for record_id, template_id, version, subject_id, session_date, status, origin
        in session.execute(columns)
    ]


def _sort_key(entry: DueEntry) -> tuple[int, int, dt.date, str]:
    return (schedule.SEVERITY[entry.status], -entry.days_overdue,
            entry.next_due or dt.date.max, entry.name.lower())


class _Builder:
    """Works out one report from everything loaded in one transaction."""

    def __init__(self, session: Session, profile: PolicyProfile, as_of: dt.date):
        self.profile = profile
        self.as_of = as_of
        self.window = profile.due_soon_days
        self.people = list(session.scalars(select(Person).order_by(Person.name)))
        self.records = _load_records(session)
        self.by_subject: dict[str, list[_RecordRow]] = defaultdict(list)
        for row in self.records:
            if row.subject_id and row.session_date and row.session_date <= as_of:
                self.by_subject[row.subject_id].append(row)
        self.deviations: dict[str, list[Deviation]] = defaultdict(list)
        for deviation in session.scalars(select(Deviation)):
            self.deviations[deviation.person_id].append(deviation)
        self.cancellations: dict[str, list[Cancellation]] = defaultdict(list)
        for cancellation in session.scalars(select(Cancellation)):
            self.cancellations[cancellation.person_id].append(cancellation)

    def _active(self, person: Person) -> bool:
        """Not yet left: neither the end date in their details nor ``ended_on`` (set when
        the work ended: a worker left, an approval or a case closed) is on or before
        the day."""
        ends = (_date(person.details.get("end_date")), person.ended_on)
        return all(ended is None or ended > self.as_of for ended in ends)

    def _last(self, person: Person, categories: tuple[str, ...]) -> _RecordRow | None:
        held = [r for r in self.by_subject.get(person.id, []) if r.template.category in categories]
        return max(held, key=lambda r: r.session_date or dt.date.min, default=None)

    def _status(self, next_due: dt.date | None) -> tuple[DueStatus, int]:
        if next_due is None:
            return DueStatus.NO_RULE, 0
        return schedule.status_of(next_due, self.as_of, self.window)

    def _rescheduled(self, person: Person, last: dt.date | None) -> dt.date | None:
        moved = [c for c in self.cancellations.get(person.id, [])
                 if c.rescheduled_for and (last is None or c.planned_on >= last)]
        return max(moved, key=lambda c: c.recorded_at).rescheduled_for if moved else None

    # supervisees ------------------------------------------------------------------

    def supervisee(self, person: Person) -> DueEntry:
        group = str(person.details.get("staff_group") or "social_worker")
        start = _date(person.details.get("start_date"))
        added = person.created_at.date()
        last = self._last(person, self.profile.staff_supervision.counts)
        last_date = last.session_date if last else None
        deviation = _deviation_in_force(self.deviations.get(person.id, []), self.as_of)
        rule = self.profile.staff_rule(group)
        next_due: dt.date | None = None
        ref: RuleRef | None = None
        if rule is not None:
            next_due = schedule.next_supervision(rule, start=start, last_session=last_date,
                                                 added_on=added, as_of=self.as_of,
                                                 deviation=deviation)
            ref = schedule.staff_rule_ref(self.profile, group)
        elif deviation is not None:
            base = last_date or max(d for d in (start, added) if d is not None)
            next_due = deviation.every.after(base)
        if deviation is not None:
            ref = schedule.deviation_ref(self.profile, deviation)
        status, overdue = self._status(next_due)
        return DueEntry(
            person.id, person.name, person.kind, group, STAFF_GROUP_LABELS.get(group, group),
            last_date, last.id if last else None, next_due, status, overdue, ref, deviation,
            self._rescheduled(person, last_date), self._year_notes(person, start, added),
        )

    def _year_notes(self, person: Person, start: dt.date | None, added: dt.date) -> tuple[str, ...]:
        minimum = self.profile.sessions_per_year
        if minimum is None:
            return ()
        year_ago = self.as_of - dt.timedelta(days=365)
        if max(d for d in (start, added) if d is not None) > year_ago:
            return ()  # not a full year on record yet
        held = sum(1 for r in self.by_subject.get(person.id, [])
                   if r.template.category in self.profile.staff_supervision.counts
                   and r.session_date and r.session_date > year_ago)
        if held >= minimum.sessions:
            return ()
        note = (f"{held} session(s) in the last 12 months; the policy asks for at least "
                f"{minimum.sessions} a year ({minimum.ref})")
        return (note,)

    # children ---------------------------------------------------------------------

    def child(self, person: Person) -> DueEntry:
        plan = str(person.details.get("plan") or "none")
        age = schedule.age_on(_date(person.details.get("dob")), self.as_of)
        matched = bool(person.details.get("placement_matched", False))
        keys = schedule.case_keys(plan, age=age, matched=matched)
        binding = schedule.binding_case_rule(self.profile, keys)
        last = self._last(person, self.profile.case_discussion.counts)
        last_date = last.session_date if last else None
        deviation = _deviation_in_force(self.deviations.get(person.id, []), self.as_of)
        next_due: dt.date | None = None
        ref: RuleRef | None = None
        if binding is not None or deviation is not None:
            ref, period = binding if binding else (None, deviation.every)  # type: ignore[union-attr]
            next_due = schedule.next_case_discussion(
                period, last_discussion=last_date, added_on=person.created_at.date(),
                as_of=self.as_of, deviation=deviation,
            )
            if deviation is not None:
                ref = schedule.deviation_ref(self.profile, deviation)
        status, overdue = self._status(next_due)
        return DueEntry(person.id, person.name, person.kind, plan, PLAN_LABELS.get(plan, plan),
                        last_date, last.id if last else None, next_due, status, overdue, ref,
                        deviation)

    # agreements -------------------------------------------------------------------

    def agreement(self, person: Person) -> DueEntry | None:
        rule = self.profile.agreement
        if rule is None:
            return None
        start = _date(person.details.get("start_date"))
        last = self._last(person, ("agreement",))
        last_date = last.session_date if last else None
        if last_date is None:
            next_due: dt.date | None = max(d for d in (start, person.created_at.date()) if d)
            summary = "an agreement at the start of the supervisory relationship"
        elif rule.review_every is not None:
            next_due = rule.review_every.after(last_date)
            summary = f"agreement reviewed {rule.review_every.every()}"
        else:
            next_due, summary = None, "an agreement on file (no review interval)"
        status, overdue = self._status(next_due)
        if next_due is None:
            status = DueStatus.OK
        ref = RuleRef(self.profile.id, "agreement", rule.ref, summary)
        group = str(person.details.get("staff_group") or "social_worker")
        return DueEntry(person.id, person.name, person.kind, group,
                        STAFF_GROUP_LABELS.get(group, group), last_date,
                        last.id if last else None, next_due, status, overdue, ref)

    # records ----------------------------------------------------------------------

    def record_due(self, row: _RecordRow, names: dict[str, str]) -> RecordDue:
        rule = self.profile.upload
        deadline: dt.date | None = None
        ref: RuleRef | None = None
        applies = rule is not None and (
            not rule.categories or row.template.category in rule.categories)
        if rule is not None and applies and row.session_date is not None:
            deadline = add_working_days(row.session_date, rule.working_days)
            ref = RuleRef(self.profile.id, "upload", rule.ref,
                          f"uploaded within {rule.working_days} working days")
        status, overdue = self._status(deadline)
        return RecordDue(row.id, row.template.title, names.get(row.subject_id or "", ""),
                         row.session_date, row.status, deadline, status, overdue, ref)

    def short_sessions(self, session: Session, names: dict[str, str]) -> list[ShortSession]:
        rule = self.profile.session_length
        if rule is None:
            return []
        year_ago = self.as_of - dt.timedelta(days=365)
        found = []
        ref = RuleRef(self.profile.id, "session_length", rule.ref,
                      f"at least {rule.minutes} minutes")
        for row in self.records:
            if (row.template.category not in self.profile.staff_supervision.counts
                    or row.template.subject_kind != "supervisee"
                    or row.session_date is None or not year_ago < row.session_date <= self.as_of):
                continue
            duration = next(
                (f for f in row.template.fields() if f.kind is FieldKind.DURATION), None)
            if duration is None:
                continue
            content = session.scalar(
                select(RecordVersion.content).where(RecordVersion.record_id == row.id)
                .order_by(RecordVersion.number.desc()).limit(1)
            ) or {}
            minutes = content.get(duration.id)
            if isinstance(minutes, int) and 0 < minutes < rule.minutes:
                found.append(ShortSession(row.id, names.get(row.subject_id or "", ""),
                                          row.session_date, minutes, rule.minutes, ref))
        return sorted(found, key=lambda s: s.session_date, reverse=True)


def due_report(vault: Vault, as_of: dt.date | None = None) -> DueReport:
    """Everything due, overdue or unfinished on ``as_of`` (default: today)."""
    as_of = as_of or dt.date.today()
    with vault.transaction() as session:
        profile = session_profile(session)
        build = _Builder(session, profile, as_of)
        active = [p for p in build.people if build._active(p)]
        people = [build.supervisee(p) for p in active if p.kind == "supervisee"]
        people += [build.child(p) for p in active if p.kind == "child"]
        agreements = [a for p in active if p.kind == "supervisee"
                      if (a := build.agreement(p)) is not None]
        names = {p.id: p.name for p in build.people}
        unfinished = sorted(
            (r for r in build.records
             if r.status is not RecordStatus.UPLOADED and r.origin != "received"),
            key=lambda r: (r.session_date or dt.date.max, r.id),
        )
        drafts = [build.record_due(r, names) for r in unfinished
                  if r.status is RecordStatus.DRAFT]
        not_exported = [build.record_due(r, names) for r in unfinished
                        if r.status in (RecordStatus.FINALISED, RecordStatus.SIGNED)]
        not_uploaded = [build.record_due(r, names) for r in unfinished
                        if r.status is RecordStatus.EXPORTED]
        short = build.short_sessions(session, names)
    return DueReport(
        as_of=as_of,
        profile=profile,
        people=sorted(people, key=_sort_key),
        agreements=sorted(agreements, key=_sort_key),
        drafts=drafts,
        not_exported=not_exported,
        not_uploaded=not_uploaded,
        overdue_actions=list_actions(vault, overdue_on=as_of),
        short_sessions=short,
    )
