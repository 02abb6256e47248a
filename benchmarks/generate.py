"""A realistic vault of years of a team's work, built through the app's own services.

``python -m benchmarks.generate --years 10`` builds (or reuses) the cached vault and
prints what is in it. The team: 8 supervisees (monthly supervision; newly qualified
workers at the policy profile's NQSW frequency; people leave and are replaced by new
NQSWs), a caseload of 40 children (case discussions at their plan's frequency from the
profile, monthly management oversight, a monthly group discussion; cases
close and new children arrive), 3 foster carer households (monthly supervision), a
supervision agreement reviewed yearly, a front sheet per worker, cancellations with
rescheduled sessions. Every record has actions; the next record about the same person
carries them and says what happened to them (done, carried forward, dropped), so the
tracked actions, carries, hashes, chains and search index are exactly what the
services write. Older records are finalised, exported and uploaded; the last weeks
hold drafts and records not yet exported or uploaded.

Everything is fictional and seeded: the same years give the same vault (ids and
timestamps apart). The services run inside one long transaction committed every 40
records (`_Batch`), which only saves commits, and the search index is built once at the
end rather than at every write; what they leave in the vault is unchanged. Two
things are set directly, as a user of years past would have produced them: people's
``created_at`` (added when they started, not today) and, for records, the status
"exported" (what the export service does to the record, and its audit entry, without
writing and keeping the PDFs: exporting 10,000 records is not what is measured).

The vault is cached under ``benchmarks/.cache/g<VERSION>-<years>y/`` (git-ignored).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import random
import shutil
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchmarks.text import person_name, phrase, prose
from supervision_desktop.domain import actions as action_domain
from supervision_desktop.domain import schedule
from supervision_desktop.domain.dates import utc_now
from supervision_desktop.domain.policy import Period
from supervision_desktop.domain.records import RecordStatus
from supervision_desktop.domain.templates import ColumnKind, FieldKind, Template
from supervision_desktop.services import (
    actions,
    audit,
    cancellations,
    certificates,
    compliance,
    lifecycle,
    people,
    records,
    search,
    vault_access,
)
from supervision_desktop.services.templates import catalogue
from supervision_desktop.store.models import Person, Record
from supervision_desktop.store.vault import Vault

GENERATOR_VERSION = 1
END = dt.date(2026, 11, 20)  # the last day of generated work (fixed: the cache is stable)
PASSPHRASE = "fictional benchmark vault orange kettle lantern"
OWNER = "Morgan Treharne"
CACHE = Path(__file__).resolve().parent / ".cache"
BATCH = 40  # records per commit while generating

Log = Callable[[str], None]


@dataclass
class Generated:
    folder: Path  # the vault folder
    years: int
    records: int
    people: int
    seconds: float  # how long generating took (when it was generated)
    largest_record: str  # the record with the most text in the largest form
    export_record: str  # a finalised supervision record, for export + sign
    database_mb: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "years": self.years, "records": self.records,
                "people": self.people, "generate_seconds": round(self.seconds, 1),
                "largest_record": self.largest_record, "export_record": self.export_record,
                "database_mb": round(self.database_mb, 1)}


def cache_dir(years: int) -> Path:
    return CACHE / f"g{GENERATOR_VERSION}-{years}y"


def ensure(years: int, log: Log = print) -> Generated:
    """The cached vault for ``years`` years of work, generated first if missing."""
    home = cache_dir(years)
    facts = home / "generated.json"
    if facts.exists():
        data = json.loads(facts.read_text())
        return Generated(folder=home / "vault", years=years, records=data["records"],
                         people=data["people"], seconds=data["generate_seconds"],
                         largest_record=data["largest_record"],
                         export_record=data["export_record"],
                         database_mb=data.get("database_mb", 0.0))
    scratch = home.with_name(home.name + ".partial")
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    started = time.perf_counter()
    log(f"Generating a {years}-year vault (once; cached in {home}) …")
    generated = _Generator(scratch / "vault", years, log).run()
    generated.seconds = time.perf_counter() - started
    generated.database_mb = (scratch / "vault" / "vault.db").stat().st_size / 1e6
    generated.folder = home / "vault"  # where it will be once complete
    (scratch / "generated.json").write_text(json.dumps(generated.as_dict(), indent=2))
    shutil.rmtree(home, ignore_errors=True)
    scratch.rename(home)
    log(f"  {generated.records} records in {generated.seconds:.0f} s, "
        f"{generated.database_mb:.0f} MB")
    return generated


# --- running the services in batches ---------------------------------------------------


class _Batch:
    """Stands in for the vault: every service transaction joins one long one."""

    def __init__(self, vault: Vault) -> None:
        self._vault = vault
        self._session: Any = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._vault, name)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Any]:
        if self._session is None:
            self._session = self._vault._sessions()
            self._session.begin()
        yield self._session
        self._session.flush()

    def commit(self) -> None:
        if self._session is not None:
            self._session.commit()
            self._session.close()
            self._session = None


# --- the team and its calendar ---------------------------------------------------------


@dataclass
class _Subject:
    kind: str
    name: str
    details: dict[str, Any]
    start: dt.date
    end: dt.date | None = None
    id: str = ""
    template: str = ""  # the form their regular sessions use
    plan_period: Period | None = None


@dataclass(order=True)
class _Event:
    day: dt.date
    order: int
    subject: _Subject = field(compare=False)
    template: str = field(compare=False)
    cancelled_on: dt.date | None = field(default=None, compare=False)


def _months(n: int) -> Period:
    return Period(months=n)


class _Generator:
    def __init__(self, folder: Path, years: int, log: Log) -> None:
        self.folder = folder
        self.years = years
        self.log = log
        self.rng = random.Random(20261120 + years)
        self.start = END - dt.timedelta(days=round(365.25 * years))
        self.templates = {t.id: t for t in catalogue().templates}
        self.subjects: list[_Subject] = []
        self.events: list[_Event] = []
        self.count = 0
        self.text_size: dict[str, int] = {}

    # people and sessions ----------------------------------------------------------

    def _jitter(self, day: dt.date, days: int = 3) -> dt.date:
        moved = day + dt.timedelta(days=self.rng.randint(-days, days))
        while moved.weekday() >= 5:  # sessions happen on working days
            moved += dt.timedelta(days=1)
        return moved

    def _staff(self) -> None:
        groups = ["social_worker", "senior_practitioner", "team_manager", "social_worker",
                  "support_staff", "social_worker", "nqsw", "nqsw"]
        forms = {"social_worker": "staff-supervision-social-worker",
                 "senior_practitioner": "personal-supervision",
                 "team_manager": "staff-supervision-manager",
                 "support_staff": "professional-supervision",
                 "nqsw": "staff-supervision-social-worker"}
        for group in groups:
            if group == "nqsw":
                began = self.start + dt.timedelta(days=self.rng.randint(0, 150))
            else:
                began = self.start - dt.timedelta(days=self.rng.randint(200, 3000))
            while began < END:
                tenure = dt.timedelta(days=self.rng.randint(3 * 365, 9 * 365))
                left = began + tenure if began + tenure < END - dt.timedelta(days=60) else None
                nqsw_now = group == "nqsw" and END - began < dt.timedelta(days=365)
                shown = "nqsw" if nqsw_now else ("social_worker" if group == "nqsw" else group)
                person = _Subject("supervisee", person_name(self.rng), {
                    "job_title": shown.replace("_", " ").capitalize(),
                    "staff_group": shown, "start_date": began.isoformat(),
                    "supervisor": OWNER,
                    **({"end_date": left.isoformat()} if left else {}),
                }, began, left, template=forms[group])
                self.subjects.append(person)
                self._staff_sessions(person, nqsw=group == "nqsw")
                if left is None:
                    break
                began, group = left + dt.timedelta(days=30), "nqsw"  # a new NQSW replaces them

    def _staff_sessions(self, person: _Subject, *, nqsw: bool) -> None:
        first = max(person.start, self.start)
        last = min(person.end or END, END)
        day = first
        if person.start >= self.start:
            self._add(day, person, "front-sheet")
        agreement = first
        while agreement <= last:
            self._add(self._jitter(agreement), person, "agreement-lambeth")
            agreement = _months(12).after(agreement)
        while day <= last:
            since = day - person.start
            if nqsw and since < dt.timedelta(weeks=6):
                step = Period(weeks=1)
            elif nqsw and since < dt.timedelta(days=182):
                step = Period(weeks=2)
            else:
                step = _months(1)
            day = step.after(day)
            if day > last:
                break
            self._add(self._jitter(day, 2), person, person.template, cancellable=True)

    def _children(self) -> None:
        profile = compliance.get_profile("lambeth")
        for _case in range(40):
            opened = self.start - dt.timedelta(days=self.rng.randint(0, 700))
            while opened < END:
                plan = self.rng.choices(["child_protection", "child_in_need", "looked_after"],
                                        [45, 30, 25])[0]
                age = self.rng.randint(1, 15)
                dob = opened - dt.timedelta(days=age * 365 + self.rng.randint(0, 364))
                matched = plan == "looked_after" and self.rng.random() < 0.4
                closes = opened + dt.timedelta(days=self.rng.randint(365, 5 * 365))
                closed = closes if closes < END - dt.timedelta(days=30) else None
                keys = schedule.case_keys(plan, age=age, matched=matched)
                binding = schedule.binding_case_rule(profile, keys)
                child = _Subject("child", person_name(self.rng), {
                    "case_id": f"LCS-{self.rng.randint(100000, 999999)}",
                    "dob": dob.isoformat(), "plan": plan, "placement_matched": matched,
                    "legal_status": {"looked_after": "Section 31 care order",
                                     "child_protection": "Child protection plan",
                                     "child_in_need": "Section 17"}[plan],
                    **({"end_date": closed.isoformat()} if closed else {}),
                }, opened, closed,
                    template="case-discussion-cla" if plan == "looked_after"
                    else "case-discussion-family",
                    plan_period=binding[1] if binding else _months(2))
                self.subjects.append(child)
                self._child_sessions(child)
                if closed is None:
                    break
                opened = closed + dt.timedelta(days=self.rng.randint(7, 60))

    def _child_sessions(self, child: _Subject) -> None:
        assert child.plan_period is not None
        last = min(child.end or END, END)
        day = max(child.start, self.start)
        oversight = day
        while True:
            day = child.plan_period.after(day)
            if day > last:
                break
            form = "case-supervision-sos" if self.rng.random() < 0.15 else child.template
            self._add(self._jitter(day, 2), child, form)
        while True:
            oversight = _months(1).after(oversight)
            if oversight > last:
                break
            self._add(self._jitter(oversight, 5), child, "management-oversight")

    def _carers(self) -> None:
        for _ in range(3):
            surname = self.rng.choice(["Penhallow", "Haddad", "Wynne", "Okafor", "Castell"])
            names = (f"{self.rng.choice(['Alys', 'Samir', 'Bethan', 'Kofi'])} {surname}",
                     f"{self.rng.choice(['Huw', 'Leila', 'Gareth', 'Ama'])} {surname}")
            began = self.start - dt.timedelta(days=self.rng.randint(100, 2000))
            carer = _Subject("carer", f"The {surname} household", {
                "carers": list(names), "approval_status": "approved"}, began,
                template="foster-carer-supervision")
            self.subjects.append(carer)
            day = self.start
            while True:
                day = _months(1).after(day)
                if day > END:
                    break
                self._add(self._jitter(day), carer, carer.template, cancellable=True)

    def _group_discussions(self) -> None:
        day = self.start
        while True:
            day = _months(1).after(day)
            if day > END:
                break
            open_cases = [s for s in self.subjects if s.kind == "child"
                          and s.start <= day and (s.end is None or s.end > day)]
            if open_cases:
                self._add(self._jitter(day), self.rng.choice(open_cases),
                          "reflective-group-discussion")

    def _add(self, day: dt.date, subject: _Subject, template: str, *,
             cancellable: bool = False) -> None:
        if day < self.start or day > END:
            return
        cancelled = None
        if cancellable and self.rng.random() < 0.06:
            cancelled, day = day, self._jitter(day + dt.timedelta(days=7), 1)
        self.events.append(_Event(day, len(self.events), subject, template, cancelled))

    # values ------------------------------------------------------------------------

    def _cell(self, kind: ColumnKind | FieldKind, options: tuple[str, ...], day: dt.date,
              subject: _Subject) -> Any:
        rng = self.rng
        value = kind.value
        if value == "text":
            return phrase(rng)
        if value == "longtext":
            return prose(rng, rng.randint(15, 45))
        if value == "person":
            return person_name(rng) if rng.random() < 0.5 else subject.name
        if value == "date":
            return day.isoformat()
        if value == "time":
            return f"{rng.choice([9, 10, 11, 13, 14, 15]):02d}:{rng.choice([0, 15, 30]):02d}"
        if value == "duration":
            return rng.choice([45, 60, 60, 75, 90, 90, 90, 120])
        if value == "yesno":
            return rng.random() < 0.8
        if value == "choice":
            return rng.choice(options)
        if value == "multichoice":
            return rng.sample(list(options), k=min(len(options), rng.randint(1, 2)))
        raise ValueError(value)

    def _table(self, template_field: Any, day: dt.date, subject: _Subject) -> list[Any]:
        rng = self.rng
        if template_field.role == "action_review":
            return []  # filled by the service with the actions carried from last time
        labels = template_field.preset_rows or [None] * rng.randint(1, 3)
        if template_field.role == "actions":
            labels = [None] * rng.randint(2, 4)
        rows = []
        for label in labels:
            row = {c.id: self._cell(c.kind, c.options, day, subject)
                   for c in template_field.columns}
            if label is not None:
                row[template_field.columns[0].id] = label
            if template_field.role == "actions":
                roles = action_domain.column_roles(template_field)
                row[roles.action] = phrase(rng, 90)
                due = day + dt.timedelta(days=rng.choice([14, 28, 28, 42]))
                if roles.owner:
                    row[roles.owner] = rng.choice([OWNER, subject.name, person_name(rng)])
                if roles.due:
                    kind = next(c.kind for c in template_field.columns if c.id == roles.due)
                    row[roles.due] = (due.isoformat() if kind is ColumnKind.DATE
                                      else due.strftime("%d/%m/%Y"))
            rows.append(row)
        return rows

    def _values(self, template: Template, day: dt.date, subject: _Subject) -> dict[str, Any]:
        rng = self.rng
        values: dict[str, Any] = {}
        for section in template.sections:
            long_fields = [f for f in section.fields if f.kind is FieldKind.LONGTEXT]
            budget = rng.randint(100, 400)
            for template_field in section.fields:
                kind = template_field.kind
                if kind is FieldKind.LONGTEXT:
                    values[template_field.id] = prose(rng, max(20, budget // len(long_fields)))
                elif kind is FieldKind.TABLE:
                    values[template_field.id] = self._table(template_field, day, subject)
                elif kind is FieldKind.SIGNATURE:
                    strokes = [[[round(x + rng.random() * 3, 1), round(20 + 15 * rng.random(), 1)]
                                for x in range(start, start + 60, 3)]
                               for start in (10, 80, 150)]
                    values[template_field.id] = {
                        "name": OWNER if "supervisor" in template_field.id else subject.name,
                        "role": template_field.signer, "date": day.isoformat(),
                        "strokes": strokes}
                elif kind is FieldKind.PERSON and template_field.person_kind == subject.kind:
                    values[template_field.id] = subject.name
                else:
                    values[template_field.id] = self._cell(kind, template_field.options, day,
                                                           subject)
        return values

    # writing ------------------------------------------------------------------------

    def _add_people(self, batch: _Batch) -> None:
        for subject in self.subjects:
            view = people.add_person(batch, subject.kind, {"name": subject.name,
                                                          **subject.details})
            subject.id = view.id
            with batch.transaction() as session:
                row = session.get_one(Person, view.id)
                joined = dt.datetime.combine(subject.start, dt.time(9), dt.UTC)
                row.created_at = row.updated_at = joined
                row.ended_on = subject.end
                if subject.end is not None:
                    row.end_reason = "Left the service" if subject.kind == "supervisee" \
                        else "Case closed"
        batch.commit()

    def _status(self, day: dt.date) -> str:
        age = (END - day).days
        roll = self.rng.random()
        if age > 42:
            return "draft" if roll < 0.002 else "uploaded"
        if age > 14:
            return "uploaded" if roll < 0.5 else ("exported" if roll < 0.9 else "finalised")
        return "draft" if roll < 0.4 else ("finalised" if roll < 0.7 else "exported")

    def _write(self, batch: _Batch, event: _Event) -> str:
        template = self.templates[event.template]
        subject = event.subject
        if event.cancelled_on is not None:
            cancellations.record_cancellation(
                batch, subject.id, event.cancelled_on,
                reason=self.rng.choice(["Supervisee on sick leave", "Court hearing",
                                        "Emergency visit", "Carer unwell", "Annual leave"]),
                initiated_by=self.rng.choice(["Supervisor", "Supervisee", "Carer"]),
                rescheduled_for=event.day, planned_time="10:00")
        values = self._values(template, event.day, subject)
        record_id = records.create_record(batch, template, subject_id=subject.id,
                                          session_date=event.day, fields=values)
        self.text_size[record_id] = sum(len(v) for v in values.values() if isinstance(v, str))
        status = self._status(event.day)
        if status == "draft":
            return record_id
        for carried in actions.carried_actions(batch, record_id):
            roll = self.rng.random()
            outcome = "done" if roll < 0.75 else ("carried_forward" if roll < 0.95 else "dropped")
            actions.resolve_carried_action(
                batch, record_id, carried.action.id, outcome,
                "No longer needed after the review" if outcome == "dropped" else "")
        finalised = lifecycle.finalise(batch, record_id)
        if status in ("exported", "uploaded"):
            _mark_exported(batch, record_id, finalised.version)
        if status == "uploaded":
            uploaded = event.day + dt.timedelta(days=self.rng.randint(2, 12))
            lifecycle.mark_uploaded(batch, record_id, min(uploaded, END),
                                    f"LCS-{self.rng.randint(1000000, 9999999)}")
        return record_id

    def run(self) -> Generated:
        self._staff()
        self._children()
        self._carers()
        self._group_discussions()
        self.events.sort()
        created = vault_access.create_vault(self.folder, owner_name=OWNER, role="supervisor",
                                            passphrase=PASSPHRASE, policy_profile="lambeth")
        vault = created.vault
        # The services index a record at every write (a secure delete and a re-insert of
        # its text, three to five times per generated record); the index only has to hold
        # each record's latest version, so it is built once at the end instead.
        indexing = search.index_record
        search.index_record = lambda session, record_id: None
        try:
            certificates.certificate_info(vault)  # the signing certificate, made once
            batch = _Batch(vault)
            self._add_people(batch)
            started = time.perf_counter()
            largest: tuple[int, str] = (0, "")
            export: str = ""
            for n, event in enumerate(self.events, start=1):
                record_id = self._write(batch, event)
                if event.template == "foster-carer-supervision":
                    size = self.text_size[record_id]
                    largest = max(largest, (size, record_id))
                if event.template == "staff-supervision-social-worker" and \
                        event.day < END - dt.timedelta(days=60):
                    export = record_id
                if n % BATCH == 0:
                    batch.commit()
                if n % 500 == 0:
                    rate = n / (time.perf_counter() - started)
                    self.log(f"  {n}/{len(self.events)} records ({rate:.0f}/s)")
            batch.commit()
        finally:
            search.index_record = indexing
        try:
            self.log("  indexing for search …")
            with vault.transaction() as session:
                search.refresh_index(session)  # what each service call would have left
        finally:
            vault.close()
        return Generated(folder=self.folder, years=self.years, records=len(self.events),
                         people=len(self.subjects), seconds=0.0, largest_record=largest[1],
                         export_record=export)


def _mark_exported(batch: _Batch, record_id: str, version: int) -> None:
    """What exporting does to the record (services.export), without writing the PDF."""
    with batch.transaction() as session:
        record = session.get_one(Record, record_id)
        record.status = RecordStatus.EXPORTED.value
        record.exported_at = utc_now()
        audit.log_event(session, "export", record_id=record_id,
                        detail=f"version {version}, 1 file(s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=int, nargs="+", default=[10])
    for years in parser.parse_args().years:
        print(json.dumps(ensure(years).as_dict(), indent=2))


if __name__ == "__main__":
    main()
