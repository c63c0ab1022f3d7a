"""PostgresFailedEventStore: the FailedEventStore port in a PostgreSQL table."""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from adapters.postgres.event_store import SCHEMA_LOCK_KEY
from application.errors import StoreUnavailable
from application.failed_event_codec import decode, encode
from application.results import FailedEvent

SCHEMA = """
CREATE TABLE IF NOT EXISTS flowguard_failed_events (
    seq BIGSERIAL PRIMARY KEY,
    failed_id UUID NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    payload JSONB NOT NULL,
    errors JSONB NOT NULL,
    received_at TIMESTAMPTZ NOT NULL
)
"""
COLUMNS = "failed_id, kind, payload, errors, received_at"


class PostgresFailedEventStore:
    def __init__(self, dsn: str, max_size: int = 4) -> None:
        self._pool = ConnectionPool(dsn, min_size=1, max_size=max_size, open=True, timeout=5)
        with self._connection() as conn:  # the lock lasts until this transaction commits
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK_KEY,))
            conn.execute(SCHEMA)

    def add(self, events: Sequence[FailedEvent]) -> None:
        rows = [encode(e) for e in events]
        with self._connection() as conn, conn.cursor() as cur:
            cur.executemany(
                f"INSERT INTO flowguard_failed_events ({COLUMNS}) VALUES (%s, %s, %s, %s, %s)"
                " ON CONFLICT (failed_id) DO NOTHING",
                rows,
            )

    def list(self, limit: int = 100, offset: int = 0) -> list[FailedEvent]:
        query = (
            f"SELECT {COLUMNS} FROM flowguard_failed_events ORDER BY seq DESC LIMIT %s OFFSET %s"
        )
        with self._connection() as conn:
            return [decode(row) for row in conn.execute(query, (limit, offset))]

    def count(self) -> int:
        with self._connection() as conn:
            row = conn.execute("SELECT count(*) FROM flowguard_failed_events").fetchone()
        return int(str(row[0])) if row else 0

    def close(self) -> None:
        self._pool.close()

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
        try:
            with self._pool.connection() as conn:
                yield conn
        except (psycopg.OperationalError, PoolTimeout) as error:
            raise StoreUnavailable(f"failed-events store: {error}") from error
