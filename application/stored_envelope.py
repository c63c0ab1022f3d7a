"""Envelopes straight from stored events: the relay's hot path.

Reconstructing every domain event through the mapper (JSON object hooks, UUID and datetime
objects, dataclass instances) dominated the relay's profile. The stored state of eventsourcing's
JSONTranscoder already holds everything the envelope needs, so this reads it with orjson and
rewrites the three standard transcodings (uuid_hex, decimal_str, datetime_iso) directly. Anything
else (a cipher, a compressor, another transcoding) falls back to the mapper, so the result is
always `envelope_bytes(mapper.to_domain_event(notification))`, byte for byte.

The relay hands over raw log rows (`LogRow`: notification id, aggregate id as text, version,
topic, state), so no `Notification` or `UUID` object is built per event either.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

import orjson
from eventsourcing.persistence import JSONTranscoder, Mapper, Notification
from eventsourcing.utils import resolve_topic

from application.envelope import (
    META_ATTRIBUTES,
    SCHEMA_VERSION,
    envelope_bytes,
    format_timestamp,
    to_json,
)

# (notification id, aggregate id in str(UUID) form, aggregate version, topic, stored state)
LogRow = tuple[int, str, int, str, bytes]

# Meta attributes the envelope does not read from the state; dropped from the payload.
_OTHER_META = tuple(META_ATTRIBUTES - {"event_id", "event_time", "received_at"})
_TYPE_KEY = b'"_type_"'


class _NotStandardError(Exception):
    """A transcoding this fast path does not know: use the mapper."""


def _uuid(data: str) -> str:
    return f"{data[0:8]}-{data[8:12]}-{data[12:16]}-{data[16:20]}-{data[20:32]}"


def _plain(value: Any) -> Any:
    """Decoded JSON with the standard transcodings turned into what the mapper would give."""
    if isinstance(value, dict):
        kind = value.get("_type_")
        if kind is not None and len(value) == 2 and "_data_" in value:
            return _transcoded(kind, value["_data_"])
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _transcoded(kind: str, data: Any) -> Any:
    if kind == "uuid_hex":
        return _uuid(data)
    if kind == "decimal_str":
        return str(Decimal(data))
    if kind == "datetime_iso":
        return datetime.fromisoformat(data)
    raise _NotStandardError(kind)


def row_of(notification: Notification) -> LogRow:
    """The log row of a notification, for readers that only offer notifications."""
    return (
        notification.id,
        str(notification.originator_id),
        notification.originator_version,
        notification.topic,
        notification.state,
    )


class StoredEnvelopes:
    """Builds envelope bytes from stored events; `None` for internal (unpublished) events."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        self._mapper = mapper
        self._direct = (
            isinstance(mapper.transcoder, JSONTranscoder)
            and mapper.cipher is None
            and mapper.compressor is None
        )
        self._event_types: dict[str, str | None] = {}
        # Topics of classes the mapper upcasts (class_version > 1): never the fast path.
        self._upcast: set[str] = set()

    def event_type(self, topic: str) -> str | None:
        if topic not in self._event_types:
            cls = resolve_topic(topic)
            event_type = getattr(cls, "event_type", None)
            self._event_types[topic] = event_type if isinstance(event_type, str) else None
            if getattr(cls, "class_version", 1) != 1:
                self._upcast.add(topic)
        return self._event_types[topic]

    def envelope(self, notification: Notification) -> bytes | None:
        event_type = self.event_type(notification.topic)
        if event_type is None:
            return None
        return self.from_row(row_of(notification), event_type)

    def from_row(self, row: LogRow, event_type: str) -> bytes:
        """The envelope of a published event (`event_type` is that of `row`'s topic)."""
        if self._direct and row[3] not in self._upcast:
            try:
                return _direct_envelope(row, event_type)
            except _NotStandardError:
                pass
        notification = Notification(
            id=row[0], originator_id=row[1], originator_version=row[2], topic=row[3], state=row[4]
        )
        # The envelope only str()s the originator id: the text form gives the same bytes.
        return envelope_bytes(self._mapper.to_domain_event(notification))


def _direct_envelope(row: LogRow, event_type: str) -> bytes:
    raw = row[4]
    state = orjson.loads(raw)
    event_id = state.pop("event_id")
    event_time = state.pop("event_time")
    received_at = state.pop("received_at")
    if "class_version" in state:
        raise _NotStandardError("class_version")  # the mapper upcasts
    transcoded = 3
    for name in _OTHER_META:
        value = state.pop(name, None)
        if type(value) is dict and "_type_" in value:
            transcoded += 1
    # Every transcoded value is a {"_type_": ..., "_data_": ...} object written without escapes
    # (JSONTranscoder), so when the meta attributes account for every "_type_" in the stored
    # bytes, the payload holds none and needs no rewriting. Otherwise rewrite it (the rare case).
    if raw.count(_TYPE_KEY) != transcoded:
        state = {k: _plain(v) for k, v in state.items()}
    return to_json(
        {
            "event_id": _uuid(_encoded(event_id, "uuid_hex")),
            "event_type": event_type,
            "aggregate_id": row[1],
            "aggregate_version": row[2],
            "event_time": _timestamp(event_time),
            "received_at": _timestamp(received_at),
            "schema_version": SCHEMA_VERSION,
            "payload": state,
        }
    )


def _encoded(value: Any, kind: str) -> Any:
    if not isinstance(value, dict) or value.get("_type_") != kind:
        raise _NotStandardError(kind)
    return value["_data_"]


def _timestamp(value: Any) -> str:
    text: str = _encoded(value, "datetime_iso")
    # The common case, UTC with microseconds, needs no parsing: "...:01.123456+00:00".
    if len(text) == 32 and text.endswith("+00:00") and text[19] == ".":
        return text[:26] + "Z"
    return format_timestamp(datetime.fromisoformat(text))
