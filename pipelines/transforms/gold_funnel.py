"""GOLD funnel: sessions reaching impression, click, cart, checkout and order on the day."""

from datetime import date

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from pipelines.transforms.common import conform, count_where, on_days, rate
from pipelines.transforms.schemas import USER_FUNNEL_METRICS

# Stage depth: a session reaches every stage up to the deepest one it shows (docs/metrics.md).
_DEPTH = {"impression": 1, "click": 2, "add_to_cart": 3, "checkout_started": 4}
_ORDER_DEPTH = 5
_STAGES = ("IMPRESSION", "CLICK", "CART", "CHECKOUT", "ORDER")


def user_funnel_metrics(clicks: DataFrame, orders: DataFrame, day: date) -> DataFrame:
    """GOLD.USER_FUNNEL_METRICS from SILVER.CLICKS_CLEAN and SILVER.ORDERS_CLEAN: one row."""
    todays_clicks = clicks.filter(on_days(F.col("EVENT_DATE"), day))
    depth = F.lit(None).cast("int")
    for click_type, level in _DEPTH.items():
        depth = F.when(F.col("CLICK_TYPE") == click_type, F.lit(level)).otherwise(depth)
    click_steps = todays_clicks.filter(F.col("IS_VALID")).select("SESSION_ID", depth.alias("D"))
    order_steps = orders.filter(
        on_days(F.col("ORDER_DATE"), day) & F.col("IS_VALID") & F.col("SESSION_ID").isNotNull()
    ).select("SESSION_ID", F.lit(_ORDER_DEPTH).alias("D"))
    deepest = (
        click_steps.unionByName(order_steps)
        .filter(F.col("D").isNotNull())
        .groupBy("SESSION_ID")
        .agg(F.max("D").alias("D"))
    )
    reached = deepest.agg(
        *[count_where(F.col("D") >= level).alias(f"{stage}_SESSIONS")
          for level, stage in enumerate(_STAGES, start=1)]
    )  # fmt: skip
    invalid = todays_clicks.agg(count_where(~F.col("IS_VALID")).alias("INVALID_CLICKS"))
    return conform(_with_rates(reached.crossJoin(invalid), day), USER_FUNNEL_METRICS)


def _with_rates(counts: DataFrame, day: date) -> DataFrame:
    sessions = [F.col(f"{stage}_SESSIONS") for stage in _STAGES]
    return counts.withColumns(
        {
            "METRIC_DATE": F.lit(day),
            "CLICK_RATE": rate(sessions[1], sessions[0]),
            "CART_RATE": rate(sessions[2], sessions[1]),
            "CHECKOUT_RATE": rate(sessions[3], sessions[2]),
            "ORDER_RATE": rate(sessions[4], sessions[3]),
            "OVERALL_CONVERSION": rate(sessions[4], sessions[0]),
        }
    )
