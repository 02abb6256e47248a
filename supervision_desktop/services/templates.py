"""The template library: shipped templates, loaded once, plus checking an agency's files."""

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


@functools.cache
def catalogue(folder: Path | None = None) -> TemplateCatalogue:
    """Every shipped template (cached: templates are parsed once per process)."""
    return load_directory(folder or templates_dir())


def get_template(template_id: str) -> Template:
    try:
        return catalogue().get(template_id)
    except KeyError:
        raise NotFound(
            f"There is no template '{template_id}'. 'templates list' shows the ids."
        ) from None


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
