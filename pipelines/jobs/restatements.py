"""Restatements: which GOLD figures a rebuild changed, as rows for GOLD.RESTATEMENTS."""

import json
import math
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from pipelines.jobs.tables import Row

RESTATEMENT_COLUMNS = (
    "TABLE_NAME", "METRIC_DATE", "ROW_KEY", "COLUMN_NAME", "OLD_VALUE", "NEW_VALUE",
    "RESTATED_AT", "RUN_ID", "OLD_FINGERPRINT", "NEW_FINGERPRINT", "CAUSE",
)  # fmt: skip


def changed_figures(
    key: Sequence[str], columns: Sequence[str], old: Sequence[Row], new: Sequence[Row]
) -> Iterator[tuple[str, str, Any, Any]]:
    """(row key, column, old value, new value) for every value that differs between the two
    versions of a day; a row present on one side only differs in every column."""
    before = {_key(row, key): row for row in old}
    after = {_key(row, key): row for row in new}
    for row_key in sorted(before.keys() | after.keys()):
        old_row, new_row = before.get(row_key, {}), after.get(row_key, {})
        for column in columns:
            if column in key:
                continue
            old_value, new_value = old_row.get(column), new_row.get(column)
            if not same_value(old_value, new_value):
                yield row_key, column, old_value, new_value


def same_value(left: Any, right: Any) -> bool:
    """Equal as figures: the warehouse returns Decimal or float where the lake had the other."""
    if left is None or right is None:
        return left is right
    if _number(left) and _number(right):
        return math.isclose(float(left), float(right), rel_tol=1e-12, abs_tol=1e-9)
    return bool(left == right)


def render(value: Any) -> str | None:
    """A figure as text for OLD_VALUE / NEW_VALUE."""
    if value is None:
        return None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


def _key(row: Row, key: Sequence[str]) -> str:
    return json.dumps({column: render(row.get(column)) for column in key}, sort_keys=True)
