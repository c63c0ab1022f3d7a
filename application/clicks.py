"""Click use case: record a batch of click events, keeping every refused one."""

import dataclasses
from datetime import datetime
from typing import Any
from uuid import UUID

from application import identity
from application.commands import ClickEventInput, RecordClickEvents
from application.ports import Catalog, UnitOfWork
from application.results import ClickBatchResult, FailedEvent, Rejection
from domain.click_session import ITEM_EVENT_TYPES, Click, ClickSession
from domain.errors import FieldError, Invalid
from domain.event_time import checked_event_time, naive_error


def record_click_events(
    uow: UnitOfWork, catalog: Catalog, cmd: RecordClickEvents
) -> ClickBatchResult:
    """Store the valid events; report the refused ones by their index in the request, and
    keep them as failed events (with the elements that failed the wire schema)."""
    indices = cmd.indices or range(len(cmd.events))
    sessions: dict[tuple[str, str], ClickSession] = {}
    accepted, duplicates, rejected, event_ids = 0, [], [], {}
    # The events this command decides share one timestamp (eventsourcing's: when decided).
    decided_at = ClickSession.Recorded.create_timestamp()
    # Without client times every event's time is the server's: checked once for the batch.
    received_time = checked_event_time(cmd.received_at, None, None)
    for index, raw in zip(indices, cmd.events, strict=True):
        try:
            click = _checked(catalog, raw, cmd.received_at, received_time)
        except Invalid as invalid:
            rejected.append(Rejection(index, invalid.errors))
            uow.reject(_failed(cmd, index, raw, invalid.errors))
            continue
        session = _session(uow, sessions, identity.owner(cmd.caller, raw.user_id), raw.session_id)
        try:
            recording = session.record(click, decided_at)
        except Invalid as invalid:  # the session's funnel refused it
            rejected.append(Rejection(index, invalid.errors))
            uow.refuse(_failed(cmd, index, raw, invalid.errors))
            continue
        event_ids[index] = recording.event_id
        if recording.new:
            accepted += 1
        else:
            duplicates.append(index)
    uow.reject(*(_schema_failed(cmd, r.index, r.payload, r.errors) for r in cmd.rejected))
    uow.add(*sessions.values())
    uow.commit()
    return ClickBatchResult(accepted, len(duplicates), rejected, duplicates, event_ids)


def _session(
    uow: UnitOfWork, sessions: dict[tuple[str, str], ClickSession], scope: str, session_id: str
) -> ClickSession:
    key = (scope, session_id)
    if key not in sessions:
        session = uow.get(ClickSession, ClickSession.create_id(scope, session_id))
        sessions[key] = session or ClickSession.open(scope, session_id)
    return sessions[key]


def _checked(
    catalog: Catalog,
    raw: ClickEventInput,
    received_at: datetime,
    received_time: datetime | FieldError,
) -> Click:
    """Catalog and time rules for one event (the funnel rules are the session's)."""
    errors = _catalog_errors(catalog, raw)
    client_times = raw.occurred_at is not None or raw.sent_at is not None
    if client_times:
        errors = naive_error({"occurred_at": raw.occurred_at, "sent_at": raw.sent_at}) + errors
    if not raw.session_id:
        errors.append(FieldError("session_id", "must not be empty"))
    if errors:
        raise Invalid(errors)
    when = (
        checked_event_time(received_at, raw.occurred_at, raw.sent_at)
        if client_times
        else received_time
    )
    if isinstance(when, FieldError):
        raise Invalid([when])
    return Click(
        raw.event_id, raw.event_type, when, received_at, raw.user_id, raw.item_id,
        raw.restaurant_id, raw.page, raw.position, raw.quantity,
    )  # fmt: skip


def _catalog_errors(catalog: Catalog, raw: ClickEventInput) -> list[FieldError]:
    if catalog.restaurant(raw.restaurant_id) is None:
        return [FieldError("restaurant_id", "unknown restaurant")]
    if raw.event_type not in ITEM_EVENT_TYPES or not raw.item_id:
        return []
    item = catalog.item(raw.item_id)
    if item is None:
        return [FieldError("item_id", "unknown item")]
    if item.restaurant_id != raw.restaurant_id:
        return [FieldError("item_id", "belongs to another restaurant")]
    return []


def _failed(
    cmd: RecordClickEvents, index: int, raw: ClickEventInput, errors: list[FieldError]
) -> FailedEvent:
    payload = {k: _jsonable(v) for k, v in dataclasses.asdict(raw).items() if v is not None}
    return _schema_failed(cmd, index, payload, tuple((e.field, e.reason) for e in errors))


def _schema_failed(
    cmd: RecordClickEvents, index: int, payload: Any, errors: tuple[tuple[str, str], ...]
) -> FailedEvent:
    failed_id = identity.failed_event_id(identity.owner(cmd.caller, None), "click", index, payload)
    field_errors = [FieldError(field, reason) for field, reason in errors]
    return FailedEvent(failed_id, "click", payload, field_errors, cmd.received_at)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value) if isinstance(value, UUID) else value
