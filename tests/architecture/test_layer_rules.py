"""The finer layer rules that import-linter cannot express."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
STDLIB = frozenset(__import__("sys").stdlib_module_names)


def _imported_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names = {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = {node.module}
            else:
                continue
            found.setdefault(str(path.relative_to(ROOT)), set()).update(names)
    return found


def _allowed_in_domain(module: str) -> bool:
    top = module.split(".", maxsplit=1)[0]
    return top in STDLIB or top == "domain" or module == "eventsourcing.domain"


def test_domain_imports_only_stdlib_and_eventsourcing_domain() -> None:
    offenders = {
        path: sorted(m for m in modules if not _allowed_in_domain(m))
        for path, modules in _imported_modules("domain").items()
    }
    assert {path: mods for path, mods in offenders.items() if mods} == {}


def test_the_checker_sees_a_forbidden_import(tmp_path: Path) -> None:
    assert not _allowed_in_domain("eventsourcing.application")
    assert not _allowed_in_domain("pydantic")
    assert _allowed_in_domain("eventsourcing.domain")
    assert _allowed_in_domain("decimal")


def test_only_bootstrap_imports_adapters_in_entrypoints() -> None:
    """Routers, loops and commands get adapters from the container, never import them."""
    offenders = {
        path: sorted(m for m in modules if m.split(".")[0] == "adapters")
        for path, modules in _imported_modules("entrypoints").items()
        if not path.endswith(("bootstrap.py",)) and "/services/" not in path
    }
    assert {path: mods for path, mods in offenders.items() if mods} == {}
