"""Schema contracts of the pure transforms: the input columns they read, and every SILVER/GOLD table
they produce, with its day column and key (docs/metrics.md)."""

from dataclasses import dataclass

from pyspark.sql.types import (
    BooleanType,
    DataType,
    DateType,
    DecimalType,
    DoubleType,
    IntegerType,
    LongType,
    StringType,
    StructField,
    StructType,
    TimestampNTZType,
)

# Lifecycle events of an order count up to ORDER_DATE + LOOKAHEAD_DAYS (docs/metrics.md).
LOOKAHEAD_DAYS = 1
MONEY = DecimalType(18, 2)

BRONZE_COLUMNS = (
    "INGESTION_ID",
    "EVENT_TYPE",
    "AGGREGATE_ID",
    "AGGREGATE_VERSION",
    "EVENT_TIME",
    "EVENT_DATE",
    "RECEIVED_AT",
    "PAYLOAD",
    "INGESTED_AT",
)
# Catalog inputs, already conformed to these names by the job that reads data/.
RESTAURANT_COLUMNS = ("RESTAURANT_ID", "RESTAURANT_NAME", "CITY", "CUISINE")
ITEM_COLUMNS = ("ITEM_ID", "RESTAURANT_ID", "ITEM_NAME", "CATEGORY", "CUISINE", "IS_VEG", "PRICE")

_S, _D, _TS, _B = StringType(), DateType(), TimestampNTZType(), BooleanType()
_L, _I, _F = LongType(), IntegerType(), DoubleType()


@dataclass(frozen=True)
class TableSpec:
    """One output table: its schema, the column holding its day, and its key within the day."""

    name: str
    schema: StructType
    day_column: str
    key: tuple[str, ...]

    @property
    def columns(self) -> list[str]:
        return [field.name for field in self.schema.fields]


def _spec(name: str, day: str, key: tuple[str, ...], cols: list[tuple[str, DataType]]) -> TableSpec:
    return TableSpec(name, StructType([StructField(c, t, True) for c, t in cols]), day, key)


ORDERS_CLEAN = _spec(
    "SILVER.ORDERS_CLEAN",
    "ORDER_DATE",
    ("ORDER_ID",),
    [
        ("ORDER_ID", _S), ("ORDER_DATE", _D), ("USER_ID", _S), ("RESTAURANT_ID", _S),
        ("SESSION_ID", _S), ("RESTAURANT_NAME", _S), ("CITY", _S), ("CUISINE", _S),
        ("PAYMENT_METHOD", _S), ("CURRENCY", _S), ("TOTAL_AMOUNT", MONEY), ("LINE_COUNT", _L),
        ("ITEM_COUNT", _L), ("STATUS", _S), ("PLACED_AT", _TS), ("CONFIRMED_AT", _TS),
        ("OUT_FOR_DELIVERY_AT", _TS), ("DELIVERED_AT", _TS), ("CANCELLED_AT", _TS),
        ("CANCEL_REASON", _S), ("STATUS_UPDATED_AT", _TS), ("ORDER_HOUR", _I),
        ("IS_FIRST_ORDER", _B), ("IS_VALID", _B), ("INVALID_REASON", _S),
    ],
)  # fmt: skip
ORDER_LINES = _spec(
    "SILVER.ORDER_LINES",
    "ORDER_DATE",
    ("ORDER_ID", "LINE_NUMBER"),
    [
        ("ORDER_ID", _S), ("ORDER_DATE", _D), ("LINE_NUMBER", _I), ("ITEM_ID", _S),
        ("ITEM_NAME", _S), ("CATEGORY", _S), ("RESTAURANT_ID", _S), ("UNIT_PRICE", MONEY),
        ("QUANTITY", _L), ("LINE_TOTAL", MONEY), ("IS_VALID", _B),
    ],
)  # fmt: skip
USER_FIRST_ORDERS = _spec(
    "SILVER.USER_FIRST_ORDERS",
    "FIRST_ORDER_DATE",
    ("USER_ID",),
    [("USER_ID", _S), ("FIRST_ORDER_ID", _S), ("FIRST_ORDER_AT", _TS), ("FIRST_ORDER_DATE", _D)],
)
CLICKS_CLEAN = _spec(
    "SILVER.CLICKS_CLEAN",
    "EVENT_DATE",
    ("EVENT_ID",),
    [
        ("EVENT_ID", _S), ("EVENT_DATE", _D), ("EVENT_TIME", _TS), ("RECEIVED_AT", _TS),
        ("INGESTED_AT", _TS), ("EVENT_HOUR", _I), ("CLICK_TYPE", _S), ("SESSION_ID", _S),
        ("USER_ID", _S), ("ITEM_ID", _S), ("RESTAURANT_ID", _S), ("PAGE", _S), ("POSITION", _I),
        ("QUANTITY", _L), ("ITEM_NAME", _S), ("CATEGORY", _S), ("RESTAURANT_NAME", _S),
        ("CITY", _S), ("IS_VALID", _B), ("INVALID_REASON", _S),
    ],
)  # fmt: skip
DAILY_GMV_METRICS = _spec(
    "GOLD.DAILY_GMV_METRICS",
    "METRIC_DATE",
    (),
    [
        ("METRIC_DATE", _D), ("TOTAL_ORDERS", _L), ("DELIVERED_ORDERS", _L),
        ("CANCELLED_ORDERS", _L), ("GMV", MONEY), ("NET_GMV", MONEY), ("AVG_ORDER_VALUE", MONEY),
        ("UNIQUE_CUSTOMERS", _L), ("CANCELLATION_RATE", _F), ("INVALID_ORDERS", _L),
    ],
)  # fmt: skip
FOOD_ITEM_PERFORMANCE = _spec(
    "GOLD.FOOD_ITEM_PERFORMANCE",
    "METRIC_DATE",
    ("ITEM_ID",),
    [
        ("METRIC_DATE", _D), ("ITEM_ID", _S), ("ITEM_NAME", _S), ("CATEGORY", _S),
        ("RESTAURANT_ID", _S), ("IMPRESSIONS", _L), ("CLICKS", _L), ("ADD_TO_CARTS", _L),
        ("ORDERS", _L), ("QUANTITY", _L), ("REVENUE", MONEY), ("CTR", _F),
        ("CONVERSION_RATE", _F),
    ],
)  # fmt: skip
USER_FUNNEL_METRICS = _spec(
    "GOLD.USER_FUNNEL_METRICS",
    "METRIC_DATE",
    (),
    [
        ("METRIC_DATE", _D), ("IMPRESSION_SESSIONS", _L), ("CLICK_SESSIONS", _L),
        ("CART_SESSIONS", _L), ("CHECKOUT_SESSIONS", _L), ("ORDER_SESSIONS", _L),
        ("CLICK_RATE", _F), ("CART_RATE", _F), ("CHECKOUT_RATE", _F), ("ORDER_RATE", _F),
        ("OVERALL_CONVERSION", _F), ("INVALID_CLICKS", _L),
    ],
)  # fmt: skip
HOURLY_ORDER_PATTERNS = _spec(
    "GOLD.HOURLY_ORDER_PATTERNS",
    "METRIC_DATE",
    ("ORDER_HOUR",),
    [
        ("METRIC_DATE", _D), ("ORDER_HOUR", _I), ("TOTAL_ORDERS", _L), ("GMV", MONEY),
        ("AVG_ORDER_VALUE", MONEY), ("UNIQUE_CUSTOMERS", _L),
    ],
)  # fmt: skip
USER_COHORT_METRICS = _spec(
    "GOLD.USER_COHORT_METRICS",
    "METRIC_DATE",
    ("COHORT_DATE",),
    [
        ("METRIC_DATE", _D), ("COHORT_DATE", _D), ("DAYS_SINCE_FIRST_ORDER", _I),
        ("SEGMENT", _S), ("COHORT_SIZE", _L), ("ACTIVE_USERS", _L), ("TOTAL_ORDERS", _L),
        ("GMV", MONEY), ("RETENTION_RATE", _F),
    ],
)  # fmt: skip

SILVER_TABLES = (ORDERS_CLEAN, ORDER_LINES, USER_FIRST_ORDERS, CLICKS_CLEAN)
GOLD_TABLES = (
    DAILY_GMV_METRICS,
    FOOD_ITEM_PERFORMANCE,
    USER_FUNNEL_METRICS,
    HOURLY_ORDER_PATTERNS,
    USER_COHORT_METRICS,
)
