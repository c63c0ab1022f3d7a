"""What the traffic model produces: client requests in domain terms, before any wire format."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from uuid import UUID

NO_SKEW = timedelta(0)


@dataclass(frozen=True)
class ClickEvent:
    """One clickstream event. `occurred_at` is the true UTC time; a device with a clock `skew`
    reports `occurred_at + skew` and `sent_at` on the same wrong clock, corrected
    by the server."""

    event_id: UUID
    session_id: str
    user_id: str | None
    event_type: str
    restaurant_id: str
    page: str
    occurred_at: datetime
    item_id: str | None = None
    position: int | None = None
    quantity: int | None = None
    skew: timedelta = NO_SKEW
    valid: bool = True


@dataclass(frozen=True)
class OrderLine:
    item_id: str
    quantity: int
    unit_price: Decimal


@dataclass(frozen=True)
class OrderPlacement:
    order_id: UUID
    event_id: UUID
    user_id: str
    restaurant_id: str
    session_id: str | None
    lines: tuple[OrderLine, ...]
    payment_method: str
    occurred_at: datetime
    skew: timedelta = NO_SKEW
    valid: bool = True
    retried: bool = False

    @property
    def total(self) -> Decimal:
        return sum((line.unit_price * line.quantity for line in self.lines), Decimal("0.00"))


@dataclass(frozen=True)
class StatusChange:
    """Sent by the restaurant or courier systems, whose clocks are right: no skew."""

    order_id: UUID
    event_id: UUID
    status: str
    occurred_at: datetime
    reason: str | None = None
    valid: bool = True
    retried: bool = False


@dataclass(frozen=True)
class ClickBatch:
    events: tuple[ClickEvent, ...]
    retried: bool = False


@dataclass(frozen=True)
class DayPlan:
    """Everything sent on one simulated day, in the order the driver must respect: click
    batches, then placements, then each wave of status changes."""

    day: date
    click_batches: tuple[ClickBatch, ...]
    orders: tuple[OrderPlacement, ...]
    status_waves: tuple[tuple[StatusChange, ...], ...] = field(default=())

    def clicks(self) -> list[ClickEvent]:
        return [event for batch in self.click_batches for event in batch.events]

    def status_changes(self) -> list[StatusChange]:
        return [change for wave in self.status_waves for change in wave]
