"""An agency pack's description (``agency.yaml``), parsed strictly.

A pack is a folder (or the same files in one ``.zip``) that an agency's IT installs so
that every laptop shows the agency's own forms, follows its supervision policy and
retention rules, prints its name and protective marking, and trusts its certificates.
The format is documented in ``resources/agencies/README.md``; this module only checks
``agency.yaml`` itself. Every problem carries the line it is on, for ``agency check``'s
``FILE:LINE: message``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from supervision_desktop.domain import safe_input
from supervision_desktop.domain.yaml_lines import line_of

PACK_FILE = "agency.yaml"
FORMAT = 1
ID_PATTERN = r"^[a-z][a-z0-9-]*$"
# A file the pack names must be a plain name in the pack's own folder: never a path out.
FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class AgencyPack(BaseModel):
    """What ``agency.yaml`` says. Files it names are looked up in the pack's folder."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: Literal[1]
    name: str = Field(min_length=1, max_length=200)
    short_name: str = Field(min_length=1, max_length=40)
    version: str = Field(min_length=1, max_length=40)
    marking: str = Field(default="OFFICIAL-SENSITIVE", min_length=1, max_length=60)
    logo: str | None = None
    templates: tuple[str, ...] = Field(min_length=1, max_length=200)
    policy: str
    local_policy_choice: bool = False
    retention: str = "default"

    @field_validator("name", "short_name", "version", "marking", mode="before")
    @classmethod
    def _text(cls, value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool):
            raise ValueError("must be text: put it in quotes, e.g. \"2026.1\"")
        return value.strip() if isinstance(value, str) else value

    @field_validator("templates")
    @classmethod
    def _template_ids(cls, ids: tuple[str, ...]) -> tuple[str, ...]:
        for template_id in ids:
            if not re.match(ID_PATTERN, template_id):
                raise ValueError(f"'{template_id}' is not a template id (lower case, "
                                 "digits and '-', e.g. personal-supervision)")
        repeated = sorted({t for t in ids if ids.count(t) > 1})
        if repeated:
            raise ValueError(f"lists {', '.join(repeated)} more than once")
        return ids

    @field_validator("policy", "retention")
    @classmethod
    def _id_or_file(cls, value: str) -> str:
        if is_file_reference(value):
            if not FILE_NAME.match(value):
                raise ValueError(f"'{value}' must be a file name in the pack's folder "
                                 "(no folders, no '..')")
        elif not re.match(ID_PATTERN, value):
            raise ValueError(f"'{value}' is neither a shipped id (e.g. kent) nor a .yaml "
                             "file in the pack")
        return value

    @field_validator("logo")
    @classmethod
    def _logo(cls, value: str | None) -> str | None:
        if value is None:
            return None
        if not FILE_NAME.match(value) or not value.lower().endswith((".png", ".jpg", ".jpeg")):
            raise ValueError(f"'{value}' must be a PNG or JPEG file name in the pack's "
                             "folder")
        return value

    @property
    def label(self) -> str:
        """How the pack is named to a person: "Kent (version 2026.1)"."""
        return f"{self.short_name} (version {self.version})"


def is_file_reference(value: str) -> bool:
    """``policy: policy.yaml`` names a file in the pack; ``policy: kent`` a shipped one."""
    return value.lower().endswith((".yaml", ".yml"))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a pack, where it is: printed as ``FILE:LINE: message``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class PackError(Exception):
    """A pack that cannot be used; ``problems`` lists every reason with its line,
    agency.yaml's first, then file by file in line order."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: (p.file != PACK_FILE, p.file, p.line))
        super().__init__("; ".join(str(p) for p in problems))


def _where(loc: tuple[int | str, ...]) -> str:
    return " > ".join(str(part + 1 if isinstance(part, int) else part) for part in loc)


def parse_pack(text: str, file: str = PACK_FILE) -> AgencyPack:
    """``agency.yaml``'s text → the pack, or PackError with every problem and its line."""
    try:
        data = safe_input.loads_yaml(text, file)
    except safe_input.InputProblem as exc:
        line = re.match(r"line (\d+): ", exc.problem)
        message = exc.problem[line.end():] if line else exc.problem
        raise PackError([Problem(file, int(line.group(1)) if line else 1, message)]) from None
    if not isinstance(data, dict):
        raise PackError([Problem(file, 1, "must be a mapping of keys (name:, templates:, "
                                          "policy: …): see resources/agencies/README.md")])
    try:
        return AgencyPack.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "missing":
                message = "is missing"
            elif error["type"] == "extra_forbidden":
                message = "is not a key of agency.yaml (a typing error?)"
            elif error["type"] == "literal_error" and loc == ("format",):
                message = f"must be {FORMAT}: this version of the app reads format {FORMAT}"
            problems.append(Problem(file, line_of(text, loc), f"{_where(loc)} {message}"))
        raise PackError(problems) from None
