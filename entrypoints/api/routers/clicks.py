"""Driving adapter, clickstream: single events, batches, and the failed events they leave.

Write routes are `async def`: they await the group commit (durable before any 2xx) in the event
loop rather than parking a threadpool thread per request.
"""

import dataclasses
import operator
from datetime import datetime
from typing import Annotated, Any, get_args
from uuid import NAMESPACE_URL, uuid4, uuid5

from fastapi import APIRouter, Query
from pydantic import TypeAdapter, ValidationError
from starlette.concurrency import run_in_threadpool

from application.commands import ClickEventInput, RecordClickEvents
from application.errors import Invalid
from application.results import ClickBatchResult, FailedEvent
from domain.errors import FieldError
from entrypoints.api.deps import FailedEventsDep, IdempotencyKey, IngestDep
from entrypoints.api.metrics import ApiMetrics
from entrypoints.api.openapi import WRITE, problem_responses
from entrypoints.api.problems import ProblemError, field_problems, validation_problems
from entrypoints.api.routers import API_PREFIX
from entrypoints.api.schemas.clicks import (
    MAX_BATCH_EVENTS,
    ClickAcceptedOut,
    ClickBatchIn,
    ClickBatchOut,
    ClickEventFields,
    ClickEventIn,
    ClickType,
    FailedEventListOut,
    FailedEventOut,
    RejectionOut,
)
from entrypoints.api.schemas.common import FieldProblem
from entrypoints.api.security import WriteAccess

router = APIRouter(prefix=API_PREFIX, tags=["clicks"])
# An Idempotency-Key on a single click becomes its event_id, so a retry is the session's no-op.
_KNOWN_TYPES = frozenset(get_args(ClickType))
_KEY_NAMESPACE = uuid5(NAMESPACE_URL, "https://flowguard.dev/clicks/idempotency-key")
_EVENTS = TypeAdapter(list[ClickEventFields])
_EVENT_TYPE = operator.attrgetter("event_type")


@router.post(
    "/clicks", status_code=202, dependencies=[WriteAccess], responses=problem_responses(*WRITE)
)
async def record_click(
    body: ClickEventIn, ingest: IngestDep, idempotency_key: IdempotencyKey = None
) -> ClickAcceptedOut:
    """Record one click event; 202 once it is durably stored (or was already)."""
    event = body.to_input()
    if event.event_id is None:
        # Generated here rather than in the use case so the answer can name it.
        key_id = uuid5(_KEY_NAMESPACE, idempotency_key) if idempotency_key else uuid4()
        event = dataclasses.replace(event, event_id=key_id)
    command = RecordClickEvents((event,), ingest.received_at)
    result = await ingest.gateway.record_click_events_async(command)
    _count(ingest.metrics, [event], result)
    if result.rejected:
        raise Invalid(result.rejected[0].errors)
    return ClickAcceptedOut(event_id=event.event_id, duplicate=result.duplicates > 0)


@router.post(
    "/clicks/batch",
    status_code=202,
    dependencies=[WriteAccess],
    responses=problem_responses(*WRITE),
)
async def record_click_batch(body: ClickBatchIn, ingest: IngestDep) -> ClickBatchOut:
    """Record up to 500 events. Valid ones are stored; invalid ones are reported by index and
    kept in the failed-events store (GET /failed-events): nothing is silently dropped."""
    if len(body.events) > MAX_BATCH_EVENTS:
        raise ProblemError(413, f"A batch holds at most {MAX_BATCH_EVENTS} events.")
    parsed, invalid = _parse(body.events)
    valid_indices = list(parsed)
    events = tuple(parsed.values())
    command = RecordClickEvents(events, ingest.received_at)
    result = await ingest.gateway.record_click_events_async(command)
    _count(ingest.metrics, list(events), result)
    received_at = ingest.received_at
    failed = [_failed(body.events[index], problems, received_at) for index, problems in invalid]
    if failed:
        await run_in_threadpool(ingest.failed_events.add, failed)  # it writes to the store
        ingest.metrics.count_events((_type_of(body.events[i]) for i, _ in invalid), "rejected")
    rejected = [(valid_indices[r.index], field_problems(r.errors)) for r in result.rejected]
    return ClickBatchOut(
        accepted=result.accepted,
        duplicates=result.duplicates,
        rejected=[RejectionOut(index=i, errors=e) for i, e in sorted(rejected + invalid)],
    )


@router.get("/failed-events", responses=problem_responses(422, 503))
def list_failed_events(
    failed_events: FailedEventsDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> FailedEventListOut:
    """Rejected inputs, newest first."""
    items = [FailedEventOut.of(f) for f in failed_events.list(limit=limit, offset=offset)]
    return FailedEventListOut(total=failed_events.count(), items=items)


def _parse(
    raw_events: list[Any],
) -> tuple[dict[int, ClickEventInput], list[tuple[int, list[FieldProblem]]]]:
    """Validate each element on its own: one bad event must not sink the batch. All at once
    first (one pydantic call, not one per event); one by one only when some is invalid."""
    try:
        return dict(enumerate(_EVENTS.validate_python(raw_events))), []
    except ValidationError:
        pass
    parsed: dict[int, ClickEventInput] = {}
    invalid: list[tuple[int, list[FieldProblem]]] = []
    for index, raw in enumerate(raw_events):
        try:
            parsed[index] = ClickEventIn.model_validate(raw).to_input()
        except ValidationError as error:
            invalid.append((index, validation_problems(error.errors())))
    return parsed, invalid


def _failed(raw: Any, problems: list[FieldProblem], received_at: datetime) -> FailedEvent:
    payload = raw if isinstance(raw, dict) else {"value": raw}
    errors = [FieldError(p.field, p.message) for p in problems]
    return FailedEvent(uuid4(), "click", payload, errors, received_at)


def _type_of(raw: Any) -> str:
    event_type = raw.get("event_type") if isinstance(raw, dict) else None
    # Only known types become label values: a client must not grow the metric's cardinality.
    return str(event_type) if event_type in _KNOWN_TYPES else "invalid"


def _count(metrics: ApiMetrics, events: list[ClickEventInput], result: ClickBatchResult) -> None:
    if len(events) == 1:  # a single click: no sets, no counting by type
        outcome = (
            "rejected" if result.rejected else "duplicate" if result.duplicates else "accepted"
        )
        metrics.count_event(events[0].event_type, outcome)
        return
    skipped = {r.index for r in result.rejected} | set(result.duplicate_indices)
    if not skipped:  # the common case: every event accepted, counted by type in C
        metrics.count_events(map(_EVENT_TYPE, events), "accepted")
        return
    rejected = {r.index for r in result.rejected}
    duplicates = set(result.duplicate_indices)
    metrics.count_events((events[i].event_type for i in sorted(rejected)), "rejected")
    metrics.count_events((events[i].event_type for i in sorted(duplicates)), "duplicate")
    accepted = (e.event_type for i, e in enumerate(events) if i not in skipped)
    metrics.count_events(accepted, "accepted")
