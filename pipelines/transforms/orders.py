"""SILVER orders: one row per order placed on the day, its lines, and users' first orders."""

from datetime import date, timedelta

from pyspark.sql import Column, DataFrame, Window
from pyspark.sql import functions as F

from pipelines.transforms.common import before, conform, on_days
from pipelines.transforms.events import ORDER_PAYLOAD, dedup_events, parse_payload
from pipelines.transforms.schemas import (
    LOOKAHEAD_DAYS,
    MONEY,
    ORDER_LINES,
    ORDERS_CLEAN,
    RESTAURANT_COLUMNS,
    USER_FIRST_ORDERS,
)

LIFECYCLE = ("confirmed", "out_for_delivery", "delivered", "cancelled")
ORDER_TYPES = tuple(f"order.{status}" for status in ("placed", *LIFECYCLE))
PAYMENT_METHODS = ("upi", "card", "cash", "wallet")
# The only events whose payload SILVER reads: the placed order, and a cancellation's reason.
# Lifecycle events are ~3/4 of the rows, so parsing only these halves the JSON work.
PAYLOAD_TYPES = ("order.placed", "order.cancelled")


def order_events(bronze_orders: DataFrame, day: date) -> DataFrame:
    """Deduplicated order events that can concern orders placed on `day`: EVENT_DATE from day to
    day + LOOKAHEAD_DAYS, with the payload parsed into P for PAYLOAD_TYPES (NULL for the other
    types). Input: BRONZE.ORDERS_RAW rows (any superset of that window)."""
    window_days = [day + timedelta(days=n) for n in range(LOOKAHEAD_DAYS + 1)]
    window = bronze_orders.filter(on_days(F.col("EVENT_DATE").cast("date"), *window_days))
    return parse_payload(dedup_events(window), ORDER_PAYLOAD, PAYLOAD_TYPES)


def orders_clean(
    events: DataFrame,
    restaurants: DataFrame,
    items: DataFrame,
    prior_first_orders: DataFrame,
    day: date,
) -> DataFrame:
    """SILVER.ORDERS_CLEAN for `day` from `order_events(...)`, the catalog, and the prior
    SILVER.USER_FIRST_ORDERS rows (those dated `day` or later are ignored)."""
    orders = _with_line_stats(placed_orders(events, day), items)
    shops = restaurants.select(*RESTAURANT_COLUMNS).withColumn("_KNOWN_SHOP", F.lit(True))
    checked = orders.join(F.broadcast(shops), on="RESTAURANT_ID", how="left").withColumn(
        "INVALID_REASON", _invalid_reason()
    )
    checked = checked.withColumns(
        {"IS_VALID": F.col("INVALID_REASON").isNull(), "ORDER_HOUR": F.hour("PLACED_AT")}
    )
    return conform(_flag_first_orders(checked, prior_first_orders, day), ORDERS_CLEAN)


def order_lines(events: DataFrame, items: DataFrame, orders: DataFrame, day: date) -> DataFrame:
    """SILVER.ORDER_LINES for `day`; each line takes its order's IS_VALID from ORDERS_CLEAN."""
    placed = placed_orders(events, day).select("ORDER_ID", "ORDER_DATE", "RESTAURANT_ID", "LINES")
    lines = _lines(placed, items)
    validity = orders.select("ORDER_ID", "IS_VALID")
    named = lines.withColumn("ITEM_NAME", F.coalesce("ITEM_NAME", "PAYLOAD_NAME"))
    return conform(named.join(validity, on="ORDER_ID", how="inner"), ORDER_LINES)


def user_first_orders(orders: DataFrame) -> DataFrame:
    """SILVER.USER_FIRST_ORDERS rows created by one day's ORDERS_CLEAN."""
    firsts = orders.filter(F.col("IS_FIRST_ORDER"))
    return conform(
        firsts.select(
            "USER_ID",
            F.col("ORDER_ID").alias("FIRST_ORDER_ID"),
            F.col("PLACED_AT").alias("FIRST_ORDER_AT"),
            F.col("ORDER_DATE").alias("FIRST_ORDER_DATE"),
        ),
        USER_FIRST_ORDERS,
    )


def placed_orders(events: DataFrame, day: date) -> DataFrame:
    """One row per order placed on `day`, with its lifecycle and its payload's LINES, in a single
    pass over its events (grouped by AGGREGATE_ID, which dedup_events already partitions by).
    orders_clean and order_lines both start from it: a job may cache it to aggregate once."""
    kind = F.col("EVENT_TYPE")
    version = F.when(kind.isin(*ORDER_TYPES), F.col("AGGREGATE_VERSION"))
    placed = F.struct(
        F.col("EVENT_DATE").alias("ORDER_DATE"),
        F.col("EVENT_TIME").alias("PLACED_AT"),
        *[F.col(f"P.{field}").alias(name) for name, field in _PLACED_FIELDS.items()],
    )
    first_at = {
        f"{status.upper()}_AT": F.min(F.when(kind == f"order.{status}", F.col("EVENT_TIME")))
        for status in LIFECYCLE
    }
    cancelled_at = F.when(kind == "order.cancelled", F.col("EVENT_TIME"))
    grouped = events.groupBy("AGGREGATE_ID").agg(
        # Several placed events for one order (a corrupt stream): the lowest version wins.
        F.min_by(placed, F.when(kind == "order.placed", version)).alias("PL"),
        F.substring_index(F.max_by(kind, version), ".", -1).alias("STATUS"),
        F.max_by("EVENT_TIME", version).alias("STATUS_UPDATED_AT"),
        F.min_by(F.col("P.reason"), cancelled_at).alias("CANCEL_REASON"),
        *[column.alias(name) for name, column in first_at.items()],
    )
    todays = grouped.filter(on_days(F.col("PL.ORDER_DATE"), day))
    return todays.select(
        F.col("AGGREGATE_ID").alias("ORDER_ID"),
        "PL.*",
        F.col("PL.RAW_TOTAL").try_cast(MONEY).alias("TOTAL_AMOUNT"),
        *["STATUS", "STATUS_UPDATED_AT", "CANCEL_REASON", *first_at],
    )


_PLACED_FIELDS = {
    "USER_ID": "user_id",
    "RESTAURANT_ID": "restaurant_id",
    "SESSION_ID": "session_id",
    "PAYMENT_METHOD": "payment_method",
    "CURRENCY": "currency",
    "RAW_TOTAL": "total_amount",
    "LINES": "lines",
}


def _lines(orders: DataFrame, items: DataFrame, outer: bool = False) -> DataFrame:
    """One row per line (with `outer`, orders without lines keep one row of NULL line fields)."""
    explode = F.posexplode_outer if outer else F.posexplode
    carried = [c for c in orders.columns if c != "LINES"]
    exploded = orders.select(*carried, explode("LINES").alias("POS", "L"))
    lines = exploded.select(
        *carried,
        (F.col("POS") + 1).alias("LINE_NUMBER"),
        F.col("L.item_id").alias("ITEM_ID"),
        F.col("L.name").alias("PAYLOAD_NAME"),
        F.col("L.unit_price").try_cast(MONEY).alias("UNIT_PRICE"),
        F.col("L.quantity").try_cast("bigint").alias("QUANTITY"),
        F.col("L.line_total").try_cast(MONEY).alias("LINE_TOTAL"),
    )
    catalog = items.select(
        "ITEM_ID", F.col("RESTAURANT_ID").alias("ITEM_RESTAURANT_ID"), "ITEM_NAME", "CATEGORY"
    )
    return lines.join(F.broadcast(catalog), on="ITEM_ID", how="left")


def _any(condition: Column) -> Column:
    return F.coalesce(F.max(condition), F.lit(False))


def _with_line_stats(orders: DataFrame, items: DataFrame) -> DataFrame:
    """Each order with its line checks, in one pass: explode, look items up, fold back per order.
    (Joining aggregated lines back to the orders made Spark compute the orders twice.)"""
    kept = [c for c in orders.columns if c != "LINES"]
    lines = _lines(
        orders.select(*kept, F.size("LINES").alias("N_LINES"), "LINES"), items, outer=True
    )
    quantity, known_line = F.col("QUANTITY"), F.col("LINE_NUMBER").isNotNull()
    # The order's own columns are grouping keys (one value per ORDER_ID) rather than first():
    # first() over text forces a sort-based aggregation, keys keep it a hash aggregation.
    return lines.groupBy(*kept, "N_LINES").agg(
        F.count("LINE_NUMBER").alias("LINE_COUNT"),
        F.coalesce(F.sum(quantity), F.lit(0)).alias("ITEM_COUNT"),
        F.sum("LINE_TOTAL").alias("LINES_TOTAL"),
        _any(known_line & F.col("LINE_TOTAL").isNull()).alias("_MISSING_LINE_TOTAL"),
        _any(known_line & F.col("ITEM_RESTAURANT_ID").isNull()).alias("_UNKNOWN_ITEM"),
        _any(F.col("ITEM_RESTAURANT_ID") != F.col("RESTAURANT_ID")).alias("_FOREIGN_ITEM"),
        _any(known_line & (quantity.isNull() | (quantity < 1) | (quantity > 50))).alias(
            "_BAD_QUANTITY"
        ),
    )


def _invalid_reason() -> Column:
    total, lines_total = F.col("TOTAL_AMOUNT"), F.col("LINES_TOTAL")
    malformed = (
        F.col("USER_ID").isNull()
        | F.col("RESTAURANT_ID").isNull()
        | F.col("RAW_TOTAL").isNull()
        | F.coalesce(F.col("N_LINES") < 1, F.lit(True))
    )
    bad_amount = (
        total.isNull()
        | (total <= 0)
        | F.col("_MISSING_LINE_TOTAL")
        | (F.abs(total - lines_total) > F.lit(0.01).cast(MONEY))
    )
    return (
        F.when(malformed, "MALFORMED_PAYLOAD")
        .when(F.col("_KNOWN_SHOP").isNull(), "UNKNOWN_RESTAURANT")
        .when(F.col("_UNKNOWN_ITEM"), "UNKNOWN_ITEM")
        .when(F.col("_FOREIGN_ITEM"), "ITEM_NOT_IN_RESTAURANT")
        .when(F.col("_BAD_QUANTITY"), "BAD_QUANTITY")
        .when(bad_amount, "BAD_AMOUNT")
        .when(F.coalesce(F.col("CURRENCY") != "INR", F.lit(True)), "BAD_CURRENCY")
        .when(~F.coalesce(F.col("PAYMENT_METHOD").isin(*PAYMENT_METHODS), F.lit(False)),
              "BAD_PAYMENT_METHOD")
    )  # fmt: skip


def _flag_first_orders(orders: DataFrame, prior_first_orders: DataFrame, day: date) -> DataFrame:
    """IS_FIRST_ORDER: the user's earliest valid order of the day, for users without a prior first
    order. Window and join share the USER_ID partitioning, so the day is shuffled once."""
    prior = prior_first_orders.filter(before(F.col("FIRST_ORDER_DATE"), day))
    known = prior.groupBy("USER_ID").agg(F.lit(True).alias("_KNOWN_USER"))
    order_key = F.struct("PLACED_AT", "ORDER_ID")
    earliest = F.min(F.when(F.col("IS_VALID"), order_key)).over(Window.partitionBy("USER_ID"))
    flagged = orders.withColumn("_EARLIEST", earliest).join(known, on="USER_ID", how="left")
    is_first = F.col("IS_VALID") & (order_key == F.col("_EARLIEST")) & F.col("_KNOWN_USER").isNull()
    return flagged.withColumn("IS_FIRST_ORDER", F.coalesce(is_first, F.lit(False)))
