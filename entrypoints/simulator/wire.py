"""The HTTP wire format of the simulator's requests (the API's `/api/v1` bodies and headers)."""

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from entrypoints.api.schemas.clicks import ClickEventIn
from entrypoints.simulator.events import ClickEvent, OrderPlacement, StatusChange

TIMES = ("occurred_at", "sent_at")


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def device_times(occurred_at: datetime, skew: timedelta) -> dict[str, str]:
    """Times as the device reports them. A skewed device also sends `sent_at` on its own clock,
    which is what lets the server cancel the skew out; a correct one sends `occurred_at` alone."""
    if not skew:
        return {"occurred_at": iso(occurred_at)}
    return {"occurred_at": iso(occurred_at + skew), "sent_at": iso(datetime.now(UTC) + skew)}


# The API's request model names a click's wire fields; the times are the device's (below).
CLICK_FIELDS = tuple(name for name in ClickEventIn.model_fields if name not in TIMES)


def click_body(event: ClickEvent) -> dict[str, Any]:
    """The event as the API takes it, field by field from `ClickEventIn`. Not validated here:
    the simulator's invalid events must reach the API as they are."""
    body = {name: _json(getattr(event, name, None)) for name in CLICK_FIELDS}
    present = {name: value for name, value in body.items() if value is not None}
    return present | device_times(event.occurred_at, event.skew)


def _json(value: object) -> object:
    return str(value) if isinstance(value, UUID) else value


def order_body(order: OrderPlacement) -> dict[str, Any]:
    return {
        "order_id": str(order.order_id),
        "event_id": str(order.event_id),
        "user_id": order.user_id,
        "restaurant_id": order.restaurant_id,
        "session_id": order.session_id,
        "payment_method": order.payment_method,
        "lines": [{"item_id": line.item_id, "quantity": line.quantity} for line in order.lines],
    } | device_times(order.occurred_at, order.skew)


def status_path(order_id: object) -> str:
    """Where a status change goes: the order id the server returned in its receipt."""
    return f"/api/v1/orders/{order_id}/status"


def status_body(change: StatusChange) -> dict[str, Any]:
    body: dict[str, Any] = {"status": change.status, "event_id": str(change.event_id)}
    if change.reason:
        body["reason"] = change.reason
    return body | device_times(change.occurred_at, timedelta(0))


def idempotency_headers(event_id: object) -> dict[str, str]:
    return {"Idempotency-Key": str(event_id)}
