"""The mutation run covers every module the records' integrity and the policy rules live in
(issue 17): all of domain/, the hash chains and audit, the PDF verifier and the due-date
report; and no target opts lines out of it."""

from __future__ import annotations

from pathlib import Path

from benchmarks.mutation import TARGETS

PACKAGE = Path(__file__).resolve().parent.parent / "supervision_desktop"


def test_every_domain_module_and_the_integrity_code_is_a_target() -> None:
    domain = {f"domain/{p.name}" for p in (PACKAGE / "domain").glob("*.py")
              if p.name != "__init__.py"}
    integrity = {"services/lifecycle.py", "services/audit.py", "export/verification.py",
                 "services/compliance.py"}
    assert set(TARGETS) == domain | integrity


def test_no_line_of_a_target_is_excused() -> None:
    for module in TARGETS:
        assert "no mutate" not in (PACKAGE / module).read_text(encoding="utf-8"), module
