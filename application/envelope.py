"""Event envelope v1 (docs/contracts.md): the Kafka value, built from a stored domain event.

`envelope_bytes` turns a domain event into wire bytes for the relay; `parse_envelope` is the
consumer's validator and raises `InvalidEnvelopeError` with a reason a human can act on;
`quick_fields` is its fast path for the consumer's hot loop (see there).
"""

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson

SCHEMA_VERSION = 1
# Attributes that are envelope metadata, not payload: ours and eventsourcing's.
META_ATTRIBUTES = frozenset(
    {
        "event_id",
        "event_time",
        "received_at",
        "originator_id",
        "originator_version",
        "originator_topic",
        "timestamp",
    }
)
ENVELOPE_FIELDS = (
    "event_id",
    "event_type",
    "aggregate_id",
    "aggregate_version",
    "event_time",
    "received_at",
    "schema_version",
    "payload",
)
_JSON_OPTIONS = orjson.OPT_NAIVE_UTC | orjson.OPT_UTC_Z
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class InvalidEnvelopeError(ValueError):
    """The bytes are not an envelope v1; the message is the reason."""


@dataclass(frozen=True)
class Envelope:
    event_id: str
    event_type: str
    aggregate_id: str
    aggregate_version: int
    event_time: datetime  # naive UTC
    received_at: datetime  # naive UTC
    schema_version: int
    payload: dict[str, Any]

    @property
    def event_date(self) -> date:
        return self.event_time.date()


def format_timestamp(value: datetime) -> str:
    """ISO-8601, UTC, microseconds, `Z` suffix; a naive value is taken to be UTC already."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    # isoformat is several times faster than strftime, which dominated the relay's profile.
    return value.isoformat(timespec="microseconds") + "Z"


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, frozenset | set):
        return sorted(value, key=str)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def is_published(domain_event: object) -> bool:
    return isinstance(getattr(type(domain_event), "event_type", None), str)


def event_type_of(domain_event: object) -> str:
    event_type = getattr(type(domain_event), "event_type", None)
    if not isinstance(event_type, str):
        raise TypeError(f"{type(domain_event).__qualname__} has no ClassVar event_type")
    return event_type


def envelope_dict(domain_event: object) -> dict[str, Any]:
    """The envelope of one stored domain event, as a JSON-ready dict."""
    attributes = vars(domain_event)
    return {
        "event_id": str(attributes["event_id"]),
        "event_type": event_type_of(domain_event),
        "aggregate_id": str(attributes["originator_id"]),
        "aggregate_version": int(attributes["originator_version"]),
        "event_time": format_timestamp(attributes["event_time"]),
        "received_at": format_timestamp(attributes["received_at"]),
        "schema_version": SCHEMA_VERSION,
        "payload": {k: v for k, v in attributes.items() if k not in META_ATTRIBUTES},
    }


def to_json(document: dict[str, Any]) -> bytes:
    return orjson.dumps(document, default=_json_default, option=_JSON_OPTIONS)


def envelope_bytes(domain_event: object) -> bytes:
    return to_json(envelope_dict(domain_event))


def parse_envelope(raw: bytes | None) -> Envelope:
    """Validate wire bytes against envelope v1."""
    if raw is None:
        raise InvalidEnvelopeError("empty message value (tombstone)")
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise InvalidEnvelopeError(f"not JSON: {error}") from None
    if not isinstance(document, dict):
        raise InvalidEnvelopeError("not a JSON object")
    missing = [name for name in ENVELOPE_FIELDS if name not in document]
    if missing:
        raise InvalidEnvelopeError(f"missing fields: {', '.join(missing)}")
    return _checked(document)


def _checked(document: dict[str, Any]) -> Envelope:
    if document["schema_version"] != SCHEMA_VERSION:
        raise InvalidEnvelopeError(f"unsupported schema_version {document['schema_version']!r}")
    event_type = _string(document, "event_type", 64)
    if not event_type.startswith(("order.", "click.")):
        raise InvalidEnvelopeError(f"unknown event_type {event_type!r}")
    version = document["aggregate_version"]
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise InvalidEnvelopeError("aggregate_version must be an integer >= 1")
    if not isinstance(document["payload"], dict):
        raise InvalidEnvelopeError("payload must be a JSON object")
    return Envelope(
        event_id=_uuid(document, "event_id"),
        event_type=event_type,
        aggregate_id=_uuid(document, "aggregate_id"),
        aggregate_version=version,
        event_time=_timestamp(document, "event_time"),
        received_at=_timestamp(document, "received_at"),
        schema_version=SCHEMA_VERSION,
        payload=document["payload"],
    )


def _string(document: dict[str, Any], name: str, max_length: int) -> str:
    value = document[name]
    if not isinstance(value, str) or not value or len(value) > max_length:
        raise InvalidEnvelopeError(f"{name} must be a non-empty string of <= {max_length} chars")
    return value


def _uuid(document: dict[str, Any], name: str) -> str:
    # A regex instead of uuid.UUID(): this runs twice per message on the consumer's hot path.
    value = document[name]
    if not isinstance(value, str) or not _UUID.fullmatch(value):
        raise InvalidEnvelopeError(f"{name} is not a UUID")
    return value.lower()


def _timestamp(document: dict[str, Any], name: str) -> datetime:
    value = _string(document, name, 40)
    try:
        if value[-1] == "Z" and "+" not in value:
            # What the relay writes: already UTC, so no offset arithmetic (a hot path).
            return datetime.fromisoformat(value[:-1])
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidEnvelopeError(f"{name} is not an ISO-8601 timestamp") from None
    offset = parsed.utcoffset()
    if offset is None:
        raise InvalidEnvelopeError(f"{name} has no UTC offset")
    return (parsed - offset).replace(tzinfo=None)


# The fields of an envelope that `quick_fields` accepted: event_id, event_type, aggregate_id,
# aggregate_version, event_time, received_at, payload (schema_version is always 1).
QuickFields = tuple[str, str, str, int, datetime, datetime, dict[str, Any]]


def quick_fields(raw: bytes | None) -> QuickFields | None:
    """The envelope's fields when `raw` is an envelope in the shape the relay writes, else None.

    Accepts a strict subset of what `parse_envelope` accepts, with the same values, and never
    raises: None means "ask parse_envelope", which gives the reason or the general parse (for
    example timestamps with an offset). It exists because the consumer validates every
    message, and building an `Envelope` with one helper call per field cost more than the
    JSON parse; it decides with inline checks and builds no object.
    """
    try:
        document = orjson.loads(raw)  # type: ignore[arg-type]  # None raises JSONDecodeError
        event_id = document["event_id"]
        event_type = document["event_type"]
        aggregate_id = document["aggregate_id"]
        version = document["aggregate_version"]
        event_time = document["event_time"]
        received_at = document["received_at"]
        payload = document["payload"]
        if (
            document["schema_version"] != SCHEMA_VERSION
            or type(event_type) is not str
            or len(event_type) > 64
            or not event_type.startswith(("order.", "click."))
            or type(version) is not int
            or version < 1
            or type(payload) is not dict
            or type(event_id) is not str
            or type(aggregate_id) is not str
            or not _UUID.fullmatch(event_id)
            or not _UUID.fullmatch(aggregate_id)
        ):
            return None
        return (
            event_id.lower(),
            event_type,
            aggregate_id.lower(),
            version,
            _quick_timestamp(event_time),
            _quick_timestamp(received_at),
            payload,
        )
    except (orjson.JSONDecodeError, TypeError, KeyError, IndexError, ValueError):
        return None


def _quick_timestamp(value: object) -> datetime:
    # `_timestamp`'s relay-shaped branch only; anything else raises for the slow path.
    if type(value) is not str or len(value) > 40 or value[-1] != "Z" or "+" in value:
        raise ValueError("not the relay's shape")
    return datetime.fromisoformat(value[:-1])
