"""Today's live figures, counted from BRONZE rows as GOLD would count them (docs/metrics.md)."""

import json
from datetime import date

from entrypoints.web.live import _daily, _hourly, _orders, live_days

DAY = date(2026, 11, 21)


def _row(order: str, version: int, event: str, at: str, **payload: object) -> dict[str, object]:
    return {
        "AGGREGATE_ID": order, "AGGREGATE_VERSION": version, "EVENT_TYPE": event,
        "EVENT_TIME": at, "EVENT_DATE": at[:10], "PAYLOAD": json.dumps(payload),
    }  # fmt: skip


ROWS = [
    _row("a", 1, "order.placed", "2026-11-21T12:10:00", total_amount="300.00", user_id="u1"),
    _row("a", 2, "order.delivered", "2026-11-21T12:50:00"),
    _row("b", 1, "order.placed", "2026-11-21T19:05:00", total_amount="200.00", user_id="u1"),
    _row("b", 2, "order.cancelled", "2026-11-22T00:20:00"),  # within the day's lookahead
    _row("c", 1, "order.placed", "2026-11-22T01:00:00", total_amount="999.00", user_id="u2"),
    _row("d", 3, "order.delivered", "2026-11-21T08:00:00"),  # placed before the window
]


def test_orders_of_the_day_count_with_their_latest_status() -> None:
    orders = _orders(list(reversed(ROWS)))
    placed = [o for o in orders.values() if o["day"] == DAY.isoformat()]
    daily = _daily(DAY, placed)
    assert daily["TOTAL_ORDERS"] == 2
    assert (daily["DELIVERED_ORDERS"], daily["CANCELLED_ORDERS"]) == (1, 1)
    assert (daily["GMV"], daily["NET_GMV"], daily["AVG_ORDER_VALUE"]) == (500.0, 300.0, 250.0)
    assert daily["UNIQUE_CUSTOMERS"] == 1
    assert _hourly(DAY, placed) == [
        {"METRIC_DATE": "2026-11-21", "ORDER_HOUR": 12, "TOTAL_ORDERS": 1},
        {"METRIC_DATE": "2026-11-21", "ORDER_HOUR": 19, "TOTAL_ORDERS": 1},
    ]


def test_a_day_without_orders_has_no_average() -> None:
    assert _daily(DAY, [])["AVG_ORDER_VALUE"] is None


def test_today_is_always_live_and_yesterday_until_it_is_built() -> None:
    assert live_days([], DAY) == ["2026-11-20", "2026-11-21"]
    assert live_days(["2026-11-20"], DAY) == ["2026-11-21"]
