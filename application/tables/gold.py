"""GOLD: the business figures per day (docs/metrics.md), and the batch layer's own records
(docs/contracts.md): the run log and the restatements."""

from application.tables.declaration import (
    BIGINT,
    DATE,
    DOUBLE,
    INT,
    MONEY,
    TIMESTAMP,
    VARCHAR,
    Table,
    column,
    varchar,
)

_DAY = column("METRIC_DATE", DATE, "the day (day key)")

DAILY_GMV_METRICS = Table(
    "GOLD",
    "DAILY_GMV_METRICS",
    "One row per METRIC_DATE, always present.",
    (
        _DAY,
        column("TOTAL_ORDERS", BIGINT, "valid orders"),
        column("DELIVERED_ORDERS", BIGINT, "valid orders delivered"),
        column("CANCELLED_ORDERS", BIGINT, "valid orders cancelled"),
        column("GMV", MONEY, "sum of TOTAL_AMOUNT, cancelled orders included"),
        column("NET_GMV", MONEY, "sum of TOTAL_AMOUNT of orders not cancelled"),
        column("AVG_ORDER_VALUE", MONEY, "GMV / TOTAL_ORDERS"),
        column("UNIQUE_CUSTOMERS", BIGINT, "distinct USER_ID"),
        column("CANCELLATION_RATE", DOUBLE, "CANCELLED_ORDERS / TOTAL_ORDERS"),
        column("INVALID_ORDERS", BIGINT, "invalid SILVER orders of the day"),
    ),
    key=("METRIC_DATE",),
    day_column="METRIC_DATE",
)

FOOD_ITEM_PERFORMANCE = Table(
    "GOLD",
    "FOOD_ITEM_PERFORMANCE",
    "One row per (METRIC_DATE, ITEM_ID) with activity.",
    (
        _DAY,
        column("ITEM_ID", VARCHAR, "the item"),
        column("ITEM_NAME", VARCHAR, "catalog item"),
        column("CATEGORY", VARCHAR, "catalog item category"),
        column("RESTAURANT_ID", VARCHAR, "catalog item's restaurant"),
        column("IMPRESSIONS", BIGINT, "valid impression events"),
        column("CLICKS", BIGINT, "valid click events"),
        column("ADD_TO_CARTS", BIGINT, "valid add_to_cart events"),
        column("ORDERS", BIGINT, "distinct valid orders with a line for the item"),
        column("QUANTITY", BIGINT, "sum of those lines' QUANTITY"),
        column("REVENUE", MONEY, "sum of those lines' LINE_TOTAL"),
        column("CTR", DOUBLE, "CLICKS / IMPRESSIONS"),
        column("CONVERSION_RATE", DOUBLE, "ORDERS / CLICKS"),
    ),
    key=("METRIC_DATE", "ITEM_ID"),
    day_column="METRIC_DATE",
)

USER_FUNNEL_METRICS = Table(
    "GOLD",
    "USER_FUNNEL_METRICS",
    "One row per METRIC_DATE, always present: sessions reaching each stage.",
    (
        _DAY,
        column("IMPRESSION_SESSIONS", BIGINT, "sessions with an impression"),
        column("CLICK_SESSIONS", BIGINT, "sessions with a click"),
        column("CART_SESSIONS", BIGINT, "sessions with an add_to_cart"),
        column("CHECKOUT_SESSIONS", BIGINT, "sessions with a checkout_started"),
        column("ORDER_SESSIONS", BIGINT, "sessions with a valid order placed that day"),
        column("CLICK_RATE", DOUBLE, "CLICK_SESSIONS / IMPRESSION_SESSIONS"),
        column("CART_RATE", DOUBLE, "CART_SESSIONS / CLICK_SESSIONS"),
        column("CHECKOUT_RATE", DOUBLE, "CHECKOUT_SESSIONS / CART_SESSIONS"),
        column("ORDER_RATE", DOUBLE, "ORDER_SESSIONS / CHECKOUT_SESSIONS"),
        column("OVERALL_CONVERSION", DOUBLE, "ORDER_SESSIONS / IMPRESSION_SESSIONS"),
        column("INVALID_CLICKS", BIGINT, "invalid SILVER click events of the day"),
    ),
    key=("METRIC_DATE",),
    day_column="METRIC_DATE",
)

HOURLY_ORDER_PATTERNS = Table(
    "GOLD",
    "HOURLY_ORDER_PATTERNS",
    "One row per (METRIC_DATE, ORDER_HOUR) with orders.",
    (
        _DAY,
        column("ORDER_HOUR", INT, "UTC hour, 0-23"),
        column("TOTAL_ORDERS", BIGINT, "valid orders placed in the hour"),
        column("GMV", MONEY, "sum of TOTAL_AMOUNT"),
        column("AVG_ORDER_VALUE", MONEY, "GMV / TOTAL_ORDERS"),
        column("UNIQUE_CUSTOMERS", BIGINT, "distinct USER_ID"),
    ),
    key=("METRIC_DATE", "ORDER_HOUR"),
    day_column="METRIC_DATE",
)

USER_COHORT_METRICS = Table(
    "GOLD",
    "USER_COHORT_METRICS",
    "One row per (METRIC_DATE, COHORT_DATE) with active users.",
    (
        _DAY,
        column("COHORT_DATE", DATE, "the users' first order date"),
        column("DAYS_SINCE_FIRST_ORDER", INT, "METRIC_DATE - COHORT_DATE"),
        column("SEGMENT", VARCHAR, "new / returning / loyal"),
        column("COHORT_SIZE", BIGINT, "users whose first order date is COHORT_DATE"),
        column("ACTIVE_USERS", BIGINT, "cohort users active on the day"),
        column("TOTAL_ORDERS", BIGINT, "their valid orders on the day"),
        column("GMV", MONEY, "sum of those orders' TOTAL_AMOUNT"),
        column("RETENTION_RATE", DOUBLE, "ACTIVE_USERS / COHORT_SIZE"),
    ),
    key=("METRIC_DATE", "COHORT_DATE"),
    day_column="METRIC_DATE",
)

GOLD_TABLES = (
    DAILY_GMV_METRICS,
    FOOD_ITEM_PERFORMANCE,
    USER_FUNNEL_METRICS,
    HOURLY_ORDER_PATTERNS,
    USER_COHORT_METRICS,
)

PIPELINE_RUNS = Table(
    "GOLD",
    "PIPELINE_RUNS",
    "One row per batch task run, failures included: `flowguard batch status` reads it.",
    (
        column("RUN_ID", varchar(36), "a UUID per run"),
        column("TASK", VARCHAR, "Luigi task family"),
        column("TABLE_NAME", VARCHAR, "the table a GOLD task built"),
        column("METRIC_DATE", DATE, "the day built"),
        column("STARTED_AT", TIMESTAMP, "UTC"),
        column("ENDED_AT", TIMESTAMP, "UTC"),
        column("DURATION_S", DOUBLE, "ENDED_AT - STARTED_AT in seconds"),
        column("ROWS_IN", BIGINT, "rows read"),
        column("ROWS_OUT", BIGINT, "rows written"),
        column("STATUS", varchar(16), "success / failed"),
        column("ERROR", VARCHAR, "the error of a failed run"),
        column("FINGERPRINT", VARCHAR, "digest of the input fingerprint"),
    ),
    key=("RUN_ID",),
    day_column="METRIC_DATE",
)

RESTATEMENTS = Table(
    "GOLD",
    "RESTATEMENTS",
    "One row per GOLD figure a rebuild changed, with the input change that caused it.",
    (
        column("TABLE_NAME", VARCHAR, "the GOLD table"),
        column("METRIC_DATE", DATE, "the day rebuilt"),
        column("ROW_KEY", VARCHAR, "JSON of the row's key within the day"),
        column("COLUMN_NAME", VARCHAR, "the figure"),
        column("OLD_VALUE", VARCHAR, "as text; NULL when the row is new"),
        column("NEW_VALUE", VARCHAR, "as text; NULL when the row is gone"),
        column("RESTATED_AT", TIMESTAMP, "UTC"),
        column("RUN_ID", varchar(36), "the publishing run"),
        column("OLD_FINGERPRINT", VARCHAR, "JSON input fingerprint before"),
        column("NEW_FINGERPRINT", VARCHAR, "JSON input fingerprint after"),
        column("CAUSE", VARCHAR, "the input change, in words"),
    ),
    key=("TABLE_NAME", "METRIC_DATE", "ROW_KEY", "COLUMN_NAME", "RESTATED_AT"),
    day_column="METRIC_DATE",
)
