"""The warehouse's tables (BRONZE, SILVER, GOLD; application/tables) rendered for Snowflake,
and what the adapters build from them: the engine, the evolving init, stage tables and Arrow
schemas. The same statements run on Snowflake, a fakesnow server and fakesnow in-process."""

from collections.abc import Callable, Iterable
from typing import Any

import pyarrow as pa
import sqlalchemy as sa
from snowflake.sqlalchemy import TIMESTAMP_NTZ
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.pool import NullPool
from sqlalchemy.schema import ExecutableDDLElement
from sqlalchemy.sql.compiler import Compiled, DDLCompiler

from adapters.sql.migrate import Change, ensure_tables
from adapters.sql.render import render, table_of
from application.tables import WAREHOUSE_TABLES, Kind, SqlType, Table

SNOWFLAKE_TYPES = {Kind.TIMESTAMP: lambda _: TIMESTAMP_NTZ()}
METADATA = render(WAREHOUSE_TABLES, overrides=SNOWFLAKE_TYPES)
_BY_NAME = {t.qualified_name: t for t in WAREHOUSE_TABLES}

_ARROW: dict[Kind, Callable[[SqlType], pa.DataType]] = {
    Kind.TEXT: lambda _: pa.string(),
    Kind.INT: lambda _: pa.int32(),
    Kind.BIGINT: lambda _: pa.int64(),
    Kind.DECIMAL: lambda t: pa.decimal128(t.precision or 38, t.scale or 0),
    Kind.DOUBLE: lambda _: pa.float64(),
    Kind.BOOLEAN: lambda _: pa.bool_(),
    Kind.DATE: lambda _: pa.date32(),
    Kind.TIMESTAMP: lambda _: pa.timestamp("us"),
}


def table(declared: Table) -> sa.Table:
    return table_of(METADATA, declared)


def declared(name: str) -> Table:
    """The declaration of a warehouse table by its qualified name, e.g. `GOLD.RESTATEMENTS`."""
    if name not in _BY_NAME:
        raise ValueError(f"not a warehouse table: {name}")
    return _BY_NAME[name]


def warehouse_engine(connect: Callable[[], Any]) -> sa.Engine:
    """An engine over a DB-API connect function (Snowflake, a fakesnow server or in-process).
    AUTOCOMMIT, as the connector's sessions are: a transaction is an explicit BEGIN. No pool:
    each use connects and closes, as the adapters always have (an in-process DuckDB may be
    closed and reopened under them, and a Snowflake session may expire between uses)."""
    return sa.create_engine(
        "snowflake://",
        creator=connect,
        isolation_level="AUTOCOMMIT",
        poolclass=NullPool,
        pool_reset_on_return=None,  # autocommit: nothing to roll back when a connection closes
    )


def init_tables(connection: sa.Connection, tables: Iterable[Table]) -> list[Change]:
    """Create the schemas and tables if missing and add the columns a declaration gained."""
    rendered = render(tables, overrides=SNOWFLAKE_TYPES)
    return ensure_tables(connection, rendered.tables.values())


def stage_table(declared: Table, name: str) -> sa.Table:
    """A temporary table with `declared`'s columns, in the session's current schema."""
    columns = [sa.Column(c.name, c.type) for c in table(declared).columns]
    return sa.Table(name, sa.MetaData(), *columns, prefixes=["TEMPORARY"])


class Truncate(ExecutableDDLElement):
    """TRUNCATE TABLE: Core has no construct for it, and fakesnow empties a table faster so
    than with DELETE."""

    def __init__(self, table: sa.Table) -> None:
        self.table = table


@compiles(Truncate)
def _truncate(element: Truncate, compiler: DDLCompiler, **_: object) -> str:
    return f"TRUNCATE TABLE {compiler.preparer.format_table(element.table)}"


def arrow_schema(declared: Table) -> pa.Schema:
    return pa.schema([(c.name, _ARROW[c.type.kind](c.type)) for c in declared.columns])


def execute(
    connection: sa.Connection,
    statement: sa.ClauseElement | Compiled,
    params: dict[str, Any] | None = None,
) -> Any:
    """Run a Core statement, compiled by the dialect, on the connector's own cursor; return the
    cursor. For statements whose result nobody reads: SQLAlchemy asks every cursor for its
    description, and fakesnow answers that by running the statement's DESCRIBE, which cost the
    consumer's MERGE a fifth more CPU."""
    compiled = statement if isinstance(statement, Compiled) else statement.compile(
        dialect=connection.dialect
    )
    cursor = raw_connection(connection).cursor()
    # No parameters is None, not {}: the connector would log an empty interpolation.
    cursor.execute(compiled.string, compiled.construct_params(params) or None)
    return cursor


def raw_connection(connection: sa.Connection) -> Any:
    """The connector's own connection, for what SQLAlchemy cannot do: write_pandas and Arrow
    fetches."""
    return connection.connection.driver_connection
