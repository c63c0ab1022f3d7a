"""The Order aggregate: pricing, validation and the lifecycle."""

from decimal import Decimal

import pytest
from eventsourcing.utils import get_topic

from domain.errors import IllegalTransition, Invalid
from domain.order import ORDER_TOPIC, Order
from tests.unit.domain.builders import DOSA, NOW, ROLL, VADA, change, placed_order

PUBLISHED_META = {"originator_id", "originator_version", "timestamp", "originator_topic"}
META = {"event_id", "event_time", "received_at"}


def test_total_is_computed_from_catalog_prices() -> None:
    order = placed_order([(DOSA, 2), (VADA, 3)])
    assert order.total_amount == Decimal("418.50")
    assert [line["line_total"] for line in order.lines] == [Decimal("240.00"), Decimal("178.50")]
    assert order.currency == "INR"
    assert order.status == "placed"


def test_an_order_needs_at_least_one_line() -> None:
    with pytest.raises(Invalid) as raised:
        placed_order([])
    assert raised.value.errors[0].field == "lines"


@pytest.mark.parametrize("quantity", [0, 51, -1])
def test_quantity_must_be_between_1_and_50(quantity: int) -> None:
    with pytest.raises(Invalid) as raised:
        placed_order([(DOSA, 1), (VADA, quantity)])
    assert [e.field for e in raised.value.errors] == ["lines.1.quantity"]


def test_items_of_another_restaurant_are_rejected() -> None:
    with pytest.raises(Invalid) as raised:
        placed_order([(ROLL, 1)])
    assert raised.value.errors[0].field == "lines.0.item_id"


def test_unknown_payment_method_is_rejected() -> None:
    with pytest.raises(Invalid):
        Order.place(
            order_id=placed_order().id, user_id="u", restaurant_id="rst_1", lines=[(DOSA, 1)],
            payment_method="cheque", session_id=None, event_id=placed_order().id,
            event_time=NOW, received_at=NOW,
        )  # fmt: skip


def test_the_happy_path_reaches_delivered() -> None:
    order = placed_order()
    for status in ("confirmed", "out_for_delivery", "delivered"):
        change(order, status)
    assert order.status == "delivered"
    assert [h.event_type for h in order.history] == [
        "order.placed", "order.confirmed", "order.out_for_delivery", "order.delivered",
    ]  # fmt: skip
    assert order.version == 4


@pytest.mark.parametrize("steps", [[], ["confirmed"], ["confirmed", "out_for_delivery"]])
def test_cancel_is_allowed_before_delivery(steps: list[str]) -> None:
    order = placed_order()
    for status in steps:
        change(order, status)
    change(order, "cancelled", "customer changed their mind")
    assert order.status == "cancelled"
    assert order.history[-1].reason == "customer changed their mind"


@pytest.mark.parametrize(
    ("steps", "illegal"),
    [
        (["confirmed", "out_for_delivery", "delivered"], "cancelled"),
        (["cancelled"], "delivered"),
        (["confirmed"], "confirmed"),
        ([], "delivered"),
        ([], "placed"),
    ],
)
def test_other_transitions_are_domain_errors(steps: list[str], illegal: str) -> None:
    order = placed_order()
    for status in steps:
        change(order, status)
    with pytest.raises(IllegalTransition):
        change(order, illegal)


def test_unknown_status_is_invalid() -> None:
    with pytest.raises(Invalid):
        change(placed_order(), "teleported")


def test_events_carry_exactly_the_contract_fields() -> None:
    order = placed_order()
    change(order, "confirmed")
    placed, confirmed = order.collect_events()
    assert placed.event_type == "order.placed"  # type: ignore[attr-defined]
    assert set(vars(placed)) - PUBLISHED_META - META == {
        "user_id", "restaurant_id", "session_id", "lines", "total_amount", "currency",
        "payment_method", "status",
    }  # fmt: skip
    assert confirmed.event_type == "order.confirmed"  # type: ignore[attr-defined]
    assert set(vars(confirmed)) - PUBLISHED_META - META == {"user_id", "status", "reason"}
    assert set(vars(placed)) >= META
    assert set(vars(confirmed)) >= META


def test_placing_records_the_event_and_order_create_would() -> None:
    order = placed_order()
    (event,) = order.collect_events()
    fields = {k: v for k, v in vars(event).items() if not k.startswith("originator")}
    del fields["timestamp"]
    generic = Order._create(Order.Placed, id=order.id, **fields)
    (same,) = generic.collect_events()
    assert ORDER_TOPIC == get_topic(Order) == event.originator_topic  # type: ignore[attr-defined]
    assert type(event) is type(same)
    assert list(vars(event)) == list(vars(same))  # the stored JSON's order
    assert {**vars(event), "timestamp": None} == {**vars(same), "timestamp": None}
    assert {**vars(order), "_pending_events": None, "_created_on": None, "_modified_on": None} == {
        **vars(generic), "_pending_events": None, "_created_on": None, "_modified_on": None,
    }  # fmt: skip
    assert order.created_on == order.modified_on == event.timestamp
