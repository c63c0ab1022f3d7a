"""The shape of a table, as plain data: what the SQL and Spark renderers read.

Nothing here knows a database. `adapters/sql` renders a `Table` for SQLAlchemy (Snowflake,
PostgreSQL, SQLite), `pipelines/transforms/schemas.py` renders it for Spark, and a docs test
checks docs/metrics.md and docs/contracts.md against it.
"""

from dataclasses import dataclass
from enum import Enum


class Kind(Enum):
    TEXT = "VARCHAR"
    INT = "INT"  # 32-bit
    BIGINT = "BIGINT"  # 64-bit; Snowflake's NUMBER(38,0)
    DECIMAL = "DECIMAL"
    DOUBLE = "DOUBLE"
    BOOLEAN = "BOOLEAN"
    DATE = "DATE"
    TIMESTAMP = "TIMESTAMP_NTZ"  # UTC wall time, no zone
    TIMESTAMP_TZ = "TIMESTAMP_TZ"  # an instant; read back in UTC
    UUID = "UUID"
    SERIAL = "SERIAL"  # a 64-bit integer the database assigns, increasing


@dataclass(frozen=True)
class SqlType:
    kind: Kind
    length: int | None = None  # TEXT
    precision: int | None = None  # DECIMAL
    scale: int | None = None  # DECIMAL

    def __str__(self) -> str:
        """The name the docs use: VARCHAR(36), DECIMAL(18,2), BIGINT, ..."""
        if self.length is not None:
            return f"{self.kind.value}({self.length})"
        if self.precision is not None:
            return f"{self.kind.value}({self.precision},{self.scale or 0})"
        return self.kind.value


def varchar(length: int | None = None) -> SqlType:
    return SqlType(Kind.TEXT, length=length)


def decimal(precision: int, scale: int) -> SqlType:
    return SqlType(Kind.DECIMAL, precision=precision, scale=scale)


VARCHAR = varchar()
INT = SqlType(Kind.INT)
BIGINT = SqlType(Kind.BIGINT)
MONEY = decimal(18, 2)
DOUBLE = SqlType(Kind.DOUBLE)
BOOLEAN = SqlType(Kind.BOOLEAN)
DATE = SqlType(Kind.DATE)
TIMESTAMP = SqlType(Kind.TIMESTAMP)
TIMESTAMP_TZ = SqlType(Kind.TIMESTAMP_TZ)
UUID = SqlType(Kind.UUID)
SERIAL = SqlType(Kind.SERIAL)


@dataclass(frozen=True)
class Column:
    name: str
    type: SqlType
    comment: str
    nullable: bool = True

    @property
    def doc_type(self) -> str:
        """The type cell of the docs' column tables, e.g. `VARCHAR(36) NOT NULL`."""
        return str(self.type) if self.nullable else f"{self.type} NOT NULL"


def column(name: str, type_: SqlType, comment: str, *, nullable: bool = True) -> Column:
    return Column(name, type_, comment, nullable)


def required(name: str, type_: SqlType, comment: str) -> Column:
    return Column(name, type_, comment, nullable=False)


@dataclass(frozen=True)
class Table:
    """One table. `key` identifies a row (the MERGE key, or the day's key columns); the
    database enforces it as UNIQUE only when `enforce_key` (Snowflake would not, and DuckDB
    under fakesnow would, so the warehouse tables leave it to the loaders)."""

    schema: str | None
    name: str
    comment: str
    columns: tuple[Column, ...]
    key: tuple[str, ...] = ()
    day_column: str | None = None
    enforce_key: bool = False

    def __post_init__(self) -> None:
        names = self.column_names
        if len(set(names)) != len(names):
            raise ValueError(f"{self.qualified_name}: a column is declared twice")
        unknown = {*self.key, *([self.day_column] if self.day_column else [])} - set(names)
        if unknown:
            raise ValueError(f"{self.qualified_name}: no columns {sorted(unknown)}")

    @property
    def qualified_name(self) -> str:
        return f"{self.schema}.{self.name}" if self.schema else self.name

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def with_columns(self, *extra: Column) -> "Table":
        """A copy with columns appended (how a table evolves: ALTER ... ADD COLUMN appends)."""
        return Table(
            self.schema, self.name, self.comment, (*self.columns, *extra), self.key,
            self.day_column, self.enforce_key,
        )  # fmt: skip
