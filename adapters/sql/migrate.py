"""Schema evolution without data loss: create what is missing, add the columns a declaration
gained. Idempotent, so every start (and `flowguard warehouse init`) may run it.

A diff-and-ALTER rather than Alembic: the only change the declarations make is to append
nullable columns, and Alembic's reflection-driven autogenerate does not run on fakesnow. A
column is never dropped, retyped or renamed here; such a change is a manual migration
(docs/contracts.md, "Changing a table")."""

from collections.abc import Iterable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateSchema, CreateTable, ExecutableDDLElement
from sqlalchemy.sql.compiler import DDLCompiler


class SchemaEvolutionError(RuntimeError):
    """The declaration asks for a change init cannot make by itself."""


class AddColumn(ExecutableDDLElement):
    """ALTER TABLE ... ADD COLUMN, rendered from a Core `Column` by the dialect."""

    def __init__(self, table: sa.Table, column: sa.Column[object], if_not_exists: bool) -> None:
        self.table, self.column, self.if_not_exists = table, column, if_not_exists


@compiles(AddColumn)
def _add_column(element: AddColumn, compiler: DDLCompiler, **_: object) -> str:
    guard = "IF NOT EXISTS " if element.if_not_exists else ""
    table = compiler.preparer.format_table(element.table)
    column = compiler.get_column_specification(element.column)  # type: ignore[no-untyped-call]
    return f"ALTER TABLE {table} ADD COLUMN {guard}{column}"


@dataclass(frozen=True)
class Change:
    table: str
    what: str  # "created" or "added column NAME"

    def __str__(self) -> str:
        return f"{self.table}: {self.what}"


def ensure_tables(connection: sa.Connection, tables: Iterable[sa.Table]) -> list[Change]:
    """Create missing schemas and tables, add missing columns; return what was changed."""
    tables = list(tables)
    # SQLite has no IF NOT EXISTS for columns; its writers are serialised by a file lock.
    if_not_exists = connection.dialect.name != "sqlite"
    for schema in sorted({t.schema for t in tables if t.schema}):
        connection.execute(CreateSchema(schema, if_not_exists=True))
    changes = []
    inspector = sa.inspect(connection)  # one, so reflection is read once per schema
    for table in tables:
        existing = _existing_columns(inspector, table)
        if existing is None:
            connection.execute(CreateTable(table, if_not_exists=True))
            changes.append(Change(_name(table), "created"))
            continue
        for column in table.columns:
            if column.name.lower() in existing:
                continue
            if not column.nullable:
                raise SchemaEvolutionError(
                    f"{_name(table)}.{column.name}: a column added to an existing table must be "
                    "nullable (its existing rows have no value)"
                )
            connection.execute(AddColumn(table, column, if_not_exists))
            changes.append(Change(_name(table), f"added column {column.name}"))
    return changes


def _existing_columns(inspector: sa.Inspector, table: sa.Table) -> set[str] | None:
    """Lower-cased column names (Snowflake reflects names case-folded), None if no table."""
    names = {name.lower() for name in inspector.get_table_names(schema=table.schema)}
    if table.name.lower() not in names:
        return None
    return {c["name"].lower() for c in inspector.get_columns(table.name, schema=table.schema)}


def _name(table: sa.Table) -> str:
    return f"{table.schema}.{table.name}" if table.schema else table.name
