"""FailedEventStore contract: memory, SQLite and PostgreSQL keep rejected inputs alike."""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from uuid import uuid4

import pytest

from adapters.memory.failed_event_store import MemoryFailedEventStore
from adapters.postgres.failed_event_store import PostgresFailedEventStore
from adapters.sqlite.failed_event_store import SqliteFailedEventStore
from application.ports import FailedEventStore
from application.results import FailedEvent
from domain.errors import FieldError

T0 = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[FailedEventStore]:
    if request.param == "memory":
        yield MemoryFailedEventStore()
        return
    if request.param == "sqlite":
        sqlite = SqliteFailedEventStore(tmp_path / "failed.sqlite")
        yield sqlite
        sqlite.close()
        return
    postgres = PostgresFailedEventStore(request.getfixturevalue("fresh_postgres_database")())
    yield postgres
    postgres.close()


def failed(n: int) -> FailedEvent:
    return FailedEvent(
        failed_id=uuid4(),
        kind="click",
        payload={"session_id": f"ses_{n}", "item_id": None, "position": n},
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


def test_adding_the_same_event_twice_keeps_one(store: FailedEventStore) -> None:
    event = failed(1)
    store.add([event])
    store.add([event])
    assert store.count() == 1


def test_an_empty_store_lists_nothing(store: FailedEventStore) -> None:
    assert (store.list(), store.count()) == ([], 0)


def test_an_event_with_nul_characters_is_kept_with_them_replaced(store: FailedEventStore) -> None:
    event = FailedEvent(
        failed_id=uuid4(),
        kind="click",
        payload={"session_id": "ses\x00evil", "k\x00": ["\x00"]},
        errors=[FieldError("session_id", "bad\x00char")],
        received_at=T0,
    )
    store.add([event])
    [kept] = store.list()
    assert kept.payload == {"session_id": "ses\ufffdevil", "k\ufffd": ["\ufffd"]}
    assert kept.errors == [FieldError("session_id", "bad\ufffdchar")]
