"""`trigger` and `create` make the events eventsourcing's `trigger_event` and `_create` make, for
every event class that takes them, and the aggregates' hot paths take them."""

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
from domain.events import create, trigger
from domain.order import STATUS_EVENTS, Order
from tests.unit.domain.builders import DOSA, NOW, OWNER, change, click, placed_order

CART_EVENTS = (ClickSession.ItemAddedToCart, ClickSession.ItemRemovedFromCart)
ID = uuid4()


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

    trigger(fast, event_class, fields, NOW)
    library.trigger_event(event_class, timestamp=NOW, **fields)
    trigger(shuffled, event_class, dict(reversed(fields.items())), NOW)  # the library's way

    [ours], [theirs], [reordered] = (a.collect_events() for a in (fast, library, shuffled))
    assert type(ours) is type(theirs) is type(reordered) is event_class
    # The same fields in the same order, however the caller ordered them.
    assert list(vars(ours).items()) == list(vars(theirs).items()) == list(vars(reordered).items())
    assert ours == theirs
    mapper = _mapper()
    assert mapper.to_stored_event(ours) == mapper.to_stored_event(theirs)
    assert vars(fast) == vars(library) == vars(shuffled)  # version, modified_on, cart, history


PLACED = {
    "event_id": uuid4(), "client_event_id": uuid4(), "client_order_id": None, "event_time": NOW,
    "received_at": NOW, "user_id": "usr_1", "restaurant_id": "rst_1", "session_id": None,
    "lines": [{"item_id": "itm_1", "name": "Masala Dosa", "unit_price": DOSA.price,
               "quantity": 2, "line_total": DOSA.price * 2}],
    "total_amount": DOSA.price * 2, "currency": "INR", "payment_method": "upi", "status": "placed",
}  # fmt: skip
CREATED = [(Order, Order.Placed, PLACED), (ClickSession, ClickSession.Opened, {"session_id": "s"})]


@pytest.mark.parametrize(("aggregate_class", "event_class", "fields"), CREATED)
def test_create_makes_the_event_and_the_aggregate_create_makes(
    aggregate_class: Any, event_class: Any, fields: dict[str, Any]
) -> None:
    made = [
        create(aggregate_class, event_class, ID, fields, NOW),
        aggregate_class._create(event_class, id=ID, timestamp=NOW, **fields),
        create(aggregate_class, event_class, ID, dict(reversed(fields.items())), NOW),
    ]
    events = [event for aggregate in made for event in aggregate.collect_events()]
    assert [type(e) for e in events] == [event_class] * 3
    first = list(vars(events[0]).items())
    assert all(list(vars(e).items()) == first for e in events)  # the same fields, in order
    mapper = _mapper()
    assert len({mapper.to_stored_event(e) for e in events}) == 1
    assert vars(made[0]) == vars(made[1]) == vars(made[2])


def test_values_trigger_cannot_place_are_refused_as_the_library_refuses_them() -> None:
    session = _session()
    values = _click_values(ClickSession.ImpressionRecorded)
    del values["page"]
    with pytest.raises(TypeError, match="Can't construct event"):
        trigger(session, ClickSession.ImpressionRecorded, values)
    with pytest.raises(TypeError, match="Can't construct event"):
        trigger(session, ClickSession.ImpressionRecorded, values | {"page": "m", "colour": "red"})
    assert session.version == 2
    assert not session.collect_events()
    with pytest.raises(TypeError, match="Unable to construct"):
        create(ClickSession, ClickSession.Opened, ID, {})


def test_opening_recording_placing_and_changing_status_take_the_hot_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def library_path(*_: object, **__: object) -> None:
        raise AssertionError("the library's way was taken, not the hot path")

    monkeypatch.setattr(Aggregate, "trigger_event", library_path)
    monkeypatch.setattr(Aggregate, "_create", library_path)
    session, order = ClickSession.open(OWNER, "ses_1"), _order()
    for event_type in ("impression", "click", "add_to_cart", "remove_from_cart"):
        session.record(click(event_type, quantity=2 if event_type == "add_to_cart" else None))
    session.record(click("checkout_started"), timestamp=NOW)
    for status in ("confirmed", "out_for_delivery", "delivered"):
        change(order, status)
    assert [type(e) for e in session.collect_events()][1:] == list(EVENT_CLASSES.values())
    assert [type(e) for e in order.collect_events()] == [
        Order.Confirmed, Order.OutForDelivery, Order.Delivered
    ]  # fmt: skip


def test_fields_that_name_what_trigger_sets_go_the_librarys_way() -> None:
    session = _session()
    fields = _click_values(ClickSession.ImpressionRecorded)
    trigger(session, ClickSession.ImpressionRecorded, fields | {"originator_version": 99})
    [recorded] = session.collect_events()
    assert (recorded.originator_version, session.version) == (3, 3)  # the library's own


class _Tally(Aggregate):
    class Counted(Aggregate.Event):
        by: int

        def mutate(self, aggregate: Any) -> Any:
            aggregate.own_mutate_ran = True
            return super().mutate(aggregate)

        def apply(self, aggregate: Any) -> None:
            aggregate.total = getattr(aggregate, "total", 0) + self.by


def test_an_event_with_a_mutate_of_its_own_goes_the_librarys_way() -> None:
    tally = _Tally()
    trigger(tally, _Tally.Counted, {"by": 2})
    assert (tally.own_mutate_ran, tally.total, tally.version) == (True, 2, 2)  # type: ignore[attr-defined]
