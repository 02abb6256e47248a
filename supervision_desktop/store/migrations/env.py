"""Alembic environment: migrations run on the vault's own keyed connection."""

from alembic import context

from supervision_desktop.store.models import Base


def _include_object(obj: object, name: str | None, type_: str, reflected: bool,
                    compare_to: object) -> bool:
    """The full-text index (an FTS5 table and its shadow tables) is not an ORM model."""
    return not (type_ == "table" and str(name).startswith("record_search"))


connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    include_object=_include_object,
    render_as_batch=True,
    transaction_per_migration=True,
)
with context.begin_transaction():
    context.run_migrations()
