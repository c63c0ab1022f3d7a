"""SILVER and GOLD DDL (docs/metrics.md), plus the batch run log and restatements; Snowflake SQL
that fakesnow also runs."""

from adapters.snowflake.schema import run_ddl

_TS = "TIMESTAMP_NTZ"
_MONEY = "NUMBER(18,2)"
_COUNT = "NUMBER(38,0)"

TABLE_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "SILVER.ORDERS_CLEAN": (
        ("ORDER_ID", "VARCHAR"), ("ORDER_DATE", "DATE"), ("USER_ID", "VARCHAR"),
        ("RESTAURANT_ID", "VARCHAR"), ("SESSION_ID", "VARCHAR"), ("RESTAURANT_NAME", "VARCHAR"),
        ("CITY", "VARCHAR"), ("CUISINE", "VARCHAR"), ("PAYMENT_METHOD", "VARCHAR"),
        ("CURRENCY", "VARCHAR"), ("TOTAL_AMOUNT", _MONEY), ("LINE_COUNT", _COUNT),
        ("ITEM_COUNT", _COUNT), ("STATUS", "VARCHAR"), ("PLACED_AT", _TS), ("CONFIRMED_AT", _TS),
        ("OUT_FOR_DELIVERY_AT", _TS), ("DELIVERED_AT", _TS), ("CANCELLED_AT", _TS),
        ("CANCEL_REASON", "VARCHAR"), ("STATUS_UPDATED_AT", _TS), ("ORDER_HOUR", "INTEGER"),
        ("IS_FIRST_ORDER", "BOOLEAN"), ("IS_VALID", "BOOLEAN"), ("INVALID_REASON", "VARCHAR"),
    ),
    "SILVER.ORDER_LINES": (
        ("ORDER_ID", "VARCHAR"), ("ORDER_DATE", "DATE"), ("LINE_NUMBER", "INTEGER"),
        ("ITEM_ID", "VARCHAR"), ("ITEM_NAME", "VARCHAR"), ("CATEGORY", "VARCHAR"),
        ("RESTAURANT_ID", "VARCHAR"), ("UNIT_PRICE", _MONEY), ("QUANTITY", _COUNT),
        ("LINE_TOTAL", _MONEY), ("IS_VALID", "BOOLEAN"),
    ),
    "SILVER.USER_FIRST_ORDERS": (
        ("USER_ID", "VARCHAR"), ("FIRST_ORDER_ID", "VARCHAR"), ("FIRST_ORDER_AT", _TS),
        ("FIRST_ORDER_DATE", "DATE"),
    ),
    "SILVER.CLICKS_CLEAN": (
        ("EVENT_ID", "VARCHAR"), ("EVENT_DATE", "DATE"), ("EVENT_TIME", _TS),
        ("RECEIVED_AT", _TS), ("INGESTED_AT", _TS), ("EVENT_HOUR", "INTEGER"),
        ("CLICK_TYPE", "VARCHAR"), ("SESSION_ID", "VARCHAR"), ("USER_ID", "VARCHAR"),
        ("ITEM_ID", "VARCHAR"), ("RESTAURANT_ID", "VARCHAR"), ("PAGE", "VARCHAR"),
        ("POSITION", "INTEGER"), ("QUANTITY", _COUNT), ("ITEM_NAME", "VARCHAR"),
        ("CATEGORY", "VARCHAR"), ("RESTAURANT_NAME", "VARCHAR"), ("CITY", "VARCHAR"),
        ("IS_VALID", "BOOLEAN"), ("INVALID_REASON", "VARCHAR"),
    ),
    "GOLD.DAILY_GMV_METRICS": (
        ("METRIC_DATE", "DATE"), ("TOTAL_ORDERS", _COUNT), ("DELIVERED_ORDERS", _COUNT),
        ("CANCELLED_ORDERS", _COUNT), ("GMV", _MONEY), ("NET_GMV", _MONEY),
        ("AVG_ORDER_VALUE", _MONEY), ("UNIQUE_CUSTOMERS", _COUNT), ("CANCELLATION_RATE", "FLOAT"),
        ("INVALID_ORDERS", _COUNT),
    ),
    "GOLD.FOOD_ITEM_PERFORMANCE": (
        ("METRIC_DATE", "DATE"), ("ITEM_ID", "VARCHAR"), ("ITEM_NAME", "VARCHAR"),
        ("CATEGORY", "VARCHAR"), ("RESTAURANT_ID", "VARCHAR"), ("IMPRESSIONS", _COUNT),
        ("CLICKS", _COUNT), ("ADD_TO_CARTS", _COUNT), ("ORDERS", _COUNT), ("QUANTITY", _COUNT),
        ("REVENUE", _MONEY), ("CTR", "FLOAT"), ("CONVERSION_RATE", "FLOAT"),
    ),
    "GOLD.USER_FUNNEL_METRICS": (
        ("METRIC_DATE", "DATE"), ("IMPRESSION_SESSIONS", _COUNT), ("CLICK_SESSIONS", _COUNT),
        ("CART_SESSIONS", _COUNT), ("CHECKOUT_SESSIONS", _COUNT), ("ORDER_SESSIONS", _COUNT),
        ("CLICK_RATE", "FLOAT"), ("CART_RATE", "FLOAT"), ("CHECKOUT_RATE", "FLOAT"),
        ("ORDER_RATE", "FLOAT"), ("OVERALL_CONVERSION", "FLOAT"), ("INVALID_CLICKS", _COUNT),
    ),
    "GOLD.HOURLY_ORDER_PATTERNS": (
        ("METRIC_DATE", "DATE"), ("ORDER_HOUR", "INTEGER"), ("TOTAL_ORDERS", _COUNT),
        ("GMV", _MONEY), ("AVG_ORDER_VALUE", _MONEY), ("UNIQUE_CUSTOMERS", _COUNT),
    ),
    "GOLD.USER_COHORT_METRICS": (
        ("METRIC_DATE", "DATE"), ("COHORT_DATE", "DATE"), ("DAYS_SINCE_FIRST_ORDER", "INTEGER"),
        ("SEGMENT", "VARCHAR"), ("COHORT_SIZE", _COUNT), ("ACTIVE_USERS", _COUNT),
        ("TOTAL_ORDERS", _COUNT), ("GMV", _MONEY), ("RETENTION_RATE", "FLOAT"),
    ),
    # One row per task run, failures included: `flowguard batch status` reads it.
    "GOLD.PIPELINE_RUNS": (
        ("RUN_ID", "VARCHAR(36)"), ("TASK", "VARCHAR"), ("TABLE_NAME", "VARCHAR"),
        ("METRIC_DATE", "DATE"), ("STARTED_AT", _TS), ("ENDED_AT", _TS),
        ("DURATION_S", "FLOAT"), ("ROWS_IN", _COUNT), ("ROWS_OUT", _COUNT),
        ("STATUS", "VARCHAR(16)"), ("ERROR", "VARCHAR"), ("FINGERPRINT", "VARCHAR"),
    ),
    # One row per changed GOLD figure when a day is rebuilt, with the input change that caused it.
    "GOLD.RESTATEMENTS": (
        ("TABLE_NAME", "VARCHAR"), ("METRIC_DATE", "DATE"), ("ROW_KEY", "VARCHAR"),
        ("COLUMN_NAME", "VARCHAR"), ("OLD_VALUE", "VARCHAR"), ("NEW_VALUE", "VARCHAR"),
        ("RESTATED_AT", _TS), ("RUN_ID", "VARCHAR(36)"), ("OLD_FINGERPRINT", "VARCHAR"),
        ("NEW_FINGERPRINT", "VARCHAR"), ("CAUSE", "VARCHAR"),
    ),
}  # fmt: skip


def _create(table: str, columns: tuple[tuple[str, str], ...]) -> str:
    body = ",\n    ".join(f"{name} {sql_type}" for name, sql_type in columns)
    return f"CREATE TABLE IF NOT EXISTS {table} (\n    {body}\n)"


GOLD_DDL = (
    "CREATE SCHEMA IF NOT EXISTS SILVER",
    "CREATE SCHEMA IF NOT EXISTS GOLD",
    *(_create(table, columns) for table, columns in TABLE_COLUMNS.items()),
)


def init_silver_gold(connection: object) -> None:
    """Create the SILVER and GOLD schemas and tables; safe to run any number of times."""
    run_ddl(connection, GOLD_DDL)
