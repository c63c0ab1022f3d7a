"""Placed orders and user-index entries written straight from their fields are stored exactly as
the mapper stores them: the same topic, version and bytes (the relay reads those bytes)."""

from collections.abc import Iterator
from datetime import timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent

from application.app import FlowGuardApp
from application.stored_orders import stored_order_writer
from application.user_orders import UserOrders
from domain.catalog import FoodItem
from domain.order import Order
from tests.unit.application.fakes import NOW, make_app

IST = timezone(timedelta(hours=5, minutes=30))
DOSA = FoodItem("itm_1", "rst_1", "Masala Dosa", "Mains", "South Indian", True, Decimal("120"))
ODD = FoodItem("itm_2", "rst_1", 'a "quoted" dish\\ ✓ \u2028\x00', "M", "C", True, Decimal("0.5"))


@pytest.fixture
def app() -> Iterator[FlowGuardApp]:
    app = make_app()
    yield app
    app.close()


def placed(**overrides: Any) -> Order:
    fields: dict[str, Any] = {
        "order_id": uuid4(),
        "user_id": "usr_1",
        "restaurant_id": "rst_1",
        "lines": [(DOSA, 2), (ODD, 50)],
        "payment_method": "upi",
        "session_id": "ses_1",
        "event_id": uuid4(),
        "event_time": NOW,
        "received_at": NOW,
    }
    return Order.place(**(fields | overrides))


def placed_events() -> list[Any]:
    orders = [
        placed(),
        placed(session_id=None, user_id="उपयोगकर्ता"),
        placed(event_time=NOW.astimezone(IST)),  # not UTC: isoformat()
        placed(received_at=NOW + timedelta(microseconds=7)),
    ]
    return [e for order in orders for e in order.collect_events()]


def index_events() -> list[Any]:
    index = UserOrders.open("usr_1")
    for _ in range(3):
        index.add(uuid4())
    return list(index.collect_events())  # the Opened event too (the mapper writes it)


def unwritable(event: Any, name: str, value: Any) -> Any:
    object.__setattr__(event, name, value)
    return event


def odd_events() -> list[Any]:
    """Events this writer leaves to the mapper; the stored result must not change."""
    line = {**placed().lines[0], "quantity": 2**70}  # beyond 64 bits
    return [
        unwritable(placed_events()[0], "extra", "value"),  # not the layout
        unwritable(placed_events()[0], "lines", [line]),
        unwritable(placed_events()[0], "lines", [{**line, "quantity": True}]),  # not an int
        unwritable(placed_events()[0], "total_amount", 1.5),
        unwritable(index_events()[1], "order_id", "not a UUID"),
    ]


def test_every_event_is_stored_as_the_mapper_stores_it(app: FlowGuardApp) -> None:
    to_stored = stored_order_writer(app.mapper, app.mapper.to_stored_event)
    for event in placed_events() + index_events() + odd_events():
        assert to_stored(event) == app.mapper.to_stored_event(event)


def test_the_stored_state_decodes_to_the_event(app: FlowGuardApp) -> None:
    to_stored = stored_order_writer(app.mapper, app.mapper.to_stored_event)
    for event in placed_events() + index_events():
        stored = to_stored(event)
        assert isinstance(stored, StoredEvent)
        assert app.mapper.to_domain_event(stored) == event


def test_the_writer_writes_the_orders_events_itself(app: FlowGuardApp) -> None:
    calls: list[Any] = []

    def fallback(event: Any) -> StoredEvent:
        calls.append(event)
        return app.mapper.to_stored_event(event)

    to_stored = stored_order_writer(app.mapper, fallback)
    opened, *added = index_events()
    for event in placed_events() + added:
        to_stored(event)
    assert calls == []
    to_stored(opened)
    assert calls == [opened]


def test_another_transcoder_keeps_the_fallback() -> None:
    mapper: Mapper[Any] = Mapper(JSONTranscoder())
    assert stored_order_writer(mapper, mapper.to_stored_event) == mapper.to_stored_event
