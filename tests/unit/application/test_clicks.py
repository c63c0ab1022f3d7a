"""Click use case: valid events stored, invalid ones reported by index and kept."""

from collections.abc import Iterator
from datetime import timedelta
from uuid import uuid4

import pytest

from application.app import FlowGuardApp
from application.commands import ClickEventInput, RecordClickEvents
from domain.click_session import click_session_id
from tests.unit.application.fakes import NOW, FakeFailedEventStore, make_app


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


def record(app: FlowGuardApp, *events: ClickEventInput):  # type: ignore[no-untyped-def]
    return app.record_click_events(RecordClickEvents(tuple(events), NOW))


def test_a_funnel_is_stored_in_the_sessions_stream(app: FlowGuardApp) -> None:
    result = record(app, ev("impression", position=0), ev("click"), ev("add_to_cart", quantity=2),
                    ev("checkout_started", item_id=None))  # fmt: skip
    assert (result.accepted, result.duplicates, result.rejected) == (4, 0, [])
    stored = list(app.events.get(click_session_id("ses_1")))
    assert [getattr(e, "event_type", None) for e in stored] == [
        None, "click.impression", "click.click", "click.add_to_cart", "click.checkout_started",
    ]  # fmt: skip


def test_a_resent_event_is_a_duplicate_and_stores_nothing(app: FlowGuardApp) -> None:
    impression = ev("impression")
    record(app, impression)
    before = app.recorder.max_notification_id()
    result = record(app, impression, impression)
    assert (result.accepted, result.duplicates) == (0, 2)
    assert app.recorder.max_notification_id() == before


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
    assert isinstance(app.failed_events, FakeFailedEventStore)
    kept = app.list_failed_events()
    assert len(kept) == 5
    assert {f.payload["item_id"] for f in kept} >= {"itm_404", "itm_9"}


def test_events_without_an_id_get_a_fresh_one(app: FlowGuardApp) -> None:
    anonymous = ClickEventInput("ses_2", "impression", "rst_1", "home", item_id="itm_1")
    assert record(app, anonymous, anonymous).accepted == 2


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
    record(app, sent)
    stored = list(app.events.get(click_session_id("ses_1")))[-1]
    assert vars(stored) | {"timestamp": None} == {
        "originator_id": click_session_id("ses_1"), "originator_version": 2, "timestamp": None,
        "event_id": sent.event_id, "event_time": NOW - timedelta(seconds=5), "received_at": NOW,
        "session_id": "ses_1", "user_id": "usr_7", "item_id": "itm_1", "restaurant_id": "rst_1",
        "page": "search", "position": 4, "quantity": 3,
    }  # fmt: skip
