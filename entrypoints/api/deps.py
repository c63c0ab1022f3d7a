"""Driving adapter, dependencies: what a route needs, read from `app.state` (set by the factory).

They are `async def` on purpose: FastAPI runs a sync dependency in the threadpool, and a thread
hop per attribute read cost more CPU than the rest of a click request (measured with py-spy).

No dependency-injector wiring here: the factory resolves the container once and routes read
plain attributes, which keeps the wiring trap (STYLE.md) out of reach.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Protocol
from uuid import UUID

from fastapi import Depends, Header, Request

from application.commands import ChangeOrderStatus, PlaceOrder, RecordClickEvents
from application.ports import Catalog, FailedEventStore
from application.results import ClickBatchResult, OrderReceipt, OrderView
from entrypoints.api.metrics import ApiMetrics


class Gateway(Protocol):
    """The use cases the API calls (FlowGuardApp implements them)."""

    def place_order(self, command: PlaceOrder) -> OrderReceipt: ...

    def change_order_status(self, command: ChangeOrderStatus) -> OrderReceipt: ...

    def record_click_events(self, command: RecordClickEvents) -> ClickBatchResult: ...

    async def place_order_async(self, command: PlaceOrder) -> OrderReceipt: ...

    async def record_click_events_async(self, command: RecordClickEvents) -> ClickBatchResult: ...

    def get_order(self, order_id: UUID) -> OrderView: ...

    def list_orders(self, user_id: str) -> list[OrderView]: ...


async def _gateway(request: Request) -> Any:
    return request.app.state.gateway


async def _catalog(request: Request) -> Any:
    return request.app.state.catalog


async def _failed_events(request: Request) -> Any:
    return request.app.state.failed_events


async def _metrics(request: Request) -> Any:
    return request.app.state.metrics


async def received_at(request: Request) -> datetime:
    stamped: datetime = request.state.received_at
    return stamped


@dataclass(frozen=True)
class Ingest:
    """Everything a write route needs, resolved as one dependency (each one costs CPU)."""

    gateway: Gateway
    metrics: ApiMetrics
    failed_events: FailedEventStore
    received_at: datetime


async def _ingest(request: Request) -> Ingest:
    state = request.app.state
    return Ingest(state.gateway, state.metrics, state.failed_events, request.state.received_at)


GatewayDep = Annotated[Gateway, Depends(_gateway)]
CatalogDep = Annotated[Catalog, Depends(_catalog)]
FailedEventsDep = Annotated[FailedEventStore, Depends(_failed_events)]
MetricsDep = Annotated[ApiMetrics, Depends(_metrics)]
ReceivedAt = Annotated[datetime, Depends(received_at)]
IngestDep = Annotated[Ingest, Depends(_ingest)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=200,
        description="Makes a retry return the original answer; another body with it is a 409.",
    ),
]
