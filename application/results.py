"""Use-case outputs: plain data returned by commands and queries, never aggregates."""

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.errors import FieldError


@dataclass(frozen=True)
class OrderReceipt:
    """The result of an order command. `replayed` is True when an idempotent retry returned
    the original result and nothing new was stored (the API answers 200 instead of 201)."""

    order_id: UUID  # the server's
    status: str
    total_amount: Decimal
    currency: str
    event_id: UUID  # the server's id of the event this receipt is for
    version: int
    client_order_id: UUID | None = None
    client_event_id: UUID | None = None
    replayed: bool = False


@dataclass(frozen=True)
class Rejection:
    index: int  # position of the event in the request's list
    errors: list[FieldError]


@dataclass(frozen=True)
class ClickBatchResult:
    accepted: int
    duplicates: int
    rejected: list[Rejection] = field(default_factory=list)
    duplicate_indices: list[int] = field(default_factory=list)  # positions, for per-type counts
    # position -> the server's id of the stored event (the original one, for a duplicate)
    event_ids: dict[int, UUID] = field(default_factory=dict)


@dataclass(frozen=True)
class OrderLineView:
    item_id: str
    name: str
    unit_price: Decimal
    quantity: int
    line_total: Decimal


@dataclass(frozen=True)
class OrderHistoryEntry:
    event_id: UUID
    client_event_id: UUID | None
    event_type: str  # e.g. "order.placed"
    status: str
    reason: str | None
    version: int
    event_time: datetime
    received_at: datetime


@dataclass(frozen=True)
class OrderView:
    order_id: UUID
    user_id: str
    restaurant_id: str
    session_id: str | None
    status: str
    lines: list[OrderLineView]
    total_amount: Decimal
    currency: str
    payment_method: str
    version: int
    client_order_id: UUID | None
    placed_at: datetime  # event_time of order.placed
    updated_at: datetime  # event_time of the last event
    history: list[OrderHistoryEntry]


@dataclass(frozen=True)
class FailedEvent:
    """A rejected input kept for inspection (GET /failed-events); nothing is silently dropped."""

    failed_id: UUID
    kind: str  # "click"
    payload: Any  # the input as received: any JSON value
    errors: list[FieldError]
    received_at: datetime
