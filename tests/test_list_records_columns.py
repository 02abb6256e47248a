"""The records list, read as plain columns, says exactly what each record says."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import update

from supervision_desktop.services import people, records, templates
from supervision_desktop.store.models import Record
from supervision_desktop.store.vault import Vault


def test_every_summary_matches_the_record_it_lists(vault: Vault) -> None:
    template = templates.get_template("professional-supervision")
    person = people.add_person(vault, "supervisee", {"name": "Gwen Example"})
    with_person = records.create_record(vault, template, subject_id=person.id,
                                         session_date=dt.date(2026, 11, 22))
    undated = records.create_record(vault, template)
    exported = records.create_record(vault, template, session_date="2026-01-05")
    with vault.transaction() as session:
        session.execute(update(Record).where(Record.id == exported).values(
            exported_at=dt.datetime(2026, 1, 6, 9, 30, 15, 123456),
            uploaded_on=dt.date(2026, 1, 7), upload_reference="CASE-42"))

    listed = records.list_records(vault)
    assert [s.id for s in listed] == [with_person, exported, undated]  # newest first, undated last
    for summary in listed:
        assert summary == records.get_record(vault, summary.id).summary
    by_id = {s.id: s for s in listed}
    assert by_id[with_person].subject_name == "Gwen Example"
    assert by_id[exported].exported_at == dt.datetime(2026, 1, 6, 9, 30, 15, 123456, tzinfo=dt.UTC)
    assert by_id[exported].uploaded_on == dt.date(2026, 1, 7)
    assert by_id[undated].session_date is None and by_id[undated].subject_id is None
    assert [s.id for s in records.list_records(vault, subject_id=person.id)] == [with_person]
