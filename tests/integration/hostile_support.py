"""A gateway for hostile-client tests: a real uvicorn server over SQLite or PostgreSQL, with or
without the short path, and the relay and consumer on demand into an embedded BRONZE."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dependency_injector import providers

from application.bronze_loader import BronzeLoader
from entrypoints.api.app import create_app
from entrypoints.api.fastpath import ShortPath
from entrypoints.bootstrap import Container, create_container
from entrypoints.settings import Settings
from tests.fixtures.services import postgres_database
from tests.integration.api_fixtures import LiveServer

STORES = ("sqlite", "postgres")
PATHS = ("short path", "fastapi")


@dataclass
class Gateway:
    url: str
    container: Container

    def stored_events(self) -> int:
        """How many events the event store holds (its notification log's head)."""
        return self.container.flowguard_app().recorder.max_notification_id() or 0

    def to_bronze(self) -> list[dict[str, Any]]:
        """Relay everything stored, load it into BRONZE, and return BRONZE's rows."""
        lease = self.container.relay_lease()
        assert lease.acquire(), "another relay holds the lease"
        try:
            self.container.relay().drain()
        finally:
            lease.release()
        source = self.container.message_source()
        warehouse = self.container.bronze_warehouse()
        loader = BronzeLoader(warehouse, self.container.dead_letter_sink())
        while messages := source.poll_batch(10_000, 0.2):
            loader.load(messages)
            source.commit(messages)
        source.close()
        connect = self.container.warehouse_connect()
        with connect() as connection:
            cursor = connection.cursor()
            rows = []
            for table in ("ORDERS_RAW", "CLICKS_RAW"):
                cursor.execute(
                    f"SELECT INGESTION_ID, CLIENT_EVENT_ID, EVENT_TYPE, AGGREGATE_ID "
                    f"FROM BRONZE.{table}"
                )
                names = [d[0] for d in cursor.description]
                rows += [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
        return rows


def settings_for(store: str, data_dir: Path, dsn: str | None, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "FLOWGUARD_EVENT_STORE": store,
        "FLOWGUARD_BUS": "inprocess",
        "FLOWGUARD_WAREHOUSE": "fakesnow",
        "FLOWGUARD_DATA_DIR": str(data_dir),
        "FAKESNOW_DB_PATH": str(data_dir / "fakesnow"),
        **extra,
    }
    if dsn is not None:
        values["FLOWGUARD_POSTGRES_DSN"] = dsn
    return Settings.model_validate(values)


@contextmanager
def gateway(
    store: str,
    path: str,
    data_dir: Path,
    postgres_dsn: str,
    customise: Callable[[Container], None] = lambda container: None,
    **extra: Any,
) -> Iterator[Gateway]:
    """A running gateway; `customise` may override the container's providers first."""
    with _database(store, postgres_dsn) as dsn:
        settings = settings_for(store, data_dir, dsn, **extra)
        container = create_container(settings)
        customise(container)
        app = create_app(container, owns_application=True)
        if path == "fastapi":
            app.user_middleware = [m for m in app.user_middleware if m.cls is not ShortPath]
        container.bronze_warehouse().create_schema()
        with LiveServer(app, settings) as url:
            yield Gateway(url, container)


@contextmanager
def _database(store: str, postgres_dsn: str) -> Iterator[str | None]:
    if store != "postgres":
        yield None
        return
    with postgres_database(postgres_dsn, "fg_hostile") as dsn:
        yield dsn


class FailingFailedEvents:
    """A failed-event store whose writes fail while `broken` is set (a locked or lost store)."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.broken, self.lock = inner, threading.Event(), threading.Lock()
        self.broken.set()

    def add(self, events: Any) -> None:
        if self.broken.is_set():
            raise OSError("database is locked")
        self.inner.add(events)

    def list(self, limit: int = 100, offset: int = 0) -> Any:
        return self.inner.list(limit, offset)

    def count(self) -> int:
        return int(self.inner.count())


def failing_failed_events(container: Container) -> FailingFailedEvents:
    failing = FailingFailedEvents(container.failed_event_store())
    container.failed_event_store.override(providers.Object(failing))
    return failing
