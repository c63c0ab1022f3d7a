"""Smoke test: the PostgreSQL service stores a row and gives it back."""

from collections.abc import Callable

import psycopg


def test_postgres_writes_and_reads_back_a_row(fresh_postgres_database: Callable[[], str]) -> None:
    dsn = fresh_postgres_database()
    with psycopg.connect(dsn) as conn:
        conn.execute("CREATE TABLE smoke (id int PRIMARY KEY, note text NOT NULL)")
        conn.execute("INSERT INTO smoke VALUES (%s, %s)", (1, "durable"))

    # A new connection sees the committed row.
    with psycopg.connect(dsn) as conn:
        rows = conn.execute("SELECT id, note FROM smoke").fetchall()

    assert rows == [(1, "durable")]
