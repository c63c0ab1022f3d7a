"""The Order aggregate: lines priced from the catalog, and a strict delivery lifecycle."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar, cast
from uuid import UUID

from eventsourcing.domain import Aggregate, TAggregate

from domain.catalog import FoodItem
from domain.errors import FieldError, IllegalTransition, Invalid

CURRENCY = "INR"
PAYMENT_METHODS = frozenset({"upi", "card", "cash", "wallet"})
MIN_QUANTITY, MAX_QUANTITY = 1, 50
CENT = Decimal("0.01")


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
    event_id: UUID
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


# The Order class's topic as eventsourcing writes it (utils.get_topic: the module and qualified
# name; domain/ imports only eventsourcing.domain). A test holds the two to the same text.
ORDER_TOPIC = "domain.order:Order"


class Order(Aggregate):
    class Placed(Aggregate.Created):
        event_type: ClassVar[str] = "order.placed"
        event_id: UUID
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

        def mutate(self, aggregate: TAggregate | None) -> TAggregate | None:
            # The order straight from the event, when placed and when replayed: eventsourcing's
            # generic mutate picks the constructor's arguments out of the event by signature
            # on every call, and its constructor coerces them first (a third of placing an
            # order in the gateway's profile).
            assert aggregate is None
            order = Order.__new__(Order)
            order._apply_placed(self)
            return cast("TAggregate", order)

    class StatusChanged(Aggregate.Event):
        event_id: UUID
        event_time: datetime
        received_at: datetime
        user_id: str
        status: str
        reason: str | None

        def apply(self, aggregate: Aggregate) -> None:
            assert isinstance(aggregate, Order)
            aggregate.status = OrderStatus(self.status)
            aggregate.remember(self, self.status, self.reason)

    class Confirmed(StatusChanged):
        event_type: ClassVar[str] = "order.confirmed"

    class OutForDelivery(StatusChanged):
        event_type: ClassVar[str] = "order.out_for_delivery"

    class Delivered(StatusChanged):
        event_type: ClassVar[str] = "order.delivered"

    class Cancelled(StatusChanged):
        event_type: ClassVar[str] = "order.cancelled"

    def _apply_placed(self, e: Placed) -> None:
        """The state of a placed order (Placed.mutate)."""
        self.__base_init__(e.originator_id, e.originator_version, e.timestamp)
        self.user_id = e.user_id
        self.restaurant_id = e.restaurant_id
        self.session_id = e.session_id
        self.lines = e.lines
        self.total_amount = e.total_amount
        self.currency = e.currency
        self.payment_method = e.payment_method
        self.status = OrderStatus(e.status)
        self.history: list[HistoryEntry] = []
        self.remember(e, e.status, None)

    def remember(self, e: Any, status: str, reason: str | None) -> None:
        self.history.append(
            HistoryEntry(
                e.event_id, e.event_type, status, reason, e.originator_version,
                e.event_time, e.received_at,
            )
        )  # fmt: skip

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
        event_id: UUID,
        event_time: datetime,
        received_at: datetime,
    ) -> "Order":
        if payment_method not in PAYMENT_METHODS:
            raise Invalid.of("payment_method", f"must be one of {sorted(PAYMENT_METHODS)}")
        priced = price_lines(restaurant_id, lines)
        placed = object.__new__(cls.Placed)
        # _create(Placed, ...), less its generic work (a third of placing an order): the
        # event's state set in one go, in the dataclass's field order (vars() and so the
        # stored JSON are the same; tests/unit/domain/test_order.py holds the two ways to the
        # same event and order), instead of through the frozen __init__, one
        # object.__setattr__ per field. `order_id` is a UUID (typed, and the use cases make
        # it one), so the skipped __post_init__ check cannot fail.
        state = placed.__dict__
        state["originator_id"] = order_id
        state["originator_version"] = cls.INITIAL_VERSION
        state["timestamp"] = cls.Placed.create_timestamp()
        state["originator_topic"] = ORDER_TOPIC
        state["event_id"] = event_id
        state["event_time"] = event_time
        state["received_at"] = received_at
        state["user_id"] = user_id
        state["restaurant_id"] = restaurant_id
        state["session_id"] = session_id
        state["lines"] = priced
        state["total_amount"] = sum((line["line_total"] for line in priced), Decimal("0.00"))
        state["currency"] = CURRENCY
        state["payment_method"] = payment_method
        state["status"] = OrderStatus.PLACED.value
        order = cast("Order", placed.mutate(None))
        order.pending_events.append(placed)
        return order

    def change_status(
        self,
        status: str,
        reason: str | None,
        *,
        event_id: UUID,
        event_time: datetime,
        received_at: datetime,
    ) -> None:
        target = _parse_status(status)
        if target not in TRANSITIONS[self.status]:
            raise IllegalTransition(self.status.value, target.value)
        self.trigger_event(
            STATUS_EVENTS[target],
            event_id=event_id,
            event_time=event_time,
            received_at=received_at,
            user_id=self.user_id,
            status=target.value,
            reason=reason,
        )

    def recorded_event(self, event_id: UUID) -> HistoryEntry | None:
        return next((h for h in self.history if h.event_id == event_id), None)


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
