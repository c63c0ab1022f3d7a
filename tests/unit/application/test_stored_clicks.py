"""Recorded clicks written straight from their fields are stored exactly as the mapper stores
them: the same topic, version and bytes (the relay reads those bytes)."""

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any
from uuid import uuid4

import pytest
from eventsourcing.persistence import JSONTranscoder, Mapper, StoredEvent

from application.app import FlowGuardApp
from application.stored_clicks import stored_event_writer
from domain.click_session import Click, ClickSession
from tests.unit.application.fakes import NOW, make_app

IST = timezone(timedelta(hours=5, minutes=30))


@pytest.fixture
def app() -> Iterator[FlowGuardApp]:
    app = make_app()
    yield app
    app.close()


def click(event_type: str, **overrides: Any) -> Click:
    fields: dict[str, Any] = {
        "event_id": uuid4(),
        "event_type": event_type,
        "event_time": NOW,
        "received_at": NOW,
        "user_id": "usr_1",
        "item_id": "itm_1",
        "restaurant_id": "rst_1",
        "page": "menu",
        "position": 3,
        "quantity": None,
    }
    return Click(**(fields | overrides))


CLICKS = [
    click("impression"),
    click("click", user_id=None, position=None, page='a "quoted" page\\ ✓ \u2028\x00\x1f'),
    click("add_to_cart", quantity=4, event_time=NOW.astimezone(IST)),  # not UTC: isoformat()
    click("remove_from_cart", quantity=1, received_at=NOW + timedelta(microseconds=7)),
    click("checkout_started", item_id=None, position=0, restaurant_id="रेस्तरां"),
    click("click", position=True),  # not an int: the mapper writes it
    click("click", position=2**70),  # beyond 64 bits: the mapper writes it
]


def recorded_events(timestamp: datetime | None = None) -> list[Any]:
    session = ClickSession.open("ses_1")
    for each in CLICKS:
        session.record(each, timestamp)
    return list(session.collect_events())


@pytest.mark.parametrize("timestamp", [None, NOW.astimezone(IST)], ids=["own", "shared"])
def test_every_event_is_stored_as_the_mapper_stores_it(
    app: FlowGuardApp, timestamp: datetime | None
) -> None:
    to_stored = stored_event_writer(app.mapper)
    events = recorded_events(timestamp) + recorded_events()
    assert len(events) == 2 * (1 + len(CLICKS))  # Opened events too (the mapper writes them)
    for event in events:
        assert to_stored(event) == app.mapper.to_stored_event(event)


def test_the_stored_state_decodes_to_the_event(app: FlowGuardApp) -> None:
    to_stored = stored_event_writer(app.mapper)
    for event in recorded_events()[1:]:
        stored = to_stored(event)
        assert isinstance(stored, StoredEvent)
        assert app.mapper.to_domain_event(stored) == event


def test_an_event_with_another_attribute_is_left_to_the_mapper(app: FlowGuardApp) -> None:
    event = recorded_events()[1]
    object.__setattr__(event, "extra", "value")  # not the layout: written by the mapper
    stored = stored_event_writer(app.mapper)(event)
    assert stored == app.mapper.to_stored_event(event)
    assert b'"extra":"value"' in stored.state


class LocalTime(datetime):
    """A datetime subclass: not written as a plain datetime."""


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("event_time", date(2026, 11, 25)),
        ("received_at", LocalTime(2026, 11, 25, tzinfo=UTC)),
        ("timestamp", NOW.isoformat()),
        ("event_id", str(uuid4())),
        ("page", 1.5),
        ("user_id", uuid4()),
    ],
)
def test_an_unexpected_value_is_left_to_the_mapper(
    app: FlowGuardApp, name: str, value: Any
) -> None:
    event = recorded_events(NOW)[1]
    object.__setattr__(event, name, value)
    assert_same_as_mapper(app, event)


def test_another_transcoder_keeps_the_mapper() -> None:
    mapper: Mapper[Any] = Mapper(JSONTranscoder())
    assert stored_event_writer(mapper) == mapper.to_stored_event


@pytest.mark.parametrize(
    ("name", "value"), [("session_id", 7), ("timestamp", date(2026, 11, 25)), ("extra", "x")]
)
def test_an_unexpected_opened_event_is_left_to_the_mapper(
    app: FlowGuardApp, name: str, value: Any
) -> None:
    opened = recorded_events()[0]
    object.__setattr__(opened, name, value)
    assert_same_as_mapper(app, opened)


def assert_same_as_mapper(app: FlowGuardApp, event: Any) -> None:
    """The writer's stored event, or the type of its error, is the mapper's."""
    outcomes: list[Any] = []
    for to_stored in (stored_event_writer(app.mapper), app.mapper.to_stored_event):
        try:
            outcomes.append(to_stored(event))
        except Exception as error:  # the same error either way
            outcomes.append(type(error))
    assert outcomes[0] == outcomes[1]
