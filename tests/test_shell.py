"""``scrapy shell URL`` as the README gives it: the replica's page comes back and
``extract_article(response)`` gives its item; a page that cannot be fetched says so in one line."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT
from tests.replica import ReplicaServer

EXPRESSION = (
    "(response.status, __import__('atlantico.extract', fromlist=['extract_article'])"
    ".extract_article(response).headline)"
)


def shell(url: str, tmp_path: Path, *options: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        # Whatever the environment says, the shell's URL is the site.
        "ATLANTICO_BASE_URL": "https://atlantico.fr",
        "ATLANTICO_STATE_DIR": str(tmp_path / "state"),
        "ATLANTICO_FEED_URI": str(tmp_path / "feeds/x.jsonl"),
    }
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "shell", url, *options, "--nolog", "-c", EXPRESSION],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_shell_on_a_replica_article_returns_the_page_and_its_item(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    url = next(u for u in replica.truth if "elon-musk-confie-quetre" in u)
    done = shell(url, tmp_path, "-s", "ATLANTICO_ALLOW_PRIVATE_HOSTS=True")
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == repr((200, replica.truth[url]["headline"]))
    assert not (tmp_path / "state").exists()
    assert not (tmp_path / "feeds").exists()


def test_shell_still_refuses_a_private_address_without_the_setting(
    replica: ReplicaServer, tmp_path: Path
) -> None:
    url = next(iter(replica.truth))
    done = shell(url, tmp_path)
    assert done.returncode == 1
    assert done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"Could not fetch {url}: ")
    assert "private" in line
    assert "ATLANTICO_ALLOW_PRIVATE_HOSTS" in line


def test_shell_on_an_unreachable_site_says_so_in_one_line(tmp_path: Path) -> None:
    # A port nobody listens on: the site is down, as atlantico.fr is from an offline machine.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/article/decryptage/x"
    done = shell(
        url,
        tmp_path,
        "-s",
        "ATLANTICO_ALLOW_PRIVATE_HOSTS=True",
        "-s",
        "RETRY_TIMES=0",
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(
        f"Could not fetch {url}: robots.txt of 127.0.0.1:{port} could not be read"
    )
    assert "refused" in line
