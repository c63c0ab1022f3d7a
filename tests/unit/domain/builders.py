"""Small builders shared by the domain tests."""

from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID, uuid4

from domain.catalog import FoodItem
from domain.click_session import Click
from domain.order import Order

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
OWNER = "user:usr_1"
DOSA = FoodItem("itm_1", "rst_1", "Masala Dosa", "Mains", "South Indian", True, Decimal("120"))
VADA = FoodItem("itm_2", "rst_1", "Medu Vada", "Starters", "South Indian", True, Decimal("59.5"))
ROLL = FoodItem("itm_9", "rst_2", "Egg Roll", "Rolls", "Street Food", False, Decimal("110"))


def placed_order(lines: list[tuple[FoodItem, int]] | None = None, **overrides: object) -> Order:
    fields: dict[str, object] = {
        "order_id": uuid4(),
        "user_id": "usr_1",
        "restaurant_id": "rst_1",
        "lines": [(DOSA, 2), (VADA, 1)] if lines is None else lines,
        "payment_method": "upi",
        "session_id": "ses_1",
        "client_event_id": uuid4(),
        "client_order_id": uuid4(),
        "event_time": NOW,
        "received_at": NOW,
    }
    fields.update(overrides)
    return Order.place(**fields)  # type: ignore[arg-type]


def change(
    order: Order,
    status: str,
    reason: str | None = None,
    *,
    event_time: datetime = NOW,
    request_id: UUID | None = None,
) -> None:
    order.change_status(
        status,
        reason,
        client_event_id=uuid4(),
        request_id=request_id,
        event_time=event_time,
        received_at=NOW,
    )


def click(event_type: str, item_id: str | None = "itm_1", **overrides: object) -> Click:
    fields: dict[str, object] = {
        "client_event_id": uuid4(),
        "event_type": event_type,
        "event_time": NOW,
        "received_at": NOW,
        "user_id": "usr_1",
        "item_id": item_id,
        "restaurant_id": "rst_1",
        "page": "menu",
        "position": 3,
        "quantity": None,
    }
    fields.update(overrides)
    return Click(**fields)  # type: ignore[arg-type]
