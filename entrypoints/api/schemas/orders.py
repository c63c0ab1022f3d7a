"""Driving adapter, wire format of the order resource (requests, receipts, views)."""

from datetime import datetime
from decimal import Decimal
from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, JsonValue

from application.commands import ChangeOrderStatus, OrderLineRequest, PlaceOrder
from application.results import OrderReceipt, OrderView
from entrypoints.api.schemas.common import Count, Id, Text, Timestamp

PaymentMethod = Literal["upi", "card", "cash", "wallet"]
TargetStatus = Literal["confirmed", "out_for_delivery", "delivered", "cancelled"]
OrderStatus = Literal["placed", "confirmed", "out_for_delivery", "delivered", "cancelled"]


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrderLineIn(_In):
    item_id: Id
    quantity: Count = Field(ge=1, le=50)


PLACE_ORDER_EXAMPLE: dict[str, JsonValue] = {
    "user_id": "user-0042",
    "restaurant_id": "rst_001",
    "session_id": "sess-7f3a",
    "payment_method": "upi",
    "lines": [{"item_id": "itm_0001", "quantity": 2}, {"item_id": "itm_0003", "quantity": 1}],
    "occurred_at": "2026-11-25T12:30:00Z",
    "sent_at": "2026-11-25T12:30:01Z",
}


class PlaceOrderIn(_In):
    """Prices are never sent: the server prices each line from the catalog."""

    model_config = ConfigDict(json_schema_extra={"examples": [PLACE_ORDER_EXAMPLE]})

    user_id: Id
    restaurant_id: Id
    lines: list[OrderLineIn] = Field(min_length=1, max_length=50)
    payment_method: PaymentMethod
    session_id: Id | None = None
    order_id: UUID | None = Field(
        None,
        description="Your id for the order: an idempotency token (a retry with it returns the "
        "first receipt), never the stored id, which the receipt's `order_id` gives.",
    )
    event_id: UUID | None = Field(None, description="Your id for the event; also a token.")
    occurred_at: Timestamp | None = None
    sent_at: Timestamp | None = None

    def to_command(
        self, received_at: datetime, idempotency_key: str | None, caller: str | None
    ) -> PlaceOrder:
        # From the validated fields (the same names): model_dump() runs pydantic's serializer.
        lines = tuple(OrderLineRequest(line.item_id, line.quantity) for line in self.lines)
        fields = {**self.__dict__, "lines": lines}
        return PlaceOrder(
            **fields, received_at=received_at, idempotency_key=idempotency_key, caller=caller
        )


class StatusChangeIn(_In):
    model_config = ConfigDict(
        json_schema_extra={"examples": [{"status": "cancelled", "reason": "customer request"}]}
    )

    status: TargetStatus
    reason: Text | None = None
    event_id: UUID | None = Field(None, description="Your id for the event; makes a retry a no-op.")
    occurred_at: Timestamp | None = None
    sent_at: Timestamp | None = None

    def to_command(
        self,
        order_id: UUID,
        received_at: datetime,
        idempotency_key: str | None,
        caller: str | None,
    ) -> ChangeOrderStatus:
        return ChangeOrderStatus(
            order_id=order_id,
            **self.model_dump(),
            received_at=received_at,
            idempotency_key=idempotency_key,
            caller=caller,
        )


class OrderReceiptOut(BaseModel):
    order_id: UUID = Field(description="The order's id: address it with this one.")
    status: OrderStatus
    total_amount: Decimal = Field(examples=["498.00"])
    currency: Literal["INR"]
    event_id: UUID = Field(description="The server's id of the event (INGESTION_ID).")
    version: int = Field(ge=1)
    client_order_id: UUID | None = Field(None, description="Your `order_id`, if you sent one.")
    client_event_id: UUID | None = Field(None, description="Your `event_id` (CLIENT_EVENT_ID).")

    @classmethod
    def of(cls, receipt: OrderReceipt) -> "OrderReceiptOut":
        return cls.model_validate(receipt, from_attributes=True)


class OrderLineOut(BaseModel):
    item_id: Id
    name: str
    unit_price: Decimal
    quantity: int
    line_total: Decimal


class HistoryEntryOut(BaseModel):
    event_id: UUID
    client_event_id: UUID | None
    event_type: str = Field(examples=["order.placed"])
    status: OrderStatus
    reason: str | None
    version: int
    event_time: datetime
    received_at: datetime


class OrderOut(BaseModel):
    order_id: UUID
    user_id: Id
    restaurant_id: Id
    session_id: Id | None
    status: OrderStatus
    lines: list[OrderLineOut]
    total_amount: Decimal
    currency: Literal["INR"]
    payment_method: PaymentMethod
    version: int
    client_order_id: UUID | None
    placed_at: datetime
    updated_at: datetime
    history: list[HistoryEntryOut]

    @classmethod
    def of(cls, view: OrderView) -> "OrderOut":
        return cls.model_validate(view, from_attributes=True)


class OrderListOut(BaseModel):
    user_id: Id
    orders: list[OrderOut]
