"""Security: only the site's hosts are fetched, over http(s); private addresses refused unless a
test allows them; sitemaps parsed without entity expansion; no local file, data or FTP scheme;
no telnet console."""

from __future__ import annotations

import tracemalloc
import urllib.request
from pathlib import Path

import pytest

from atlantico import settings as project_settings
from atlantico.extract.sitemap import sitemap_entries
from atlantico.middlewares.offsite_guard import is_public_address, is_site_host
from tests.faultkit import article, crawl, fault_server, hits, stat


def test_redirects_off_the_site_are_not_followed(tmp_path: Path) -> None:
    with fault_server() as (server, _):
        result = crawl(server, tmp_path, ["redirect-offsite", "redirect-private", "ok-1"])
        hosts = {record.headers.get("Host", "") for record in server.requests}
        own = f"127.0.0.1:{server.port}"
    # The offsite redirect points at this very server as "localhost": had it been followed,
    # the log would show that Host.
    assert hosts == {own}
    assert stat(result, "atlantico/refused/redirect") == 2
    assert stat(result, "atlantico/refused/offsite") == 2
    assert [item["url"].rsplit("/", 1)[1] for item in result.items] == ["ok-1"]


def test_a_start_url_redirecting_to_another_local_address_is_refused(tmp_path: Path) -> None:
    # Scrapy alone fetched and exported it (listings are dont_filter, which its offsite
    # middleware lets through).
    with fault_server() as (server, _):
        target = f"http://localhost:{server.port}/_fault/listing?links=ok-1"
        result = crawl(
            server, tmp_path, section_url=f"{server.base_url}/_fault/redirect?to={target}"
        )
        hosts = {record.headers.get("Host", "") for record in server.requests}
        own = f"127.0.0.1:{server.port}"
    assert hosts == {own}
    assert result.items == []
    assert stat(result, "atlantico/refused/redirect") == 1


def test_a_private_address_is_refused_without_the_test_setting(tmp_path: Path) -> None:
    # "localhost" is the site's own host here, and still refused: it resolves to loopback.
    with fault_server() as (server, _):
        base = f"http://localhost:{server.port}"
        result = crawl(
            server,
            tmp_path,
            section_url=f"{base}/_fault/listing?links=ok-1",
            settings={"ATLANTICO_BASE_URL": base, "ATLANTICO_ALLOW_PRIVATE_HOSTS": "False"},
        )
        assert server.requests == []
    assert stat(result, "atlantico/refused/private_address") >= 1
    assert result.items == []


@pytest.mark.parametrize(
    ("address", "public"),
    [("93.184.216.34", True), ("127.0.0.2", False), ("10.0.0.1", False), ("172.16.5.4", False),
     ("192.168.1.1", False), ("169.254.169.254", False), ("::1", False), ("fe80::1", False),
     ("0.0.0.0", False), ("224.0.0.1", False)],
)  # fmt: skip
def test_private_loopback_and_link_local_addresses_are_never_public(
    address: str, public: bool
) -> None:
    assert is_public_address(address) is public


def test_the_site_host_rule_does_not_match_lookalikes() -> None:
    assert is_site_host("www.atlantico.fr", "atlantico.fr")
    assert not is_site_host("atlantico.fr.evil.example", "atlantico.fr")
    assert not is_site_host("evilatlantico.fr", "atlantico.fr")


def test_local_file_data_and_ftp_schemes_are_disabled(tmp_path: Path) -> None:
    assert {
        scheme: project_settings.DOWNLOAD_HANDLERS[scheme]
        for scheme in ("file", "data", "ftp", "s3")
    } == {"file": None, "data": None, "ftp": None, "s3": None}
    assert project_settings.TELNETCONSOLE_ENABLED is False
    with fault_server() as (server, _):
        raw = "&raw=file:///etc/passwd&raw=data:text/html,x&raw=ftp://127.0.0.1/x"
        listing = f"{server.base_url}/_fault/listing?links=ok-1{raw}"
        result = crawl(server, tmp_path, section_url=listing)
        assert len(hits(server, article("ok-1"))) == 1
        assert len(result.items) == 1
        # A section URL on the local disk is refused before any handler is asked.
        result = crawl(server, tmp_path, section_url="file:///etc/hostname")
    assert stat(result, "atlantico/refused/scheme") == 1
    assert result.items == []


def test_sitemap_entries_off_the_site_are_dropped() -> None:
    with fault_server() as (server, _):
        with urllib.request.urlopen(f"{server.base_url}/_fault/sitemap-offsite.xml") as answer:
            body = answer.read()
        kept, refused = sitemap_entries(body, f"127.0.0.1:{server.port}")
        base = server.base_url
    assert kept == [f"{base}/article/fault/ok-1"]
    assert refused == [
        "https://evil.example/article/fault/ok-2",
        "http://169.254.169.254/latest/meta-data/",
        "file:///etc/passwd",
    ]


def test_a_billion_laughs_sitemap_does_not_expand() -> None:
    with fault_server() as (server, _):
        with urllib.request.urlopen(f"{server.base_url}/_fault/billion-laughs.xml") as answer:
            body = answer.read()
        tracemalloc.start()
        kept, _ = sitemap_entries(body, f"127.0.0.1:{server.port}")
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        base = server.base_url
    # Expanded, &lol9; is 10⁹ "lol"s (3 GB); unexpanded, the entry stays a short URL.
    assert peak < 5 * 1024 * 1024
    assert all(len(url) < 200 for url in kept)
    assert f"{base}/article/fault/ok-1" in kept
