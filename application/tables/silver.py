"""SILVER: one row per fact, deduplicated, validated and enriched (docs/metrics.md)."""

from application.tables.declaration import (
    BIGINT,
    BOOLEAN,
    DATE,
    INT,
    MONEY,
    TIMESTAMP,
    VARCHAR,
    Table,
    column,
)

_VALID = column("IS_VALID", BOOLEAN, "no validation rule fails")
_REASON = column("INVALID_REASON", VARCHAR, "the first failing rule; NULL when valid")

ORDERS_CLEAN = Table(
    "SILVER",
    "ORDERS_CLEAN",
    "One row per order placed on ORDER_DATE, with its final known status.",
    (
        column("ORDER_ID", VARCHAR, "AGGREGATE_ID of the order.placed event"),
        column("ORDER_DATE", DATE, "EVENT_DATE of the order.placed event (day key)"),
        column("USER_ID", VARCHAR, "from the placed payload"),
        column("RESTAURANT_ID", VARCHAR, "from the placed payload"),
        column("SESSION_ID", VARCHAR, "from the placed payload, nullable"),
        column("RESTAURANT_NAME", VARCHAR, "catalog restaurant"),
        column("CITY", VARCHAR, "catalog restaurant's city"),
        column("CUISINE", VARCHAR, "catalog restaurant's primary cuisine"),
        column("PAYMENT_METHOD", VARCHAR, "from the placed payload"),
        column("CURRENCY", VARCHAR, "from the placed payload"),
        column("TOTAL_AMOUNT", MONEY, "payload total_amount"),
        column("LINE_COUNT", BIGINT, "lines in the payload"),
        column("ITEM_COUNT", BIGINT, "sum of line quantities"),
        column("STATUS", VARCHAR, "final known status within the lookahead"),
        column("PLACED_AT", TIMESTAMP, "EVENT_TIME of order.placed"),
        column("CONFIRMED_AT", TIMESTAMP, "earliest order.confirmed"),
        column("OUT_FOR_DELIVERY_AT", TIMESTAMP, "earliest order.out_for_delivery"),
        column("DELIVERED_AT", TIMESTAMP, "earliest order.delivered"),
        column("CANCELLED_AT", TIMESTAMP, "earliest order.cancelled"),
        column("CANCEL_REASON", VARCHAR, "reason of the earliest cancellation"),
        column("STATUS_UPDATED_AT", TIMESTAMP, "EVENT_TIME of the event that set STATUS"),
        column("ORDER_HOUR", INT, "UTC hour of PLACED_AT"),
        column("IS_FIRST_ORDER", BOOLEAN, "the user's first valid order"),
        _VALID,
        _REASON,
    ),
    key=("ORDER_ID",),
    day_column="ORDER_DATE",
)

ORDER_LINES = Table(
    "SILVER",
    "ORDER_LINES",
    "One row per line of an order placed on ORDER_DATE.",
    (
        column("ORDER_ID", VARCHAR, "as in ORDERS_CLEAN"),
        column("ORDER_DATE", DATE, "as in ORDERS_CLEAN (day key)"),
        column("LINE_NUMBER", INT, "1-based position in the payload's lines"),
        column("ITEM_ID", VARCHAR, "line item_id"),
        column("ITEM_NAME", VARCHAR, "catalog item, else the payload name"),
        column("CATEGORY", VARCHAR, "catalog item category"),
        column("RESTAURANT_ID", VARCHAR, "the order's restaurant"),
        column("UNIT_PRICE", MONEY, "from the payload"),
        column("QUANTITY", BIGINT, "from the payload"),
        column("LINE_TOTAL", MONEY, "from the payload"),
        column("IS_VALID", BOOLEAN, "the order's IS_VALID"),
    ),
    key=("ORDER_ID", "LINE_NUMBER"),
    day_column="ORDER_DATE",
)

USER_FIRST_ORDERS = Table(
    "SILVER",
    "USER_FIRST_ORDERS",
    "One row per user: the first valid order, dated by FIRST_ORDER_DATE.",
    (
        column("USER_ID", VARCHAR, "the user"),
        column("FIRST_ORDER_ID", VARCHAR, "smallest (PLACED_AT, ORDER_ID) valid order"),
        column("FIRST_ORDER_AT", TIMESTAMP, "its PLACED_AT"),
        column("FIRST_ORDER_DATE", DATE, "its ORDER_DATE: the cohort (day key)"),
    ),
    key=("USER_ID",),
    day_column="FIRST_ORDER_DATE",
)

CLICKS_CLEAN = Table(
    "SILVER",
    "CLICKS_CLEAN",
    "One row per click event on EVENT_DATE.",
    (
        column("EVENT_ID", VARCHAR, "INGESTION_ID"),
        column("EVENT_DATE", DATE, "BRONZE EVENT_DATE (day key)"),
        column("EVENT_TIME", TIMESTAMP, "from BRONZE"),
        column("RECEIVED_AT", TIMESTAMP, "from BRONZE"),
        column("INGESTED_AT", TIMESTAMP, "from BRONZE"),
        column("EVENT_HOUR", INT, "hour of EVENT_TIME"),
        column("CLICK_TYPE", VARCHAR, "EVENT_TYPE without the click. prefix"),
        column("SESSION_ID", VARCHAR, "payload"),
        column("USER_ID", VARCHAR, "payload, nullable"),
        column("ITEM_ID", VARCHAR, "payload, nullable"),
        column("RESTAURANT_ID", VARCHAR, "payload"),
        column("PAGE", VARCHAR, "payload"),
        column("POSITION", INT, "payload, nullable"),
        column("QUANTITY", BIGINT, "cart events' quantity; NULL for the others"),
        column("ITEM_NAME", VARCHAR, "catalog item"),
        column("CATEGORY", VARCHAR, "catalog item category"),
        column("RESTAURANT_NAME", VARCHAR, "catalog restaurant"),
        column("CITY", VARCHAR, "catalog restaurant's city"),
        _VALID,
        _REASON,
    ),
    key=("EVENT_ID",),
    day_column="EVENT_DATE",
)

SILVER_TABLES = (ORDERS_CLEAN, ORDER_LINES, USER_FIRST_ORDERS, CLICKS_CLEAN)
