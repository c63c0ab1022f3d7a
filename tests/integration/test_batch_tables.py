"""The batch tables adapter on fakesnow, in-process and over the wire through the real
Snowflake connector: BRONZE windows, and a day replaced idempotently and atomically."""

import dataclasses
import uuid
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from adapters.snowflake.connection import EmbeddedFakesnow, SnowflakeConfig, connect_snowflake
from adapters.snowflake.schema import table
from adapters.snowflake.staging import FakesnowPandasStager, InsertStager
from adapters.snowflake.tables import SnowflakeTables
from application.tables import ORDERS_RAW
from pipelines.jobs.tables import DayRows

D = date(2026, 11, 20)
HOURLY = ("METRIC_DATE", "ORDER_HOUR", "TOTAL_ORDERS", "GMV", "AVG_ORDER_VALUE", "UNIQUE_CUSTOMERS")


def _hours(day: date, orders: int) -> DayRows:
    rows = [
        dict(zip(HOURLY, (day, h, orders, Decimal("10.50"), None, 1), strict=True))
        for h in range(3)
    ]
    return DayRows("GOLD.HOURLY_ORDER_PATTERNS", "METRIC_DATE", HOURLY, rows)


@pytest.fixture(params=["embedded", "server"])
def tables(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[SnowflakeTables]:
    if request.param == "embedded":
        yield SnowflakeTables(EmbeddedFakesnow(tmp_path / "fs").connect, FakesnowPandasStager())
        return
    server: SnowflakeConfig = request.getfixturevalue("fakesnow_server")
    config = dataclasses.replace(server, database=f"T{uuid.uuid4().hex[:10].upper()}")
    yield SnowflakeTables(lambda: connect_snowflake(config), InsertStager())


def _insert_bronze(tables: SnowflakeTables, rows: list[dict[str, Any]]) -> None:
    with tables._connection() as connection:
        connection.execute(sa.insert(table(ORDERS_RAW)), rows)


def _bronze_row(event_date: date, ingested_at: datetime) -> dict[str, Any]:
    at = datetime.combine(event_date, datetime.min.time())
    return {
        "INGESTION_ID": str(uuid.uuid4()), "EVENT_TYPE": "order.placed", "AGGREGATE_ID": "o",
        "AGGREGATE_VERSION": 1, "EVENT_TIME": at, "EVENT_DATE": event_date, "RECEIVED_AT": at,
        "SCHEMA_VERSION": 1, "PAYLOAD": "{}", "SOURCE_TOPIC": "t", "SOURCE_PARTITION": 0,
        "SOURCE_OFFSET": 0, "INGESTED_AT": ingested_at, "CLIENT_EVENT_ID": None,
    }  # fmt: skip


def test_a_bronze_window_and_its_fingerprint_cover_the_event_dates_asked(
    tables: SnowflakeTables,
) -> None:
    tables.init_schema()
    newest = datetime(2026, 11, 21, 3, 0)
    rows = [_bronze_row(D, datetime(2026, 11, 20, 1)), _bronze_row(date(2026, 11, 21), newest),
            _bronze_row(date(2026, 11, 22), datetime(2026, 11, 22, 1))]  # fmt: skip
    _insert_bronze(tables, rows)

    window = tables.bronze_window("ORDERS_RAW", D, date(2026, 11, 21))
    stats = tables.bronze_stats("ORDERS_RAW", D, date(2026, 11, 21))

    assert window.num_rows == 2
    assert window.column_names == list(ORDERS_RAW.column_names)
    assert (stats.rows, stats.max_ingested_at) == (2, newest)
    assert tables.bronze_window("CLICKS_RAW", D, D).num_rows == 0


def test_publishing_a_day_twice_replaces_it_and_leaves_other_days_alone(
    tables: SnowflakeTables,
) -> None:
    tables.publish(date(2026, 11, 19), [_hours(date(2026, 11, 19), 7)], [])
    tables.publish(D, [_hours(D, 1)], [])
    tables.publish(D, [_hours(D, 2)], [])

    rows = tables.read_rows("GOLD.HOURLY_ORDER_PATTERNS", "METRIC_DATE", D, D)
    assert sorted((r["ORDER_HOUR"], r["TOTAL_ORDERS"], r["GMV"]) for r in rows) == [
        (0, 2, Decimal("10.50")), (1, 2, Decimal("10.50")), (2, 2, Decimal("10.50"))
    ]  # fmt: skip
    assert (
        len(
            tables.read_rows(
                "GOLD.HOURLY_ORDER_PATTERNS", "METRIC_DATE", date(2026, 11, 19), date(2026, 11, 19)
            )
        )
        == 3
    )


def test_a_publish_failing_inside_its_transaction_keeps_the_previous_rows(
    tables: SnowflakeTables,
) -> None:
    tables.publish(D, [_hours(D, 1)], [])
    broken = DayRows(
        "GOLD.RESTATEMENTS", "METRIC_DATE", ("NO_SUCH_COLUMN",), [{"NO_SUCH_COLUMN": 1}]
    )

    with pytest.raises(ValueError, match="NO_SUCH_COLUMN"):
        tables.publish(D, [_hours(D, 9)], [broken])

    rows = tables.read_rows("GOLD.HOURLY_ORDER_PATTERNS", "METRIC_DATE", D, D)
    assert {r["TOTAL_ORDERS"] for r in rows} == {1}
    assert len(rows) == 3
