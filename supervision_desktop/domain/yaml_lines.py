"""Which line of a YAML file a value came from, so a problem can be reported as
``FILE:LINE: message`` (an agency's IT fixes files in an editor, by line).

Call only on text that ``safe_input.loads_yaml`` already accepted: that bounds nesting and
size, so composing the node tree again is safe.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Self

import yaml

from supervision_desktop.domain import safe_input


def line_of(text: str, location: Sequence[int | str]) -> int:
    """The 1-based line of the value at ``location`` (keys and list indexes, as pydantic
    reports them); where the path stops matching (a missing key), the line of the deepest
    part that exists; 1 if the text is not a YAML document."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return 1
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for part in location:
        child = _child(node, part)
        if child is None:
            break
        node, line = child
    return line


def _child(node: yaml.Node, part: int | str) -> tuple[yaml.Node, int] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == str(part):
                return value, key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) \
            and 0 <= part < len(node.value):
        item = node.value[part]
        return item, item.start_mark.line + 1
    return None


def read_yaml(path: Path | str) -> tuple[Any, str]:
    """A YAML file's value and its text (for ``line_of``), read as safely as
    ``safe_input.load_yaml_file`` reads it."""
    label = Path(path).name
    text = safe_input.decode_text(safe_input.read_bytes(path, max_bytes=1024 * 1024,
                                                        name=label), label)
    return safe_input.loads_yaml(text, label), text


def split_line(problem: str) -> tuple[int, str]:
    """"line 12: not valid YAML (…)" → (12, "not valid YAML (…)"); (1, problem) else."""
    found = re.match(r"line (\d+): ", problem)
    return (int(found.group(1)), problem[found.end():]) if found else (1, problem)


class FileProblems(Exception):
    """A file that cannot be used: every problem with the line it is on. The message
    names the file; ``located`` gives ``(line, problem)`` for ``FILE:LINE: problem``."""

    def __init__(self, path: Path | str, problems: list[str],
                 lines: Sequence[int] | None = None):
        self.path = Path(path)
        self.problems = problems
        self.lines = list(lines) if lines is not None else [1] * len(problems)
        super().__init__(f"{self.path.name}: " + "; ".join(problems))

    @property
    def located(self) -> list[tuple[int, str]]:
        """``(line, problem)`` pairs, the problem without a "line N: " of its own."""
        return [(line, split_line(problem)[1])
                for line, problem in zip(self.lines, self.problems, strict=True)]

    @classmethod
    def unreadable(cls, path: Path | str, problem: str) -> Self:
        """A file that could not be read or parsed (the problem may name its line)."""
        return cls(path, [problem], [split_line(problem)[0]])
