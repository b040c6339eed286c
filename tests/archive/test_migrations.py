"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from archive.catalogue.db import Catalogue
from archive.catalogue.models import Base


def test_migrated_schema_matches_the_models(database_url: str) -> None:
    catalogue = Catalogue(database_url)
    catalogue.migrate()
    with catalogue.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    catalogue.dispose()
    assert differences == []
