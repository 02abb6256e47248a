"""agency.yaml read as IT writes it: every mistake reported on its own line, in words."""

from __future__ import annotations

from pathlib import Path

import pytest

from supervision_desktop.domain.agency_pack import PackError, Problem, parse_pack
from supervision_desktop.domain.templates import TemplateError, load_template
from supervision_desktop.domain.yaml_lines import FileProblems, line_of, split_line
from supervision_desktop.paths import templates_dir

TEMPLATES = templates_dir()

GOOD = """\
format: 1
name: Anytown Council, Children's Services
short_name: Anytown
version: "2026.2"
templates:
  - personal-supervision
  - management-oversight
policy: kent
"""


def problems_of(text: str) -> list[str]:
    with pytest.raises(PackError) as raised:
        parse_pack(text)
    return [str(problem) for problem in raised.value.problems]


def test_a_good_pack_reads_with_its_defaults() -> None:
    pack = parse_pack(GOOD)
    assert pack.templates == ("personal-supervision", "management-oversight")
    assert (pack.policy, pack.retention, pack.marking) == ("kent", "default",
                                                          "OFFICIAL-SENSITIVE")
    assert pack.local_policy_choice is False and pack.logo is None
    assert pack.label == "Anytown (version 2026.2)"


def test_every_mistake_is_named_with_its_own_line() -> None:
    text = """\
format: 1
name: Anytown Council
short_name: Anytown
version: 2026.2
colour: blue
templates:
  - personal-supervision
  - Personal Supervision
  - personal-supervision
policy: ../kent.yaml
logo: logo.gif
"""
    assert problems_of(text) == [
        'agency.yaml:4: version must be text: put it in quotes, e.g. "2026.1"',
        "agency.yaml:5: colour is not a key of agency.yaml (a typing error?)",
        "agency.yaml:6: templates 'Personal Supervision' is not a template id (lower case, "
        "digits and '-', e.g. personal-supervision)",
        "agency.yaml:10: policy '../kent.yaml' must be a file name in the pack's folder "
        "(no folders, no '..')",
        "agency.yaml:11: logo 'logo.gif' must be a PNG or JPEG file name in the pack's "
        "folder",
    ]


def test_a_repeated_template_is_refused() -> None:
    text = GOOD.replace("  - management-oversight\n", "  - personal-supervision\n")
    assert problems_of(text) == ["agency.yaml:5: templates lists personal-supervision "
                                 "more than once"]


def test_missing_keys_point_at_the_start_and_a_later_format_says_so() -> None:
    assert problems_of("format: 2\nname: Anytown\n") == [
        "agency.yaml:1: format must be 1: this version of the app reads format 1",
        "agency.yaml:1: short_name is missing",
        "agency.yaml:1: version is missing",
        "agency.yaml:1: templates is missing",
        "agency.yaml:1: policy is missing",
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("", "agency.yaml:1: must be a mapping of keys (name:, templates:, policy: …): see "
         "resources/agencies/README.md"),
    ("- a\n- b\n", "agency.yaml:1: must be a mapping of keys (name:, templates:, policy: "
                   "…): see resources/agencies/README.md"),
    ("format: 1\nname: [\n", "agency.yaml:3: not valid YAML (did not find expected node "
                             "content)"),
    ("a:\n" + "  " * 3 + "- " * 150 + "x\n", "agency.yaml:1: is nested too deeply (more "
                                             "than 100 levels)"),
])
def test_text_that_is_not_a_pack_gets_one_line(text: str, expected: str) -> None:
    assert problems_of(text) == [expected]


def test_problems_print_as_file_line_message_and_sort_file_by_file() -> None:
    error = PackError([Problem("templates/b.yaml", 3, "x"), Problem("policy.yaml", 9, "y"),
                       Problem("agency.yaml", 7, "z"), Problem("policy.yaml", 2, "w")])
    assert [str(p) for p in error.problems] == [
        "agency.yaml:7: z", "policy.yaml:2: w", "policy.yaml:9: y", "templates/b.yaml:3: x"]


def test_line_of_follows_keys_and_list_items_and_stops_where_the_path_ends() -> None:
    text = "a: 1\nb:\n  c:\n    - x\n    - y\n  d: 2\n"
    assert line_of(text, ("a",)) == 1
    assert line_of(text, ("b", "c", 1)) == 5
    assert line_of(text, ("b", "d")) == 6
    assert line_of(text, ("b", "missing")) == 2
    assert line_of(text, ("b", "c", 7)) == 3
    assert line_of("a: [", ("a",)) == 1


def test_split_line_and_file_problems() -> None:
    assert split_line("line 12: not valid YAML (x)") == (12, "not valid YAML (x)")
    assert split_line("is empty") == (1, "is empty")
    error = FileProblems.unreadable("f.yaml", "line 4: not valid YAML (x)")
    assert error.located == [(4, "not valid YAML (x)")]
    assert str(error) == "f.yaml: line 4: not valid YAML (x)"


def test_a_template_file_reports_the_line_of_each_problem(tmp_path: Path) -> None:
    shipped = (TEMPLATES / "management-oversight.yaml").read_text(encoding="utf-8")
    lines = shipped.splitlines(keepends=True)
    broken = lines.index("        kind: date\n")  # the first date field's kind
    lines[broken] = "        kind: calendar\n"
    path = tmp_path / "management-oversight.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(TemplateError) as raised:
        load_template(path)
    assert [line for line, _ in raised.value.located] == [broken + 1]
    assert raised.value.located[0][1].endswith("kind: Input should be 'text', 'longtext', "
                                               "'date', 'time', 'duration', 'yesno', "
                                               "'choice', 'multichoice', 'person', 'table' "
                                               "or 'signature'")
