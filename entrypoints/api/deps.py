"""Driving adapter, dependencies: what a route needs, read from `app.state` (set by the factory)
and from what the edge put in the request's state (entrypoints/api/edge.py).

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
from application.ports import Catalog
from application.results import ClickBatchResult, FailedEvent, OrderReceipt, OrderView
from entrypoints.api.metrics import ApiMetrics

IDEMPOTENCY_KEY_LENGTH = (1, 200)


class Gateway(Protocol):
    """The use cases the API calls (FlowGuardApp implements them)."""

    async def place_order_async(self, command: PlaceOrder) -> OrderReceipt: ...

    async def change_order_status_async(self, command: ChangeOrderStatus) -> OrderReceipt: ...

    async def record_click_events_async(self, command: RecordClickEvents) -> ClickBatchResult: ...

    def get_order(self, order_id: UUID) -> OrderView: ...

    def list_orders(self, user_id: str) -> list[OrderView]: ...

    def list_failed_events(self, limit: int, offset: int) -> list[FailedEvent]: ...

    def count_failed_events(self) -> int: ...


@dataclass(frozen=True)
class Ingest:
    """Everything a write route needs, resolved as one dependency (each one costs CPU)."""

    gateway: Gateway
    metrics: ApiMetrics
    received_at: datetime
    caller: str | None  # the API key's holder, when keys are configured


def ingest_of(app_state: Any, request_state: dict[str, Any]) -> Ingest:
    return Ingest(
        app_state.gateway,
        app_state.metrics,
        request_state["received_at"],
        request_state.get("caller"),
    )


def plain_idempotency_key(key: bytes | None) -> bool:
    """Whether the header is absent or within bounds (else FastAPI answers the 422)."""
    low, high = IDEMPOTENCY_KEY_LENGTH
    return key is None or low <= len(key.decode("latin-1")) <= high


async def _gateway(request: Request) -> Any:
    return request.app.state.gateway


async def _catalog(request: Request) -> Any:
    return request.app.state.catalog


async def _ingest(request: Request) -> Ingest:
    return ingest_of(request.app.state, request.scope["state"])


GatewayDep = Annotated[Gateway, Depends(_gateway)]
CatalogDep = Annotated[Catalog, Depends(_catalog)]
IngestDep = Annotated[Ingest, Depends(_ingest)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=IDEMPOTENCY_KEY_LENGTH[0],
        max_length=IDEMPOTENCY_KEY_LENGTH[1],
        description="Makes a retry return the original answer; another body with it is a 409. "
        "Scoped to the caller: the same key from another caller is another request.",
    ),
]
