"""Driving adapter, clickstream: single events, batches, and the failed events they leave.

Write routes are `async def`: they await the group commit (durable before any 2xx) in the event
loop rather than parking a threadpool thread per request. A single click is a batch of one: an
element that fails the schema is kept as a failed event either way.
"""

import dataclasses
import operator
from typing import Annotated, Any, get_args

from fastapi import APIRouter, Body, Query
from pydantic import TypeAdapter, ValidationError

from application.commands import ClickEventInput, RecordClickEvents, RejectedInput
from application.errors import Invalid
from application.identity import click_key_event_id
from application.results import ClickBatchResult
from entrypoints.api.deps import GatewayDep, IdempotencyKey, Ingest, IngestDep
from entrypoints.api.metrics import ApiMetrics
from entrypoints.api.openapi import WRITE, problem_responses
from entrypoints.api.problems import ProblemError, field_problems, validation_problems
from entrypoints.api.routers import API_PREFIX
from entrypoints.api.routing import EdgeRoute
from entrypoints.api.schemas.clicks import (
    MAX_BATCH_EVENTS,
    ClickAcceptedOut,
    ClickBatchIn,
    ClickBatchOut,
    ClickBody,
    ClickEventFields,
    ClickType,
    FailedEventListOut,
    FailedEventOut,
    RejectionOut,
)
from entrypoints.api.schemas.common import FieldProblem

router = APIRouter(prefix=API_PREFIX, tags=["clicks"], route_class=EdgeRoute)
_KNOWN_TYPES = frozenset(get_args(ClickType))
_EVENT: TypeAdapter[ClickEventInput] = TypeAdapter(ClickEventFields)
_EVENTS: TypeAdapter[list[ClickEventInput]] = TypeAdapter(list[ClickEventFields])  # type: ignore[valid-type]
_EVENT_TYPE = operator.attrgetter("event_type")
Problems = list[tuple[int, list[FieldProblem]]]


@router.post("/clicks", status_code=202, responses=problem_responses(*WRITE))
async def record_click(
    body: Annotated[ClickBody, Body()], ingest: IngestDep, idempotency_key: IdempotencyKey = None
) -> ClickAcceptedOut:
    """Record one click event; 202 once it is durably stored (or was already). An event that
    fails the schema is answered 422 and kept as a failed event."""
    parsed, invalid = _parse([body])
    if idempotency_key and 0 in parsed and parsed[0].event_id is None:
        parsed[0] = dataclasses.replace(parsed[0], event_id=click_key_event_id(idempotency_key))
    result = await _record(ingest, [body], parsed, invalid)
    if invalid:
        raise ProblemError(422, "The request does not match the schema.", invalid[0][1])
    if result.rejected:
        raise Invalid(result.rejected[0].errors)
    return ClickAcceptedOut(
        event_id=result.event_ids[0],
        client_event_id=parsed[0].event_id,
        duplicate=result.duplicates > 0,
    )


@router.post("/clicks/batch", status_code=202, responses=problem_responses(*WRITE))
async def record_click_batch(body: ClickBatchIn, ingest: IngestDep) -> ClickBatchOut:
    """Record up to 500 events. Valid ones are stored; invalid ones are reported by index and
    kept in the failed-events store (GET /failed-events): nothing is silently dropped."""
    if len(body.events) > MAX_BATCH_EVENTS:
        raise ProblemError(413, f"A batch holds at most {MAX_BATCH_EVENTS} events.")
    parsed, invalid = _parse(body.events)
    result = await _record(ingest, body.events, parsed, invalid)
    rejected = [(r.index, field_problems(r.errors)) for r in result.rejected]
    return ClickBatchOut(
        accepted=result.accepted,
        duplicates=result.duplicates,
        rejected=[RejectionOut(index=i, errors=e) for i, e in sorted(rejected + invalid)],
    )


@router.get("/failed-events", responses=problem_responses(422, 503))
def list_failed_events(
    gateway: GatewayDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> FailedEventListOut:
    """Refused inputs, newest first. (A plain def: FastAPI runs it in its threadpool once.)"""
    failed = gateway.list_failed_events(limit, offset)
    total = gateway.count_failed_events()
    return FailedEventListOut(total=total, items=[FailedEventOut.of(f) for f in failed])


async def _record(
    ingest: Ingest, elements: list[Any], parsed: dict[int, ClickEventInput], invalid: Problems
) -> ClickBatchResult:
    """Record the valid events and keep the invalid elements, in one unit of work."""
    rejected = tuple(
        RejectedInput(i, elements[i], tuple((p.field, p.message) for p in problems))
        for i, problems in invalid
    )
    command = RecordClickEvents(
        tuple(parsed.values()), ingest.received_at, ingest.caller, tuple(parsed), rejected
    )
    result = await ingest.gateway.record_click_events_async(command)
    _count(ingest.metrics, elements, parsed, invalid, result)
    return result


def _parse(elements: list[Any]) -> tuple[dict[int, ClickEventInput], Problems]:
    """Validate each element on its own: one bad event must not sink the batch. All at once
    first (one pydantic call, not one per event); one by one only when some is invalid."""
    try:
        return dict(enumerate(_EVENTS.validate_python(elements))), []
    except ValidationError:
        pass
    parsed: dict[int, ClickEventInput] = {}
    invalid: Problems = []
    for index, element in enumerate(elements):
        try:
            parsed[index] = _EVENT.validate_python(element)
        except ValidationError as error:
            invalid.append((index, validation_problems(error.errors())))
    return parsed, invalid


def _type_of(element: Any) -> str:
    event_type = element.get("event_type") if isinstance(element, dict) else None
    # Only known types become label values: a client must not grow the metric's cardinality
    # (and whatever JSON it sent, counting never fails: the events are committed by now).
    return event_type if isinstance(event_type, str) and event_type in _KNOWN_TYPES else "invalid"


def _count(
    metrics: ApiMetrics,
    elements: list[Any],
    parsed: dict[int, ClickEventInput],
    invalid: Problems,
    result: ClickBatchResult,
) -> None:
    if not (invalid or result.rejected or result.duplicate_indices):  # every event accepted
        if len(parsed) == 1:  # a single click: no counting by type
            metrics.count_event(next(iter(parsed.values())).event_type, "accepted")
        else:
            metrics.count_events(map(_EVENT_TYPE, parsed.values()), "accepted")
        return
    refused = {r.index for r in result.rejected}
    skipped = refused | set(result.duplicate_indices)
    metrics.count_events((_type_of(elements[i]) for i, _ in invalid), "rejected")
    metrics.count_events((parsed[i].event_type for i in sorted(refused)), "rejected")
    metrics.count_events((parsed[i].event_type for i in result.duplicate_indices), "duplicate")
    accepted = (e.event_type for i, e in parsed.items() if i not in skipped)
    metrics.count_events(accepted, "accepted")
