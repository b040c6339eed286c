"""Where the real services for the tests are, and what to do when one is missing.

`.ci/run` (through `scripts/services.sh`) starts PostgreSQL, an S3-protocol server and an
Elasticsearch node on loopback and exports their addresses in these variables. Locally a
missing service skips its tests; under ``CI=true`` it fails them, so CI can never go
green by silently skipping what it was meant to check.
"""

from __future__ import annotations

import os

import pytest

POSTGRES_URL = "QIAOPI_TEST_POSTGRES_URL"
S3_ENDPOINT = "QIAOPI_TEST_S3_ENDPOINT"
S3_ACCESS_KEY = "QIAOPI_TEST_S3_ACCESS_KEY"
S3_SECRET_KEY = "QIAOPI_TEST_S3_SECRET_KEY"
ELASTICSEARCH_URL = "QIAOPI_TEST_ELASTICSEARCH_URL"


def in_ci() -> bool:
    """True when running under CI, where every service must be present."""
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require_env(name: str, what: str) -> str:
    """Return the value of `name`, or fail (CI) / skip (locally) naming the missing service."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    message = f"{what} is not available: set {name} (scripts/services.sh start does)"
    if in_ci():
        pytest.fail(message)
    pytest.skip(message)
