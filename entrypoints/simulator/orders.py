"""Order lifecycles: placed -> confirmed -> out for delivery -> delivered, or cancelled."""

import random
from datetime import datetime, timedelta
from uuid import UUID, uuid5

from entrypoints.simulator.events import OrderPlacement, StatusChange

PAYMENT_METHODS = ("upi", "card", "cash", "wallet")
PAYMENT_WEIGHTS = (50, 25, 15, 10)
# (target status, probability of cancelling instead, reason, minutes after the previous step)
LIFECYCLE = (
    ("confirmed", 0.04, "customer_changed_mind", (1, 4)),
    ("out_for_delivery", 0.02, "restaurant_busy", (10, 25)),
    ("delivered", 0.01, "courier_unavailable", (10, 35)),
)


def payment_method(rng: random.Random) -> str:
    return rng.choices(PAYMENT_METHODS, weights=PAYMENT_WEIGHTS)[0]


def lifecycle(order: OrderPlacement, namespace: UUID, rng: random.Random) -> list[StatusChange]:
    """The status changes that follow a placement, one per wave, ending delivered or cancelled."""
    changes: list[StatusChange] = []
    at = order.occurred_at
    for status, cancel_share, reason, (low, high) in LIFECYCLE:
        at = at + timedelta(minutes=rng.randint(low, high), seconds=rng.randint(0, 59))
        if rng.random() < cancel_share:
            changes.append(_change(order.order_id, "cancelled", at, namespace, reason=reason))
            break
        changes.append(_change(order.order_id, status, at, namespace))
    return changes


def illegal_cancel(order_id: UUID, after: datetime, namespace: UUID) -> StatusChange:
    """A cancellation after delivery: the domain must refuse it (409)."""
    at = after + timedelta(minutes=30)
    return _change(order_id, "cancelled", at, namespace, reason="late_complaint", valid=False)


def _change(
    order_id: UUID, status: str, at: datetime, namespace: UUID, *, reason: str | None = None,
    valid: bool = True,
) -> StatusChange:  # fmt: skip
    event_id = uuid5(namespace, f"order:{order_id}:{status}:{valid}")
    return StatusChange(order_id, event_id, status, at, reason=reason, valid=valid)
