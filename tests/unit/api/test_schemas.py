"""Wire models and the commands built from them."""

import dataclasses
from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from application.commands import ClickEventInput, OrderLineRequest, PlaceOrder
from entrypoints.api.schemas.clicks import ClickEventFields, ClickEventIn
from entrypoints.api.schemas.orders import PlaceOrderIn

BASE = {"session_id": "s1", "event_type": "click", "restaurant_id": "rst_1", "page": "menu"}
TAKEN: list[Any] = [
    BASE,
    BASE | {"event_id": "0b6a3c1e-5d2f-4f7e-9a51-3c2b1d0e9f87", "user_id": "u", "item_id": "i"},
    BASE | {"event_id": None, "position": 0, "quantity": 50},
    BASE | {"occurred_at": "2026-11-26T10:00:00+05:30", "sent_at": "2026-11-26T04:30:01Z"},
    BASE | {"user_id": "ünïcödé-1"},
]
REFUSED: list[Any] = [
    BASE | {"position": "3"},
    BASE | {"position": 3.0},
    BASE | {"position": 3.5},
    BASE | {"position": True},
    BASE | {"position": -1},
    BASE | {"quantity": 0},
    BASE | {"quantity": True},
    BASE | {"quantity": "2"},
    BASE | {"occurred_at": "2026-11-26T10:00:00"},
    BASE | {"occurred_at": "1999-12-31T23:59:59Z"},
    BASE | {"occurred_at": "2100-01-01T00:00:00Z"},
    BASE | {"event_id": "not-a-uuid"},
    BASE | {"event_type": "scroll"},
    BASE | {"page": "two words"},
    BASE | {"page": "next\u0085line"},
    BASE | {"page": "zero\u200bwidth"},
    BASE | {"page": "no\u00a0break"},
    BASE | {"page": ""},
    BASE | {"page": "x" * 65},
    BASE | {"session_id": 7},
    BASE | {"extra": 1},
    {k: v for k, v in BASE.items() if k != "page"},
    ["s1", "click", "rst_1", "menu"],
    "s1",
    None,
]


EVENT = TypeAdapter(ClickEventFields)


@pytest.mark.parametrize("raw", TAKEN)
def test_a_valid_click_validates_straight_into_the_use_cases_input(raw: Any) -> None:
    event = EVENT.validate_python(raw)
    assert isinstance(event, ClickEventInput)
    assert vars(event) == dict(ClickEventIn.model_validate(raw))


@pytest.mark.parametrize("raw", REFUSED)
def test_an_invalid_click_is_refused_by_the_model_and_its_derived_validator(raw: Any) -> None:
    with pytest.raises(ValidationError):
        ClickEventIn.model_validate(raw)
    with pytest.raises(ValidationError):
        EVENT.validate_python(raw)


def test_the_wire_model_and_the_command_name_the_same_fields_in_order() -> None:
    command_fields = [f.name for f in dataclasses.fields(ClickEventInput)]
    assert list(ClickEventIn.model_fields) == command_fields


def test_an_order_command_carries_every_field_of_the_body() -> None:
    body = PlaceOrderIn.model_validate(
        {
            "user_id": "u1",
            "restaurant_id": "rst_1",
            "payment_method": "card",
            "lines": [{"item_id": "itm_1", "quantity": 2}, {"item_id": "itm_2", "quantity": 1}],
            "session_id": "s1",
            "order_id": "0b6a3c1e-5d2f-4f7e-9a51-3c2b1d0e9f87",
            "event_id": "0b6a3c1e-5d2f-4f7e-9a51-3c2b1d0e9f88",
            "occurred_at": "2026-11-26T10:00:00Z",
            "sent_at": "2026-11-26T15:30:01+05:30",
        }
    )
    received_at = datetime(2026, 11, 26, 10, 0, 2, tzinfo=UTC)
    lines = tuple(OrderLineRequest(line.item_id, line.quantity) for line in body.lines)
    expected = PlaceOrder(
        **body.model_dump(exclude={"lines"}),
        lines=lines,
        received_at=received_at,
        idempotency_key="k-1",
        caller="c-1",
    )
    assert body.to_command(received_at, "k-1", "c-1") == expected
