"""`python -m atlantico extract` and `fixture` on saved pages, as a user runs them."""

from __future__ import annotations

import gzip
import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from atlantico.cli import main
from tests.replica import ReplicaServer

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "tests/fixtures/pages/replica-seed-elon-musk"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "atlantico", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_extract_prints_the_item_and_its_sources() -> None:
    url = json.loads((SEED / "meta.json").read_text())["url"]
    done = run("extract", "--url", url, str(SEED / "page.html.gz"))
    assert done.returncode == 0, done.stderr
    item = json.loads(done.stdout)
    assert item["headline"].startswith("Elon Musk confie")
    assert item["url"] == url
    assert item["metadata"]["sources"]["headline"] == "json-ld"
    assert "headline" in done.stderr
    assert "json-ld" in done.stderr


def test_extract_exits_non_zero_when_the_page_is_not_an_article(tmp_path: Path) -> None:
    page = tmp_path / "empty.html"
    page.write_text("<html><body><p>Page introuvable</p></body></html>", encoding="utf-8")
    done = run("extract", str(page))
    assert done.returncode == 1
    assert json.loads(done.stdout)["headline"] is None


def test_fixture_saves_page_meta_and_expected_item(tmp_path: Path) -> None:
    url = json.loads((SEED / "meta.json").read_text())["url"]
    page = tmp_path / "page.html"
    page.write_bytes(gzip.decompress((SEED / "page.html.gz").read_bytes()))
    done = run("fixture", "--url", url, "--name", "copy", "--dir", str(tmp_path / "out"), str(page))
    assert done.returncode == 0, done.stderr
    saved = tmp_path / "out/copy"
    assert gzip.decompress((saved / "page.html.gz").read_bytes()) == page.read_bytes()
    assert json.loads((saved / "meta.json").read_text())["url"] == url
    assert json.loads((saved / "expected.json").read_text()) == json.loads(
        (SEED / "expected.json").read_text()
    )


def test_scrapy_parse_prints_the_item_and_writes_nothing(tmp_path: Path) -> None:
    from tests.replica import ReplicaServer

    with ReplicaServer(n_articles=60) as site:
        url = next(u for u in site.truth if "elon-musk-confie-quetre" in u)
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "ATLANTICO_STATE_DIR": str(tmp_path / "state"),
            "ATLANTICO_FEED_URI": str(tmp_path / "feeds/x.jsonl"),
            "ATLANTICO_ALLOW_PRIVATE_HOSTS": "True",  # the replica is on 127.0.0.1
        }
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy",
                "parse",
                "--spider",
                "atlantico",
                "-s",
                f"ATLANTICO_BASE_URL={site.base_url}",
                url,
            ],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Elon Musk confie" in done.stdout, done.stderr[-1500:]
    assert "'datePublished': '2023-04-12T09:15:00+02:00'" in done.stdout
    assert not (tmp_path / "state").exists()
    assert not (tmp_path / "feeds").exists()


def main_result(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``python -m atlantico ARGS`` in this process: exit code, stdout, stderr."""
    try:
        code = main(list(args))
    except SystemExit as stop:  # argparse: usage errors and --help
        code = int(stop.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    ("args", "names"),
    [
        ((), ["COMMAND"]),
        (("scrape",), ["COMMAND", "'extract'", "'check'", "'fixture'", "'crawl'"]),
        (("extract",), ["FILE_OR_URL"]),
        (("check", "--url", "ftp://x", "page.html"), ["--url", "http(s)"]),
        (("extract", "--base-url", "atlantico.fr", "page.html"), ["--base-url", "http(s)"]),
        (("fixture", "--nope", "x"), ["--nope"]),
        (("extract", "no-such-page.html"), ["FILE_OR_URL", "does not exist", ".html.gz"]),
    ],
)
def test_every_usage_error_is_one_line_naming_the_argument_exit_2(
    capsys: pytest.CaptureFixture[str], args: tuple[str, ...], names: list[str]
) -> None:
    code, out, err = main_result(capsys, *args)
    assert code == 2
    assert out == ""
    (line,) = err.strip().splitlines()
    assert line.startswith("python -m atlantico")
    assert "error:" in line
    for name in names:
        assert name in line


def test_help_lists_the_subcommands_and_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = main_result(capsys, "--help")
    assert code == 0
    for command in ("extract", "check", "fixture"):
        assert re.search(rf"^\s+{command}\s+\w", out, re.MULTILINE), out
    assert re.search(r"^\s+2\s+usage error", out, re.MULTILINE)
    code, out, _ = main_result(capsys, "check", "--help")
    assert code == 0
    assert "--base-url" in out
    assert "FILE_OR_URL" in out


def test_a_404_and_a_refused_connection_are_one_line_exit_1(
    replica: ReplicaServer, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"{replica.base_url}/article/decryptage/no-such-article"
    code, out, err = main_result(capsys, "extract", url)
    assert (code, out) == (1, "")
    assert err.strip() == f"python -m atlantico extract: could not read {url}: HTTP 404 Not Found"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}/article/x"
    code, out, err = main_result(capsys, "check", closed)
    assert (code, out) == (1, "")
    assert err.strip() == f"python -m atlantico check: could not read {closed}: Connection refused"


def test_a_usage_error_from_the_command_line_has_no_traceback() -> None:
    done = run("extract", "--url", "not-a-url", "page.html")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
