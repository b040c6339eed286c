"""Ingest throughput without OCR: embedded defaults vs PostgreSQL + S3, side by side.

    python scripts/bench_ingest.py [--items 290] [--corpus DIR]

Generates (once, cached) a sample corpus of about 1,000 pages, then runs `qiaopi ingest`
as a separate process for each backend and prints pages/s, MB/s and peak memory (max RSS).
The scaled run needs the services of `scripts/services.sh start` (it reads
`.cache/services.env` variables from the environment: source that file first).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import boto3
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from archive.samples import generate_corpus

REPO = Path(__file__).resolve().parent.parent


def corpus(items: int, where: Path | None) -> Path:
    """The benchmark corpus, generated on first use."""
    out = where or REPO / ".cache" / "bench" / f"corpus-{items}"
    if not (out / "items.csv").exists():
        print(f"generating {items} sample items in {out} ...", flush=True)
        started = time.perf_counter()
        summary = generate_corpus(out, items, seed=1)
        print(f"  {summary.pages} pages in {time.perf_counter() - started:.0f} s", flush=True)
    return out


def scaled_env() -> dict[str, str]:
    """QIAOPI_* settings for a fresh PostgreSQL database and S3 bucket from the test services."""
    try:
        admin = make_url(os.environ["QIAOPI_TEST_POSTGRES_URL"])
        endpoint = os.environ["QIAOPI_TEST_S3_ENDPOINT"]
        key, secret = (
            os.environ["QIAOPI_TEST_S3_ACCESS_KEY"],
            os.environ["QIAOPI_TEST_S3_SECRET_KEY"],
        )
    except KeyError as missing:
        sys.exit(
            f"{missing} is not set: run scripts/services.sh start and source .cache/services.env"
        )
    name = f"bench_{uuid.uuid4().hex[:8]}"
    engine = create_engine(admin, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        region_name="us-east-1",
    )
    s3.create_bucket(Bucket=name.replace("_", "-"))
    return {
        "QIAOPI_DATABASE_URL": admin.set(database=name).render_as_string(hide_password=False),
        "QIAOPI_BLOB_URL": f"s3://{name.replace('_', '-')}/masters",
        "QIAOPI_S3_ENDPOINT": endpoint,
        "QIAOPI_S3_ACCESS_KEY": key,
        "QIAOPI_S3_SECRET_KEY": secret,
    }


def run_ingest(corpus_dir: Path, extra_env: dict[str, str]) -> tuple[float, float, str]:
    """Run one ingest process; returns (seconds, peak RSS in MB, its summary line)."""
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "QIAOPI_DATA_DIR": data, **extra_env}
        command = [
            sys.executable,
            "-m",
            "archive.cli",
            "ingest",
            str(corpus_dir / "items"),
            "--metadata",
            str(corpus_dir / "items.csv"),
        ]
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        assert process.stderr is not None
        summary = process.stderr.read().strip().splitlines()
        if status != 0:
            sys.exit("ingest failed:\n" + "\n".join(summary))
        return seconds, usage.ru_maxrss / 1024, summary[-1] if summary else ""


def main() -> None:
    """Print the throughput table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--items", type=int, default=290, help="sample items (~3.5 pages each)")
    parser.add_argument("--corpus", type=Path, help="an existing corpus directory")
    parser.add_argument("--only", choices=["embedded", "scaled"], help="run one backend only")
    args = parser.parse_args()
    source = corpus(args.items, args.corpus)
    files = [p for p in (source / "items").rglob("*") if p.is_file()]
    pages, megabytes = len(files), sum(p.stat().st_size for p in files) / 1e6
    print(f"corpus: {pages} pages, {megabytes:.0f} MB")
    print(f"{'backend':<22}{'seconds':>9}{'pages/s':>10}{'MB/s':>8}{'peak MB':>9}")
    runs = {"embedded": dict[str, str], "scaled": scaled_env}
    for name, make_env in runs.items():
        if args.only and name != args.only:
            continue
        seconds, peak, _ = run_ingest(source, make_env())
        label = "SQLite + folder" if name == "embedded" else "PostgreSQL + S3"
        rate, throughput = pages / seconds, megabytes / seconds
        print(f"{label:<22}{seconds:>9.1f}{rate:>10.1f}{throughput:>8.1f}{peak:>9.0f}")


if __name__ == "__main__":
    main()
