"""Processes that start together on an empty database (gateway, relay, consumer) all come up:
creating the event store, tracking and failed-event tables is serialised, not raced."""

import threading
from collections.abc import Callable
from contextlib import nullcontext

from dependency_injector import providers

from entrypoints.bootstrap import Container, create_container
from entrypoints.settings import Settings

STARTERS = 3  # gateway, relay and consumer
ROUNDS = 5


def _start(dsn: str, guarded: bool) -> Container:
    container = create_container(
        Settings(FLOWGUARD_EVENT_STORE="postgres", FLOWGUARD_POSTGRES_DSN=dsn)
    )
    if not guarded:
        container.schema_guard.override(providers.Object(nullcontext))
    return container


def _race(dsn: str, guarded: bool) -> list[BaseException]:
    errors: list[BaseException] = []
    gate = threading.Barrier(STARTERS)

    def start_one() -> None:
        container = _start(dsn, guarded)
        gate.wait()
        try:
            container.relay()  # builds the failed-event store, the application and the tracking
            app = container.flowguard_app()
            assert type(app.recorder).__module__ == "eventsourcing.postgres"
            app.close()
            container.failed_event_store().close()
        except Exception as error:  # collected for the assertion
            errors.append(error)

    threads = [threading.Thread(target=start_one) for _ in range(STARTERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_processes_starting_together_on_an_empty_database_all_come_up(
    fresh_postgres_database: Callable[[], str],
) -> None:
    for _ in range(ROUNDS):
        assert _race(fresh_postgres_database(), guarded=True) == []

