"""Hand-built BRONZE rows and catalog frames for the transform tests."""

import itertools
import json
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql.types import (
    BooleanType,
    DateType,
    DecimalType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampNTZType,
)

DAY = date(2026, 11, 20)
NEXT_DAY = DAY + timedelta(days=1)

RESTAURANTS = [
    ("r1", "Spice Route", "Bengaluru", "north_indian"),
    ("r2", "Dosa Corner", "Chennai", "south_indian"),
]
ITEMS = [
    ("i1", "r1", "Paneer Tikka", "starter", "north_indian", True, Decimal("250.00")),
    ("i2", "r1", "Butter Naan", "bread", "north_indian", True, Decimal("40.00")),
    ("i3", "r2", "Masala Dosa", "main", "south_indian", True, Decimal("120.00")),
]

BRONZE_SCHEMA = StructType(
    [
        StructField("INGESTION_ID", StringType()),
        StructField("EVENT_TYPE", StringType()),
        StructField("AGGREGATE_ID", StringType()),
        StructField("AGGREGATE_VERSION", LongType()),
        StructField("EVENT_TIME", TimestampNTZType()),
        StructField("EVENT_DATE", DateType()),
        StructField("RECEIVED_AT", TimestampNTZType()),
        StructField("PAYLOAD", StringType()),
        StructField("INGESTED_AT", TimestampNTZType()),
    ]
)
FIRST_ORDERS_SCHEMA = (
    "USER_ID string, FIRST_ORDER_ID string, FIRST_ORDER_AT timestamp_ntz, FIRST_ORDER_DATE date"
)

_ids = itertools.count(1)


def at(hhmm: str, day: date = DAY) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime(day.year, day.month, day.day, hours, minutes)


def bronze_row(
    event_type: str,
    aggregate_id: str,
    version: int,
    event_time: datetime,
    payload: dict[str, Any] | str,
    *,
    ingestion_id: str | None = None,
    ingested_at: datetime | None = None,
) -> tuple[Any, ...]:
    text = payload if isinstance(payload, str) else json.dumps(payload)
    ingested = ingested_at or event_time + timedelta(seconds=5)
    return (
        ingestion_id or f"ev-{next(_ids)}",
        event_type,
        aggregate_id,
        version,
        event_time,
        event_time.date(),
        event_time + timedelta(seconds=1),
        text,
        ingested,
    )


def line(item_id: str, price: str, quantity: int) -> dict[str, Any]:
    total = (Decimal(price) * quantity).quantize(Decimal("0.01"))
    return {
        "item_id": item_id,
        "name": item_id,
        "unit_price": price,
        "quantity": quantity,
        "line_total": str(total),
    }


def placed(
    order_id: str, when: datetime, *, user: str = "u1", restaurant: str = "r1", **overrides: Any
) -> tuple[Any, ...]:
    lines = overrides.pop("lines", [line("i1", "250.00", 2)])
    total = overrides.pop("total_amount", None)
    payload = {
        "user_id": user,
        "restaurant_id": restaurant,
        "session_id": overrides.pop("session_id", None),
        "lines": lines,
        "total_amount": total or str(sum(Decimal(x["line_total"]) for x in lines)),
        "currency": "INR",
        "payment_method": "upi",
        "status": "placed",
        **overrides,
    }
    return bronze_row("order.placed", order_id, 1, when, payload)


def status(order_id: str, new_status: str, version: int, when: datetime, **kw: Any) -> tuple:
    payload = {"user_id": "u1", "status": new_status, "reason": kw.pop("reason", None)}
    return bronze_row(f"order.{new_status}", order_id, version, when, payload, **kw)


def click(
    click_type: str, session: str, version: int, when: datetime, item: str | None = "i1", **kw: Any
) -> tuple[Any, ...]:
    payload = {
        "session_id": session,
        "user_id": kw.pop("user", "u1"),
        "item_id": item,
        "restaurant_id": kw.pop("restaurant", "r1"),
        "page": "menu",
        "position": 1,
        **({"quantity": kw.pop("quantity")} if "quantity" in kw else {}),
    }
    return bronze_row(f"click.{click_type}", f"s-{session}", version, when, payload, **kw)


def bronze(spark: SparkSession, rows: list[tuple[Any, ...]]) -> DataFrame:
    return spark.createDataFrame(rows, BRONZE_SCHEMA)


def no_first_orders(spark: SparkSession) -> DataFrame:
    return spark.createDataFrame([], FIRST_ORDERS_SCHEMA)


def catalog_frames(
    spark: SparkSession, restaurants: list[tuple], items: list[tuple]
) -> tuple[DataFrame, DataFrame]:
    shops = spark.createDataFrame(
        restaurants, "RESTAURANT_ID string, RESTAURANT_NAME string, CITY string, CUISINE string"
    )
    item_schema = StructType(
        [
            *[StructField(c, StringType()) for c in ("ITEM_ID", "RESTAURANT_ID", "ITEM_NAME")],
            StructField("CATEGORY", StringType()),
            StructField("CUISINE", StringType()),
            StructField("IS_VEG", BooleanType()),
            StructField("PRICE", DecimalType(18, 2)),
        ]
    )
    return shops, spark.createDataFrame(items, item_schema)
