"""carer mode, transfer, retention and audit

Revision ID: 0003
Revises: 0002

Signed PDFs held byte for byte (exported here or imported from someone else), carers'
notes, people's end dates (for retention), where a record came from, the audit log
(hash-chained) and the disposal report.
"""

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ended_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('end_reason', sa.Text(), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.add_column(sa.Column('origin', sa.String(length=16), nullable=False,
                                      server_default='own'))

    op.create_table('signed_documents',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('direction', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=32), nullable=True),
    sa.Column('file_name', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('claimed_record_id', sa.String(length=32), nullable=False),
    sa.Column('claimed_version', sa.Integer(), nullable=True),
    sa.Column('claimed_content_hash', sa.String(length=64), nullable=False),
    sa.Column('signers', sa.JSON(), nullable=False),
    sa.Column('verdict', sa.String(length=16), nullable=False),
    sa.Column('verdict_detail', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['record_id'], ['records.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('signed_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_signed_documents_direction'), ['direction'], unique=False)
        batch_op.create_index(batch_op.f('ix_signed_documents_record_id'), ['record_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_signed_documents_sha256'), ['sha256'], unique=False)

    op.create_table('notes',
    sa.Column('id', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('child_id', sa.String(length=32), nullable=True),
    sa.Column('written_on', sa.Date(), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['child_id'], ['people.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notes_kind'), ['kind'], unique=False)
        batch_op.create_index(batch_op.f('ix_notes_child_id'), ['child_id'], unique=False)

    op.create_table('audit_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.Text(), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('record_id', sa.String(length=32), nullable=True),
    sa.Column('person_id', sa.String(length=32), nullable=True),
    sa.Column('detail', sa.Text(), nullable=False),
    sa.Column('previous_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_audit_events_action'), ['action'], unique=False)
        batch_op.create_index(batch_op.f('ix_audit_events_record_id'), ['record_id'], unique=False)

    op.create_table('disposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.String(length=32), nullable=False),
    sa.Column('template_id', sa.String(length=64), nullable=False),
    sa.Column('subject_id', sa.String(length=32), nullable=True),
    sa.Column('subject_kind', sa.String(length=16), nullable=False),
    sa.Column('session_date', sa.Date(), nullable=True),
    sa.Column('versions', sa.Integer(), nullable=False),
    sa.Column('rule_id', sa.String(length=64), nullable=False),
    sa.Column('rule_text', sa.Text(), nullable=False),
    sa.Column('due_since', sa.Date(), nullable=True),
    sa.Column('disposed_at', sa.DateTime(), nullable=False),
    sa.Column('disposed_by', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )


def downgrade() -> None:
    op.drop_table('disposals')
    with op.batch_alter_table('audit_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_audit_events_record_id'))
        batch_op.drop_index(batch_op.f('ix_audit_events_action'))
    op.drop_table('audit_events')
    with op.batch_alter_table('notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_notes_child_id'))
        batch_op.drop_index(batch_op.f('ix_notes_kind'))
    op.drop_table('notes')
    with op.batch_alter_table('signed_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_signed_documents_sha256'))
        batch_op.drop_index(batch_op.f('ix_signed_documents_record_id'))
        batch_op.drop_index(batch_op.f('ix_signed_documents_direction'))
    op.drop_table('signed_documents')
    with op.batch_alter_table('records', schema=None) as batch_op:
        batch_op.drop_column('origin')
    with op.batch_alter_table('people', schema=None) as batch_op:
        batch_op.drop_column('end_reason')
        batch_op.drop_column('ended_on')
