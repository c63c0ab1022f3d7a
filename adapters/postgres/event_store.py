"""The production event store: eventsourcing's PostgreSQL recorders, configured from a DSN."""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg.conninfo import conninfo_to_dict


def postgres_event_store_env(dsn: str, pool_size: int = 8, schema: str = "") -> dict[str, str]:
    """eventsourcing reads POSTGRES_* settings, not a DSN: split it."""
    parts = conninfo_to_dict(dsn)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        # eventsourcing's recorder with a binary, clash-aware insert (see recorder.py).
        "APPLICATION_RECORDER_TOPIC": "adapters.postgres.recorder:FlowGuardPostgresRecorder",
        "POSTGRES_DBNAME": str(parts.get("dbname", "")),
        "POSTGRES_HOST": str(parts.get("host", "localhost")),
        "POSTGRES_PORT": str(parts.get("port", "5432")),
        "POSTGRES_USER": str(parts.get("user", "")),
        "POSTGRES_PASSWORD": str(parts.get("password", "")),
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": str(pool_size),
        # How long a call waits for a pooled connection: with the server down, how long until
        # a request hears 503 (adapters/postgres/recorder.py fails fast after that).
        "POSTGRES_CONNECT_TIMEOUT": "3",
        # Fail a write that waits this long for the table lock: 503 beats a hung request.
        "POSTGRES_LOCK_TIMEOUT": "5",
        "POSTGRES_PRE_PING": "y",
    }
    if schema:
        env["POSTGRES_SCHEMA"] = schema
    return env


# Any fixed bigint: the key every FlowGuard process takes while it creates tables.
SCHEMA_LOCK_KEY = 0x466C6F7747756172


@contextmanager
def schema_lock(dsn: str) -> Iterator[None]:
    """One schema creator at a time per database.

    Concurrent `CREATE TABLE IF NOT EXISTS` of a new table is not safe in PostgreSQL: the
    loser fails on pg_type's unique index. The gateway, relay and consumer start together.
    """
    with psycopg.connect(dsn, autocommit=True, connect_timeout=10) as connection:
        connection.execute("SELECT pg_advisory_lock(%s)", (SCHEMA_LOCK_KEY,))
        try:
            yield
        finally:
            connection.execute("SELECT pg_advisory_unlock(%s)", (SCHEMA_LOCK_KEY,))
