"""The agency pack's and the YAML reader's rules pinned case by case (the mutation runs
for domain/agency_pack.py and domain/yaml_lines.py read this file): where a problem is
said to be, what names a file, and how a file is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from supervision_desktop.domain import safe_input
from supervision_desktop.domain.agency_pack import (
    PackError,
    Problem,
    is_file_reference,
    parse_pack,
)
from supervision_desktop.domain.yaml_lines import FileProblems, line_of, read_yaml

PACK = """\
format: 1
name: Anytown Council
short_name: Anytown
version: "1"
templates:
  - personal-supervision
  - [not, an, id]
policy: kent
"""


def test_a_problem_inside_a_list_names_its_place_counted_from_one() -> None:
    with pytest.raises(PackError) as refused:
        parse_pack(PACK)
    (problem,) = refused.value.problems
    assert str(problem) == "agency.yaml:7: templates > 2 Input should be a valid string"


def test_every_problem_is_in_the_message_joined_by_semicolons() -> None:
    error = PackError([Problem("policy.yaml", 3, "b"), Problem("agency.yaml", 2, "a")])
    assert str(error) == "policy.yaml:3: b; agency.yaml:2: a"  # as found
    assert [str(p) for p in error.problems] == ["agency.yaml:2: a", "policy.yaml:3: b"]


@pytest.mark.parametrize(("value", "is_file"), [
    ("policy.yaml", True), ("policy.yml", True), ("POLICY.YML", True), ("Ours.YAML", True),
    ("kent", False), ("policy.yaml.txt", False), ("yml", False),
])
def test_a_file_is_named_by_its_yaml_ending(value: str, is_file: bool) -> None:
    assert is_file_reference(value) is is_file


def test_a_yaml_file_is_read_up_to_one_megabyte_and_named_by_its_file(tmp_path: Path) -> None:
    exactly = tmp_path / "ours.yaml"
    exactly.write_bytes(b"a: 1\n" + b"#" * (1024 * 1024 - 6) + b"\n")
    assert read_yaml(exactly)[0] == {"a": 1}
    over = tmp_path / "big.yaml"
    over.write_bytes(b"a: 1\n" + b"#" * (1024 * 1024 - 5) + b"\n")
    with pytest.raises(safe_input.FileTooLarge) as refused:
        read_yaml(over)
    assert str(refused.value) == "big.yaml is too large (more than 1 MB)."
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [1,\n", encoding="utf-8")
    with pytest.raises(safe_input.InputProblem) as unreadable:
        read_yaml(broken)
    assert str(unreadable.value) == ("broken.yaml: line 2: not valid YAML (did not find "
                                     "expected node content).")
    odd = tmp_path / "odd.yaml"
    odd.write_bytes(b"a: \xff\n")
    with pytest.raises(safe_input.InputProblem) as not_text:
        read_yaml(odd)
    assert str(not_text.value) == "odd.yaml is not UTF-8 text."


@pytest.mark.parametrize(("location", "line"), [
    ((), 1), (("templates",), 5), (("templates", 0), 6), (("templates", 1), 7),
    (("templates", 2), 5),  # past the end of the list: the list's own line
    (("templates", -1), 5), (("nothing",), 1),
])
def test_the_line_of_a_place_in_the_file(location: tuple, line: int) -> None:
    assert line_of(PACK, location) == line
    assert line_of("key: [unclosed\n", location) == 1  # not YAML: line 1
    assert line_of("", location) == 1 and line_of("# only a comment\n", location) == 1


def test_problems_without_lines_are_on_line_one_and_joined(tmp_path: Path) -> None:
    error = FileProblems(tmp_path / "form.yaml", ["first", "second"])
    assert error.lines == [1, 1]
    assert str(error) == "form.yaml: first; second"
