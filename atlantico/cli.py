"""``python -m atlantico``: look at one page without running a crawl.

Subcommands (``python -m atlantico COMMAND --help`` for each):

- ``extract``: print the item of a saved page (``.html`` or ``.html.gz``) or of a URL, as JSON,
  and on stderr which source filled each field;
- ``check``: per field, the value, the source that filled it, the fallbacks that fired, and what
  fails validation (the required fields, the JSON Schema);
- ``fixture``: save a page as a test fixture under ``tests/fixtures/pages/NAME/``
  (``page.html.gz``, ``meta.json``, ``expected.json``: review it by hand, then commit);
- ``corpus [--out FILE]``: the latest revision of every stored article as JSON Lines
  (:mod:`atlantico.corpus`);
- ``crawl [OPTIONS]``: ``scrapy crawl atlantico [OPTIONS]`` (this project's crawl command, its
  options and exit codes: :mod:`atlantico.commands.crawl`), with the stop-signal handlers
  installed before Scrapy is imported (``atlantico/__main__.py``): the command for scheduled
  runs.

Exit codes: 0 done (``extract``: an article with a headline and a body; ``check``: the item
reaches the feed), 1 failed (the page could not be fetched or read, or it is not such an
article), 2 usage error (a wrong or missing argument, a file that does not exist). Every error is
one line on stderr.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import sys
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import NoReturn

from scrapy.http import HtmlResponse, Request
from scrapy.utils.project import get_project_settings

from atlantico.extract import extract_article
from atlantico.items import Article
from atlantico.schema import ARTICLE_SCHEMA


def load_response(target: str, url: str | None = None, timeout: float = 30.0) -> HtmlResponse:
    """A response for a saved file or a URL; ``url`` says where a saved file came from."""
    if target.startswith(("http://", "https://")):
        settings = get_project_settings()
        request = urllib.request.Request(target, headers={"User-Agent": settings.get("USER_AGENT")})
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            body = answer.read()
            headers = dict(answer.headers.items())
            final = answer.geturl()
        return HtmlResponse(url=final, body=body, headers=headers, request=Request(target))
    path = Path(target)
    body = path.read_bytes()
    if path.suffix == ".gz":
        body = gzip.decompress(body)
    page_url = url or path.resolve().as_uri()
    return HtmlResponse(url=page_url, body=body, request=Request(page_url))


def describe(item: Article) -> str:
    """A short table: field, source, value (shortened)."""
    sources = item.metadata.get("sources", {})
    lines = []
    for field, value in item.to_dict().items():
        if field == "metadata":
            continue
        shown = json.dumps(value, ensure_ascii=False)
        shown = shown if len(shown) <= 70 else shown[:67] + "..."
        lines.append(f"{field:<20} {sources.get(field, '-'):<14} {shown}")
    for message in item.metadata.get("validationMessages", []):
        lines.append(f"! {message}")
    return "\n".join(lines)


def schema_errors(item: Article) -> dict[str, list[str]]:
    """What the schema pipeline would reject the item for (Spidermon's validator, same schema)."""
    from spidermon.contrib.validation import JSONSchemaValidator

    validator = JSONSchemaValidator(ARTICLE_SCHEMA)
    ok, errors = validator.validate(item.to_dict())
    return {} if ok else dict(errors)


def check_report(item: Article) -> tuple[str, bool]:
    """The per-field report of ``check`` and whether the item would reach the feed."""
    from atlantico.pipelines.validate import missing_fields

    sources = item.metadata.get("sources", {})
    fallbacks = item.metadata.get("fallbacks", {})
    lines = [f"{'field':<20} {'source':<13} value"]
    for field, value in item.to_dict().items():
        if field == "metadata":
            continue
        shown = json.dumps(value, ensure_ascii=False)
        shown = shown if len(shown) <= 64 else shown[:61] + "..."
        source = sources.get(field, "-" if value not in (None, [], "") else "(none)")
        lines.append(f"{field:<20} {source:<13} {shown}")
        if fallbacks.get(field):
            fired = ", ".join(fallbacks[field])
            lines.append(f"{'':<20} {'':<13} fallbacks fired: {fired} gave nothing")
    missing = missing_fields(item)
    errors = schema_errors(item)
    lines.append("")
    lines.append(f"required fields missing: {', '.join(missing) if missing else 'none'}")
    if errors:
        lines.append("schema errors:")
        lines.extend(f"  {field}: {'; '.join(messages)}" for field, messages in errors.items())
    else:
        lines.append("schema errors: none")
    for message in item.metadata.get("validationMessages", []):
        lines.append(f"note: {message}")
    ok = not missing and not errors
    lines.append("verdict: OK, the item reaches the feed" if ok else "verdict: REJECTED")
    return "\n".join(lines), ok


# Fields that change with every fetch and are left out of a fixture's expected item.
VOLATILE = ("metadata",)
FIXTURES = Path("tests/fixtures/pages")


def expected_item(item: Article) -> dict[str, object]:
    """The part of an item a fixture pins down."""
    data = item.to_dict()
    for name in VOLATILE:
        data.pop(name, None)
    data["sources"] = item.metadata.get("sources", {})
    return data


def save_fixture(response: HtmlResponse, name: str, folder: Path = FIXTURES) -> Path:
    """Write a fixture: gzipped page, its URL and fetch time, and the item it yields."""
    target = folder / name
    target.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same page gives the same bytes, so re-saving a fixture makes no diff.
    (target / "page.html.gz").write_bytes(gzip.compress(response.body, mtime=0))
    meta = {
        "url": response.url,
        "fetched": datetime.now(UTC).replace(microsecond=0).isoformat(),
        "date_header": (response.headers.get("Date") or b"").decode("latin-1") or None,
    }
    (target / "meta.json").write_text(json.dumps(meta, indent=2) + "\n", encoding="utf-8")
    item = extract_article(response)
    (target / "expected.json").write_text(
        json.dumps(expected_item(item), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return target


EXIT_FAILED = 1
EXIT_USAGE = 2

DESCRIPTION = "Look at one page of the site, or run the crawl (crawl)."
EPILOG = """exit codes (crawl: 0 published, 1 failed, 2 usage error, 75 try later):
  0  done (extract: an article with a headline and a body; check: it reaches the feed)
  1  failed: the page could not be fetched or read, or it is not such an article
  2  usage error: a wrong or missing argument, or a file that does not exist

examples:
  python -m atlantico extract https://atlantico.fr/article/decryptage/...
  python -m atlantico check --url https://atlantico.fr/article/... saved-page.html
  python -m atlantico fixture --name elon-musk https://atlantico.fr/article/pepite/...
  python -m atlantico crawl -a mode=backfill"""


class UsageError(Exception):
    """A wrong argument found after parsing (a missing file): exit 2, one line."""


class Parser(argparse.ArgumentParser):
    """argparse, with a usage error on one line (``PROG: error: ...; see --help``), exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def http_url(value: str) -> str:
    """An argparse type: an absolute http(s) URL.

    >>> http_url("https://atlantico.fr/article/x")
    'https://atlantico.fr/article/x'
    """
    if not value.startswith(("http://", "https://")) or len(value.split("/")) < 3:
        raise argparse.ArgumentTypeError(f"{value!r} is not an http(s) URL")
    return value


def build_parser() -> Parser:
    parser = Parser(
        prog="python -m atlantico",
        description=DESCRIPTION,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", parser_class=Parser
    )
    target_help = "a saved .html or .html.gz file, or an http(s) URL"
    url_help = "the page's URL, for a saved file (default: the file's path)"
    base_help = "the site's base URL (default: the page's host)"
    extract = commands.add_parser(
        "extract",
        help="print the item of one page as JSON (and its sources on stderr)",
        description="Print the item of one page as JSON, and on stderr which source filled "
        "each field. Exit 1 when the page yields no headline or no body.",
    )
    check = commands.add_parser(
        "check",
        help="report each field's value, source, fallbacks and validation",
        description="Report, per field, the value, its source and the fallbacks that fired, "
        "then what fails validation. Exit 1 when the item would not reach the feed.",
    )
    for sub in (extract, check):
        sub.add_argument("target", metavar="FILE_OR_URL", help=target_help)
        sub.add_argument("--url", type=http_url, help=url_help)
        sub.add_argument("--base-url", type=http_url, help=base_help)
    fixture = commands.add_parser(
        "fixture",
        help="save a page as a test fixture",
        description="Save a page as a test fixture: page.html.gz, meta.json and expected.json "
        "(the item as extracted today: review it by hand before committing).",
    )
    fixture.add_argument("target", metavar="FILE_OR_URL", help=target_help)
    fixture.add_argument("--url", type=http_url, help=url_help)
    fixture.add_argument("--name", help="folder name (default: the URL's last segment)")
    fixture.add_argument(
        "--dir", type=Path, default=FIXTURES, help=f"fixtures folder (default: {FIXTURES})"
    )
    # Listed for --help only: main() hands `corpus` and its arguments to atlantico.corpus,
    # and `crawl` and its arguments to Scrapy's command line (crawl() below).
    commands.add_parser(
        "corpus",
        help="write the latest revision of every stored article as JSON Lines",
        add_help=False,
    )
    commands.add_parser(
        "crawl",
        help="run the crawl, as scrapy crawl atlantico [OPTIONS] (for scheduled runs; its "
        "options and exit codes: crawl --help)",
        add_help=False,
    )
    return parser


SPIDER = "atlantico"


def crawl(args: list[str]) -> NoReturn:
    """``python -m atlantico crawl [atlantico] [OPTIONS]``: ``scrapy crawl atlantico [OPTIONS]``.

    The spider name is implied (given first, it is accepted too). Scrapy's command line runs
    this project's ``crawl`` command (COMMANDS_MODULE), so options, output and exit codes are
    those of ``scrapy crawl``. The project's settings are found without a ``scrapy.cfg``
    (``SCRAPY_SETTINGS_MODULE``, unless set); one found in the working folder still wins, as
    with ``scrapy``. Exits with the crawl's code.
    """
    from scrapy.cmdline import execute

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "atlantico.settings")
    spider = [] if args[:1] == [SPIDER] else [SPIDER]
    # argv[0] names the program in argparse's error lines.
    sys.argv = ["python -m atlantico crawl", "crawl", *spider, *args]
    execute(sys.argv)
    raise SystemExit(EXIT_FAILED)  # not reached: execute() always exits with the crawl's code


def fetch_problem(error: Exception) -> str:
    """One line saying why a page could not be fetched or read.

    >>> fetch_problem(urllib.error.URLError(ConnectionRefusedError(111, "Connection refused")))
    'Connection refused'
    """
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}"
    if isinstance(error, urllib.error.URLError):
        reason = error.reason
        if isinstance(reason, OSError) and reason.strerror:
            return str(reason.strerror)
        return str(reason)
    if isinstance(error, OSError) and error.strerror:
        return str(error.strerror)
    return f"{type(error).__name__}: {error}"


def read_target(args: argparse.Namespace) -> HtmlResponse:
    """The response of ``args.target``; UsageError for a file that does not exist."""
    target = str(args.target)
    if not target.startswith(("http://", "https://")):
        path = Path(target)
        if not path.is_file():
            what = "is a folder" if path.is_dir() else "does not exist"
            raise UsageError(
                f"argument FILE_OR_URL: {target!r} {what} (give a saved .html or .html.gz "
                "file, or an http(s) URL)"
            )
    return load_response(target, args.url)


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    if given[:1] == ["crawl"]:  # Scrapy's command line: atlantico/commands/crawl.py
        crawl(given[1:])
    if given[:1] == ["corpus"]:  # its own module and options: atlantico/corpus.py
        from atlantico.corpus import main as corpus

        return corpus(given[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    prog = f"{parser.prog} {args.command}"
    try:
        response = read_target(args)
    except UsageError as error:
        print(f"{prog}: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (OSError, EOFError, ValueError) as error:  # HTTP errors, refused, bad gzip
        print(f"{prog}: could not read {args.target}: {fetch_problem(error)}", file=sys.stderr)
        return EXIT_FAILED
    if args.command == "fixture":
        name = args.name or response.url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
        try:
            target = save_fixture(response, name, args.dir)
        except OSError as error:
            print(f"{prog}: could not save the fixture: {fetch_problem(error)}", file=sys.stderr)
            return EXIT_FAILED
        print(f"saved {target}; review {target / 'expected.json'} before committing")
        return 0
    item = extract_article(response, base_url=args.base_url, discovered_via="argument")
    if args.command == "check":
        report, ok = check_report(item)
        print(f"check {response.url}")
        print(report)
        return 0 if ok else EXIT_FAILED
    print(json.dumps(item.to_dict(), ensure_ascii=False, indent=2))
    print(describe(item), file=sys.stderr)
    return 0 if item.headline and (item.articleBody or item.bodyTruncated) else EXIT_FAILED
