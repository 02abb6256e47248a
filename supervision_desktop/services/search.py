"""Full-text search over every record, with an FTS5 index inside the encrypted database.

The index holds the latest version of each record: the template title, the subject's
name and every piece of text entered (fields, table cells, choices, signers' names;
not dates, times or drawn strokes). The record services update it on create, autosave,
finalise and amend (autosaves of a draft only mark it stale: see `index_record`);
before a search, any record the index is missing, holds an older version of or has
marked stale (written before this feature, by an import, or autosaved) is indexed, so
results never silently leave records out. That catch-up runs in short write
transactions of its own, `BATCH` records each, and only when something changed since
the last one (counts and the latest change, read from small columns; when SQLite's own
change counters show nothing was written at all, not even those are read). The search
itself only reads (`Vault.read`): it never holds the write lock, so autosaves go on
while it runs.
The index lives in the same SQLCipher file as the records: nothing of it is readable on
disk.

Words match from their start and ignore case and most accents ("dwr" finds "Dŵr");
every word typed must appear in the record. Up to `RANKED_AT_MOST` matching records are
ranked, best match first. When more match (a common word over years of records),
ranking them all would cost time in proportion to the vault, so the results are the
records added most recently instead, newest first, and say so (`SearchResults`): the
index is read newest first and stops after `limit` records, whatever the vault's size.
"""

from __future__ import annotations

import datetime as dt
import re
import weakref
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import Field
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from supervision_desktop.domain.records import RecordStatus
from supervision_desktop.domain.spelling import corrected
from supervision_desktop.domain.templates import FieldKind, Template
from supervision_desktop.errors import InvalidInput, VaultInUse
from supervision_desktop.services import spelling
from supervision_desktop.store.models import (
    Person,
    Record,
    RecordVersion,
    SearchEntry,
    TemplateSnapshot,
)
from supervision_desktop.store.vault import Vault

_NOT_TEXT = {"date", "time", "duration", "yesno"}
_WORD = re.compile(r"\w+")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        if value.strip():
            yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def record_text(template: Template, fields: dict[str, Any]) -> str:
    """All the text of a record's fields, in form order, one value per line."""
    parts: list[str] = []
    for field in template.fields():
        value = fields.get(field.id)
        if value is None or field.kind.value in _NOT_TEXT:
            continue
        if field.kind is FieldKind.TABLE:
            kinds = {c.id: c.kind.value for c in field.columns}
            for row in value if isinstance(value, list) else []:
                if isinstance(row, dict):
                    for column_id, cell in row.items():
                        if kinds.get(column_id) not in _NOT_TEXT:
                            parts.extend(_strings(cell))
        elif field.kind is FieldKind.SIGNATURE:
            if isinstance(value, dict):
                parts.extend(_strings([value.get("name"), value.get("role")]))
        else:
            parts.extend(_strings(value))
    return "\n".join(parts)


_STALE = dt.datetime(1970, 1, 1)  # an entry's record_updated_at when it awaits re-indexing


def index_record(session: Session, record_id: str, *, defer_drafts: bool = True) -> None:
    """Put the latest version of one record into the index (replacing what was there).

    A draft already in the index is only marked stale: autosave calls this at every
    pause in typing, and re-indexing rewrites the record's whole text (a secure delete
    and an insert, most of an autosave's time). The next search catches it up first,
    so results are the same; finalising indexes at once.
    """
    session.flush()  # so the record's updated_at is final
    record = session.get_one(Record, record_id)
    entry = session.scalar(select(SearchEntry).where(SearchEntry.record_id == record_id))
    if entry is not None and defer_drafts and record.status == RecordStatus.DRAFT.value:
        entry.record_updated_at = _STALE
        _checked.pop(session.get_bind(), None)
        return
    latest = record.versions[-1]
    snapshot = session.get_one(TemplateSnapshot, (record.template_id, record.template_version))
    subject = session.get(Person, record.subject_id) if record.subject_id else None
    body = record_text(Template.from_snapshot(snapshot.definition), latest.content)
    if entry is None:
        entry = SearchEntry(record_id=record_id, version=latest.number,
                            record_updated_at=record.updated_at)
        session.add(entry)
        session.flush()
    else:
        session.execute(text("DELETE FROM record_search WHERE rowid = :id"), {"id": entry.id})
        entry.version = latest.number
        entry.record_updated_at = record.updated_at
    session.execute(
        text("INSERT INTO record_search (rowid, title, subject, body) "
             "VALUES (:id, :title, :subject, :body)"),
        {"id": entry.id, "title": snapshot.title, "subject": subject.name if subject else "",
         "body": body},
    )


def stale_records(session: Session) -> list[str]:
    """Every record missing from the index or changed since it was indexed, oldest first.

    Reads only small columns (the versions' numbers through their unique index, and
    ``records.updated_at``), never the content, so it stays cheap on a large vault.
    """
    latest = (
        select(RecordVersion.record_id, func.max(RecordVersion.number).label("number"))
        .group_by(RecordVersion.record_id)
        .subquery()
    )
    return list(session.scalars(
        select(Record.id)
        .join(latest, latest.c.record_id == Record.id)
        .outerjoin(SearchEntry, SearchEntry.record_id == Record.id)
        .where(
            SearchEntry.id.is_(None)
            | (SearchEntry.version != latest.c.number)
            | (SearchEntry.record_updated_at != Record.updated_at)
        )
        # oldest first: a record's place in the index (its entry's id) is the order
        # "newest first" follows, and a record keeps it when re-indexed
        .order_by(Record.session_date, Record.created_at, Record.id)
    ).all())


def refresh_index(session: Session) -> int:
    """Index every record missing from the index or changed since it was indexed."""
    stale = stale_records(session)
    for record_id in stale:
        index_record(session, record_id, defer_drafts=False)
    return len(stale)


# Records indexed per write transaction when a search catches the index up: each batch
# holds the write lock for milliseconds, so an autosave waits at most that long.
BATCH = 16
# Catch-up rounds before a search gives up (records kept changing between the catch-up
# and the search's snapshot; at a pause in typing the next round finds nothing to do).
ROUNDS = 8

# per database (engine): the fingerprint when the index was last seen up to date
_checked: weakref.WeakKeyDictionary[Any, tuple[Any, ...]] = weakref.WeakKeyDictionary()
# per connection, in its pool record's info: its write counters when the index was last
# known to be up to date (reading them costs microseconds; the fingerprint a millisecond)
_QUIET = "search_index_quiet"


def _counters(session: Session) -> tuple[Any, ...]:
    """Changes when this connection writes anything or another one commits anything."""
    return tuple(session.execute(text(
        "SELECT total_changes(), (SELECT data_version FROM pragma_data_version)"
    )).one())


def _fingerprint(session: Session) -> tuple[Any, ...]:
    """Changes whenever a record is added, removed, changed or given a new version."""
    return tuple(session.execute(text(
        "SELECT (SELECT count(*) FROM records), (SELECT max(updated_at) FROM records), "
        "(SELECT max(id) FROM record_versions), (SELECT count(*) FROM search_entries)"
    )).one())


def _stale_in_snapshot(session: Session) -> list[str]:
    """Within a read: the records the index is behind on in this snapshot ([] if none).

    Nothing written on this connection and nothing committed by another since the index
    was last seen up to date is enough to know; otherwise the fingerprint tells, and
    only when it changed are the records compared.
    """
    database = session.get_bind()
    info = session.connection().info
    counters = _counters(session)
    if database in _checked and info.get(_QUIET) == counters:
        return []
    fingerprint = _fingerprint(session)
    if _checked.get(database) != fingerprint:
        stale = stale_records(session)
        if stale:
            return stale
        _checked[database] = fingerprint
    info[_QUIET] = counters
    return []


def _index_in_batches(vault: Vault, record_ids: list[str]) -> None:
    """Index these records, `BATCH` per short write transaction (skipping any deleted
    meanwhile), so no write transaction is held for long."""
    for start in range(0, len(record_ids), BATCH):
        with vault.transaction() as session:
            for record_id in record_ids[start:start + BATCH]:
                if session.get(Record, record_id) is not None:
                    index_record(session, record_id, defer_drafts=False)


def fts_query(typed: str) -> str:
    """Turn what the user typed into a safe FTS5 query: every word, matched as a prefix."""
    words = _WORD.findall(typed)
    if not words:
        raise InvalidInput("Type at least one word to search for.")
    return " ".join(f'"{word}"*' for word in words)


@dataclass(frozen=True)
class SearchHit:
    record_id: str
    template_title: Annotated[str, Field(serialization_alias="title")]
    subject_name: Annotated[str, Field(serialization_alias="subject")]
    session_date: Annotated[dt.date | None, Field(serialization_alias="date")]
    status: RecordStatus
    snippet: str  # the best-matching passage, matched words between the markers


# More matching records than this are not ranked: the newest are shown instead.
RANKED_AT_MOST = 500


class SearchResults(list[SearchHit]):
    """The hits, in order, and how many records contain every word.

    ``matched`` is the exact number, or None when more than `RANKED_AT_MOST` records
    match: then the hits are the records added most recently, newest first
    (``newest_first``), not the best matches.
    """

    def __init__(self, hits: list[SearchHit], matched: int | None) -> None:
        super().__init__(hits)
        self.matched = matched
        self.suggestion: str | None = None  # the words typed, spelt right, if one was not

    @property
    def newest_first(self) -> bool:
        return self.matched is None

    def summary(self, typed: str) -> str:
        """One sentence saying what was found and in what order."""
        found = self._found(typed)
        return f"{found} Did you mean “{self.suggestion}”?" if self.suggestion else found

    def _found(self, typed: str) -> str:
        if self.matched is None:
            return (f"More than {RANKED_AT_MOST:,} records contain “{typed}”: showing the "
                    f"{len(self):,} added most recently, newest first. Add a word to narrow "
                    "the search.")
        if not self.matched:
            return f"No records contain “{typed}”."
        if self.matched == 1:
            return f"1 record contains “{typed}”."
        if len(self) < self.matched:
            return (f"{self.matched:,} records contain “{typed}”: showing the best "
                    f"{len(self):,}.")
        return f"{self.matched:,} records contain “{typed}”, best match first."


_HITS = ("SELECT e.record_id, snippet(record_search, -1, :open, :close, '…', 16) "
         "FROM record_search JOIN search_entries e ON e.id = record_search.rowid "
         "WHERE record_search MATCH :query ")


def search(
    vault: Vault, typed: str, *, limit: int = 50, marks: tuple[str, str] = ("[", "]")
) -> SearchResults:
    """Records containing every word typed, each with a snippet: best match first, or
    newest first when more than `RANKED_AT_MOST` match (see `SearchResults`).

    The search reads in a read transaction of its own (`Vault.read`), so however long it
    takes, autosaves go on meanwhile. The index is caught up first in short write
    transactions; the read then checks, in its own snapshot, that nothing is stale (an
    autosave in between), and catches up again if so: results never show text a draft
    no longer holds.
    """
    query = fts_query(typed)
    limit = max(limit, 0)
    ceiling = max(RANKED_AT_MOST, limit)
    for _round in range(ROUNDS):
        with vault.read() as session:
            stale = _stale_in_snapshot(session)
            if not stale:
                results = _search(session, query, limit, ceiling, marks)
                break
        _index_in_batches(vault, stale)
    else:
        raise VaultInUse("Records are being saved too quickly for the search to keep up. "
                         "Search again in a moment.")
    results.suggestion = corrected(spelling.speller(vault), typed)
    return results


def _search(session: Session, query: str, limit: int, ceiling: int,
            marks: tuple[str, str]) -> SearchResults:
    # Counted only up to the ceiling: the index stops reading there.
    count = session.execute(
        text("SELECT count(*) FROM (SELECT 1 FROM record_search "
             "WHERE record_search MATCH :query LIMIT :n)"),
        {"query": query, "n": ceiling + 1},
    ).scalar_one()
    matched: int | None = count if count <= ceiling else None
    # Past the ceiling the index is read newest first and stops after `limit` records;
    # ranking reads every match. Snippets are made only for the rows returned.
    order = "rank" if matched is not None else "record_search.rowid DESC"
    rows = session.execute(
        text(_HITS + f"ORDER BY {order} LIMIT :limit"),
        {"open": marks[0], "close": marks[1], "query": query, "limit": limit},
    ).all() if count and limit else []
    # What each hit shows, in one query (not three lookups per hit).
    facts = {
        record_id: (title, name, date, status)
        for record_id, title, name, date, status in session.execute(
            select(Record.id, TemplateSnapshot.title, Person.name, Record.session_date,
                   Record.status)
            .join(TemplateSnapshot,
                  (TemplateSnapshot.template_id == Record.template_id)
                  & (TemplateSnapshot.version == Record.template_version))
            .outerjoin(Person, Person.id == Record.subject_id)
            .where(Record.id.in_([record_id for record_id, _ in rows]))
        )
    } if rows else {}
    hits = []
    for record_id, snippet in rows:
        title, name, date, status = facts[record_id]
        hits.append(SearchHit(record_id, title, name or "", date, RecordStatus(status),
                              " ".join(snippet.split())))
    return SearchResults(hits, matched)
