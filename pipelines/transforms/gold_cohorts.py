"""GOLD cohorts: active users, orders, GMV and retention per first-order cohort and segment."""

from datetime import date

from pyspark.sql import Column, DataFrame
from pyspark.sql import functions as F

from pipelines.transforms.common import conform, money_sum, on_days, rate, up_to
from pipelines.transforms.schemas import USER_COHORT_METRICS

RETURNING_FROM_DAY, LOYAL_FROM_DAY = 1, 30


def user_cohort_metrics(orders: DataFrame, first_orders: DataFrame, day: date) -> DataFrame:
    """GOLD.USER_COHORT_METRICS from SILVER.ORDERS_CLEAN and SILVER.USER_FIRST_ORDERS (rows up to
    and including `day`; later rows are ignored; a user's rows reduce to the earliest)."""
    cohorts = (
        first_orders.filter(up_to(F.col("FIRST_ORDER_DATE"), day))
        .groupBy("USER_ID")
        .agg(F.min("FIRST_ORDER_DATE").alias("COHORT_DATE"))
    )
    sizes = cohorts.groupBy("COHORT_DATE").agg(F.count("*").alias("COHORT_SIZE"))
    valid = orders.filter(on_days(F.col("ORDER_DATE"), day) & F.col("IS_VALID"))
    activity = (
        valid.join(cohorts, on="USER_ID", how="inner")
        # ORDER_DATE is the day: grouped by, it gives METRIC_DATE without a date literal.
        .groupBy("ORDER_DATE", "COHORT_DATE")
        .agg(
            F.countDistinct("USER_ID").alias("ACTIVE_USERS"),
            F.count("*").alias("TOTAL_ORDERS"),
            money_sum(F.col("TOTAL_AMOUNT")).alias("GMV"),
        )
    )
    age = F.datediff(F.col("ORDER_DATE"), F.col("COHORT_DATE"))
    return conform(
        activity.join(sizes, on="COHORT_DATE", how="inner").withColumns(
            {
                "METRIC_DATE": F.col("ORDER_DATE"),
                "DAYS_SINCE_FIRST_ORDER": age,
                "SEGMENT": _segment(age),
                "RETENTION_RATE": rate(F.col("ACTIVE_USERS"), F.col("COHORT_SIZE")),
            }
        ),
        USER_COHORT_METRICS,
    )


def _segment(age: Column) -> Column:
    return (
        F.when(age < RETURNING_FROM_DAY, "new")
        .when(age < LOYAL_FROM_DAY, "returning")
        .otherwise("loyal")
    )
