"""Row codec for failed events, shared by the SQL adapters of the FailedEventStore port."""

import json
from datetime import datetime
from typing import Any
from uuid import UUID

from application.results import FailedEvent
from domain.errors import FieldError

Row = tuple[str, str, str, str, str]  # failed_id, kind, payload, errors, received_at


def encode(event: FailedEvent) -> Row:
    errors = [{"field": e.field, "reason": e.reason} for e in event.errors]
    return (
        str(event.failed_id),
        event.kind,
        json.dumps(_text_safe(event.payload), default=str),
        json.dumps(_text_safe(errors)),
        event.received_at.isoformat(),
    )


def _text_safe(value: Any) -> Any:
    """PostgreSQL text and jsonb cannot hold NUL: keep the event, mark the character replaced."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, dict):
        return {_text_safe(k): _text_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_text_safe(v) for v in value]
    return value


def decode(row: tuple[Any, ...]) -> FailedEvent:
    failed_id, kind, payload, errors, received_at = row
    return FailedEvent(
        failed_id=UUID(str(failed_id)),
        kind=kind,
        payload=_json(payload),
        errors=[FieldError(**e) for e in _json(errors)],
        received_at=_time(received_at),
    )


def _json(value: Any) -> Any:
    # PostgreSQL's jsonb arrives parsed; SQLite's text does not.
    return json.loads(value) if isinstance(value, str) else value


def _time(value: Any) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(value)
