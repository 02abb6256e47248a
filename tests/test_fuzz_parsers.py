"""A short fuzz run over every file parser (the long one is benchmarks/fuzz_parsers.py):
random bytes and mutated valid files either parse or raise the parser's own typed error."""

from __future__ import annotations

from pathlib import Path

import pytest

from supervision_desktop.store.vault import Vault
from tests.fuzz_targets import Target, check, fuzz, targets


def test_every_sample_parses(vault: Vault, tmp_path: Path) -> None:
    """The valid samples parse, so the mutations start from a real file."""
    for target in targets(vault, tmp_path):
        target.parse(target.sample)


def test_a_generic_error_counts_as_a_failure() -> None:
    def buggy(data: bytes) -> object:
        return {}["missing"]

    with pytest.raises(KeyError):
        check(Target("buggy", buggy, (ValueError,), b""), b"x")


def test_fuzz_every_parser(vault: Vault, tmp_path: Path) -> None:
    for target in targets(vault, tmp_path):
        fuzz(target, target.examples)


def test_a_pdf_that_makes_the_reader_assert_is_damaged_not_a_crash(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """pyHanko checks some structures with assert (an xref stream's /Type): that is damage,
    one sentence, never a traceback (the fuzz run found it)."""
    from pyhanko.pdf_utils import reader as pyhanko_reader

    from supervision_desktop.export.record_attachment import extract_attachment
    from supervision_desktop.export.signing import NotAPdf
    from supervision_desktop.export.verification import verify_pdf

    def asserting(*_args: object, **_kwargs: object) -> None:
        raise AssertionError

    monkeypatch.setattr(pyhanko_reader, "PdfFileReader", asserting)
    report = verify_pdf(b"%PDF-1.7\n")
    assert not report.ok and report.summary.startswith("This PDF is damaged")
    with pytest.raises(NotAPdf, match="This PDF is damaged or incomplete"):
        extract_attachment(b"%PDF-1.7\n")
