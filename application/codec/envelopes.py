"""Event envelope v1 (docs/contracts.md): written by the relay, read by the BRONZE consumer.

`envelope_bytes(domain_event)` defines the envelope. `StoredEnvelopes` writes the same bytes
straight from stored rows, reading each field as its class's table says instead of building
the domain event through the mapper (which was most of the relay's time); a row it cannot read
that way (another transcoder, an older class version to upcast) goes through the mapper.
`read_envelope` is the consumer's validator: an envelope, or `InvalidEnvelopeError` with a
reason a human can act on.
"""

import re
from datetime import UTC, datetime
from decimal import Decimal
from operator import itemgetter
from typing import Any, NamedTuple

import orjson
from eventsourcing.persistence import Mapper, Notification
from eventsourcing.utils import resolve_topic

from application.codec.layout import Kind, Layout, layout_of
from application.codec.stored import standard_tags

SCHEMA_VERSION = 1
# Attributes that are envelope metadata or the store's own bookkeeping, never payload.
META_ATTRIBUTES = frozenset(
    {
        "event_id",
        "client_event_id",
        "request_id",
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
_REQUIRED = itemgetter(*ENVELOPE_FIELDS)
# (notification id, aggregate id in str(UUID) form, aggregate version, topic, stored state)
LogRow = tuple[int, str, int, str, bytes]


class InvalidEnvelopeError(ValueError):
    """The bytes are not an envelope v1; the message is the reason."""


class Envelope(NamedTuple):
    event_id: str  # the server's id of the stored event: BRONZE's INGESTION_ID
    client_event_id: str | None  # the client's own id for it, when it sent one
    event_type: str
    aggregate_id: str
    aggregate_version: int
    event_time: datetime  # naive UTC
    received_at: datetime  # naive UTC
    payload: dict[str, Any]


# --- writing ---------------------------------------------------------------------------------


def format_timestamp(value: datetime) -> str:
    """ISO-8601, UTC, microseconds, `Z` suffix; a naive value is taken to be UTC already."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds") + "Z"


def is_published(domain_event: object) -> bool:
    return isinstance(getattr(type(domain_event), "event_type", None), str)


def envelope_dict(domain_event: object) -> dict[str, Any]:
    """The envelope of one stored domain event, as a JSON-ready dict."""
    attributes = vars(domain_event)
    client_event_id = attributes.get("client_event_id")
    return {
        "event_id": str(attributes["event_id"]),
        "client_event_id": None if client_event_id is None else str(client_event_id),
        "event_type": type(domain_event).event_type,  # type: ignore[attr-defined]
        "aggregate_id": str(attributes["originator_id"]),
        "aggregate_version": int(attributes["originator_version"]),
        "event_time": format_timestamp(attributes["event_time"]),
        "received_at": format_timestamp(attributes["received_at"]),
        "schema_version": SCHEMA_VERSION,
        "payload": {k: v for k, v in attributes.items() if k not in META_ATTRIBUTES},
    }


def _json_default(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(document: dict[str, Any]) -> bytes:
    return orjson.dumps(document, default=_json_default, option=_JSON_OPTIONS)


def envelope_bytes(domain_event: object) -> bytes:
    return to_json(envelope_dict(domain_event))


class _NotTabledError(Exception):
    """A stored state the table does not read: use the mapper."""


class StoredEnvelopes:
    """Envelope bytes from stored rows; `None` for internal (unpublished) events."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        self._mapper = mapper
        # Read without the mapper only where the tags are the standard ones the tables expect.
        self._tabled = standard_tags(mapper) is not None
        self._layouts: dict[str, tuple[Layout, bool] | None] = {}

    def event_type(self, topic: str) -> str | None:
        event_type = getattr(resolve_topic(topic), "event_type", None)
        return event_type if isinstance(event_type, str) else None

    def envelope(self, notification: Notification) -> bytes | None:
        event_type = self.event_type(notification.topic)
        if event_type is None:
            return None
        return self.from_row(row_of(notification), event_type)

    def from_row(self, row: LogRow, event_type: str) -> bytes:
        """The envelope of a published event (`event_type` is that of `row`'s topic)."""
        table = self._layout(row[3]) if self._tabled else None
        if table is not None:
            try:
                return to_json(_tabled_envelope(*table, row, event_type))
            except (_NotTabledError, KeyError, TypeError, ValueError):
                pass
        notification = Notification(
            id=row[0], originator_id=row[1], originator_version=row[2], topic=row[3], state=row[4]
        )
        return envelope_bytes(self._mapper.to_domain_event(notification))

    def _layout(self, topic: str) -> tuple[Layout, bool] | None:
        """The topic's table, and whether all of its payload fields are plain values."""
        if topic not in self._layouts:
            layout = layout_of(resolve_topic(topic))
            self._layouts[topic] = None if layout is None else (layout, _all_plain(layout))
        return self._layouts[topic]


def row_of(notification: Notification) -> LogRow:
    """The log row of a notification, for readers that only offer notifications."""
    return (
        notification.id,
        str(notification.originator_id),
        notification.originator_version,
        notification.topic,
        notification.state,
    )


def _all_plain(layout: Layout) -> bool:
    return all(kind is Kind.PLAIN for name, kind in layout.fields if name not in META_ATTRIBUTES)


def _tabled_envelope(
    layout: Layout, all_plain: bool, row: LogRow, event_type: str
) -> dict[str, Any]:
    state = orjson.loads(row[4])
    if state.pop("class_version", 1) != layout.class_version:
        raise _NotTabledError("an older class version: the mapper upcasts it")
    kinds = layout.kinds
    client_event_id = state.get("client_event_id")
    return {
        "event_id": _uuid_text(state["event_id"]),
        "client_event_id": None if client_event_id is None else _uuid_text(client_event_id),
        "event_type": event_type,
        "aggregate_id": row[1],
        "aggregate_version": row[2],
        "event_time": _timestamp(state["event_time"]),
        "received_at": _timestamp(state["received_at"]),
        "schema_version": SCHEMA_VERSION,
        # In the stored order, which is the order the mapper's domain event has.
        "payload": _plain_payload(state) if all_plain else _payload(kinds, state),
    }


def _plain_payload(state: dict[str, Any]) -> dict[str, Any]:
    """The payload of a class whose payload fields are all plain (clicks): copied as stored,
    without a call per field, unless a value was stored tagged after all."""
    return {
        name: value if type(value) is not dict else _nested(value)
        for name, value in state.items()
        if name not in META_ATTRIBUTES
    }


def _payload(kinds: dict[str, Kind], state: dict[str, Any]) -> dict[str, Any]:
    return {
        name: _plain(kinds[name], value)
        for name, value in state.items()
        if name not in META_ATTRIBUTES
    }


def _plain(kind: Kind, value: Any) -> Any:
    """A stored value as the envelope writes the domain event's value."""
    if value is None or (kind is Kind.PLAIN and type(value) is not dict):
        return value
    if kind is Kind.UUID:
        return _uuid_text(value)
    if kind is Kind.DATETIME:
        return datetime.fromisoformat(value["_data_"])  # orjson formats it as for the event
    if kind is Kind.DECIMAL:
        return str(Decimal(value["_data_"]))
    return _nested(value)


def _nested(value: Any) -> Any:
    if type(value) is list:
        return [_nested(item) for item in value]
    if type(value) is not dict:
        return value
    kind = value.get("_type_")
    if kind is not None and len(value) == 2 and "_data_" in value:
        return _plain(_TAGGED[kind], value)  # KeyError for a transcoding this does not know
    return {key: _nested(item) for key, item in value.items()}


_TAGGED = {"uuid_hex": Kind.UUID, "datetime_iso": Kind.DATETIME, "decimal_str": Kind.DECIMAL}


def _uuid_text(tagged: dict[str, str]) -> str:
    data = tagged["_data_"]  # 32 hex digits
    return f"{data[0:8]}-{data[8:12]}-{data[12:16]}-{data[16:20]}-{data[20:32]}"


def _timestamp(tagged: dict[str, str]) -> str:
    text = tagged["_data_"]
    # The common case, UTC with microseconds, needs no parsing: "...:01.123456+00:00".
    if len(text) == 32 and text.endswith("+00:00") and text[19] == ".":
        return text[:26] + "Z"
    return format_timestamp(datetime.fromisoformat(text))


# --- reading ---------------------------------------------------------------------------------


def read_envelope(raw: bytes | None) -> Envelope:
    """Validate wire bytes against envelope v1 (`client_event_id` may be absent: envelopes
    written before it existed)."""
    if raw is None:
        raise InvalidEnvelopeError("empty message value (tombstone)")
    try:
        document = orjson.loads(raw)
    except orjson.JSONDecodeError as error:
        raise InvalidEnvelopeError(f"not JSON: {error}") from None
    if type(document) is not dict:
        raise InvalidEnvelopeError("not a JSON object")
    try:
        event_id, event_type, aggregate_id, version, event_time, received_at, schema, payload = (
            _REQUIRED(document)
        )
    except KeyError:
        missing = [name for name in ENVELOPE_FIELDS if name not in document]
        raise InvalidEnvelopeError(f"missing fields: {', '.join(missing)}") from None
    if schema != SCHEMA_VERSION:
        raise InvalidEnvelopeError(f"unsupported schema_version {schema!r}")
    if type(event_type) is not str or not 0 < len(event_type) <= 64:
        raise InvalidEnvelopeError("event_type must be a non-empty string of <= 64 chars")
    if not event_type.startswith(("order.", "click.")):
        raise InvalidEnvelopeError(f"unknown event_type {event_type!r}")
    if type(version) is not int or version < 1:
        raise InvalidEnvelopeError("aggregate_version must be an integer >= 1")
    if type(payload) is not dict:
        raise InvalidEnvelopeError("payload must be a JSON object")
    client_event_id = document.get("client_event_id")
    return Envelope(
        _read_uuid(event_id, "event_id"),
        None if client_event_id is None else _read_uuid(client_event_id, "client_event_id"),
        event_type,
        _read_uuid(aggregate_id, "aggregate_id"),
        version,
        _read_timestamp(event_time, "event_time"),
        _read_timestamp(received_at, "received_at"),
        payload,
    )


def _read_uuid(value: Any, name: str) -> str:
    if type(value) is not str or not _UUID.fullmatch(value):
        raise InvalidEnvelopeError(f"{name} is not a UUID")
    return value.lower()


def _read_timestamp(value: Any, name: str) -> datetime:
    if type(value) is not str or not 0 < len(value) <= 40:
        raise InvalidEnvelopeError(f"{name} must be a non-empty string of <= 40 chars")
    try:
        if value[-1] == "Z" and "+" not in value:
            return datetime.fromisoformat(value[:-1])  # what the relay writes: UTC already
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidEnvelopeError(f"{name} is not an ISO-8601 timestamp") from None
    offset = parsed.utcoffset()
    if offset is None:
        raise InvalidEnvelopeError(f"{name} has no UTC offset")
    return (parsed - offset).replace(tzinfo=None)
