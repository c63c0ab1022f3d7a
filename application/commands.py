"""Use-case inputs: immutable commands the API builds from validated requests.

Times are timezone-aware datetimes. `received_at` is stamped by the server when the request
arrived; `occurred_at`/`sent_at` come from the client (see docs/event-time.md).

`caller` names who sent the request when the API authenticates callers (a digest of the API
key, never the key), else None. Ids a client sends (`order_id`, `event_id`, an
Idempotency-Key) are idempotency tokens scoped to the caller, never stored identities (see
application/identity.py).
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

    Idempotency: the client's `order_id`, else `idempotency_key` (the Idempotency-Key
    header), else `event_id` identifies the request within its caller's scope. A retry returns
    the original receipt with `replayed=True`; the same token with a different body raises
    IdempotencyConflict. Without any of them, every request is a new order.
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
    caller: str | None = None


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
    caller: str | None = None


@dataclass(frozen=True)
class ClickEventInput:
    """One clickstream event as the client sent it. Only a client `event_id` makes a retry a
    no-op (within its session)."""

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
class RejectedInput:
    """An element of a request that failed the wire schema, kept as a failed event."""

    index: int
    payload: object  # the element as received (any JSON value)
    errors: tuple[tuple[str, str], ...]  # (field, reason)


@dataclass(frozen=True)
class RecordClickEvents:
    """A batch (or a single event) of click events received in one request. `events` are
    the elements that passed the wire schema, at their `indices` in the request; `rejected`
    the ones that did not."""

    events: tuple[ClickEventInput, ...]
    received_at: datetime
    caller: str | None = None
    indices: tuple[int, ...] | None = None  # None: 0, 1, 2, ...
    rejected: tuple[RejectedInput, ...] = ()
