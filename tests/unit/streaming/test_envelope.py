"""Envelope v1: built from stored domain events, validated on the way in."""

import uuid
from datetime import UTC, datetime

import orjson
import pytest

from application.envelope import (
    InvalidEnvelopeError,
    envelope_bytes,
    envelope_dict,
    parse_envelope,
    quick_fields,
)
from tests.unit.streaming.sample_app import SampleApp, SampleClicks, SampleOrder


def _events(app: SampleApp) -> list[object]:
    return [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 100)]


@pytest.fixture
def app() -> SampleApp:
    return SampleApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})


def test_envelope_carries_meta_and_leaves_it_out_of_the_payload(app: SampleApp) -> None:
    order_id = app.place(7, confirmations=1)
    placed, confirmed = _events(app)
    document = envelope_dict(placed)
    assert document["event_type"] == "order.placed"
    assert document["aggregate_id"] == str(order_id)
    assert document["aggregate_version"] == 1
    assert document["event_id"] == str(vars(placed)["event_id"])
    assert document["schema_version"] == 1
    assert document["payload"] == {"user_id": "user-7", "seq": 7}
    assert envelope_dict(confirmed)["aggregate_version"] == 2


def test_timestamps_are_utc_with_microseconds_and_z() -> None:
    app = SampleApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    at = datetime(2026, 11, 25, 12, 30, 1, tzinfo=UTC)
    order = SampleOrder(uuid.uuid4(), at, at, "u", 1)
    app.save(order)
    document = envelope_dict(_events(app)[0])
    assert document["event_time"] == "2026-11-25T12:30:01.000000Z"


def test_decimals_become_strings_in_the_payload(app: SampleApp) -> None:
    app.click(1)
    clicked = next(e for e in _events(app) if isinstance(e, SampleClicks.Clicked))
    assert orjson.loads(envelope_bytes(clicked))["payload"]["price"] == "12.50"


def test_a_published_envelope_parses_back(app: SampleApp) -> None:
    app.place(1)
    (placed,) = _events(app)
    envelope = parse_envelope(envelope_bytes(placed))
    assert envelope.event_id == str(vars(placed)["event_id"])
    assert envelope.event_time.tzinfo is None
    assert envelope.event_date == envelope.event_time.date()


def _valid() -> dict[str, object]:
    return {
        "event_id": str(uuid.uuid4()),
        "event_type": "order.placed",
        "aggregate_id": str(uuid.uuid4()),
        "aggregate_version": 1,
        "event_time": "2026-11-25T12:30:01.123456Z",
        "received_at": "2026-11-25T12:30:01.200000Z",
        "schema_version": 1,
        "payload": {},
    }


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"event_id": "not-a-uuid"}, "event_id is not a UUID"),
        ({"aggregate_version": 0}, "aggregate_version"),
        ({"aggregate_version": True}, "aggregate_version"),
        ({"schema_version": 2}, "schema_version"),
        ({"event_type": "payment.taken"}, "unknown event_type"),
        ({"event_time": "2026-11-25T12:30:01"}, "no UTC offset"),
        ({"event_time": "yesterday"}, "not an ISO-8601"),
        ({"payload": []}, "payload must be a JSON object"),
    ],
)
def test_invalid_envelopes_are_rejected_with_a_reason(change: dict[str, object], reason: str):
    with pytest.raises(InvalidEnvelopeError, match=reason):
        parse_envelope(orjson.dumps({**_valid(), **change}))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [(b"\xff not json", "not JSON"), (b"[1]", "not a JSON object"), (None, "tombstone")],
)
def test_bytes_that_are_not_an_envelope_are_rejected(raw: bytes | None, reason: str) -> None:
    with pytest.raises(InvalidEnvelopeError, match=reason):
        parse_envelope(raw)


def test_missing_fields_are_named() -> None:
    document = _valid()
    del document["received_at"]
    with pytest.raises(InvalidEnvelopeError, match="missing fields: received_at"):
        parse_envelope(orjson.dumps(document))


def test_timestamps_with_an_offset_are_stored_as_naive_utc() -> None:
    document = {**_valid(), "event_time": "2026-11-25T18:00:01.000001+05:30"}
    envelope = parse_envelope(orjson.dumps(document))
    assert envelope.event_time == datetime(2026, 11, 25, 12, 30, 1, 1)


def _fields(raw: bytes) -> tuple[object, ...]:
    e = parse_envelope(raw)
    return (e.event_id, e.event_type, e.aggregate_id, e.aggregate_version, e.event_time,
            e.received_at, e.payload)  # fmt: skip


@pytest.mark.parametrize(
    "change",
    [
        {},
        {"event_id": str(uuid.uuid4()).upper(), "aggregate_id": str(uuid.uuid4()).upper()},
        {"event_type": "click.impression", "payload": {"nested": {"a": [1, 2.5, None]}}},
        {"received_at": "2026-11-25T12:30:01.2Z", "aggregate_version": 2**40},
        {"schema_version": 1.0, "extra": "ignored"},
    ],
)
def test_the_quick_path_gives_what_parse_envelope_gives(change: dict[str, object]) -> None:
    raw = orjson.dumps({**_valid(), **change})
    assert quick_fields(raw) == _fields(raw)


@pytest.mark.parametrize(
    "raw",
    [
        None,
        b"",
        b"not json",
        b"[1]",
        b'"a string"',
        orjson.dumps({k: v for k, v in _valid().items() if k != "payload"}),
        orjson.dumps({**_valid(), "event_id": "not-a-uuid"}),
        orjson.dumps({**_valid(), "aggregate_id": 7}),
        orjson.dumps({**_valid(), "aggregate_version": True}),
        orjson.dumps({**_valid(), "aggregate_version": 0}),
        orjson.dumps({**_valid(), "aggregate_version": 1.0}),
        orjson.dumps({**_valid(), "schema_version": 2}),
        orjson.dumps({**_valid(), "event_type": ""}),
        orjson.dumps({**_valid(), "event_type": "order." + "x" * 60}),
        orjson.dumps({**_valid(), "event_type": "payment.taken"}),
        orjson.dumps({**_valid(), "payload": []}),
        orjson.dumps({**_valid(), "event_time": ""}),
        orjson.dumps({**_valid(), "event_time": "yesterday"}),
        orjson.dumps({**_valid(), "event_time": "2026-11-25T12:30:01"}),
        orjson.dumps({**_valid(), "event_time": "2026-02-30T12:30:01Z"}),
        orjson.dumps({**_valid(), "received_at": "2026-11-25T12:30:01" + "0" * 40 + "Z"}),
    ],
)
def test_the_quick_path_declines_what_parse_envelope_rejects(raw: bytes | None) -> None:
    with pytest.raises(InvalidEnvelopeError):
        parse_envelope(raw)
    assert quick_fields(raw) is None


def test_the_quick_path_leaves_offsets_to_parse_envelope() -> None:
    raw = orjson.dumps({**_valid(), "event_time": "2026-11-25T18:00:01.000001+05:30"})
    assert quick_fields(raw) is None
    assert parse_envelope(raw).event_time == datetime(2026, 11, 25, 12, 30, 1, 1)
