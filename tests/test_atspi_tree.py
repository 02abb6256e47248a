"""Every shipped form as a screen reader reads it (issue 21, EN 301 549 11.4.1.2 and
11.1.3.1): on X11, through Qt's AT-SPI bridge, read by a real AT-SPI client (pyatspi from
the system's packages), each input has a role, carries its visible label (as its name, or
through the "labelled by" relation Orca reads for a combo box, whose name is its value),
and says when it is required. The header's date and subject too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from supervision_desktop.domain.templates import FieldKind, Template, TemplateField
from supervision_desktop.services import templates

PROBE = Path(__file__).parent / "atspi" / "run.sh"
REQUIRED = "Required before the record is finalised."
ROLES = {
    FieldKind.TEXT: {"text"}, FieldKind.LONGTEXT: {"text"}, FieldKind.DATE: {"text"},
    FieldKind.TIME: {"text"}, FieldKind.DURATION: {"spin button"},
    FieldKind.YESNO: {"combo box"}, FieldKind.CHOICE: {"combo box"},
    FieldKind.PERSON: {"combo box"}, FieldKind.TABLE: {"table"},
}


@pytest.fixture(scope="module")
def trees() -> dict[str, list[dict[str, Any]]]:
    """Each form's accessibility tree, by template id, read once for the module."""
    shipped = templates.catalogue().templates
    done = subprocess.run(
        ["dbus-run-session", "--", "bash", str(PROBE), str(len(shipped))],
        capture_output=True, text=True, timeout=240,
        env={**os.environ, "PYTHON": sys.executable}, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    assert sorted(found) == sorted(t.id for t in shipped)
    return dict(found)


def _plain(text: str) -> str:
    return " ".join(text.removeprefix("Section: ").removesuffix(" *").split())


def _nodes_for(tree: list[dict[str, Any]], words: str) -> list[dict[str, Any]]:
    """The nodes a screen reader announces with ``words``: named so, or labelled by them."""
    return [n for n in tree if _plain(n["name"]) == words
            or words in (_plain(label) for label in n["labelled_by"])]


def _check_field(tree: list[dict[str, Any]], template: Template, field: TemplateField
                 ) -> list[str]:
    section = next(s for s in template.sections if field in s.fields)
    words = _plain(section.title if section.title_repeats_field else field.label)
    if field.kind is FieldKind.SIGNATURE:
        nodes = [n for n in tree if n["name"] == f"{field.label}: name"]
        if not nodes or words not in (_plain(label) for label in nodes[0]["labelled_by"]):
            return [f"{template.id} {field.id}: the signer's name box is not labelled "
                    f"“{words}”"]
    elif field.kind is FieldKind.MULTICHOICE:
        names = {n["name"] for n in tree if n["role"] == "check box"}
        missing = [o for o in field.options if o not in names]
        return [f"{template.id} {field.id}: no check box for {missing}"] if missing else []
    else:
        nodes = [n for n in _nodes_for(tree, words) if n["role"] in ROLES[field.kind]]
        if not nodes:
            return [f"{template.id} {field.id}: no {'/'.join(ROLES[field.kind])} announced "
                    f"as “{words}”"]
    if field.kind is FieldKind.LONGTEXT and "multi line" not in nodes[0]["states"]:
        return [f"{template.id} {field.id}: not announced as several lines"]
    if field.required and REQUIRED not in nodes[0]["description"]:
        return [f"{template.id} {field.id}: not announced as required"]
    return []


@pytest.mark.slow
def test_every_input_of_every_form_is_announced_with_its_label_role_and_requirement(
        trees: dict[str, list[dict[str, Any]]]) -> None:
    problems = []
    for template in templates.catalogue().templates:
        tree = trees[template.id]
        for field in template.fields():
            if not field.asked_in_header:
                problems += _check_field(tree, template, field)
    assert problems == []


@pytest.mark.slow
def test_the_header_asks_the_date_and_subject_in_the_forms_own_words(
        trees: dict[str, list[dict[str, Any]]]) -> None:
    form = templates.get_template("personal-supervision")
    tree = trees[form.id]
    (date,) = [n for n in tree if n["role"] == "text" and n["name"] == "Date of supervision"]
    assert date["labelled_by"] == ["Date of supervision *"] and REQUIRED in date["description"]
    (subject,) = [n for n in tree if n["role"] == "combo box"
                  and n["labelled_by"] == ["Supervisee *"]]
    assert REQUIRED in subject["description"]
    assert "editable" not in subject["states"]  # chosen from the vault's people


@pytest.mark.slow
def test_the_sections_list_is_a_list_a_screen_reader_can_move_through(
        trees: dict[str, list[dict[str, Any]]]) -> None:
    form = templates.get_template("foster-carer-supervision")
    tree = trees[form.id]
    (outline,) = [n for n in tree if n["role"] == "list" and n["name"] == "Sections of this form"]
    items = [n["name"] for n in tree if n["role"] == "list item"]
    assert [s.title for s in form.sections] == [i for i in items if i in
                                                {s.title for s in form.sections}]
    assert "focusable" in outline["states"]
