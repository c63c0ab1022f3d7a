"""Smoke test: the real Snowflake connector runs DDL, DML and a MERGE against the warehouse
server over the wire (the fakesnow server locally)."""

from collections.abc import Iterator
from typing import Any
from uuid import uuid4

import pytest
import snowflake.connector

from adapters.snowflake.connection import SnowflakeConfig


@pytest.fixture
def warehouse(fakesnow_server: SnowflakeConfig) -> Iterator[Any]:
    # The server keeps its data across runs: a table of this test's own.
    assert fakesnow_server.host or fakesnow_server.account, "must go over the wire"
    with snowflake.connector.connect(**fakesnow_server.connect_kwargs()) as conn:
        yield conn


def test_connector_merges_a_subquery_source_into_a_table(warehouse: Any) -> None:
    table = f"SMOKE.ITEMS_{uuid4().hex[:8].upper()}"
    cursor = warehouse.cursor()
    cursor.execute("CREATE SCHEMA IF NOT EXISTS SMOKE")
    cursor.execute(f"CREATE TABLE {table} (ID INT, NAME VARCHAR, QTY INT)")
    cursor.execute(f"INSERT INTO {table} VALUES (1, 'dosa', 1), (2, 'idli', 2)")

    cursor.execute(
        f"""
        MERGE INTO {table} AS t
        USING (SELECT 2 AS ID, 'idli' AS NAME, 5 AS QTY
               UNION ALL SELECT 3, 'vada', 1) AS s
        ON t.ID = s.ID
        WHEN MATCHED THEN UPDATE SET QTY = s.QTY
        WHEN NOT MATCHED THEN INSERT (ID, NAME, QTY) VALUES (s.ID, s.NAME, s.QTY)
        """
    )
    merged = cursor.fetchone()
    cursor.execute(f"SELECT ID, NAME, QTY FROM {table} ORDER BY ID")
    rows = cursor.fetchall()
    cursor.execute(f"DROP TABLE {table}")

    assert merged == (1, 1)  # rows inserted, rows updated
    assert rows == [(1, "dosa", 1), (2, "idli", 5), (3, "vada", 1)]
