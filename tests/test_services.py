"""The real services CI starts (scripts/services.sh) answer through the clients the archive uses.

These prove the test infrastructure itself: if one fails, every backend contract suite that
needs that service would fail for a reason that has nothing to do with our code.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import boto3
import pytest
import sqlalchemy as sa
from botocore.config import Config
from elasticsearch import Elasticsearch

from tests.services import (
    ELASTICSEARCH_URL,
    POSTGRES_URL,
    S3_ACCESS_KEY,
    S3_ENDPOINT,
    S3_SECRET_KEY,
    require_env,
)

pytestmark = pytest.mark.service


@pytest.fixture
def es() -> Iterator[Elasticsearch]:
    """An official client connected to the test node."""
    client = Elasticsearch(require_env(ELASTICSEARCH_URL, "Elasticsearch"), request_timeout=30)
    yield client
    client.close()


def test_elasticsearch_indexes_and_finds_a_document(es: Elasticsearch) -> None:
    """A document indexed with its Chinese text is found again by a word of that text."""
    index = f"test-services-{uuid.uuid4().hex}"
    es.indices.create(index=index, mappings={"properties": {"text": {"type": "text"}}})
    try:
        es.index(index=index, id="qp-1", document={"text": "台山 銀信 平安家書"}, refresh=True)
        es.index(index=index, id="qp-2", document={"text": "開平 碉樓"}, refresh=True)

        hits = es.search(index=index, query={"match": {"text": "銀"}})["hits"]

        assert hits["total"]["value"] == 1
        assert [hit["_id"] for hit in hits["hits"]] == ["qp-1"]
    finally:
        es.indices.delete(index=index)


def test_postgresql_runs_a_query() -> None:
    """SQLAlchemy reaches the server over TCP with the password in the URL."""
    engine = sa.create_engine(require_env(POSTGRES_URL, "PostgreSQL"))
    try:
        with engine.connect() as connection:
            version = connection.execute(sa.text("SHOW server_version_num")).scalar_one()
            total = connection.execute(sa.text("SELECT :a + :b"), {"a": 40, "b": 2}).scalar_one()
    finally:
        engine.dispose()

    assert int(version) >= 130000
    assert total == 42


def test_s3_puts_and_gets_an_object() -> None:
    """boto3 creates a bucket, stores bytes and reads the same bytes back."""
    s3 = boto3.client(
        "s3",
        endpoint_url=require_env(S3_ENDPOINT, "S3 server"),
        aws_access_key_id=require_env(S3_ACCESS_KEY, "S3 server"),
        aws_secret_access_key=require_env(S3_SECRET_KEY, "S3 server"),
        region_name="us-east-1",
        config=Config(s3={"addressing_style": "path"}),
    )
    bucket = f"test-services-{uuid.uuid4().hex[:12]}"
    body = "僑批 master bytes".encode()
    s3.create_bucket(Bucket=bucket)
    try:
        s3.put_object(Bucket=bucket, Key="masters/ab/cd", Body=body)

        fetched = s3.get_object(Bucket=bucket, Key="masters/ab/cd")["Body"].read()

        assert fetched == body
    finally:
        s3.delete_object(Bucket=bucket, Key="masters/ab/cd")
        s3.delete_bucket(Bucket=bucket)
