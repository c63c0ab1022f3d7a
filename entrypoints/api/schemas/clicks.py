"""Driving adapter, wire format of clickstream events, batches and failed events."""

import dataclasses
from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar, cast
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, JsonValue, WithJsonSchema
from pydantic.dataclasses import dataclass as pydantic_dataclass

from application.commands import ClickEventInput
from application.results import FailedEvent
from entrypoints.api.edge import MAX_JSON_DEPTH, too_deep
from entrypoints.api.schemas.common import Count, FieldProblem, Id, Timestamp

MAX_BATCH_EVENTS = 500
T = TypeVar("T")
ClickType = Literal["impression", "click", "add_to_cart", "remove_from_cart", "checkout_started"]

CLICK_EXAMPLE: dict[str, JsonValue] = {
    "event_id": "0b6a3c1e-5d2f-4f7e-9a51-3c2b1d0e9f87",
    "session_id": "sess-7f3a",
    "user_id": "user-0042",
    "event_type": "add_to_cart",
    "restaurant_id": "rst_001",
    "item_id": "itm_0001",
    "page": "menu",
    "position": 3,
    "quantity": 1,
    "occurred_at": "2026-11-25T12:29:58Z",
    "sent_at": "2026-11-25T12:30:00Z",
}

BATCH_EXAMPLE: dict[str, JsonValue] = {
    "events": [CLICK_EXAMPLE, {**CLICK_EXAMPLE, "event_id": None, "event_type": "click"}]
}


class ClickEventIn(BaseModel):
    """One clickstream event. Send `event_id` so that a retry is a no-op."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [CLICK_EXAMPLE]})

    session_id: Id
    event_type: ClickType
    restaurant_id: Id
    page: Id
    event_id: UUID | None = Field(
        None, description="Your id for the event: a retry with it in the session is a no-op."
    )
    user_id: Id | None = None
    item_id: Id | None = None
    position: Count | None = Field(None, ge=0, le=10_000)
    quantity: Count | None = Field(None, ge=1, le=50)
    occurred_at: Timestamp | None = None
    sent_at: Timestamp | None = None


def validating_into(command: type[T], model: type[BaseModel]) -> type[T]:
    """A subclass of the use case's input type `command` that pydantic validates with `model`'s
    own fields and rules, so that a batch validates straight into commands: no model and no
    copy per event (building both cost more than validating). Derived from `model`, never
    written twice; `command` must name the same fields (tests/unit/api/test_schemas.py)."""
    fields = [(name, info.annotation, info) for name, info in model.model_fields.items()]
    derived = dataclasses.make_dataclass(
        f"Validated{command.__name__}", fields, bases=(command,), frozen=True
    )
    config = ConfigDict(extra=model.model_config.get("extra"))
    return cast("type[T]", pydantic_dataclass(derived, config=config, frozen=True))


ClickEventFields = validating_into(ClickEventInput, ClickEventIn)

# Elements are validated one by one (an invalid one is rejected, not the whole batch), so the
# body accepts any JSON value per element while the spec documents the intended element schema.
BatchElement = Annotated[Any, WithJsonSchema({"$ref": "#/components/schemas/ClickEventIn"})]
# A single click's body is validated the same way, so that an invalid one is kept as a failed
# event like an invalid element of a batch.
ClickBody = BatchElement


class ClickBatchIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={"examples": [BATCH_EXAMPLE]},
    )

    events: list[BatchElement] = Field(
        min_length=1, description=f"At most {MAX_BATCH_EVENTS} events and 1 MB (else 413)."
    )


class ClickAcceptedOut(BaseModel):
    event_id: UUID = Field(description="The server's id of the stored event (INGESTION_ID).")
    client_event_id: UUID | None = Field(
        None, description="Your id for it (CLIENT_EVENT_ID), or the one your key stands for."
    )
    duplicate: bool = Field(description="True when this event was already recorded.")


class RejectionOut(BaseModel):
    index: int = Field(ge=0, description="Position of the event in the request's `events`.")
    errors: list[FieldProblem]


class ClickBatchOut(BaseModel):
    accepted: int = Field(ge=0)
    duplicates: int = Field(ge=0)
    rejected: list[RejectionOut]


class FailedEventOut(BaseModel):
    failed_id: UUID
    kind: str = Field(examples=["click"])
    payload: Any = Field(description="The input as received.")
    errors: list[FieldProblem]
    received_at: datetime

    @classmethod
    def of(cls, failed: FailedEvent) -> "FailedEventOut":
        payload = failed.payload
        if too_deep(payload):  # kept before the edge limited nesting: shown, not echoed
            payload = {"_omitted_": f"nested deeper than {MAX_JSON_DEPTH} levels"}
        errors = [
            FieldProblem(field=e.field, message=e.reason, type="rejected") for e in failed.errors
        ]
        return cls(
            failed_id=failed.failed_id,
            kind=failed.kind,
            payload=payload,
            errors=errors,
            received_at=failed.received_at,
        )


class FailedEventListOut(BaseModel):
    total: int = Field(ge=0)
    items: list[FailedEventOut]
