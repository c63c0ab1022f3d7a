"""Every event class FlowGuard stores, and a sample of each, made the way the domain makes them."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

from eventsourcing.domain import Aggregate, CanMutateAggregate

from application.user_orders import UserOrders
from domain.catalog import FoodItem
from domain.click_session import EVENT_TYPES, Click, ClickSession
from domain.order import Order

AGGREGATES: tuple[type[Aggregate], ...] = (Order, ClickSession, UserOrders)
NOW = datetime(2026, 11, 25, 12, 0, 0, 123456, tzinfo=UTC)
DOSA = FoodItem("itm_1", "rst_1", "Masala Dosa ₹", "Mains", "South", True, Decimal("120.5"))


def event_classes() -> list[type]:
    """Every event class declared by an aggregate (the classes the store can hold)."""
    return [
        value
        for aggregate in AGGREGATES
        for value in vars(aggregate).values()
        if isinstance(value, type)
        and issubclass(value, CanMutateAggregate)
        and value.__name__ not in ("Event", "Created")  # eventsourcing's own bases
    ]


def sample_events() -> list[Any]:
    """At least one event of every class that is ever triggered."""
    order = Order.place(
        order_id=uuid4(), user_id="usr_1", restaurant_id="rst_1", lines=[(DOSA, 2)],
        payment_method="upi", session_id=None, client_event_id=uuid4(), client_order_id=None,
        event_time=NOW, received_at=NOW,
    )  # fmt: skip
    for status in ("confirmed", "out_for_delivery", "delivered"):
        order.change_status(
            status, None, client_event_id=None, request_id=uuid4(),
            event_time=NOW + timedelta(minutes=1), received_at=NOW,
        )  # fmt: skip
    cancelled = Order.place(
        order_id=uuid4(), user_id="usr_2", restaurant_id="rst_1", lines=[(DOSA, 1)],
        payment_method="cash", session_id="s-9", client_event_id=None, client_order_id=uuid4(),
        event_time=NOW, received_at=NOW,
    )  # fmt: skip
    cancelled.change_status(
        "cancelled", "late, \"very\" 🚚", client_event_id=uuid4(), request_id=None,
        event_time=NOW - timedelta(hours=1), received_at=NOW,
    )  # fmt: skip
    index = UserOrders.open("usr_1")
    index.add(order.id)
    session = ClickSession.open("user:usr_1", "s-1")
    for n, event_type in enumerate(EVENT_TYPES):
        item = None if event_type == "checkout_started" else DOSA.item_id
        quantity = 1 if event_type in ("add_to_cart", "remove_from_cart") else None
        if event_type == "remove_from_cart":
            session.record(_click("add_to_cart", item, 2))
        session.record(_click(event_type, item, quantity, position=n))
    return [*order.collect_events(), *cancelled.collect_events(), *index.collect_events(),
            *session.collect_events()]  # fmt: skip


def _click(
    event_type: str, item_id: str | None, quantity: int | None, position: int | None = None
) -> Click:
    return Click(uuid4(), event_type, NOW, NOW, "usr_1", item_id, "rst_1", "menu", position,
                 quantity)  # fmt: skip
