"""The person page shows the certificates this vault accepts for that person, as the
fingerprint digits people compare by phone."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from supervision_desktop.services import certificates, known_signers, people
from supervision_desktop.store.vault import Vault
from supervision_desktop.ui.people.person_page import PersonPage

pytestmark = pytest.mark.gui


def test_the_person_page_lists_the_workers_accepted_certificates(
    vault: Vault, qtbot: QtBot
) -> None:
    worker = people.add_person(vault, "supervisee", {"name": "Priya Oakenshaw"})
    stranger = people.add_person(vault, "supervisee", {"name": "Tam Stranger"})
    cert = certificates.generate_certificate("Priya Oakenshaw")[1]
    with vault.transaction() as session:
        known_signers.pin(session, cert)
    page = PersonPage(vault)
    qtbot.addWidget(page)
    page.show_person(people.get_person(vault, worker.id))
    (shown,) = page.certificates
    words = known_signers.fingerprint_words(cert)
    assert shown.text().startswith(f"{words}\nfirst use, since ")
    page.show_person(people.get_person(vault, stranger.id))
    assert page.certificates == []
