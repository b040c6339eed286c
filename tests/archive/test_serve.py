"""`qiaopi serve --http-workers N`: several HTTP processes over one archive, as one server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from archive.catalogue.users import add_user
from archive.context import Archive
from archive.ingest.run import ingest
from archive.settings import load_settings
from tests.archive.test_ingest import corpus

PASSWORD = "a long curator password"
QIAOPI = Path(sys.executable).with_name("qiaopi")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _http_processes(parent: int) -> list[int]:
    """The uvicorn worker processes the serve command spawned (children running spawn_main)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes()
        except (OSError, IndexError, ValueError):
            continue
        if ppid == parent and b"spawn_main" in command:
            found.append(int(entry.name))
    return found


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`qiaopi --data-dir D serve --http-workers 2` on an archive with the test corpus."""
    data_dir = tmp_path / "data"
    archive = Archive.open(load_settings({}, data_dir=data_dir))
    try:
        root = corpus(tmp_path / "corpus")
        ingest(archive, [root / "items"], metadata=root / "items.csv")
        with archive.catalogue.session() as session:
            add_user(session, "mei", PASSWORD, actor="test")
    finally:
        archive.close()
    port = _free_port()
    environ = {k: v for k, v in os.environ.items() if not k.startswith("QIAOPI_")}
    environ["QIAOPI_WORKERS"] = "0"
    command = [str(QIAOPI), "--data-dir", str(data_dir), "serve", "--port", str(port)]
    process = subprocess.Popen([*command, "--http-workers", "2"], env=environ)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        assert process.poll() is None, "qiaopi serve exited early"
        assert time.monotonic() < deadline, "qiaopi serve did not answer within 60 s"
        try:
            if httpx.get(f"{base}/api/health").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    yield base, process
    process.send_signal(signal.SIGINT)
    process.wait(timeout=30)


@pytest.mark.slow
def test_several_http_processes_serve_one_archive(
    server: tuple[str, subprocess.Popen[bytes]],
) -> None:
    base, process = server
    deadline = time.monotonic() + 30
    while len(_http_processes(process.pid)) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(_http_processes(process.pid)) == 2

    # Each request on a new connection, so both processes answer some: every one must see the
    # archive named by --data-dir and accept the session signed by another process.
    item = [httpx.get(f"{base}/api/items/qp-1932-0001") for _ in range(6)]
    assert [r.status_code for r in item] == [200] * 6
    signed_in = httpx.post(
        f"{base}/api/auth/session", json={"username": "mei", "password": PASSWORD}
    )
    assert signed_in.status_code == 200
    cookies = dict(signed_in.cookies)
    names = [httpx.get(f"{base}/api/auth/me", cookies=cookies).json()["username"] for _ in range(8)]
    assert names == ["mei"] * 8
    assert httpx.get(f"{base}/iiif/3/qp-1932-0001-p1/info.json").status_code == 200
