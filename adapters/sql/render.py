"""The table declaration (application/tables) rendered as SQLAlchemy Core `Table`s.

One `Table` per declaration; a dialect that needs another type for a kind (Snowflake's
TIMESTAMP_NTZ) passes an override. Comments stay in the declaration: fakesnow cannot run
COMMENT ON, so the DDL carries none."""

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect

from application.tables import Kind, SqlType, Table

TypeFactory = Callable[[SqlType], sa.types.TypeEngine[Any]]


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """An instant: TIMESTAMPTZ on PostgreSQL, ISO-8601 text elsewhere; always read in UTC."""

    impl = sa.String(40)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(sa.DateTime(timezone=True))
        return dialect.type_descriptor(sa.String(40))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"an instant needs a time zone: {value!r}")
        return value if dialect.name == "postgresql" else value.astimezone(UTC).isoformat()

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        parsed = value if isinstance(value, datetime) else datetime.fromisoformat(value)
        return parsed.astimezone(UTC) if parsed.tzinfo else parsed.replace(tzinfo=UTC)


class UuidText(sa.types.TypeDecorator[UUID]):
    """A UUID: native on PostgreSQL, its 36-character text elsewhere."""

    impl = sa.String(36)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> sa.types.TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.UUID(as_uuid=True))
        return dialect.type_descriptor(sa.String(36))

    def process_bind_param(self, value: UUID | None, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> UUID | None:
        if value is None or isinstance(value, UUID):
            return value
        return UUID(str(value))


def _decimal(t: SqlType) -> sa.types.TypeEngine[Any]:
    return sa.Numeric(t.precision, t.scale, asdecimal=True)


TYPES: Mapping[Kind, TypeFactory] = {
    Kind.TEXT: lambda t: sa.String(t.length),
    Kind.INT: lambda _: sa.Integer(),
    Kind.BIGINT: lambda _: sa.BigInteger(),
    Kind.DECIMAL: _decimal,
    Kind.DOUBLE: lambda _: sa.Double(),
    Kind.BOOLEAN: lambda _: sa.Boolean(),
    Kind.DATE: lambda _: sa.Date(),
    Kind.TIMESTAMP: lambda _: sa.DateTime(timezone=False),
    Kind.TIMESTAMP_TZ: lambda _: UtcDateTime(),
    Kind.UUID: lambda _: UuidText(),
    # SQLite auto-increments only an INTEGER PRIMARY KEY.
    Kind.SERIAL: lambda _: sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
}


def render(
    tables: Iterable[Table],
    metadata: sa.MetaData | None = None,
    overrides: Mapping[Kind, TypeFactory] | None = None,
) -> sa.MetaData:
    """A MetaData holding one Core `Table` per declaration."""
    metadata = metadata or sa.MetaData()
    types = {**TYPES, **(overrides or {})}
    for table in tables:
        _render_table(table, metadata, types)
    return metadata


def _render_table(table: Table, metadata: sa.MetaData, types: Mapping[Kind, TypeFactory]) -> None:
    columns = [
        sa.Column(
            c.name,
            types[c.type.kind](c.type),
            nullable=c.nullable,
            primary_key=c.type.kind is Kind.SERIAL,
            autoincrement=c.type.kind is Kind.SERIAL,
            doc=c.comment,
        )
        for c in table.columns
    ]
    constraints = [sa.UniqueConstraint(*table.key)] if table.enforce_key else []
    sa.Table(table.name, metadata, *columns, *constraints, schema=table.schema, comment=None)


def table_of(metadata: sa.MetaData, table: Table) -> sa.Table:
    """The Core `Table` rendered for a declaration."""
    return metadata.tables[table.qualified_name]
