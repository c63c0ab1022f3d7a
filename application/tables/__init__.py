"""Every table FlowGuard owns, declared once: BRONZE, SILVER, GOLD, the batch layer's records
and the gateway's failed events. SQLAlchemy (adapters/sql, adapters/snowflake) and Spark
(pipelines/transforms/schemas.py) render these; docs/metrics.md and docs/contracts.md are
checked against them.

It lives in `application` because this is the one layer below both readers: adapters and the
transforms may import it, and neither may import the other. It is plain data, like the ports
and the envelope beside it: no database or Spark import."""

from application.tables.bronze import BRONZE_TABLES, CLICKS_RAW, FAILED_EVENTS, ORDERS_RAW
from application.tables.declaration import Column, Kind, SqlType, Table
from application.tables.gateway import GATEWAY_FAILED_EVENTS
from application.tables.gold import (
    DAILY_GMV_METRICS,
    FOOD_ITEM_PERFORMANCE,
    GOLD_TABLES,
    HOURLY_ORDER_PATTERNS,
    PIPELINE_RUNS,
    RESTATEMENTS,
    USER_COHORT_METRICS,
    USER_FUNNEL_METRICS,
)
from application.tables.silver import (
    CLICKS_CLEAN,
    ORDER_LINES,
    ORDERS_CLEAN,
    SILVER_TABLES,
    USER_FIRST_ORDERS,
)

# Every warehouse table, in creation order.
WAREHOUSE_TABLES: tuple[Table, ...] = (
    *BRONZE_TABLES,
    *SILVER_TABLES,
    *GOLD_TABLES,
    PIPELINE_RUNS,
    RESTATEMENTS,
)
ALL_TABLES: tuple[Table, ...] = (*WAREHOUSE_TABLES, GATEWAY_FAILED_EVENTS)

__all__ = [
    "ALL_TABLES",
    "BRONZE_TABLES",
    "CLICKS_CLEAN",
    "CLICKS_RAW",
    "DAILY_GMV_METRICS",
    "FAILED_EVENTS",
    "FOOD_ITEM_PERFORMANCE",
    "GATEWAY_FAILED_EVENTS",
    "GOLD_TABLES",
    "HOURLY_ORDER_PATTERNS",
    "ORDERS_CLEAN",
    "ORDERS_RAW",
    "ORDER_LINES",
    "PIPELINE_RUNS",
    "RESTATEMENTS",
    "SILVER_TABLES",
    "USER_COHORT_METRICS",
    "USER_FIRST_ORDERS",
    "USER_FUNNEL_METRICS",
    "WAREHOUSE_TABLES",
    "Column",
    "Kind",
    "SqlType",
    "Table",
]
