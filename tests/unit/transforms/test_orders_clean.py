"""SILVER.ORDERS_CLEAN, ORDER_LINES and USER_FIRST_ORDERS on hand-built BRONZE rows."""

from decimal import Decimal

import pytest

from tests.unit.transforms.rows import DAY, NEXT_DAY, at
from tests.unit.transforms.scenario import Built

pytestmark = pytest.mark.spark


def orders(built: Built) -> dict:
    return built.rows("ORDERS_CLEAN", "ORDER_ID")


def test_only_orders_placed_on_the_day_get_a_row_and_duplicates_count_once(built: Built) -> None:
    rows = built.rows("ORDERS_CLEAN")
    ids = [row.ORDER_ID for row in rows]
    assert sorted(ids) == sorted(set(ids))
    assert "o-tomorrow" not in ids
    assert "o-yesterday" not in ids
    assert {row.ORDER_DATE for row in rows} == {DAY}
    assert len(ids) == 13


def test_order_placed_at_2358_and_delivered_at_0020_counts_on_its_placement_day(
    built: Built,
) -> None:
    order = orders(built)["o-midnight"]
    assert order.ORDER_DATE == DAY
    assert order.ORDER_HOUR == 23
    assert order.STATUS == "delivered"
    assert at("00:20", NEXT_DAY) == order.DELIVERED_AT
    assert at("00:20", NEXT_DAY) == order.STATUS_UPDATED_AT
    assert (order.CITY, order.RESTAURANT_NAME, order.ITEM_COUNT) == ("Bengaluru", "Spice Route", 2)


def test_cancellation_after_confirmation_keeps_both_timestamps(built: Built) -> None:
    order = orders(built)["o-cancel"]
    assert order.STATUS == "cancelled"
    assert at("09:12") == order.CONFIRMED_AT
    assert at("09:30") == order.CANCELLED_AT
    assert order.CANCEL_REASON == "customer_request"
    assert order.IS_VALID


def test_late_lifecycle_event_within_the_lookahead_sets_the_status(built: Built) -> None:
    assert orders(built)["o-late"].STATUS == "delivered"


def test_status_events_beyond_the_lookahead_are_ignored(built: Built) -> None:
    order = orders(built)["o-slow"]
    assert order.STATUS == "confirmed"
    assert order.DELIVERED_AT is None


@pytest.mark.parametrize(
    ("order_id", "reason"),
    [
        ("o-garbage", "MALFORMED_PAYLOAD"),
        ("o-shop", "UNKNOWN_RESTAURANT"),
        ("o-item", "UNKNOWN_ITEM"),
        ("o-foreign", "ITEM_NOT_IN_RESTAURANT"),
        ("o-qty", "BAD_QUANTITY"),
        ("o-amount", "BAD_AMOUNT"),
        ("o-pay", "BAD_PAYMENT_METHOD"),
    ],
)
def test_invalid_orders_stay_with_their_first_failing_reason(
    built: Built, order_id: str, reason: str
) -> None:
    order = orders(built)[order_id]
    assert not order.IS_VALID
    assert reason == order.INVALID_REASON
    assert not order.IS_FIRST_ORDER


def test_first_order_flag_respects_the_prior_state(built: Built) -> None:
    rows = orders(built)
    assert rows["o-midnight"].IS_FIRST_ORDER
    assert not rows["o-old-1"].IS_FIRST_ORDER
    assert not rows["o-old-2"].IS_FIRST_ORDER
    firsts = built.rows("USER_FIRST_ORDERS", "USER_ID")
    assert set(firsts) == {"u1", "u2", "u3", "u4"}
    assert firsts["u1"].FIRST_ORDER_ID == "o-midnight"
    assert firsts["u1"].FIRST_ORDER_DATE == DAY


def test_order_lines_carry_catalog_names_and_the_order_validity(built: Built) -> None:
    lines = {(row.ORDER_ID, row.LINE_NUMBER): row for row in built.rows("ORDER_LINES")}
    line = lines[("o-cancel", 1)]
    assert (line.ITEM_NAME, line.CATEGORY, line.QUANTITY) == ("Masala Dosa", "main", 3)
    assert Decimal("360.00") == line.LINE_TOTAL
    assert line.IS_VALID
    assert not lines[("o-item", 1)].IS_VALID
    assert lines[("o-item", 1)].CATEGORY is None
