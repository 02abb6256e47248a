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
from typing import Annotated, Any, NamedTuple

from pydantic import Field, SerializerFunctionWrapHandler, computed_field, model_serializer
from sqlalchemy import String, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from supervision_desktop.domain import schedule
from supervision_desktop.domain.dates import iso_date
from supervision_desktop.domain.people import PLAN_LABELS, STAFF_GROUP_LABELS
from supervision_desktop.domain.policy import (
    Period,
    PolicyError,
    PolicyProfile,
    ProfileCatalogue,
    cite,
    load_profile,
    load_profiles,
)
from supervision_desktop.domain.records import Origin, RecordStatus
from supervision_desktop.domain.schedule import DueStatus, RuleRef
from supervision_desktop.domain.templates import FieldKind, Template
from supervision_desktop.domain.working_days import add_working_days
from supervision_desktop.errors import InvalidInput, NotFound, TemplateProblem
from supervision_desktop.paths import policies_dir
from supervision_desktop.services import agency
from supervision_desktop.services.actions import ActionView, overdue_actions
from supervision_desktop.services.people import PersonRef
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
    """The profile due dates follow: the agency pack's, unless it lets a vault choose;
    then the vault's choice (the pack's profile, or Lambeth's, until one is made)."""
    pack = agency.active()
    if pack is not None and not pack.pack.local_policy_choice:
        return pack.policy
    chosen = settings.read(session, POLICY_PROFILE)
    if not chosen:
        if pack is not None:
            return pack.policy
        chosen = DEFAULT_PROFILE
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
    """Choose a shipped profile by id, or an agency's own profile file (kept in the vault);
    refused where the agency pack sets the profile for everyone."""
    agency.refuse_local_choice("policy profile")
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
    """A deviation and whom it is for; as JSON, the deviation's keys beside the person."""

    id: str
    person_id: Annotated[str, Field(exclude=True)]  # JSON: under "person"
    person_name: Annotated[str, Field(exclude=True)]
    deviation: schedule.Deviation
    ended_on: dt.date | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def person(self) -> PersonRef:
        return PersonRef(self.person_id, self.person_name)

    @model_serializer(mode="wrap")
    def _deviation_beside(self, write: SerializerFunctionWrapHandler) -> dict[str, Any]:
        written: dict[str, Any] = write(self)
        deviation = written.pop("deviation")
        return {**written, **deviation}


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
class DuePerson:
    """Whom a due date is for, as JSON output names them."""

    id: str
    name: str
    kind: str


@dataclass(frozen=True)
class DueEntry:
    """One person (or one supervisee's agreement) and when they are next due."""

    person_id: Annotated[str, Field(exclude=True)]  # JSON: under "person"
    name: Annotated[str, Field(exclude=True)]
    kind: Annotated[str, Field(exclude=True)]
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

    @computed_field  # type: ignore[prop-decorator]
    @property
    def person(self) -> DuePerson:
        return DuePerson(self.person_id, self.name, self.kind)


@dataclass(frozen=True)
class RecordDue:
    """A record not yet finished: draft, not exported, or not uploaded."""

    record_id: str
    title: str
    subject_name: Annotated[str, Field(serialization_alias="subject")]
    session_date: Annotated[dt.date | None, Field(serialization_alias="date")]
    status: Annotated[RecordStatus, Field(serialization_alias="record_status")]
    upload_deadline: dt.date | None
    deadline_status: Annotated[DueStatus, Field(serialization_alias="status")]
    days_overdue: int
    rule: RuleRef | None


@dataclass(frozen=True)
class ShortSession:
    record_id: str
    name: Annotated[str, Field(serialization_alias="person")]
    session_date: Annotated[dt.date, Field(serialization_alias="date")]
    minutes: int
    minimum: int
    rule: RuleRef


@dataclass(frozen=True)
class ProfileRef:
    """The profile a report follows, as JSON output names it."""

    id: str
    title: str
    due_soon_days: int


@dataclass(frozen=True)
class DueReport:
    """What is due on a day; as JSON, each overdue action with its days overdue beside."""

    as_of: dt.date
    profile: Annotated[PolicyProfile, Field(exclude=True)]  # JSON: its id, title, window
    people: list[DueEntry]
    agreements: Annotated[list[DueEntry], Field(serialization_alias="agreement_reviews")]
    drafts: list[RecordDue]
    not_exported: list[RecordDue]
    not_uploaded: list[RecordDue]
    overdue_actions: list[ActionView]
    short_sessions: list[ShortSession] = field(default_factory=list)
    # each list's full length, when the lists above hold only the first rows
    totals: Annotated[dict[str, int], Field(exclude=True)] = field(default_factory=dict)

    def total(self, name: str) -> int:
        """How many ``name`` (drafts, not_exported, not_uploaded, overdue_actions) there
        are in all, however many the report holds."""
        return self.totals.get(name, len(getattr(self, name)))

    @computed_field(alias="profile")  # type: ignore[prop-decorator]
    @property
    def profile_ref(self) -> ProfileRef:
        return ProfileRef(self.profile.id, self.profile.title, self.profile.due_soon_days)

    @model_serializer(mode="wrap")
    def _days_overdue_beside(self, write: SerializerFunctionWrapHandler) -> dict[str, Any]:
        written: dict[str, Any] = write(self)
        for action, view in zip(written["overdue_actions"], self.overdue_actions, strict=True):
            action["days_overdue"] = view.overdue_on(self.as_of)
        return written


class _RecordRow(NamedTuple):  # an unfinished record
    id: str
    template: Template
    subject_id: str | None
    session_date: dt.date | None
    status: RecordStatus


class _Held(NamedTuple):
    """One subject's records of one template version up to the day, summed up in SQL."""

    template: Template
    id: str  # the latest one's
    session_date: dt.date  # the latest one's
    in_year: int  # how many are dated in the year before the day


UNFINISHED = (RecordStatus.DRAFT, RecordStatus.FINALISED, RecordStatus.SIGNED,
              RecordStatus.EXPORTED)


def _date(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return iso_date(str(value))
    except ValueError:
        return None


def _templates(session: Session) -> dict[tuple[str, int], Template]:
    return {(template_id, version): Template.from_snapshot(definition)
            for template_id, version, definition in session.execute(
                select(TemplateSnapshot.template_id, TemplateSnapshot.version,
                       TemplateSnapshot.definition))}


def _held(session: Session, templates: dict[tuple[str, int], Template], as_of: dt.date,
          year_ago: dt.date) -> dict[str, list[_Held]]:
    """Each subject's latest session held and count for the year, per template version:
    one grouped query rather than reading every record of every year (SQLite gives the
    bare ``id`` column from the row holding the ``max``). A session counts once its
    record has been finalised (an amendment in progress still counts: its first version
    was); an unfinished draft is not a session held."""
    in_year = func.sum(case((Record.session_date > year_ago, 1), else_=0))
    finalised_once = (
        select(RecordVersion.id)
        .where(RecordVersion.record_id == Record.id, RecordVersion.finalised_at.is_not(None))
        .exists()
    )
    query = (
        select(Record.subject_id, Record.template_id, Record.template_version, Record.id,
               func.max(Record.session_date, type_=String), in_year)  # ISO text, parsed below
        .where(Record.subject_id.is_not(None), Record.session_date <= as_of,
               or_(Record.status != RecordStatus.DRAFT.value, finalised_once))
        .group_by(Record.subject_id, Record.template_id, Record.template_version)
    )
    held: dict[str, list[_Held]] = defaultdict(list)
    parse = iso_date
    for subject_id, template_id, version, record_id, last, count in (
            session.connection().execute(query)):  # Core rows: no ORM work per row
        held[subject_id].append(_Held(templates[(template_id, version)], record_id,
                                      parse(last), int(count or 0)))
    return held


def _unfinished(session: Session, templates: dict[tuple[str, int], Template]) -> list[_RecordRow]:
    """Records not yet uploaded (received ones excepted: someone else's signed record,
    nothing for this vault to do), oldest first (undated last)."""
    statuses = {status.value: status for status in RecordStatus}
    query = (
        select(Record.id, Record.template_id, Record.template_version, Record.subject_id,
               Record.session_date, Record.status)
        .where(Record.status.in_([s.value for s in UNFINISHED]), Record.origin != Origin.RECEIVED)
        .order_by(Record.session_date.is_(None), Record.session_date, Record.id)
    )
    return [_RecordRow(record_id, templates[(template_id, version)], subject_id, session_date,
                       statuses[status])
            for record_id, template_id, version, subject_id, session_date, status
            in session.execute(query)]


def _sort_key(entry: DueEntry) -> tuple[int, int, dt.date, str]:
    return (schedule.SEVERITY[entry.status], -entry.days_overdue,
            entry.next_due or dt.date.max, entry.name.casefold())


class _Builder:
    """Works out one report from what one transaction reads."""

    def __init__(self, session: Session, profile: PolicyProfile, as_of: dt.date):
        self.profile = profile
        self.as_of = as_of
        self.year_ago = as_of - dt.timedelta(days=365)
        self.window = profile.due_soon_days
        self.people = list(session.scalars(select(Person).order_by(Person.name)))
        self.templates = _templates(session)
        self.held = _held(session, self.templates, as_of, self.year_ago)
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

    def _last(self, person: Person, categories: tuple[str, ...]) -> _Held | None:
        held = [h for h in self.held.get(person.id, ()) if h.template.category in categories]
        return max(held, key=lambda h: h.session_date, default=None)

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
        held = sum(h.in_year for h in self.held.get(person.id, ())
                   if h.template.category in self.profile.staff_supervision.counts)
        if held >= minimum.sessions:
            return ()
        note = (f"{held} session(s) in the last 12 months; the policy asks for at least "
                f"{minimum.sessions} a year ({cite(minimum.ref)})")
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
        # a draft has no upload deadline yet: only a finalised record can be uploaded
        finalised = row.status is not RecordStatus.DRAFT
        if rule is not None and applies and finalised and row.session_date is not None:
            deadline = add_working_days(row.session_date, rule.working_days)
            ref = RuleRef(self.profile.id, "upload", rule.ref,
                          f"uploaded within {rule.working_days} working days")
        status, overdue = self._status(deadline)
        return RecordDue(row.id, row.template.title, names.get(row.subject_id or "", ""),
                         row.session_date, row.status, deadline, status, overdue, ref)

    def short_sessions(self, session: Session, names: dict[str, str]) -> list[ShortSession]:
        """Supervision sessions of the last year shorter than the profile's minimum: the
        duration is read out of each record's latest version in SQL (not the whole text)."""
        rule = self.profile.session_length
        if rule is None:
            return []
        found = []
        ref = RuleRef(self.profile.id, "session_length", rule.ref,
                      f"at least {rule.minutes} minutes")
        latest = aliased(RecordVersion)
        for (template_id, version), template in self.templates.items():
            if (template.category not in self.profile.staff_supervision.counts
                    or template.subject_kind != "supervisee"):
                continue
            duration = next((f for f in template.fields() if f.kind is FieldKind.DURATION), None)
            if duration is None:
                continue
            path = '$."' + duration.id.replace('"', '\\"') + '"'
            query = (
                select(Record.id, Record.subject_id, Record.session_date,
                       func.json_extract(RecordVersion.content, path))
                .join(RecordVersion, RecordVersion.record_id == Record.id)
                .where(Record.template_id == template_id, Record.template_version == version,
                       Record.session_date > self.year_ago, Record.session_date <= self.as_of,
                       RecordVersion.number == select(func.max(latest.number))
                       .where(latest.record_id == Record.id).scalar_subquery())
            )
            for record_id, subject_id, session_date, minutes in session.execute(query):
                if (isinstance(minutes, int) and not isinstance(minutes, bool)
                        and 0 < minutes < rule.minutes):
                    found.append(ShortSession(record_id, names.get(subject_id or "", ""),
                                              session_date, minutes, rule.minutes, ref))
        return sorted(found, key=lambda s: s.session_date, reverse=True)


def due_report(vault: Vault, as_of: dt.date | None = None, *,
               limit: int | None = None) -> DueReport:
    """Everything due, overdue or unfinished on ``as_of`` (default: today).

    ``limit``: the record lists and the overdue actions hold only their first ``limit``
    rows (the most urgent: oldest first, longest overdue first); ``report.total(name)``
    still counts them all. The people and agreements are always complete.
    """
    as_of = as_of or dt.date.today()
    with vault.read() as session:
        profile = session_profile(session)
        build = _Builder(session, profile, as_of)
        active = [p for p in build.people if build._active(p)]
        people = [build.supervisee(p) for p in active if p.kind == "supervisee"]
        people += [build.child(p) for p in active if p.kind == "child"]
        agreements = [a for p in active if p.kind == "supervisee"
                      if (a := build.agreement(p)) is not None]
        names = {p.id: p.name for p in build.people}
        unfinished = _unfinished(session, build.templates)
        lists: dict[str, list[_RecordRow]] = {
            "drafts": [r for r in unfinished if r.status is RecordStatus.DRAFT],
            "not_exported": [r for r in unfinished
                             if r.status in (RecordStatus.FINALISED, RecordStatus.SIGNED)],
            "not_uploaded": [r for r in unfinished if r.status is RecordStatus.EXPORTED],
        }
        totals = {name: len(rows) for name, rows in lists.items()}
        due = {name: [build.record_due(r, names) for r in rows[:limit]]
               for name, rows in lists.items()}
        short = build.short_sessions(session, names)
        overdue, totals["overdue_actions"] = overdue_actions(session, as_of, limit)
    return DueReport(
        as_of=as_of,
        profile=profile,
        people=sorted(people, key=_sort_key),
        agreements=sorted(agreements, key=_sort_key),
        drafts=due["drafts"],
        not_exported=due["not_exported"],
        not_uploaded=due["not_uploaded"],
        overdue_actions=overdue,
        short_sessions=short,
        totals=totals,
    )
