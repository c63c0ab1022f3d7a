"""Shared pieces of the batch integration tests: one Spark session, a throwaway warehouse and
lake per test, and a small hand-built BRONZE day whose GOLD figures are known."""

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import sqlalchemy as sa
from dependency_injector import providers
from pyspark.sql import SparkSession

from adapters.snowflake.connection import EmbeddedFakesnow
from adapters.snowflake.schema import init_tables, table, warehouse_engine
from adapters.spark.session import SparkConfig, build_session
from application.tables import BRONZE_TABLES, CLICKS_RAW, ORDERS_RAW
from entrypoints.bootstrap import Container, create_container
from entrypoints.settings import Settings
from pipelines.tasks import context

RAW = {"ORDERS_RAW": ORDERS_RAW, "CLICKS_RAW": CLICKS_RAW}
SPARK_TEST_OPTIONS = {"spark.sql.codegen.wholeStage": "false"}
GOLD_TABLES = (
    ("GOLD.DAILY_GMV_METRICS", "METRIC_DATE"),
    ("GOLD.FOOD_ITEM_PERFORMANCE", "METRIC_DATE, ITEM_ID"),
    ("GOLD.USER_FUNNEL_METRICS", "METRIC_DATE"),
    ("GOLD.HOURLY_ORDER_PATTERNS", "METRIC_DATE, ORDER_HOUR"),
    ("GOLD.USER_COHORT_METRICS", "METRIC_DATE, COHORT_DATE"),
)


def subprocess_spark_env() -> dict[str, str]:
    """SPARK_TEST_OPTIONS for the Spark session of a process a test starts: PySpark's launcher
    reads PYSPARK_SUBMIT_ARGS, which must end with `pyspark-shell`."""
    confs = " ".join(f"--conf {key}={value}" for key, value in SPARK_TEST_OPTIONS.items())
    return {"PYSPARK_SUBMIT_ARGS": f"{confs} pyspark-shell"}


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    session = build_session(SparkConfig("local[2]", 1, options=SPARK_TEST_OPTIONS))
    yield session
    session.stop()


def batch_settings(root: Path) -> Settings:
    # The embedded warehouse, whatever services.env says: each test owns its DuckDB files.
    return Settings(
        FLOWGUARD_WAREHOUSE="fakesnow",
        FLOWGUARD_DATA_DIR=root / "data",
        FAKESNOW_DB_PATH=root / "fakesnow",
    )


@dataclass
class Batch:
    """A container on a temporary warehouse and lake, installed for the Luigi tasks."""

    container: Container

    def sql(self, statement: str, params: Any = None) -> list[tuple[Any, ...]]:
        connection = self.container.warehouse_connect()()
        cursor = connection.cursor()
        try:
            cursor.execute(statement, params)
            return list(cursor.fetchall()) if cursor.description else []
        finally:
            connection.close()

    def insert_bronze(self, table_name: str, rows: list[dict[str, Any]]) -> None:
        engine = warehouse_engine(self.container.warehouse_connect())
        with engine.connect() as connection:
            init_tables(connection, BRONZE_TABLES)
            connection.execute(sa.insert(table(RAW[table_name])).values(rows))
        engine.dispose()

    def insert_arrow(self, table: str, rows: pa.Table, chunk: int = 500) -> None:
        for start in range(0, rows.num_rows, chunk):
            self.insert_bronze(table, rows.slice(start, chunk).to_pylist())

    def gold(self, day: date) -> dict[str, list[tuple[Any, ...]]]:
        return {
            table: self.sql(
                f"SELECT * FROM {table} WHERE METRIC_DATE = %s ORDER BY {order}", (day,)
            )
            for table, order in GOLD_TABLES
        }

    def release_warehouse(self) -> None:
        """Close the in-process DuckDB so another process may open the same files."""
        path = self.container.settings().fakesnow_path.resolve()
        instance = EmbeddedFakesnow._instances.pop(path, None)
        if instance is not None:
            instance.duck_conn.close()


def make_batch(root: Path, spark: SparkSession) -> Batch:
    container = create_container(batch_settings(root))
    container.spark.override(providers.Object(spark))
    context.use_container(container)
    return Batch(container)


# --- a hand-built day ---------------------------------------------------------------------


def event(
    etype: str, aggregate: str, version: int, at: datetime, payload: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    return {
        "INGESTION_ID": str(uuid.uuid4()),
        "EVENT_TYPE": etype,
        "AGGREGATE_ID": aggregate,
        "AGGREGATE_VERSION": version,
        "EVENT_TIME": at,
        "EVENT_DATE": at.date(),
        "RECEIVED_AT": at,
        "SCHEMA_VERSION": 1,
        "PAYLOAD": json.dumps(payload),
        "SOURCE_TOPIC": "test",
        "SOURCE_PARTITION": 0,
        "SOURCE_OFFSET": 0,
        "INGESTED_AT": extra.get("ingested_at", at + timedelta(seconds=1)),
    }


def placed(order: str, user: str, at: datetime, quantity: int = 2) -> dict[str, Any]:
    line = {"item_id": "itm_0001", "name": "Paneer Butter Masala", "unit_price": "268.00"}
    total = f"{268 * quantity}.00"
    payload = {
        "user_id": user, "restaurant_id": "rst_001", "session_id": f"s-{user}",
        "lines": [{**line, "quantity": quantity, "line_total": total}], "total_amount": total,
        "currency": "INR", "payment_method": "upi", "status": "placed",
    }  # fmt: skip
    return event("order.placed", order, 1, at, payload)


def status(
    order: str, user: str, version: int, new_status: str, at: datetime, **extra: Any
) -> dict[str, Any]:
    payload = {"user_id": user, "status": new_status, "reason": None}
    return event(f"order.{new_status}", order, version, at, payload, **extra)


def click(session: str, version: int, kind: str, at: datetime) -> dict[str, Any]:
    payload = {
        "session_id": session, "user_id": session.removeprefix("s-"), "item_id": "itm_0001",
        "restaurant_id": "rst_001", "page": "menu", "position": 1,
    }  # fmt: skip
    return event(
        f"click.{kind}", str(uuid.uuid5(uuid.NAMESPACE_URL, session)), version, at, payload
    )


def seed_day(batch: Batch, day: date) -> None:
    """Three orders (one delivered after midnight, one cancelled after confirmation) and a
    two-session funnel: GOLD has 3 orders, 2 delivered, 1 cancelled, GMV 3 x 536.00."""
    at = lambda hour, minute=0: datetime.combine(day, time(hour, minute))  # noqa: E731
    next_day = datetime.combine(day + timedelta(days=1), time(0, 20))
    orders = [
        placed("o1", "u1", at(10)), status("o1", "u1", 2, "confirmed", at(10, 5)),
        status("o1", "u1", 3, "delivered", at(10, 40)),
        placed("o2", "u2", at(23, 58)), status("o2", "u2", 2, "delivered", next_day),
        placed("o3", "u3", at(12)), status("o3", "u3", 2, "confirmed", at(12, 2)),
        status("o3", "u3", 3, "cancelled", at(12, 9)),
    ]  # fmt: skip
    kinds = ("impression", "click", "add_to_cart", "checkout_started")
    clicks = [click("s-u1", n + 1, kind, at(9, n)) for n, kind in enumerate(kinds)]
    clicks.append(click("s-u9", 1, "impression", at(11)))
    batch.insert_bronze("ORDERS_RAW", orders)
    batch.insert_bronze("CLICKS_RAW", clicks)


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
