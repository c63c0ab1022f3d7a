"""Order use cases over the in-memory event store."""

import asyncio
import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError, OperationalError

from application import identity
from application.app import FlowGuardApp
from application.commands import (
    ChangeOrderStatus,
    ClickEventInput,
    OrderLineRequest,
    RecordClickEvents,
)
from application.errors import (
    IdempotencyConflict,
    IllegalTransition,
    Invalid,
    NotFound,
    StoreUnavailable,
)
from application.results import OrderReceipt
from application.user_orders import UserOrders
from domain.click_session import ClickSession
from domain.order import Order
from tests.unit.application.fakes import (
    NOW,
    FakeCatalog,
    FakeFailedEventStore,
    make_app,
    place,
    reads_of,
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
    assert (receipt.client_order_id, receipt.client_event_id) == (None, None)
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
    assert stored_events(app) == 0


def test_a_skew_correction_out_of_range_is_refused_not_stored_as_1926(app: FlowGuardApp) -> None:
    slow = {"occurred_at": datetime(2000, 1, 1, tzinfo=UTC),
            "sent_at": datetime(2099, 12, 31, tzinfo=UTC)}  # fmt: skip
    with pytest.raises(Invalid) as raised:
        app.place_order(place(**slow))
    assert [e.field for e in raised.value.errors] == ["sent_at"]
    assert stored_events(app) == 0
    order_id = app.place_order(place()).order_id
    with pytest.raises(Invalid):
        app.change_order_status(status(order_id, "confirmed", **slow))
    assert app.get_order(order_id).version == 1


def test_a_retry_with_the_same_key_returns_the_original_and_stores_nothing(
    app: FlowGuardApp,
) -> None:
    first = app.place_order(place(idempotency_key="key-1"))
    before = stored_events(app)
    again = app.place_order(place(idempotency_key="key-1"))
    assert again == OrderReceipt(**{**vars(first), "replayed": True})
    assert stored_events(app) == before


def test_a_client_event_id_is_an_idempotency_token_not_the_stored_id(app: FlowGuardApp) -> None:
    event_id = uuid4()
    first = app.place_order(place(event_id=event_id))
    assert first.client_event_id == event_id
    assert first.event_id != event_id
    assert first.order_id != event_id
    again = app.place_order(place(event_id=event_id))
    assert again.replayed
    assert (again.order_id, again.event_id) == (first.order_id, first.event_id)


def test_a_client_order_id_is_a_token_and_the_order_gets_the_servers_id(
    app: FlowGuardApp,
) -> None:
    client_order_id = uuid4()
    receipt = app.place_order(place(order_id=client_order_id))
    assert receipt.order_id == Order.create_id("user:usr_1", f"order_id:{client_order_id}")
    assert receipt.order_id != client_order_id
    assert receipt.client_order_id == client_order_id
    assert app.get_order(receipt.order_id).client_order_id == client_order_id
    with pytest.raises(NotFound):
        app.get_order(client_order_id)
    assert app.place_order(place(order_id=client_order_id, idempotency_key="other")).replayed


def test_two_orders_of_two_users_with_one_client_event_id_are_both_stored(
    app: FlowGuardApp,
) -> None:
    shared = uuid4()
    one = app.place_order(place(user_id="usr_1", event_id=shared))
    two = app.place_order(place(user_id="usr_2", event_id=shared))
    assert not one.replayed
    assert not two.replayed
    assert one.order_id != two.order_id
    assert one.event_id != two.event_id
    assert one.client_event_id == two.client_event_id == shared
    for receipt in (one, two):
        (entry,) = app.get_order(receipt.order_id).history
        assert (entry.event_id, entry.client_event_id) == (receipt.event_id, shared)


def test_the_same_key_or_order_id_from_two_users_is_two_orders(app: FlowGuardApp) -> None:
    client_order_id = uuid4()
    for token in ({"idempotency_key": "key-1"}, {"order_id": client_order_id}):
        one = app.place_order(place(user_id="usr_1", **token))
        two = app.place_order(place(user_id="usr_2", **token))
        assert one.order_id != two.order_id
        assert not two.replayed
    assert len(app.list_orders("usr_1")) == len(app.list_orders("usr_2")) == 2


def test_the_same_key_with_another_body_is_a_conflict_that_names_no_order(
    app: FlowGuardApp,
) -> None:
    client_order_id = uuid4()
    first = app.place_order(place(idempotency_key="key-1", order_id=client_order_id))
    with pytest.raises(IdempotencyConflict) as raised:
        app.place_order(place(idempotency_key="key-1", order_id=client_order_id,
                              payment_method="cash"))  # fmt: skip
    message = str(raised.value)
    assert str(first.order_id) not in message
    assert str(first.order_id.hex) not in message
    assert str(first.event_id) not in message


def test_with_callers_the_token_is_scoped_to_the_caller(app: FlowGuardApp) -> None:
    mine = app.place_order(place(idempotency_key="key-1", caller="c1"))
    # The same caller, the same token, another user: another body of the same request.
    with pytest.raises(IdempotencyConflict):
        app.place_order(place(idempotency_key="key-1", caller="c1", user_id="usr_2"))
    theirs = app.place_order(place(idempotency_key="key-1", caller="c2"))
    assert theirs.order_id != mine.order_id
    assert not theirs.replayed
    assert app.place_order(place(idempotency_key="key-1", caller="c1")).order_id == mine.order_id


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
    assert len(receipts) == 20
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


def test_a_status_change_keeps_the_clients_event_id_beside_the_servers(
    app: FlowGuardApp,
) -> None:
    order_id = app.place_order(place()).order_id
    client_event_id = uuid4()
    first = app.change_order_status(status(order_id, "confirmed", event_id=client_event_id))
    assert first.client_event_id == client_event_id != first.event_id
    again = app.change_order_status(status(order_id, "confirmed", event_id=client_event_id))
    assert (again.replayed, again.event_id) == (True, first.event_id)
    entry = app.get_order(order_id).history[-1]
    assert (entry.event_id, entry.client_event_id) == (first.event_id, client_event_id)


def test_a_status_token_reused_by_another_caller_is_another_request(app: FlowGuardApp) -> None:
    order_id = app.place_order(place(caller="c1")).order_id
    app.change_order_status(status(order_id, "confirmed", idempotency_key="s-1", caller="c1"))
    # Not a replay of c1's change: a new request, which the lifecycle refuses.
    with pytest.raises(IllegalTransition):
        app.change_order_status(status(order_id, "confirmed", idempotency_key="s-1", caller="c2"))
    # Nor a conflict with it: c2's own change.
    theirs = app.change_order_status(
        status(order_id, "cancelled", idempotency_key="s-1", caller="c2")
    )
    assert (theirs.status, theirs.version, theirs.replayed) == ("cancelled", 3, False)
    again = app.change_order_status(
        status(order_id, "cancelled", idempotency_key="s-1", caller="c2")
    )
    assert (again.version, again.replayed) == (3, True)
    # The same caller, the same token, another body: a conflict.
    with pytest.raises(IdempotencyConflict):
        app.change_order_status(status(order_id, "cancelled", idempotency_key="s-1", caller="c1"))


def test_a_late_clock_never_dates_a_change_before_its_order(app: FlowGuardApp) -> None:
    # Placed at 00:02 on day D+1; the tablet's slow clock cancels it "at 23:59:30 on day D".
    placed_at = datetime(2026, 11, 26, 0, 2, tzinfo=UTC)
    reported = datetime(2026, 11, 25, 23, 59, 30, tzinfo=UTC)
    arrived = datetime(2026, 11, 26, 0, 3, tzinfo=UTC)
    order_id = app.place_order(place(occurred_at=placed_at, received_at=arrived)).order_id
    cancel = ChangeOrderStatus(order_id, "cancelled", arrived + timedelta(minutes=2),
                               reason="slow clock", occurred_at=reported)  # fmt: skip
    app.change_order_status(cancel)
    view = app.get_order(order_id)
    assert view.updated_at == view.placed_at == placed_at
    assert view.history[-1].event_time >= view.history[0].event_time
    assert view.history[-1].event_time.date() == placed_at.date()
    cancelled = list(app.events.get(order_id))[-1]
    assert cancelled.reported_time == reported  # type: ignore[attr-defined]


def test_list_orders_returns_a_users_orders_newest_first(app: FlowGuardApp) -> None:
    ids = [app.place_order(place()).order_id for _ in range(3)]
    app.place_order(place(user_id="usr_2"))
    assert [o.order_id for o in app.list_orders("usr_1")] == ids[::-1]
    assert [o.order_id for o in app.list_orders("usr_1", limit=1, offset=1)] == [ids[1]]
    assert app.list_orders("nobody") == []


# --- ids of other kinds of aggregate --------------------------------------------------------


def test_an_order_id_naming_the_users_index_touches_nothing_of_it(app: FlowGuardApp) -> None:
    first = app.place_order(place())
    index_id = UserOrders.create_id("usr_1")
    hostile = app.place_order(place(order_id=index_id))
    assert hostile.order_id != index_id
    assert hostile.client_order_id == index_id
    nxt = app.place_order(place())  # the user's next order works
    assert [o.order_id for o in app.list_orders("usr_1")] == [
        nxt.order_id,
        hostile.order_id,
        first.order_id,
    ]


def test_an_order_id_naming_a_click_session_touches_nothing_of_it(app: FlowGuardApp) -> None:
    def click() -> int:
        event = ClickEventInput(
            "ses_1", "impression", "rst_1", "menu", user_id="usr_1", item_id="itm_1"
        )
        return app.record_click_events(RecordClickEvents((event,), NOW)).accepted

    assert click() == 1
    session_id = ClickSession.create_id(identity.owner(None, "usr_1"), "ses_1")
    receipt = app.place_order(place(order_id=session_id))
    assert receipt.order_id != session_id
    assert click() == 1  # the session still takes clicks
    session = app.load(session_id)
    assert isinstance(session, ClickSession)
    assert session.version == 3


@pytest.mark.parametrize("in_loop", [False, True], ids=["blocking", "in_loop"])
def test_a_status_change_of_another_kind_of_aggregate_is_not_found(
    app: FlowGuardApp, in_loop: bool
) -> None:
    event = ClickEventInput(
        "ses_1", "impression", "rst_1", "menu", user_id="usr_1", item_id="itm_1"
    )
    assert app.record_click_events(RecordClickEvents((event,), NOW)).accepted == 1  # cached
    app.place_order(place())
    session_id = ClickSession.create_id(identity.owner(None, "usr_1"), "ses_1")

    def change(cmd: ChangeOrderStatus) -> OrderReceipt:
        if in_loop:
            return asyncio.run(app.change_order_status_async(cmd))
        return app.change_order_status(cmd)

    for other in (session_id, UserOrders.create_id("usr_1")):
        with pytest.raises(NotFound):
            change(status(other, "confirmed"))
        with pytest.raises(NotFound):
            app.get_order(other)
    assert app.list_orders("usr_1")[0].version == 1


# --- the store ------------------------------------------------------------------------------


def test_commands_work_without_group_commit() -> None:
    app = make_app(group_commit=False)
    order_id = app.place_order(place(idempotency_key="k")).order_id
    assert app.place_order(place(idempotency_key="k")).replayed
    assert app.change_order_status(status(order_id, "confirmed")).status == "confirmed"
    app.close()


def broken_store_app(error: Exception, *, group_commit: bool = True) -> FlowGuardApp:
    class BrokenStoreApp(FlowGuardApp):
        def _insert(self, *stored: object) -> None:
            raise error

    return BrokenStoreApp(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"},
        catalog=FakeCatalog(),
        failed_events=FakeFailedEventStore(),
        group_commit=group_commit,
    )


@pytest.mark.parametrize("group_commit", [True, False])
def test_a_store_that_cannot_commit_is_unavailable_and_nothing_is_answered_as_stored(
    group_commit: bool,
) -> None:
    app = broken_store_app(OperationalError("connection refused"), group_commit=group_commit)
    with pytest.raises(StoreUnavailable):
        app.place_order(place(idempotency_key="k"))
    assert stored_events(app) == 0
    app.close()


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


def test_the_next_order_in_the_loop_reads_the_users_index_from_no_store(
    app: FlowGuardApp,
) -> None:
    first = asyncio.run(app.place_order_async(place()))
    reads = reads_of(app)
    second = asyncio.run(app.place_order_async(place()))
    assert reads == []
    index = app.load(UserOrders.create_id("usr_1"))
    assert isinstance(index, UserOrders)
    assert index.order_ids == [first.order_id, second.order_id]


def test_the_users_index_has_its_own_stable_id() -> None:
    assert UserOrders.create_id("usr_1") == UserOrders.open("usr_1").id
    assert UserOrders.create_id("usr_1") != UserOrders.create_id("usr_2")
    # Derived in its own namespace: no order or session gets it from the same strings.
    assert UserOrders.create_id("usr_1") not in (
        Order.create_id("usr_1", ""),
        ClickSession.create_id("usr_1", ""),
    )


def test_the_index_replays_to_the_order_ids_it_added() -> None:
    index = UserOrders.open("usr_1")
    order_ids: list[UUID] = [uuid4(), uuid4()]
    for order_id in order_ids:
        index.add(order_id)
    events = index.collect_events()
    assert not any(hasattr(e, "event_type") for e in events)  # never published
    rebuilt = None
    for event in events:  # replayed as the repository does
        rebuilt = event.mutate(rebuilt)
    assert isinstance(rebuilt, UserOrders)
    assert (rebuilt.id, rebuilt.version, rebuilt.order_ids) == (index.id, 3, order_ids)
    assert rebuilt.user_id == "usr_1"
