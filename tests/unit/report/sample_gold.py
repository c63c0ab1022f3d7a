"""Hand-built GOLD rows (docs/metrics.md columns) for two days, for report and dashboard tests."""

from typing import Any

DAYS = ("2026-11-20", "2026-11-21")


def sample_gold() -> dict[str, list[dict[str, Any]]]:
    return {
        "daily_gmv_metrics": [_daily(day, 100 + 20 * n) for n, day in enumerate(DAYS)],
        "hourly_order_patterns": [
            {
                "METRIC_DATE": day,
                "ORDER_HOUR": hour,
                "TOTAL_ORDERS": orders,
                "GMV": orders * 300.0,
                "AVG_ORDER_VALUE": 300.0,
                "UNIQUE_CUSTOMERS": orders,
            }
            for day in DAYS
            for hour, orders in ((12, 30), (13, 25), (19, 28), (20, 40))
        ],
        "user_funnel_metrics": [_funnel(day) for day in DAYS],
        "food_item_performance": [
            {
                "METRIC_DATE": day,
                "ITEM_ID": f"itm_{n:04d}",
                "ITEM_NAME": f"Dish {n}",
                "CATEGORY": "Mains",
                "RESTAURANT_ID": "rst_001",
                "IMPRESSIONS": 500 - n,
                "CLICKS": 60 - n,
                "ADD_TO_CARTS": 20,
                "ORDERS": 12 - n,
                "QUANTITY": 14 - n,
                "REVENUE": 4000.0 - 300 * n,
                "CTR": 0.12,
                "CONVERSION_RATE": 0.2,
            }
            for day in DAYS
            for n in range(12)
        ],
        "user_cohort_metrics": [
            {
                "METRIC_DATE": DAYS[1],
                "COHORT_DATE": cohort,
                "DAYS_SINCE_FIRST_ORDER": age,
                "SEGMENT": segment,
                "COHORT_SIZE": size,
                "ACTIVE_USERS": active,
                "TOTAL_ORDERS": active,
                "GMV": active * 310.0,
                "RETENTION_RATE": active / size,
            }
            for cohort, age, segment, size, active in (
                (DAYS[0], 1, "returning", 90, 21),
                (DAYS[1], 0, "new", 95, 95),
            )
        ],
    }


def _daily(day: str, orders: int) -> dict[str, Any]:
    return {
        "METRIC_DATE": day, "TOTAL_ORDERS": orders, "DELIVERED_ORDERS": orders - 6,
        "CANCELLED_ORDERS": 6, "GMV": orders * 301.5, "NET_GMV": (orders - 6) * 301.5,
        "AVG_ORDER_VALUE": 301.5, "UNIQUE_CUSTOMERS": orders - 4,
        "CANCELLATION_RATE": round(6 / orders, 4), "INVALID_ORDERS": 3,
    }  # fmt: skip


def _funnel(day: str) -> dict[str, Any]:
    return {
        "METRIC_DATE": day, "IMPRESSION_SESSIONS": 1400, "CLICK_SESSIONS": 800,
        "CART_SESSIONS": 400, "CHECKOUT_SESSIONS": 260, "ORDER_SESSIONS": 120,
        "CLICK_RATE": 0.5714, "CART_RATE": 0.5, "CHECKOUT_RATE": 0.65, "ORDER_RATE": 0.4615,
        "OVERALL_CONVERSION": 0.0857, "INVALID_CLICKS": 17,
    }  # fmt: skip
