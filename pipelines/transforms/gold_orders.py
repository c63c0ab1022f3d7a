"""GOLD order figures: daily GMV and hourly ordering patterns, from SILVER.ORDERS_CLEAN."""

from datetime import date

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from pipelines.transforms.common import (
    average_money,
    conform,
    count_where,
    money_sum,
    on_days,
    rate,
)
from pipelines.transforms.schemas import DAILY_GMV_METRICS, HOURLY_ORDER_PATTERNS


def daily_gmv_metrics(orders: DataFrame, day: date) -> DataFrame:
    """GOLD.DAILY_GMV_METRICS: exactly one row for `day`, even without orders."""
    todays = orders.filter(on_days(F.col("ORDER_DATE"), day))
    valid, status = F.col("IS_VALID"), F.col("STATUS")
    amount = F.when(valid, F.col("TOTAL_AMOUNT"))
    totals = todays.agg(
        count_where(valid).alias("TOTAL_ORDERS"),
        count_where(valid & (status == "delivered")).alias("DELIVERED_ORDERS"),
        count_where(valid & (status == "cancelled")).alias("CANCELLED_ORDERS"),
        money_sum(amount).alias("GMV"),
        money_sum(F.when(status != "cancelled", amount)).alias("NET_GMV"),
        F.countDistinct(F.when(valid, F.col("USER_ID"))).alias("UNIQUE_CUSTOMERS"),
        count_where(~valid).alias("INVALID_ORDERS"),
    )
    return conform(
        totals.withColumns(
            {
                "METRIC_DATE": F.lit(day),
                "AVG_ORDER_VALUE": average_money(F.col("GMV"), F.col("TOTAL_ORDERS")),
                "CANCELLATION_RATE": rate(F.col("CANCELLED_ORDERS"), F.col("TOTAL_ORDERS")),
            }
        ),
        DAILY_GMV_METRICS,
    )


def hourly_order_patterns(orders: DataFrame, day: date) -> DataFrame:
    """GOLD.HOURLY_ORDER_PATTERNS: one row per hour of `day` with valid orders."""
    valid = orders.filter(on_days(F.col("ORDER_DATE"), day) & F.col("IS_VALID"))
    # ORDER_DATE is the day: grouped by, it gives METRIC_DATE without a date literal.
    hours = valid.groupBy("ORDER_DATE", "ORDER_HOUR").agg(
        F.count("*").alias("TOTAL_ORDERS"),
        money_sum(F.col("TOTAL_AMOUNT")).alias("GMV"),
        F.countDistinct("USER_ID").alias("UNIQUE_CUSTOMERS"),
    )
    return conform(
        hours.withColumns(
            {
                "METRIC_DATE": F.col("ORDER_DATE"),
                "AVG_ORDER_VALUE": average_money(F.col("GMV"), F.col("TOTAL_ORDERS")),
            }
        ),
        HOURLY_ORDER_PATTERNS,
    )
