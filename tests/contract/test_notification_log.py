"""NotificationLog contract: the relay's raw-row readers (SQLite, PostgreSQL) give exactly the
rows of the recorder's own `select_notifications`, and so exactly the mapper's envelopes."""

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from adapters.postgres.event_store import postgres_event_store_env
from adapters.postgres.notification_log import PostgresNotificationLog
from adapters.sqlite.event_store import sqlite_event_store_env
from adapters.sqlite.notification_log import SqliteNotificationLog
from application.codec import LogRow, StoredEnvelopes, envelope_bytes, is_published
from application.notification_log import NotificationLog, RecorderLog
from tests.unit.streaming.sample_app import SampleApp

pytestmark = pytest.mark.contract

LogFactory = Callable[[SampleApp], NotificationLog]


@pytest.fixture(params=["memory", "sqlite", "postgres"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[SampleApp, LogFactory]]:
    if request.param == "memory":
        env: dict[str, str] = {"PERSISTENCE_MODULE": "eventsourcing.popo"}
        make: LogFactory = lambda app: RecorderLog(app.recorder)  # noqa: E731
    elif request.param == "sqlite":
        env = sqlite_event_store_env(tmp_path / "events.sqlite")
        make = lambda app: SqliteNotificationLog(app.recorder)  # type: ignore[arg-type]  # noqa: E731
    else:
        env = postgres_event_store_env(request.getfixturevalue("fresh_postgres_database")())
        make = lambda app: PostgresNotificationLog(app.recorder)  # type: ignore[arg-type]  # noqa: E731
    app = SampleApp(env=env)
    yield app, make
    app.close()


def _fill(app: SampleApp) -> None:
    for seq in range(4):
        app.place(seq, confirmations=2)
        app.click(seq, clicks=2)  # an internal Opened event first


def _read_all(log: NotificationLog, section: int) -> list[LogRow]:
    rows: list[LogRow] = []
    while batch := log.read(rows[-1][0] if rows else 0, section):
        assert len(batch) <= section
        rows.extend(batch)
    return rows


def test_rows_are_the_recorders_notifications_in_order(store: tuple[SampleApp, LogFactory]) -> None:
    app, make = store
    _fill(app)
    expected = [
        (n.id, str(n.originator_id), n.originator_version, n.topic, bytes(n.state))
        for n in app.recorder.select_notifications(1, 1000)
    ]
    rows = _read_all(make(app), section=5)
    assert [(n, i, v, t, bytes(s)) for n, i, v, t, s in rows] == expected
    assert len(rows) == 4 * (3 + 3)


def test_reading_is_exclusive_of_the_position_and_limited(
    store: tuple[SampleApp, LogFactory],
) -> None:
    app, make = store
    _fill(app)
    log = make(app)
    assert [row[0] for row in log.read(3, 4)] == [4, 5, 6, 7]
    assert log.read(app.recorder.max_notification_id() or 0, 10) == []


def test_envelopes_from_rows_are_the_mappers(store: tuple[SampleApp, LogFactory]) -> None:
    app, make = store
    _fill(app)
    envelopes = StoredEnvelopes(app.mapper)
    rows = {row[0]: row for row in _read_all(make(app), section=1000)}
    published = 0
    for notification in app.recorder.select_notifications(1, 1000):
        event = app.mapper.to_domain_event(notification)
        event_type = envelopes.event_type(notification.topic)
        assert (event_type is not None) == is_published(event)
        if event_type is not None:
            row = rows[notification.id]
            assert envelopes.from_row(row, event_type) == envelope_bytes(event)
            published += 1
    assert published == 4 * (3 + 2)
