"""The floor to compare the gateway with: the same rows written straight into PostgreSQL."""

import os
import time
import uuid

import psycopg

TABLE = """
CREATE TABLE IF NOT EXISTS bench_baseline (
    notification_id BIGSERIAL PRIMARY KEY,
    originator_id UUID NOT NULL,
    originator_version INTEGER NOT NULL,
    topic TEXT NOT NULL,
    state BYTEA NOT NULL,
    UNIQUE (originator_id, originator_version)
)
"""
INSERT = (
    "INSERT INTO bench_baseline (originator_id, originator_version, topic, state)"
    " VALUES (%s, %s, %s, %s)"
)
TOPIC = "domain.click_session:ClickSession.ItemClicked"


def _rows(count: int, state_bytes: int) -> list[tuple[uuid.UUID, int, str, bytes]]:
    # Shaped like the event store's rows, with a state of the same size as a click event's.
    return [(uuid.uuid4(), 1, TOPIC, os.urandom(state_bytes)) for _ in range(count)]


def commit_per_row(dsn: str, count: int, state_bytes: int = 400) -> float:
    """Rows per second with one INSERT and one COMMIT per row (one fsync each)."""
    rows = _rows(count, state_bytes)
    with psycopg.connect(dsn) as conn:
        conn.execute(TABLE)
        conn.commit()
        started = time.perf_counter()
        for row in rows:
            conn.execute(INSERT, row)
            conn.commit()
        return count / (time.perf_counter() - started)


def copy_all(dsn: str, count: int, state_bytes: int = 400) -> float:
    """Rows per second with COPY, all rows in one transaction."""
    rows = _rows(count, state_bytes)
    with psycopg.connect(dsn) as conn:
        conn.execute(TABLE)
        conn.commit()
        started = time.perf_counter()
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY bench_baseline (originator_id, originator_version, topic, state) FROM STDIN"
            ) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        conn.commit()
        return count / (time.perf_counter() - started)


def durability_settings(dsn: str) -> dict[str, str]:
    with psycopg.connect(dsn) as conn:
        return {
            name: str(conn.execute(f"SHOW {name}").fetchone()[0])  # type: ignore[index]
            for name in ("synchronous_commit", "fsync", "wal_sync_method", "commit_delay")
        }
