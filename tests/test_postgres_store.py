"""The store on both backends (SQLite and a real PostgreSQL server), its corpus tables, the
PostgreSQL run lock, migrations and lost connections, the README's queries and ``corpus``."""

from __future__ import annotations

import inspect
import json
import re
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import psycopg
import pytest
from scrapy.exceptions import DropItem
from scrapy.settings import Settings

from atlantico.backends import StoreUnavailable, postgres
from atlantico.backends.postgres import PostgresStore, StoreLost
from atlantico.context import AlreadyRunning, open_run
from atlantico.corpus import main as corpus_main
from atlantico.store import Output, Pending, Store, StoreError
from tests.conftest import ROOT

# The PostgreSQL fixtures: pg_cluster, pg_url, store_settings, open_backend.
pytest_plugins = ["tests.pgserver"]

Opener = Callable[[], Any]


def item(key: str, revision: int, headline: str, body: str, **extra: Any) -> dict[str, Any]:
    return {
        "articleKey": key,
        "url": "https://atlantico.fr" + key,
        "headline": headline,
        "articleBody": body,
        "datePublished": "2026-11-30T09:15:00+01:00",
        "sections": ["high-tech"],
        "authors": [{"name": "Jeanne Martin", "nameRaw": "Par Jeanne Martin", "url": None}],
        "revision": revision,
        "contentHash": f"hash-{key}-{revision}",
        **extra,
    }


def export(store: Any, run_id: str, *items: dict[str, Any], commit: bool = True) -> int:
    """One run exporting ``items`` as the store and archive pipelines do."""
    store.begin_run(run_id, 1234)
    for entry in items:
        store.stage(
            run_id,
            Pending(
                key=entry["articleKey"],
                article_id=entry.get("articleId"),
                url=entry["url"],
                content_hash=entry["contentHash"],
                date_published=entry["datePublished"],
                date_modified=entry.get("dateModified"),
                revision=entry["revision"],
                aliases=tuple(entry.get("aliases", ())),
            ),
        )
        store.stage_item(run_id, entry)
    if not commit:
        return int(store.fail_run(run_id))
    moved = int(store.publish_run(run_id))
    store.finish_run(run_id)
    return moved


def test_postgres_store_has_the_store_interface() -> None:
    """Every method of the store's interface, with the same parameters, on PostgreSQL."""
    for name, method in inspect.getmembers(Store, inspect.isfunction):
        if name.startswith("_"):
            continue
        assert hasattr(PostgresStore, name), f"PostgresStore lacks {name}()"
        wanted = list(inspect.signature(method).parameters)
        got = list(inspect.signature(getattr(PostgresStore, name)).parameters)
        assert got == wanted, name


def test_committed_articles_are_known_with_their_aliases_and_ids(open_backend: Opener) -> None:
    store = open_backend()
    first = item("/article/a", 1, "Un", "Texte un", articleId="42", aliases=["/legacy/a-42.html"])
    assert export(store, "run-1", first, item("/article/b", 1, "Deux", "Texte deux")) == 2
    known = store.known(["/article/a", "/article/b", "/legacy/a-42.html", "/article/none"])
    assert set(known) == {"/article/a", "/article/b", "/legacy/a-42.html"}
    assert known["/legacy/a-42.html"].key == "/article/a"
    assert known["/article/a"].content_hash == "hash-/article/a-1"
    assert store.known_ids(["42", "7"])["42"].key == "/article/a"
    assert store.count() == 2
    assert store.unfinished_runs() == []


def test_a_failed_run_leaves_neither_articles_nor_corpus(open_backend: Opener) -> None:
    store = open_backend()
    assert export(store, "run-1", item("/article/a", 1, "Un", "x"), commit=False) == 1
    assert store.known(["/article/a"]) == {}
    assert list(store.corpus()) == []
    assert store.pending_count("run-1") == 0


def test_the_corpus_holds_the_latest_revision_of_each_article(open_backend: Opener) -> None:
    store = open_backend()
    export(store, "run-1", item("/article/a", 1, "Avant", "x"), item("/article/b", 1, "B", "y"))
    export(store, "run-2", item("/article/a", 2, "Après", "x2"))
    corpus = list(store.corpus())
    assert [(entry["articleKey"], entry["headline"]) for entry in corpus] == [
        ("/article/a", "Après"),
        ("/article/b", "B"),
    ]
    assert store.known(["/article/a"])["/article/a"].revision == 2
    rows = revisions(store, "/article/a")
    assert rows == [(1, "Avant"), (2, "Après")]


def revisions(store: Any, key: str) -> list[tuple[int, str]]:
    if isinstance(store, PostgresStore):
        query = "SELECT revision, item->>'headline' FROM article_revisions WHERE article_key = %s"
        found = store.connection.execute(query + " ORDER BY revision", (key,)).fetchall()
    else:
        found = [
            (revision, json.loads(entry)["headline"])
            for revision, entry in store.db.execute(
                "SELECT revision, item FROM article_revisions WHERE article_key = ?"
                " ORDER BY revision",
                (key,),
            )
        ]
    return [(int(revision), str(headline)) for revision, headline in found]


def test_a_dead_run_is_unfinished_until_recovered(open_backend: Opener) -> None:
    store = open_backend()
    store.begin_run("dead", 99)
    store.add_output("dead", Output("/feeds/.a.jsonl.partial", "/feeds/a.jsonl"))
    store.stage("dead", Pending("/article/a", None, "https://x/article/a", "h", None, None, 1))
    store.stage_item("dead", item("/article/a", 1, "Un", "x"))
    store.close()

    again = open_backend()
    [record] = again.unfinished_runs(exclude="now")
    assert (record.run_id, record.state, record.pending) == ("dead", "running", 1)
    assert record.outputs == (Output("/feeds/.a.jsonl.partial", "/feeds/a.jsonl"),)
    assert again.publish_run("dead") == 1
    again.finish_run("dead", state="recovered")
    assert [entry["articleKey"] for entry in again.corpus()] == ["/article/a"]
    assert again.unfinished_runs() == []


def test_a_gone_article_is_remembered(open_backend: Opener) -> None:
    store = open_backend()
    export(store, "run-1", item("/article/a", 1, "Un", "x"))
    store.mark_gone("/article/a", "https://atlantico.fr/article/a", "run-2")
    store.mark_gone("/article/never", "https://atlantico.fr/article/never", "run-2")
    known = store.known(["/article/a", "/article/never"])
    assert known["/article/a"].status == 410
    assert known["/article/never"].status == 410


def test_corpus_command_writes_json_lines_from_either_store(
    open_backend: Opener, store_settings: dict[str, str], tmp_path: Path
) -> None:
    store = open_backend()
    export(store, "run-1", item("/article/b", 1, "Bé", "y"), item("/article/a", 1, "A", "x"))
    export(store, "run-2", item("/article/a", 2, "A deux", "x"))
    out = tmp_path / "out" / "corpus.jsonl"
    if store_settings["ATLANTICO_DATABASE_URL"]:
        arguments = ["--database-url", store_settings["ATLANTICO_DATABASE_URL"]]
    else:
        arguments = [
            "--store",
            str(Path(store_settings["ATLANTICO_STATE_DIR"]) / "atlantico.sqlite3"),
        ]
    assert corpus_main([*arguments, "--out", str(out)]) == 0
    lines = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [(entry["articleKey"], entry["revision"]) for entry in lines] == [
        ("/article/a", 2),
        ("/article/b", 1),
    ]
    assert lines[1]["headline"] == "Bé"


def test_corpus_command_says_when_there_is_no_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert corpus_main(["--store", str(tmp_path / "missing.sqlite3")]) == 1
    assert "no store at" in capsys.readouterr().err
    assert not (tmp_path / "missing.sqlite3").exists()


# -- PostgreSQL only ---------------------------------------------------------------------------


def test_migrations_are_versioned_and_a_newer_schema_is_refused(pg_url: str) -> None:
    with psycopg.connect(pg_url, autocommit=True) as connection:  # as version 1 left it
        version, description, sql = postgres.MIGRATIONS[0]
        connection.execute(
            "CREATE TABLE atlantico_schema (version INTEGER PRIMARY KEY, description TEXT"
            " NOT NULL, applied TIMESTAMPTZ NOT NULL DEFAULT now())"
        )
        connection.execute(sql.encode())
        connection.execute("INSERT INTO atlantico_schema VALUES (%s, %s)", (version, description))
        connection.execute(
            "INSERT INTO articles (key, url, content_hash, revision, first_seen, last_seen,"
            " exported_run) VALUES ('/article/old', 'u', 'h', 3, 'x', 'x', 'r0')"
        )
    store = PostgresStore.open(pg_url)
    assert not store.created
    assert store.known(["/article/old"])["/article/old"].revision == 3  # kept
    assert list(store.corpus()) == []  # version 2 added the corpus tables
    store.close()
    PostgresStore.open(pg_url).close()  # a second open migrates nothing
    with psycopg.connect(pg_url, autocommit=True) as connection:
        versions = connection.execute("SELECT version FROM atlantico_schema").fetchall()
        assert versions == [(1,), (2,)]
        assert postgres.SCHEMA_VERSION == 2
        connection.execute("INSERT INTO atlantico_schema VALUES (99, 'from the future')")
    with pytest.raises(StoreError, match="schema version 99, newer"):
        PostgresStore.open(pg_url)


def test_the_run_lock_is_held_by_one_session_and_dies_with_it(pg_url: str) -> None:
    first = PostgresStore.open(pg_url, lock=True)
    with pytest.raises(AlreadyRunning, match=r"atlantico pid .* PostgreSQL advisory lock"):
        PostgresStore.open(pg_url, lock=True)
    PostgresStore.open(pg_url).close()  # without the lock (the corpus command): always
    first.close()  # the process ended: its session, and the lock, are gone
    PostgresStore.open(pg_url, lock=True).close()


def test_a_run_on_postgresql_takes_the_advisory_lock_not_a_file(
    pg_url: str, tmp_path: Path
) -> None:
    settings = Settings(
        {
            "ATLANTICO_DATABASE_URL": pg_url,
            "ATLANTICO_BASE_URL": "https://atlantico.fr",
            "ATLANTICO_STATE_DIR": str(tmp_path / "state"),
        }
    )
    with psycopg.connect(pg_url, autocommit=True) as other:  # another host's run
        other.execute("SELECT pg_advisory_lock(%s)", (postgres.RUN_LOCK_KEY,))
        with pytest.raises(AlreadyRunning):
            open_run(settings)
    context = open_run(settings)
    try:
        assert isinstance(context.store, PostgresStore)
        assert context.lock is None
        assert not (tmp_path / "state").exists()  # no file, no lock beside a file
        with pytest.raises(AlreadyRunning):
            open_run(settings)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://nobody@/nodb?host=/nonexistent-dir", "cannot connect to"),
        ("mysql://localhost/db", "not a valid URL"),
        ("host=/tmp dbname", "not a valid URL"),
    ],
)
def test_a_wrong_url_or_a_refused_connection_is_one_sentence(url: str, message: str) -> None:
    with pytest.raises(StoreUnavailable, match=message) as refused:
        PostgresStore.open(url, lock=True)
    assert "\n" not in str(refused.value)
    with pytest.raises(StoreUnavailable, match=message):
        open_run(Settings({"ATLANTICO_DATABASE_URL": url, "ATLANTICO_BASE_URL": "https://x"}))


def test_a_lost_connection_drops_the_items_and_commits_nothing(pg_url: str) -> None:
    store = PostgresStore.open(pg_url)
    lost: list[str] = []
    store.on_lost = lost.append
    export(store, "run-1", item("/article/a", 1, "Un", "x"))
    store.begin_run("run-2", 1)
    store.stage("run-2", Pending("/article/b", None, "https://x/article/b", "h", None, None, 1))
    with psycopg.connect(pg_url, autocommit=True) as admin:
        pid = store.connection.info.backend_pid
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    with pytest.raises(StoreLost) as dropped:
        store.known(["/article/c"])
    assert isinstance(dropped.value, DropItem)
    with pytest.raises(StoreLost):
        store.stage_item("run-2", item("/article/b", 1, "B", "y"))
    with pytest.raises(StoreUnavailable, match="unreachable"):  # the run publishes nothing
        store.publish_run("run-2")
    assert isinstance(StoreUnavailable("x"), OSError)  # as a full disk is, for the run
    assert store.fail_run("run-2") == 0  # the rest is quiet: one report is enough
    assert (
        store.db.execute("SELECT state FROM runs WHERE run_id = ?", ("run-2",)).fetchone() is None
    )
    assert len(lost) == 1  # reported once
    store.close()

    after = PostgresStore.open(pg_url)
    assert after.known(["/article/b"]) == {}  # not committed: the next run exports it again
    assert [run.run_id for run in after.unfinished_runs()] == ["run-2"]
    assert [entry["articleKey"] for entry in after.corpus()] == ["/article/a"]
    after.close()


# -- the README's queries ----------------------------------------------------------------------


def readme_queries() -> list[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("\n## PostgreSQL", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sql\n(.*?)```", section, flags=re.S)


def test_the_readme_queries_work_as_written(pg_url: str) -> None:
    queries = readme_queries()
    assert len(queries) == 3
    store = PostgresStore.open(pg_url)
    key = re.search(r"article_key = '([^']+)'", queries[2])
    assert key is not None
    export(
        store,
        "run-1",
        item(key.group(1), 1, "L'intelligence artificielle au bureau", "Les robots arrivent."),
        item("/article/other", 1, "Un autre sujet", "Rien à voir.", sections=["decryptages"]),
    )
    export(store, "run-2", item(key.group(1), 2, "L'intelligence artificielle au travail", "x"))
    store.close()
    with psycopg.connect(pg_url, autocommit=True) as connection:
        latest = connection.execute(queries[0].encode()).fetchall()
        found = connection.execute(queries[1].encode()).fetchall()
        history = connection.execute(queries[2].encode()).fetchall()
    assert [row[1] for row in latest] == ["L'intelligence artificielle au travail"]
    assert [row[0] for row in found] == ["L'intelligence artificielle au travail"]
    assert [row[0] for row in history] == [1, 2]


def test_the_text_search_uses_the_french_full_text_index(pg_url: str) -> None:
    store = PostgresStore.open(pg_url)
    export(store, "run-1", item("/article/a", 1, "Les élections", "Un scrutin disputé."))
    store.close()
    with psycopg.connect(pg_url, autocommit=True) as connection:
        connection.execute("SET enable_seqscan = off")  # a tiny table: make the planner choose
        plan = connection.execute(b"EXPLAIN " + readme_queries()[1].encode()).fetchall()
        found = connection.execute(
            "SELECT article_key FROM article_items"
            " WHERE to_tsvector('french', headline || ' ' || body)"
            " @@ websearch_to_tsquery('french', 'élection')"
        ).fetchall()
    assert "article_items_text" in "\n".join(row[0] for row in plan)
    assert found == [("/article/a",)]  # French stemming: élection finds élections


def test_without_a_server_the_tests_skip_and_ci_fails_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests import pgserver  # here: imported first as a plugin (pytest_plugins above)

    monkeypatch.setattr(pgserver, "server_bindir", lambda: None)
    monkeypatch.delenv("ATLANTICO_REQUIRE_POSTGRES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no PostgreSQL server binaries"):
        pgserver.cluster().__enter__()
    monkeypatch.setenv("ATLANTICO_REQUIRE_POSTGRES", "1")
    with pytest.raises(pytest.fail.Exception, match="ATLANTICO_REQUIRE_POSTGRES=1 but no"):
        pgserver.cluster().__enter__()


def test_revisits_come_least_recently_checked_and_touch_defers_them(open_backend: Opener) -> None:
    store = open_backend()
    store.begin_run("run-1", 1)
    for key, published in [("/article/x", "2026-11-20T10:00:00+01:00"),
                            ("/article/y", "2026-11-21T10:00:00+01:00"),
                            ("/article/z", "2019-05-01T10:00:00+02:00")]:  # fmt: skip
        store.stage("run-1", Pending(key, None, "https://x" + key, "h", published, None, 1,
                                     sections=("decryptages",), etag='"e"'))  # fmt: skip
    store.publish_run("run-1")
    store.finish_run("run-1")
    store.db.execute("UPDATE articles SET checked = ? WHERE key = ?", ("2026-11-25", "/article/y"))
    store.db.execute("UPDATE articles SET checked = ? WHERE key = ?", ("2026-11-26", "/article/x"))
    due = store.revisits("2026-11-30", "2026-11-01", limit=10)
    assert [(r.key, r.etag, r.sections) for r in due] == [
        ("/article/y", '"e"', ("decryptages",)),
        ("/article/x", '"e"', ("decryptages",)),
    ]  # /article/z is older than the window
    store.touch(["/article/y"])
    assert [r.key for r in store.revisits("2026-11-30", "2026-11-01", limit=10)] == ["/article/x"]


def test_two_hosts_opening_a_new_database_at_once_migrate_it_once(pg_url: str) -> None:
    import threading

    barrier = threading.Barrier(4)
    errors: list[BaseException] = []

    def open_it() -> None:
        try:
            barrier.wait()
            PostgresStore.open(pg_url).close()
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    with psycopg.connect(pg_url) as connection:
        versions = connection.execute("SELECT version FROM atlantico_schema ORDER BY 1").fetchall()
    assert versions == [(1,), (2,)]


@pytest.mark.parametrize(
    ("published", "column"),
    [
        ("2026-11-30T09:15:00+01:00", "2026-11-30T08:15:00+00:00"),
        ("2026-11-30T09:15:00", None),  # no offset: the server's zone would decide, so no
        ("30 novembre 2026", None),
        (None, None),
    ],
)
def test_the_date_column_holds_only_dates_with_an_offset(
    pg_url: str, published: str | None, column: str | None
) -> None:
    store = PostgresStore.open(pg_url)
    export(store, "run-1", item("/article/a", 1, "Un", "x", datePublished=published))
    row = store.connection.execute(
        "SELECT date_published, item->>'datePublished' FROM article_items"
    ).fetchone()
    store.close()
    assert row is not None
    assert row[0] == (datetime.fromisoformat(column) if column else None)  # same instant
    assert row[1] == published  # the item keeps the text as the feed wrote it
