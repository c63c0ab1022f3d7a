"""Turns aggregates into the plain views queries return."""

from decimal import Decimal

from application.results import OrderHistoryEntry, OrderLineView, OrderReceipt, OrderView
from domain.order import HistoryEntry, Order


def order_view(order: Order) -> OrderView:
    return OrderView(
        order_id=order.id,
        user_id=order.user_id,
        restaurant_id=order.restaurant_id,
        session_id=order.session_id,
        status=order.status.value,
        lines=[_line(line) for line in order.lines],
        total_amount=order.total_amount,
        currency=order.currency,
        payment_method=order.payment_method,
        version=order.version,
        client_order_id=order.client_order_id,
        placed_at=order.history[0].event_time,
        updated_at=order.history[-1].event_time,
        history=[_entry(h) for h in order.history],
    )


def receipt(order: Order, entry: HistoryEntry, *, replayed: bool = False) -> OrderReceipt:
    """The receipt as it was when `entry` was recorded."""
    return OrderReceipt(
        order_id=order.id,
        status=entry.status,
        total_amount=order.total_amount,
        currency=order.currency,
        event_id=entry.event_id,
        version=entry.version,
        client_order_id=order.client_order_id,
        client_event_id=entry.client_event_id,
        replayed=replayed,
    )


def _entry(entry: HistoryEntry) -> OrderHistoryEntry:
    return OrderHistoryEntry(
        event_id=entry.event_id,
        client_event_id=entry.client_event_id,
        event_type=entry.event_type,
        status=entry.status,
        reason=entry.reason,
        version=entry.version,
        event_time=entry.event_time,
        received_at=entry.received_at,
    )


def _line(line: dict[str, object]) -> OrderLineView:
    return OrderLineView(
        item_id=str(line["item_id"]),
        name=str(line["name"]),
        unit_price=Decimal(str(line["unit_price"])),
        quantity=int(str(line["quantity"])),
        line_total=Decimal(str(line["line_total"])),
    )
