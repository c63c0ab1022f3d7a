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

from adapters.snowflake.schema import (
    FAILED_COLUMN_NAMES,
    FAILED_COLUMNS,
    RAW_COLUMN_NAMES,
    RAW_COLUMNS,
    init_bronze,
)
from adapters.snowflake.staging import Stager
from application.ports import BronzeRow, FailedMessage

RAW_TABLES = ("ORDERS_RAW", "CLICKS_RAW")


def merge_sql(table: str, key: str, columns: Sequence[str], bound: str = "") -> str:
    names = ", ".join(columns)
    values = ", ".join(f"s.{c}" for c in columns)
    # fakesnow needs a subquery source; Snowflake accepts it too. `*`, because the stage has
    # the table's DDL, and fakesnow rewrites every node of the statement, twice, per batch.
    return (
        f"MERGE INTO BRONZE.{table} t USING (SELECT * FROM STAGE_{table}) s "
        f"ON t.{key} = s.{key}{bound} "
        f"WHEN NOT MATCHED THEN INSERT ({names}) VALUES ({values})"
    )


def date_bound(rows: Sequence[BronzeRow]) -> str:
    low = min(r.event_date for r in rows).isoformat()
    high = max(r.event_date for r in rows).isoformat()
    return (
        " AND t.EVENT_DATE = s.EVENT_DATE"
        f" AND t.EVENT_DATE BETWEEN '{low}'::DATE AND '{high}'::DATE"
    )


def raw_tuple(row: BronzeRow) -> tuple[Any, ...]:
    # A BronzeRow's fields are the columns, in order (RAW_COLUMN_NAMES).
    return tuple(row)


# Arrow's name for each SQL type of the BRONZE DDL.
_ARROW_ALIAS = {
    "VARCHAR": "string",
    "NUMBER": "int64",
    "TIMESTAMP_NTZ": "timestamp[us]",
    "DATE": "date32",
}


def raw_arrow_types() -> list[Any]:
    """RAW_COLUMNS' types as Arrow types, in column order (read off the DDL, so they cannot
    drift from it), for stagers that build Arrow data."""
    import pyarrow as pa

    definitions = [line.split() for line in RAW_COLUMNS.strip("()\n").splitlines()]
    sql_types = [words[1].split("(")[0].rstrip(",") for words in definitions]
    return [pa.type_for_alias(_ARROW_ALIAS[t]) for t in sql_types]


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
        self._connect = connect
        self._stager = stager
        self._connection: Any = None
        self._stages: set[str] = set()  # temporary tables live as long as the session
        self._raw_types = raw_arrow_types()

    def create_schema(self) -> None:
        self._run(init_bronze)
        self._run(_use_bronze)

    def merge_rows(self, table: str, rows: Sequence[BronzeRow]) -> int:
        if table not in RAW_TABLES:
            raise ValueError(f"not a BRONZE raw table: {table}")
        if not rows:
            return 0
        tuples = [raw_tuple(r) for r in rows]  # plain tuples for every connector's binding
        sql = merge_sql(table, "INGESTION_ID", RAW_COLUMN_NAMES, date_bound(rows))
        inserted: int = self._run(
            lambda c: self._stage_and_merge(
                c, table, RAW_COLUMNS, tuples, sql, arrow_types=self._raw_types
            )
        )
        return inserted

    def record_failures(self, failures: Sequence[FailedMessage], failed_at: datetime) -> None:
        if not failures:
            return
        unique = {failed_tuple(f, failed_at)[0]: failed_tuple(f, failed_at) for f in failures}
        sql = merge_sql("FAILED_EVENTS", "FAILED_ID", FAILED_COLUMN_NAMES)
        self._run(
            lambda c: self._stage_and_merge(
                c, "FAILED_EVENTS", FAILED_COLUMNS, list(unique.values()), sql
            )
        )

    def _stage_and_merge(
        self,
        connection: Any,
        table: str,
        ddl: str,
        rows: Sequence[tuple[Any, ...]],
        sql: str,
        *,
        arrow_types: Sequence[Any] | None = None,
    ) -> int:
        stage = f"STAGE_{table}"
        columns = FAILED_COLUMN_NAMES if table == "FAILED_EVENTS" else RAW_COLUMN_NAMES
        cursor = connection.cursor()
        try:
            if stage in self._stages:
                # Empty first: a failed earlier attempt may have left rows behind.
                cursor.execute(f"TRUNCATE TABLE {stage}")
            else:
                cursor.execute(f"CREATE OR REPLACE TEMPORARY TABLE {stage} {ddl}")
                self._stages.add(stage)
            self._stager.stage(connection, stage, columns, rows, arrow_types=arrow_types)
            cursor.execute(sql)
            inserted = cursor.fetchone()
            return int(inserted[0]) if inserted else 0
        finally:
            cursor.close()

    def ingestion_ids(self, table: str) -> list[str]:
        if table not in RAW_TABLES:
            raise ValueError(f"not a BRONZE raw table: {table}")
        return [row[0] for row in self._query(f"SELECT INGESTION_ID FROM BRONZE.{table}")]

    def failed_ids(self) -> list[str]:
        return [row[0] for row in self._query("SELECT FAILED_ID FROM BRONZE.FAILED_EVENTS")]

    def _query(self, sql: str) -> list[tuple[Any, ...]]:
        def fetch(connection: Any) -> list[tuple[Any, ...]]:
            cursor = connection.cursor()
            try:
                cursor.execute(sql)
                return list(cursor.fetchall())
            finally:
                cursor.close()

        rows: list[tuple[Any, ...]] = self._run(fetch)
        return rows

    def _run(self, work: Callable[[Any], Any]) -> Any:
        if self._connection is None:
            self._connection = self._open()
        try:
            return work(self._connection)
        except Exception:
            # The session may be gone (server restart, expiry): reconnect on the next call.
            self.close()
            raise

    def _open(self) -> Any:
        # No DDL here: concurrent CREATE TABLEs from two connections of one in-process fakesnow
        # collide; `create_schema` runs once, before loading.
        connection = self._connect()
        with contextlib.suppress(Exception):  # BRONZE may not exist before create_schema
            _use_bronze(connection)
        return connection

    def close(self) -> None:
        connection, self._connection = self._connection, None
        self._stages.clear()
        if connection is not None:
            # Closing a broken session must not mask the error that broke it.
            with contextlib.suppress(Exception):
                connection.close()


def _use_bronze(connection: Any) -> None:
    # The temporary stage tables are created unqualified, in the current schema.
    cursor = connection.cursor()
    try:
        cursor.execute("USE SCHEMA BRONZE")
    finally:
        cursor.close()
