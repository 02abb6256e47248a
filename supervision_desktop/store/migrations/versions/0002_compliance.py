"""compliance: tracked actions, cancellations, deviations, full-text search

Revision ID: 0002
Revises: 0001

The search index is an FTS5 table inside the same SQLCipher database, so its shadow
tables are encrypted like everything else. Its rowid is ``search_entries.id``; deleting
a record cascades to its entry, and a trigger removes the matching index row. FTS5's
own secure-delete option is on, so deleted text is purged from the index pages rather
than left behind as tombstones until the next merge.
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tracked_actions',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('source_record_id', sa.String(length=32), nullable=False),
    sa.Column('field_id', sa.String(length=64), nullable=False),
    sa.Column('row_number', sa.Integer(), nullable=False),
    sa.Column('subject_id', sa.String(length=32), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('owner', sa.Text(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('row', sa.JSON(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('closed_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['source_record_id'], ['records.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['subject_id'], ['people.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('tracked_actions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tracked_actions_source_record_id'), ['source_record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracked_actions_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_tracked_actions_subject_id'), ['subject_id'], unique=False)

    op.create_table('action_carries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('action_id', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=32), nullable=False),
    sa.Column('outcome', sa.String(length=16), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['action_id'], ['tracked_actions.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('action_id', 'record_id')
    )
    with op.batch_alter_table('action_carries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_action_carries_action_id'), ['action_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_action_carries_record_id'), ['record_id'], unique=False)

    op.create_table('cancellations',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.String(length=32), nullable=False),
    sa.Column('planned_on', sa.Date(), nullable=False),
    sa.Column('planned_time', sa.String(length=5), nullable=False),
    sa.Column('initiated_by', sa.Text(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('rescheduled_for', sa.Date(), nullable=True),
    sa.Column('comments', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cancellations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cancellations_person_id'), ['person_id'], unique=False)

    op.create_table('deviations',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('person_id', sa.String(length=32), nullable=False),
    sa.Column('every', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('approved_by', sa.Text(), nullable=False),
    sa.Column('agreed_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('deviations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deviations_person_id'), ['person_id'], unique=False)

    op.create_table('search_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.String(length=32), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('record_updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('record_id')
    )
    op.execute(
        "CREATE VIRTUAL TABLE record_search USING fts5("
        "title, subject, body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    op.execute("INSERT INTO record_search(record_search, rank) VALUES ('secure-delete', 1)")
    op.execute(
        "CREATE TRIGGER search_entries_delete AFTER DELETE ON search_entries BEGIN "
        "DELETE FROM record_search WHERE rowid = old.id; END"
    )
    # Records written before this revision are indexed on first search (services.search).


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS search_entries_delete")
    op.execute("DROP TABLE IF EXISTS record_search")
    op.drop_table('search_entries')
    with op.batch_alter_table('deviations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deviations_person_id'))

    op.drop_table('deviations')
    with op.batch_alter_table('cancellations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cancellations_person_id'))

    op.drop_table('cancellations')
    with op.batch_alter_table('action_carries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_action_carries_record_id'))
        batch_op.drop_index(batch_op.f('ix_action_carries_action_id'))

    op.drop_table('action_carries')
    with op.batch_alter_table('tracked_actions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tracked_actions_subject_id'))
        batch_op.drop_index(batch_op.f('ix_tracked_actions_status'))
        batch_op.drop_index(batch_op.f('ix_tracked_actions_source_record_id'))

    op.drop_table('tracked_actions')
