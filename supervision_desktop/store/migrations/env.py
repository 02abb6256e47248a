"""Alembic environment: migrations run on the vault's own keyed connection."""

from alembic import context

from supervision_desktop.store.models import Base

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
