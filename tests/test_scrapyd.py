"""Scheduling for real: a Scrapyd on 127.0.0.1 runs the deployed project twice."""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from atlantico.identity import article_key
from tests.conftest import ROOT
from tests.replica import ReplicaServer

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Scrapyd:
    def __init__(self, url: str, home: Path) -> None:
        self.url = url
        self.home = home  # its working directory, where it keeps dbs/, eggs/, logs/

    def call(
        self, endpoint: str, fields: list[tuple[str, str]] | None = None, egg: bytes | None = None
    ) -> Any:
        if egg is not None:
            boundary = uuid.uuid4().hex
            parts = []
            for name, value in fields or []:
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                )
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="egg"; filename="project.egg"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n".encode()
                + egg
                + b"\r\n"
            )
            parts.append(f"--{boundary}--\r\n".encode())
            request = urllib.request.Request(
                f"{self.url}/{endpoint}",
                data=b"".join(parts),
                headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
            )
        elif fields is not None:
            request = urllib.request.Request(
                f"{self.url}/{endpoint}", data=urllib.parse.urlencode(fields).encode()
            )
        else:
            request = urllib.request.Request(f"{self.url}/{endpoint}")
        with urllib.request.urlopen(request, timeout=30) as answer:
            result = json.loads(answer.read())
        assert result["status"] == "ok", result
        return result

    def run_to_end(self, settings: dict[str, str]) -> str:
        fields = [("project", "atlantico"), ("spider", "atlantico")]
        fields += [("setting", f"{name}={value}") for name, value in settings.items()]
        job = self.call("schedule.json", fields)["jobid"]
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            jobs = self.call("listjobs.json?project=atlantico")
            if any(entry["id"] == job for entry in jobs["finished"]):
                return str(job)
            time.sleep(0.5)
        raise AssertionError(f"job {job} did not finish")


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[Scrapyd]:
    port = free_port()
    home = tmp_path / "scrapyd"
    home.mkdir()
    (home / "scrapyd.conf").write_text(
        "[scrapyd]\nbind_address = 127.0.0.1\n"
        f"http_port = {port}\neggs_dir = eggs\nlogs_dir = logs\ndbs_dir = dbs\nitems_dir =\n"
        "max_proc = 1\npoll_interval = 0.2\n",
        encoding="utf-8",
    )
    # Scrapyd's own log (job starts and ends) goes to its standard output and error.
    output = (home / "scrapyd.out").open("wb")
    process = subprocess.Popen(
        [str(BIN / "scrapyd")], cwd=home, stdout=output, stderr=subprocess.STDOUT
    )
    server = Scrapyd(f"http://127.0.0.1:{port}", home)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                server.call("daemonstatus.json")
                break
            except OSError:
                assert time.monotonic() < deadline, "scrapyd did not start"
                time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        process.wait(timeout=30)
        output.close()


def deploy(scrapyd: Scrapyd, tmp_path: Path) -> None:
    """``scrapyd-deploy``'s egg, built from setup.py and uploaded."""
    egg = tmp_path / "atlantico.egg"
    subprocess.run(
        [str(BIN / "scrapyd-deploy"), "--build-egg", str(egg)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    scrapyd.call(
        "addversion.json", [("project", "atlantico"), ("version", "1")], egg=egg.read_bytes()
    )


@pytest.mark.slow
def test_two_scheduled_runs_export_exactly_what_is_new(scrapyd: Scrapyd, tmp_path: Path) -> None:
    deploy(scrapyd, tmp_path)

    feeds = tmp_path / "feeds"
    with ReplicaServer(n_articles=60, seed=1234) as site:
        settings = {
            "ATLANTICO_BASE_URL": site.base_url,
            "ATLANTICO_ALLOW_PRIVATE_HOSTS": "True",  # the replica is on 127.0.0.1
            "ATLANTICO_STATE_DIR": str(tmp_path / "state"),
            "ATLANTICO_FEED_URI": str(feeds / "%(name)s-%(run_id)s.jsonl"),
            "DOWNLOAD_DELAY": "0",
            "AUTOTHROTTLE_ENABLED": "False",
            "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
        }
        scrapyd.run_to_end(settings)
        first = sorted(feeds.glob("*.jsonl"))
        assert len(first) == 1
        assert len(first[0].read_text("utf-8").splitlines()) == len(site.truth)

        [new_url] = site.publish(1)
        scrapyd.run_to_end(settings)
        second = [path for path in sorted(feeds.glob("*.jsonl")) if path not in first]
        assert len(second) == 1
        lines = [json.loads(line) for line in second[0].read_text("utf-8").splitlines()]
        assert [item["articleKey"] for item in lines] == [article_key(new_url)]
        manifest = json.loads(
            second[0].with_name(second[0].stem + ".manifest.json").read_text("utf-8")
        )
        assert manifest["counts"]["new"] == 1
        assert manifest["counts"]["article_requests"] == 1
    # The Atom feeds followed the feed's folder: nothing was written in Scrapyd's folder.
    assert sorted(path.name for path in feeds.glob("*.atom")) == [
        "atlantico-decryptages.atom",
        "atlantico-high-tech.atom",
    ]
    assert sorted(path.name for path in scrapyd.home.iterdir()) == [
        "dbs",
        "eggs",
        "logs",
        "scrapyd.conf",
        "scrapyd.out",
        "twistd.pid",
    ]


@pytest.mark.slow
def test_a_failed_job_is_told_by_its_log_and_by_scrapyds_log(
    scrapyd: Scrapyd, tmp_path: Path
) -> None:
    deploy(scrapyd, tmp_path)
    with socket.socket() as probe:  # a site that is down: robots.txt cannot be read
        probe.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{probe.getsockname()[1]}"
    job = scrapyd.run_to_end(
        {
            "ATLANTICO_BASE_URL": down,
            "ATLANTICO_ALLOW_PRIVATE_HOSTS": "True",
            "ATLANTICO_STATE_DIR": str(tmp_path / "state"),
            "ATLANTICO_FEED_URI": str(tmp_path / "feeds/%(name)s-%(run_id)s.jsonl"),
            "RETRY_TIMES": "0",
        }
    )
    # listjobs.json lists it under "finished" like a good job, with nothing more to tell.
    (entry,) = [
        e for e in scrapyd.call("listjobs.json?project=atlantico")["finished"] if e["id"] == job
    ]
    assert set(entry) <= {
        "id",
        "project",
        "spider",
        "start_time",
        "end_time",
        "log_url",
        "items_url",
        "version",
    }
    # Its log (log_url) ends with the verdict, at ERROR level.
    with urllib.request.urlopen(scrapyd.url + entry["log_url"], timeout=30) as answer:
        log = answer.read().decode("utf-8")
    assert re.search(r"\[atlantico\.commands\.crawl\] ERROR: Run failed: ", log), log[-2000:]
    # Scrapyd's own log has the exit code.
    own = (scrapyd.home / "scrapyd.out").read_text("utf-8", "replace")
    assert re.search(rf"Process died: exitstatus=1 .*job='{job}'", own), own[-2000:]
