"""Pure PySpark transforms BRONZE -> SILVER -> GOLD: DataFrame in, DataFrame out, no session/I/O.

Every figure is defined in docs/metrics.md; output schemas, day columns and keys are in `schemas`.
Inputs: BRONZE.ORDERS_RAW / CLICKS_RAW rows (docs/contracts.md), catalog frames with
`schemas.RESTAURANT_COLUMNS` / `schemas.ITEM_COLUMNS`, and the SILVER.USER_FIRST_ORDERS rows of
earlier days. The Spark session must use the UTC time zone.

Per day D (orders need BRONZE EVENT_DATE in [D, D + LOOKAHEAD_DAYS], clicks only D):

    events = order_events(bronze_orders, D)
    orders = orders_clean(events, restaurants, items, prior_first_orders, D)
    lines = order_lines(events, items, orders, D)
    firsts = user_first_orders(orders)                    # SILVER.USER_FIRST_ORDERS rows of D
    clicks = clicks_clean(bronze_clicks, restaurants, items, D)
    daily_gmv_metrics(orders, D); hourly_order_patterns(orders, D)
    food_item_performance(clicks, lines, D); user_funnel_metrics(clicks, orders, D)
    user_cohort_metrics(orders, prior_first_orders.unionByName(firsts), D)
"""

from pipelines.transforms.build import Silver, build_gold, build_silver
from pipelines.transforms.clicks import clicks_clean
from pipelines.transforms.gold_cohorts import user_cohort_metrics
from pipelines.transforms.gold_funnel import user_funnel_metrics
from pipelines.transforms.gold_items import food_item_performance
from pipelines.transforms.gold_orders import daily_gmv_metrics, hourly_order_patterns
from pipelines.transforms.orders import order_events, order_lines, orders_clean, user_first_orders
from pipelines.transforms.schemas import GOLD_TABLES, LOOKAHEAD_DAYS, SILVER_TABLES, TableSpec

__all__ = [
    "GOLD_TABLES",
    "LOOKAHEAD_DAYS",
    "SILVER_TABLES",
    "Silver",
    "TableSpec",
    "build_gold",
    "build_silver",
    "clicks_clean",
    "daily_gmv_metrics",
    "food_item_performance",
    "hourly_order_patterns",
    "order_events",
    "order_lines",
    "orders_clean",
    "user_cohort_metrics",
    "user_first_orders",
    "user_funnel_metrics",
]
