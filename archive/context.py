"""The wired application: settings, catalogue and blob store, built once per process."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Self

from archive.blobs import BlobStore, open_blob_store
from archive.catalogue.db import Catalogue
from archive.settings import Settings


@dataclass
class Archive:
    """Everything a command, request or job needs, built from settings (never at import)."""

    settings: Settings
    catalogue: Catalogue
    blobs: BlobStore

    @classmethod
    def open(cls, settings: Settings, *, migrate: bool = True) -> Self:
        """Connect to the configured backends, creating or upgrading the schema if asked."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        catalogue = Catalogue(settings.resolved_database_url)
        if migrate:
            catalogue.migrate()
        secret = settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else None
        blobs = open_blob_store(
            settings.resolved_blob_url,
            data_dir=settings.data_dir,
            s3_endpoint=settings.s3_endpoint,
            s3_access_key=settings.s3_access_key,
            s3_secret_key=secret,
            s3_region=settings.s3_region,
        )
        return cls(settings=settings, catalogue=catalogue, blobs=blobs)

    def close(self) -> None:
        """Release database connections."""
        self.catalogue.dispose()
