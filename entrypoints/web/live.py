"""Today's figures before the batch has built them: counted straight from BRONZE as events
arrive, in GOLD's column names (docs/metrics.md), marked as live. SILVER's validation and dedup
have not run, so they can differ a little from the GOLD the day will get."""

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from entrypoints.web.gold import Connect, query

FUNNEL = {
    "click.impression": "IMPRESSION_SESSIONS",
    "click.click": "CLICK_SESSIONS",
    "click.add_to_cart": "CART_SESSIONS",
    "click.checkout_started": "CHECKOUT_SESSIONS",
}
_ORDERS = (
    "SELECT AGGREGATE_ID, AGGREGATE_VERSION, EVENT_TYPE, EVENT_TIME, EVENT_DATE, PAYLOAD "
    "FROM BRONZE.ORDERS_RAW WHERE EVENT_DATE BETWEEN %s AND %s"
)
_SESSIONS = (
    "SELECT EVENT_TYPE, COUNT(DISTINCT AGGREGATE_ID) AS N FROM BRONZE.CLICKS_RAW "
    "WHERE EVENT_DATE = %s GROUP BY EVENT_TYPE"
)
_NEWEST = "SELECT MAX(INGESTED_AT) AS AT FROM BRONZE.{} WHERE EVENT_DATE = %s"


def live_day(connect: Connect, day: date) -> dict[str, Any]:
    """Daily GMV, hourly orders and the funnel of `day` from BRONZE, with when it was counted."""
    orders = _orders(query(connect, _ORDERS, (day.isoformat(), (day + timedelta(1)).isoformat())))
    placed = [o for o in orders.values() if o["day"] == day.isoformat()]
    funnel = {column: 0 for column in FUNNEL.values()}
    for row in query(connect, _SESSIONS, (day.isoformat(),)):
        if row["EVENT_TYPE"] in FUNNEL:
            funnel[FUNNEL[row["EVENT_TYPE"]]] = int(row["N"])
    funnel["ORDER_SESSIONS"] = len({o["session_id"] for o in placed if o["session_id"]})
    return {
        "date": day.isoformat(),
        "live": True,
        "as_of": _newest(connect, day),
        "daily_gmv_metrics": _daily(day, placed),
        "hourly_order_patterns": _hourly(day, placed),
        "user_funnel_metrics": {"METRIC_DATE": day.isoformat(), **funnel},
    }


def _orders(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each order placed in the window: its total, customer, hour and latest status."""
    orders: dict[str, dict[str, Any]] = {}
    for row in sorted(rows, key=lambda r: (r["AGGREGATE_ID"], r["AGGREGATE_VERSION"])):
        order = orders.get(row["AGGREGATE_ID"])
        if row["EVENT_TYPE"] == "order.placed":
            payload = json.loads(row["PAYLOAD"])
            orders[row["AGGREGATE_ID"]] = {
                "day": row["EVENT_DATE"],
                "hour": datetime.fromisoformat(row["EVENT_TIME"]).hour,
                "total": Decimal(str(payload.get("total_amount", "0"))),
                "user_id": payload.get("user_id"),
                "session_id": payload.get("session_id"),
                "status": "placed",
            }
        elif order is not None:
            order["status"] = row["EVENT_TYPE"].removeprefix("order.")
    return orders


def _daily(day: date, placed: list[dict[str, Any]]) -> dict[str, Any]:
    gmv = sum((o["total"] for o in placed), Decimal("0.00"))
    cancelled = [o for o in placed if o["status"] == "cancelled"]
    net = gmv - sum((o["total"] for o in cancelled), Decimal("0.00"))
    count = len(placed)
    return {
        "METRIC_DATE": day.isoformat(),
        "TOTAL_ORDERS": count,
        "DELIVERED_ORDERS": sum(o["status"] == "delivered" for o in placed),
        "CANCELLED_ORDERS": len(cancelled),
        "GMV": float(gmv),
        "NET_GMV": float(net),
        "AVG_ORDER_VALUE": round(float(gmv) / count, 2) if count else None,
        "UNIQUE_CUSTOMERS": len({o["user_id"] for o in placed}),
        "CANCELLATION_RATE": len(cancelled) / count if count else None,
    }


def _hourly(day: date, placed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    hours: dict[int, int] = {}
    for order in placed:
        hours[order["hour"]] = hours.get(order["hour"], 0) + 1
    return [
        {"METRIC_DATE": day.isoformat(), "ORDER_HOUR": hour, "TOTAL_ORDERS": n}
        for hour, n in sorted(hours.items())
    ]


def _newest(connect: Connect, day: date) -> str | None:
    times = [
        query(connect, _NEWEST.format(table), (day.isoformat(),))[0]["AT"]
        for table in ("ORDERS_RAW", "CLICKS_RAW")
    ]
    present = [t for t in times if t]
    return max(present) if present else None


def live_days(built: list[str], today: date | None = None) -> list[str]:
    """Days the dashboard shows live: yesterday until it is built, and today (still arriving)."""
    today = today or datetime.now(UTC).date()
    yesterday = (today - timedelta(1)).isoformat()
    return [yesterday] * (yesterday not in built) + [today.isoformat()]
