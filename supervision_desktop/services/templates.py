"""The template library: shipped templates, loaded once; the ones this install offers
(its agency pack's, or all); and checking an agency's files."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from supervision_desktop.domain.templates import (
    Template,
    TemplateCatalogue,
    TemplateError,
    load_directory,
    load_template,
)
from supervision_desktop.errors import NotFound
from supervision_desktop.paths import templates_dir
from supervision_desktop.services import agency


@functools.cache
def catalogue(folder: Path | None = None) -> TemplateCatalogue:
    """Every shipped template (cached: templates are parsed once per process)."""
    return load_directory(folder or templates_dir())


def offered() -> TemplateCatalogue:
    """What "New record" and ``templates list`` offer: the agency pack's templates in its
    order, or every shipped one without a pack (PackUnusable if the pack is broken)."""
    pack = agency.active()
    return pack.templates if pack is not None else catalogue()


def get_template(template_id: str) -> Template:
    """A template by id: the agency pack's own version first, then the shipped one (the
    app's own forms, e.g. the carer's response, are used even where a pack lists none)."""
    pack = agency.active()
    found = pack.templates.find(template_id) if pack is not None else None
    found = found or catalogue().find(template_id)
    if found is None:
        raise NotFound(f"There is no template '{template_id}'. 'templates list' shows the ids.")
    return found


@dataclass(frozen=True)
class CheckResult:
    path: Path
    template: Template | None
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def check_files(paths: list[Path]) -> list[CheckResult]:
    results = []
    for path in paths:
        try:
            results.append(CheckResult(path, load_template(path), ()))
        except TemplateError as exc:
            results.append(CheckResult(path, None, tuple(exc.problems)))
    return results
