"""Event-store contract: one suite over POPO (memory), SQLite and PostgreSQL.

Concurrent writers lose nothing, a reader tailing the notification log while they write sees
exactly what is finally stored (no event appears behind its position later), and idempotent
retries store one event however many race.
"""

import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import IntegrityError, RecordConflictError, StoredEvent

from adapters.memory.event_store import memory_event_store_env
from adapters.postgres.event_store import postgres_event_store_env
from adapters.postgres.recorder import FlowGuardPostgresRecorder
from adapters.sqlite.event_store import sqlite_event_store_env
from application.app import FlowGuardApp
from application.commands import ClickEventInput, OrderLineRequest, PlaceOrder, RecordClickEvents
from domain.order import Order
from tests.unit.application.fakes import NOW, FakeCatalog, FakeFailedEventStore

WRITERS, ORDERS_EACH = 6, 15
AppFactory = Callable[[], FlowGuardApp]


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def new_app(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[AppFactory]:
    """A factory of apps on one fresh store; a second call is a restart on the same data."""
    if request.param == "memory":
        env = memory_event_store_env()
    elif request.param == "sqlite":
        env = sqlite_event_store_env(tmp_path / "events.sqlite")
    else:
        env = postgres_event_store_env(request.getfixturevalue("fresh_postgres_database")())
    apps: list[FlowGuardApp] = []
    shared: dict[str, FlowGuardApp] = {}

    def factory() -> FlowGuardApp:
        if request.param == "memory" and shared:
            return shared["app"]  # process memory does not survive a restart
        # The aggregate cache is on, as in production (entrypoints/bootstrap.py).
        cached = {**env, "AGGREGATE_CACHE_MAXSIZE": "1000"}
        app = FlowGuardApp(cached, catalog=FakeCatalog(), failed_events=FakeFailedEventStore())
        apps.append(app)
        shared["app"] = app
        return app

    yield factory
    for app in apps:
        app.close()


def order(user: str, key: str | None = None) -> PlaceOrder:
    line = (OrderLineRequest("itm_1", 1),)
    return PlaceOrder(user, "rst_1", line, "upi", NOW, idempotency_key=key)


def clicks(session: str, n: int) -> RecordClickEvents:
    event = ClickEventInput(session, "impression", "rst_1", "home", item_id="itm_1")
    return RecordClickEvents((event,) * n, NOW)


def run_concurrently(*calls: Callable[[], object]) -> None:
    errors: list[BaseException] = []

    def guarded(call: Callable[[], object]) -> None:
        try:
            call()
        except BaseException as error:  # surfaced below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(call,)) for call in calls]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def all_notifications(app: FlowGuardApp) -> list[tuple[int, object, int]]:
    return [
        (n.id, n.originator_id, n.originator_version)
        for n in app.recorder.select_notifications(start=1, limit=1_000_000)
    ]


def test_concurrent_writers_lose_nothing_and_leave_no_gaps(new_app: AppFactory) -> None:
    app = new_app()

    def writer(w: int) -> Callable[[], None]:
        def write() -> None:
            for n in range(ORDERS_EACH):
                app.place_order(order(f"usr_{w}"))
                app.record_click_events(clicks(f"ses_{w}_{n}", 2))

        return write

    run_concurrently(*[writer(w) for w in range(WRITERS)])
    ids = [n[0] for n in all_notifications(app)]
    # Per request: order.placed + the user's index entry (+ index opened once per user);
    # per click batch: session opened + 2 clicks.
    expected = WRITERS * (ORDERS_EACH * (2 + 3) + 1)
    assert ids == list(range(1, expected + 1))
    for w in range(WRITERS):
        assert len(app.list_orders(f"usr_{w}", limit=100)) == ORDERS_EACH


def test_writers_of_one_aggregate_keep_its_versions_contiguous(new_app: AppFactory) -> None:
    app = new_app()
    run_concurrently(*[lambda: app.place_order(order("usr_same")) for _ in range(12)])
    assert len(app.list_orders("usr_same", limit=100)) == 12
    versions = [v for _, _, v in all_notifications(app) if v > 1]
    assert sorted(versions) == list(range(2, 14))  # the index: opened, then 12 entries


def test_a_tailing_reader_misses_nothing(new_app: AppFactory) -> None:
    app = new_app()
    seen: list[int] = []
    done = threading.Event()

    def tail() -> None:
        while True:
            finished = done.is_set()
            start = seen[-1] + 1 if seen else 1
            seen.extend(n.id for n in app.recorder.select_notifications(start=start, limit=500))
            if finished:
                return

    reader = threading.Thread(target=tail)
    reader.start()
    run_concurrently(*[lambda w=w: app.record_click_events(clicks(f"s{w}", 5)) for w in range(20)])
    done.set()
    reader.join()
    assert seen == [n[0] for n in all_notifications(app)]


def test_twenty_concurrent_identical_requests_store_one_event(new_app: AppFactory) -> None:
    app = new_app()
    receipts = []
    run_concurrently(
        *[lambda: receipts.append(app.place_order(order("u", "k-20"))) for _ in range(20)]
    )
    placed = [n for n in app.recorder.select_notifications(1, 1000) if n.topic.endswith("Placed")]
    order_placed = [n for n in placed if "Order" in n.topic]
    assert len(order_placed) == 1
    assert sum(not r.replayed for r in receipts) == 1
    assert {r.order_id for r in receipts} == {order_placed[0].originator_id}


def test_a_retry_after_a_restart_returns_the_original(new_app: AppFactory) -> None:
    first = new_app().place_order(order("u", "k-restart"))
    restarted = new_app()
    before = restarted.recorder.max_notification_id()
    again = restarted.place_order(order("u", "k-restart"))
    assert (again.order_id, again.event_id, again.replayed) == (
        first.order_id,
        first.event_id,
        True,
    )
    assert restarted.recorder.max_notification_id() == before
    assert isinstance(restarted.repository.get(first.order_id), Order)


# --- FlowGuard's PostgreSQL recorder: what the group commit relies on beyond eventsourcing's ---


@pytest.fixture
def postgres_recorder(fresh_postgres_database: Callable[[], str]) -> Iterator[Any]:
    env = postgres_event_store_env(fresh_postgres_database())
    app = FlowGuardApp(env, catalog=FakeCatalog(), failed_events=FakeFailedEventStore())
    assert isinstance(app.recorder, FlowGuardPostgresRecorder)  # as bootstrap wires it
    yield app.recorder
    app.close()


def stored(aggregate: UUID, *versions: int) -> list[StoredEvent]:
    return [StoredEvent(aggregate, v, "topic", f"{aggregate} v{v}".encode()) for v in versions]


def test_a_clashing_request_is_left_out_of_a_shared_insert_alone(postgres_recorder: Any) -> None:
    a, b, c = uuid4(), uuid4(), uuid4()
    postgres_recorder.insert_events(stored(a, 1))
    outcome = postgres_recorder.insert_units([stored(b, 1, 2), stored(a, 1, 2), stored(c, 1)])
    assert [type(o) for o in outcome] == [type(None), IntegrityError, type(None)]
    rows = postgres_recorder.select_notifications(start=1, limit=100)
    # No gap: the clash consumed no notification id. Each request's rows stay in order.
    assert [(n.id, n.originator_id, n.originator_version) for n in rows] == [
        (1, a, 1),
        (2, b, 1),
        (3, b, 2),
        (4, c, 1),
    ]
    assert rows[1].state == f"{b} v1".encode()


def test_a_taken_version_after_a_free_one_is_still_a_clash(postgres_recorder: Any) -> None:
    """Only the first row of a run of versions is probed; a later row of the run taken all
    the same (a gap no writer of ours leaves) still fails its request alone."""
    a, b = uuid4(), uuid4()
    postgres_recorder.insert_events(stored(a, 2))
    outcome = postgres_recorder.insert_units([stored(a, 1, 2, 3), stored(b, 1)])
    assert [type(o) for o in outcome] == [IntegrityError, type(None)]
    assert [e.originator_version for e in postgres_recorder.select_events(a)] == [2]
    assert [e.originator_version for e in postgres_recorder.select_events(b)] == [1]
    with pytest.raises(RecordConflictError):
        postgres_recorder.insert_events(stored(a, 1, 2))
    assert [e.originator_version for e in postgres_recorder.select_events(a)] == [2]


def test_an_insert_of_a_taken_version_stores_nothing_and_conflicts(postgres_recorder: Any) -> None:
    a = uuid4()
    assert postgres_recorder.insert_events(stored(a, 1, 2)) == [1, 2]
    with pytest.raises(RecordConflictError):  # IntegrityError, as eventsourcing's recorder
        postgres_recorder.insert_events(stored(a, 3, 2))
    assert postgres_recorder.insert_events(stored(a, 3)) == [3]
    assert [e.originator_version for e in postgres_recorder.select_events(a)] == [1, 2, 3]


def test_an_insert_waits_for_the_table_lock_that_orders_the_log(
    postgres_recorder: Any,
) -> None:
    """Inserts take the EXCLUSIVE table lock (and hold it to their commit), as eventsourcing's
    recorder does: a reader tailing the log never passes an id that is filled in later."""
    datastore, table = postgres_recorder.datastore, postgres_recorder.events_table_name
    a = uuid4()
    with datastore.get_connection() as holder, holder.transaction():
        # What a plain concurrent INSERT holds: it blocks EXCLUSIVE, not another INSERT.
        holder.execute(f"LOCK TABLE {table} IN ROW EXCLUSIVE MODE")
        writer = threading.Thread(target=postgres_recorder.insert_events, args=(stored(a, 1),))
        writer.start()
        with datastore.get_connection() as watcher:
            waiting = (
                "SELECT count(*) AS n FROM pg_locks "
                f"WHERE NOT granted AND relation = '{table}'::regclass"
            )
            while writer.is_alive() and watcher.execute(waiting).fetchone()["n"] == 0:  # type: ignore[index]
                threading.Event().wait(0.01)
        assert writer.is_alive()  # blocked on the lock, not done
        assert postgres_recorder.select_events(a) == []
    writer.join()
    assert postgres_recorder.select_events(a) == stored(a, 1)


def _backend_of_inserts(recorder: Any) -> set[int]:
    """The server processes that have run the recorder's insert function (pg_stat_activity's
    last query of each connection of this database)."""
    with recorder.datastore.get_connection() as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND query LIKE 'SELECT * FROM %%fg_insert_%%'"
        ).fetchall()
    return {row["pid"] for row in rows}


def test_the_group_commit_keeps_its_connection_and_survives_losing_it(
    postgres_recorder: Any,
) -> None:
    # Two shared inserts, one connection: kept between transactions (no pool checkout, so no
    # pre-ping round trip per transaction).
    postgres_recorder.insert_units([stored(uuid4(), 1)])
    postgres_recorder.insert_units([stored(uuid4(), 1)])
    (kept,) = _backend_of_inserts(postgres_recorder)
    with postgres_recorder.datastore.get_connection() as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (kept,))
    # The next insert finds its connection gone, hands it back and retries on a new one.
    a = uuid4()
    assert postgres_recorder.insert_units([stored(a, 1, 2)]) == [None]
    assert postgres_recorder.select_events(a) == stored(a, 1, 2)
    assert kept not in _backend_of_inserts(postgres_recorder)
