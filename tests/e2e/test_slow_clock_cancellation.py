"""A restaurant tablet with a slow clock cancels an order placed just after midnight: the API
accepts it, and the cancellation counts on the order's day, in SILVER and GOLD, in the Spark
transforms and in the independent DuckDB reference alike (docs/metrics.md, the lifecycle rule)."""

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pyarrow as pa
import pytest
from pyspark.sql import DataFrame

from pipelines.transforms import (
    Silver,
    build_gold,
    clicks_clean,
    order_events,
    order_lines,
    orders_clean,
    user_first_orders,
)
from tests.integration.hostile_support import gateway
from tests.reference.duckdb_gold import reference_gold
from tests.support.bronze_datagen import Mix, load_catalog, prior_first_orders
from tests.support.spark import local_spark

pytestmark = pytest.mark.spark

DAY = date(2026, 11, 20)  # D; the order is placed on D+1
PLACED = datetime(2026, 11, 21, 0, 2, tzinfo=UTC)
CANCELLED_BY_SLOW_CLOCK = datetime(2026, 11, 20, 23, 59, 30, tzinfo=UTC)


def test_a_cancellation_dated_before_midnight_counts_on_the_orders_day(
    tmp_path: Path, postgres_dsn: str
) -> None:
    with gateway("sqlite", "short path", tmp_path, postgres_dsn) as running:
        with httpx.Client(base_url=f"{running.url}/api/v1", timeout=30) as api:
            body = {"user_id": "tablet-user", "restaurant_id": "rst_001", "payment_method": "upi",
                    "lines": [{"item_id": "itm_0001", "quantity": 2}],
                    "occurred_at": PLACED.isoformat()}  # fmt: skip
            placed = api.post("/orders", json=body)
            assert placed.status_code == 201
            cancel = {"status": "cancelled", "reason": "kitchen closed",
                      "occurred_at": CANCELLED_BY_SLOW_CLOCK.isoformat()}  # fmt: skip
            order_id = placed.json()["order_id"]
            assert api.post(f"/orders/{order_id}/status", json=cancel).status_code == 200
            history = api.get(f"/orders/{order_id}").json()["history"]
        assert history[-1]["event_time"] >= history[0]["event_time"]
        running.to_bronze()
        tables = running.container.batch_tables()
        next_day = DAY + timedelta(days=1)
        orders = tables.bronze_window("ORDERS_RAW", next_day, next_day + timedelta(days=1))
        clicks = tables.bronze_window("CLICKS_RAW", next_day, next_day)
    assert orders.num_rows == 2  # both events on the order's day: none left on day D

    inputs = _inputs(orders, clicks)
    spark_day = _spark_gold(inputs, next_day)
    assert spark_day["orders_clean"]["STATUS"] == "cancelled"
    gmv = spark_day["DAILY_GMV_METRICS"]
    assert (gmv["TOTAL_ORDERS"], gmv["CANCELLED_ORDERS"], gmv["NET_GMV"]) == (1, 1, 0)
    reference = reference_gold(inputs, [next_day])["GOLD.DAILY_GMV_METRICS"].to_pylist()
    assert [(r["TOTAL_ORDERS"], r["CANCELLED_ORDERS"]) for r in reference] == [(1, 1)]


def _inputs(orders: pa.Table, clicks: pa.Table) -> dict[str, pa.Table]:
    catalog = load_catalog()
    return {
        "bronze_orders": orders,
        "bronze_clicks": clicks,
        "restaurants": catalog.restaurants,
        "items": catalog.items,
        "prior_first_orders": prior_first_orders(DAY, Mix(), 1).slice(0, 0),
    }


def _spark_gold(inputs: dict[str, pa.Table], day: date) -> dict[str, Any]:
    """SILVER then GOLD for `day`, as the pipeline's jobs build them."""
    spark = local_spark()
    frame: dict[str, DataFrame] = {n: spark.createDataFrame(t) for n, t in inputs.items()}
    shops, items, firsts = frame["restaurants"], frame["items"], frame["prior_first_orders"]
    events = order_events(frame["bronze_orders"], day)
    orders = orders_clean(events, shops, items, firsts, day)
    silver = Silver(
        orders_clean=orders,
        order_lines=order_lines(events, items, orders, day),
        user_first_orders=user_first_orders(orders),
        clicks_clean=clicks_clean(frame["bronze_clicks"], shops, items, day),
    )
    (order,) = orders.collect()
    (daily,) = build_gold(silver, firsts, day)["GOLD.DAILY_GMV_METRICS"].collect()
    return {"orders_clean": order.asDict(), "DAILY_GMV_METRICS": daily.asDict()}
