"""Order use cases: place an order and move it along its lifecycle, idempotently."""

import random
import time
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol, TypeVar
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate
from eventsourcing.persistence import RecordConflictError

from application.commands import ChangeOrderStatus, PlaceOrder
from application.errors import IdempotencyConflict, NotFound
from application.ports import Catalog
from application.random_ids import random_uuid
from application.results import OrderReceipt
from application.user_orders import UserOrders, user_orders_id
from application.views import receipt
from domain.catalog import FoodItem
from domain.errors import FieldError, Invalid
from domain.event_time import checked_event_time, naive_error
from domain.order import Order

# Fixed forever: an idempotency key maps to the same order (and event) id after any restart.
ORDER_NAMESPACE = UUID("3f2a9c4e-1d7b-5e8a-9c0f-5b6d7e8f9a01")
# Conflicts only come from concurrent writers of one user's index or one order; each round
# one of them wins, so this bounds how many may race before a 503 asks the client to retry.
ATTEMPTS = 20
T = TypeVar("T")


class Store(Protocol):
    def load(self, aggregate_id: UUID) -> Any | None: ...

    def load_latest(self, aggregate_id: UUID) -> Any | None:
        """Maybe stale (see FlowGuardApp.load_latest): only for decisions a conflict undoes."""
        ...

    def commit(self, *aggregates: Aggregate) -> None: ...


def place_order(store: Store, catalog: Catalog, cmd: PlaceOrder) -> OrderReceipt:
    key = cmd.idempotency_key or _str(cmd.event_id)
    order_id, event_id = _placed_ids(cmd, key)
    lines = _resolve_lines(catalog, cmd)

    def attempt() -> OrderReceipt:
        order = Order.place(
            order_id=order_id,
            user_id=cmd.user_id,
            restaurant_id=cmd.restaurant_id,
            lines=lines,
            payment_method=cmd.payment_method,
            session_id=cmd.session_id,
            event_id=event_id,
            received_at=cmd.received_at,
            event_time=_checked_time(cmd),
        )
        # A stale index only makes the commit conflict (and the retry reads the store).
        index = store.load_latest(user_orders_id(cmd.user_id)) or UserOrders.open(cmd.user_id)
        index.add(order.id)
        store.commit(order, index)
        return receipt(order, order.history[0])

    return _retrying(attempt, on_conflict=lambda: _replay_placed(store, order_id, cmd))


def _placed_ids(cmd: PlaceOrder, key: str | None) -> tuple[UUID, UUID]:
    """The order's id and its order.placed event's id: derived from the request's identity
    (the client's order id, else its key) so that a retry meets the stored order; both random
    for a request without one (it cannot be retried: nothing to derive)."""
    if cmd.order_id is None and key is None:
        return random_uuid(), random_uuid()
    order_id = cmd.order_id or uuid5(ORDER_NAMESPACE, f"order:{key}")
    return order_id, cmd.event_id or uuid5(ORDER_NAMESPACE, f"{order_id}:placed")


def change_order_status(store: Store, cmd: ChangeOrderStatus) -> OrderReceipt:
    key = cmd.idempotency_key or _str(cmd.event_id)
    event_id = cmd.event_id or (
        uuid5(ORDER_NAMESPACE, f"{cmd.order_id}:status:{key}") if key else random_uuid()
    )
    when = _checked_time(cmd)

    def attempt() -> OrderReceipt:
        order = _load_order(store, cmd.order_id)
        if (entry := order.recorded_event(event_id)) is not None:
            if entry.status != cmd.status or entry.reason != cmd.reason:
                raise IdempotencyConflict(f"event {event_id} was recorded with another body")
            return receipt(order, entry, replayed=True)
        order.change_status(
            cmd.status, cmd.reason, event_id=event_id, event_time=when, received_at=cmd.received_at
        )
        store.commit(order)
        return receipt(order, order.history[-1])

    # A conflict means someone else changed the order first: reload and decide again.
    return _retrying(attempt, on_conflict=lambda: None)


def _retrying(attempt: Callable[[], T], on_conflict: Callable[[], T | None]) -> T:
    for n in range(ATTEMPTS - 1):
        try:
            return attempt()
        except RecordConflictError:
            if (result := on_conflict()) is not None:
                return result
            backoff(n)
    return attempt()


def backoff(attempt: int) -> None:
    # Jitter spreads the losers of a race so they do not collide again in the next round.
    time.sleep(random.uniform(0, 0.001 * (attempt + 1)))


def _replay_placed(store: Store, order_id: UUID, cmd: PlaceOrder) -> OrderReceipt | None:
    """After a conflict: if the order exists, this was a retry (or a reused key)."""
    order = store.load(order_id)
    if order is None:
        return None  # the conflict was on the user's index: try again
    if not _same_request(order, cmd):
        raise IdempotencyConflict(f"order {order_id} was placed with another body")
    return receipt(order, order.history[0], replayed=True)


def _same_request(order: Order, cmd: PlaceOrder) -> bool:
    lines = [(line["item_id"], line["quantity"]) for line in order.lines]
    return (order.user_id, order.restaurant_id, order.session_id, order.payment_method) == (
        cmd.user_id,
        cmd.restaurant_id,
        cmd.session_id,
        cmd.payment_method,
    ) and lines == [(line.item_id, line.quantity) for line in cmd.lines]


def _resolve_lines(catalog: Catalog, cmd: PlaceOrder) -> list[tuple[FoodItem, int]]:
    errors = []
    if catalog.restaurant(cmd.restaurant_id) is None:
        errors.append(FieldError("restaurant_id", "unknown restaurant"))
    resolved = []
    for i, line in enumerate(cmd.lines):
        item = catalog.item(line.item_id)
        if item is None:
            errors.append(FieldError(f"lines.{i}.item_id", "unknown item"))
        else:
            resolved.append((item, line.quantity))
    if errors:
        raise Invalid(errors)
    return resolved


def _checked_time(cmd: PlaceOrder | ChangeOrderStatus) -> datetime:
    # Most requests carry no client times: then only the server's stamp needs the check.
    client_times = cmd.occurred_at is not None or cmd.sent_at is not None
    if client_times or cmd.received_at.tzinfo is None:
        times = {"occurred_at": cmd.occurred_at, "sent_at": cmd.sent_at}
        if errors := naive_error({**times, "received_at": cmd.received_at}):
            raise Invalid(errors)
    when = checked_event_time(cmd.received_at, cmd.occurred_at, cmd.sent_at)
    if isinstance(when, FieldError):
        raise Invalid([when])
    return when


def _load_order(store: Store, order_id: UUID) -> Order:
    order = store.load(order_id)
    if not isinstance(order, Order):
        raise NotFound(f"order {order_id} not found")
    return order


def _str(value: UUID | None) -> str | None:
    return str(value) if value is not None else None
