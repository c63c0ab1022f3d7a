"""Envelopes from stored rows: every published event class takes the table path and gives the
bytes of the envelope built from the mapper's domain event; the consumer reads them back."""

from typing import Any
from uuid import UUID

import orjson
import pytest
from eventsourcing.application import Application
from eventsourcing.persistence import Mapper, Notification

from application.codec import StoredEnvelopes, envelope_bytes, is_published, read_envelope
from application.codec.envelopes import row_of
from domain.click_session import ClickSession
from tests.unit.codec.samples import event_classes, sample_events


class TablesOnly:
    """A mapper that cannot rebuild domain events: the envelopes must never need it."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        self.transcoder, self.cipher, self.compressor = mapper.transcoder, None, None

    def to_domain_event(self, notification: object) -> object:
        raise AssertionError("went through the mapper")


def stored_notifications() -> tuple[Application[UUID], list[Notification]]:
    app: Application[UUID] = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.recorder.insert_events([app.mapper.to_stored_event(e) for e in sample_events()])
    return app, list(app.recorder.select_notifications(1, 1000))


def test_every_published_class_takes_the_table_path_with_the_mappers_envelope() -> None:
    app, notifications = stored_notifications()
    tables_only = StoredEnvelopes(TablesOnly(app.mapper))  # type: ignore[arg-type]
    published = set()
    for notification in notifications:
        event = app.mapper.to_domain_event(notification)
        if not is_published(event):
            assert tables_only.envelope(notification) is None
            continue
        assert tables_only.envelope(notification) == envelope_bytes(event)
        published.add(type(event))
    expected = {c for c in event_classes() if isinstance(getattr(c, "event_type", None), str)}
    assert published == expected
    assert len(published) == 10  # five order events, five click events


def test_the_server_id_is_the_event_id_and_the_clients_id_travels_beside_it() -> None:
    app, notifications = stored_notifications()
    envelopes = StoredEnvelopes(app.mapper)
    for notification in notifications:
        event = app.mapper.to_domain_event(notification)
        raw = envelopes.envelope(notification)
        if raw is None:
            continue
        envelope = read_envelope(raw)
        assert envelope.event_id == str(event.event_id)  # type: ignore[attr-defined]
        client = event.client_event_id  # type: ignore[attr-defined]
        assert envelope.client_event_id == (None if client is None else str(client))
        assert "client_event_id" not in envelope.payload
        assert "request_id" not in envelope.payload


def test_an_event_stored_by_an_older_class_version_is_upcast_through_the_mapper() -> None:
    app, notifications = stored_notifications()
    clicked = next(n for n in notifications if n.topic.endswith("ItemClicked"))
    state = orjson.loads(clicked.state)
    del state["client_event_id"], state["class_version"]  # as version 1 stored it
    old = Notification(
        id=clicked.id, originator_id=clicked.originator_id,
        originator_version=clicked.originator_version, topic=clicked.topic,
        state=orjson.dumps(state),
    )  # fmt: skip
    envelope = read_envelope(StoredEnvelopes(app.mapper).from_row(row_of(old), "click.click"))
    # Version 1 kept the client's id (or a random one) as event_id: it stays the INGESTION_ID.
    assert envelope.client_event_id == envelope.event_id
    assert isinstance(app.mapper.to_domain_event(old), ClickSession.ItemClicked)


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"event_id": "42"}, "event_id is not a UUID"),
        ({"client_event_id": 7}, "client_event_id is not a UUID"),
        ({"schema_version": 2}, "unsupported schema_version 2"),
        ({"event_type": "refund.issued"}, "unknown event_type"),
        ({"aggregate_version": True}, "aggregate_version must be an integer >= 1"),
        ({"event_time": "yesterday"}, "event_time is not an ISO-8601 timestamp"),
        ({"received_at": "2026-11-25T12:00:00"}, "received_at has no UTC offset"),
        ({"payload": []}, "payload must be a JSON object"),
    ],
)
def test_a_broken_envelope_is_refused_with_its_reason(change: dict[str, Any], reason: str) -> None:
    app, notifications = stored_notifications()
    raw = next(r for n in notifications if (r := StoredEnvelopes(app.mapper).envelope(n)))
    with pytest.raises(ValueError, match=reason):
        read_envelope(orjson.dumps({**orjson.loads(raw), **change}))


def test_an_envelope_written_before_client_ids_existed_is_read() -> None:
    app, notifications = stored_notifications()
    raw = next(r for n in notifications if (r := StoredEnvelopes(app.mapper).envelope(n)))
    document = orjson.loads(raw)
    del document["client_event_id"]
    assert read_envelope(orjson.dumps(document)).client_event_id is None
