"""The migrations build exactly the tables the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from supervision_desktop.store.migrate import head_revision
from supervision_desktop.store.models import Base


def test_a_new_vault_has_the_schema_the_models_describe(vault):
    assert vault.schema_revision == head_revision()
    with vault.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_name": lambda name, type_, _parents:
                              not (type_ == "table" and name.startswith("record_search"))})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
