"""Click use case: valid events stored under the server's ids, invalid ones reported by index
and kept, and a request answered with an error stored none of its events."""

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from application import identity
from application.app import FlowGuardApp
from application.commands import ClickEventInput, RecordClickEvents, RejectedInput
from application.errors import StoreUnavailable
from application.results import ClickBatchResult
from domain.click_session import ClickSession
from tests.unit.application.fakes import (
    NOW,
    BrokenFailedEventStore,
    FakeFailedEventStore,
    make_app,
    stored_events,
)


@pytest.fixture
def app() -> Iterator[FlowGuardApp]:
    app = make_app()
    yield app
    app.close()


def ev(event_type: str, item_id: str | None = "itm_1", **kw: object) -> ClickEventInput:
    fields: dict[str, object] = {
        "session_id": "ses_1", "event_type": event_type, "restaurant_id": "rst_1",
        "page": "menu", "event_id": uuid4(), "item_id": item_id,
    }  # fmt: skip
    return ClickEventInput(**{**fields, **kw})  # type: ignore[arg-type]


def record(app: FlowGuardApp, *events: ClickEventInput, **kw: object) -> ClickBatchResult:
    return app.record_click_events(RecordClickEvents(tuple(events), NOW, **kw))  # type: ignore[arg-type]


def session_id(
    session: str = "ses_1", user_id: str | None = None, caller: str | None = None
) -> UUID:
    return ClickSession.create_id(identity.owner(caller, user_id), session)


def stored(app: FlowGuardApp, session: UUID | None = None) -> list[object]:
    return list(app.events.get(session or session_id()))[1:]  # less the Opened event


def test_a_funnel_is_stored_in_the_sessions_stream(app: FlowGuardApp) -> None:
    result = record(app, ev("impression", position=0), ev("click"), ev("add_to_cart", quantity=2),
                    ev("checkout_started", item_id=None))  # fmt: skip
    assert (result.accepted, result.duplicates, result.rejected) == (4, 0, [])
    events = list(app.events.get(session_id()))
    assert [getattr(e, "event_type", None) for e in events] == [
        None, "click.impression", "click.click", "click.add_to_cart", "click.checkout_started",
    ]  # fmt: skip
    assert result.event_ids == {i: e.event_id for i, e in enumerate(events[1:])}  # type: ignore[attr-defined]


def test_a_stored_event_has_the_servers_id_and_keeps_the_clients(app: FlowGuardApp) -> None:
    sent = ev("impression")
    result = record(app, sent)
    (event,) = stored(app)
    assert event.event_id == result.event_ids[0] != sent.event_id  # type: ignore[attr-defined]
    assert event.client_event_id == sent.event_id  # type: ignore[attr-defined]


def test_a_resent_event_is_a_duplicate_and_stores_nothing(app: FlowGuardApp) -> None:
    impression = ev("impression")
    first = record(app, impression)
    before = stored_events(app)
    result = record(app, impression, impression)
    assert (result.accepted, result.duplicates, result.duplicate_indices) == (0, 2, [0, 1])
    # A duplicate answers with the id the event was stored under.
    assert result.event_ids == {0: first.event_ids[0], 1: first.event_ids[0]}
    assert stored_events(app) == before


def test_the_same_client_id_twice_in_one_batch_is_stored_once(app: FlowGuardApp) -> None:
    impression = ev("impression")
    result = record(app, impression, impression)
    assert (result.accepted, result.duplicates, result.duplicate_indices) == (1, 1, [1])
    assert result.event_ids[0] == result.event_ids[1]
    assert len(stored(app)) == 1


def test_the_same_client_id_in_two_sessions_is_two_facts(app: FlowGuardApp) -> None:
    shared = uuid4()
    result = record(app, ev("impression", event_id=shared),
                    ev("impression", event_id=shared, session_id="ses_2"))  # fmt: skip
    assert (result.accepted, result.duplicates) == (2, 0)
    assert result.event_ids[0] != result.event_ids[1]
    (one,), (two,) = stored(app), stored(app, session_id("ses_2"))
    assert one.client_event_id == two.client_event_id == shared  # type: ignore[attr-defined]
    assert {one.event_id, two.event_id} == set(result.event_ids.values())  # type: ignore[attr-defined]


def test_the_same_session_and_client_id_of_two_users_is_two_facts(app: FlowGuardApp) -> None:
    shared = uuid4()
    first = record(app, ev("impression", event_id=shared, user_id="usr_1"))
    second = record(app, ev("impression", event_id=shared, user_id="usr_2"))
    assert (first.accepted, second.accepted, second.duplicates) == (1, 1, 0)
    assert first.event_ids[0] != second.event_ids[0]
    assert len(stored(app, session_id(user_id="usr_1"))) == 1
    assert len(stored(app, session_id(user_id="usr_2"))) == 1


def test_with_callers_a_session_is_the_callers(app: FlowGuardApp) -> None:
    shared = uuid4()
    mine = record(app, ev("add_to_cart", event_id=shared, user_id="usr_1"), caller="c1")
    # The same caller, speaking for another user: the same session, so a retry.
    again = record(app, ev("add_to_cart", event_id=shared, user_id="usr_2"), caller="c1")
    theirs = record(app, ev("add_to_cart", event_id=shared, user_id="usr_1"), caller="c2")
    assert (mine.accepted, again.duplicates, theirs.accepted) == (1, 1, 1)
    assert again.event_ids == mine.event_ids
    assert theirs.event_ids[0] != mine.event_ids[0]
    assert len(stored(app, session_id(caller="c1"))) == 1
    assert len(stored(app, session_id(caller="c2"))) == 1


def test_invalid_events_are_reported_by_index_and_kept(app: FlowGuardApp) -> None:
    result = record(
        app,
        ev("click"),
        ev("click", item_id="itm_404"),
        ev("click", item_id="itm_9"),
        ev("remove_from_cart"),
        ev("click", occurred_at=NOW + timedelta(minutes=10)),
        ev("click", restaurant_id="rst_404"),
    )
    assert result.accepted == 1
    assert [(r.index, r.errors[0].reason) for r in result.rejected] == [
        (1, "unknown item"),
        (2, "belongs to another restaurant"),
        (3, "removes more than the 0 in the cart"),
        (4, "is more than 5 minutes in the future"),
        (5, "unknown restaurant"),
    ]
    assert list(result.event_ids) == [0]
    assert isinstance(app.failed_events, FakeFailedEventStore)
    kept = app.list_failed_events()
    assert len(kept) == 5
    assert {f.payload["item_id"] for f in kept} >= {"itm_404", "itm_9"}


def test_a_skew_correction_out_of_range_is_refused_not_stored_as_1926(app: FlowGuardApp) -> None:
    sent = ev("click", occurred_at=datetime(2000, 1, 1, tzinfo=UTC),
              sent_at=datetime(2099, 12, 31, tzinfo=UTC))  # fmt: skip
    result = record(app, sent)
    assert result.accepted == 0
    assert [(r.index, r.errors[0].field) for r in result.rejected] == [(0, "sent_at")]
    assert stored_events(app) == 0
    assert app.count_failed_events() == 1


def test_elements_that_failed_the_wire_schema_are_kept_at_their_index(app: FlowGuardApp) -> None:
    good = ev("impression")
    bad = RejectedInput(1, {"session_id": 7}, (("session_id", "must be a string"),))
    result = record(app, good, indices=(0,), rejected=(bad,))
    assert (result.accepted, list(result.event_ids)) == (1, [0])
    (kept,) = app.list_failed_events()
    assert (kept.kind, kept.payload) == ("click", {"session_id": 7})
    assert [(e.field, e.reason) for e in kept.errors] == [("session_id", "must be a string")]


def test_events_are_reported_at_their_indices_in_the_request(app: FlowGuardApp) -> None:
    result = record(app, ev("impression"), ev("remove_from_cart"), indices=(2, 5))
    assert list(result.event_ids) == [2]
    assert [r.index for r in result.rejected] == [5]


def test_events_without_an_id_get_a_fresh_one(app: FlowGuardApp) -> None:
    anonymous = ClickEventInput("ses_2", "impression", "rst_1", "home", item_id="itm_1")
    result = record(app, anonymous, anonymous)
    assert result.accepted == 2
    assert result.event_ids[0] != result.event_ids[1]
    assert [e.client_event_id for e in stored(app, session_id("ses_2"))] == [None, None]  # type: ignore[attr-defined]


def test_a_batch_spanning_sessions_is_one_commit(app: FlowGuardApp) -> None:
    events = [
        ClickEventInput(f"ses_{n}", "impression", "rst_1", "home", item_id="itm_1")
        for n in range(5)
    ]
    sizes: list[int] = []
    app.add_batch_observer(sizes.append)
    assert record(app, *events).accepted == 5
    assert sizes == [1]


def test_a_stored_click_carries_each_field_it_was_sent_with(app: FlowGuardApp) -> None:
    sent = ev("add_to_cart", user_id="usr_7", page="search", position=4, quantity=3,
              occurred_at=NOW - timedelta(seconds=5))  # fmt: skip
    result = record(app, sent)
    session = session_id(user_id="usr_7")
    (event,) = stored(app, session)
    assert vars(event) | {"timestamp": None} == {
        "originator_id": session, "originator_version": 2, "timestamp": None,
        "event_id": result.event_ids[0], "client_event_id": sent.event_id,
        "event_time": NOW - timedelta(seconds=5), "received_at": NOW,
        "session_id": "ses_1", "user_id": "usr_7", "item_id": "itm_1", "restaurant_id": "rst_1",
        "page": "search", "position": 4, "quantity": 3,
    }  # fmt: skip


# --- all or nothing -----------------------------------------------------------------------


def mixed_batch() -> tuple[ClickEventInput, ...]:
    """Valid events of two sessions, and events refused on their own merits and by the funnel."""
    return (
        ev("add_to_cart", quantity=2),
        ev("click", item_id="itm_404"),
        ev("impression", session_id="ses_2"),
        ev("remove_from_cart", session_id="ses_2"),
    )


@pytest.mark.parametrize("in_loop", [False, True], ids=["blocking", "in_loop"])
def test_a_failed_event_store_that_cannot_write_fails_the_request_and_stores_no_event(
    in_loop: bool,
) -> None:
    failed_events = BrokenFailedEventStore()
    app = make_app(failed_events=failed_events)
    batch = mixed_batch()

    def send() -> ClickBatchResult:
        cmd = RecordClickEvents(batch, NOW)
        if in_loop:
            return asyncio.run(app.record_click_events_async(cmd))
        return app.record_click_events(cmd)

    try:
        with pytest.raises(StoreUnavailable, match="failed-event store"):
            send()
        assert app.recorder.max_notification_id() is None  # no event stored
        assert failed_events.events == []
        with pytest.raises(StoreUnavailable):  # still down: the same again
            send()
        assert app.recorder.max_notification_id() is None
        first_ids = failed_events.attempts[0]
        assert len(first_ids) == 2
        assert failed_events.attempts[1] == first_ids
        # Nothing was remembered as stored: once the store is back, the retry stores it all.
        failed_events.down = False
        result = send()
        assert (result.accepted, result.duplicates, len(result.rejected)) == (2, 0, 2)
        assert [f.failed_id for f in failed_events.events] == first_ids
        stored_after_retry = stored_events(app)
        assert stored_after_retry > 0
        # Another identical retry: duplicates, and the failed events are not kept twice.
        again = send()
        assert (again.accepted, again.duplicates) == (0, 2)
        assert again.event_ids == result.event_ids
        assert stored_events(app) == stored_after_retry
        assert [f.failed_id for f in failed_events.events] == first_ids
    finally:
        app.close()


def test_a_down_failed_event_store_does_not_open_the_event_stores_breaker() -> None:
    failed_events = BrokenFailedEventStore()
    app = make_app(failed_events=failed_events)
    try:
        with pytest.raises(StoreUnavailable):
            record(app, ev("click", item_id="itm_404"))
        assert record(app, ev("impression")).accepted == 1  # no fail-fast
    finally:
        app.close()


def test_failed_events_of_another_caller_are_kept_apart(app: FlowGuardApp) -> None:
    bad = ev("click", item_id="itm_404")
    record(app, bad, caller="c1")
    record(app, bad, caller="c2")
    record(app, bad, caller="c1")  # a retry
    assert app.count_failed_events() == 2
