"""Benchmark our Image API against IIPImage on the same pyramidal TIFF, with wrk.

Prints req/s, p50 and p99 for (a) standard tiles and (b) random regions at several scales,
for both servers at the same concurrency, and the ratio to IIPImage. Needs Debian's `wrk`,
`iipimage-server` and `lighttpd`. Usage:

    .venv/bin/python scripts/bench_iiif.py [--seconds 5] [--rounds 3] [--connections 8]

Our server is the archive as a museum runs it: the master is ingested as a published item, the
derivative job builds its pyramid and pre-cut tiles, and `qiaopi serve` answers with one HTTP
process per core (no access log, no background jobs). Requests come from a visitor, not signed
in. IIPImage runs behind lighttpd with one FastCGI process per core, no access log and the same
tile cache budget (it speaks Image API 2, so it gets the same regions in that URL form).
Each server first gets every region URL once from cold caches (b0, also printed), then for
each workload an untimed 2-s run (warm-up) and the timed runs (a) and (b). The machine is
shared, so both servers run at once and each workload alternates between them round by round;
the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pyvips  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from iiif.info import standard_tiles  # noqa: E402
from iiif.tiles import TILE_CACHE_BYTES  # noqa: E402

IDENTIFIER = "bench"
WARM_UP_SECONDS = 2
PAGE = f"{IDENTIFIER}-p1"
"""The published page's identifier: the item's, then the page number."""
# Each server first gets every region URL once from cold caches (b0, printed too), then the
# timed runs (a) and (b). Without that pass IIPImage's caches would be warmed by run (a), whose
# tiles it decodes, while ours serves them from pre-cut files.
WORKLOADS = (
    ("cold", "(b0) regions, each once, cold"),
    ("tiles", "(a) standard tiles"),
    ("regions", "(b) random regions"),
)
IIPSRV = Path("/usr/lib/iipimage-server/iipsrv.fcgi")
# IIPImage gets the same decoded-tile cache budget per process as our server.
IIP_CACHE_MB = TILE_CACHE_BYTES // 2**20
WRK_SCRIPT = """
local urls = {}
for line in io.lines(os.getenv("URLS")) do urls[#urls + 1] = line end
local i = math.random(#urls)
request = function()
  i = i % #urls + 1
  return wrk.format("GET", urls[i])
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format("RESULT %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), errors))
end
"""


def qiaopi(*args: str, env: dict[str, str]) -> None:
    """Run the `qiaopi` command line of this environment with `args` to completion."""
    command = [sys.executable, "-m", "archive.cli", *args]
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, cwd=REPO)


def published_archive(work: Path, master: Path) -> dict[str, str]:
    """An archive in `work` holding `master` as the one page of a published item; its env."""
    scans = work / "scans" / IDENTIFIER
    scans.mkdir(parents=True)
    shutil.move(master, scans / "01.jpg")
    metadata = work / "items.csv"
    metadata.write_text(f"folder,visibility\n{IDENTIFIER},published\n")
    env = {**os.environ, "QIAOPI_DATA_DIR": str(work / "archive"), "QIAOPI_WORKERS": "0"}
    qiaopi("ingest", str(scans.parent), "--metadata", str(metadata), env=env)
    return env


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def make_master(path: Path, width: int, height: int) -> None:
    """A textured colour image (noise over gradients), so JPEG tiles have realistic sizes."""
    noise = pyvips.Image.gaussnoise(width, height, sigma=40, mean=128)
    texture = pyvips.Image.worley(width, height, cell_size=64) * 4
    image = noise.bandjoin([texture, pyvips.Image.xyz(width, height)[0] * 255 / width])
    image.cast("uchar").copy(interpretation="srgb").jpegsave(str(path), Q=90)


def wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    """Wait until `url` answers 200, or fail if the server died or took over 30 s."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited early while waiting for {url}")
        try:
            if httpx.get(url).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within 30 s")


@contextmanager
def running(command: list[str], url: str, env: dict[str, str] | None = None) -> Iterator[int]:
    """Run a server in a session of its own for the duration of the block, yielding the
    session id; stop it and the processes it started afterwards."""
    process = subprocess.Popen(
        command,
        env=env,
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        wait_for(url, process)
        yield process.pid
    finally:
        os.killpg(process.pid, 15)
        process.wait(timeout=20)


def lighttpd_config(work: Path, port: int, prefix: Path, processes: int) -> Path:
    """A lighttpd config serving iipsrv over FastCGI with `processes` processes."""
    config = work / "lighttpd.conf"
    config.write_text(
        f"""
server.modules = ("mod_fastcgi")
server.document-root = "{work}"
server.bind = "127.0.0.1"
server.port = {port}
server.errorlog = "{work}/lighttpd-error.log"
server.max-connections = 1024
fastcgi.server = ( "/fcgi-bin/iipsrv.fcgi" => ((
  "socket" => "{work}/iipsrv.sock",
  "check-local" => "disable",
  "min-procs" => {processes},
  "max-procs" => {processes},
  "bin-path" => "{IIPSRV}",
  "bin-environment" => (
    "FILESYSTEM_PREFIX" => "{prefix}/",
    "LOGFILE" => "{work}/iipsrv.log",
    "VERBOSITY" => "0",
    "MAX_CVT" => "5000",
    "JPEG_QUALITY" => "85",
    "MAX_IMAGE_CACHE_SIZE" => "{IIP_CACHE_MB}"
  )
)))
"""
    )
    return config


def session_cpu(session: int) -> float:
    """CPU seconds (user + system) used so far by the live processes of a session.

    A server's own cost per request, whatever else keeps the shared machine busy.
    """
    ticks = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # After the command name in parentheses: state, ppid, pgrp, session, ... utime, stime.
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session:
            ticks += int(fields[11]) + int(fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(
    urls: list[str], origin: str, work: Path, seconds: int, connections: int, session: int
) -> dict[str, float]:
    """Run wrk over `urls` (paths) and return req/s, p50/p99 in ms, the error count, and the
    server's CPU milliseconds per request (all processes of its `session`)."""
    url_file = work / "urls.txt"
    url_file.write_text("\n".join(urls) + "\n")
    script = work / "urls.lua"
    script.write_text(WRK_SCRIPT)
    cpu_before = session_cpu(session)
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script), origin],
        env={**os.environ, "URLS": str(url_file)},
        capture_output=True,
        text=True,
        check=True,
    )
    cpu = session_cpu(session) - cpu_before
    line = next(x for x in result.stdout.splitlines() if x.startswith("RESULT"))
    requests, duration, p50, p99, errors = (int(v) for v in line.split()[1:])
    non_2xx = sum(int(x.split(":")[1]) for x in result.stdout.splitlines() if "Non-2xx" in x)
    return {
        "rps": requests / (duration / 1e6),
        "p50": p50 / 1000,
        "p99": p99 / 1000,
        "errors": errors + non_2xx,
        "cpu": 1000 * cpu / max(requests, 1),
    }


def each_once(urls: list[str], origin: str, connections: int, session: int) -> dict[str, float]:
    """Request every URL once, `connections` at a time: the same cold pass for both servers.

    A timed wrk run would warm a slow server's caches less than a fast one's.
    """
    cpu_before = session_cpu(session)

    def fetch(client: httpx.Client, url: str) -> tuple[float, bool]:
        started = time.perf_counter()
        ok = client.get(url).status_code == 200
        return time.perf_counter() - started, ok

    limits = httpx.Limits(max_connections=connections)
    with (
        httpx.Client(base_url=origin, limits=limits) as client,
        ThreadPoolExecutor(connections) as pool,
    ):
        started = time.perf_counter()
        answers = list(pool.map(lambda url: fetch(client, url), urls))
        elapsed = time.perf_counter() - started
    latencies = sorted(latency for latency, _ in answers)
    return {
        "rps": len(urls) / elapsed,
        "p50": 1000 * latencies[len(latencies) // 2],
        "p99": 1000 * latencies[int(len(latencies) * 0.99)],
        "errors": sum(not ok for _, ok in answers),
        "cpu": 1000 * (session_cpu(session) - cpu_before) / len(urls),
    }


def combined(rounds: list[dict[str, float]]) -> dict[str, float]:
    """Rounds of one workload as one figure: mean req/s, median p50, worst p99, all errors,
    CPU per request over all rounds."""
    return {
        "cpu": statistics.mean(r["cpu"] for r in rounds),
        "rps": statistics.mean(r["rps"] for r in rounds),
        "p50": statistics.median(r["p50"] for r in rounds),
        "p99": max(r["p99"] for r in rounds),
        "errors": sum(r["errors"] for r in rounds),
    }


def random_regions(width: int, height: int, count: int) -> list[tuple[int, int, int, int, int]]:
    """Random regions at scales 1, 1/2, 1/4, 1/8 with 256-512 px outputs: (x, y, w, h, out_w)."""
    rng = random.Random(7)
    regions = []
    for _ in range(count):
        factor = rng.choice([1, 2, 4, 8])
        out_w, out_h = rng.randint(256, 512), rng.randint(256, 512)
        w, h = min(width, out_w * factor), min(height, out_h * factor)
        x, y = rng.randint(0, width - w), rng.randint(0, height - h)
        regions.append((x, y, w, h, max(1, w // factor)))
    return regions


def main() -> None:
    """Build the pyramid, run both servers, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5, help="length of one wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="wrk runs per server and workload")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--size", default="6000x8000", help="master size, WxH")
    parser.add_argument("--workers", type=int, default=0, help="our server's processes (cores)")
    args = parser.parse_args()
    for tool in ("wrk", "lighttpd"):
        if shutil.which(tool) is None:
            raise SystemExit(f"{tool} is missing: apt-get install wrk lighttpd iipimage-server")
    width, height = (int(v) for v in args.size.split("x"))
    cores = os.cpu_count() or 1
    load_before = " ".join(map(str, os.getloadavg()))
    with tempfile.TemporaryDirectory(prefix="bench-iiif-") as temporary:
        work = Path(temporary)
        master = work / "master.jpg"
        make_master(master, width, height)
        env = published_archive(work, master)
        started = time.monotonic()
        qiaopi("derive", env=env)
        (pyramid,) = (work / "archive" / "derivatives").rglob("pyramid.tif")
        tiles = sum(1 for _ in pyramid.parent.rglob("*.jpg"))
        print(
            f"derivative job: pyramid + {tiles} pre-cut files in {time.monotonic() - started:.1f} s"
        )

        ours_port, iip_port = free_port(), free_port()
        tile_regions = [t for t in standard_tiles(width, height) if (t[2], t[3]) != (width, height)]
        ours_tiles = [
            f"/iiif/3/{PAGE}/{x},{y},{w},{h}/{ow},{oh}/0/default.jpg"
            for x, y, w, h, ow, oh in tile_regions
        ]
        iip_tiles = [
            f"/fcgi-bin/iipsrv.fcgi?IIIF=pyramid.tif/{x},{y},{w},{h}/{ow},/0/default.jpg"
            for x, y, w, h, ow, _ in tile_regions
        ]
        regions = random_regions(width, height, 2000)
        ours_regions = [
            f"/iiif/3/{PAGE}/{x},{y},{w},{h}/{ow},/0/default.jpg" for x, y, w, h, ow in regions
        ]
        iip_regions = [
            f"/fcgi-bin/iipsrv.fcgi?IIIF=pyramid.tif/{x},{y},{w},{h}/{ow},/0/default.jpg"
            for x, y, w, h, ow in regions
        ]

        serve = [
            sys.executable,
            "-m",
            "archive.cli",
            "serve",
            "--port",
            str(ours_port),
            "--http-workers",
            str(args.workers or cores),
            "--no-access-log",
        ]
        lighttpd = [
            "lighttpd",
            "-D",
            "-f",
            str(lighttpd_config(work, iip_port, pyramid.parent, cores)),
        ]
        results: dict[tuple[str, str], dict[str, float]] = {}
        ours_origin, iip_origin = f"http://127.0.0.1:{ours_port}", f"http://127.0.0.1:{iip_port}"
        urls = {
            ("ours", "tiles"): ours_tiles,
            ("ours", "regions"): ours_regions,
            ("iip", "tiles"): iip_tiles,
            ("iip", "regions"): iip_regions,
        }
        with (
            running(serve, f"{ours_origin}/iiif/3/{PAGE}/info.json", env) as ours_session,
            running(lighttpd, iip_origin + iip_tiles[0]) as iip_session,
        ):
            servers = {"ours": (ours_origin, ours_session), "iip": (iip_origin, iip_session)}
            for server, (origin, session) in servers.items():
                results[server, "cold"] = each_once(
                    urls[server, "regions"], origin, args.connections, session
                )
            # Alternate the servers round by round, so a load change on the shared machine
            # hits both alike.
            for name in ("tiles", "regions"):
                # A short untimed run first: new server processes pay for lazy set-up on
                # their first requests, which is not what a running archive costs.
                for server, (origin, session) in servers.items():
                    seconds, connections = WARM_UP_SECONDS, args.connections
                    wrk(urls[server, name], origin, work, seconds, connections, session)
                rounds: dict[str, list[dict[str, float]]] = {"ours": [], "iip": []}
                for _ in range(args.rounds):
                    for server, (origin, session) in servers.items():
                        rounds[server].append(
                            wrk(
                                urls[server, name],
                                origin,
                                work,
                                args.seconds,
                                args.connections,
                                session,
                            )
                        )
                for server, found in rounds.items():
                    results[server, name] = combined(found)

    print(
        f"master {width}x{height}, {cores} cores, {args.connections} connections, "
        f"{args.rounds} alternating runs of {args.seconds} s, {len(ours_tiles)} tile URLs, "
        f"{len(regions)} region URLs"
    )
    print(f"load average before/after: {load_before} / {' '.join(map(str, os.getloadavg()))}")
    print(
        "req/s ratio: ours over IIPImage. CPU ms/req: every process of the server, user + system;"
        " its ratio (IIPImage's over ours) does not depend on what else loads the machine."
    )
    print(
        f"{'workload':<32}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'vs IIP':>8}"
        f"{'CPU ms/req':>12}{'vs IIP':>8}"
    )
    for name, label in WORKLOADS:
        for server in ("ours", "iip"):
            r, iip = results[server, name], results["iip", name]
            print(
                f"{label + ' ' + server:<32}{r['rps']:>9.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}"
                f"{r['errors']:>8.0f}{r['rps'] / iip['rps']:>7.2f}x"
                f"{r['cpu']:>12.2f}{iip['cpu'] / r['cpu']:>7.2f}x"
            )


if __name__ == "__main__":
    main()
