"""Use-case inputs: immutable commands the API builds from validated requests.

Times are timezone-aware datetimes. `received_at` is stamped by the server when the request
arrived; `occurred_at`/`sent_at` come from the client (see docs/event-time.md).
"""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID


@dataclass(frozen=True)
class OrderLineRequest:
    item_id: str
    quantity: int


@dataclass(frozen=True)
class PlaceOrder:
    """Place an order. Prices come from the catalog, never from the client.

    Idempotency: a client `order_id` identifies the request; without one, `idempotency_key`
    (the Idempotency-Key header) or, failing that, `event_id` does. A retry returns the original
    receipt with `replayed=True`; the same identity with a different body raises
    IdempotencyConflict. See docs/domain.md.
    """

    user_id: str
    restaurant_id: str
    lines: tuple[OrderLineRequest, ...]
    payment_method: str
    received_at: datetime
    session_id: str | None = None
    order_id: UUID | None = None
    idempotency_key: str | None = None
    event_id: UUID | None = None
    occurred_at: datetime | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True)
class ChangeOrderStatus:
    """Move an order along its lifecycle; `status` is the target status
    (confirmed, out_for_delivery, delivered, cancelled). Idempotent with a key or event_id."""

    order_id: UUID
    status: str
    received_at: datetime
    reason: str | None = None
    idempotency_key: str | None = None
    event_id: UUID | None = None
    occurred_at: datetime | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True)
class ClickEventInput:
    """One clickstream event as the client sent it. A missing `event_id` gets a fresh one, so
    only client-supplied ids make retries no-ops."""

    session_id: str
    event_type: str  # impression | click | add_to_cart | remove_from_cart | checkout_started
    restaurant_id: str
    page: str
    event_id: UUID | None = None
    user_id: str | None = None
    item_id: str | None = None
    position: int | None = None
    quantity: int | None = None
    occurred_at: datetime | None = None
    sent_at: datetime | None = None


@dataclass(frozen=True)
class RecordClickEvents:
    """A batch (or a single event) of click events received in one request."""

    events: tuple[ClickEventInput, ...]
    received_at: datetime
