"""known signers

Revision ID: 0004
Revises: 0003

The certificates a vault has accepted for the people who send it signed records (trust
on first use, deliberate replacement, or issued by an agency CA it trusts).
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('known_signers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.String(length=32), nullable=True),
    sa.Column('name', sa.Text(), nullable=False),
    sa.Column('name_key', sa.Text(), nullable=False),
    sa.Column('certificate', sa.LargeBinary(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('first_seen', sa.DateTime(), nullable=False),
    sa.Column('accepted_how', sa.String(length=16), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['people.id'], ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('fingerprint')
    )
    with op.batch_alter_table('known_signers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_known_signers_name_key'), ['name_key'],
                              unique=False)
        batch_op.create_index(batch_op.f('ix_known_signers_person_id'), ['person_id'],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table('known_signers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_known_signers_person_id'))
        batch_op.drop_index(batch_op.f('ix_known_signers_name_key'))
    op.drop_table('known_signers')
