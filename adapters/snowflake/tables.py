"""SnowflakeTables: the batch jobs' tables port on Snowflake or fakesnow (same SQL on both)."""

import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import pyarrow as pa

from adapters.snowflake.gold_schema import TABLE_COLUMNS, init_silver_gold
from adapters.snowflake.schema import RAW_COLUMN_NAMES, init_bronze
from adapters.snowflake.staging import Stager


class DayRows(Protocol):
    """Structurally the batch jobs' `pipelines.jobs.tables.DayRows` (adapters cannot import it)."""

    @property
    def table(self) -> str: ...

    @property
    def day_column(self) -> str: ...

    @property
    def columns(self) -> tuple[str, ...]: ...

    @property
    def rows(self) -> Sequence[Mapping[str, Any]]: ...


@dataclass(frozen=True)
class WindowStats:
    rows: int
    max_ingested_at: datetime | None


BRONZE_TABLES = frozenset({"ORDERS_RAW", "CLICKS_RAW"})
_TS = pa.timestamp("us")
BRONZE_ARROW = pa.schema(
    [
        ("INGESTION_ID", pa.string()), ("EVENT_TYPE", pa.string()), ("AGGREGATE_ID", pa.string()),
        ("AGGREGATE_VERSION", pa.int64()), ("EVENT_TIME", _TS), ("EVENT_DATE", pa.date32()),
        ("RECEIVED_AT", _TS), ("SCHEMA_VERSION", pa.int64()), ("PAYLOAD", pa.string()),
        ("SOURCE_TOPIC", pa.string()), ("SOURCE_PARTITION", pa.int64()),
        ("SOURCE_OFFSET", pa.int64()), ("INGESTED_AT", _TS), ("CLIENT_EVENT_ID", pa.string()),
    ]
)  # fmt: skip
# Rows per INSERT statement: Snowflake caps statement text at 1 MB, fakesnow parses each one.
INSERT_CHUNK = 500


class SnowflakeTables:
    """Reads BRONZE windows and replaces a day's SILVER/GOLD rows with DELETE + INSERT in one
    transaction. A process-wide lock serialises writes: DuckDB (fakesnow) has one writer."""

    _write_lock = threading.Lock()

    def __init__(self, connect: Callable[[], Any], stager: Stager) -> None:
        self._connect = connect
        self._stager = stager
        self._initialised = False

    def init_schema(self) -> None:
        """Create BRONZE, SILVER and GOLD if missing (idempotent DDL)."""
        connection = self._connect()
        try:
            init_bronze(connection)
            init_silver_gold(connection)
        finally:
            connection.close()
        self._initialised = True

    def bronze_window(self, table: str, start: date, end: date) -> pa.Table:
        sql = f"SELECT {', '.join(RAW_COLUMN_NAMES)} FROM BRONZE.{_bronze(table)} "
        with self._cursor() as cursor:
            cursor.execute(sql + "WHERE EVENT_DATE BETWEEN %s AND %s", (start, end))
            frame = cursor.fetch_pandas_all()
        if frame.empty:
            return BRONZE_ARROW.empty_table()
        return pa.Table.from_pandas(frame, preserve_index=False).cast(BRONZE_ARROW)

    def bronze_stats(self, table: str, start: date, end: date) -> WindowStats:
        sql = f"SELECT COUNT(*), MAX(INGESTED_AT) FROM BRONZE.{_bronze(table)} "
        with self._cursor() as cursor:
            cursor.execute(sql + "WHERE EVENT_DATE BETWEEN %s AND %s", (start, end))
            count, newest = cursor.fetchone()
        return WindowStats(int(count), newest)

    def read_rows(
        self, table: str, day_column: str, start: date, end: date
    ) -> list[dict[str, Any]]:
        columns = _columns(table)
        if day_column not in columns:
            raise ValueError(f"{table} has no column {day_column}")
        sql = f"SELECT {', '.join(columns)} FROM {table} WHERE {day_column} BETWEEN %s AND %s"
        with self._cursor() as cursor:
            cursor.execute(sql, (start, end))
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def publish(self, day: date, replace: Sequence[DayRows], append: Sequence[DayRows]) -> None:
        """Stage every table's rows in bulk first (outside the transaction: Snowflake commits
        around DDL and stage loads), then swap the day's rows in one short transaction."""
        with self._connection() as connection:
            cursor = connection.cursor()
            # Stage tables are temporary and unqualified (write_pandas takes a bare name).
            cursor.execute("USE SCHEMA GOLD")
            stages = []
            try:
                for batch in replace:
                    stages.append(self._stage(connection, batch))
                with self._in_transaction(cursor):
                    for batch, stage in zip(replace, stages, strict=True):
                        _replace_day(cursor, batch, stage, day)
                    for batch in append:
                        _insert(cursor, batch)
            finally:
                for stage in stages:
                    cursor.execute(f"DROP TABLE IF EXISTS {stage}")

    def append(self, rows: DayRows) -> None:
        with self._cursor() as cursor, self._in_transaction(cursor):
            _insert(cursor, rows)

    def _stage(self, connection: Any, batch: DayRows) -> str:
        _check(batch)
        stage = f"STAGE_{batch.table.split('.')[1]}_{uuid.uuid4().hex[:12]}"
        columns = TABLE_COLUMNS[batch.table]
        body = ", ".join(f"{name} {sql_type}" for name, sql_type in columns)
        connection.cursor().execute(f"CREATE TEMPORARY TABLE {stage} ({body})")
        names = [name for name, _ in columns]
        rows = [tuple(row.get(name) for name in names) for row in batch.rows]
        if rows:
            self._stager.stage(connection, stage, names, rows)
        return stage

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        if not self._initialised:
            self.init_schema()
        connection = self._connect()
        try:
            yield connection
        finally:
            connection.close()

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        with self._connection() as connection:
            cursor = connection.cursor()
            try:
                yield cursor
            finally:
                cursor.close()

    @contextmanager
    def _in_transaction(self, cursor: Any) -> Iterator[None]:
        with self._write_lock:
            cursor.execute("BEGIN TRANSACTION")
            try:
                yield
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")


def _bronze(table: str) -> str:
    if table not in BRONZE_TABLES:
        raise ValueError(f"not a BRONZE table: {table}")
    return table


def _columns(table: str) -> tuple[str, ...]:
    if table not in TABLE_COLUMNS:
        raise ValueError(f"not a SILVER/GOLD table: {table}")
    return tuple(name for name, _ in TABLE_COLUMNS[table])


def _check(batch: DayRows) -> None:
    unknown = set(batch.columns) - set(_columns(batch.table)) | {batch.day_column} - set(
        _columns(batch.table)
    )
    if unknown:
        raise ValueError(f"{batch.table} has no columns {sorted(unknown)}")


def _replace_day(cursor: Any, batch: DayRows, stage: str, day: date) -> None:
    names = ", ".join(name for name, _ in TABLE_COLUMNS[batch.table])
    cursor.execute(f"DELETE FROM {batch.table} WHERE {batch.day_column} = %s", (day,))
    cursor.execute(f"INSERT INTO {batch.table} ({names}) SELECT {names} FROM {stage}")


def _insert(cursor: Any, batch: DayRows) -> None:
    _check(batch)
    names = ", ".join(batch.columns)
    placeholders = "(" + ", ".join(["%s"] * len(batch.columns)) + ")"
    for start in range(0, len(batch.rows), INSERT_CHUNK):
        chunk = batch.rows[start : start + INSERT_CHUNK]
        values = ", ".join([placeholders] * len(chunk))
        params = [row.get(column) for row in chunk for column in batch.columns]
        cursor.execute(f"INSERT INTO {batch.table} ({names}) VALUES {values}", params)
