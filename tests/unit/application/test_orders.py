"""Order use cases over the in-memory event store."""

import asyncio
import threading
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError

from application.app import FlowGuardApp
from application.commands import ChangeOrderStatus, OrderLineRequest
from application.errors import (
    IdempotencyConflict,
    IllegalTransition,
    Invalid,
    NotFound,
    StoreUnavailable,
)
from application.user_orders import UserOrders, user_orders_id
from tests.unit.application.fakes import (
    NOW,
    FakeCatalog,
    FakeFailedEventStore,
    make_app,
    place,
    stored_events,
)


@pytest.fixture
def app() -> Iterator[FlowGuardApp]:
    app = make_app()
    yield app
    app.close()


def status(order_id: object, to: str, **kw: object) -> ChangeOrderStatus:
    return ChangeOrderStatus(order_id, to, NOW, **kw)  # type: ignore[arg-type]


def test_placing_an_order_prices_it_from_the_catalog(app: FlowGuardApp) -> None:
    receipt = app.place_order(place())
    assert (receipt.status, receipt.total_amount, receipt.currency) == (
        "placed",
        Decimal("280.00"),
        "INR",
    )
    assert (receipt.version, receipt.replayed) == (1, False)
    view = app.get_order(receipt.order_id)
    assert [line.line_total for line in view.lines] == [Decimal("240.00"), Decimal("40.00")]
    assert view.history[0].event_id == receipt.event_id


def test_unknown_and_foreign_items_are_reported_per_field(app: FlowGuardApp) -> None:
    lines = (
        OrderLineRequest("itm_404", 1),
        OrderLineRequest("itm_9", 1),
        OrderLineRequest("itm_1", 0),
    )
    with pytest.raises(Invalid) as raised:
        app.place_order(place(lines=lines))
    assert [e.field for e in raised.value.errors] == ["lines.0.item_id"]
    with pytest.raises(Invalid) as raised:
        app.place_order(place(lines=lines[1:]))
    assert [e.field for e in raised.value.errors] == ["lines.0.item_id", "lines.1.quantity"]
    assert stored_events(app) == 0


def test_an_event_more_than_five_minutes_ahead_is_rejected(app: FlowGuardApp) -> None:
    with pytest.raises(Invalid):
        app.place_order(place(occurred_at=NOW + timedelta(minutes=6)))


def test_a_retry_with_the_same_key_returns_the_original_and_stores_nothing(
    app: FlowGuardApp,
) -> None:
    first = app.place_order(place(idempotency_key="key-1"))
    before = stored_events(app)
    again = app.place_order(place(idempotency_key="key-1"))
    assert again == type(first)(**{**vars(first), "replayed": True})
    assert stored_events(app) == before


def test_a_client_event_id_is_an_idempotency_key(app: FlowGuardApp) -> None:
    event_id = uuid4()
    first = app.place_order(place(event_id=event_id))
    assert first.event_id == event_id
    assert app.place_order(place(event_id=event_id)).replayed


def test_the_same_key_with_another_body_is_a_conflict(app: FlowGuardApp) -> None:
    app.place_order(place(idempotency_key="key-1"))
    with pytest.raises(IdempotencyConflict):
        app.place_order(place(idempotency_key="key-1", payment_method="cash"))


def test_without_a_key_identical_requests_are_two_orders(app: FlowGuardApp) -> None:
    assert app.place_order(place()).order_id != app.place_order(place()).order_id


def test_twenty_concurrent_identical_requests_store_one_order(app: FlowGuardApp) -> None:
    receipts = []
    threads = [
        threading.Thread(
            target=lambda: receipts.append(app.place_order(place(idempotency_key="k")))
        )
        for _ in range(20)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({r.order_id for r in receipts}) == 1
    assert sum(not r.replayed for r in receipts) == 1
    assert len(app.list_orders("usr_1")) == 1


def test_status_changes_follow_the_lifecycle(app: FlowGuardApp) -> None:
    order_id = app.place_order(place()).order_id
    assert app.change_order_status(status(order_id, "confirmed")).version == 2
    with pytest.raises(IllegalTransition):
        app.change_order_status(status(order_id, "delivered"))
    cancelled = app.change_order_status(status(order_id, "cancelled", reason="rain"))
    assert (cancelled.status, cancelled.version) == ("cancelled", 3)
    assert [h.status for h in app.get_order(order_id).history] == [
        "placed",
        "confirmed",
        "cancelled",
    ]


def test_status_change_of_an_unknown_order_is_not_found(app: FlowGuardApp) -> None:
    with pytest.raises(NotFound):
        app.change_order_status(status(uuid4(), "confirmed"))
    with pytest.raises(NotFound):
        app.get_order(uuid4())


def test_a_status_retry_with_the_same_key_is_replayed(app: FlowGuardApp) -> None:
    order_id = app.place_order(place()).order_id
    first = app.change_order_status(status(order_id, "confirmed", idempotency_key="s-1"))
    again = app.change_order_status(status(order_id, "confirmed", idempotency_key="s-1"))
    assert (again.event_id, again.version, again.replayed) == (first.event_id, 2, True)
    with pytest.raises(IdempotencyConflict):
        app.change_order_status(status(order_id, "cancelled", idempotency_key="s-1"))


def test_list_orders_returns_a_users_orders_newest_first(app: FlowGuardApp) -> None:
    ids = [app.place_order(place()).order_id for _ in range(3)]
    app.place_order(place(user_id="usr_2"))
    assert [o.order_id for o in app.list_orders("usr_1")] == ids[::-1]
    assert [o.order_id for o in app.list_orders("usr_1", limit=1, offset=1)] == [ids[1]]
    assert app.list_orders("nobody") == []


def test_commands_work_without_group_commit() -> None:
    app = make_app(group_commit=False)
    order_id = app.place_order(place(idempotency_key="k")).order_id
    assert app.place_order(place(idempotency_key="k")).replayed
    assert app.change_order_status(status(order_id, "confirmed")).status == "confirmed"


def test_a_store_that_cannot_commit_is_unavailable_and_nothing_is_answered_as_stored() -> None:
    class BrokenStoreApp(FlowGuardApp):
        def _insert(self, *stored: object) -> None:
            raise OperationalError("connection refused")

    app = BrokenStoreApp(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"},
        catalog=FakeCatalog(),
        failed_events=FakeFailedEventStore(),
    )
    with pytest.raises(StoreUnavailable):
        app.place_order(place(idempotency_key="k"))
    assert stored_events(app) == 0
    app.close()


def broken_store_app(error: Exception) -> FlowGuardApp:
    class BrokenStoreApp(FlowGuardApp):
        def _insert(self, *stored: object) -> None:
            raise error

    return BrokenStoreApp(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"},
        catalog=FakeCatalog(),
        failed_events=FakeFailedEventStore(),
    )


def test_a_store_failure_opens_the_breaker_and_the_next_command_fails_fast() -> None:
    app = broken_store_app(OperationalError("connection refused"))
    with pytest.raises(StoreUnavailable, match="connection refused") as first:
        app.place_order(place())
    assert isinstance(first.value.__cause__, OperationalError)
    with pytest.raises(StoreUnavailable, match="retry shortly"):
        app.place_order(place())
    app.close()


def test_writers_that_keep_conflicting_do_not_open_the_breaker() -> None:
    app = broken_store_app(IntegrityError("version taken"))
    for _ in range(2):  # the second call reaches the store too: no fail-fast
        with pytest.raises(StoreUnavailable, match="too many concurrent writers"):
            app.place_order(place())
    app.close()


def test_an_order_placed_in_the_loop_leaves_only_the_users_index_in_the_latest_cache(
    app: FlowGuardApp,
) -> None:
    # The next order reads the index from the cache; nothing reads an order from it, and a
    # cached order only took the place of click sessions and indexes.
    first = asyncio.run(app.place_order_async(place()))
    second = asyncio.run(app.place_order_async(place()))
    cached = app._latest.get(user_orders_id("usr_1"))
    assert isinstance(cached, UserOrders)
    assert cached.order_ids == [first.order_id, second.order_id]
    assert app._latest.get(first.order_id) is None
    assert app._latest.get(second.order_id) is None


def test_the_index_adds_the_event_trigger_event_would() -> None:
    fast, generic = UserOrders.open("usr_1"), UserOrders.open("usr_1")
    order_ids = [uuid4(), uuid4()]
    for order_id in order_ids:
        fast.add(order_id)
        generic.trigger_event(UserOrders.OrderAdded, order_id=order_id)
    recorded, expected = fast.collect_events(), generic.collect_events()
    for event, same in zip(recorded[1:], expected[1:], strict=True):
        assert type(event) is type(same)
        assert list(vars(event)) == list(vars(same))  # the stored JSON's order
        assert {**vars(event), "timestamp": None} == {**vars(same), "timestamp": None}
    assert (fast.version, fast.order_ids) == (3, order_ids)
    assert fast.modified_on == recorded[-1].timestamp
    rebuilt = None
    for event in recorded:  # replayed as the repository does
        rebuilt = event.mutate(rebuilt)
    assert isinstance(rebuilt, UserOrders)
    assert (rebuilt.id, rebuilt.version, rebuilt.order_ids) == (fast.id, 3, order_ids)
