"""`trigger` makes the event eventsourcing's `trigger_event` makes, for every event class that
takes it, and the aggregates' hot paths take it."""

import copy
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    Mapper,
    UUIDAsHex,
)

from domain.click_session import EVENT_CLASSES, ClickSession
from domain.events import trigger
from domain.order import STATUS_EVENTS, Order
from tests.unit.domain.builders import NOW, OWNER, change, click, placed_order

CART_EVENTS = (ClickSession.ItemAddedToCart, ClickSession.ItemRemovedFromCart)


def _mapper() -> Mapper[Any]:
    transcoder = JSONTranscoder()
    for transcoding in (UUIDAsHex(), DatetimeAsISO(), DecimalAsStr()):
        transcoder.register(transcoding)
    return Mapper(transcoder=transcoder)


def _session() -> ClickSession:
    session = ClickSession.open(OWNER, "ses_1")
    session.record(click("add_to_cart", quantity=3))  # something in the cart to remove
    session.collect_events()
    return session


def _click_values(event_class: type[Aggregate.Event]) -> dict[str, Any]:
    values: dict[str, Any] = {
        "event_id": uuid4(), "client_event_id": uuid4(), "event_time": NOW, "received_at": NOW,
        "session_id": "ses_1", "user_id": "usr_1", "item_id": "itm_1", "restaurant_id": "rst_1",
        "page": "menu", "position": 3,
    }  # fmt: skip
    return values | ({"quantity": 2} if event_class in CART_EVENTS else {})


def _order() -> Order:
    order = placed_order()
    order.collect_events()
    return order


def _status_values(event_class: type[Order.StatusChanged]) -> dict[str, Any]:
    return {
        "event_id": uuid4(), "client_event_id": uuid4(), "request_id": uuid4(),
        "event_time": NOW, "reported_time": NOW, "received_at": NOW, "user_id": "usr_1",
        "status": event_class.event_type.removeprefix("order."), "reason": None,
    }  # fmt: skip


CASES = [(c, _session, _click_values) for c in EVENT_CLASSES.values()] + [
    (c, _order, _status_values) for c in STATUS_EVENTS.values()
]


@pytest.mark.parametrize(("event_class", "aggregate", "values"), CASES)
def test_trigger_makes_the_event_and_the_state_trigger_event_makes(
    event_class: Any, aggregate: Any, values: Any
) -> None:
    fast = aggregate()
    library, shuffled = copy.deepcopy(fast), copy.deepcopy(fast)
    fields = values(event_class)

    trigger(fast, event_class, timestamp=NOW, **fields)
    library.trigger_event(event_class, timestamp=NOW, **fields)
    trigger(shuffled, event_class, **dict(reversed(fields.items())), timestamp=NOW)

    [ours], [theirs], [reordered] = (a.collect_events() for a in (fast, library, shuffled))
    assert type(ours) is type(theirs) is type(reordered) is event_class
    # The same fields in the same order, however the caller ordered them.
    assert list(vars(ours).items()) == list(vars(theirs).items()) == list(vars(reordered).items())
    assert ours == theirs
    mapper = _mapper()
    assert mapper.to_stored_event(ours) == mapper.to_stored_event(theirs)
    assert vars(fast) == vars(library) == vars(shuffled)  # version, modified_on, cart, history


def test_values_trigger_cannot_place_are_refused_as_the_library_refuses_them() -> None:
    session = _session()
    values = _click_values(ClickSession.ImpressionRecorded)
    del values["page"]
    with pytest.raises(TypeError, match="Can't construct event"):
        trigger(session, ClickSession.ImpressionRecorded, **values)
    with pytest.raises(TypeError, match="Can't construct event"):
        trigger(session, ClickSession.ImpressionRecorded, **values, page="menu", colour="red")
    assert session.version == 2
    assert not session.collect_events()


def test_recording_clicks_and_changing_status_take_trigger(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def library_path(*_: object, **__: object) -> None:
        raise AssertionError("trigger_event was called: the hot path was not taken")

    session, order = ClickSession.open(OWNER, "ses_1"), _order()
    monkeypatch.setattr(Aggregate, "trigger_event", library_path)
    for event_type in ("impression", "click", "add_to_cart", "remove_from_cart"):
        session.record(click(event_type, quantity=2 if event_type == "add_to_cart" else None))
    session.record(click("checkout_started"), timestamp=NOW)
    for status in ("confirmed", "out_for_delivery", "delivered"):
        change(order, status)
    assert [type(e) for e in session.collect_events()][1:] == list(EVENT_CLASSES.values())
    assert [type(e) for e in order.collect_events()] == [
        Order.Confirmed, Order.OutForDelivery, Order.Delivered
    ]  # fmt: skip
