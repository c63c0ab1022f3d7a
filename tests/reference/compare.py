"""Compare GOLD tables from two implementations: counts exactly, money within 0.01, rates within
0.0001, text and dates exactly, row sets by the table's key."""

import math
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

MONEY_TOLERANCE = Decimal("0.01")
RATE_TOLERANCE = 1e-4 + 1e-9


def differences(
    table: str, key: Iterable[str], ours: list[Mapping[str, Any]], theirs: list[Mapping[str, Any]]
) -> list[str]:
    """Human-readable differences; empty when the tables agree."""
    key = tuple(key)
    left, right = _keyed(key, ours), _keyed(key, theirs)
    problems = [f"{table}: key {k} only in Spark" for k in left.keys() - right.keys()]
    problems += [f"{table}: key {k} only in reference" for k in right.keys() - left.keys()]
    for k in sorted(left.keys() & right.keys(), key=str):
        for column, value in left[k].items():
            other = right[k].get(column)
            if not _same(value, other):
                problems.append(f"{table} {k} {column}: spark={value!r} reference={other!r}")
    return problems


def _keyed(key: tuple[str, ...], rows: list[Mapping[str, Any]]) -> dict[tuple, Mapping[str, Any]]:
    keyed = {tuple(row[c] for c in key): row for row in rows}
    assert len(keyed) == len(rows), f"duplicate keys {key}"
    return keyed


def _same(value: Any, other: Any) -> bool:
    if value is None or other is None:
        return value is None and other is None
    if isinstance(value, Decimal) or isinstance(other, Decimal):
        return abs(Decimal(str(value)) - Decimal(str(other))) <= MONEY_TOLERANCE
    if isinstance(value, float) or isinstance(other, float):
        return math.isclose(float(value), float(other), rel_tol=0, abs_tol=RATE_TOLERANCE)
    return bool(value == other)
