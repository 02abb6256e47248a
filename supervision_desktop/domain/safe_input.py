"""Reading what comes from outside: files and text bounded and checked before use.

``json.loads`` and YAML recurse (100,000 nested brackets raise ``RecursionError``), Python
turns ``1e400`` into ``inf`` and refuses to print a 5,000-digit integer, and a lone UTF-16
surrogate (``"\\ud800"``) is valid JSON that SQLite, FTS5 and reportlab cannot encode. So
every file the app reads goes through here first: its size, nesting and numbers are
checked *before* the parser runs, and each problem is its own :class:`InputProblem` whose
message names the file and what is wrong. Pure: no Qt, no SQL.

Text policy, per boundary:

- **files** (JSON ``--data``, templates, policies, retention rules, backups, bundles, a
  PDF's record data): a lone surrogate is *refused* with a message naming the field — a
  file that holds one was not written by us and is not trusted to mean anything.
- **text a person typed** (a form value, a person's name, typed in the GUI or the CLI):
  a lone surrogate is *replaced* with U+FFFD (``clean_text``/``clean_values``), so what
  they typed is kept, minus a character that could never be shown anyway.
"""

from __future__ import annotations

import json
import math
import re
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml

from supervision_desktop.errors import InvalidInput

MAX_DEPTH = 100
"""Deepest nesting accepted in any file (our own deepest, a template, is under 10)."""
MAX_INT_DIGITS = 30
"""Longest integer accepted in a file: any count, version or size we use fits in 20 digits."""
MAX_YAML_NODES = 200_000
"""Nodes a YAML file may expand to, aliases counted in full (stops a "billion laughs")."""
DEFAULT_MAX_BYTES = 16 * 1024 * 1024
LARGE_DOCUMENT_BYTES = 512 * 1024 * 1024
"""For documents that carry whole PDFs (a transfer bundle, before and after inflating):
one person's whole file, a thousand signed records with their PDFs, fits several times."""
REPLACEMENT = "\ufffd"

# libyaml's C parser when present (six times faster at start-up), else the Python one.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_SURROGATE = re.compile("[\ud800-\udfff]")
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(rb"[\[\]{}]")


# --- the errors: one class per problem, each naming the file ---------------------------


class InputProblem(InvalidInput):
    """A file or text that cannot be used. ``problem`` is the message without the file's
    name, for callers that list problems under a file name of their own; ``message``
    replaces the usual "<name> <problem>." where that reads badly."""

    def __init__(self, name: str, problem: str, message: str | None = None) -> None:
        self.name = name
        self.problem = problem
        super().__init__(message or f"{name} {problem}.")


class FileUnreadable(InputProblem):
    """Missing, a folder, no permission, or a read error."""


class FileTooLarge(InputProblem):
    pass


class FileEmpty(InputProblem):
    pass


class NotText(InputProblem):
    """Not UTF-8."""


class NestedTooDeeply(InputProblem):
    pass


class NotValidJson(InputProblem):
    pass


class NotValidYaml(InputProblem):
    pass


class NumberOutOfRange(InputProblem):
    pass


class InvalidCharacter(InputProblem):
    """A lone UTF-16 surrogate in a file's text."""


# --- files ---------------------------------------------------------------------------


def read_bytes(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES,
               name: str | None = None, allow_empty: bool = False) -> bytes:
    """The bytes of ``path``, or a FileUnreadable/FileTooLarge/FileEmpty naming it."""
    path = Path(path)
    label = name or path.name or str(path)
    try:
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except FileNotFoundError:
        raise FileUnreadable(label, "does not exist (was it moved or deleted?)",
                             f"There is no file {label} (was it moved or deleted?).") from None
    except IsADirectoryError:
        raise FileUnreadable(label, "is a folder, not a file") from None
    except PermissionError:
        raise FileUnreadable(label, "cannot be read: permission denied") from None
    except OSError as exc:
        raise FileUnreadable(label, f"cannot be read ({exc.strerror or 'read error'})") from None
    if len(data) > max_bytes:
        raise FileTooLarge(label, f"is too large (more than {_size(max_bytes)})")
    if not data and not allow_empty:
        raise FileEmpty(label, "is empty")
    return data


def inflate(data: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """zlib-compressed ``data`` inflated, stopping at ``max_bytes`` (a few KB can inflate
    to gigabytes: the size is bounded while inflating, not after). FileTooLarge beyond
    it; NotValidJson-like damage is the caller's (zlib.error propagates)."""
    inflater = zlib.decompressobj()
    inflated = inflater.decompress(data, max_bytes + 1)
    if len(inflated) > max_bytes or inflater.unconsumed_tail:
        raise FileTooLarge(name, f"is too large once unpacked (more than {_size(max_bytes)})")
    inflated += inflater.flush()
    if len(inflated) > max_bytes:
        raise FileTooLarge(name, f"is too large once unpacked (more than {_size(max_bytes)})")
    if not inflater.eof:
        raise zlib.error("the compressed data is cut short")
    return inflated


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 (a byte-order mark allowed), or NotText."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise NotText(name, "is not UTF-8 text") from None


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count // 1024} KB"


# --- JSON ------------------------------------------------------------------------------


def check_json_depth(data: bytes, name: str, max_depth: int = MAX_DEPTH) -> None:
    """Raise NestedTooDeeply if brackets outside strings nest deeper than ``max_depth``.

    Strings are blanked first so a bracket inside one does not count; the scan stops at an
    unterminated string, where ``json.loads`` itself stops with a syntax error."""
    blanked = _JSON_STRING.sub(b"0", data)  # no quote left but an unterminated string's
    end = blanked.find(b'"')
    if end >= 0:
        blanked = blanked[:end]
    depth = 0
    for match in _BRACKET.finditer(blanked):
        if match.group() in (b"[", b"{"):
            depth += 1
            if depth > max_depth:
                raise NestedTooDeeply(name, f"is nested too deeply (more than {max_depth} levels)")
        else:
            depth -= 1


def _parse_int(name: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        digits = len(text.lstrip("-"))
        if digits > MAX_INT_DIGITS:
            raise NumberOutOfRange(name, f"has a number too large to use ({digits} digits)")
        return int(text)
    return parse


def _parse_float(name: str) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = float(text)
        if not math.isfinite(value):
            raise NumberOutOfRange(name, f"has a number too large to use ({text[:20]})")
        return value
    return parse


def _no_constant(name: str) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        raise NumberOutOfRange(name, f"has {text}, which is not a number this app accepts")
    return parse


def loads_json(data: bytes | str, name: str, *, max_depth: int = MAX_DEPTH,
               max_bytes: int = DEFAULT_MAX_BYTES) -> Any:
    """Parse JSON bounded in size, nesting and numbers, with no lone surrogates."""
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if len(raw) > max_bytes:
        raise FileTooLarge(name, f"is too large (more than {_size(max_bytes)})")
    if not raw.strip():
        raise FileEmpty(name, "is empty")
    text = decode_text(raw, name) if isinstance(data, bytes) else data
    check_json_depth(raw, name, max_depth)
    try:
        value = json.loads(text, parse_int=_parse_int(name), parse_float=_parse_float(name),
                           parse_constant=_no_constant(name))
    except json.JSONDecodeError as exc:
        raise NotValidJson(name, f"is not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:  # the scan above makes this unreachable; kept as a bound
        raise NestedTooDeeply(name, f"is nested too deeply (more than {max_depth} levels)"
                              ) from None
    check_values(value, name)
    return value


def load_json_file(path: Path | str, *, max_bytes: int = DEFAULT_MAX_BYTES,
                   name: str | None = None) -> Any:
    """``read_bytes`` then ``loads_json``."""
    label = name or Path(path).name
    return loads_json(read_bytes(path, max_bytes=max_bytes, name=label), label,
                      max_bytes=max_bytes)


# --- YAML ------------------------------------------------------------------------------


def _check_yaml_events(text: str, name: str, max_depth: int, max_nodes: int) -> None:
    """Walk the parser's events (no recursion) counting depth and expanded nodes."""
    sizes: dict[str, int] = {}  # nodes under each anchor, itself included
    open_at: list[tuple[str | None, int]] = []  # (anchor, count when opened) per collection
    count = 0
    for event in yaml.parse(text, Loader=_YAML_LOADER):
        if isinstance(event, yaml.CollectionStartEvent):
            if len(open_at) >= max_depth:
                raise NestedTooDeeply(name, f"is nested too deeply (more than {max_depth} levels)")
            open_at.append((event.anchor, count))
            count += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, opened = open_at.pop()
            if anchor:
                sizes[anchor] = count - opened
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor:
                sizes[event.anchor] = 1
            count += 1
        elif isinstance(event, yaml.AliasEvent):
            count += sizes.get(event.anchor or "", 1)
        if count > max_nodes:
            raise NestedTooDeeply(name, f"expands to too many values (more than {max_nodes:,}; "
                                  "perhaps an alias bomb)")


def loads_yaml(text: str, name: str, *, max_depth: int = MAX_DEPTH,
               max_nodes: int = MAX_YAML_NODES) -> Any:
    """Parse YAML (safe tags only) bounded in nesting and expanded size."""
    try:
        _check_yaml_events(text, name, max_depth, max_nodes)
        value = yaml.load(text, Loader=_YAML_LOADER)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}: " if mark is not None else ""
        problem = f"{where}not valid YAML ({getattr(exc, 'problem', None) or 'unreadable'})"
        raise NotValidYaml(name, problem, f"{name}: {problem}.") from None
    except (ValueError, OverflowError):  # a date like 2026-02-30, a 5,000-digit number
        raise NotValidYaml(name, "has a value that cannot be read (a date that does not "
                           "exist, or a number far too long)") from None
    check_values(value, name)
    return value


def load_yaml_file(path: Path | str, *, max_bytes: int = 1024 * 1024,
                   name: str | None = None) -> Any:
    """``read_bytes`` then ``loads_yaml``."""
    label = name or Path(path).name
    data = read_bytes(path, max_bytes=max_bytes, name=label)
    return loads_yaml(decode_text(data, label), label)


# --- text --------------------------------------------------------------------------------


def _walk(value: Any) -> Iterator[tuple[str, Any]]:
    """Every key and leaf of a parsed document with where it is; no recursion."""
    pending: list[tuple[str, Any]] = [("", value)]
    while pending:
        place, node = pending.pop()
        if isinstance(node, dict):
            for key, item in node.items():
                label = f"{place} > {key}" if place else str(key)
                yield label, key
                pending.append((label, item))
        elif isinstance(node, list | tuple):
            pending.extend((f"{place}[{i + 1}]", item) for i, item in enumerate(node))
        else:
            yield place, node


def check_values(value: Any, name: str) -> None:
    """Refuse a parsed document holding a lone surrogate (InvalidCharacter) or a number
    out of range (NumberOutOfRange), naming the first field that does."""
    for place, leaf in _walk(value):
        field = f"'{_SURROGATE.sub(REPLACEMENT, place)}'" if place else "its text"
        if isinstance(leaf, str) and _SURROGATE.search(leaf):
            raise InvalidCharacter(name, f"has an invalid character (a lone UTF-16 surrogate) "
                                   f"in {field}")
        if isinstance(leaf, float) and not math.isfinite(leaf):
            raise NumberOutOfRange(name, f"has a number too large to use in {field}")
        if (isinstance(leaf, int) and not isinstance(leaf, bool)
                and abs(leaf) >= 10 ** MAX_INT_DIGITS):
            raise NumberOutOfRange(name, f"has a number too large to use in {field}")


def clean_text(text: str) -> str:
    """Typed text with any lone surrogate replaced by U+FFFD, otherwise unchanged."""
    return _SURROGATE.sub(REPLACEMENT, text) if _SURROGATE.search(text) else text


def clean_values(value: Any) -> Any:
    """A copy of typed form values (dicts, lists, strings) with every string cleaned."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {clean_text(k) if isinstance(k, str) else k: clean_values(v)
                for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [clean_values(v) for v in value]
    return value
