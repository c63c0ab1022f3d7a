"""Transforms stay pure (no session, no I/O, no Python UDF, no action) and pass how= to joins."""

import ast
from pathlib import Path

import pytest

TRANSFORMS = Path(__file__).resolve().parents[3] / "pipelines" / "transforms"
FORBIDDEN_ATTRIBUTES = {"read", "write", "collect", "toPandas", "udf", "pandas_udf", "builder"}
FORBIDDEN_NAMES = {"SparkSession", "udf", "pandas_udf", "open"}


def sources() -> list[Path]:
    return sorted(TRANSFORMS.glob("*.py"))


@pytest.mark.parametrize("path", sources(), ids=lambda path: path.name)
def test_transforms_do_no_io_and_create_no_session(path: Path) -> None:
    tree = ast.parse(path.read_text())
    attributes = {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) for a in n.names}
    assert not attributes & FORBIDDEN_ATTRIBUTES
    assert not (names | imported) & FORBIDDEN_NAMES


@pytest.mark.parametrize("path", sources(), ids=lambda path: path.name)
def test_every_join_names_its_kind(path: Path) -> None:
    calls = [
        node
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "join"
        and not isinstance(node.func.value, ast.Constant)  # str.join
    ]
    assert all(any(k.arg == "how" for k in call.keywords) for call in calls)
