"""The Order aggregate: lines priced from the catalog, and a strict delivery lifecycle."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar
from uuid import UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.catalog import FoodItem
from domain.errors import FieldError, IllegalTransition, Invalid
from domain.events import create, trigger
from domain.ids import new_event_id

CURRENCY = "INR"
PAYMENT_METHODS = frozenset({"upi", "card", "cash", "wallet"})
MIN_QUANTITY, MAX_QUANTITY = 1, 50
CENT = Decimal("0.01")
# Fixed forever: a request's token maps to the same order id after any restart.
ORDER_NAMESPACE = UUID("3f2a9c4e-1d7b-5e8a-9c0f-5b6d7e8f9a01")


class OrderStatus(StrEnum):
    PLACED = "placed"
    CONFIRMED = "confirmed"
    OUT_FOR_DELIVERY = "out_for_delivery"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


S = OrderStatus
TRANSITIONS: dict[OrderStatus, frozenset[OrderStatus]] = {
    S.PLACED: frozenset({S.CONFIRMED, S.CANCELLED}),
    S.CONFIRMED: frozenset({S.OUT_FOR_DELIVERY, S.CANCELLED}),
    S.OUT_FOR_DELIVERY: frozenset({S.DELIVERED, S.CANCELLED}),
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
}


@dataclass(frozen=True)
class HistoryEntry:
    """One event of the order's life, as the receipt and the order view show it."""

    event_id: UUID
    client_event_id: UUID | None
    request_id: UUID | None  # the caller-scoped idempotency token of a status change
    event_type: str
    status: str
    reason: str | None
    version: int
    event_time: datetime
    received_at: datetime


def price_lines(restaurant_id: str, lines: list[tuple[FoodItem, int]]) -> list[dict[str, Any]]:
    """Validate and price the lines; raises Invalid with one error per broken line."""
    errors = [] if lines else [FieldError("lines", "an order needs at least one line")]
    for i, (item, quantity) in enumerate(lines):
        if item.restaurant_id != restaurant_id:
            errors.append(FieldError(f"lines.{i}.item_id", "belongs to another restaurant"))
        if not MIN_QUANTITY <= quantity <= MAX_QUANTITY:
            errors.append(FieldError(f"lines.{i}.quantity", "must be between 1 and 50"))
    if errors:
        raise Invalid(errors)
    return [_line(item, quantity) for item, quantity in lines]


def _line(item: FoodItem, quantity: int) -> dict[str, Any]:
    unit_price = item.price.quantize(CENT)
    return {
        "item_id": item.item_id,
        "name": item.name,
        "unit_price": unit_price,
        "quantity": quantity,
        "line_total": (unit_price * quantity).quantize(CENT),
    }


class Order(Aggregate):
    @staticmethod
    def create_id(owner: str, token: str) -> UUID:
        """The id of the order placed by `owner`'s request `token`: a retry meets it again,
        another owner's same token is another order, and no other kind of record has it."""
        return uuid5(ORDER_NAMESPACE, f"{owner}\n{token}")

    class Placed(Aggregate.Created):
        event_type: ClassVar[str] = "order.placed"
        class_version = 2
        event_id: UUID
        client_event_id: UUID | None
        client_order_id: UUID | None
        event_time: datetime
        received_at: datetime
        user_id: str
        restaurant_id: str
        session_id: str | None
        lines: list[dict[str, Any]]
        total_amount: Decimal
        currency: str
        payment_method: str
        status: str

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            # Version 1 stored the client's event id as `event_id` (docs/contracts.md).
            state["client_event_id"] = state["client_order_id"] = None

    @event(Placed)
    def __init__(
        self,
        *,
        event_id: UUID,
        client_event_id: UUID | None,
        client_order_id: UUID | None,
        event_time: datetime,
        received_at: datetime,
        user_id: str,
        restaurant_id: str,
        session_id: str | None,
        lines: list[dict[str, Any]],
        total_amount: Decimal,
        currency: str,
        payment_method: str,
        status: str,
    ) -> None:
        self.user_id = user_id
        self.restaurant_id = restaurant_id
        self.session_id = session_id
        self.client_order_id = client_order_id
        self.lines = lines
        self.total_amount = total_amount
        self.currency = currency
        self.payment_method = payment_method
        self.status = OrderStatus(status)
        self.placed_at = event_time
        self.history = [
            HistoryEntry(
                event_id, client_event_id, None, self.Placed.event_type, status, None,
                self.INITIAL_VERSION, event_time, received_at,
            )
        ]  # fmt: skip

    class StatusChanged(Aggregate.Event):
        event_type: ClassVar[str]  # each kind of change below names its own
        class_version = 2
        event_id: UUID
        client_event_id: UUID | None
        request_id: UUID | None
        event_time: datetime
        reported_time: datetime
        received_at: datetime
        user_id: str
        status: str
        reason: str | None

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state.update(client_event_id=None, request_id=None)
            state["reported_time"] = state["event_time"]

        def apply(self, aggregate: "Order") -> None:
            aggregate.status = OrderStatus(self.status)
            aggregate.history.append(
                HistoryEntry(
                    self.event_id, self.client_event_id, self.request_id, self.event_type,
                    self.status, self.reason, self.originator_version, self.event_time,
                    self.received_at,
                )
            )  # fmt: skip

    class Confirmed(StatusChanged):
        event_type = "order.confirmed"

    class OutForDelivery(StatusChanged):
        event_type = "order.out_for_delivery"

    class Delivered(StatusChanged):
        event_type = "order.delivered"

    class Cancelled(StatusChanged):
        event_type = "order.cancelled"

    @classmethod
    def place(
        cls,
        *,
        order_id: UUID,
        user_id: str,
        restaurant_id: str,
        lines: list[tuple[FoodItem, int]],
        payment_method: str,
        session_id: str | None,
        client_event_id: UUID | None,
        client_order_id: UUID | None,
        event_time: datetime,
        received_at: datetime,
    ) -> "Order":
        if payment_method not in PAYMENT_METHODS:
            raise Invalid.of("payment_method", f"must be one of {sorted(PAYMENT_METHODS)}")
        priced = price_lines(restaurant_id, lines)
        return create(
            cls,
            cls.Placed,
            order_id,
            {
                "event_id": new_event_id(),
                "client_event_id": client_event_id,
                "client_order_id": client_order_id,
                "event_time": event_time,
                "received_at": received_at,
                "user_id": user_id,
                "restaurant_id": restaurant_id,
                "session_id": session_id,
                "lines": priced,
                "total_amount": sum((line["line_total"] for line in priced), Decimal("0.00")),
                "currency": CURRENCY,
                "payment_method": payment_method,
                "status": OrderStatus.PLACED.value,
            },
        )

    def change_status(
        self,
        status: str,
        reason: str | None,
        *,
        client_event_id: UUID | None,
        request_id: UUID | None,
        event_time: datetime,
        received_at: datetime,
    ) -> None:
        """Move the order along its lifecycle. A change is never dated before the order was
        placed (a slow device clock would otherwise move it to the day before, where the
        order's day never counts it); the time the client reported is kept beside it."""
        target = _parse_status(status)
        if target not in TRANSITIONS[self.status]:
            raise IllegalTransition(self.status.value, target.value)
        trigger(
            self,
            STATUS_EVENTS[target],
            {
                "event_id": new_event_id(),
                "client_event_id": client_event_id,
                "request_id": request_id,
                "event_time": max(event_time, self.placed_at),
                "reported_time": event_time,
                "received_at": received_at,
                "user_id": self.user_id,
                "status": target.value,
                "reason": reason,
            },
        )

    def recorded_request(self, request_id: UUID) -> HistoryEntry | None:
        """The status change recorded for the caller-scoped token `request_id`, if any."""
        return next((h for h in self.history if h.request_id == request_id), None)


def _parse_status(status: str) -> OrderStatus:
    try:
        return OrderStatus(status)
    except ValueError:
        raise Invalid.of("status", f"unknown status {status!r}") from None


STATUS_EVENTS: dict[OrderStatus, type[Order.StatusChanged]] = {
    S.CONFIRMED: Order.Confirmed,
    S.OUT_FOR_DELIVERY: Order.OutForDelivery,
    S.DELIVERED: Order.Delivered,
    S.CANCELLED: Order.Cancelled,
}
