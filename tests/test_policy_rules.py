"""The checks policy.py makes on a profile, and how it reads, describes and cites one.

Each malformed profile is refused with a message naming the file, the key and what is
wrong, and the line an editor should go to; expected values are written out by hand, not
recomputed with the code under test. The shipped profiles' texts come from the seeds
named in their comments (003 Lambeth, 004 Kent, 001 Birmingham IFA, 002 Walsall).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from supervision_desktop.domain.policy import (
    Period,
    PolicyError,
    PolicyProfile,
    cite,
    describe_profile,
    load_profile,
    load_profiles,
    parse_profile,
)
from supervision_desktop.services.compliance import policies_dir

D = dt.date

# A small valid profile; each case below changes one thing in it. Line numbers matter:
# the error cases name the line of the key that is wrong.
PROFILE = """\
id: our-agency
title: Our agency
source: {organisation: Our agency, document: Our policy, seed: our-policy.pdf}
staff_supervision:
  groups:
    nqsw:
      ref: "Policy §3.3"
      phases:
        - {every: {weeks: 1}, until: {weeks: 6}}
        - {every: {weeks: 2}, until: {months: 6}}
        - {every: {months: 1}}
    social_worker: {ref: "Policy §3", phases: [{every: {months: 1}}]}
    senior_practitioner: {ref: "Policy §3", phases: [{every: {months: 1}}]}
    team_manager: {ref: "Policy §3", phases: [{every: {months: 1}}]}
    service_manager: {ref: "Policy §3", phases: [{every: {weeks: 6}}]}
    support_staff: null
case_discussion:
  rules:
    child_protection: {every: {weeks: 4}, ref: "Policy §4"}
"""

NQSW_PHASES = """\
        - {every: {weeks: 1}, until: {weeks: 6}}
        - {every: {weeks: 2}, until: {months: 6}}
        - {every: {months: 1}}
"""


def _write(folder: Path, text: str, name: str = "our-agency.yaml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _with_phases(phases: str) -> str:
    return PROFILE.replace(NQSW_PHASES, phases)


# --- periods -------------------------------------------------------------------------


PERIOD_TEXT = {
    "weeks": ("6 weeks", Period(weeks=6)),
    "one month, singular": ("1 month", Period(months=1)),
    "months, plural": ("3 months", Period(months=3)),
    "days with spaces and capitals": ("  10 Days ", Period(days=10)),
    "no space between number and unit": ("2weeks", Period(weeks=2)),
    "one day": ("1 day", Period(days=1)),
}


@pytest.mark.parametrize("text, period", PERIOD_TEXT.values(), ids=PERIOD_TEXT.keys())
def test_a_period_is_read_as_typed_on_the_command_line(text: str, period: Period) -> None:
    assert Period.parse(text) == period


NOT_PERIODS = ["fortnightly", "6 years", "6 weeks later", "every 6 weeks", "weeks", "6"]


@pytest.mark.parametrize("text", NOT_PERIODS)
def test_text_that_is_not_a_period_is_refused_quoting_it(text: str) -> None:
    with pytest.raises(ValueError) as raised:
        Period.parse(text)
    assert str(raised.value) == f"'{text}' is not a period such as '6 weeks' or '1 month'"


def test_a_period_of_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="a period is one of days, weeks or months, "
                                         "more than zero"):
        Period.parse("0 weeks")


BAD_PERIODS = {
    "two units": {"weeks": 1, "months": 1},
    "three units": {"days": 1, "weeks": 1, "months": 1},
    "no unit": {},
    "zero": {"months": 0},
}


@pytest.mark.parametrize("fields", BAD_PERIODS.values(), ids=BAD_PERIODS.keys())
def test_a_period_is_exactly_one_unit_more_than_zero(fields: dict[str, int]) -> None:
    with pytest.raises(ValueError, match="a period is one of days, weeks or months, "
                                         "more than zero"):
        Period.model_validate(fields)


PERIOD_AFTER = {
    "10 days from 25 December 2026": (Period(days=10), D(2026, 12, 25), D(2027, 1, 4)),
    "6 weeks from 20 October 2026": (Period(weeks=6), D(2026, 10, 20), D(2026, 12, 1)),
    "1 month from 31 January 2026 is 28 February": (Period(months=1), D(2026, 1, 31),
                                                   D(2026, 2, 28)),
    "1 month from 31 January 2028 (leap year) is 29 February": (Period(months=1),
                                                               D(2028, 1, 31),
                                                               D(2028, 2, 29)),
    "12 months from 29 February 2028 is 28 February 2029": (Period(months=12),
                                                           D(2028, 2, 29), D(2029, 2, 28)),
}


@pytest.mark.parametrize("period, day, expected", PERIOD_AFTER.values(),
                         ids=PERIOD_AFTER.keys())
def test_a_period_after_a_day_counts_calendar_months(period: Period, day: dt.date,
                                                     expected: dt.date) -> None:
    assert period.after(day) == expected


PERIOD_WORDS = {
    # period: (describe, every, approximate days used to compare intervals)
    "1 day": (Period(days=1), "1 day", "every 1 day", 1),
    "10 days": (Period(days=10), "10 days", "every 10 days", 10),
    "7 days is not called weekly": (Period(days=7), "7 days", "every 7 days", 7),
    "1 week": (Period(weeks=1), "1 week", "weekly", 7),
    "2 weeks": (Period(weeks=2), "2 weeks", "every 2 weeks", 14),
    "6 weeks": (Period(weeks=6), "6 weeks", "every 6 weeks", 42),
    "1 month": (Period(months=1), "1 month", "monthly", 30.44),
    "3 months": (Period(months=3), "3 months", "every 3 months", 91.32),
    "11 months": (Period(months=11), "11 months", "every 11 months", 334.84),
    "12 months": (Period(months=12), "12 months", "annually", 365.28),
    "13 months": (Period(months=13), "13 months", "every 13 months", 395.72),
}


@pytest.mark.parametrize("period, described, every, days", PERIOD_WORDS.values(),
                         ids=PERIOD_WORDS.keys())
def test_a_period_in_words(period: Period, described: str, every: str, days: float) -> None:
    assert period.describe() == described
    assert period.every() == every
    assert period.approximate_days() == pytest.approx(days)


# --- staff rules: phases -------------------------------------------------------------


def test_a_staff_rule_is_described_phase_by_phase(tmp_path: Path) -> None:
    kent_like = _with_phases(
        "        - {every: {weeks: 2}, until: {months: 6}}\n"
        "        - {every: {weeks: 3}, until: {months: 12}}\n"
        "        - {every: {months: 1}}\n")
    rule = load_profile(_write(tmp_path, kent_like)).staff_rule("nqsw")
    assert rule is not None
    assert rule.describe() == ("every 2 weeks for the first 6 months, then every 3 weeks "
                               "until 12 months, then monthly")


PHASE_ON = {
    # Lambeth-like NQSW started Monday 05/01/2026: weekly until 16/02, fortnightly until
    # 05/07, then monthly (003 §3.3 line 312).
    "the start date: weekly": (D(2026, 1, 5), D(2026, 1, 5), "weekly"),
    "the day before 6 weeks: weekly": (D(2026, 1, 5), D(2026, 2, 15), "weekly"),
    "the day 6 weeks ends: fortnightly": (D(2026, 1, 5), D(2026, 2, 16), "every 2 weeks"),
    "the day before 6 months: fortnightly": (D(2026, 1, 5), D(2026, 7, 4), "every 2 weeks"),
    "the 6-month day: monthly": (D(2026, 1, 5), D(2026, 7, 5), "monthly"),
    "years later: monthly": (D(2026, 1, 5), D(2030, 1, 5), "monthly"),
    "no start date: the steady phase": (None, D(2026, 1, 5), "monthly"),
    # Started 31/08/2026: 6 months later is 28/02/2027 (no 31 February).
    "started on the 31st, the day before 28 February: fortnightly":
        (D(2026, 8, 31), D(2027, 2, 27), "every 2 weeks"),
    "started on the 31st, 28 February is the 6-month day: monthly":
        (D(2026, 8, 31), D(2027, 2, 28), "monthly"),
}


@pytest.mark.parametrize("start, day, every", PHASE_ON.values(), ids=PHASE_ON.keys())
def test_the_phase_in_force_on_a_day(tmp_path: Path, start: dt.date | None, day: dt.date,
                                     every: str) -> None:
    rule = load_profile(_write(tmp_path, PROFILE)).staff_rule("nqsw")
    assert rule is not None
    assert rule.phase_on(start, day).every.every() == every


def test_phases_ending_in_different_units_are_compared_as_lengths(tmp_path: Path) -> None:
    """4 weeks then 1 month is in order: a month is longer than 28 days (compared from
    1 January, a 31-day month); 1 month then 4 weeks is not."""
    in_order = _with_phases("        - {every: {weeks: 1}, until: {weeks: 4}}\n"
                            "        - {every: {weeks: 2}, until: {months: 1}}\n"
                            "        - {every: {months: 1}}\n")
    rule = load_profile(_write(tmp_path, in_order)).staff_rule("nqsw")
    assert rule is not None
    assert rule.describe() == ("weekly for the first 4 weeks, then every 2 weeks until "
                               "1 month, then monthly")
    backwards = _with_phases("        - {every: {weeks: 1}, until: {months: 1}}\n"
                             "        - {every: {weeks: 2}, until: {weeks: 4}}\n"
                             "        - {every: {months: 1}}\n")
    with pytest.raises(PolicyError, match="later than the one before"):
        load_profile(_write(tmp_path, backwards))


# --- malformed profiles: the message names the file, the key and what is wrong ---------


BROKEN = {
    "a misspelt top-level key": (
        PROFILE + "frequency: monthly\n",
        "frequency: Extra inputs are not permitted", 20),
    "a missing staff group": (
        PROFILE.replace("    team_manager: {ref: \"Policy §3\", phases: [{every: {months: 1}}]}\n",
                        ""),
        "staff_supervision: every staff group needs a rule (or null): missing team_manager", 4),
    "two missing staff groups, in the order of the groups": (
        PROFILE.replace("    support_staff: null\n", "").replace(
            "    senior_practitioner: {ref: \"Policy §3\", phases: [{every: {months: 1}}]}\n",
            ""),
        "staff_supervision: every staff group needs a rule (or null): "
        "missing senior_practitioner, support_staff", 4),
    "an unknown staff group": (
        PROFILE.replace("    support_staff: null\n",
                        "    support_staff: null\n    foster_carer: null\n"),
        "staff_supervision > groups > foster_carer > [key]: Input should be 'nqsw', "
        "'social_worker', 'senior_practitioner', 'team_manager', 'service_manager' or "
        "'support_staff'", 17),
    "phases out of order": (
        _with_phases("        - {every: {weeks: 1}, until: {months: 6}}\n"
                     "        - {every: {weeks: 2}, until: {weeks: 6}}\n"
                     "        - {every: {months: 1}}\n"),
        "staff_supervision > groups > nqsw: each phase's 'until' must be later than the one "
        "before", 6),
    "two phases ending on the same day": (
        _with_phases("        - {every: {weeks: 1}, until: {weeks: 4}}\n"
                     "        - {every: {weeks: 2}, until: {days: 28}}\n"
                     "        - {every: {months: 1}}\n"),
        "staff_supervision > groups > nqsw: each phase's 'until' must be later than the one "
        "before", 6),
    "a last phase with an end": (
        _with_phases("        - {every: {weeks: 1}, until: {weeks: 6}}\n"
                     "        - {every: {weeks: 2}, until: {months: 6}}\n"),
        "staff_supervision > groups > nqsw: the last phase has no 'until': it applies from "
        "then on", 6),
    "a phase without an end before the last": (
        _with_phases("        - {every: {weeks: 1}}\n"
                     "        - {every: {weeks: 2}, until: {months: 6}}\n"
                     "        - {every: {months: 1}}\n"),
        "staff_supervision > groups > nqsw: only the last phase may leave out 'until'", 6),
    "a middle phase without an end": (
        _with_phases("        - {every: {weeks: 1}, until: {weeks: 6}}\n"
                     "        - {every: {weeks: 2}}\n"
                     "        - {every: {months: 1}}\n"),
        "staff_supervision > groups > nqsw: only the last phase may leave out 'until'", 6),
    "no phases": (
        PROFILE.replace("      phases:\n" + NQSW_PHASES, "      phases: []\n"),
        "staff_supervision > groups > nqsw: a staff rule needs at least one phase", 6),
    "a period with two units": (
        PROFILE.replace("{every: {weeks: 4}, ref", "{every: {weeks: 4, months: 1}, ref"),
        "case_discussion > rules > child_protection > every: a period is one of days, weeks "
        "or months, more than zero", 19),
    "a negative period": (
        PROFILE.replace("{every: {weeks: 4}, ref", "{every: {weeks: -4}, ref"),
        "case_discussion > rules > child_protection > every > weeks: Input should be greater "
        "than or equal to 0", 19),
    "a rule without its source": (
        PROFILE.replace('{every: {weeks: 4}, ref: "Policy §4"}', "{every: {weeks: 4}}"),
        "case_discussion > rules > child_protection > ref: Field required", 19),
    "a rule with an empty source": (
        PROFILE.replace('ref: "Policy §4"', 'ref: ""'),
        "case_discussion > rules > child_protection > ref: String should have at least 1 "
        "character", 19),
    "an unknown kind of child's case": (
        PROFILE.replace("    child_protection:", "    adopted:"),
        "case_discussion > rules > adopted > [key]: Input should be 'child_protection', "
        "'child_in_need', 'looked_after_not_matched', 'looked_after_matched', "
        "'sixteen_plus', 'care_leaver' or 'all_cases'", 19),
    "an id with capitals": (
        PROFILE.replace("id: our-agency", "id: Our-Agency"),
        "id: String should match pattern '^[a-z][a-z0-9-]*$'", 1),
    "an id starting with a digit": (
        PROFILE.replace("id: our-agency", "id: 1-agency"),
        "id: String should match pattern '^[a-z][a-z0-9-]*$'", 1),
    "a missing title": (
        PROFILE.replace("title: Our agency\n", ""),
        "title: Field required", 1),
    "a due-soon window over 60 days": (
        PROFILE + "due_soon_days: 61\n",
        "due_soon_days: Input should be less than or equal to 60", 20),
    "a negative due-soon window": (
        PROFILE + "due_soon_days: -1\n",
        "due_soon_days: Input should be greater than or equal to 0", 20),
    "a session of no minutes": (
        PROFILE + "session_length: {minutes: 0, ref: \"Policy §5\"}\n",
        "session_length > minutes: Input should be greater than or equal to 1", 20),
    "a session longer than a day": (
        PROFILE + "session_length: {minutes: 1441, ref: \"Policy §5\"}\n",
        "session_length > minutes: Input should be less than or equal to 1440", 20),
    "no sessions a year": (
        PROFILE + "sessions_per_year: {sessions: 0, ref: \"Policy §5\"}\n",
        "sessions_per_year > sessions: Input should be greater than or equal to 1", 20),
    "more sessions than days in a year": (
        PROFILE + "sessions_per_year: {sessions: 367, ref: \"Policy §5\"}\n",
        "sessions_per_year > sessions: Input should be less than or equal to 366", 20),
    "an upload deadline of no working days": (
        PROFILE + "upload: {working_days: 0, ref: \"Policy §6\"}\n",
        "upload > working_days: Input should be greater than or equal to 1", 20),
    "an upload deadline over 60 working days": (
        PROFILE + "upload: {working_days: 61, ref: \"Policy §6\"}\n",
        "upload > working_days: Input should be less than or equal to 60", 20),
    "an unknown kind of record": (
        PROFILE + "upload: {working_days: 2, categories: [minutes], ref: \"Policy §6\"}\n",
        "upload > categories[1]: Input should be 'front_sheet', 'agreement', 'supervision', "
        "'monitoring', 'case_discussion', 'group_discussion' or 'oversight'", 20),
    "deviations with nobody to approve them": (
        PROFILE + "deviations: {approver: \"\", ref: \"Policy §7\"}\n",
        "deviations > approver: String should have at least 1 character", 20),
}


@pytest.mark.parametrize("text, problem, line", BROKEN.values(), ids=BROKEN.keys())
def test_a_malformed_profile_is_refused_naming_file_key_and_line(
        tmp_path: Path, text: str, problem: str, line: int) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(PolicyError) as raised:
        load_profile(path)
    assert str(raised.value) == f"our-agency.yaml: {problem}"
    assert raised.value.path == path
    assert raised.value.problems == [problem]
    assert raised.value.located == [(line, problem)]


def test_every_problem_of_a_profile_is_listed_in_one_message(tmp_path: Path) -> None:
    text = PROFILE.replace("id: our-agency", "id: Our-Agency") + "due_soon_days: 61\n"
    with pytest.raises(PolicyError) as raised:
        load_profile(_write(tmp_path, text))
    assert str(raised.value) == (
        "our-agency.yaml: id: String should match pattern '^[a-z][a-z0-9-]*$'; "
        "due_soon_days: Input should be less than or equal to 60")
    assert [line for line, _ in raised.value.located] == [1, 20]


UNREADABLE = {
    "not valid YAML": ("id: [unclosed\n", "line 2: not valid YAML (did not find expected "
                                          "',' or ']')", 2),
    "a list, not a mapping": ("- lambeth\n- kent\n", "must be a mapping of profile keys", 1),
    "a plain word": ("lambeth\n", "must be a mapping of profile keys", 1),
    "an empty file": ("", "is empty", 1),
}


@pytest.mark.parametrize("text, problem, line", UNREADABLE.values(), ids=UNREADABLE.keys())
def test_a_file_that_is_not_a_profile_is_refused(tmp_path: Path, text: str, problem: str,
                                                 line: int) -> None:
    path = _write(tmp_path, text, "broken.yaml")
    with pytest.raises(PolicyError) as raised:
        load_profile(path)
    assert str(raised.value) == f"broken.yaml: {problem}"
    assert raised.value.path == path
    assert raised.value.located[0][0] == line


def test_a_profile_checked_without_its_text_puts_every_problem_on_line_1() -> None:
    data = {"id": "our-agency", "title": "Our agency"}
    with pytest.raises(PolicyError) as raised:
        parse_profile(data, "typed-in.yaml")
    assert str(raised.value) == ("typed-in.yaml: source: Field required; staff_supervision: "
                                 "Field required; case_discussion: Field required")
    assert [line for line, _ in raised.value.located] == [1, 1, 1]


# --- defaults and look-ups -----------------------------------------------------------


def test_what_a_profile_leaves_out_takes_the_documented_default(tmp_path: Path) -> None:
    profile = load_profile(_write(
        tmp_path, PROFILE + "upload: {working_days: 2, ref: \"Policy §6\"}\n"
                            "cancellation: {ref: \"Policy §8\"}\n"))
    assert profile.due_soon_days == 7  # README: "default 7"
    assert profile.staff_supervision.counts == ("supervision",)
    assert profile.case_discussion.counts == ("case_discussion", "oversight")
    assert profile.case_discussion.counts_ref == ""
    assert profile.upload is not None and profile.upload.categories == ()  # every record
    assert profile.cancellation is not None
    assert profile.cancellation.reschedule_within_month is False
    rule = profile.case_discussion.rules["child_protection"]
    assert rule.note == ""
    assert (profile.sessions_per_year, profile.session_length, profile.agreement,
            profile.appraisal, profile.deviations) == (None, None, None, None, None)


@pytest.mark.parametrize("days", [0, 60], ids=["none", "sixty"])
def test_a_due_soon_window_of_0_to_60_days_is_allowed(tmp_path: Path, days: int) -> None:
    profile = load_profile(_write(tmp_path, PROFILE + f"due_soon_days: {days}\n"))
    assert profile.due_soon_days == days


def test_the_bounds_of_session_and_upload_rules_are_allowed(tmp_path: Path) -> None:
    shortest = load_profile(_write(tmp_path, PROFILE + (
        "session_length: {minutes: 1, ref: \"Policy §5\"}\n"
        "sessions_per_year: {sessions: 1, ref: \"Policy §5\"}\n"
        "upload: {working_days: 1, ref: \"Policy §6\"}\n")))
    longest = load_profile(_write(tmp_path, PROFILE + (
        "session_length: {minutes: 1440, ref: \"Policy §5\"}\n"
        "sessions_per_year: {sessions: 366, ref: \"Policy §5\"}\n"
        "upload: {working_days: 60, ref: \"Policy §6\"}\n")))
    assert shortest.session_length is not None and longest.session_length is not None
    assert (shortest.session_length.minutes, longest.session_length.minutes) == (1, 1440)
    assert shortest.sessions_per_year is not None and longest.sessions_per_year is not None
    assert (shortest.sessions_per_year.sessions, longest.sessions_per_year.sessions) == (1, 366)
    assert shortest.upload is not None and longest.upload is not None
    assert (shortest.upload.working_days, longest.upload.working_days) == (1, 60)


def test_a_staff_groups_rule_is_looked_up_by_name(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, PROFILE))
    service_manager = profile.staff_rule("service_manager")
    assert service_manager is not None and service_manager.describe() == "every 6 weeks"
    assert service_manager.ref == "Policy §3"
    assert profile.staff_rule("support_staff") is None  # null: no frequency set
    assert profile.staff_rule("foster_carer") is None  # not a staff group


def test_a_profile_kept_in_the_vault_reads_back_the_same(tmp_path: Path) -> None:
    profile = load_profile(_write(tmp_path, PROFILE))
    again = PolicyProfile.from_snapshot(profile.snapshot())
    assert again == profile
    assert again.id == "our-agency"
    assert again.staff_rule("nqsw") == profile.staff_rule("nqsw")


# --- a folder of profiles ------------------------------------------------------------


def test_a_folder_of_profiles_loads_in_file_order_and_lists_the_broken(tmp_path: Path) -> None:
    _write(tmp_path, PROFILE.replace("id: our-agency", "id: zeta"), "a.yaml")
    _write(tmp_path, "- not a profile\n", "b.yaml")
    _write(tmp_path, PROFILE.replace("id: our-agency", "id: alpha"), "c.yaml")
    _write(tmp_path, PROFILE.replace("id: our-agency", "id: zeta"), "d.yaml")  # id reused
    _write(tmp_path, PROFILE.replace("id: our-agency", "id: omega"), "e.yaml")
    _write(tmp_path, PROFILE.replace("id: our-agency", "id: ignored-yml"), "f.yml")
    _write(tmp_path, PROFILE.replace("id: our-agency", "id: ignored-upper"), "g.YAML")
    _write(tmp_path, PROFILE.replace("id: our-agency", "id: ignored-txt"), "h.txt")
    catalogue = load_profiles(str(tmp_path))
    assert [p.id for p in catalogue.profiles] == ["zeta", "alpha", "omega"]
    assert [str(e) for e in catalogue.errors] == [
        "b.yaml: must be a mapping of profile keys",
        "d.yaml: id 'zeta' is already used",
    ]
    assert [e.path.name for e in catalogue.errors] == ["b.yaml", "d.yaml"]
    assert [e.located for e in catalogue.errors] == [
        [(1, "must be a mapping of profile keys")], [(1, "id 'zeta' is already used")]]
    assert catalogue.get("alpha").title == "Our agency"
    assert catalogue.get("omega").id == "omega"
    with pytest.raises(KeyError):
        catalogue.get("ignored-yml")


def test_an_empty_folder_has_no_profiles_and_no_errors(tmp_path: Path) -> None:
    catalogue = load_profiles(tmp_path)
    assert (catalogue.profiles, catalogue.errors) == ((), ())


def test_the_shipped_profiles_in_file_order() -> None:
    catalogue = load_profiles(policies_dir())
    assert [p.id for p in catalogue.profiles] == [
        "birmingham-ifa", "custom", "kent", "lambeth", "walsall"]
    assert catalogue.errors == ()


# --- citing the policy ---------------------------------------------------------------


CITES = {
    "Lambeth's staff table": ("003 §3 table line 267",
                              "Lambeth Supervision Policy (2021) §3, table"),
    "Lambeth NQSW, two places": ("003 §3.3 line 312; table line 263",
                                 "Lambeth Supervision Policy (2021) §3.3; table"),
    "Lambeth, two lines": ("003 §4 lines 345 and 351", "Lambeth Supervision Policy (2021) §4"),
    "Lambeth appendix": ("003 Appendix A line 378",
                         "Lambeth Supervision Policy (2021), Appendix A"),
    "Kent, two sections": ("004 §6.1 line 137; §6.3 line 175",
                           "Kent Supervision Policy 1.1.8 §6.1; §6.3"),
    "Birmingham, a heading": ("001 Frequency line 122",
                              "Birmingham Children's Trust IFA guidance, Frequency"),
    "Walsall, a line only": ("002 line 9", "Walsall 1.3 Supervision Guidance"),
    "the forum thread": ("000 post 3", "Fosterline forum thread, post 3"),
    "a seed number alone": ("003", "Lambeth Supervision Policy (2021)"),
    "a number that is not one of the seeds is left out": ("005 §2 line 4", "§2"),
    "an unknown seed number alone cites nothing": ("005 line 4", ""),
    "the same place twice is cited once": ("003 §3.1 line 253; 003 §3.1 line 254",
                                           "Lambeth Supervision Policy (2021) §3.1"),
    "spaces around the parts": ("  004 §9 line 225 ;  002 line 17 ",
                                "Kent Supervision Policy 1.1.8 §9; "
                                "Walsall 1.3 Supervision Guidance"),
    "an agency's own words are kept": ("Our policy §3.3", "Our policy §3.3"),
    "an agency's own table": ("Our policy table", "Our policy, table"),
    "a word ending in table is not a table": ("Our timetable", "Our timetable"),
    "an agency's own line number is left out": ("Our policy page 4 line 12",
                                                "Our policy page 4"),
    "a longer number is not a seed": ("2021 policy §3", "2021 policy §3"),
    "digits joined to a word are not a seed": ("003table", "003table"),
    "an empty part is dropped": ("003 §3; ; 004 §4",
                                 "Lambeth Supervision Policy (2021) §3; "
                                 "Kent Supervision Policy 1.1.8 §4"),
    "nothing": ("", ""),
}


@pytest.mark.parametrize("ref, cited", CITES.values(), ids=CITES.keys())
def test_a_rules_source_is_cited_as_a_person_reads_it(ref: str, cited: str) -> None:
    assert cite(ref) == cited


# --- describing a profile ------------------------------------------------------------


def test_the_birmingham_profile_described_rule_by_rule() -> None:
    # 001 line 122 (frequency, 10 a year, appraisal), line 128 (2 hours), line 34
    # (agreement, no review interval); no case-discussion frequency, no upload deadline.
    profile = load_profile(policies_dir() / "birmingham-ifa.yaml")
    frequency = "[Birmingham Children's Trust IFA guidance, Frequency]"
    assert describe_profile(profile) == "\n".join([
        "Birmingham Children's Trust IFA staff supervision (id birmingham-ifa)",
        "Birmingham Children's Trust, Independent Fostering Agency: Practice Guidance, "
        "Supervision (Staff)",
        "“Due soon” means within 7 days of the due date.",
        "",
        "Staff supervision",
        "  Newly qualified social worker (ASYE): weekly for the first 6 weeks, then every "
        f"2 weeks until 6 months, then monthly  {frequency}",
        f"  Social worker: monthly  {frequency}",
        f"  Senior practitioner: monthly  {frequency}",
        f"  Team manager: monthly  {frequency}",
        f"  Service manager: monthly  {frequency}",
        f"  Support staff: monthly  {frequency}",
        f"  At least 10 sessions a year  {frequency}",
        "  Sessions last at least 120 minutes  "
        "[Birmingham Children's Trust IFA guidance, Duration of Sessions]",
        "",
        "Case discussion",
        "  no frequency set",
        "",
        "Supervision agreement: needed, no review interval  "
        "[Birmingham Children's Trust IFA guidance, Supervision Agreement]",
        f"Appraisal: annually  {frequency}",
    ])


def test_the_custom_profile_described_rule_by_rule() -> None:
    profile = load_profile(policies_dir() / "custom.yaml")
    lambeth, kent = "Lambeth Supervision Policy (2021)", "Kent Supervision Policy 1.1.8"
    assert describe_profile(profile) == "\n".join([
        "Custom profile (copy and edit for your agency) (id custom)",
        "Your agency: Your supervision policy",
        "“Due soon” means within 7 days of the due date.",
        "",
        "Staff supervision",
        "  Newly qualified social worker (ASYE): weekly for the first 6 weeks, then every "
        f"2 weeks until 6 months, then monthly  [{lambeth} §3.3]",
        f"  Social worker: monthly  [{kent} §6.1]",
        f"  Senior practitioner: monthly  [{kent} §6.1]",
        f"  Team manager: monthly  [{kent} §6.1]",
        f"  Service manager: every 6 weeks  [{lambeth} §3, table]",
        "  Support staff: no frequency set",
        "  At least 10 sessions a year  [Birmingham Children's Trust IFA guidance, Frequency]",
        f"  Sessions last at least 90 minutes  [{kent} §6.1]",
        "",
        "Case discussion",
        f"  Child protection plan: every 4 weeks  [{lambeth} §3.1]",
        f"  Child in need: every 6 weeks  [{lambeth} §3.1]",
        f"  Looked after (not matched): every 8 weeks  [{lambeth} §3.1]",
        "  Looked after (matched, stable placement): every 3 months  "
        "[Walsall 1.3 Supervision Guidance]",
        f"  Young person (16+): every 8 weeks  [{lambeth} §3.1]",
        f"  Care leaver: every 8 weeks  [{lambeth} §3.1]",
        f"  Every case: every 3 months  [{kent} §9]",
        "",
        f"Supervision agreement: reviewed every 6 months  [{lambeth}, Appendix A]",
        f"Appraisal: annually  [{kent} §4]",
        f"Upload within 2 working days  [{lambeth} §4]",
        f"Changes to a frequency approved by the Service Manager  [{kent} §6.1]",
    ])


def test_kent_agreements_are_reviewed_annually_and_case_records_uploaded_in_5_days() -> None:
    # 004 §6.2 line 165: "reviewed annually"; §12.1 line 278: "within a maximum of one week".
    text = describe_profile(load_profile(policies_dir() / "kent.yaml"))
    assert ("Supervision agreement: reviewed annually  [Kent Supervision Policy 1.1.8 §6.2]"
            in text.splitlines())
    assert "Upload within 5 working days  [Kent Supervision Policy 1.1.8 §12.1]" in (
        text.splitlines())
    assert ("  Support staff: every 2 weeks for the first 3 months, then monthly  "
            "[Kent Supervision Policy 1.1.8 §6.1]" in text.splitlines())
