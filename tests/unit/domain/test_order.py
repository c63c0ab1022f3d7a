"""The Order aggregate: pricing, validation, identity and the lifecycle."""

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import uuid4

import orjson
import pytest
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    StoredEvent,
    UUIDAsHex,
)
from eventsourcing.utils import get_topic

from domain.errors import IllegalTransition, Invalid
from domain.order import Order
from tests.unit.domain.builders import DOSA, NOW, OWNER, ROLL, VADA, change, placed_order

PUBLISHED_META = {"originator_id", "originator_version", "timestamp", "originator_topic"}
# What the envelope carries beside the payload (application/codec/envelopes.py).
META = {"event_id", "client_event_id", "request_id", "event_time", "received_at"}


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
    with pytest.raises(Invalid) as raised:
        placed_order(payment_method="cheque")
    assert raised.value.errors[0].field == "payment_method"


def test_an_order_id_is_derived_from_its_owner_and_token() -> None:
    token = f"order_id:{uuid4()}"
    assert Order.create_id(OWNER, token) == Order.create_id(OWNER, token)
    assert Order.create_id(OWNER, token) != Order.create_id("user:usr_2", token)
    assert Order.create_id(OWNER, token) != Order.create_id("caller:abc", token)
    assert Order.create_id(OWNER, token) != Order.create_id(OWNER, f"key:{token}")


def test_placing_mints_the_event_id_and_keeps_the_clients_ids_beside_it() -> None:
    client_event_id, client_order_id = uuid4(), uuid4()
    first = placed_order(client_event_id=client_event_id, client_order_id=client_order_id)
    second = placed_order(client_event_id=client_event_id, client_order_id=client_order_id)
    (placed,) = first.collect_events()
    assert placed.event_id not in (client_event_id, client_order_id)  # type: ignore[attr-defined]
    assert placed.client_event_id == client_event_id  # type: ignore[attr-defined]
    assert placed.client_order_id == client_order_id  # type: ignore[attr-defined]
    assert first.client_order_id == client_order_id
    entry = first.history[0]
    assert (entry.event_id, entry.client_event_id, entry.request_id) == (
        placed.event_id,  # type: ignore[attr-defined]
        client_event_id,
        None,
    )
    assert first.history[0].event_id != second.history[0].event_id


def test_the_happy_path_reaches_delivered() -> None:
    order = placed_order()
    for status in ("confirmed", "out_for_delivery", "delivered"):
        change(order, status)
    assert order.status == "delivered"
    assert [h.event_type for h in order.history] == [
        "order.placed", "order.confirmed", "order.out_for_delivery", "order.delivered",
    ]  # fmt: skip
    assert order.version == 4
    assert len({h.event_id for h in order.history}) == 4


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


def test_a_change_is_never_dated_before_the_placement() -> None:
    # Placed at 00:02 on day D+1; a tablet with a slow clock cancels it "at 23:59:30 on D".
    placed_at = datetime(2026, 11, 26, 0, 2, tzinfo=UTC)
    reported = datetime(2026, 11, 25, 23, 59, 30, tzinfo=UTC)
    order = placed_order(event_time=placed_at, received_at=placed_at)
    change(order, "cancelled", "slow clock", event_time=reported)
    _, cancelled = order.collect_events()
    assert cancelled.event_time == placed_at  # type: ignore[attr-defined]
    assert cancelled.event_time.date() == placed_at.date()  # type: ignore[attr-defined]
    assert cancelled.reported_time == reported  # type: ignore[attr-defined]
    assert order.history[-1].event_time == placed_at


def test_a_change_after_the_placement_keeps_its_own_time() -> None:
    order = placed_order()
    later = NOW + timedelta(minutes=20)
    change(order, "confirmed", event_time=later)
    _, confirmed = order.collect_events()
    assert confirmed.event_time == confirmed.reported_time == later  # type: ignore[attr-defined]


def test_a_change_remembers_its_request_token() -> None:
    order = placed_order()
    token = uuid4()
    change(order, "confirmed", request_id=token)
    change(order, "cancelled")
    entry = order.recorded_request(token)
    assert entry is not None
    assert (entry.status, entry.version, entry.request_id) == ("confirmed", 2, token)
    assert order.recorded_request(uuid4()) is None


def test_events_carry_exactly_the_contract_fields() -> None:
    order = placed_order()
    change(order, "confirmed")
    placed, confirmed = order.collect_events()
    assert placed.event_type == "order.placed"  # type: ignore[attr-defined]
    assert set(vars(placed)) - PUBLISHED_META - META == {
        "client_order_id", "user_id", "restaurant_id", "session_id", "lines", "total_amount",
        "currency", "payment_method", "status",
    }  # fmt: skip
    assert confirmed.event_type == "order.confirmed"  # type: ignore[attr-defined]
    assert set(vars(confirmed)) - PUBLISHED_META - META == {
        "reported_time", "user_id", "status", "reason",
    }  # fmt: skip
    assert set(vars(placed)) >= META - {"request_id"}
    assert set(vars(confirmed)) >= META


def test_each_event_is_the_event_its_class_would_construct() -> None:
    order = placed_order()
    change(order, "confirmed", "ok")
    for event in order.collect_events():
        rebuilt = type(event)(**vars(event))
        assert event == rebuilt
        assert list(vars(event).items()) == list(vars(rebuilt).items())  # the stored JSON's order


def test_placing_records_one_placed_event_under_the_orders_topic() -> None:
    order = placed_order()
    (event,) = order.collect_events()
    assert type(event) is Order.Placed
    # Stored events name this topic: it must not move.
    assert get_topic(Order) == "domain.order:Order" == event.originator_topic  # type: ignore[attr-defined]
    assert (event.originator_id, event.originator_version) == (order.id, 1)
    assert order.created_on == order.modified_on == event.timestamp
    rebuilt = event.mutate(None)
    assert isinstance(rebuilt, Order)
    assert {**vars(rebuilt), "_pending_events": None} == {**vars(order), "_pending_events": None}


def _mapper() -> Mapper[Any]:
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DatetimeAsISO(), DecimalAsStr()):
        transcoder.register(transcoding)
    return Mapper(transcoder)


def _as_version_1(mapper: Mapper[Any], event: Any, *new_fields: str) -> StoredEvent:
    """The event as version 1 stored it: without the fields version 2 added."""
    stored = mapper.to_stored_event(event)
    state = orjson.loads(stored.state)
    assert state.pop("class_version") == 2
    for name in new_fields:
        del state[name]
    return StoredEvent(stored.originator_id, stored.originator_version, stored.topic,
                       orjson.dumps(state))  # fmt: skip


def test_version_1_order_events_still_rebuild_the_order() -> None:
    mapper = _mapper()
    order = placed_order()
    change(order, "confirmed", "ok")
    placed, confirmed = order.collect_events()
    old = [
        _as_version_1(mapper, placed, "client_event_id", "client_order_id"),
        _as_version_1(mapper, confirmed, "client_event_id", "request_id", "reported_time"),
    ]
    upcast = [mapper.to_domain_event(stored) for stored in old]
    assert upcast[0].client_event_id is upcast[0].client_order_id is None  # type: ignore[attr-defined]
    assert upcast[0].event_id == placed.event_id  # type: ignore[attr-defined]
    assert upcast[1].reported_time == confirmed.event_time  # type: ignore[attr-defined]
    assert upcast[1].request_id is None  # type: ignore[attr-defined]
    rebuilt = upcast[1].mutate(upcast[0].mutate(None))
    assert isinstance(rebuilt, Order)
    assert (rebuilt.status, rebuilt.version, rebuilt.total_amount) == (
        "confirmed",
        2,
        order.total_amount,
    )
    assert [h.event_id for h in rebuilt.history] == [h.event_id for h in order.history]
