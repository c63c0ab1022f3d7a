"""GOLD tables from the hand-built day: the definitions of docs/metrics.md, worked by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest

from tests.unit.transforms.rows import DAY
from tests.unit.transforms.scenario import Built

pytestmark = pytest.mark.spark


def test_daily_gmv_counts_valid_orders_once_and_nets_out_cancellations(built: Built) -> None:
    (row,) = built.rows("GOLD.DAILY_GMV_METRICS")
    assert row.METRIC_DATE == DAY
    assert (row.TOTAL_ORDERS, row.DELIVERED_ORDERS, row.CANCELLED_ORDERS) == (6, 2, 1)
    assert Decimal("1730.00") == row.GMV
    assert Decimal("1370.00") == row.NET_GMV
    assert Decimal("288.33") == row.AVG_ORDER_VALUE
    assert row.UNIQUE_CUSTOMERS == 5
    assert pytest.approx(0.1667) == row.CANCELLATION_RATE
    assert row.INVALID_ORDERS == 7


def test_item_performance_joins_clicks_to_ordered_lines(built: Built) -> None:
    items = built.rows("GOLD.FOOD_ITEM_PERFORMANCE", "ITEM_ID")
    assert set(items) == {"i1", "i2", "i3"}
    i1, i3 = items["i1"], items["i3"]
    assert (i1.IMPRESSIONS, i1.CLICKS, i1.ADD_TO_CARTS) == (1, 1, 1)
    assert (3, 5, Decimal("1250.00")) == (i1.ORDERS, i1.QUANTITY, i1.REVENUE)
    assert (i1.CTR, i1.CONVERSION_RATE) == (1.0, 3.0)
    assert (1, 0, 1, Decimal("360.00")) == (i3.IMPRESSIONS, i3.CLICKS, i3.ORDERS, i3.REVENUE)
    assert i3.CTR == 0.0
    assert i3.CONVERSION_RATE is None
    assert sum(row.REVENUE for row in items.values()) == Decimal("1730.00")


def test_funnel_counts_sessions_reaching_each_stage(built: Built) -> None:
    (row,) = built.rows("GOLD.USER_FUNNEL_METRICS")
    stages = (
        row.IMPRESSION_SESSIONS,
        row.CLICK_SESSIONS,
        row.CART_SESSIONS,
        row.CHECKOUT_SESSIONS,
        row.ORDER_SESSIONS,
    )
    assert stages == (3, 2, 2, 1, 1)
    assert (row.CLICK_RATE, row.CART_RATE, row.CHECKOUT_RATE) == (0.6667, 1.0, 0.5)
    assert (row.ORDER_RATE, row.OVERALL_CONVERSION) == (1.0, 0.3333)
    assert row.INVALID_CLICKS == 6


def test_hourly_patterns_cover_only_hours_with_valid_orders(built: Built) -> None:
    hours = built.rows("GOLD.HOURLY_ORDER_PATTERNS", "ORDER_HOUR")
    assert sorted(hours) == [8, 9, 12, 13, 18, 23]
    assert Decimal("500.00") == hours[23].GMV
    assert sum(row.TOTAL_ORDERS for row in hours.values()) == 6


def test_cohorts_split_new_users_from_loyal_ones(built: Built) -> None:
    cohorts = built.rows("GOLD.USER_COHORT_METRICS", "SEGMENT")
    new, loyal = cohorts["new"], cohorts["loyal"]
    assert set(cohorts) == {"new", "loyal"}
    assert (new.COHORT_DATE, new.COHORT_SIZE, new.ACTIVE_USERS) == (DAY, 4, 4)
    assert (4, Decimal("1400.00"), 1.0) == (new.TOTAL_ORDERS, new.GMV, new.RETENTION_RATE)
    assert DAY - timedelta(days=40) == loyal.COHORT_DATE
    assert (loyal.DAYS_SINCE_FIRST_ORDER, loyal.ACTIVE_USERS, loyal.TOTAL_ORDERS) == (40, 1, 2)
    assert Decimal("330.00") == loyal.GMV
