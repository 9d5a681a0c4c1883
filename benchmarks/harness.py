"""The pieces the benchmark is made of: the static server, measured crawl subprocesses, the
server's own load loop.

Every crawl runs as a subprocess (``scrapy crawl atlantico``, or ``scrapy runspider`` for the
no-op spider), exactly as users run it, started by a small launcher (:mod:`benchmarks.launch`):
its CPU time and peak memory come from the kernel (``os.wait4``: user + system time and
``ru_maxrss`` of that child alone), its wall time and start from the launcher's clock, and the
time to its first request from the server's clock (both ``time.time`` on the same machine).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable


class StaticServer:
    """``python -m benchmarks.server`` in a subprocess; stopped by closing its stdin."""

    def __init__(self, articles: int, seed: int) -> None:
        self.process = subprocess.Popen(
            [PYTHON, "-m", "benchmarks.server", "--articles", str(articles), "--seed", str(seed)],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError("the benchmark server did not start")
        self.info: dict[str, Any] = json.loads(line)
        self.base_url: str = self.info["base_url"]

    def control(self, action: str, **query: str) -> Any:
        url = f"{self.base_url}/__bench/{action}"
        if query:
            url += "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in query.items())
        with urllib.request.urlopen(url, timeout=120) as answer:
            return json.loads(answer.read())

    def counts(self) -> dict[str, Any]:
        return dict(self.control("counts"))

    def reset(self) -> None:
        self.control("reset")

    def publish(self, k: int) -> list[str]:
        return list(self.control("publish", k=str(k))["published"])

    def targets(self, kind: str) -> list[str]:
        return list(self.control("targets", kind=kind)["targets"])

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.terminate()
            self.process.wait(timeout=10)

    def __enter__(self) -> StaticServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@dataclass
class Measured:
    """One subprocess, measured."""

    returncode: int
    wall_s: float
    cpu_s: float
    maxrss_mb: float
    started: float  # time.time() just before the spawn
    counts: dict[str, Any] = field(default_factory=dict)  # the server's, for this run
    stats: dict[str, Any] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def first_request_s(self) -> float | None:
        first = self.counts.get("first")
        return None if first is None else first - self.started

    @property
    def responses(self) -> int:
        return int(self.counts.get("total", 0))


def run_measured(
    command: list[str], *, cwd: Path, env: dict[str, str], server: StaticServer, log: Path
) -> Measured:
    """Run ``command`` to its end; wall, CPU and peak memory of that process, server counts.

    Through :mod:`benchmarks.launch`, so that the peak memory is the crawl's own.
    """
    server.reset()
    usage_file = log.with_suffix(".usage.json")
    launcher = [PYTHON, "-I", "-S", str(ROOT / "benchmarks" / "launch.py"), str(usage_file)]
    with log.open("w", encoding="utf-8") as out:
        subprocess.run(
            [*launcher, *command], cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    usage = json.loads(usage_file.read_text(encoding="utf-8"))
    return Measured(
        returncode=usage["returncode"],
        wall_s=usage["wall_s"],
        cpu_s=usage["cpu_s"],
        # The process tree's peak (the crawl and its reading workers), see benchmarks/launch.py.
        maxrss_mb=usage.get("tree_peak_mb", usage["maxrss_mb"]),
        started=usage["started"],
        counts=server.counts(),
    )


# -- the two crawls ----------------------------------------------------------------------------


def politeness_off(concurrency: int) -> dict[str, str]:
    """The same engine settings for both crawls: no delay, no AutoThrottle, ``concurrency``."""
    return {
        "DOWNLOAD_DELAY": "0",
        "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS": str(concurrency),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(concurrency),
        "ROBOTSTXT_OBEY": "True",  # the product obeys robots.txt: one request, both crawls
        "LOG_LEVEL": "INFO",  # Scrapy's default DEBUG writes a line per request
        "TELNETCONSOLE_ENABLED": "False",
    }


def _settings_args(settings: dict[str, str]) -> list[str]:
    return [arg for name, value in settings.items() for arg in ("-s", f"{name}={value}")]


def noop_crawl(server: StaticServer, workdir: Path, concurrency: int) -> Measured:
    """(a) the no-op spider, outside the project folder so no project setting loads."""
    workdir.mkdir(parents=True, exist_ok=True)
    stats_file = workdir / "stats.json"
    command = [
        PYTHON, "-m", "scrapy", "runspider", str(ROOT / "benchmarks" / "noop.py"),
        "-a", f"base_url={server.base_url}",
        *_settings_args({**politeness_off(concurrency), "NOOP_STATS_FILE": str(stats_file)}),
    ]  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "SCRAPY_SETTINGS_MODULE"}
    result = run_measured(command, cwd=workdir, env=env, server=server, log=workdir / "log.txt")
    if stats_file.exists():
        result.stats = json.loads(stats_file.read_text(encoding="utf-8"))
    return result


# Settings added to every run of the product (``python -m benchmarks --setting NAME=VALUE``),
# e.g. ATLANTICO_READ_WORKERS=0 to measure the crawl without reading workers.
PRODUCT_SETTINGS: dict[str, str] = {}


def product_crawl(
    server: StaticServer,
    workdir: Path,
    state_dir: Path,
    concurrency: int,
    *,
    profile: Path | None = None,
) -> Measured:
    """(b)/(c) ``scrapy crawl atlantico`` with every pipeline, the store and the default feed."""
    workdir.mkdir(parents=True, exist_ok=True)
    settings = {
        **politeness_off(concurrency),
        "ATLANTICO_BASE_URL": server.base_url,
        "ATLANTICO_ALLOW_PRIVATE_HOSTS": "True",  # the benchmark's server is on 127.0.0.1
        "ATLANTICO_ATOM_URI": str(workdir / "feeds" / "atlantico-{section}.atom"),
        "ATLANTICO_MAX_PAGES": "0",  # the whole listing (an incremental run stops at its mark)
        "ATLANTICO_STATE_DIR": str(state_dir),
        "ATLANTICO_STATS_FILE": str(workdir / "stats.json"),
        "ATLANTICO_FEED_URI": str(workdir / "feeds" / "%(name)s-%(run_id)s.jsonl"),
        "LOG_FILE": str(workdir / "crawl.log"),
        **PRODUCT_SETTINGS,
    }
    runner = [PYTHON]
    if profile is not None:
        runner += ["-m", "cProfile", "-o", str(profile)]
    command = [*runner, "-m", "scrapy", "crawl", "atlantico", *_settings_args(settings)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = run_measured(command, cwd=ROOT, env=env, server=server, log=workdir / "stdout.txt")
    stats_file = workdir / "stats.json"
    if stats_file.exists():
        result.stats = json.loads(stats_file.read_text(encoding="utf-8"))
    manifests = sorted((workdir / "feeds").glob("*.manifest.json"))
    if manifests:
        result.extra["manifest"] = json.loads(manifests[-1].read_text(encoding="utf-8"))
    return result


# -- the server's own throughput ---------------------------------------------------------------


async def _fetch_all(base_url: str, targets: list[str], connections: int) -> tuple[int, int]:
    parts = urlsplit(base_url)
    queue = list(reversed(targets))
    done = 0
    received = 0

    async def worker() -> None:
        nonlocal done, received
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            while queue:
                target = queue.pop()
                writer.write(f"GET {target} HTTP/1.1\r\nHost: {parts.netloc}\r\n\r\n".encode())
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                body = await reader.readexactly(length)
                done += 1
                received += len(body)
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(connections)))
    return done, received


def server_throughput(server: StaticServer, connections: int, limit: int) -> dict[str, float]:
    """Pages/s and MB/s the server delivers to a lean client fetching article pages.

    The client shares the machine (and its 2 cores) with the server, so this is a lower bound
    on what the server alone can do.
    """
    targets = server.targets("article")[:limit]
    server.reset()
    clock = time.perf_counter()
    cpu = time.process_time()
    done, received = asyncio.run(_fetch_all(server.base_url, targets, connections))
    wall = time.perf_counter() - clock
    client_cpu = time.process_time() - cpu
    return {
        "pages": done,
        "pages_per_s": done / wall,
        "mb_per_s": received / wall / 1e6,
        "client_cpu_share": client_cpu / wall,
    }
