"""SqlFailedEventStore: the FailedEventStore port over SQLAlchemy, on SQLite or PostgreSQL.

The table is rendered from application/tables/gateway.py; `add` is one insert-or-ignore on
failed_id, so a retried add stores nothing twice."""

from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path
from typing import Any

import psycopg
import sqlalchemy as sa
from sqlalchemy import exc
from sqlalchemy.dialects import postgresql, sqlite

from adapters.sql.migrate import ensure_tables
from adapters.sql.render import render, table_of
from application.errors import StoreUnavailable
from application.failed_event_codec import StoredFailedEvent, decode, encode
from application.results import FailedEvent
from application.tables import GATEWAY_FAILED_EVENTS

METADATA = render([GATEWAY_FAILED_EVENTS])
TABLE = table_of(METADATA, GATEWAY_FAILED_EVENTS)
_ROW = [TABLE.c[name] for name in ("failed_id", "kind", "payload", "errors", "received_at")]
SchemaGuard = Callable[[], AbstractContextManager[object]]


def sqlite_engine(path: Path | str) -> sa.Engine:
    """An engine on an SQLite file, in WAL mode (readers never wait for the writer)."""
    if str(path) != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(f"sqlite:///{path}")
    sa.event.listen(engine, "connect", _sqlite_wal)
    return engine


def postgres_engine(dsn: str, pool_size: int = 4) -> sa.Engine:
    """An engine on PostgreSQL through psycopg 3, from a libpq DSN (URL or key=value)."""
    return sa.create_engine(
        "postgresql+psycopg://",
        creator=lambda: psycopg.connect(dsn, connect_timeout=10),
        pool_size=pool_size,
        max_overflow=0,
        pool_timeout=5,
        pool_pre_ping=True,
    )


class SqlFailedEventStore:
    def __init__(self, engine: sa.Engine, schema_guard: SchemaGuard = nullcontext) -> None:
        self._engine = engine
        with schema_guard(), self._unavailable_on_error(), self._engine.begin() as connection:
            _upgrade_legacy(connection)
            ensure_tables(connection, [TABLE])

    def add(self, events: Sequence[FailedEvent]) -> None:
        rows = [vars(encode(e)) for e in events]  # all encoded before anything is written
        if not rows:
            return
        with self._unavailable_on_error(), self._engine.begin() as connection:
            connection.execute(_insert_or_ignore(connection.dialect.name), rows)

    def list(self, limit: int = 100, offset: int = 0) -> list[FailedEvent]:
        query = sa.select(*_ROW).order_by(TABLE.c.seq.desc()).limit(limit).offset(offset)
        with self._unavailable_on_error(), self._engine.connect() as connection:
            rows = connection.execute(query).all()
        return [decode(StoredFailedEvent(*row)) for row in rows]

    def count(self) -> int:
        query = sa.select(sa.func.count()).select_from(TABLE)
        with self._unavailable_on_error(), self._engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _unavailable_on_error(self) -> Iterator[None]:
        try:
            yield
        except (exc.OperationalError, exc.InterfaceError, exc.TimeoutError) as error:
            # Down, locked, disk full, pool exhausted: the caller may retry.
            raise StoreUnavailable(f"failed-events store: {error}") from error


def _sqlite_wal(dbapi_connection: Any, _: object) -> None:
    dbapi_connection.execute("PRAGMA journal_mode=WAL")


def _insert_or_ignore(dialect: str) -> sa.Insert:
    # One hand-written choice per dialect: Core has no dialect-neutral insert-or-ignore.
    insert = postgresql.insert(TABLE) if dialect == "postgresql" else sqlite.insert(TABLE)
    return insert.on_conflict_do_nothing(index_elements=[TABLE.c.failed_id])


def _upgrade_legacy(connection: sa.Connection) -> None:
    """Tables the hand-written adapters made: SQLite's was named `failed_events`; PostgreSQL's
    held payload and errors as jsonb, which cannot hold U+0000. Kept rows stay readable."""
    inspector = sa.inspect(connection)
    if connection.dialect.name == "sqlite":
        if inspector.has_table("failed_events") and not inspector.has_table(TABLE.name):
            connection.execute(sa.text(f"ALTER TABLE failed_events RENAME TO {TABLE.name}"))
    elif inspector.has_table(TABLE.name):
        jsonb = [c["name"] for c in inspector.get_columns(TABLE.name)
                 if isinstance(c["type"], postgresql.JSONB)]  # fmt: skip
        for name in map(connection.dialect.identifier_preparer.quote, jsonb):
            retype = f"ALTER COLUMN {name} TYPE TEXT USING {name}::text"
            connection.execute(sa.text(f"ALTER TABLE {TABLE.name} {retype}"))
