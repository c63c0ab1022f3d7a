"""Failed events as stored text: the payload and errors as JSON written by orjson, so every
FailedEventStore adapter (memory, SQLite, PostgreSQL) keeps exactly the same value.

JSON text, not jsonb: a string with U+0000 is escaped (`\\u0000`) in the text, which PostgreSQL
text holds and jsonb refuses, so any JSON value the API accepts round-trips unchanged."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import orjson

from application.results import FailedEvent
from domain.errors import FieldError


@dataclass(frozen=True)
class StoredFailedEvent:
    """One row of the gateway's failed-events table (application/tables/gateway.py)."""

    failed_id: UUID
    kind: str
    payload: str
    errors: str
    received_at: datetime


def encode(event: FailedEvent) -> StoredFailedEvent:
    if event.received_at.tzinfo is None:
        raise ValueError(f"received_at needs a time zone: {event.received_at!r}")
    errors = [{"field": e.field, "reason": e.reason} for e in event.errors]
    return StoredFailedEvent(
        failed_id=event.failed_id,
        kind=event.kind,
        payload=orjson.dumps(event.payload, default=str).decode(),
        errors=orjson.dumps(errors).decode(),
        received_at=event.received_at.astimezone(UTC),
    )


def decode(row: StoredFailedEvent) -> FailedEvent:
    return FailedEvent(
        failed_id=row.failed_id,
        kind=row.kind,
        payload=_json(row.payload),
        errors=[FieldError(str(e["field"]), str(e["reason"])) for e in _json(row.errors)],
        received_at=row.received_at,
    )


def _json(text: str) -> Any:
    return orjson.loads(text)
