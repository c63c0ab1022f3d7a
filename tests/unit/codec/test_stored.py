"""The stored-event codec: every event class takes the table path, with the mapper's bytes."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any, ClassVar
from uuid import UUID, uuid4

import pytest
from eventsourcing.application import Application
from eventsourcing.persistence import Mapper, StoredEvent
from hypothesis import given
from hypothesis import strategies as st

from application.codec import StoredEventCodec
from domain.click_session import Click, ClickSession
from tests.unit.codec.samples import NOW, event_classes, sample_events


class TablesOnly:
    """A mapper whose own encoding fails: the codec must never need it."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        self.transcoder, self.cipher, self.compressor = mapper.transcoder, None, None

    def to_stored_event(self, event: object) -> StoredEvent:
        raise AssertionError(f"{type(event).__qualname__} went through the mapper")


@pytest.fixture(scope="module")
def mapper() -> Mapper[Any]:
    return Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper


def test_every_event_class_takes_the_table_path(mapper: Mapper[Any]) -> None:
    codec = StoredEventCodec(mapper)
    classes = event_classes()
    names = {c.__qualname__ for c in classes}
    assert {"Order.Placed", "Order.Cancelled", "ClickSession.ItemAddedToCart"} <= names
    assert {"ClickSession.Opened", "UserOrders.OrderAdded"} <= names
    assert [c.__qualname__ for c in classes if not codec.takes(c)] == []


def test_every_sample_is_written_from_its_table_with_the_mappers_bytes(
    mapper: Mapper[Any],
) -> None:
    tables_only = StoredEventCodec(TablesOnly(mapper))  # type: ignore[arg-type]
    samples = sample_events()
    assert {type(e) for e in samples} == {
        c for c in event_classes() if c.__name__ not in ("StatusChanged", "Recorded")
    }
    for event in samples:
        assert tables_only.to_stored(event) == mapper.to_stored_event(event)


class Rated(ClickSession.Recorded):
    """A new kind of event with a new field: declaring it is the whole change."""

    event_type: ClassVar[str] = "click.rated"
    stars: int
    comment: str | None


def test_a_new_event_class_with_new_fields_takes_the_table_path(mapper: Mapper[Any]) -> None:
    event = Rated(
        originator_id=uuid4(), originator_version=2, timestamp=NOW, event_id=uuid4(),
        client_event_id=None, event_time=NOW, received_at=NOW, session_id="s", user_id=None,
        item_id="i", restaurant_id="r", page="p", position=None, stars=5, comment="ok",
    )  # fmt: skip
    tables_only = StoredEventCodec(TablesOnly(mapper))  # type: ignore[arg-type]
    assert tables_only.takes(Rated)
    assert tables_only.to_stored(event) == mapper.to_stored_event(event)


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=30)


@given(
    user_id=st.none() | text,
    page=text.filter(bool),
    position=st.none() | st.integers(min_value=0, max_value=2**63 - 1),
    when=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
    ),
)
def test_any_click_is_written_as_the_mapper_writes_it(
    user_id: str | None, page: str, position: int | None, when: datetime
) -> None:
    mapper = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"}).mapper
    session = ClickSession.open("user:u", "s")
    session.record(
        Click(uuid4(), "impression", when, when, user_id, "i", "r", page, position, None)
    )
    for event in session.collect_events():
        assert StoredEventCodec(mapper).to_stored(event) == mapper.to_stored_event(event)


@pytest.mark.parametrize(
    "odd",
    [
        {"event_time": NOW.astimezone(timezone(timedelta(hours=5, minutes=30)))},  # not UTC
        {"page": 1.5},  # a float: orjson and json spell some differently
        {"user_id": UUID(int=7)},  # a UUID where a string is declared
        {"position": 2**70},  # beyond 64 bits
    ],
)
def test_a_value_the_table_does_not_expect_still_gives_the_mappers_bytes(
    mapper: Mapper[Any], odd: dict[str, Any]
) -> None:
    session = ClickSession.open("user:u", "s")
    session.record(Click(uuid4(), "impression", NOW, NOW, "u", "i", "r", "menu", 1, None))
    event = session.collect_events()[-1]
    event.__dict__.update(odd)
    assert StoredEventCodec(mapper).to_stored(event) == mapper.to_stored_event(event)
