"""Envelope v1: built from stored domain events, validated on the way in."""

import uuid
from datetime import UTC, datetime

import orjson
import pytest

from application.codec import InvalidEnvelopeError, envelope_bytes, read_envelope
from application.codec.envelopes import envelope_dict
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
    assert document["client_event_id"] == str(vars(placed)["client_event_id"])
    assert document["event_id"] != document["client_event_id"]
    assert document["schema_version"] == 1
    assert document["payload"] == {"user_id": "user-7", "seq": 7}
    assert envelope_dict(confirmed)["aggregate_version"] == 2


def test_an_event_without_a_client_id_has_a_null_client_event_id(app: SampleApp) -> None:
    app.place(1, confirmations=1)
    _, confirmed = _events(app)
    document = orjson.loads(envelope_bytes(confirmed))
    assert "client_event_id" in document
    assert document["client_event_id"] is None


def test_timestamps_are_utc_with_microseconds_and_z() -> None:
    app = SampleApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    at = datetime(2026, 11, 25, 12, 30, 1, tzinfo=UTC)
    order = SampleOrder(uuid.uuid4(), at, at, "u", 1, client_event_id=None)
    app.save(order)
    document = envelope_dict(_events(app)[0])
    assert document["event_time"] == "2026-11-25T12:30:01.000000Z"


def test_decimals_become_strings_in_the_payload(app: SampleApp) -> None:
    app.click(1)
    clicked = next(e for e in _events(app) if isinstance(e, SampleClicks.Clicked))
    assert orjson.loads(envelope_bytes(clicked))["payload"]["price"] == "12.50"


def test_a_published_envelope_reads_back(app: SampleApp) -> None:
    app.place(1)
    (placed,) = _events(app)
    envelope = read_envelope(envelope_bytes(placed))
    assert envelope.event_id == str(vars(placed)["event_id"])
    assert envelope.client_event_id == str(vars(placed)["client_event_id"])
    assert envelope.event_type == "order.placed"
    assert envelope.aggregate_id == str(vars(placed)["originator_id"])
    assert envelope.aggregate_version == 1
    assert envelope.event_time == vars(placed)["event_time"].replace(tzinfo=None)
    assert envelope.event_time.tzinfo is None
    assert envelope.payload == {"user_id": "user-1", "seq": 1}


def _valid() -> dict[str, object]:
    return {
        "event_id": str(uuid.uuid4()),
        "client_event_id": str(uuid.uuid4()),
        "event_type": "order.placed",
        "aggregate_id": str(uuid.uuid4()),
        "aggregate_version": 1,
        "event_time": "2026-11-25T12:30:01.123456Z",
        "received_at": "2026-11-25T12:30:01.200000Z",
        "schema_version": 1,
        "payload": {},
    }


def test_an_envelope_written_before_client_ids_reads_with_none() -> None:
    document = _valid()
    del document["client_event_id"]
    assert read_envelope(orjson.dumps(document)).client_event_id is None
    assert (
        read_envelope(orjson.dumps({**document, "client_event_id": None})).client_event_id is None
    )


def test_ids_are_read_in_lower_case() -> None:
    document = _valid()
    upper = {k: str(document[k]).upper() for k in ("event_id", "client_event_id", "aggregate_id")}
    envelope = read_envelope(orjson.dumps({**document, **upper}))
    assert (envelope.event_id, envelope.client_event_id, envelope.aggregate_id) == (
        document["event_id"],
        document["client_event_id"],
        document["aggregate_id"],
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        ({"event_id": "not-a-uuid"}, "event_id is not a UUID"),
        ({"client_event_id": "not-a-uuid"}, "client_event_id is not a UUID"),
        ({"client_event_id": 7}, "client_event_id is not a UUID"),
        ({"aggregate_id": 7}, "aggregate_id is not a UUID"),
        ({"aggregate_version": 0}, "aggregate_version"),
        ({"aggregate_version": True}, "aggregate_version"),
        ({"aggregate_version": 1.0}, "aggregate_version"),
        ({"schema_version": 2}, "schema_version"),
        ({"event_type": ""}, "event_type must be a non-empty string"),
        ({"event_type": "order." + "x" * 60}, "event_type must be a non-empty string"),
        ({"event_type": "payment.taken"}, "unknown event_type"),
        ({"event_time": "2026-11-25T12:30:01"}, "no UTC offset"),
        ({"event_time": "yesterday"}, "not an ISO-8601"),
        ({"event_time": "2026-02-30T12:30:01Z"}, "not an ISO-8601"),
        ({"event_time": ""}, "event_time must be a non-empty string"),
        ({"received_at": "2026-11-25T12:30:01" + "0" * 40 + "Z"}, "received_at must be"),
        ({"payload": []}, "payload must be a JSON object"),
    ],
)
def test_invalid_envelopes_are_rejected_with_a_reason(
    change: dict[str, object], reason: str
) -> None:
    with pytest.raises(InvalidEnvelopeError, match=reason):
        read_envelope(orjson.dumps({**_valid(), **change}))


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"\xff not json", "not JSON"),
        (b"", "not JSON"),
        (b"[1]", "not a JSON object"),
        (b'"a string"', "not a JSON object"),
        (None, "tombstone"),
    ],
)
def test_bytes_that_are_not_an_envelope_are_rejected(raw: bytes | None, reason: str) -> None:
    with pytest.raises(InvalidEnvelopeError, match=reason):
        read_envelope(raw)


def test_missing_fields_are_named() -> None:
    document = _valid()
    del document["received_at"]
    del document["payload"]
    with pytest.raises(InvalidEnvelopeError, match="missing fields: received_at, payload"):
        read_envelope(orjson.dumps(document))


def test_timestamps_with_an_offset_are_stored_as_naive_utc() -> None:
    document = {**_valid(), "event_time": "2026-11-25T18:00:01.000001+05:30"}
    envelope = read_envelope(orjson.dumps(document))
    assert envelope.event_time == datetime(2026, 11, 25, 12, 30, 1, 1)


@pytest.mark.parametrize(
    "change",
    [
        {"received_at": "2026-11-25T12:30:01.2Z", "aggregate_version": 2**40},
        {"schema_version": 1.0, "extra": "ignored"},
        {"event_type": "click.impression", "payload": {"nested": {"a": [1, 2.5, None]}}},
    ],
)
def test_legal_variations_read(change: dict[str, object]) -> None:
    document = {**_valid(), **change}
    envelope = read_envelope(orjson.dumps(document))
    assert envelope.aggregate_version == document["aggregate_version"]
    assert envelope.payload == document["payload"]
