"""Archive fixtures: a catalogue on SQLite and on a real PostgreSQL, and a wired archive."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from archive.context import Archive
from archive.settings import Settings, load_settings
from tests import services


def _postgres_database() -> Iterator[str]:
    admin_url = make_url(services.require_env(services.POSTGRES_URL, "PostgreSQL"))
    name = f"qiaopi_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.service)],
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty catalogue database of each kind: the catalogue contract runs on both."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'catalogue.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Embedded-default settings in a temporary data dir."""
    return load_settings({}, data_dir=tmp_path / "data")


@pytest.fixture
def archive(settings: Settings) -> Iterator[Archive]:
    """A wired archive on the embedded defaults."""
    opened = Archive.open(settings)
    yield opened
    opened.close()
