"""SnowflakeBronzeWarehouse: BRONZE on Snowflake, a fakesnow server, or fakesnow in-process.

A batch is staged in bulk into a temporary table, then merged with one MERGE per table, keyed
on INGESTION_ID and bounded to the batch's EVENT_DATE range so Snowflake prunes partitions.
fakesnow's MERGE is not atomic; the stage is emptied before every use and the MERGE only
inserts what is missing, so re-running a batch after a crash converges.
"""

import base64
import contextlib
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from snowflake.sqlalchemy import MergeInto
from sqlalchemy import exc

from adapters.snowflake.schema import (
    Truncate,
    arrow_schema,
    execute,
    init_tables,
    raw_connection,
    stage_table,
    table,
    warehouse_engine,
)
from adapters.snowflake.staging import Stager
from application.ports import BronzeRow, FailedMessage
from application.tables import BRONZE_TABLES, CLICKS_RAW, FAILED_EVENTS, ORDERS_RAW, Table

RAW_TABLES = {"ORDERS_RAW": ORDERS_RAW, "CLICKS_RAW": CLICKS_RAW}


def merge_new_rows(target: Table, stage: sa.Table) -> MergeInto:
    """MERGE the stage's rows whose key is not yet in `target`. For tables with a day column
    the match is bounded to [:low, :high] so Snowflake prunes partitions."""
    into = table(target).alias("t")
    # fakesnow needs a subquery as the source; Snowflake accepts it too. `*`, as the stage has
    # the table's columns: fakesnow rewrites every node of the statement, twice, per batch, and
    # a column list cost it a quarter more CPU per MERGE.
    star = sa.select(sa.literal_column("*")).select_from(stage).subquery("s")
    source = sa.table("s", *(sa.column(c.name) for c in stage.c))  # star's columns, by name
    (key,) = target.key
    match = into.c[key] == source.c[key]
    if target.day_column:
        day = target.day_column
        low, high = sa.bindparam("low", type_=sa.Date), sa.bindparam("high", type_=sa.Date)
        match = sa.and_(match, into.c[day] == source.c[day], into.c[day].between(low, high))
    merge = MergeInto(into, star, match)
    merge.when_not_matched_then_insert().values(**{c.name: source.c[c.name] for c in into.c})
    return merge


def raw_tuple(row: BronzeRow) -> tuple[Any, ...]:
    # A BronzeRow's fields are the columns, in order (application/tables/bronze.py).
    return tuple(row)


def failed_tuple(failure: FailedMessage, failed_at: datetime) -> tuple[Any, ...]:
    m = failure.message
    return (
        f"{m.topic}:{m.partition}:{m.offset}",
        base64.b64encode(m.value).decode() if m.value is not None else None,
        base64.b64encode(m.key).decode() if m.key is not None else None,
        failure.error,
        m.topic,
        m.partition,
        m.offset,
        failed_at,
    )


class SnowflakeBronzeWarehouse:
    def __init__(self, connect: Callable[[], Any], stager: Stager) -> None:
        self._engine = warehouse_engine(connect)
        self._stager = stager
        self._connection: sa.Connection | None = None
        self._stages: set[str] = set()  # temporary tables live as long as the session
        merged = (ORDERS_RAW, CLICKS_RAW, FAILED_EVENTS)
        self._stage_tables = {t.name: stage_table(t, f"STAGE_{t.name}") for t in merged}
        # Compiled once: Core cannot cache a MergeInto, and a batch should not pay for compiling.
        dialect, stages = self._engine.dialect, self._stage_tables
        self._merges = {t.name: merge_new_rows(t, stages[t.name]).compile(dialect=dialect)
                        for t in merged}  # fmt: skip
        self._truncates = {name: Truncate(stage).compile(dialect=dialect)
                           for name, stage in stages.items()}  # fmt: skip
        self._raw_types = list(arrow_schema(ORDERS_RAW).types)

    def create_schema(self) -> None:
        self._run(lambda c: init_tables(c, BRONZE_TABLES))
        self._run(_use_bronze)

    def merge_rows(self, table_name: str, rows: Sequence[BronzeRow]) -> int:
        if table_name not in RAW_TABLES:
            raise ValueError(f"not a BRONZE raw table: {table_name}")
        if not rows:
            return 0
        tuples = [raw_tuple(r) for r in rows]  # plain tuples for every connector's binding
        days = [r.event_date for r in rows]
        bounds = {"low": min(days), "high": max(days)}
        target = RAW_TABLES[table_name]
        inserted: int = self._run(
            lambda c: self._stage_and_merge(c, target, tuples, bounds, self._raw_types)
        )
        return inserted

    def record_failures(self, failures: Sequence[FailedMessage], failed_at: datetime) -> None:
        if not failures:
            return
        unique = {failed_tuple(f, failed_at)[0]: failed_tuple(f, failed_at) for f in failures}
        self._run(lambda c: self._stage_and_merge(c, FAILED_EVENTS, list(unique.values()), {}))

    def _stage_and_merge(
        self,
        connection: sa.Connection,
        target: Table,
        rows: Sequence[tuple[Any, ...]],
        params: dict[str, Any],
        arrow_types: Sequence[Any] | None = None,
    ) -> int:
        stage = self._stage_tables[target.name]
        if stage.name not in self._stages:
            execute(connection, sa.schema.CreateTable(stage, if_not_exists=True))
            self._stages.add(stage.name)
        # Empty first: a failed earlier attempt may have left rows behind.
        execute(connection, self._truncates[target.name])
        columns = target.column_names
        self._stager.stage(raw_connection(connection), stage.name, columns, rows, arrow_types)
        inserted = execute(connection, self._merges[target.name], params).fetchone()
        return int(inserted[0]) if inserted else 0

    def ingestion_ids(self, table_name: str) -> list[str]:
        if table_name not in RAW_TABLES:
            raise ValueError(f"not a BRONZE raw table: {table_name}")
        return self._column(RAW_TABLES[table_name], "INGESTION_ID")

    def failed_ids(self) -> list[str]:
        return self._column(FAILED_EVENTS, "FAILED_ID")

    def _column(self, declared: Table, name: str) -> list[Any]:
        query = sa.select(table(declared).c[name])
        rows: list[Any] = self._run(lambda c: list(c.execute(query).scalars()))
        return rows

    def _run(self, work: Callable[[sa.Connection], Any]) -> Any:
        if self._connection is None:
            self._connection = self._open()
        try:
            return work(self._connection)
        except Exception:
            # The session may be gone (server restart, expiry): reconnect on the next call.
            self.close(invalidate=True)
            raise

    def _open(self) -> sa.Connection:
        connection = self._engine.connect()
        # BRONZE may not exist before create_schema. No DDL here: concurrent CREATE TABLEs
        # from two connections of one in-process fakesnow collide; create_schema runs once.
        with contextlib.suppress(exc.DBAPIError):
            _use_bronze(connection)
        return connection

    def close(self, invalidate: bool = False) -> None:
        connection, self._connection = self._connection, None
        self._stages.clear()
        if connection is not None:
            # Closing a broken session must not mask the error that broke it.
            with contextlib.suppress(Exception):
                if invalidate:
                    connection.invalidate()
                connection.close()
        if not invalidate:
            self._engine.dispose()


def _use_bronze(connection: sa.Connection) -> None:
    # The temporary stage tables are created unqualified, in the current schema.
    connection.exec_driver_sql("USE SCHEMA BRONZE")
