"""The tables port of the batch jobs: what a job needs from the warehouse, and nothing more.

Implemented by `adapters.snowflake.tables.SnowflakeTables` (Snowflake or fakesnow); unit tests
use a hand-written fake."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Protocol

import pyarrow as pa

Row = Mapping[str, Any]


class WindowStats(Protocol):
    """Row count and newest INGESTED_AT of one BRONZE table over an EVENT_DATE window."""

    @property
    def rows(self) -> int: ...

    @property
    def max_ingested_at(self) -> datetime | None: ...


@dataclass(frozen=True)
class DayRows:
    """All rows of one table for one day: publishing replaces the day's rows with these."""

    table: str
    day_column: str
    columns: tuple[str, ...]
    rows: Sequence[Row] = field(default_factory=list)


class Tables(Protocol):
    def bronze_window(self, table: str, start: date, end: date) -> pa.Table:
        """BRONZE rows of `table` (e.g. ORDERS_RAW) with EVENT_DATE in [start, end]."""
        ...

    def bronze_stats(self, table: str, start: date, end: date) -> WindowStats:
        """The input fingerprint of a window: row count and max INGESTED_AT."""
        ...

    def read_rows(
        self, table: str, day_column: str, start: date, end: date
    ) -> list[dict[str, Any]]:
        """Rows of a SILVER/GOLD table whose `day_column` is in [start, end]."""
        ...

    def publish(self, day: date, replace: Sequence[DayRows], append: Sequence[DayRows]) -> None:
        """In one transaction: replace each table's rows of `day`, then append the `append` rows.
        Running it twice with the same rows leaves the same state (idempotent)."""
        ...

    def append(self, rows: DayRows) -> None:
        """Append rows (the run log); no replacement."""
        ...
