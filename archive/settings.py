"""One settings object for the whole application, read from `QIAOPI_*` variables and a config file.

Settings are built from an environment *mapping passed in* (never read at import time), so
tests and embedding applications configure the archive without touching `os.environ`.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

ENV_PREFIX = "QIAOPI_"


class Settings(BaseSettings):
    """Every setting of the archive, with its default; see docs/settings.md."""

    model_config = SettingsConfigDict(extra="ignore", frozen=True)

    data_dir: Path = Field(
        Path("./qiaopi-data"),
        description="Home of the embedded defaults: SQLite file, blob folder, index, caches.",
    )
    database_url: str = Field(
        "",
        description="SQLAlchemy URL of the catalogue; default sqlite:///DATA_DIR/catalogue.db.",
    )
    blob_url: str = Field(
        "",
        description="Where masters live: file:PATH or s3://bucket/prefix; default DATA_DIR/blobs.",
    )
    search_url: str = Field("embedded", description="`embedded` or http(s)://host:9200.")
    s3_endpoint: str | None = Field(
        None, description="S3 endpoint URL (MinIO, Ceph); AWS if unset."
    )
    s3_access_key: str | None = Field(None, description="S3 access key id.")
    s3_secret_key: SecretStr | None = Field(None, description="S3 secret access key.")
    s3_region: str = Field("us-east-1", description="S3 region name.")
    secret_key: SecretStr | None = Field(
        None,
        description="Signs session cookies; required in production, else generated per data dir.",
    )
    environment: Literal["development", "production"] = Field(
        "development", description="`production` refuses unsafe defaults."
    )
    public_url: str = Field(
        "", description="Public base URL for links in manifests; default: the request's own URL."
    )
    max_upload_bytes: int = Field(
        512 * 1024 * 1024, gt=0, description="Largest file accepted by ingest or upload, in bytes."
    )
    max_image_pixels: int = Field(
        150_000_000,
        gt=0,
        description="Largest image accepted, in pixels (decompression-bomb guard).",
    )
    ocr_engine: str = Field(
        "", description="OCR engine name (see `qiaopi recognize --help`); default: the best one."
    )
    workers: int = Field(
        2, ge=0, description="Background job workers inside `qiaopi serve` (0: none)."
    )
    http_workers: int = Field(
        1,
        ge=1,
        le=64,
        description="Processes answering HTTP in `qiaopi serve` (one per core is a good start; "
        "each keeps its own decoded-tile cache of up to 512 MiB).",
    )

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.environment == "production" and self.secret_key is None:
            raise ValueError(
                "QIAOPI_SECRET_KEY must be set when QIAOPI_ENVIRONMENT=production "
                "(sessions would otherwise be signed with a generated key)"
            )
        return self

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Only what load_settings passes in counts: the process environment is read there,
        # explicitly, so nothing is configured behind a caller's back.
        return (init_settings,)

    @property
    def resolved_database_url(self) -> str:
        """The catalogue URL, defaulting to a SQLite file in the data dir."""
        return self.database_url or f"sqlite:///{self.data_dir.resolve() / 'catalogue.db'}"

    @property
    def resolved_blob_url(self) -> str:
        """The blob store URL, defaulting to a folder in the data dir."""
        return self.blob_url or f"file:{self.data_dir.resolve() / 'blobs'}"

    @property
    def index_dir(self) -> Path:
        """Where the embedded search engine keeps its index."""
        return self.data_dir / "index"

    @property
    def derivative_dir(self) -> Path:
        """Where rebuildable image derivatives (pyramids, tile cache) live."""
        return self.data_dir / "derivatives"

    def session_secret(self) -> str:
        """The cookie-signing key: configured, or generated once and kept in the data dir."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret_key"
        if not path.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


def load_settings(environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
    """Build settings from `QIAOPI_*` entries of `environ` (default: os.environ) and overrides.

    `QIAOPI_CONFIG_FILE` names an optional TOML file whose keys are the setting names;
    environment entries win over the file, explicit overrides win over both.
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    config_file = env.get(f"{ENV_PREFIX}CONFIG_FILE")
    if config_file:
        path = Path(config_file)
        if not path.is_file():
            raise ValueError(f"QIAOPI_CONFIG_FILE={config_file}: no such file")
        values.update(TomlConfigSettingsSource(Settings, toml_file=path)())
    fields = Settings.model_fields
    for key, value in env.items():
        if key.startswith(ENV_PREFIX):
            name = key[len(ENV_PREFIX) :].lower()
            if name in fields:
                values[name] = value
    values.update({k: v for k, v in overrides.items() if v is not None})
    return Settings(**values)
