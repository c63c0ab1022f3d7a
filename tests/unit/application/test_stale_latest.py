"""Commands start from this process's last committed state; another process may have written
since. A stale state must never lose, duplicate or wrongly refuse an event, whether the command
runs in a thread or in an event loop (the `*_async` commands)."""

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import Application

from application import identity
from application.app import FlowGuardApp
from application.commands import ChangeOrderStatus, ClickEventInput, PlaceOrder, RecordClickEvents
from application.errors import IllegalTransition
from application.latest_committed import LatestCommitted
from application.results import ClickBatchResult, OrderReceipt
from application.user_orders import UserOrders
from domain.click_session import Click, ClickSession
from domain.order import Order
from tests.unit.application.fakes import NOW, make_app, place, reads_of

SESSION = ClickSession.create_id(identity.owner(None, None), "ses_1")


class Gateway:
    """The app's commands, on the blocking path or in an event loop."""

    def __init__(self, app: FlowGuardApp, in_loop: bool) -> None:
        self.app, self.in_loop = app, in_loop

    def record(self, event: ClickEventInput) -> ClickBatchResult:
        cmd = RecordClickEvents((event,), NOW)
        if self.in_loop:
            return asyncio.run(self.app.record_click_events_async(cmd))
        return self.app.record_click_events(cmd)

    def place(self, cmd: PlaceOrder) -> OrderReceipt:
        if self.in_loop:
            return asyncio.run(self.app.place_order_async(cmd))
        return self.app.place_order(cmd)

    def change(self, cmd: ChangeOrderStatus) -> OrderReceipt:
        if self.in_loop:
            return asyncio.run(self.app.change_order_status_async(cmd))
        return self.app.change_order_status(cmd)


@pytest.fixture(params=[False, True], ids=["blocking", "in_loop"])
def gateway(request: pytest.FixtureRequest) -> Iterator[Gateway]:
    app = make_app()
    yield Gateway(app, request.param)
    app.close()


def ev(event_type: str, event_id: UUID | None = None) -> ClickEventInput:
    item = None if event_type == "checkout_started" else "itm_1"
    quantity = 1 if event_type == "add_to_cart" else None
    return ClickEventInput("ses_1", event_type, "rst_1", "menu", event_id or uuid4(), None,
                           item, None, quantity)  # fmt: skip


def elsewhere_click(event_type: str, client_event_id: UUID) -> Click:
    return Click(client_event_id, event_type, NOW - timedelta(seconds=1), NOW, None,
                 "itm_1", "rst_1", "menu", None, 1)  # fmt: skip


def written_elsewhere(app: FlowGuardApp, event_type: str, client_event_id: UUID) -> None:
    """Another gateway process records a click: through the store, not this app's commit."""
    session = app.load(SESSION)
    assert isinstance(session, ClickSession)
    assert session.record(elsewhere_click(event_type, client_event_id)).new
    Application.save(app, session)


def stored_elsewhere_first(app: FlowGuardApp, event_type: str, client_event_id: UUID) -> None:
    """Another process opened the session; this one has never seen it."""
    session = ClickSession.open(identity.owner(None, None), "ses_1")
    assert session.record(elsewhere_click(event_type, client_event_id)).new
    Application.save(app, session)


def stored_ids(app: FlowGuardApp) -> list[UUID]:
    """The client's ids of the session's stored clicks, in order."""
    return [e.client_event_id for e in list(app.events.get(SESSION))[1:]]  # type: ignore[attr-defined]


def test_a_write_on_a_stale_session_conflicts_and_is_redone(gateway: Gateway) -> None:
    app = gateway.app
    first, elsewhere, last = ev("impression"), uuid4(), ev("click")
    gateway.record(first)
    written_elsewhere(app, "click", elsewhere)
    reads = reads_of(app)
    result = gateway.record(last)
    assert reads == [SESSION]  # decided on the cached state first, then on the store's
    assert (result.accepted, result.duplicates, result.rejected) == (1, 0, [])
    assert stored_ids(app) == [first.event_id, elsewhere, last.event_id]


def test_an_event_recorded_elsewhere_is_a_duplicate_not_a_second_copy(gateway: Gateway) -> None:
    app = gateway.app
    gateway.record(ev("impression"))
    resent = uuid4()
    written_elsewhere(app, "click", resent)
    result = gateway.record(ev("click", resent))
    assert (result.accepted, result.duplicates) == (0, 1)
    assert stored_ids(app).count(resent) == 1
    # The answer names the id the other process stored it under.
    (stored,) = [e for e in app.events.get(SESSION) if getattr(e, "client_event_id", 0) == resent]
    assert result.event_ids == {0: stored.event_id}  # type: ignore[attr-defined]


def test_a_refusal_is_never_decided_on_a_stale_session(gateway: Gateway) -> None:
    gateway.record(ev("impression"))  # this process last saw an empty cart
    written_elsewhere(gateway.app, "add_to_cart", uuid4())
    reads = reads_of(gateway.app)
    result = gateway.record(ev("checkout_started"))
    assert reads == [SESSION]
    assert (result.accepted, result.rejected) == (1, [])
    assert gateway.app.count_failed_events() == 0


def test_a_real_refusal_still_stands(gateway: Gateway) -> None:
    gateway.record(ev("impression"))
    result = gateway.record(ev("checkout_started"))
    assert result.accepted == 0
    assert [r.index for r in result.rejected] == [0]
    assert gateway.app.count_failed_events() == 1


def test_an_order_on_a_stale_user_index_is_redone_and_both_are_listed(gateway: Gateway) -> None:
    app = gateway.app
    first = gateway.place(place())
    index = app.load(UserOrders.create_id("usr_1"))
    assert isinstance(index, UserOrders)
    elsewhere = uuid4()
    index.add(elsewhere)
    Application.save(app, index)
    second = gateway.place(place())
    stored = app.load(UserOrders.create_id("usr_1"))
    assert isinstance(stored, UserOrders)
    assert stored.order_ids == [first.order_id, elsewhere, second.order_id]


def changed_elsewhere(app: FlowGuardApp, order_id: UUID, to: str, request_id: UUID | None) -> None:
    order = app.load(order_id)
    assert isinstance(order, Order)
    order.change_status(to, None, client_event_id=None, request_id=request_id,
                        event_time=NOW, received_at=NOW)  # fmt: skip
    Application.save(app, order)


def test_a_status_change_refused_on_a_stale_order_is_redone(gateway: Gateway) -> None:
    app = gateway.app
    order_id = gateway.place(place()).order_id  # this process last saw it placed
    changed_elsewhere(app, order_id, "confirmed", None)
    reads = reads_of(app)
    receipt = gateway.change(ChangeOrderStatus(order_id, "out_for_delivery", NOW))
    assert reads == [order_id]  # refused on the cached state, then decided on the store's
    assert (receipt.status, receipt.version) == ("out_for_delivery", 3)


def test_a_status_change_on_a_stale_order_is_decided_on_the_stores_state(
    gateway: Gateway,
) -> None:
    app = gateway.app
    order_id = gateway.place(place()).order_id
    changed_elsewhere(app, order_id, "cancelled", None)
    with pytest.raises(IllegalTransition):  # legal on the stale state, not on the store's
        gateway.change(ChangeOrderStatus(order_id, "confirmed", NOW))
    assert app.get_order(order_id).status == "cancelled"


def test_a_status_retry_recorded_elsewhere_is_replayed(gateway: Gateway) -> None:
    app = gateway.app
    order_id = gateway.place(place()).order_id
    request_id = identity.status_request_id("user:usr_1", "s-1", None)
    changed_elsewhere(app, order_id, "confirmed", request_id)
    again = gateway.change(ChangeOrderStatus(order_id, "confirmed", NOW, idempotency_key="s-1"))
    assert (again.replayed, again.version) == (True, 2)
    assert app.get_order(order_id).version == 2


def test_the_next_click_of_a_session_reads_nothing_from_the_store(gateway: Gateway) -> None:
    app = gateway.app
    first, second = ev("impression"), ev("click")
    gateway.record(first)
    reads = reads_of(app)
    result = gateway.record(second)
    assert (result.accepted, reads) == (1, [])
    assert stored_ids(app) == [first.event_id, second.event_id]


def test_a_session_opened_elsewhere_is_not_opened_twice(gateway: Gateway) -> None:
    elsewhere, here = uuid4(), ev("click")
    stored_elsewhere_first(gateway.app, "impression", elsewhere)
    result = gateway.record(here)
    assert (result.accepted, result.duplicates, result.rejected) == (1, 0, [])
    assert stored_ids(gateway.app) == [elsewhere, here.event_id]


def test_a_resend_to_a_session_never_seen_here_is_a_duplicate(gateway: Gateway) -> None:
    resent = uuid4()
    stored_elsewhere_first(gateway.app, "click", resent)
    result = gateway.record(ev("click", resent))
    assert (result.accepted, result.duplicates) == (0, 1)
    assert stored_ids(gateway.app) == [resent]


def test_a_refusal_is_never_decided_on_a_session_never_seen_here(gateway: Gateway) -> None:
    stored_elsewhere_first(gateway.app, "add_to_cart", uuid4())  # the cart is not empty
    result = gateway.record(ev("checkout_started"))
    assert (result.accepted, result.rejected) == (1, [])


def test_a_first_order_here_of_a_user_with_orders_elsewhere_keeps_them(gateway: Gateway) -> None:
    app = gateway.app
    index, elsewhere = UserOrders.open("usr_1"), uuid4()
    index.add(elsewhere)
    Application.save(app, index)
    mine = gateway.place(place())
    stored = app.load(UserOrders.create_id("usr_1"))
    assert isinstance(stored, UserOrders)
    assert stored.order_ids == [elsewhere, mine.order_id]


def test_the_first_click_of_a_new_session_reads_nothing_in_the_loop(gateway: Gateway) -> None:
    reads = reads_of(gateway.app)
    first = ev("impression")
    result = gateway.record(first)
    assert result.accepted == 1
    assert stored_ids(gateway.app) == [first.event_id]
    assert reads == ([] if gateway.in_loop else [SESSION])


def test_the_cache_hands_out_copies_a_failed_command_cannot_change() -> None:
    latest = LatestCommitted()
    session = ClickSession.open("user:usr_1", "ses_1")
    session.record(elsewhere_click("add_to_cart", uuid4()))
    session.collect_events()
    latest.remember([session])
    copied = latest.get(session.id)
    assert isinstance(copied, ClickSession)
    assert copied is not session
    copied.record(elsewhere_click("add_to_cart", uuid4()))  # decided, never committed
    cached = latest.get(session.id)
    assert isinstance(cached, ClickSession)
    assert (cached.cart, len(cached.seen), cached.version) == ({"itm_1": 1}, 1, 2)
    assert (copied.cart, len(copied.seen), copied.version) == ({"itm_1": 2}, 2, 3)
    assert cached.pending_events == []


def test_the_cache_keeps_the_newest_state_when_commits_finish_out_of_order() -> None:
    latest = LatestCommitted()
    older = ClickSession.open("user:usr_1", "ses_1")
    latest.remember([older])
    newer = latest.get(older.id)
    assert isinstance(newer, ClickSession)
    newer.record(elsewhere_click("impression", uuid4()))
    latest.remember([newer])
    latest.remember([older])  # a slower commit of the older state finishes last
    cached = latest.get(older.id)
    assert isinstance(cached, ClickSession)
    assert cached.version == 2
