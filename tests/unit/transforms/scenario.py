"""One hand-built day of BRONZE rows exercising every rule, built once and collected per table."""

from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from pyspark.sql import DataFrame, Row, SparkSession

from pipelines.transforms import build_gold, build_silver
from tests.unit.transforms.rows import (
    DAY,
    FIRST_ORDERS_SCHEMA,
    NEXT_DAY,
    at,
    bronze,
    bronze_row,
    click,
    line,
    placed,
    status,
)

LATER = NEXT_DAY + timedelta(days=1)


def order_rows() -> list[tuple[Any, ...]]:
    o1_placed = placed("o-midnight", at("23:58"), session_id="full")
    return [
        # Placed 23:58, delivered 00:20 the next day; the placed event arrives twice.
        o1_placed,
        o1_placed,
        status("o-midnight", "confirmed", 2, at("23:59")),
        status("o-midnight", "out_for_delivery", 3, at("00:05", NEXT_DAY)),
        status("o-midnight", "delivered", 4, at("00:20", NEXT_DAY)),
        # Cancelled after confirmation; the confirmation was replayed under a new id.
        placed(
            "o-cancel", at("09:10"), user="u2", restaurant="r2", lines=[line("i3", "120.00", 3)]
        ),
        status("o-cancel", "confirmed", 2, at("09:12")),
        status("o-cancel", "confirmed", 2, at("09:12"), ingestion_id="replayed-confirm"),
        status("o-cancel", "cancelled", 3, at("09:30"), reason="customer_request"),
        # Its delivery event is late: it happened on D (lookahead) but was ingested two days later.
        placed("o-late", at("12:00"), user="u3"),
        status("o-late", "delivered", 2, at("12:40"), ingested_at=at("03:00", LATER)),
        # A status beyond the 1-day lookahead does not count.
        placed("o-slow", at("13:00"), user="u4", lines=[line("i2", "40.00", 1)]),
        status("o-slow", "confirmed", 2, at("13:05")),
        status("o-slow", "delivered", 3, at("00:10", LATER)),
        # A returning user whose first order is in the prior state, two orders today.
        placed("o-old-1", at("08:00"), user="u-old", lines=[line("i2", "40.00", 2)]),
        placed("o-old-2", at("18:30"), user="u-old", lines=[line("i1", "250.00", 1)]),
        # Invalid orders.
        placed("o-shop", at("10:00"), user="u5", restaurant="r-gone"),
        placed("o-foreign", at("10:01"), user="u5", restaurant="r2"),
        placed("o-qty", at("10:02"), user="u5", lines=[line("i1", "250.00", 0)]),
        placed("o-amount", at("10:03"), user="u5", total_amount="999.00"),
        placed("o-item", at("10:04"), user="u5", lines=[line("i-gone", "10.00", 1)]),
        placed("o-pay", at("10:05"), user="u5", payment_method="cheque"),
        bronze_row("order.placed", "o-garbage", 1, at("10:06"), "not json"),
        # Placed yesterday: its lifecycle event today does not make an order of today.
        status("o-yesterday", "delivered", 3, at("00:30")),
        # Placed tomorrow: belongs to tomorrow.
        placed("o-tomorrow", at("08:00", NEXT_DAY), user="u6"),
    ]


def click_rows() -> list[tuple[Any, ...]]:
    impression = click("impression", "full", 1, at("23:40"))
    return [
        impression,
        impression,  # exact duplicate
        click("click", "full", 2, at("23:41")),
        click("add_to_cart", "full", 3, at("23:42"), quantity=2),
        click("checkout_started", "full", 4, at("23:50"), item=None),
        click("impression", "browse", 1, at("11:00"), item="i2"),
        click("click", "browse", 2, at("11:01"), item="i2"),
        click("add_to_cart", "browse", 3, at("11:02"), item="i2"),
        click("remove_from_cart", "browse", 4, at("11:03"), item="i2"),
        # A late click: it happened today, reached BRONZE two days later.
        click("impression", "late", 1, at("15:00"), item="i3", restaurant="r2",
              ingested_at=at("09:00", LATER)),
        # Invalid clicks.
        click("click", "ghost", 1, at("16:00"), item="i-gone"),
        click("click", "ghost", 2, at("16:01"), item="i3"),  # i3 is r2's, the click says r1
        click("hover", "ghost", 3, at("16:02")),
        click("add_to_cart", "ghost", 4, at("16:03"), quantity=0),
        click("impression", "ghost", 5, at("16:04"), item=None),
        bronze_row("click.click", "s-bad", 1, at("16:05"), '{"item_id": "i1"}'),
        # Tomorrow's click is not today's.
        click("impression", "tomorrow", 1, at("00:01", NEXT_DAY)),
    ]  # fmt: skip


@dataclass(frozen=True)
class Built:
    tables: dict[str, list[Row]]

    def rows(self, table: str, key: str | None = None) -> Any:
        rows = self.tables[table]
        return rows if key is None else {row[key]: row for row in rows}


def build_day(spark: SparkSession, catalog: tuple[DataFrame, DataFrame]) -> Built:
    shops, items = catalog
    long_ago = DAY - timedelta(days=40)
    prior = spark.createDataFrame(
        [("u-old", "o-ancient", at("12:00", long_ago), long_ago)], FIRST_ORDERS_SCHEMA
    )
    orders, clicks = bronze(spark, order_rows()), bronze(spark, click_rows())
    silver = build_silver(orders, clicks, shops, items, prior_first_orders=prior, day=DAY)
    # Cached like a job would, so each GOLD table does not recompute SILVER from BRONZE.
    silver = replace(silver, **{name: frame.cache() for name, frame in vars(silver).items()})
    frames = {name.upper(): frame for name, frame in vars(silver).items()}
    frames.update(build_gold(silver, prior, DAY))
    return Built({name: frame.collect() for name, frame in frames.items()})
