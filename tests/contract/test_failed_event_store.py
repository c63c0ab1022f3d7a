"""FailedEventStore contract: memory, and the one SQLAlchemy adapter on SQLite and PostgreSQL,
keep rejected inputs alike: newest first, once per failed_id, every JSON value unchanged."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adapters.memory.failed_event_store import MemoryFailedEventStore
from adapters.sql.failed_event_store import SqlFailedEventStore, postgres_engine, sqlite_engine
from application.ports import FailedEventStore
from application.results import FailedEvent
from domain.errors import FieldError

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
# What the API accepts (orjson parses the body): integers within 64 bits, finite floats, text
# without lone surrogates (hypothesis' default alphabet), nesting to 32 levels.
JSON_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text()
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=25,
)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FailedEventStore]:
    if request.param == "memory":
        yield MemoryFailedEventStore()
        return
    if request.param == "sqlite":
        sql = SqlFailedEventStore(sqlite_engine(tmp_path / "failed.sqlite"))
    else:
        dsn = request.getfixturevalue("fresh_postgres_database")()
        sql = SqlFailedEventStore(postgres_engine(dsn))
    yield sql
    sql.close()


def failed(n: int, payload: dict[str, Any] | None = None) -> FailedEvent:
    return FailedEvent(
        failed_id=uuid4(),
        kind="click",
        payload={"session_id": f"ses_{n}", "item_id": None, "position": n}
        if payload is None
        else payload,
        errors=[FieldError("item_id", "unknown item"), FieldError("quantity", "too many")],
        received_at=T0 + timedelta(seconds=n),
    )


def test_added_events_read_back_newest_first(store: FailedEventStore) -> None:
    events = [failed(n) for n in range(5)]
    store.add(events[:2])
    store.add(events[2:])
    assert store.list() == events[::-1]
    assert store.count() == 5


def test_list_pages_with_limit_and_offset(store: FailedEventStore) -> None:
    events = [failed(n) for n in range(5)]
    store.add(events)
    assert store.list(limit=2, offset=1) == [events[3], events[2]]


def test_a_retried_add_stores_nothing_twice_and_does_not_fail(store: FailedEventStore) -> None:
    first, second = failed(1), failed(2)
    store.add([first])
    store.add([first, second])
    store.add([first, second, second])
    assert store.list() == [second, first]
    assert store.count() == 2


def test_an_empty_store_lists_nothing(store: FailedEventStore) -> None:
    assert (store.list(), store.count()) == ([], 0)
    store.add([])
    assert store.count() == 0


def test_nul_characters_are_kept_exactly(store: FailedEventStore) -> None:
    event = FailedEvent(
        failed_id=uuid4(),
        kind="click",
        payload={"session_id": "ses\x00evil", "k\x00": ["\x00", {"\x00": "\x00\x00"}]},
        errors=[FieldError("session_id", "bad\x00char")],
        received_at=T0,
    )
    store.add([event])
    assert store.list() == [event]


def test_deep_nesting_big_integers_and_unicode_round_trip(store: FailedEventStore) -> None:
    nested: Any = {"leaf": "ok"}
    for depth in range(31):  # 32 levels of containers, the most the API accepts
        nested = [nested] if depth % 2 else {"d": nested}
    payload = {
        "nested": nested,
        "ints": [2**63 - 1, -(2**63), 2**64 - 1, 0, -1],
        "floats": [1.5, -0.0, 1e300, 5e-324],
        "text": "नमस्ते 🍛 Ünïcödé \u2028 \"quoted\" \\ back",
    }
    event = failed(1, payload)
    store.add([event])
    assert store.list() == [event]


def test_received_at_is_the_same_instant_in_utc(store: FailedEventStore) -> None:
    ist = timezone(timedelta(hours=5, minutes=30))
    event = FailedEvent(uuid4(), "click", {}, [], datetime(2026, 11, 25, 17, 30, tzinfo=ist))
    store.add([event])
    [kept] = store.list()
    assert kept.received_at == event.received_at
    assert kept.received_at.utcoffset() == timedelta(0)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(payload=st.dictionaries(st.text(), JSON_VALUES, max_size=6))
def test_any_json_payload_the_api_accepts_round_trips(
    store: FailedEventStore, payload: dict[str, Any]
) -> None:
    event = failed(0, payload)
    store.add([event])
    assert store.list(limit=1) == [event]
