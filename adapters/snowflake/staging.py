"""How a batch of rows reaches a temporary stage table, per kind of warehouse.

- fakesnow in-process: its own `write_pandas` (a DuckDB insert from the DataFrame), from an
  Arrow-backed DataFrame when the caller knows the column types;
- real Snowflake: the connector's `write_pandas` (PUT to the table stage, then COPY INTO);
- a fakesnow server has neither stages nor `write_pandas`: multi-row INSERTs, chunked.
"""

import functools
from collections.abc import Sequence
from typing import Any, Protocol

import sqlalchemy as sa
from snowflake.sqlalchemy import snowdialect


class Stager(Protocol):
    def stage(
        self,
        connection: Any,
        table: str,
        columns: Sequence[str],
        rows: Sequence[tuple[Any, ...]],
        arrow_types: Sequence[Any] | None = None,
    ) -> None:
        """`arrow_types` (pyarrow types, one per column) is a hint a stager may use."""
        ...


def _frame(columns: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> Any:
    import pandas as pd

    return pd.DataFrame.from_records(list(rows), columns=list(columns))


def _arrow_frame(columns: Sequence[str], rows: Sequence[tuple[Any, ...]], types: Any) -> Any:
    # Column-wise into typed Arrow arrays: several times faster than from_records, and
    # fakesnow's write_pandas then skips its per-value pass over object columns, and DuckDB
    # reads Arrow memory instead of Python objects.
    import pandas as pd
    import pyarrow as pa

    values = zip(*rows, strict=True) if rows else ([] for _ in columns)
    arrays = [pa.array(column, type) for column, type in zip(values, types, strict=True)]
    return pa.table(arrays, names=list(columns)).to_pandas(types_mapper=pd.ArrowDtype)


class FakesnowPandasStager:
    def stage(
        self,
        connection: Any,
        table: str,
        columns: Sequence[str],
        rows: Sequence[tuple[Any, ...]],
        arrow_types: Sequence[Any] | None = None,
    ) -> None:
        from fakesnow.pandas_tools import write_pandas

        if arrow_types is None:
            frame = _frame(columns, rows)
        else:
            frame = _arrow_frame(columns, rows, arrow_types)
        write_pandas(connection, frame, table)


class SnowflakePandasStager:
    def stage(
        self,
        connection: Any,
        table: str,
        columns: Sequence[str],
        rows: Sequence[tuple[Any, ...]],
        arrow_types: Sequence[Any] | None = None,
    ) -> None:
        from snowflake.connector.pandas_tools import write_pandas

        success, *_ = write_pandas(
            connection,
            _frame(columns, rows),
            table,
            quote_identifiers=False,
            use_logical_type=True,
        )
        if not success:
            raise RuntimeError(f"write_pandas into {table} reported failure")


class InsertStager:
    """The connector binds client-side and sends each chunk as one multi-row INSERT."""

    def __init__(self, chunk_size: int = 1000) -> None:
        self.chunk_size = chunk_size

    def stage(
        self,
        connection: Any,
        table: str,
        columns: Sequence[str],
        rows: Sequence[tuple[Any, ...]],
        arrow_types: Sequence[Any] | None = None,
    ) -> None:
        sql = _insert_sql(table, tuple(columns))
        cursor = connection.cursor()
        try:
            for start in range(0, len(rows), self.chunk_size):
                cursor.executemany(sql, list(rows[start : start + self.chunk_size]))
        finally:
            cursor.close()


@functools.cache
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    """INSERT with positional placeholders, rendered by the Snowflake dialect: the connector
    rewrites an executemany of it into one multi-row INSERT."""
    target = sa.table(table, *(sa.column(name) for name in columns))
    values: dict[str, Any] = {name: sa.bindparam(name) for name in columns}
    dialect = snowdialect.dialect(paramstyle="format")
    return str(sa.insert(target).values(values).compile(dialect=dialect))
