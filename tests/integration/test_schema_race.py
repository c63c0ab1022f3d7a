"""Processes that start together on an empty store (gateway, relay, consumer) all come up:
creating the event store, tracking and failed-event tables is serialised, not raced."""

import threading
from collections.abc import Callable
from pathlib import Path

from entrypoints.bootstrap import create_container
from entrypoints.settings import Settings

STARTERS = 3  # gateway, relay and consumer
ROUNDS = 5


def _race(settings: Settings, store: str) -> list[BaseException]:
    errors: list[BaseException] = []
    gate = threading.Barrier(STARTERS)

    def start_one() -> None:
        container = create_container(settings)
        gate.wait()
        try:
            container.relay()  # builds the failed-event store, the application and the tracking
            app = container.flowguard_app()
            # eventsourcing's recorder for the store (FlowGuard's PostgreSQL one extends it).
            recorder_modules = {c.__module__ for c in type(app.recorder).__mro__}
            assert f"eventsourcing.{store}" in recorder_modules
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


def test_processes_starting_together_on_an_empty_postgres_database_all_come_up(
    fresh_postgres_database: Callable[[], str],
) -> None:
    for _ in range(ROUNDS):
        dsn = fresh_postgres_database()
        settings = Settings(FLOWGUARD_EVENT_STORE="postgres", FLOWGUARD_POSTGRES_DSN=dsn)
        assert _race(settings, "postgres") == []


def test_processes_starting_together_on_a_new_sqlite_file_all_come_up(tmp_path: Path) -> None:
    for round_ in range(ROUNDS):
        data = tmp_path / str(round_)
        settings = Settings(FLOWGUARD_EVENT_STORE="sqlite", FLOWGUARD_DATA_DIR=data)
        assert _race(settings, "sqlite") == []

