"""Every ``atlantico/...`` stat key is named once, in atlantico/stats.py, and used.

The modules import the names (``from atlantico import stats as names``); a string literal that
starts with ``atlantico/`` anywhere else in the package is a key written by hand.
"""

from __future__ import annotations

import ast
from pathlib import Path

from atlantico import stats

PACKAGE = Path(__file__).resolve().parent.parent / "atlantico"
# Still written by their owners' branches today; discovery's stats already have one owner,
# atlantico/discovery/report.py (named in atlantico/stats.py's docstring). Their keys move
# into atlantico/stats.py when those branches are merged.
EXCLUDED = (
    "spiders/",
    "discovery/",
    "backends/",
    "corpus.py",
    "pipelines/archive.py",
)


def _modules(*, excluding: tuple[str, ...]) -> list[Path]:
    return [
        path
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "stats.py" or path.parent != PACKAGE
        if not path.relative_to(PACKAGE).as_posix().startswith(excluding)
    ]


def literal_keys(source: str) -> list[int]:
    """Lines of the string literals (plain or f-string) that start with ``atlantico/``.

    A docstring that mentions a key does not count; ``"atlantico/" + name`` does.
    """
    lines: set[int] = set()  # an f-string's first part is a constant too: one line each
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            first = node.values[0] if node.values else None
            text = first.value if isinstance(first, ast.Constant) else ""
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if isinstance(text, str) and text.startswith("atlantico/"):
            lines.add(node.lineno)
    return sorted(lines)


def used_names(source: str) -> set[str]:
    """The names of atlantico.stats a module reads, however it imports them."""
    tree = ast.parse(source)
    aliases: set[str] = set()
    used: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "atlantico":
            aliases |= {a.asname or a.name for a in node.names if a.name == "stats"}
        elif isinstance(node, ast.ImportFrom) and node.module == "atlantico.stats":
            used |= {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            aliases |= {a.asname for a in node.names if a.name == "atlantico.stats" and a.asname}
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in aliases
        ):
            used.add(node.attr)
    return used


def test_the_checks_see_what_they_look_for() -> None:
    source = '''
"""Counts ``atlantico/x/y``."""
from atlantico import stats as names
def f(stats, kind, field):
    """Sets ``atlantico/x/z``."""
    stats.inc_value("atlantico/x/y")
    stats.inc_value(f"atlantico/x/{kind}")
    stats.get("atlantico/" + field)
    stats.inc_value(names.RUN_ID)
    log("see the atlantico/x/* stats")
'''
    assert literal_keys(source) == [6, 7, 8]
    assert used_names(source) == {"RUN_ID"}
    assert used_names("from atlantico.stats import RUN_ID, RUN_FAILED\n") == {
        "RUN_ID",
        "RUN_FAILED",
    }


def test_no_module_writes_a_literal_stat_key() -> None:
    found = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in _modules(excluding=EXCLUDED)
        for line in literal_keys(path.read_text("utf-8"))
    ]
    assert not found, f"literal atlantico/ keys (name them in atlantico/stats.py): {found}"


def test_every_name_in_stats_is_used() -> None:
    defined = {k for k, v in vars(stats).items() if k.isupper() and isinstance(v, str)}
    used: set[str] = set()
    for path in _modules(excluding=()):
        used |= used_names(path.read_text("utf-8"))
    assert not defined - used, f"named in atlantico/stats.py, used nowhere: {defined - used}"
    assert not used - defined, f"read from atlantico.stats, not defined: {used - defined}"


def test_the_owner_headings_name_modules_that_exist() -> None:
    owners = [
        line.removeprefix("# -- ").split()[0]
        for line in (PACKAGE / "stats.py").read_text("utf-8").splitlines()
        if line.startswith("# -- atlantico.")
    ]
    assert owners
    for owner in owners:
        parts = owner.split(".")[1:]
        path = PACKAGE.joinpath(*parts)
        assert path.with_suffix(".py").is_file() or (path / "__init__.py").is_file(), owner
