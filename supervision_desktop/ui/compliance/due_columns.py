"""The dashboard's columns for what is due: people due a supervision, unfinished records,
short sessions, agreed frequencies.

Each list is a tuple of :class:`~supervision_desktop.ui.common.columns.Column` specs for
``ColumnsModel``: the text, how it sorts, its tone (overdue in red), and the rule's
source in the tooltip.
"""

from __future__ import annotations

from supervision_desktop.domain.dates import uk_date
from supervision_desktop.domain.people import KIND_LABELS
from supervision_desktop.domain.policy import cite
from supervision_desktop.domain.schedule import SEVERITY, DueStatus, RuleRef
from supervision_desktop.services.compliance import DueEntry, RecordDue, ShortSession
from supervision_desktop.ui.common.columns import Column, Tone, date_key, days

STATUS_TONES = {DueStatus.OVERDUE: Tone.OVERDUE, DueStatus.DUE: Tone.DUE,
                DueStatus.OK: Tone.OK, DueStatus.NO_RULE: Tone.QUIET}





def due_text(status: DueStatus, overdue: int, *, ok: str = "Up to date",
             no_rule: str = "No rule") -> str:
    """'Overdue by 12 days', 'Due soon', 'Up to date', 'No rule'."""
    if status is DueStatus.OVERDUE:
        return f"Overdue by {days(overdue)}"
    if status is DueStatus.DUE:
        return "Due soon"
    return ok if status is DueStatus.OK else no_rule


def rule_text(rule: RuleRef | None) -> str:
    """The rule and where the policy says it: 'every 6 weeks · Lambeth Supervision Policy
    (2021) §3, table'."""
    if rule is None:
        return "No rule in this policy profile"
    return f"{rule.summary} · {cite(rule.ref)}" if rule.ref else rule.summary


def rule_tip(rule: RuleRef | None) -> str:
    if rule is None:
        return "The policy profile sets no frequency for this person."
    source = cite(rule.ref) or "not given"
    return f"{rule.summary}\nSource: {source} (policy profile {rule.profile_id})"



# --- people due ----------------------------------------------------------------------


def _who(entry: DueEntry) -> str:
    kind = KIND_LABELS.get(entry.kind, entry.kind)
    return f"{kind} · {entry.group_label}" if entry.group_label else kind


def _rule(entry: DueEntry) -> str:
    """The rule with the group it is for: 'Social worker: every 6 weeks · 003 …'."""
    if entry.kind == "child":  # a child's rule already names the plan it is for
        if entry.rule is None:
            plan = "no plan" if entry.group == "none" else f"plan {entry.group_label.lower()}"
            return f"Child, {plan}: no frequency in this policy profile"
        return rule_text(entry.rule)
    if entry.rule is None:
        return f"{entry.group_label}: no frequency in this policy profile"
    return f"{entry.group_label}: {rule_text(entry.rule)}"


def _next_due(entry: DueEntry) -> str:
    shown = uk_date(entry.next_due) or "—"
    if entry.rescheduled_for and entry.status is not DueStatus.OK:
        shown += f" (new date {uk_date(entry.rescheduled_for)})"
    return shown


def _status_tip(entry: DueEntry) -> str:
    lines = [f"{entry.name} ({_who(entry)})", rule_tip(entry.rule)]
    if entry.rescheduled_for:
        lines.append(f"A cancelled session was rescheduled for {uk_date(entry.rescheduled_for)}.")
    if entry.deviation is not None:
        agreed = entry.deviation
        lines.append(f"Agreed on {uk_date(agreed.agreed_on)} by {agreed.approved_by}: "
                     f"{agreed.reason}")
    lines.extend(entry.notes)
    return "\n".join(lines)


def _severity(entry: DueEntry | RecordDue) -> int:
    status = entry.status if isinstance(entry, DueEntry) else entry.deadline_status
    return SEVERITY[status] * 100_000 - entry.days_overdue


PEOPLE_COLUMNS: tuple[Column[DueEntry], ...] = (
    Column("Name", lambda e: e.name, tip=_status_tip),
    Column("Last session", lambda e: uk_date(e.last_session) or "None yet",
           lambda e: date_key(e.last_session)),
    Column("Next due", _next_due, lambda e: date_key(e.next_due, "9999")),
    Column("Status", lambda e: due_text(e.status, e.days_overdue), _severity,
           lambda e: STATUS_TONES[e.status], _status_tip),
    Column("Rule (policy reference)", _rule, tip=_status_tip),
)

AGREEMENT_COLUMNS: tuple[Column[DueEntry], ...] = (
    Column("Supervisee", lambda e: e.name),
    Column("Last agreement", lambda e: uk_date(e.last_session) or "None yet",
           lambda e: date_key(e.last_session)),
    Column("Due", lambda e: uk_date(e.next_due) or "—", lambda e: date_key(e.next_due, "9999")),
    Column("Status", lambda e: due_text(e.status, e.days_overdue), _severity,
           lambda e: STATUS_TONES[e.status], lambda e: rule_tip(e.rule)),
    Column("Rule (policy reference)", lambda e: rule_text(e.rule), tip=lambda e: rule_tip(e.rule)),
)


# --- unfinished records --------------------------------------------------------------


def _upload(record: RecordDue) -> str:
    return due_text(record.deadline_status, record.days_overdue, ok="In time",
                    no_rule="No upload deadline")


RECORD_COLUMNS: tuple[Column[RecordDue], ...] = (
    Column("Date", lambda r: uk_date(r.session_date) or "No date",
           lambda r: date_key(r.session_date)),
    Column("About", lambda r: r.subject_name or "—"),
    Column("Template", lambda r: r.title),
    Column("Upload by", lambda r: uk_date(r.upload_deadline) or "—",
           lambda r: date_key(r.upload_deadline, "9999")),
    Column("Upload", _upload, _severity, lambda r: STATUS_TONES[r.deadline_status],
           lambda r: rule_tip(r.rule) if r.rule else "The policy profile sets no upload deadline"
           " for this record."),
)

SHORT_SESSION_COLUMNS: tuple[Column[ShortSession], ...] = (
    Column("Date", lambda s: uk_date(s.session_date), lambda s: date_key(s.session_date)),
    Column("Supervisee", lambda s: s.name),
    Column("Length", lambda s: f"{s.minutes} of at least {s.minimum} minutes",
           lambda s: s.minutes, lambda _s: Tone.DUE),
    Column("Rule (policy reference)", lambda s: rule_text(s.rule), tip=lambda s: rule_tip(s.rule)),
)
