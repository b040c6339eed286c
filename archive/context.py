"""The wired application: settings, catalogue and blob store, built once per process."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Self

from archive.blobs import BlobStore, open_blob_store
from archive.catalogue.db import Catalogue
from archive.jobs.registry import load_steps
from archive.settings import Settings
from search import SearchBackend, open_search_backend


@dataclass
class Archive:
    """Everything a command, request or job needs, built from settings (never at import)."""

    settings: Settings
    catalogue: Catalogue
    blobs: BlobStore
    _search: SearchBackend | None = field(default=None, repr=False)

    @property
    def search(self) -> SearchBackend:
        """The search backend, opened on first use (commands that do not search never do)."""
        if self._search is None:
            self._search = open_search_backend(
                self.settings.search_url, index_dir=self.settings.index_dir
            )
        return self._search

    @classmethod
    def open(cls, settings: Settings, *, migrate: bool = True) -> Self:
        """Connect to the configured backends, creating or upgrading the schema if asked."""
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        load_steps()
        catalogue = Catalogue(
            settings.resolved_database_url, change_stamp=settings.data_dir / "catalogue-changes"
        )
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
        """Release database connections and the search backend."""
        if self._search is not None:
            self._search.close()
        self.catalogue.dispose()
