"""Commands start from this process's last committed state; another process may have written
since. A stale state must never lose, duplicate or wrongly refuse an event, whether the command
runs in a thread or in an event loop (the `*_async` commands)."""

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import Application

from application.app import FlowGuardApp
from application.commands import ClickEventInput, PlaceOrder, RecordClickEvents
from application.results import OrderReceipt
from application.user_orders import UserOrders, user_orders_id
from domain.click_session import Click, ClickSession, click_session_id
from tests.unit.application.fakes import NOW, make_app, place

IN_LOOP = False


@pytest.fixture(params=[False, True], ids=["blocking", "in_loop"])
def app(request: pytest.FixtureRequest) -> Iterator[FlowGuardApp]:
    global IN_LOOP  # noqa: PLW0603 (the helpers below pick the path)
    IN_LOOP = request.param
    app = make_app()
    yield app
    app.close()


def ev(event_type: str, event_id: UUID | None = None, **kw: object) -> ClickEventInput:
    item = None if event_type == "checkout_started" else "itm_1"
    quantity = 1 if event_type == "add_to_cart" else None
    return ClickEventInput("ses_1", event_type, "rst_1", "menu", event_id or uuid4(), None,
                           item, None, quantity)  # fmt: skip


def record(app: FlowGuardApp, event: ClickEventInput):  # type: ignore[no-untyped-def]
    cmd = RecordClickEvents((event,), NOW)
    if IN_LOOP:
        return asyncio.run(app.record_click_events_async(cmd))
    return app.record_click_events(cmd)


def place_order(app: FlowGuardApp, cmd: PlaceOrder) -> OrderReceipt:
    return asyncio.run(app.place_order_async(cmd)) if IN_LOOP else app.place_order(cmd)


def written_elsewhere(app: FlowGuardApp, event_type: str, event_id: UUID) -> None:
    """Another gateway process records a click: through the store, not this app's commit."""
    session = app.load(click_session_id("ses_1"))
    assert isinstance(session, ClickSession)
    click = Click(event_id, event_type, NOW - timedelta(seconds=1), NOW, None,
                  "itm_1", "rst_1", "menu", None, 1)  # fmt: skip
    assert session.record(click)
    Application.save(app, session)


def stored_ids(app: FlowGuardApp) -> list[UUID]:
    return [e.event_id for e in list(app.events.get(click_session_id("ses_1")))[1:]]


def test_a_write_on_a_stale_session_conflicts_and_is_redone(app: FlowGuardApp) -> None:
    first, elsewhere, last = ev("impression"), uuid4(), ev("click")
    record(app, first)
    written_elsewhere(app, "click", elsewhere)
    result = record(app, last)
    assert (result.accepted, result.duplicates, result.rejected) == (1, 0, [])
    assert stored_ids(app) == [first.event_id, elsewhere, last.event_id]


def test_an_event_recorded_elsewhere_is_a_duplicate_not_a_second_copy(app: FlowGuardApp) -> None:
    record(app, ev("impression"))
    resent = uuid4()
    written_elsewhere(app, "click", resent)
    result = record(app, ev("click", resent))
    assert (result.accepted, result.duplicates) == (0, 1)
    assert stored_ids(app).count(resent) == 1


def test_a_refusal_is_never_decided_on_a_stale_session(app: FlowGuardApp) -> None:
    record(app, ev("impression"))  # this process last saw an empty cart
    written_elsewhere(app, "add_to_cart", uuid4())
    result = record(app, ev("checkout_started"))
    assert (result.accepted, result.rejected) == (1, [])


def test_a_real_refusal_still_stands(app: FlowGuardApp) -> None:
    record(app, ev("impression"))
    result = record(app, ev("checkout_started"))
    assert result.accepted == 0
    assert [r.index for r in result.rejected] == [0]


def test_an_order_on_a_stale_user_index_is_redone_and_both_are_listed(app: FlowGuardApp) -> None:
    first = place_order(app, place())
    index = app.load(user_orders_id("usr_1"))
    assert isinstance(index, UserOrders)
    elsewhere = uuid4()
    index.add(elsewhere)
    Application.save(app, index)
    second = place_order(app, place())
    stored = app.load(user_orders_id("usr_1"))
    assert isinstance(stored, UserOrders)
    assert stored.order_ids == [first.order_id, elsewhere, second.order_id]


def test_the_next_click_of_a_session_reads_nothing_from_the_store(app: FlowGuardApp) -> None:
    first, second = ev("impression"), ev("click")
    record(app, first)
    reads: list[UUID] = []
    load = app.load
    app.load = lambda aggregate_id: reads.append(aggregate_id) or load(aggregate_id)  # type: ignore[method-assign]
    result = record(app, second)
    assert (result.accepted, reads) == (1, [])
    assert stored_ids(app) == [first.event_id, second.event_id]


def stored_elsewhere_first(app: FlowGuardApp, event_type: str, event_id: UUID) -> None:
    """Another process opened the session; this one has never seen it."""
    session = ClickSession.open("ses_1")
    click = Click(event_id, event_type, NOW - timedelta(seconds=1), NOW, None,
                  "itm_1", "rst_1", "menu", None, 1)  # fmt: skip
    assert session.record(click)
    Application.save(app, session)


def test_a_session_opened_elsewhere_is_not_opened_twice(app: FlowGuardApp) -> None:
    elsewhere, here = uuid4(), ev("click")
    stored_elsewhere_first(app, "impression", elsewhere)
    result = record(app, here)
    assert (result.accepted, result.duplicates, result.rejected) == (1, 0, [])
    assert stored_ids(app) == [elsewhere, here.event_id]


def test_a_resend_to_a_session_never_seen_here_is_a_duplicate(app: FlowGuardApp) -> None:
    resent = uuid4()
    stored_elsewhere_first(app, "click", resent)
    result = record(app, ev("click", resent))
    assert (result.accepted, result.duplicates) == (0, 1)
    assert stored_ids(app) == [resent]


def test_a_refusal_is_never_decided_on_a_session_never_seen_here(app: FlowGuardApp) -> None:
    stored_elsewhere_first(app, "add_to_cart", uuid4())  # the cart is not empty
    result = record(app, ev("checkout_started"))
    assert (result.accepted, result.rejected) == (1, [])


def test_a_first_order_here_of_a_user_with_orders_elsewhere_keeps_them(app: FlowGuardApp) -> None:
    index, elsewhere = UserOrders.open("usr_1"), uuid4()
    index.add(elsewhere)
    Application.save(app, index)
    mine = place_order(app, place())
    stored = app.load(user_orders_id("usr_1"))
    assert isinstance(stored, UserOrders)
    assert stored.order_ids == [elsewhere, mine.order_id]


def test_the_first_click_of_a_new_session_reads_nothing_in_the_loop(app: FlowGuardApp) -> None:
    reads: list[UUID] = []
    load = app.load
    app.load = lambda aggregate_id: reads.append(aggregate_id) or load(aggregate_id)  # type: ignore[method-assign]
    first = ev("impression")
    result = record(app, first)
    assert result.accepted == 1
    assert stored_ids(app) == [first.event_id]
    assert reads == ([] if IN_LOOP else [click_session_id("ses_1")])
