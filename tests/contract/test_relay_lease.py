"""One contract for the relay's lease, over SQLite (one relay, a second refused) and PostgreSQL
(one holder, the others wait; a lost session loses the lease; marks are fenced)."""

from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from adapters.postgres.relay_lease import PostgresRelayLease
from adapters.sqlite.relay_lease import SqliteRelayLease
from application.relay import BusMarks, RelayLease, RelayRefusedError

Leases = Callable[[], RelayLease]


@pytest.fixture(params=["sqlite", "postgres"])
def kind(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def leases(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Leases]:
    """A factory of leases on one event store, as several relay processes would hold them."""
    made: list[RelayLease] = []
    if kind == "sqlite":
        store = tmp_path / "events.sqlite"
        make: Leases = lambda: SqliteRelayLease(store)  # noqa: E731
    else:
        dsn = request.getfixturevalue("fresh_postgres_database")()
        make = lambda: PostgresRelayLease(dsn)  # noqa: E731

    def new() -> RelayLease:
        made.append(make())
        return made[-1]

    yield new
    for lease in made:
        lease.release()


def test_the_first_relay_holds_the_lease(leases: Leases) -> None:
    lease = leases()
    assert lease.acquire()
    assert lease.held()
    assert lease.acquire()  # holding it again is a no-op


def test_marks_round_trip_while_held_and_are_refused_once_released(leases: Leases) -> None:
    lease = leases()
    assert lease.acquire()
    assert lease.marks() is None
    marks = BusMarks("cluster-a", {"raw.orders.v1:0": 12, "raw.clicks.v1:5": 3})
    assert lease.record_marks(marks)
    assert lease.marks() == marks
    lease.release()
    assert not lease.held()
    assert not lease.record_marks(BusMarks("cluster-b"))


def test_a_second_relay_waits_or_is_refused(kind: str, leases: Leases) -> None:
    first, second = leases(), leases()
    assert first.acquire()
    if kind == "sqlite":
        with pytest.raises(RelayRefusedError, match="SQLite runs a single relay"):
            second.acquire()
        return
    assert not second.acquire()
    assert "token 1" in second.holder()
    first.release()
    assert second.acquire()
    assert "token 2" in second.holder()
    assert not first.held()


def test_on_postgres_a_lost_session_loses_the_lease_and_its_marks_are_fenced(
    fresh_postgres_database: Callable[[], str], postgres_dsn: str
) -> None:
    dsn = fresh_postgres_database()
    first, second = PostgresRelayLease(dsn), PostgresRelayLease(dsn)
    assert first.acquire()
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d "
            "ON d.oid = l.database WHERE l.locktype = 'advisory' AND l.granted AND d.datname = %s",
            (conninfo_to_dict(dsn)["dbname"],),
        )
    assert second.acquire()
    assert not first.held()
    assert not first.record_marks(BusMarks("stale"))
    assert second.record_marks(BusMarks("fresh"))
    first.release()
    second.release()
