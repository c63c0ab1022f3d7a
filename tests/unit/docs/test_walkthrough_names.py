"""docs/walkthrough-new-event-type.md names only what exists: every file path, and every function,
class, constant, table and column it names in backticks, except the names its "New names"
paragraph says the walkthrough creates.

How a backticked name is checked:
- a path (has a `/` or a file extension): the file or directory exists in the repository;
- a call (`name(...)`) or a dotted name (`Order.change_status`): it resolves by attribute lookup
  from a module the walkthrough names (a module attribute, or an attribute of a class in it), or
  it is importable as a dotted module path;
- an UPPER_CASE name: a declared table or column (application/tables), or a name in a named file;
- a plain identifier (a field such as `user_id`): a word of a named file;
- a dotted lowercase literal (an event type, a topic): a quoted string in the Python sources.
Spans with spaces, URL paths and keywords are prose or commands, and are not checked.
"""

import importlib
import keyword
import re
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from application.tables import ALL_TABLES

ROOT = Path(__file__).resolve().parents[3]
WALKTHROUGH = ROOT / "docs" / "walkthrough-new-event-type.md"
NEW_NAMES = "**New names.**"
EXTENSIONS = (".py", ".md", ".js", ".sql", ".html", ".css", ".sh", ".toml", ".json", ".service")
CALL = re.compile(r"^([A-Za-z_][\w.]*)\(.*\)$")
DOTTED = re.compile(r"^[A-Za-z_]\w*(\.[A-Za-z_]\w*)+$")
IDENTIFIER = re.compile(r"^[A-Za-z_]\w*$")
UPPER = re.compile(r"^[A-Z][A-Z0-9_]*(\.[A-Z][A-Z0-9_]*)*$")
LITERAL = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")


def inline_spans(text: str) -> list[str]:
    """Inline code spans outside fenced blocks."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.MULTILINE | re.DOTALL)
    return re.findall(r"`([^`\n]+)`", prose)


def new_names(text: str) -> set[str]:
    """The spans of the paragraph that starts with NEW_NAMES: what the walkthrough creates."""
    paragraphs = re.split(r"\n\s*\n", text)
    found = [p for p in paragraphs if p.lstrip().startswith(NEW_NAMES)]
    return {span for paragraph in found for span in inline_spans(paragraph)}


def is_path(span: str) -> bool:
    return " " not in span and ("/" in span or span.endswith(EXTENSIONS)) and span[0] != "/"


def named_files(spans: list[str]) -> list[Path]:
    return [ROOT / s for s in spans if is_path(s) and (ROOT / s).is_file()]


def named_modules(files: list[Path]) -> list[ModuleType]:
    """The Python modules among the named files, imported."""
    modules = []
    for path in files:
        if path.suffix == ".py":
            relative = path.relative_to(ROOT).with_suffix("")
            modules.append(importlib.import_module(".".join(relative.parts)))
    return modules


def resolve(dotted: str, modules: list[ModuleType]) -> bool:
    """Whether `a.b.c` is an attribute chain from a named module (or a class in one), or an
    importable module path followed by attributes."""
    first, *rest = dotted.split(".")
    for start in _starts(first, modules):
        if _chain(start, rest):
            return True
    for split in range(len(dotted.split(".")), 0, -1):
        head, tail = dotted.split(".")[:split], dotted.split(".")[split:]
        try:
            module = importlib.import_module(".".join(head))
        except ImportError:
            continue
        return _chain(module, tail)
    return False


def _starts(name: str, modules: list[ModuleType]) -> list[Any]:
    found = [vars(m)[name] for m in modules if name in vars(m)]
    for module in modules:
        classes = [v for v in vars(module).values() if isinstance(v, type)]
        found += [getattr(c, name) for c in classes if hasattr(c, name)]
    return found


def _chain(start: Any, names: list[str]) -> bool:
    value = start
    for name in names:
        if not hasattr(value, name):
            return False
        value = getattr(value, name)
    return True


def _declared(name: str) -> bool:
    tables = {t.qualified_name for t in ALL_TABLES} | {t.name for t in ALL_TABLES}
    schemas = {t.schema for t in ALL_TABLES if t.schema}
    columns = {(t.name, c.name) for t in ALL_TABLES for c in t.columns}
    parts = name.split(".")
    if name in tables or name in schemas or any(c == name for _, c in columns):
        return True
    return len(parts) >= 2 and (parts[-2], parts[-1]) in columns


def _word_in(name: str, files: list[Path]) -> bool:
    pattern = re.compile(rf"(?<![\w]){re.escape(name)}(?![\w])")
    return any(pattern.search(path.read_text()) for path in files)


@cache
def _python_sources() -> str:
    packages = ("domain", "application", "adapters", "entrypoints", "pipelines")
    return "\n".join(p.read_text() for pkg in packages for p in (ROOT / pkg).rglob("*.py"))


def problems(text: str) -> list[str]:
    """What the walkthrough names that does not exist, one line each."""
    spans = inline_spans(text)
    created = new_names(text)
    files = named_files(spans)
    modules = named_modules(files)
    found = []
    for span in dict.fromkeys(spans):
        call = CALL.match(span)
        if span in created or (call and call.group(1) in created):
            continue
        problem = _problem(span, files, modules)
        if problem:
            found.append(f"`{span}`: {problem}")
    return found


def _problem(span: str, files: list[Path], modules: list[ModuleType]) -> str | None:  # noqa: PLR0911
    if is_path(span):
        return None if (ROOT / span).exists() else "no such file or directory"
    call = CALL.match(span)
    if call:
        return None if resolve(call.group(1), modules) else "no such function or class"
    if " " in span or keyword.iskeyword(span):
        return None
    if UPPER.match(span):
        if _declared(span) or resolve(span, modules) or _word_in(span, files):
            return None
        return "no such table, column or constant"
    if LITERAL.match(span) and not resolve(span, modules):
        return None if f'"{span}"' in _python_sources() else "no such literal in the code"
    if DOTTED.match(span):
        return None if resolve(span, modules) else "does not resolve"
    if IDENTIFIER.match(span):
        if resolve(span, modules) or _word_in(span, files):
            return None
        return "not in any file the walkthrough names"
    return None


def test_the_walkthrough_names_only_what_exists_or_what_it_creates() -> None:
    text = WALKTHROUGH.read_text()
    assert problems(text) == []
    assert new_names(text), f"{WALKTHROUGH.name} has no {NEW_NAMES} paragraph"


BROKEN = f"""
{NEW_NAMES} `Order.rate`.

Touch `application/envelope.py`, then `Order.rate` and `Order.change_status` in `domain/order.py`,
pick it up in `_lifecycle` of `pipelines/transforms/orders.py`, check `recorded_event(event_id)`,
set `ORDER_TYPES` and `NO_SUCH_CONSTANT`, `order.placed` and `order.nonsense`, in
`test_order_properties.py`; `Order.nothing` and `GOLD.DAILY_GMV_METRICS`.

```python
this_is_a_code_block_and_is_not_checked()
```
"""


@pytest.mark.parametrize(
    "span",
    [
        "application/envelope.py",
        "_lifecycle",
        "recorded_event(event_id)",
        "NO_SUCH_CONSTANT",
        "order.nonsense",
        "test_order_properties.py",
        "Order.nothing",
    ],
)
def test_the_checker_reports_a_name_that_does_not_exist(span: str) -> None:
    assert any(line.startswith(f"`{span}`") for line in problems(BROKEN))


def test_the_checker_accepts_what_exists_and_what_is_new() -> None:
    reported = "\n".join(problems(BROKEN))
    for span in ("Order.rate", "Order.change_status", "ORDER_TYPES", "order.placed"):
        assert f"`{span}`" not in reported
    assert "GOLD.DAILY_GMV_METRICS" not in reported
    assert "this_is_a_code_block" not in reported
