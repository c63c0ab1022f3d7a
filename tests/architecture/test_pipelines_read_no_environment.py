"""The batch pipeline reads no environment variable: settings reach it through the composition
root, and test hooks through the markers' observer port (tests/support/crash_points.py)."""

import ast
from pathlib import Path

PIPELINES = Path(__file__).resolve().parents[2] / "pipelines"


def _environment_reads(source: str) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in ("environ", "getenv", "environb"):
            lines.append(node.lineno)
        elif isinstance(node, ast.ImportFrom) and node.module == "os":
            names = {alias.name for alias in node.names}
            lines += [node.lineno] if names & {"environ", "getenv", "environb"} else []
    return lines


def test_no_module_of_the_pipeline_reads_the_environment() -> None:
    found = {
        str(path.relative_to(PIPELINES)): reads
        for path in sorted(PIPELINES.rglob("*.py"))
        if (reads := _environment_reads(path.read_text()))
    }
    assert found == {}


def test_the_check_sees_an_environment_read() -> None:
    assert _environment_reads("import os\nhook = os.environ.get('X')\n") == [2]
    assert _environment_reads("from os import getenv\n") == [1]
