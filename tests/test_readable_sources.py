"""What a worker is told about where a rule or a form comes from: the policy's name and
section, never the developers' seed numbers, line numbers or file names."""

from __future__ import annotations

import re

import pytest

from supervision_desktop.domain.policy import cite, describe_profile
from supervision_desktop.services.compliance import profiles
from supervision_desktop.services.templates import catalogue


@pytest.mark.parametrize(("ref", "shown"), [
    ("003 §3 table line 267", "Lambeth Supervision Policy (2021) §3, table"),
    ("004 §6.1 lines 129 and 137", "Kent Supervision Policy 1.1.8 §6.1"),
    ("004 §6.1 line 137; §6.3 line 175", "Kent Supervision Policy 1.1.8 §6.1; §6.3"),
    ("001 Frequency line 122", "Birmingham Children's Trust IFA guidance, Frequency"),
    ("002 line 9", "Walsall 1.3 Supervision Guidance"),
    ("003 Appendix A line 378", "Lambeth Supervision Policy (2021), Appendix A"),
    ("§4.2 of our own policy", "§4.2 of our own policy"),
    ("", ""),
])
def test_a_rules_source_is_cited_in_words(ref: str, shown: str) -> None:
    assert cite(ref) == shown


INTERNAL = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b|\bline \d+|\b00[0-4] ")


def test_no_shipped_profile_or_form_shows_an_internal_reference() -> None:
    for profile in profiles().profiles:
        assert not INTERNAL.search(describe_profile(profile)), profile.id
    for template in catalogue().templates:
        assert not INTERNAL.search(template.source.shown()), template.id
        assert not INTERNAL.search(template.title), template.id  # "Lambeth 003 §3.1" was
    walsall = catalogue().get("foster-carer-supervision").source.shown()
    assert walsall.endswith("Family Placements (matters discussed monthly); Fosterline "
                            "forum thread")
