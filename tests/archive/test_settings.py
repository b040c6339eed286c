"""Settings: read from a mapping passed in and an optional TOML file, never at import time."""

from __future__ import annotations

from pathlib import Path

import pytest

from archive.settings import load_settings


def test_defaults_are_embedded(tmp_path: Path) -> None:
    settings = load_settings({}, data_dir=tmp_path)
    assert settings.resolved_database_url == f"sqlite:///{tmp_path.resolve()}/catalogue.db"
    assert settings.resolved_blob_url == f"file:{tmp_path.resolve()}/blobs"
    assert settings.search_url == "embedded"


def test_environment_wins_over_config_file(tmp_path: Path) -> None:
    config = tmp_path / "qiaopi.toml"
    config.write_text('search_url = "http://127.0.0.1:9200"\nworkers = 4\n')
    settings = load_settings(
        {"QIAOPI_CONFIG_FILE": str(config), "QIAOPI_WORKERS": "1", "OTHER": "ignored"}
    )
    assert settings.search_url == "http://127.0.0.1:9200"
    assert settings.workers == 1


def test_bad_values_are_named(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="workers"):
        load_settings({"QIAOPI_WORKERS": "many"})
    with pytest.raises(ValueError, match="no such file"):
        load_settings({"QIAOPI_CONFIG_FILE": str(tmp_path / "missing.toml")})


def test_production_needs_a_secret_key() -> None:
    with pytest.raises(ValueError, match="QIAOPI_SECRET_KEY"):
        load_settings({"QIAOPI_ENVIRONMENT": "production"})
    settings = load_settings({"QIAOPI_ENVIRONMENT": "production", "QIAOPI_SECRET_KEY": "s" * 40})
    assert settings.session_secret() == "s" * 40


def test_generated_secret_is_kept(tmp_path: Path) -> None:
    settings = load_settings({}, data_dir=tmp_path)
    assert settings.session_secret() == settings.session_secret()
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
