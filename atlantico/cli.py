"""``python -m atlantico``: look at one page without running a crawl.

``extract [--url URL] FILE_OR_URL``  print the item of a saved page (``.html`` or ``.html.gz``)
                                     or of a URL, as JSON, and which source filled each field.
``check [--url URL] FILE_OR_URL``    report, per field, the value, the source that filled it, the
                                     fallbacks that fired, and what fails validation (the
                                     required fields, the JSON Schema); exit 1 when the item
                                     would not reach the feed.
``fixture [--url URL] [--name NAME] FILE_OR_URL``
                                     save a page as a test fixture under
                                     ``tests/fixtures/pages/NAME/``: ``page.html.gz``,
                                     ``meta.json`` (URL, fetch time) and ``expected.json`` (the
                                     item as extracted today: review it by hand, then commit).
``corpus [--out FILE]``              the latest revision of every stored article as JSON Lines
                                     (:mod:`atlantico.corpus`).
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

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


def main(argv: list[str] | None = None) -> int:
    given = sys.argv[1:] if argv is None else argv
    if given[:1] == ["corpus"]:  # its own module and options: atlantico/corpus.py
        from atlantico.corpus import main as corpus

        return corpus(given[1:])
    parser = argparse.ArgumentParser(prog="python -m atlantico", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    extract = commands.add_parser("extract", help="print the item of one page as JSON")
    extract.add_argument("target", help="a saved .html/.html.gz file or an http(s) URL")
    extract.add_argument("--url", help="the page's URL, for a saved file")
    extract.add_argument("--base-url", help="the site's base URL (default: the page's host)")
    check = commands.add_parser(
        "check", help="report each field's value, source, fallbacks and validation"
    )
    check.add_argument("target", help="a saved .html/.html.gz file or an http(s) URL")
    check.add_argument("--url", help="the page's URL, for a saved file")
    check.add_argument("--base-url", help="the site's base URL (default: the page's host)")
    fixture = commands.add_parser("fixture", help="save a page as a test fixture")
    fixture.add_argument("target", help="a saved .html/.html.gz file or an http(s) URL")
    fixture.add_argument("--url", help="the page's URL, for a saved file")
    fixture.add_argument("--name", help="folder name (default: the URL's last segment)")
    fixture.add_argument("--dir", type=Path, default=FIXTURES, help="fixtures folder")
    args = parser.parse_args(argv)

    response = load_response(args.target, args.url)
    if args.command == "fixture":
        name = args.name or response.url.rstrip("/").rsplit("/", 1)[-1].removesuffix(".html")
        target = save_fixture(response, name, args.dir)
        print(f"saved {target}; review {target / 'expected.json'} before committing")
        return 0
    item = extract_article(response, base_url=args.base_url, discovered_via="argument")
    if args.command == "check":
        report, ok = check_report(item)
        print(f"check {response.url}")
        print(report)
        return 0 if ok else 1
    print(json.dumps(item.to_dict(), ensure_ascii=False, indent=2))
    print(describe(item), file=sys.stderr)
    return 0 if item.headline and (item.articleBody or item.bodyTruncated) else 1
