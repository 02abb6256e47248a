"""repair lone surrogates

Revision ID: 0005
Revises: 0004

Before text was cleaned where it enters (domain.safe_input), a lone UTF-16 surrogate
pasted from a Windows clipboard could be stored inside a JSON column (JSON escapes it
as ``\\udXXX``). Such a string cannot be written as UTF-8, so finalising that draft,
`record show`, search indexing and transfer failed on it. Each is replaced with U+FFFD,
as new input is. Hashed content is never touched: a finalised version's hash is taken
over its UTF-8 text, so no finalised version can hold one; only drafts, people's
details, action rows and signer lists can.
"""

import json

import sqlalchemy as sa
from alembic import op

from supervision_desktop.domain.safe_input import clean_values

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

# (table, key column, JSON column): every JSON column of the schema at 0004
JSON_COLUMNS = (
    ("people", "id", "details"),
    ("record_versions", "id", "content"),
    ("tracked_actions", "id", "row"),
    ("deviations", "id", "every"),
    ("signed_documents", "id", "signers"),
)


def upgrade() -> None:
    connection = op.get_bind()
    for table, key, column in JSON_COLUMNS:
        rows = connection.execute(sa.text(
            f'SELECT "{key}", "{column}" FROM "{table}" '
            f"WHERE instr(lower(\"{column}\"), '\\ud') > 0")).all()
        for row_key, stored in rows:
            value = json.loads(stored)
            cleaned = clean_values(value)
            if cleaned != value:
                connection.execute(
                    sa.text(f'UPDATE "{table}" SET "{column}" = :value WHERE "{key}" = :key'),
                    {"value": json.dumps(cleaned), "key": row_key})


def downgrade() -> None:
    """Nothing to undo: U+FFFD is valid text in every version."""
