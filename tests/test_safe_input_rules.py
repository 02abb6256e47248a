"""Every bound on what the app reads from files, pinned at its exact edge: the largest
accepted and the smallest refused, with each message word for word (issue 17's mutation
run). Sizes, nesting depth, digits, infinities, YAML's expanded size, and where a lone
surrogate is."""

from __future__ import annotations

import errno
import io
import zlib
from pathlib import Path
from typing import Any

import pytest

from supervision_desktop.domain import safe_input
from supervision_desktop.domain.safe_input import (
    FileEmpty,
    FileTooLarge,
    FileUnreadable,
    InvalidCharacter,
    NestedTooDeeply,
    NotText,
    NotValidJson,
    NotValidYaml,
    NumberOutOfRange,
)

MB = 1024 * 1024


def _refused(kind: type[Exception], call: Any, *args: Any, **kwargs: Any) -> str:
    with pytest.raises(kind) as caught:
        call(*args, **kwargs)
    return str(caught.value)


# --- sizes ---------------------------------------------------------------------------------


def test_the_documented_limits() -> None:
    """The bounds callers rely on: 16 MB for a file, 512 MB for a document that carries
    whole PDFs, 100 levels, 30 digits, 200,000 YAML values."""
    assert (safe_input.DEFAULT_MAX_BYTES, safe_input.LARGE_DOCUMENT_BYTES) == (
        16_777_216, 536_870_912)
    assert (safe_input.MAX_DEPTH, safe_input.MAX_INT_DIGITS, safe_input.MAX_YAML_NODES) == (
        100, 30, 200_000)


def test_a_file_of_exactly_16_mb_is_read_and_one_byte_more_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "record.json"
    path.write_bytes(b"[" + b" " * (16 * MB - 2) + b"]")
    assert safe_input.load_json_file(path) == []
    assert len(safe_input.read_bytes(path)) == 16 * MB
    path.write_bytes(b"[" + b" " * (16 * MB - 1) + b"]")
    assert _refused(FileTooLarge, safe_input.read_bytes, path) == (
        "record.json is too large (more than 16 MB).")
    assert _refused(FileTooLarge, safe_input.loads_json, path.read_bytes(), "record.json") == (
        "record.json is too large (more than 16 MB).")


def test_a_larger_bound_given_for_a_json_file_holds_for_its_parsing_too(tmp_path: Path) -> None:
    path = tmp_path / "bundle.json"
    path.write_bytes(b"[" + b" " * (16 * MB - 1) + b"]")
    assert safe_input.load_json_file(path, max_bytes=16 * MB + 1) == []


@pytest.mark.parametrize(("max_bytes", "shown"), [
    (1023, "0 KB"), (1024, "1 KB"), (2047, "1 KB"), (MB - 1, "1023 KB"), (MB, "1 MB"),
    (2 * MB - 1, "1 MB"), (3 * MB, "3 MB")])
def test_a_size_limit_is_shown_in_whole_kb_below_a_mb_and_whole_mb_from_one(
    max_bytes: int, shown: str, tmp_path: Path
) -> None:
    path = tmp_path / "notes.json"
    path.write_bytes(b" " * max_bytes)
    assert safe_input.read_bytes(path, max_bytes=max_bytes) == b" " * max_bytes
    path.write_bytes(b" " * (max_bytes + 1))
    assert _refused(FileTooLarge, safe_input.read_bytes, path, max_bytes=max_bytes) == (
        f"notes.json is too large (more than {shown}).")


def test_a_json_text_is_measured_in_utf8_bytes() -> None:
    text = '"éé"'  # 6 bytes
    assert safe_input.loads_json(text, "r.json", max_bytes=6) == "éé"
    assert _refused(FileTooLarge, safe_input.loads_json, text, "r.json", max_bytes=5) == (
        "r.json is too large (more than 0 KB).")
    assert safe_input.loads_json(text.encode(), "r.json", max_bytes=6) == "éé"
    assert _refused(FileTooLarge, safe_input.loads_json, text.encode(), "r.json",
                    max_bytes=5) == "r.json is too large (more than 0 KB)."


def test_a_yaml_file_of_exactly_1_mb_is_read_and_one_byte_more_is_refused(
    tmp_path: Path
) -> None:
    path = tmp_path / "agency.yaml"
    path.write_bytes(b"a: 1\n#" + b"x" * (MB - 6))
    assert safe_input.load_yaml_file(path) == {"a": 1}
    path.write_bytes(b"a: 1\n#" + b"x" * (MB - 5))
    assert _refused(FileTooLarge, safe_input.load_yaml_file, path) == (
        "agency.yaml is too large (more than 1 MB).")
    assert _refused(FileTooLarge, safe_input.load_yaml_file, path, name="The agency policy") == (
        "The agency policy is too large (more than 1 MB).")
    assert safe_input.load_yaml_file(path, max_bytes=MB + 1) == {"a": 1}


def test_an_empty_file_is_refused_unless_allowed(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"")
    assert _refused(FileEmpty, safe_input.read_bytes, path) == "notes.txt is empty."
    assert safe_input.read_bytes(path, allow_empty=True) == b""
    assert _refused(FileEmpty, safe_input.load_json_file, path, name="Your data") == (
        "Your data is empty.")
    assert _refused(FileEmpty, safe_input.loads_json, " \n\t", "r.json") == "r.json is empty."
    assert _refused(FileEmpty, safe_input.loads_json, b" \r\n", "r.json") == "r.json is empty."


def test_a_file_is_named_by_the_name_given_else_its_own_else_its_path(tmp_path: Path) -> None:
    assert _refused(FileUnreadable, safe_input.read_bytes, tmp_path / "gone.json",
                    name="The policy") == ("There is no file The policy (was it moved or "
                                           "deleted?).")
    assert _refused(FileUnreadable, safe_input.read_bytes, "/") == "/ is a folder, not a file."
    error = _refused(FileUnreadable, safe_input.read_bytes, tmp_path)
    assert error == f"{tmp_path.name} is a folder, not a file."


def test_a_missing_file_keeps_its_name_and_problem_for_lists_of_problems(
    tmp_path: Path
) -> None:
    with pytest.raises(FileUnreadable) as caught:
        safe_input.read_bytes(tmp_path / "gone.json")
    assert (caught.value.name, caught.value.problem, str(caught.value)) == (
        "gone.json", "does not exist (was it moved or deleted?)",
        "There is no file gone.json (was it moved or deleted?).")


class _Endless(io.RawIOBase):
    """A device or pipe that never ends (like /dev/zero): only a bounded read returns."""

    def __init__(self) -> None:
        super().__init__()
        self.asked: list[int | None] = []

    def read(self, size: int | None = -1) -> bytes:
        self.asked.append(size)
        if size is None or size < 0:
            raise OSError(errno.EFBIG, "it never ends")
        return b"\0" * size


def test_a_never_ending_file_is_read_only_to_one_byte_past_the_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stream = _Endless()
    monkeypatch.setattr(Path, "open", lambda *_args, **_kwargs: stream)
    assert _refused(FileTooLarge, safe_input.read_bytes, tmp_path / "zero",
                    max_bytes=1024) == "zero is too large (more than 1 KB)."
    assert stream.asked == [1025]


@pytest.mark.parametrize(("error", "message"), [
    (PermissionError(errno.EACCES, "Permission denied"),
     "notes.json cannot be read: permission denied."),
    (OSError(errno.EIO, "Input/output error"), "notes.json cannot be read (Input/output error)."),
    (OSError("no reason given"), "notes.json cannot be read (read error)."),
], ids=["permission", "a read error with its reason", "a read error with none"])
def test_a_file_that_cannot_be_read_says_why(
    error: OSError, message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(*_args: Any, **_kwargs: Any) -> Any:
        raise error

    monkeypatch.setattr(Path, "open", fail)
    with pytest.raises(FileUnreadable) as caught:
        safe_input.read_bytes(tmp_path / "notes.json")
    assert (str(caught.value), caught.value.name) == (message, "notes.json")
    assert caught.value.problem == message.removeprefix("notes.json ").removesuffix(".")


def test_a_problem_keeps_the_files_name_and_the_problem_apart() -> None:
    with pytest.raises(NotText) as caught:
        safe_input.decode_text(b"caf\xe9", "The policy")
    assert (caught.value.name, caught.value.problem, str(caught.value)) == (
        "The policy", "is not UTF-8 text", "The policy is not UTF-8 text.")


def test_a_byte_order_mark_is_not_part_of_the_text() -> None:
    assert safe_input.decode_text(b"\xef\xbb\xbfname: Kai", "t.yaml") == "name: Kai"
    assert safe_input.loads_json(b"\xef\xbb\xbf[1]", "r.json") == [1]


# --- inflating ------------------------------------------------------------------------------


def test_inflating_accepts_exactly_the_bound_and_refuses_one_byte_more() -> None:
    assert safe_input.inflate(zlib.compress(b"x" * 1024), "x", max_bytes=1024) == b"x" * 1024
    assert _refused(FileTooLarge, safe_input.inflate, zlib.compress(b"x" * 1025),
                    "The transfer bundle", max_bytes=1024) == (
        "The transfer bundle is too large once unpacked (more than 1 KB).")
    assert safe_input.inflate(zlib.compress(b"\0" * 10240, 9), "x", max_bytes=10240) == (
        b"\0" * 10240)
    assert _refused(FileTooLarge, safe_input.inflate, zlib.compress(b"\0" * 10240, 9), "x",
                    max_bytes=10239) == "x is too large once unpacked (more than 9 KB)."


def test_inflating_a_16_mb_document_is_within_the_default_bound() -> None:
    whole = b" " * (16 * MB)
    assert safe_input.inflate(zlib.compress(whole, 1), "x") == whole
    assert _refused(FileTooLarge, safe_input.inflate, zlib.compress(whole + b" ", 1), "x") == (
        "x is too large once unpacked (more than 16 MB).")


def test_compressed_data_cut_short_is_a_zlib_error() -> None:
    with pytest.raises(zlib.error, match=r"^the compressed data is cut short$"):
        safe_input.inflate(zlib.compress(b"whole file")[:-3], "x")


# --- JSON nesting and numbers -----------------------------------------------------------------


def test_json_nesting_of_exactly_the_limit_is_read_and_one_more_refused() -> None:
    assert safe_input.loads_json(b"{\"a\": " * 99 + b"[]" + b"}" * 99, "r.json") is not None
    assert _refused(NestedTooDeeply, safe_input.loads_json,
                    b"{\"a\": " * 100 + b"[]" + b"}" * 100, "r.json") == (
        "r.json is nested too deeply (more than 100 levels).")
    assert safe_input.loads_json(b"[[[]]]", "r.json", max_depth=3) == [[[]]]
    assert _refused(NestedTooDeeply, safe_input.loads_json, b"[[[[]]]]", "r.json",
                    max_depth=3) == "r.json is nested too deeply (more than 3 levels)."


def test_a_string_before_deep_nesting_does_not_hide_it() -> None:
    """Strings were blanked to "" and the scan then stopped at that first quote, so any key
    before the brackets let 101 to ~1,000 levels through (fixed with issue 17)."""
    deep = b'{"notes": "Kai", "a": ' + b"[" * 101 + b"]" * 101 + b"}"
    assert _refused(NestedTooDeeply, safe_input.loads_json, deep, "r.json") == (
        "r.json is nested too deeply (more than 100 levels).")
    with pytest.raises(NestedTooDeeply):
        safe_input.check_json_depth(b'["x", [[]]]', "r.json", max_depth=2)


def test_closed_brackets_do_not_add_to_the_depth() -> None:
    assert safe_input.loads_json(b"[[[], [[]]], [[]]]", "r.json", max_depth=4) == [
        [[], [[]]], [[]]]
    assert _refused(NestedTooDeeply, safe_input.loads_json, b"[[[], [[]]]]", "r.json",
                    max_depth=3) == "r.json is nested too deeply (more than 3 levels)."
    many = b"[" + b",".join([b"[[]]"] * 200) + b"]"  # 200 siblings, 3 deep
    assert len(safe_input.loads_json(many, "r.json", max_depth=3)) == 200


def test_brackets_in_strings_do_not_count_even_after_an_escaped_quote() -> None:
    assert safe_input.loads_json(b'["a\\"[[[[", ["]]]]"]]', "r.json", max_depth=2) == [
        'a"[[[[', ["]]]]"]]


def test_an_unterminated_string_is_a_json_error_not_deep_nesting() -> None:
    for start in (b'"' + b"[" * 200, b'["[[[[\\"'):  # from its first quote to the end
        assert _refused(NotValidJson, safe_input.loads_json, start, "r.json", max_depth=3) == (
            "r.json is not valid JSON (line 1: Unterminated string starting at).")
    assert _refused(NotValidJson, safe_input.loads_json, b'["' + b"[" * 200, "r.json") == (
        "r.json is not valid JSON (line 1: Unterminated string starting at).")
    assert _refused(NotValidJson, safe_input.loads_json, b'{\n"a": }', "r.json") == (
        "r.json is not valid JSON (line 2: Expecting value).")


def test_nesting_deeper_than_python_can_parse_is_refused_even_when_allowed() -> None:
    deep = b"[" * 100_000 + b"]" * 100_000
    with pytest.raises(NestedTooDeeply) as caught:
        safe_input.loads_json(deep, "r.json", max_depth=1_000_000)
    assert (str(caught.value), caught.value.name) == (
        "r.json is nested too deeply (more than 1000000 levels).", "r.json")


NUMBERS = {
    "30 digits": (b"9" * 30, int("9" * 30)),
    "30 digits, negative": (b"-" + b"9" * 30, -int("9" * 30)),
    "the largest float": (b"1.7976931348623157e308", 1.7976931348623157e308),
    "the smallest float": (b"-1.7976931348623157e308", -1.7976931348623157e308),
}


@pytest.mark.parametrize("case", NUMBERS)
def test_the_largest_json_numbers_are_read(case: str) -> None:
    text, value = NUMBERS[case]
    assert safe_input.loads_json(b"[" + text + b"]", "r.json") == [value]


TOO_LARGE = {
    "31 digits": (b"1" + b"0" * 30, "r.json has a number too large to use (31 digits)."),
    "31 digits, negative": (b"-1" + b"0" * 30,
                            "r.json has a number too large to use (31 digits)."),
    "1e309": (b"1e309", "r.json has a number too large to use (1e309)."),
    "-1e309": (b"-1e309", "r.json has a number too large to use (-1e309)."),
    "a long float is shown by its first 20 characters": (
        b"1" + b"0" * 400 + b".5", "r.json has a number too large to use (10000000000000000000)."),
    "NaN": (b"NaN", "r.json has NaN, which is not a number this app accepts."),
    "Infinity": (b"Infinity", "r.json has Infinity, which is not a number this app accepts."),
    "-Infinity": (b"-Infinity",
                  "r.json has -Infinity, which is not a number this app accepts."),
}


@pytest.mark.parametrize("case", TOO_LARGE)
def test_a_json_number_too_large_to_use_is_refused_with_what_it_is(case: str) -> None:
    text, message = TOO_LARGE[case]
    assert _refused(NumberOutOfRange, safe_input.loads_json, b'{"n": ' + text + b"}",
                    "r.json") == message


# --- YAML nesting and size ---------------------------------------------------------------------


def test_yaml_nesting_of_exactly_the_limit_is_read_and_one_more_refused() -> None:
    assert safe_input.loads_yaml("[" * 100 + "]" * 100, "t.yaml") is not None
    assert _refused(NestedTooDeeply, safe_input.loads_yaml, "[" * 101 + "]" * 101,
                    "t.yaml") == "t.yaml is nested too deeply (more than 100 levels)."
    assert safe_input.loads_yaml("a:\n  b: [1]\n", "t.yaml", max_depth=3) == {"a": {"b": [1]}}
    assert _refused(NestedTooDeeply, safe_input.loads_yaml, "a:\n  b: [[1]]\n", "t.yaml",
                    max_depth=3) == "t.yaml is nested too deeply (more than 3 levels)."


def _expanding(extra: int) -> str:
    """A list that expands to 200,000 values and ``extra`` more: itself (1); an anchored
    list of 999 (1,000 with itself) used 199 times; one anchored word used twice; and
    997 + ``extra`` plain words."""
    lines = ["- &a [" + ", ".join(["x"] * 999) + "]"]
    lines += ["- *a"] * 198
    lines += ["- &w y", "- *w"]
    lines += ["- z"] * (997 + extra)
    return "\n".join(lines) + "\n"


def test_yaml_expanding_to_exactly_200000_values_is_read_and_one_more_refused() -> None:
    read = safe_input.loads_yaml(_expanding(0), "t.yaml")
    assert len(read) == 1 + 198 + 2 + 997
    assert sum(len(v) if isinstance(v, list) else 1 for v in read) + 1 + 199 == 200_000
    assert _refused(NestedTooDeeply, safe_input.loads_yaml, _expanding(1), "t.yaml") == (
        "t.yaml expands to too many values (more than 200,000; perhaps an alias bomb).")


def test_a_nested_anchor_counts_everything_under_it() -> None:
    text = "a: &a {b: [1, 2], c: 3}\nd: *a\ne: *a\n"  # 1 + 3 keys + 3 × 7 under a = 25
    assert safe_input.loads_yaml(text, "t.yaml", max_nodes=25) == {
        "a": {"b": [1, 2], "c": 3}, "d": {"b": [1, 2], "c": 3}, "e": {"b": [1, 2], "c": 3}}
    assert _refused(NestedTooDeeply, safe_input.loads_yaml, text, "t.yaml", max_nodes=24) == (
        "t.yaml expands to too many values (more than 24; perhaps an alias bomb).")


def test_an_undefined_alias_counts_as_one_value_and_is_a_yaml_error() -> None:
    assert _refused(NotValidYaml, safe_input.loads_yaml, "[*a, *b]", "t.yaml", max_nodes=3) == (
        "t.yaml: line 1: not valid YAML (found undefined alias).")


def test_a_yaml_file_is_named_in_each_of_its_problems(tmp_path: Path) -> None:
    path = tmp_path / "agency.yaml"
    path.write_bytes("title: Café".encode("cp1252"))
    assert _refused(NotText, safe_input.load_yaml_file, path) == (
        "agency.yaml is not UTF-8 text.")
    path.write_bytes(b"a: [[[1]]]\n")
    assert safe_input.load_yaml_file(path) == {"a": [[[1]]]}
    path.write_bytes(b"a: " + b"[" * 101 + b"]" * 101 + b"\n")
    assert _refused(NestedTooDeeply, safe_input.load_yaml_file, path, name="The policy") == (
        "The policy is nested too deeply (more than 100 levels).")


YAML_FAULTS = {
    "a control character": ("a: \x01\n", "t.yaml: not valid YAML (unreadable)."),
    "an unsafe tag": ("a: !!python/object:os.system x\n",
                      "t.yaml: line 1: not valid YAML (could not determine a constructor for "
                      "the tag 'tag:yaml.org,2002:python/object:os.system')."),
    "an undefined alias": ("a: 1\nb: *nope\n",
                           "t.yaml: line 2: not valid YAML (found undefined alias)."),
    "a number too long": ("a: " + "9" * 5000 + "\n",
                          "t.yaml has a value that cannot be read (a date that does not exist, "
                          "or a number far too long)."),
}


@pytest.mark.parametrize("case", YAML_FAULTS)
def test_each_yaml_fault_says_where_and_what(case: str) -> None:
    text, message = YAML_FAULTS[case]
    with pytest.raises(NotValidYaml) as caught:
        safe_input.loads_yaml(text, "t.yaml")
    assert str(caught.value) == message
    assert caught.value.name == "t.yaml"
    assert caught.value.problem == message.removeprefix("t.yaml").lstrip(": ").removesuffix(".")


YAML_READ = {
    "30 digits": ("n: " + "9" * 30 + "\n", {"n": 999_999_999_999_999_999_999_999_999_999}),
    "30 digits, negative": ("n: -" + "9" * 30 + "\n",
                            {"n": -999_999_999_999_999_999_999_999_999_999}),
    "the largest float": ("n: 1.7976931348623157e+308\n", {"n": 1.7976931348623157e308}),
    "true is not a big number": ("n: true\n", {"n": True}),
}

YAML_REFUSED = {
    "31 digits": ("n: 1" + "0" * 30 + "\n", "t.yaml has a number too large to use in 'n'."),
    "31 digits, negative": ("n: -1" + "0" * 30 + "\n",
                            "t.yaml has a number too large to use in 'n'."),
    "infinity": ("n: [1, .inf]\n", "t.yaml has a number too large to use in 'n[2]'."),
    "minus infinity": ("n: -.inf\n", "t.yaml has a number too large to use in 'n'."),
    "not a number": ("n: {m: .nan}\n", "t.yaml has a number too large to use in 'n > m'."),
}


@pytest.mark.parametrize("case", YAML_READ)
def test_a_yaml_number_of_up_to_30_digits_is_read(case: str) -> None:
    text, value = YAML_READ[case]
    assert safe_input.loads_yaml(text, "t.yaml") == value


@pytest.mark.parametrize("case", YAML_REFUSED)
def test_a_yaml_number_too_long_or_not_finite_is_refused_naming_where(case: str) -> None:
    text, message = YAML_REFUSED[case]
    assert _refused(NumberOutOfRange, safe_input.loads_yaml, text, "t.yaml") == message


# --- where a lone surrogate is ---------------------------------------------------------------

SURROGATES = {
    "the whole text": ("\ud800", "its text"),
    "a field": ({"fields": {"notes": "Kai \ud800 said"}}, "'fields > notes'"),
    "a list item": ([1, [2, "\udc00"]], "'[2][2]'"),
    "a key, shown cleaned": ([{"a": [0, {"\ud800x": 1}]}], "'[1] > a[2] > \ufffdx'"),
    "under a number key": ({1: {"b": "\udfff"}}, "'1 > b'"),
    "in a tuple": (("ok", ("\ud900",)), "'[2][1]'"),
}


@pytest.mark.parametrize("case", SURROGATES)
def test_a_lone_surrogate_is_refused_naming_where_it_is(case: str) -> None:
    value, where = SURROGATES[case]
    assert _refused(InvalidCharacter, safe_input.check_values, value, "record.json") == (
        f"record.json has an invalid character (a lone UTF-16 surrogate) in {where}.")


def test_numbers_out_of_range_are_named_where_they_are() -> None:
    assert _refused(NumberOutOfRange, safe_input.check_values, {"a": [float("inf")]},
                    "r.json") == "r.json has a number too large to use in 'a[1]'."
    assert _refused(NumberOutOfRange, safe_input.check_values, -(10 ** 30),
                    "r.json") == "r.json has a number too large to use in its text."
    safe_input.check_values({"a": [10 ** 30 - 1, -(10 ** 30 - 1), 1e308, True, "👍🏽"]}, "r.json")


def test_a_surrogate_in_json_text_is_refused_like_one_in_json_bytes() -> None:
    message = "r.json has an invalid character (a lone UTF-16 surrogate) in 'n'."
    assert _refused(InvalidCharacter, safe_input.loads_json, '{"n": "\ud800"}', "r.json") == (
        message)
    assert _refused(InvalidCharacter, safe_input.loads_json, b'{"n": "\\ud800"}',
                    "r.json") == message


def test_typed_values_are_cleaned_everywhere_and_kept_otherwise() -> None:
    assert safe_input.clean_values({"k\ud800": ("a\udc00", ["b"]), 3: None, "n": 1.5}) == {
        "k\ufffd": ["a\ufffd", ["b"]], 3: None, "n": 1.5}
    assert safe_input.clean_values("\ud800\udfff") == "\ufffd\ufffd"
    assert safe_input.clean_text("Siân 👍🏽") == "Siân 👍🏽"
