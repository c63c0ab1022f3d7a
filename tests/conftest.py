"""Test harness: tests are marked by the directory they live in (how much real world they touch)."""

from pathlib import Path

import pytest

_DIRECTORY_MARKERS = {
    "unit": "unit",
    "contract": "contract",
    "integration": "integration",
    "e2e": "e2e",
    "faults": "faults",
    "architecture": "unit",
}

pytest_plugins = ["tests.fixtures.services"]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    tests_root = Path(__file__).parent
    for item in items:
        relative = Path(str(item.fspath)).relative_to(tests_root)
        marker = _DIRECTORY_MARKERS.get(relative.parts[0])
        if marker:
            item.add_marker(getattr(pytest.mark, marker))
