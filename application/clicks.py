"""Click use case: record a batch of click events, keeping every rejected one."""

import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID, uuid4

from eventsourcing.persistence import RecordConflictError

from application.commands import ClickEventInput, RecordClickEvents
from application.orders import ATTEMPTS, Store, backoff
from application.ports import Catalog
from application.results import ClickBatchResult, FailedEvent, Rejection
from domain.click_session import ITEM_EVENT_TYPES, Click, ClickSession, click_session_id
from domain.errors import FieldError, Invalid
from domain.event_time import checked_event_time, naive_error


def record_click_events(
    store: Store, catalog: Catalog, cmd: RecordClickEvents
) -> tuple[ClickBatchResult, list[FailedEvent]]:
    """Store the valid events, report the invalid ones by index (and return them as
    failed events for the caller to keep)."""
    # The event time of every event that carries no client times: the same for the batch.
    received_time = checked_event_time(cmd.received_at, None, None)
    checked = [_check(catalog, e, cmd.received_at, received_time) for e in cmd.events]
    latest = True  # the first attempt trusts this process's last committed sessions
    for n in range(ATTEMPTS - 1):
        try:
            return _attempt(store, cmd, checked, latest)
        except RecordConflictError:
            latest = False
            backoff(n)  # another request wrote to one of these sessions: reload and redo
        except _MaybeStaleError:
            latest = False
    return _attempt(store, cmd, checked, latest=False)


class _MaybeStaleError(Exception):
    """A funnel refusal decided on a session that may be stale: decide again on the store's."""


def _attempt(
    store: Store, cmd: RecordClickEvents, checked: list[Click | list[FieldError]], latest: bool
) -> tuple[ClickBatchResult, list[FailedEvent]]:
    sessions: dict[str, ClickSession] = {}
    accepted, duplicates, rejected = 0, [], []
    # The events this command decides share one timestamp (eventsourcing's: when decided):
    # reading the clock per event was ~3 % of a batch's CPU.
    decided_at = ClickSession.Recorded.create_timestamp()
    for index, (raw, click) in enumerate(zip(cmd.events, checked, strict=True)):
        try:
            if isinstance(click, list):
                raise Invalid(click)
            session = sessions.get(raw.session_id)  # most events: a session already open
            if session is None:
                session = _session(store, sessions, raw.session_id, latest)
            if _record(session, click, latest, decided_at):
                accepted += 1
            else:
                duplicates.append(index)
        except Invalid as invalid:
            rejected.append(Rejection(index, invalid.errors))
    if accepted:
        store.commit(*sessions.values())
    failed = [_failed(cmd.events[r.index], r.errors, cmd.received_at) for r in rejected]
    return ClickBatchResult(accepted, len(duplicates), rejected, duplicates), failed


def _record(session: ClickSession, click: Click, latest: bool, decided_at: datetime) -> bool:
    try:
        return session.record(click, decided_at)
    except Invalid:
        if latest:  # a refusal must never rest on a state that may be stale
            raise _MaybeStaleError from None
        raise


def _session(
    store: Store, sessions: dict[str, ClickSession], session_id: str, latest: bool
) -> ClickSession:
    if session_id not in sessions:
        load = store.load_latest if latest else store.load
        loaded = load(click_session_id(session_id))
        sessions[session_id] = loaded or ClickSession.open(session_id)
    return sessions[session_id]


def _check(
    catalog: Catalog,
    raw: ClickEventInput,
    received_at: datetime,
    received_time: datetime | FieldError,
) -> Click | list[FieldError]:
    """Catalog and time rules for one event; the funnel rules are the session's.
    `received_time` is the event time of an event without client times."""
    errors = _catalog_errors(catalog, raw)
    client_times = raw.occurred_at is not None or raw.sent_at is not None
    if client_times:  # many events carry neither
        errors = naive_error({"occurred_at": raw.occurred_at, "sent_at": raw.sent_at}) + errors
    if not raw.session_id:
        errors.append(FieldError("session_id", "must not be empty"))
    if errors:
        return errors
    when = (
        checked_event_time(received_at, raw.occurred_at, raw.sent_at)
        if client_times
        else received_time
    )
    if isinstance(when, FieldError):
        return [when]
    # Positional, in Click's field order: a named tuple binds keywords in Python (~0.6 us).
    return Click(
        raw.event_id or uuid4(),  # event_id
        raw.event_type,
        when,  # event_time
        received_at,
        raw.user_id,
        raw.item_id,
        raw.restaurant_id,
        raw.page,
        raw.position,
        raw.quantity,
    )


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


def _failed(raw: ClickEventInput, errors: list[FieldError], received_at: datetime) -> FailedEvent:
    return FailedEvent(uuid4(), "click", _jsonable(dataclasses.asdict(raw)), errors, received_at)


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    convert: Callable[[Any], Any] = lambda v: (  # noqa: E731
        str(v) if isinstance(v, UUID) else v.isoformat() if isinstance(v, datetime) else v
    )
    return {k: convert(v) for k, v in values.items()}
