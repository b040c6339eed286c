"""The official IIIF Image API validator, run against our server in a real uvicorn process."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
TEST_IMAGE = REPO.parent / "shared" / "iiif" / "67352ccc-d1b0-11e1-89ae-279075081939.png"
IDENTIFIER = "67352ccc-d1b0-11e1-89ae-279075081939"

SERVER = """
import sys
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from PIL import Image

from iiif import ImageSource, image_api_router

master, derivatives, port = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
with Image.open(master) as image:
    width, height = image.size
source = ImageSource(master, width, height, fingerprint="validator")
app = FastAPI()
router = image_api_router(
    lambda identifier: source if identifier == master.stem else None,
    derivative_dir=derivatives,
)
app.include_router(router, prefix="/iiif/3")
uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning")
"""


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.slow
def test_official_validator_passes_level_2(tmp_path: Path) -> None:
    validator = Path(sys.executable).parent / "iiif-validate.py"
    assert validator.exists() or shutil.which("iiif-validate.py"), "pip install iiif-validator"
    assert TEST_IMAGE.exists(), f"the validator's test image is missing: {TEST_IMAGE}"
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(TEST_IMAGE), str(tmp_path), str(port)], cwd=REPO
    )
    try:
        info_url = f"http://127.0.0.1:{port}/iiif/3/{IDENTIFIER}/info.json"
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(info_url).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, "the server exited while starting"
            assert time.monotonic() < deadline, "the server did not start within 30 s"
            time.sleep(0.2)
        result = subprocess.run(
            [
                sys.executable,
                str(validator),
                "-s",
                f"127.0.0.1:{port}",
                "-p",
                "iiif/3",
                "-i",
                IDENTIFIER,
                "--version=3.0",
                "--level",
                "2",
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
        assert "FAIL" not in result.stdout
    finally:
        server.terminate()
        server.wait(timeout=10)
