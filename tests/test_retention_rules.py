"""Retention rules pinned with literal dates: when a record may be disposed of under each
rule, the boundary days (the last day kept, 29 February, a rule with no period), how the
rules are described, and what a bad rules file is told (file, rule, line)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from supervision_desktop.domain.retention import (
    Assessment,
    Keep,
    PersonFacts,
    RecordFacts,
    RetentionError,
    RetentionRule,
    RetentionRules,
    assess,
    assess_record,
    describe_rules,
    due_for_disposal,
    load_rules,
    parse_rules,
)

SHIPPED = Path(__file__).resolve().parent.parent / "resources" / "retention" / "default.yaml"


def _rule(rule_id: str = "staff", keep: dict[str, int] | None = None, **more: Any) -> dict:
    return {"id": rule_id, "title": "Staff file", "keep": keep, "ref": "Our policy 4.2",
            **more}


def _rules(*rules: dict) -> RetentionRules:
    return parse_rules({"id": "ours", "title": "Our schedule", "rules": list(rules)},
                       "ours.yaml")


def _problems(data: Any) -> list[str]:
    with pytest.raises(RetentionError) as caught:
        parse_rules(data, Path("/agency/ours.yaml"))
    return caught.value.problems


# --- the periods ---------------------------------------------------------------------


@pytest.mark.parametrize(("keep", "start", "due"), [
    ({"years": 6}, dt.date(2020, 3, 31), dt.date(2026, 3, 31)),
    ({"years": 1}, dt.date(2020, 2, 29), dt.date(2021, 2, 28)),
    ({"years": 4}, dt.date(2020, 2, 29), dt.date(2024, 2, 29)),
    ({"years": 1}, dt.date(2019, 3, 1), dt.date(2020, 3, 1)),
    ({"months": 1}, dt.date(2021, 1, 31), dt.date(2021, 2, 28)),
    ({"months": 18}, dt.date(2020, 8, 31), dt.date(2022, 2, 28)),
    ({"years": 1, "months": 6}, dt.date(2019, 8, 31), dt.date(2021, 2, 28)),
    ({"years": 150}, dt.date(1990, 6, 15), dt.date(2140, 6, 15)),
    ({"months": 1800}, dt.date(1990, 6, 15), dt.date(2140, 6, 15)),
], ids=["6y-kent", "1y-from-29-feb-is-28-feb", "4y-from-29-feb-is-29-feb",
        "1y-from-1-march", "1m-from-31-jan", "18m-from-31-aug", "1y6m-from-31-aug",
        "150y-longest", "1800m-longest"])
def test_a_period_ends_on_its_anniversary_day(keep: dict[str, int], start: dt.date,
                                             due: dt.date) -> None:
    assert Keep(**keep).after(start) == due


@pytest.mark.parametrize(("keep", "words"), [
    ({"years": 1}, "1 year"),
    ({"years": 6}, "6 years"),
    ({"months": 1}, "1 month"),
    ({"months": 18}, "18 months"),
    ({"years": 1, "months": 1}, "1 year and 1 month"),
    ({"years": 2, "months": 6}, "2 years and 6 months"),
], ids=["one-year", "years", "one-month", "months", "one-and-one", "years-and-months"])
def test_a_period_is_described_in_plain_words(keep: dict[str, int], words: str) -> None:
    assert Keep(**keep).describe() == words


@pytest.mark.parametrize(("keep", "problem"), [
    ({}, "keep: a retention period is more than zero years or months"),
    ({"years": 0, "months": 0}, "keep: a retention period is more than zero years or months"),
    ({"years": -1}, "keep > years: Input should be greater than or equal to 0"),
    ({"months": -1}, "keep > months: Input should be greater than or equal to 0"),
    ({"years": 151}, "keep > years: Input should be less than or equal to 150"),
    ({"months": 1801}, "keep > months: Input should be less than or equal to 1800"),
    ({"weeks": 2}, "keep > weeks: Extra inputs are not permitted"),
], ids=["empty", "zero", "negative-years", "negative-months", "151-years", "1801-months",
        "weeks"])
def test_a_bad_period_is_refused_naming_the_rule(keep: dict[str, int], problem: str) -> None:
    assert _problems({"id": "ours", "title": "Ours", "rules": [_rule(keep=keep)]}) == [
        f"rules[1] 'staff' > {problem}"]


def test_a_period_of_only_months_or_only_years_has_no_hidden_other_part() -> None:
    assert (Keep(years=2).months, Keep(months=3).years) == (0, 0)
    assert Keep(years=150, months=1800).after(dt.date(2000, 1, 1)) == dt.date(2300, 1, 1)


# --- which rule applies --------------------------------------------------------------


def test_the_first_matching_rule_applies_and_empty_lists_match_anything() -> None:
    rules = _rules(
        _rule("staff-agreements", {"years": 2}, applies_to={
            "categories": ["agreement"], "subject_kinds": ["supervisee"]}),
        _rule("staff", {"years": 6}, applies_to={"subject_kinds": ["supervisee"]}),
        _rule("oversight", {"years": 3}, applies_to={"categories": ["oversight", "monitoring"]}),
        _rule("everything-else", None),
    )
    chosen = {(category, kind): getattr(rules.rule_for(category, kind), "id", None)
              for category, kind in [
                  ("agreement", "supervisee"), ("supervision", "supervisee"),
                  ("agreement", "carer"), ("oversight", "child"), ("monitoring", "supervisee"),
                  ("monitoring", "none"), ("case_discussion", "child")]}
    assert chosen == {
        ("agreement", "supervisee"): "staff-agreements",
        ("supervision", "supervisee"): "staff",
        ("agreement", "carer"): "everything-else",
        ("oversight", "child"): "oversight",
        ("monitoring", "supervisee"): "staff",
        ("monitoring", "none"): "oversight",
        ("case_discussion", "child"): "everything-else",
    }


def test_a_record_no_rule_matches_is_kept() -> None:
    rules = _rules(_rule("staff", {"years": 6}, applies_to={"subject_kinds": ["supervisee"]}))
    assert rules.rule_for("supervision", "carer") is None
    assert assess_record(rules, RecordFacts("r1", "supervision", "carer", "c1",
                                            dt.date(2010, 1, 1)),
                         {"c1": PersonFacts("c1", "carer", dt.date(2011, 1, 1))}) == Assessment(
        "r1", None, None, "no retention rule applies: kept")


def test_a_rule_is_found_by_its_id_and_an_unknown_id_is_a_key_error() -> None:
    rules = _rules(_rule("staff", {"years": 6}), _rule("carers", None))
    assert (rules.get("staff").id, rules.get("carers").id) == ("staff", "carers")
    with pytest.raises(KeyError) as caught:
        rules.get("children")
    assert caught.value.args == ("children",)


def test_a_rule_left_without_after_counts_from_the_end_of_the_work() -> None:
    rule = _rules(_rule("staff", {"years": 6})).rules[0]
    assert (rule.after, rule.note, rule.applies_to.categories,
            rule.applies_to.subject_kinds) == ("subject_ended", "", (), ())


# --- assessing records ---------------------------------------------------------------

SCHEDULE = _rules(
    _rule("agreements", {"years": 1}, applies_to={"categories": ["agreement"],
                                                  "subject_kinds": ["supervisee"]}),
    _rule("staff", {"years": 6}, applies_to={"subject_kinds": ["supervisee"]}),
    _rule("carers", None, applies_to={"subject_kinds": ["carer"]}),
    _rule("groups", {"years": 2, "months": 6}, applies_to={"subject_kinds": ["none"]},
          after="session_date"),
)
PEOPLE = {
    "left": PersonFacts("left", "supervisee", dt.date(2020, 3, 31)),
    "leap": PersonFacts("leap", "supervisee", dt.date(2020, 2, 29)),
    "here": PersonFacts("here", "supervisee", None),
    "carer": PersonFacts("carer", "carer", dt.date(2015, 1, 10)),
}


@pytest.mark.parametrize(("record", "rule_id", "due", "why"), [
    (RecordFacts("r", "agreement", "supervisee", "left", dt.date(2019, 5, 2)), "agreements",
     dt.date(2021, 3, 31), "1 year after the work ended on 31/03/2020"),
    (RecordFacts("r", "supervision", "supervisee", "left", dt.date(2019, 5, 2)), "staff",
     dt.date(2026, 3, 31), "6 years after the work ended on 31/03/2020"),
    (RecordFacts("r", "supervision", "supervisee", "left", None), "staff",
     dt.date(2026, 3, 31), "6 years after the work ended on 31/03/2020"),
    (RecordFacts("r", "supervision", "supervisee", "left", dt.date(2020, 3, 31)), "staff",
     dt.date(2026, 3, 31), "6 years after the work ended on 31/03/2020"),
    (RecordFacts("r", "supervision", "supervisee", "left", dt.date(2020, 4, 15)), "staff",
     dt.date(2026, 4, 15), "6 years after the work ended on 31/03/2020"),
    (RecordFacts("r", "supervision", "supervisee", "leap", dt.date(2019, 5, 2)), "staff",
     dt.date(2026, 2, 28), "6 years after the work ended on 29/02/2020"),
    (RecordFacts("r", "supervision", "supervisee", "here", dt.date(2019, 5, 2)), "staff",
     None, "the person's work has not ended"),
    (RecordFacts("r", "supervision", "supervisee", None, dt.date(2019, 5, 2)), "staff",
     None, "the record is about no one: kept"),
    (RecordFacts("r", "supervision", "supervisee", "gone", dt.date(2019, 5, 2)), "staff",
     None, "the record is about no one: kept"),
    (RecordFacts("r", "supervision", "carer", "carer", dt.date(2014, 6, 1)), "carers",
     None, "no retention period is set for these records"),
    (RecordFacts("r", "group_discussion", "none", None, dt.date(2021, 8, 31)), "groups",
     dt.date(2024, 2, 29), "2 years and 6 months after the session on 31/08/2021"),
    (RecordFacts("r", "group_discussion", "none", None, dt.date(2019, 4, 5)), "groups",
     dt.date(2021, 10, 5), "2 years and 6 months after the session on 05/04/2019"),
    (RecordFacts("r", "group_discussion", "none", None, None), "groups",
     None, "the record has no session date yet"),
], ids=["agreement-by-its-category", "left-31-03-2020", "left-no-session-date",
        "session-on-the-leaving-day",
        "late-write-up-counts-from-the-session", "left-on-29-feb", "still-working",
        "about-no-one", "person-not-held", "no-period-set", "session-anchor-to-29-feb",
        "session-anchor-single-digit-day", "session-anchor-without-a-date"])
def test_each_record_gets_its_date_and_the_reason_in_plain_words(
    record: RecordFacts, rule_id: str, due: dt.date | None, why: str
) -> None:
    assessment = assess_record(SCHEDULE, record, PEOPLE)
    assert (assessment.record_id, assessment.rule and assessment.rule.id,
            assessment.due_on, assessment.why) == ("r", rule_id, due, why)


def test_a_session_anchored_rule_ignores_the_persons_end_date() -> None:
    rules = _rules(_rule("staff", {"years": 1}, after="session_date"))
    [early, late] = assess(rules, [PersonFacts("left", "supervisee", dt.date(2020, 3, 31)),
                                   PersonFacts("here", "supervisee", None)], [
        RecordFacts("early", "supervision", "supervisee", "left", dt.date(2019, 5, 2)),
        RecordFacts("late", "supervision", "supervisee", "here", dt.date(2019, 5, 3))])
    assert (early.record_id, early.due_on, late.record_id, late.due_on) == (
        "early", dt.date(2020, 5, 2), "late", dt.date(2020, 5, 3))


@pytest.mark.parametrize(("today", "due"), [
    (dt.date(2026, 3, 30), False),
    (dt.date(2026, 3, 31), True),
    (dt.date(2026, 4, 1), True),
], ids=["last-day-kept", "due-day", "day-after"])
def test_a_record_is_due_from_the_day_its_period_ends(today: dt.date, due: bool) -> None:
    assessment = Assessment("r", None, dt.date(2026, 3, 31), "6 years after …")
    assert assessment.is_due(today) is due


def test_a_record_with_no_date_is_never_due() -> None:
    assert Assessment("r", None, None, "kept").is_due(dt.date(9999, 12, 31)) is False


def test_due_for_disposal_lists_oldest_first_then_by_record_id() -> None:
    people = [PersonFacts("left", "supervisee", dt.date(2020, 3, 31)),
              PersonFacts("leap", "supervisee", dt.date(2020, 2, 29)),
              PersonFacts("later", "supervisee", dt.date(2021, 1, 4)),
              PersonFacts("here", "supervisee", None)]
    held = [RecordFacts("r-zeta", "supervision", "supervisee", "left", dt.date(2019, 5, 2)),
            RecordFacts("r-later", "supervision", "supervisee", "later", dt.date(2020, 6, 1)),
            RecordFacts("r-alpha", "front_sheet", "supervisee", "left", dt.date(2018, 1, 9)),
            RecordFacts("r-here", "supervision", "supervisee", "here", dt.date(2010, 1, 1)),
            RecordFacts("r-leap", "supervision", "supervisee", "leap", None),
            RecordFacts("r-carer", "supervision", "carer", "carer", dt.date(2001, 1, 1))]
    listed = [(a.record_id, a.due_on)
              for a in due_for_disposal(SCHEDULE, people, held, dt.date(2027, 1, 4))]
    assert listed == [("r-leap", dt.date(2026, 2, 28)), ("r-alpha", dt.date(2026, 3, 31)),
                      ("r-zeta", dt.date(2026, 3, 31)), ("r-later", dt.date(2027, 1, 4))]
    assert [a.record_id for a in due_for_disposal(SCHEDULE, people, held,
                                                  dt.date(2026, 3, 30))] == ["r-leap"]
    assert due_for_disposal(SCHEDULE, people, held, dt.date(2026, 2, 27)) == []


# --- the shipped rules ---------------------------------------------------------------


@pytest.mark.parametrize(("category", "kind", "rule_id", "keep"), [
    ("supervision", "supervisee", "staff-supervision", "6 years"),
    ("front_sheet", "supervisee", "staff-supervision", "6 years"),
    ("supervision", "carer", "foster-carer-supervision", None),
    ("case_discussion", "child", "child-case-records", None),
    ("group_discussion", "none", "other-records", None),
], ids=["supervision", "front-sheet", "carer", "child", "about-no-one"])
def test_the_shipped_rules_keep_staff_records_6_years_and_set_no_other_period(
    category: str, kind: str, rule_id: str, keep: str | None
) -> None:
    rule = load_rules(SHIPPED).rule_for(category, kind)
    assert rule is not None
    assert (rule.id, rule.keep and rule.keep.describe()) == (rule_id, keep)


def test_the_shipped_rules_never_make_a_carers_or_childs_record_due() -> None:
    people = [PersonFacts("carer", "carer", dt.date(1990, 1, 1)),
              PersonFacts("child", "child", dt.date(1990, 1, 1))]
    held = [RecordFacts("r-carer", "supervision", "carer", "carer", dt.date(1989, 1, 1)),
            RecordFacts("r-child", "case_discussion", "child", "child", dt.date(1989, 1, 1)),
            RecordFacts("r-group", "group_discussion", "none", None, dt.date(1989, 1, 1))]
    assert due_for_disposal(load_rules(SHIPPED), people, held, dt.date(2100, 1, 1)) == []


def test_the_shipped_rules_are_described_with_their_sources() -> None:
    lines = describe_rules(load_rules(SHIPPED)).splitlines()
    assert lines[0] == ("Shipped retention rules (Kent §12.2 for staff records; others until "
                        "your agency sets them) (id default)")
    assert lines[1:4] == [
        "  Staff supervision file: kept 6 years after the person's work ended (left, "
        "approval ended, case closed)",
        "    applies to: about a supervisee",
        "    source: 004 §12.2 line 322 (and line 314 for what the file holds)",
    ]
    assert lines[-3:] == ["  Other records: kept until a retention period is set (none is set)",
                          "    applies to: every record",
                          "    source: none: no seed gives a period"]
    assert len(lines) == 16


def test_rules_are_described_rule_by_rule() -> None:
    rules = _rules(
        _rule("staff", {"years": 6}, applies_to={
            "categories": ["supervision", "agreement"], "subject_kinds": ["supervisee", "carer"]},
            note="from the day they left"),
        _rule("groups", {"months": 18}, applies_to={"categories": ["group_discussion"]},
              after="session_date"),
        _rule("rest", None),
    )
    assert describe_rules(rules) == "\n".join([
        "Our schedule (id ours)",
        "  Staff file: kept 6 years after the person's work ended (left, approval ended, "
        "case closed)",
        "    applies to: categories supervision, agreement; about a supervisee or carer",
        "    source: Our policy 4.2",
        "    note: from the day they left",
        "  Staff file: kept 18 months after the session date",
        "    applies to: categories group_discussion",
        "    source: Our policy 4.2",
        "  Staff file: kept until a retention period is set (none is set)",
        "    applies to: every record",
        "    source: Our policy 4.2",
    ])


# --- the rules kept in the vault -----------------------------------------------------


def test_a_snapshot_is_the_rules_as_json_and_reads_back_the_same() -> None:
    rules = _rules(_rule("staff", {"years": 6}, applies_to={"subject_kinds": ["supervisee"]}),
                   _rule("rest", None, after="session_date", note="kept"))
    text = rules.snapshot()
    assert text == (
        '{"id":"ours","title":"Our schedule","rules":['
        '{"id":"staff","title":"Staff file","applies_to":{"categories":[],'
        '"subject_kinds":["supervisee"]},"keep":{"years":6,"months":0},'
        '"after":"subject_ended","ref":"Our policy 4.2","note":""},'
        '{"id":"rest","title":"Staff file","applies_to":{"categories":[],"subject_kinds":[]},'
        '"keep":null,"after":"session_date","ref":"Our policy 4.2","note":"kept"}]}')
    assert RetentionRules.from_snapshot(text) == rules


def test_rules_cannot_be_changed_once_loaded() -> None:
    rules = load_rules(SHIPPED)
    with pytest.raises(ValidationError, match="frozen"):
        rules.rules[0].keep.years = 1  # type: ignore[union-attr,misc]
    with pytest.raises(ValidationError, match="frozen"):
        rules.rules[0].applies_to.subject_kinds = ()  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        rules.rules[0].id = "other"  # type: ignore[misc]
    assert isinstance(rules.rules[0], RetentionRule)


# --- bad rules files -----------------------------------------------------------------


@pytest.mark.parametrize(("data", "problems"), [
    ([{"id": "ours"}], ["must be a mapping with id, title and rules"]),
    ("rules", ["must be a mapping with id, title and rules"]),
    ({"id": "ours", "title": "Ours", "rules": []}, ["a rules file needs at least one rule"]),
    ({"id": "ours", "title": "Ours"}, ["rules: Field required"]),
    ({"id": "Ours", "title": "", "rules": [_rule()]},
     ["id: String should match pattern '^[a-z][a-z0-9-]*$'",
      "title: String should have at least 1 character"]),
    ({"id": "ours", "title": "Ours", "rules": [_rule(), _rule(keep={"years": 1})]},
     ["rule id 'staff' is used twice"]),
    ({"id": "ours", "title": "Ours", "rules": [
        {"id": "staff", "title": "Staff", "ref": "x"}]},
     ["rules[1] 'staff' > keep: Field required"]),
    ({"id": "ours", "title": "Ours", "rules": [_rule(ref="")]},
     ["rules[1] 'staff' > ref: String should have at least 1 character"]),
    ({"id": "ours", "title": "Ours", "rules": [_rule(title="")]},
     ["rules[1] 'staff' > title: String should have at least 1 character"]),
    ({"id": "ours", "title": "Ours", "rules": [_rule(after="birth_date")]},
     ["rules[1] 'staff' > after: Input should be 'subject_ended' or 'session_date'"]),
    ({"id": "ours", "title": "Ours", "rules": [_rule(colour="red")]},
     ["rules[1] 'staff' > colour: Extra inputs are not permitted"]),
    ({"id": "ours", "title": "Ours", "rules": [
        _rule(applies_to={"subject_kinds": ["dog"], "ages": [25]})]},
     ["rules[1] 'staff' > applies_to > subject_kinds[1]: Input should be 'supervisee', "
      "'carer', 'child' or 'none'",
      "rules[1] 'staff' > applies_to > ages: Extra inputs are not permitted"]),
    ({"id": "ours", "title": "Ours", "rules": [
        _rule(), _rule("Carers", applies_to={"categories": ["notes"]})]},
     ["rules[2] 'Carers' > id: String should match pattern '^[a-z][a-z0-9-]*$'",
      "rules[2] 'Carers' > applies_to > categories[1]: Input should be 'front_sheet', "
      "'agreement', 'supervision', 'monitoring', 'case_discussion', 'group_discussion' "
      "or 'oversight'"]),
], ids=["a-list", "a-string", "no-rules", "rules-missing", "bad-id-and-empty-title",
        "repeated-rule-id", "keep-missing", "ref-empty", "rule-title-empty", "unknown-anchor",
        "unknown-key", "unknown-subject-kind-and-key", "second-rule-bad-id-and-category"])
def test_a_bad_rules_file_says_what_is_wrong_and_where(data: Any,
                                                      problems: list[str]) -> None:
    assert _problems(data) == problems


@pytest.mark.parametrize(("rule_id", "ok"), [
    ("staff", True), ("staff-2", True), ("a", True), ("s2-x", True),
    ("Staff", False), ("2staff", False), ("-staff", False), ("staff_file", False),
    ("staff file", False), ("", False), ("staff\n", False),
], ids=["word", "digit-and-hyphen", "one-letter", "mixed", "capital", "leading-digit",
        "leading-hyphen", "underscore", "space", "empty", "trailing-newline"])
def test_rule_ids_are_lower_case_letters_digits_and_hyphens(rule_id: str, ok: bool) -> None:
    data = {"id": rule_id, "title": "Ours", "rules": [_rule(rule_id)]}
    if ok:
        assert parse_rules(data, "ours.yaml").rules[0].id == rule_id
    else:
        refused = "String should match pattern '^[a-z][a-z0-9-]*$'"
        named = f" '{rule_id}'" if rule_id else ""
        assert _problems(data) == [f"id: {refused}", f"rules[1]{named} > id: {refused}"]


def test_the_message_names_the_file_and_joins_every_problem() -> None:
    with pytest.raises(RetentionError) as caught:
        parse_rules({"id": "ours", "title": "", "rules": [_rule(after="birth")]},
                    Path("/agency/ours.yaml"))
    assert str(caught.value) == (
        "ours.yaml: title: String should have at least 1 character; "
        "rules[1] 'staff' > after: Input should be 'subject_ended' or 'session_date'")
    assert caught.value.path == Path("/agency/ours.yaml")
    assert caught.value.located == [
        (1, "title: String should have at least 1 character"),
        (1, "rules[1] 'staff' > after: Input should be 'subject_ended' or 'session_date'")]


def _write(folder: Path, text: str) -> Path:
    path = folder / "ours.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_rules_file_on_disk_gives_each_problem_its_line(tmp_path: Path) -> None:
    path = _write(tmp_path, (
        "id: ours\n"
        "title: Ours\n"
        "rules:\n"
        "  - id: staff\n"
        "    title: Staff\n"
        "    keep: {years: 0}\n"
        "    ref: x\n"
        "  - id: carers\n"
        "    title: Carers\n"
        "    keep: null\n"
        "    after: approval\n"
        "    ref: y\n"))
    with pytest.raises(RetentionError) as caught:
        load_rules(path)
    assert caught.value.located == [
        (6, "rules[1] 'staff' > keep: a retention period is more than zero years or months"),
        (11, "rules[2] 'carers' > after: Input should be 'subject_ended' or 'session_date'")]


@pytest.mark.parametrize(("text", "message", "located"), [
    ("id: ours\ntitle: Ours\nrules: [\n",
     "ours.yaml: line 4: not valid YAML (did not find expected node content)",
     [(4, "not valid YAML (did not find expected node content)")]),
    ("- id: ours\n- title: Ours\n", "ours.yaml: must be a mapping with id, title and rules",
     [(1, "must be a mapping with id, title and rules")]),
], ids=["not-yaml", "a-list"])
def test_a_rules_file_that_is_not_rules_is_refused(tmp_path: Path, text: str, message: str,
                                                  located: list[tuple[int, str]]) -> None:
    with pytest.raises(RetentionError) as caught:
        load_rules(_write(tmp_path, text))
    assert (str(caught.value), caught.value.located) == (message, located)


def test_a_missing_rules_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(RetentionError) as caught:
        load_rules(str(tmp_path / "ours.yaml"))
    assert str(caught.value) == "ours.yaml: does not exist (was it moved or deleted?)"
    assert caught.value.path == tmp_path / "ours.yaml"


def test_a_good_rules_file_on_disk_loads(tmp_path: Path) -> None:
    rules = load_rules(_write(tmp_path, (
        "id: ours\ntitle: Our schedule\nrules:\n"
        "  - id: carers\n    title: Carer records\n    applies_to: {subject_kinds: [carer]}\n"
        "    keep: {years: 10}\n    after: subject_ended\n    ref: Our policy 4.2\n")))
    [rule] = rules.rules
    assert (rules.id, rule.id, rule.keep, rule.applies_to.subject_kinds) == (
        "ours", "carers", Keep(years=10), ("carer",))
