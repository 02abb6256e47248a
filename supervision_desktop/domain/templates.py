"""Supervision templates: the data format, strict loading and value validation.

A template is a YAML file under ``resources/templates/`` (format documented in
``resources/templates/README.md``). It is parsed strictly with pydantic into frozen
models: unknown keys, unknown field kinds and duplicate ids are errors that name the
file and the field. Records keep the template version they were written with, so the
models here are also rebuilt from the JSON snapshot a record stores.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from supervision_desktop.domain import safe_input
from supervision_desktop.domain.dates import iso_date
from supervision_desktop.domain.yaml_lines import FileProblems, line_of, read_yaml

ID_PATTERN = r"^[a-z][a-z0-9_]*$"
TEMPLATE_ID_PATTERN = r"^[a-z][a-z0-9-]*$"
# The template file format this version reads. 1: the original keys; 2: adds a field's
# `fills` (resources/templates/README.md, "Filled in from what the app knows"); 3: adds a
# field's `content` (README, "Personal and case content").
FORMAT = 3


class FieldKind(StrEnum):
    TEXT = "text"  # one line
    LONGTEXT = "longtext"  # paragraphs, with guidance prompts
    DATE = "date"  # ISO 2026-11-22, shown 22/11/2026
    TIME = "time"  # 24-hour HH:MM
    DURATION = "duration"  # whole minutes
    YESNO = "yesno"  # true / false
    CHOICE = "choice"  # one of options
    MULTICHOICE = "multichoice"  # any of options
    PERSON = "person"  # a person's name, offered from the vault's people of person_kind
    TABLE = "table"  # repeating rows with typed columns
    SIGNATURE = "signature"  # name, role, date and a drawn signature


class ColumnKind(StrEnum):
    TEXT = "text"
    LONGTEXT = "longtext"
    DATE = "date"
    TIME = "time"
    YESNO = "yesno"
    CHOICE = "choice"
    PERSON = "person"


PersonKind = Literal["supervisor", "supervisee", "carer", "child"]
# What the app knows that a field can be filled from. The record's own session date and
# subject are asked once, in the form's header, and kept in the field (ASKED_IN_HEADER);
# the others fill an empty field when a record is made, and can then be changed.
Fact = Literal["session_date", "subject", "supervisor", "carers", "date_of_birth",
               "children_placed"]
ASKED_IN_HEADER: tuple[str, ...] = ("session_date", "subject")
_FACT_KINDS: dict[str, tuple[str, ...]] = {
    "session_date": ("date",),
    "subject": ("person", "text"),
    "supervisor": ("person", "text"),
    "carers": ("text", "longtext"),
    "date_of_birth": ("date",),
    "children_placed": ("table",),  # one row per child, the name in the first column
}
TableRole = Literal["actions", "action_review"]
# What a field holds, for a split export (Kent §12.1–12.2; Lambeth 2.2 and App. E): the
# worker's own matters (personal, for the staff file), discussion of children (case: a
# table with a child column, one extract per child), or what every part carries (shared:
# who, when, the signatures). A field without it stays with the staff-file record.
Content = Literal["personal", "case", "shared"]
SubjectKind = Literal["supervisee", "carer", "child", "none"]
Audience = Literal["staff", "carer", "both"]
Category = Literal[
    "front_sheet",
    "agreement",
    "supervision",
    "monitoring",
    "case_discussion",
    "group_discussion",
    "oversight",
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    """Where the template's wording comes from."""

    organisation: str
    document: str
    seed: str = Field(description="file name of the seed document in shared/seeds")
    reference: str = ""  # section or appendix in that document

    def shown(self, separator: str = " — ") -> str:
        """Organisation, document and section as a person reads them: the developers'
        seed file names (e.g. "(000_2f73….txt)") left out."""
        return separator.join(p for p in (self.organisation, self.document,
                                          self._reference()) if p)

    def document_shown(self) -> str:
        """The document and its section, without the organisation or seed file names."""
        return " — ".join(p for p in (self.document, self._reference()) if p)

    def _reference(self) -> str:
        return _SEED_FILE.sub("", self.reference).strip()


# A seed file's name as cited in a template's reference: "(000_2f73382fddf12733.txt)".
_SEED_FILE = re.compile(r"\s*\(?\b\d{3}_[0-9a-f]{16}\.txt\b\)?")


class Column(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    label: str
    kind: ColumnKind = ColumnKind.TEXT
    options: tuple[str, ...] = ()
    person_kind: PersonKind | None = None

    @model_validator(mode="after")
    def _options_match_kind(self) -> Column:
        if self.kind is ColumnKind.CHOICE and not self.options:
            raise ValueError(f"column '{self.id}' of kind choice needs options")
        if self.kind is not ColumnKind.CHOICE and self.options:
            raise ValueError(f"column '{self.id}' has options but is not a choice")
        return self


class TemplateField(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    kind: FieldKind
    label: str
    required: bool = False
    guidance: tuple[str, ...] = ()
    options: tuple[str, ...] = ()
    person_kind: PersonKind | None = None
    columns: tuple[Column, ...] = ()
    preset_rows: tuple[str, ...] = ()  # tables: first column pre-filled, one row each
    role: TableRole | None = None
    signer: str = ""  # signature: who signs here, e.g. "Supervisor"
    fills: Fact | None = None  # filled from what the app knows (format 2)
    content: Content | None = None  # personal, case or shared, for a split export (format 3)

    @property
    def asked_in_header(self) -> bool:
        """The record's session date or subject: asked once, in the header, not here."""
        return self.fills in ASKED_IN_HEADER

    def child_column(self) -> Column | None:
        """A table's one column naming a child (kind person, person_kind child), if any."""
        found = [c for c in self.columns
                 if c.kind is ColumnKind.PERSON and c.person_kind == "child"]
        return found[0] if len(found) == 1 else None

    @model_validator(mode="after")
    def _attributes_match_kind(self) -> TemplateField:
        kind = self.kind
        if self.content == "case" and (kind is not FieldKind.TABLE
                                       or self.child_column() is None):
            raise ValueError(f"field '{self.id}' is case content, so it must be a table with "
                             "one column naming the child (kind person, person_kind child)")
        if self.fills is not None and kind.value not in _FACT_KINDS[self.fills]:
            allowed = " or ".join(_FACT_KINDS[self.fills])
            raise ValueError(f"field '{self.id}' fills {self.fills}, so it must be of kind "
                             f"{allowed}")
        if (self.fills == "children_placed" and self.columns
                and self.columns[0].kind not in (ColumnKind.TEXT, ColumnKind.PERSON)):
            raise ValueError(f"table '{self.id}' fills children_placed, so its first column "
                             "(the child's name) must be text or person")
        if kind in (FieldKind.CHOICE, FieldKind.MULTICHOICE):
            if not self.options:
                raise ValueError(f"field '{self.id}' of kind {kind.value} needs options")
        elif self.options:
            raise ValueError(f"field '{self.id}' has options but is not a choice")
        if kind is FieldKind.PERSON and self.person_kind is None:
            raise ValueError(f"field '{self.id}' of kind person needs person_kind")
        if kind is FieldKind.TABLE:
            self._check_table()
        elif self.columns or self.preset_rows or self.role:
            raise ValueError(f"field '{self.id}' has table attributes but is not a table")
        if kind is FieldKind.SIGNATURE and not self.signer:
            raise ValueError(f"field '{self.id}' of kind signature needs signer")
        return self

    def _check_table(self) -> None:
        if not self.columns:
            raise ValueError(f"table '{self.id}' needs columns")
        ids = [c.id for c in self.columns]
        duplicated = sorted({i for i in ids if ids.count(i) > 1})
        if duplicated:
            raise ValueError(f"table '{self.id}' repeats column id {', '.join(duplicated)}")
        if self.role in ("actions", "action_review") and "action" not in ids:
            raise ValueError(f"table '{self.id}' with role {self.role} needs a column 'action'")
        if self.preset_rows and self.columns[0].kind is not ColumnKind.TEXT:
            raise ValueError(f"table '{self.id}' has preset_rows, so its first column must be text")


class Section(_Strict):
    id: str = Field(pattern=ID_PATTERN)
    title: str
    guidance: tuple[str, ...] = ()
    staff_only: bool = False  # left out of a carer's copy
    fields: tuple[TemplateField, ...]

    @property
    def title_repeats_field(self) -> bool:
        """One field labelled as the section itself: forms and PDFs show the words once."""
        return len(self.fields) == 1 and self.fields[0].label.strip() == self.title.strip()


class Template(_Strict):
    """One supervision form, as an agency defines it."""

    format: int = Field(default=1, ge=1)  # the file format it is written in (FORMAT)
    id: str = Field(pattern=TEMPLATE_ID_PATTERN)
    version: int = Field(ge=1)
    title: str
    category: Category
    subject_kind: SubjectKind
    audience: Audience = "staff"
    per_child: bool = False  # a decision covering a family is exported once per child
    source: Source
    notice: str = ""  # a reminder shown at the top of the form
    sections: tuple[Section, ...]

    @model_validator(mode="after")
    def _ids_unique(self) -> Template:
        if self.format > FORMAT:
            raise ValueError(f"it is written in template format {self.format}, which a newer "
                             "version of Supervision Desktop reads: update the application")
        if not self.sections:
            raise ValueError("a template needs at least one section")
        filling = [f for f in self.fields() if f.fills is not None]
        if filling and self.format < 2:
            raise ValueError(f"field '{filling[0].id}' uses fills, which needs format: 2 at "
                             "the top of the file")
        marked = [f for f in self.fields() if f.content is not None]
        if marked and self.format < 3:
            raise ValueError(f"field '{marked[0].id}' uses content, which needs format: 3 at "
                             "the top of the file")
        for fact in ASKED_IN_HEADER:
            ids = [f.id for f in filling if f.fills == fact]
            if len(ids) > 1:
                raise ValueError(f"only one field may fill {fact}: {', '.join(ids)}")
        if self.subject_kind == "none" and any(f.fills == "subject" for f in filling):
            raise ValueError("a template about no one (subject_kind: none) has no subject "
                             "to fill")
        for field in filling:
            if (field.fills == "subject" and field.kind is FieldKind.PERSON
                    and field.person_kind != self.subject_kind):
                raise ValueError(f"field '{field.id}' fills the subject, a "
                                 f"{self.subject_kind}, so its person_kind must be "
                                 f"{self.subject_kind}")
        for what, ids in (
            ("section", [s.id for s in self.sections]),
            ("field", [f.id for s in self.sections for f in s.fields]),
        ):
            duplicated = sorted({i for i in ids if ids.count(i) > 1})
            if duplicated:
                raise ValueError(f"{what} id repeated: {', '.join(duplicated)}")
        return self

    @property
    def key(self) -> tuple[str, int]:
        return (self.id, self.version)

    def fields(self) -> Iterable[TemplateField]:
        for section in self.sections:
            yield from section.fields

    def field(self, field_id: str) -> TemplateField:
        for candidate in self.fields():
            if candidate.id == field_id:
                return candidate
        raise KeyError(field_id)

    # --- carer copies: the record without its staff-only sections ---------------------

    def staff_only_sections(self) -> tuple[str, ...]:
        """Ids of the sections a carer copy leaves out."""
        return tuple(section.id for section in self.sections if section.staff_only)

    def carer_copy(self) -> Template:
        """This template without its staff-only sections (what a carer copy shows)."""
        kept = tuple(section for section in self.sections if not section.staff_only)
        return self.model_copy(update={"sections": kept})

    def carer_values(self, values: Mapping[str, Any]) -> dict[str, Any]:
        """``values`` without those of fields in staff-only sections."""
        left_out = {f.id for section in self.sections if section.staff_only
                    for f in section.fields}
        return {key: value for key, value in values.items() if key not in left_out}

    def snapshot(self) -> str:
        """Canonical JSON of this template, stored beside every record written with it.
        Keys a format-1 template cannot have are left out while unused, so a template
        that does not use them has the very snapshot it had before they existed."""
        document = self.model_dump(mode="json")
        if document["format"] == 1:
            del document["format"]
        for section in document["sections"]:
            for field in section["fields"]:
                for key in ("fills", "content"):
                    if field[key] is None:
                        del field[key]
        return json.dumps(document, sort_keys=True, ensure_ascii=False)

    # --- filled in from what the app knows --------------------------------------------

    def header_field(self, fact: str) -> TemplateField | None:
        """The field holding the record's session date or subject, if the form has one."""
        return next((f for f in self.fields() if f.fills == fact), None)

    def filled_from(self, facts: Mapping[str, Any], values: Mapping[str, Any]
                    ) -> dict[str, Any]:
        """``values`` with each field that fills a fact named in ``facts`` set from it.
        The session date and subject are kept in step with the header: set, or emptied
        when the fact is None. The others fill only an empty field, and only with a known
        value: what the person typed is never overwritten."""
        filled = dict(values)
        for field in self.fields():
            if field.fills is None or field.fills not in facts:
                continue
            fact = facts[field.fills]
            if field.asked_in_header:
                if fact in (None, ""):
                    filled.pop(field.id, None)
                else:
                    filled[field.id] = fact
            elif fact not in (None, "", []) and is_empty(field, filled.get(field.id)):
                filled[field.id] = ([{field.columns[0].id: name} for name in fact]
                                    if field.kind is FieldKind.TABLE else fact)
        return filled

    @classmethod
    def from_snapshot(cls, text: str) -> Template:
        # Frozen and made of tuples, so one parsed copy per snapshot can be shared: the
        # services parse the same few snapshots for every record they read.
        return _parsed_snapshot(text) if cls is Template else cls.model_validate_json(text)


@functools.lru_cache(maxsize=64)
def _parsed_snapshot(text: str) -> Template:
    return Template.model_validate_json(text)


# --- loading -------------------------------------------------------------------------


class TemplateError(FileProblems):
    """A template file that cannot be used; the message names the file and the field,
    ``located`` the line of each problem."""


def _describe_location(data: Any, loc: tuple[int | str, ...]) -> str:
    """Turn pydantic's ('sections', 2, 'fields', 0, 'kind') into readable words with ids."""
    words: list[str] = []
    node = data
    for part in loc:
        if isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node):
            node = node[part]
            ident = node.get("id") if isinstance(node, dict) else None
            words[-1] = f"{words[-1]}[{part + 1}]" + (f" '{ident}'" if ident else "")
        elif isinstance(node, dict) and part in node:
            node = node[part]
            words.append(str(part))
        else:
            node = None
            words.append(str(part))
    return " > ".join(words) if words else "template"


def parse_template(data: Any, path: Path | str, text: str | None = None) -> Template:
    """Validate a template's parsed YAML; ``text`` (the file's) gives problems lines."""
    try:
        return Template.model_validate(data)
    except ValidationError as exc:
        problems, lines = [], []
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            problems.append(f"{_describe_location(data, error['loc'])}: {message}")
            lines.append(line_of(text, error["loc"]) if text is not None else 1)
        raise TemplateError(path, problems, lines) from None


def load_template(path: Path | str) -> Template:
    """Load and validate one template file, raising TemplateError for any problem."""
    path = Path(path)
    try:
        data, text = read_yaml(path)
    except safe_input.InputProblem as exc:
        raise TemplateError.unreadable(path, exc.problem) from None
    if not isinstance(data, dict):
        raise TemplateError(path, ["must be a mapping of template keys"])
    return parse_template(data, path, text)


@dataclass(frozen=True)
class TemplateCatalogue:
    """Every template that loaded, and a message for every file that did not."""

    templates: tuple[Template, ...]
    errors: tuple[TemplateError, ...]

    def get(self, template_id: str) -> Template:
        found = self.find(template_id)
        if found is None:
            raise KeyError(template_id)
        return found

    def find(self, template_id: str) -> Template | None:
        return next((t for t in self.templates if t.id == template_id), None)


def load_directory(folder: Path | str) -> TemplateCatalogue:
    """Load every ``*.yaml`` template in a folder; a broken file never stops the others."""
    templates: dict[str, Template] = {}
    errors: list[TemplateError] = []
    for path in sorted(Path(folder).glob("*.yaml")):
        try:
            template = load_template(path)
        except TemplateError as exc:
            errors.append(exc)
            continue
        if template.id in templates:
            errors.append(TemplateError(path, [f"id '{template.id}' is already used"]))
            continue
        templates[template.id] = template
    return TemplateCatalogue(tuple(templates.values()), tuple(errors))


# --- values --------------------------------------------------------------------------

# ASCII digits only (\d takes any script's) and nothing after (a "$" allows a newline)
_TIME = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def _check_date(value: Any) -> str | None:
    if not isinstance(value, str):
        return "must be a date written 2026-11-22"
    try:
        iso_date(value)
    except ValueError as problem:
        return str(problem)
    return None


def _check_scalar(kind: str, options: tuple[str, ...], value: Any) -> str | None:
    """Problem with one value of a scalar kind, or None. Empty values are allowed here."""
    if value is None or value == "":
        return None
    if kind in ("text", "longtext", "person"):
        return None if isinstance(value, str) else "must be text"
    if kind == "date":
        return _check_date(value)
    if kind == "time":
        ok = isinstance(value, str) and _TIME.fullmatch(value) is not None
        return None if ok else "must be a time written 14:30"
    if kind == "duration":
        ok = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 24 * 60
        return None if ok else "must be whole minutes between 0 and 1440"
    if kind == "yesno":
        return None if isinstance(value, bool) else "must be true or false"
    if kind == "choice":
        return None if value in options else f"must be one of: {', '.join(options)}"
    if kind == "multichoice":
        if not isinstance(value, list) or not all(v in options for v in value):
            return f"must be a list drawn from: {', '.join(options)}"
        return None
    raise AssertionError(f"unhandled kind {kind}")


def _check_table(field: TemplateField, value: Any) -> list[str]:
    if not isinstance(value, list):
        return [f"{field.id}: must be a list of rows"]
    problems = []
    columns = {c.id: c for c in field.columns}
    for number, row in enumerate(value, start=1):
        if not isinstance(row, dict):
            problems.append(f"{field.id} row {number}: must be an object of column values")
            continue
        for column_id, cell in row.items():
            column = columns.get(column_id)
            if column is None:
                problems.append(f"{field.id} row {number}: no column '{column_id}'")
                continue
            problem = _check_scalar(column.kind.value, column.options, cell)
            if problem:
                problems.append(f"{field.id} row {number} {column_id}: {problem}")
    return problems


def _check_signature(field: TemplateField, value: Any) -> list[str]:
    if not isinstance(value, dict):
        return [f"{field.id}: must be an object with name, role, date and strokes"]
    problems = []
    unknown = set(value) - {"name", "role", "date", "strokes", "typed"}
    if unknown:
        problems.append(f"{field.id}: unknown keys {', '.join(sorted(unknown))}")
    for key in ("name", "role"):
        if not isinstance(value.get(key, ""), str):
            problems.append(f"{field.id} {key}: must be text")
    if not isinstance(value.get("typed", False), bool):
        problems.append(f"{field.id} typed: must be true or false")
    elif value.get("typed") and not str(value.get("name", "")).strip():
        problems.append(f"{field.id} typed: a typed signature needs the signer's name")
    if value.get("date"):
        problem = _check_date(value["date"])
        if problem:
            problems.append(f"{field.id} date: {problem}")
    strokes = value.get("strokes", [])
    valid_strokes = isinstance(strokes, list) and all(
        isinstance(stroke, list)
        and all(
            isinstance(p, list) and len(p) == 2 and all(isinstance(c, int | float) for c in p)
            for p in stroke
        )
        for stroke in strokes
    )
    if not valid_strokes:
        problems.append(f"{field.id} strokes: must be a list of strokes of [x, y] points")
    return problems


def validate_values(template: Template, values: Mapping[str, Any]) -> list[str]:
    """Every problem with the shape of entered values; required fields are not checked here."""
    problems = []
    known = {f.id: f for f in template.fields()}
    for field_id, value in values.items():
        field = known.get(field_id)
        if field is None:
            problems.append(f"{field_id}: no such field in {template.id}")
        elif field.kind is FieldKind.TABLE:
            problems.extend(_check_table(field, value))
        elif field.kind is FieldKind.SIGNATURE:
            problems.extend(_check_signature(field, value))
        else:
            problem = _check_scalar(field.kind.value, field.options, value)
            if problem:
                problems.append(f"{field_id}: {problem}")
    return problems


def is_empty(field: TemplateField, value: Any) -> bool:
    if value is None or value == "" or value == []:
        return True
    if isinstance(value, str):
        return not value.strip()
    if field.kind is FieldKind.TABLE:
        return not any(str(cell).strip() for row in value for cell in row.values())
    if field.kind is FieldKind.SIGNATURE:
        return not (str(value.get("name", "")).strip() and value.get("date"))
    return False


def missing_required(template: Template, values: Mapping[str, Any]) -> list[TemplateField]:
    """Required fields left empty, in form order: what stops a record being finalised."""
    return [f for f in template.fields() if f.required and is_empty(f, values.get(f.id))]
