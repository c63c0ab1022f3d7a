"""One day's SILVER and GOLD in one call, for jobs and benchmarks that build everything at once."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from pyspark.sql import DataFrame

from pipelines.transforms.clicks import clicks_clean
from pipelines.transforms.gold_cohorts import user_cohort_metrics
from pipelines.transforms.gold_funnel import user_funnel_metrics
from pipelines.transforms.gold_items import food_item_performance
from pipelines.transforms.gold_orders import daily_gmv_metrics, hourly_order_patterns
from pipelines.transforms.orders import order_events, order_lines, orders_clean, user_first_orders


@dataclass(frozen=True)
class Silver:
    orders_clean: DataFrame
    order_lines: DataFrame
    user_first_orders: DataFrame
    clicks_clean: DataFrame


def build_silver(
    bronze_orders: DataFrame,
    bronze_clicks: DataFrame,
    restaurants: DataFrame,
    items: DataFrame,
    *,
    prior_first_orders: DataFrame,
    day: date,
) -> Silver:
    """SILVER for `day`. Callers may persist the frames: each is used by several GOLD tables."""
    events = order_events(bronze_orders, day)
    orders = orders_clean(events, restaurants, items, prior_first_orders, day)
    return Silver(
        orders_clean=orders,
        order_lines=order_lines(events, items, orders, day),
        user_first_orders=user_first_orders(orders),
        clicks_clean=clicks_clean(bronze_clicks, restaurants, items, day),
    )


def build_gold(silver: Silver, prior_first_orders: DataFrame, day: date) -> dict[str, DataFrame]:
    """Every GOLD table for `day`, keyed by table name (schemas.GOLD_TABLES)."""
    return {name: gold_table(silver, prior_first_orders, day, name) for name in _GOLD_BUILDERS}


def gold_table(silver: Silver, prior_first_orders: DataFrame, day: date, name: str) -> DataFrame:
    """One GOLD table (e.g. GOLD.DAILY_GMV_METRICS) for `day`. Builds only that table's plan:
    PySpark analyses every DataFrame as it is built, which a job writing one table need not pay
    for the other four."""
    return _GOLD_BUILDERS[name](silver, prior_first_orders, day)


_GOLD_BUILDERS: dict[str, Callable[[Silver, DataFrame, date], DataFrame]] = {
    "GOLD.DAILY_GMV_METRICS": lambda s, _, day: daily_gmv_metrics(s.orders_clean, day),
    "GOLD.FOOD_ITEM_PERFORMANCE": lambda s, _, day: food_item_performance(
        s.clicks_clean, s.order_lines, day
    ),
    "GOLD.USER_FUNNEL_METRICS": lambda s, _, day: user_funnel_metrics(
        s.clicks_clean, s.orders_clean, day
    ),
    "GOLD.HOURLY_ORDER_PATTERNS": lambda s, _, day: hourly_order_patterns(s.orders_clean, day),
    "GOLD.USER_COHORT_METRICS": lambda s, prior, day: user_cohort_metrics(
        s.orders_clean, prior.unionByName(s.user_first_orders), day
    ),
}
