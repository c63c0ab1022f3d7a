"""SnowflakeTables: the batch jobs' tables port on Snowflake or fakesnow (same SQL on both)."""

import threading
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

import pyarrow as pa
import sqlalchemy as sa

from adapters.snowflake.schema import (
    arrow_schema,
    declared,
    execute,
    init_tables,
    raw_connection,
    stage_table,
    table,
    warehouse_engine,
)
from adapters.snowflake.staging import Stager
from adapters.sql.migrate import Change
from application.tables import BRONZE_TABLES, WAREHOUSE_TABLES, Table


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


WAREHOUSE_NAMES = frozenset(t.qualified_name for t in WAREHOUSE_TABLES)
BRONZE_RAW = {t.name: t for t in BRONZE_TABLES if t.name != "FAILED_EVENTS"}
# Rows per INSERT statement: Snowflake caps statement text at 1 MB, fakesnow parses each one.
INSERT_CHUNK = 500


class SnowflakeTables:
    """Reads BRONZE windows and replaces a day's SILVER/GOLD rows with DELETE + INSERT in one
    transaction. A process-wide lock serialises writes: DuckDB (fakesnow) has one writer."""

    _write_lock = threading.Lock()

    def __init__(self, connect: Callable[[], Any], stager: Stager) -> None:
        self._engine = warehouse_engine(connect)
        self._stager = stager
        self._initialised = False

    def init_schema(self) -> list[Change]:
        """Create BRONZE, SILVER and GOLD if missing, and add the columns the declarations
        gained (application/tables); returns what changed. Idempotent."""
        with self._engine.connect() as connection:
            changes = init_tables(connection, WAREHOUSE_TABLES)
        self._initialised = True
        return changes

    def bronze_window(self, table_name: str, start: date, end: date) -> pa.Table:
        source = _bronze(table_name)
        bronze = table(source)
        query = sa.select(*bronze.c).where(_between(bronze.c.EVENT_DATE, start, end))
        with self._connection() as connection:
            frame = _fetch_pandas(connection, query)
        schema = arrow_schema(source)
        if frame.empty:
            return schema.empty_table()
        return pa.Table.from_pandas(frame, preserve_index=False).cast(schema)

    def bronze_stats(self, table_name: str, start: date, end: date) -> WindowStats:
        bronze = table(_bronze(table_name))
        query = sa.select(sa.func.count(), sa.func.max(bronze.c.INGESTED_AT)).where(
            _between(bronze.c.EVENT_DATE, start, end)
        )
        with self._connection() as connection:
            count, newest = execute(connection, query).fetchone()
        return WindowStats(int(count), newest)

    def read_rows(
        self, table_name: str, day_column: str, start: date, end: date
    ) -> list[dict[str, Any]]:
        target = table(_silver_gold(table_name))
        if day_column not in target.c:
            raise ValueError(f"{table_name} has no column {day_column}")
        query = sa.select(*target.c).where(_between(target.c[day_column], start, end))
        names = [c.name for c in target.c]
        with self._connection() as connection:
            rows = execute(connection, query).fetchall()
        return [dict(zip(names, row, strict=True)) for row in rows]

    def publish(self, day: date, replace: Sequence[DayRows], append: Sequence[DayRows]) -> None:
        """Stage every table's rows in bulk first (outside the transaction: Snowflake commits
        around DDL and stage loads), then swap the day's rows in one short transaction."""
        with self._connection() as connection:
            # Stage tables are temporary and unqualified (write_pandas takes a bare name).
            execute(connection, sa.text("USE SCHEMA GOLD"))
            stages = []
            try:
                for batch in replace:
                    stages.append(self._stage(connection, batch))
                with self._in_transaction(connection):
                    for batch, stage in zip(replace, stages, strict=True):
                        _replace_day(connection, batch, stage, day)
                    for batch in append:
                        _insert(connection, batch)
            finally:
                for stage in stages:
                    execute(connection, sa.schema.DropTable(stage, if_exists=True))

    def append(self, rows: DayRows) -> None:
        with self._connection() as connection, self._in_transaction(connection):
            _insert(connection, rows)

    def _stage(self, connection: sa.Connection, batch: DayRows) -> sa.Table:
        _check(batch)
        target = declared(batch.table)
        stage = stage_table(target, f"STAGE_{target.name}_{uuid.uuid4().hex[:12]}")
        execute(connection, sa.schema.CreateTable(stage))
        names = target.column_names
        rows = [tuple(row.get(name) for name in names) for row in batch.rows]
        if rows:
            self._stager.stage(raw_connection(connection), stage.name, names, rows)
        return stage

    @contextmanager
    def _connection(self) -> Iterator[sa.Connection]:
        if not self._initialised:
            self.init_schema()
        with self._engine.connect() as connection:
            yield connection

    @contextmanager
    def _in_transaction(self, connection: sa.Connection) -> Iterator[None]:
        # The engine autocommits (as the connector does); a transaction is explicit.
        with self._write_lock:
            execute(connection, sa.text("BEGIN TRANSACTION"))
            try:
                yield
            except BaseException:
                execute(connection, sa.text("ROLLBACK"))
                raise
            execute(connection, sa.text("COMMIT"))


def _between(column: sa.ColumnElement[Any], start: date, end: date) -> sa.ColumnElement[bool]:
    return column.between(sa.bindparam("start", start, sa.Date), sa.bindparam("end", end, sa.Date))


def _fetch_pandas(connection: sa.Connection, query: sa.Select[Any]) -> Any:
    # The connector's Arrow fetch is many times faster than rows through SQLAlchemy.
    cursor = execute(connection, query)
    try:
        return cursor.fetch_pandas_all()
    finally:
        cursor.close()


def _bronze(name: str) -> Table:
    if name not in BRONZE_RAW:
        raise ValueError(f"not a BRONZE table: {name}")
    return BRONZE_RAW[name]


def _silver_gold(name: str) -> Table:
    if name.split(".", maxsplit=1)[0] not in ("SILVER", "GOLD") or name not in WAREHOUSE_NAMES:
        raise ValueError(f"not a SILVER/GOLD table: {name}")
    return declared(name)


def _check(batch: DayRows) -> None:
    columns = set(_silver_gold(batch.table).column_names)
    unknown = ({*batch.columns, batch.day_column}) - columns
    if unknown:
        raise ValueError(f"{batch.table} has no columns {sorted(unknown)}")


def _replace_day(connection: sa.Connection, batch: DayRows, stage: sa.Table, day: date) -> None:
    target = table(declared(batch.table))
    execute(connection, sa.delete(target).where(target.c[batch.day_column] == day))
    names = [c.name for c in stage.c]
    execute(connection, sa.insert(target).from_select(names, sa.select(*stage.c)))


def _insert(connection: sa.Connection, batch: DayRows) -> None:
    _check(batch)
    target = table(declared(batch.table))
    for start in range(0, len(batch.rows), INSERT_CHUNK):
        chunk = batch.rows[start : start + INSERT_CHUNK]
        values = [{column: row.get(column) for column in batch.columns} for row in chunk]
        execute(connection, sa.insert(target).values(values))
