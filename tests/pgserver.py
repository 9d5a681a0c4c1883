"""A throwaway PostgreSQL cluster for the tests: ``initdb`` in a temporary directory, a Unix
socket in that directory, no TCP port, trust authentication for one role.

PostgreSQL refuses to run as root: as root (CI on a fresh machine) the server runs as an
unprivileged user (``postgres``, created by Debian's package, else ``nobody``) through
``runuser``; a developer's own account runs it directly. Where no server binary is found the
tests that need it skip, saying why; with ``ATLANTICO_REQUIRE_POSTGRES=1`` (set by ``.ci/run``)
they fail instead.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROLE = "atlantico"


def server_bindir() -> Path | None:
    """Where ``initdb``, ``pg_ctl`` and ``postgres`` are: ``ATLANTICO_PG_BINDIR``, the PATH, or
    Debian's ``/usr/lib/postgresql/<version>/bin`` (not on the PATH), newest version first."""
    candidates = [os.environ.get("ATLANTICO_PG_BINDIR", "")]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(str(Path(on_path).parent))
    debian = glob.glob("/usr/lib/postgresql/*/bin")
    candidates += sorted(debian, key=lambda p: int(Path(p).parent.name), reverse=True)
    for candidate in candidates:
        if candidate and all((Path(candidate) / name).exists() for name in ("initdb", "pg_ctl")):
            return Path(candidate)
    return None


def _server_user() -> str | None:
    """The account the server runs as: ``None`` (this one) unless this one is root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise RuntimeError("running as root and no unprivileged account to run PostgreSQL as")


class Cluster:
    """One running cluster; :meth:`new_database` gives each test a database of its own."""

    def __init__(self, bindir: Path) -> None:
        self.bindir = bindir
        # Short path: a Unix socket's path is limited to about 100 bytes.
        self.root = Path(tempfile.mkdtemp(prefix="atl-pg-"))
        self.data = self.root / "data"
        self.user = _server_user()

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", self.user, "--"] if self.user else []
        done = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=120, check=False
        )
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{command[0]} failed: {done.stderr or done.stdout}\n{tail}")

    def start(self) -> Cluster:
        if self.user:
            shutil.chown(self.root, user=self.user)
        self._run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", ROLE, "--auth=trust",
            "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync",
        )  # fmt: skip
        # No TCP at all; durability off: a test cluster is thrown away.
        options = (
            f"-k {self.root} -c listen_addresses='' -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "server.log"),
            "-o", options, "-w", "-t", "120", "start",
        )  # fmt: skip
        return self

    def stop(self) -> None:
        try:
            self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{ROLE}@/{database}?host={self.root}"

    def new_database(self) -> str:
        """A fresh, empty database; its URL."""
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(self.url(), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


def skip_or_fail(reason: str) -> None:
    if os.environ.get("ATLANTICO_REQUIRE_POSTGRES") == "1":
        pytest.fail(f"ATLANTICO_REQUIRE_POSTGRES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@contextmanager
def cluster() -> Iterator[Cluster]:
    bindir = server_bindir()
    if bindir is None:
        skip_or_fail(
            "no PostgreSQL server binaries (initdb, pg_ctl) found on PATH, in "
            "/usr/lib/postgresql/*/bin or ATLANTICO_PG_BINDIR: install Debian's `postgresql`"
        )
        raise AssertionError("unreachable")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        skip_or_fail("psycopg is not installed (pip install -r requirements.txt)")
    server = Cluster(bindir).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """One throwaway PostgreSQL cluster for the whole session (skips where none can run)."""
    with cluster() as server:
        yield server


@pytest.fixture
def pg_url(pg_cluster: Cluster) -> str:
    """The URL of a fresh, empty database of the session's cluster."""
    return pg_cluster.new_database()


BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(params=BACKENDS)
def store_settings(request: pytest.FixtureRequest, tmp_path: Path) -> dict[str, str]:
    """Settings naming a fresh, empty store, once per backend: the SQLite file in a state dir
    of its own, then a database of its own on the session's PostgreSQL cluster."""
    settings = {"ATLANTICO_STATE_DIR": str(tmp_path / "state"), "ATLANTICO_DATABASE_URL": ""}
    if request.param == "postgresql":
        server: Cluster = request.getfixturevalue("pg_cluster")
        settings["ATLANTICO_DATABASE_URL"] = server.new_database()
    return settings


@pytest.fixture
def open_backend(store_settings: dict[str, str]) -> Iterator[Callable[[], Any]]:
    """Opens the store of ``store_settings`` (as many times as a test needs); every store
    opened is closed at the end."""
    from scrapy.settings import Settings

    from atlantico.backends import open_store

    opened: list[Any] = []

    def open_it() -> Any:
        store = open_store(Settings(store_settings))
        opened.append(store)
        return store

    yield open_it
    for store in opened:
        store.close()
