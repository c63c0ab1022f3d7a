"""Order use cases: place an order and move it along its lifecycle, idempotently."""

from datetime import datetime

from application import identity
from application.commands import ChangeOrderStatus, PlaceOrder
from application.errors import IdempotencyConflict, NotFound
from application.ports import Catalog, UnitOfWork
from application.results import OrderReceipt
from application.user_orders import UserOrders
from application.views import receipt
from domain.catalog import FoodItem
from domain.errors import FieldError, Invalid
from domain.event_time import checked_event_time, naive_error
from domain.ids import new_event_id
from domain.order import Order


def place_order(uow: UnitOfWork, catalog: Catalog, cmd: PlaceOrder) -> OrderReceipt:
    lines = _resolve_lines(catalog, cmd)
    when = _checked_time(cmd)
    token = identity.order_token(cmd)
    scope = identity.owner(cmd.caller, cmd.user_id)
    order_id = Order.create_id(scope, token) if token else new_event_id()
    placed = uow.get(Order, order_id) if token else None  # a new random id names no order
    if placed is not None:  # a retry of this request, or the token reused for another one
        if not _same_request(placed, cmd):
            raise IdempotencyConflict("this idempotency token was used for another order")
        return receipt(placed, placed.history[0], replayed=True)
    order = Order.place(
        order_id=order_id,
        user_id=cmd.user_id,
        restaurant_id=cmd.restaurant_id,
        lines=lines,
        payment_method=cmd.payment_method,
        session_id=cmd.session_id,
        client_event_id=cmd.event_id,
        client_order_id=cmd.order_id,
        event_time=when,
        received_at=cmd.received_at,
    )
    index = uow.get(UserOrders, UserOrders.create_id(cmd.user_id))
    index = index or UserOrders.open(cmd.user_id)
    index.add(order.id)
    uow.add(order, index)
    uow.commit()
    return receipt(order, order.history[0])


def change_order_status(uow: UnitOfWork, cmd: ChangeOrderStatus) -> OrderReceipt:
    when = _checked_time(cmd)
    order = uow.get(Order, cmd.order_id)
    if order is None:
        raise NotFound(f"order {cmd.order_id} not found")
    scope = identity.owner(cmd.caller, order.user_id)
    request_id = identity.status_request_id(scope, cmd.idempotency_key, cmd.event_id)
    entry = order.recorded_request(request_id) if request_id else None
    if entry is not None:
        if (entry.status, entry.reason) != (cmd.status, cmd.reason):
            raise IdempotencyConflict("this idempotency token was used for another change")
        return receipt(order, entry, replayed=True)
    order.change_status(
        cmd.status,
        cmd.reason,
        client_event_id=cmd.event_id,
        request_id=request_id,
        event_time=when,
        received_at=cmd.received_at,
    )
    uow.add(order)
    uow.commit()
    return receipt(order, order.history[-1])


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
    times = {"occurred_at": cmd.occurred_at, "sent_at": cmd.sent_at}
    if errors := naive_error({**times, "received_at": cmd.received_at}):
        raise Invalid(errors)
    when = checked_event_time(cmd.received_at, cmd.occurred_at, cmd.sent_at)
    if isinstance(when, FieldError):
        raise Invalid([when])
    return when
