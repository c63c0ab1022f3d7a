"""Envelopes straight from stored events: the relay's hot path.

Reconstructing every domain event through the mapper (JSON object hooks, UUID and datetime
objects, dataclass instances) dominated the relay's profile. The stored state of eventsourcing's
JSONTranscoder already holds everything the envelope needs, so this reads it with orjson and
rewrites the three standard transcodings (uuid_hex, decimal_str, datetime_iso) directly. Anything
else (a cipher, a compressor, another transcoding) falls back to the mapper, so the result is
always `envelope_bytes(mapper.to_domain_event(notification))`, byte for byte.
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


class StoredEnvelopes:
    """Builds envelope bytes from notifications; `None` for internal (unpublished) events."""

    def __init__(self, mapper: Mapper[Any]) -> None:
        self._mapper = mapper
        self._direct = (
            isinstance(mapper.transcoder, JSONTranscoder)
            and mapper.cipher is None
            and mapper.compressor is None
        )
        self._event_types: dict[str, str | None] = {}

    def event_type(self, topic: str) -> str | None:
        if topic not in self._event_types:
            event_type = getattr(resolve_topic(topic), "event_type", None)
            self._event_types[topic] = event_type if isinstance(event_type, str) else None
        return self._event_types[topic]

    def envelope(self, notification: Notification) -> bytes | None:
        event_type = self.event_type(notification.topic)
        if event_type is None:
            return None
        if self._direct:
            try:
                return self._direct_envelope(notification, event_type)
            except _NotStandardError:
                pass
        return envelope_bytes(self._mapper.to_domain_event(notification))

    def _direct_envelope(self, notification: Notification, event_type: str) -> bytes:
        state = orjson.loads(notification.state)
        return to_json(
            {
                "event_id": _uuid(_encoded(state["event_id"], "uuid_hex")),
                "event_type": event_type,
                "aggregate_id": str(notification.originator_id),
                "aggregate_version": notification.originator_version,
                "event_time": _timestamp(state["event_time"]),
                "received_at": _timestamp(state["received_at"]),
                "schema_version": SCHEMA_VERSION,
                "payload": {k: _plain(v) for k, v in state.items() if k not in META_ATTRIBUTES},
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
