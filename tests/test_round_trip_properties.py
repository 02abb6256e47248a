"""Round trips that must hold for any content (hypothesis): a record's canonical JSON
reads back as what was written and hashes the same whatever order its fields came in;
every shipped template survives its snapshot, and a value for every field validates."""

from __future__ import annotations

import hashlib
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from supervision_desktop.domain.records import RecordContent
from supervision_desktop.domain.templates import Template, validate_values
from supervision_desktop.services.templates import catalogue
from tests.sample_values import fill_every_field

TEXT = st.text(st.characters(codec="utf-8"), max_size=20)  # no lone surrogates
VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | TEXT,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)
FIELDS = st.dictionaries(st.text("abcdefghij_", min_size=1, max_size=8), VALUES, max_size=6)
DATES = st.none() | st.dates().map(lambda d: d.isoformat())
HASHES = st.none() | st.text("0123456789abcdef", min_size=64, max_size=64)


def _content(fields: dict[str, Any], date: str | None = "2026-11-22") -> RecordContent:
    return RecordContent("personal-supervision", 1, "s" * 32, date, fields)


@settings(deadline=None)  # a loaded machine is not a slow rule
@given(FIELDS, DATES)
def test_canonical_json_reads_back_as_written(fields: dict[str, Any], date: str | None) -> None:
    document = json.loads(_content(fields, date).canonical_json())
    assert document == {"template": ["personal-supervision", 1], "subject": "s" * 32,
                        "date": date, "fields": fields}


@settings(deadline=None)  # a loaded machine is not a slow rule
@given(FIELDS, HASHES)
def test_the_hash_does_not_depend_on_the_order_fields_were_written_in(
    fields: dict[str, Any], previous: str | None
) -> None:
    reordered = dict(reversed(list(fields.items())))
    assert _content(reordered).content_hash(previous) == _content(fields).content_hash(previous)


@settings(deadline=None)  # a loaded machine is not a slow rule
@given(FIELDS, HASHES)
def test_the_hash_is_of_the_link_a_newline_and_the_canonical_json(
    fields: dict[str, Any], previous: str | None
) -> None:
    content = _content(fields)
    expected = hashlib.sha256(f"{previous or ''}\n{content.canonical_json()}".encode())
    assert content.content_hash(previous) == expected.hexdigest()


@settings(deadline=None)  # a loaded machine is not a slow rule
@given(FIELDS, st.text("0123456789abcdef", min_size=64, max_size=64))
def test_a_version_chained_to_a_parent_never_hashes_as_a_first_version(
    fields: dict[str, Any], previous: str
) -> None:
    assert _content(fields).content_hash(previous) != _content(fields).content_hash(None)


SHIPPED = catalogue().templates


def test_templates_are_shipped() -> None:
    assert len(SHIPPED) >= 5 and not catalogue().errors


@pytest.mark.parametrize("template", SHIPPED, ids=[t.id for t in SHIPPED])
def test_a_shipped_template_survives_its_snapshot(template: Template) -> None:
    text = template.snapshot()
    again = Template.model_validate_json(text)
    assert again == template
    assert again.snapshot() == text


@pytest.mark.parametrize("template", SHIPPED, ids=[t.id for t in SHIPPED])
@settings(deadline=None)  # a loaded machine is not a slow rule
@given(text=st.text(st.characters(exclude_categories=("Cs", "Cc")), min_size=1, max_size=30))
def test_any_text_in_every_field_of_a_shipped_template_validates(
    template: Template, text: str
) -> None:
    values = fill_every_field(template, text)
    assert validate_values(template, values) == []
    assert validate_values(template, json.loads(json.dumps(values))) == []
