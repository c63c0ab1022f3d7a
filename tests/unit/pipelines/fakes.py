"""A hand-written, in-memory tables port for the batch jobs' unit tests."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pyarrow as pa

from pipelines.jobs.tables import DayRows


@dataclass(frozen=True)
class Stats:
    rows: int
    max_ingested_at: datetime | None


@dataclass
class FakeTables:
    bronze: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    stored: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    publishes: int = 0

    def add_bronze(self, table: str, event_date: date, ingested_at: datetime) -> None:
        row = {"EVENT_DATE": event_date, "INGESTED_AT": ingested_at}
        self.bronze.setdefault(table, []).append(row)

    def _window(self, table: str, start: date, end: date) -> list[dict[str, Any]]:
        return [r for r in self.bronze.get(table, []) if start <= r["EVENT_DATE"] <= end]

    def bronze_window(self, table: str, start: date, end: date) -> pa.Table:
        return pa.Table.from_pylist(self._window(table, start, end))

    def bronze_stats(self, table: str, start: date, end: date) -> Stats:
        rows = self._window(table, start, end)
        return Stats(len(rows), max((r["INGESTED_AT"] for r in rows), default=None))

    def read_rows(
        self, table: str, day_column: str, start: date, end: date
    ) -> list[dict[str, Any]]:
        return [dict(r) for r in self.stored.get(table, []) if start <= r[day_column] <= end]

    def publish(self, day: date, replace: Sequence[DayRows], append: Sequence[DayRows]) -> None:
        self.publishes += 1
        for batch in replace:
            kept = [r for r in self.stored.get(batch.table, []) if r[batch.day_column] != day]
            self.stored[batch.table] = kept + [dict(r) for r in batch.rows]
        for batch in append:
            self.append(batch)

    def append(self, rows: DayRows) -> None:
        self.stored.setdefault(rows.table, []).extend(dict(r) for r in rows.rows)
