"""Wire models and the commands built from them.

A batch's events are validated by ClickEventFields (straight into the use case's input type) and
reported through ClickEventIn: both must take exactly the same events."""

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from application.commands import ClickEventInput, OrderLineRequest, PlaceOrder
from entrypoints.api.schemas.clicks import ClickEventFields, ClickEventIn
from entrypoints.api.schemas.orders import PlaceOrderIn

BASE = {"session_id": "s1", "event_type": "click", "restaurant_id": "rst_1", "page": "menu"}
EVENTS: list[Any] = [
    BASE,
    BASE | {"event_id": "0b6a3c1e-5d2f-4f7e-9a51-3c2b1d0e9f87", "user_id": "u", "item_id": "i"},
    BASE | {"event_id": None, "position": 0, "quantity": 50},
    BASE | {"position": "3"},
    BASE | {"position": 3.0},
    BASE | {"position": 3.5},
    BASE | {"position": -1},
    BASE | {"quantity": 0},
    BASE | {"quantity": True},
    BASE | {"occurred_at": "2026-11-26T10:00:00+05:30", "sent_at": "2026-11-26T04:30:01Z"},
    BASE | {"occurred_at": "2026-11-26T10:00:00"},
    BASE | {"occurred_at": "1999-12-31T23:59:59Z"},
    BASE | {"occurred_at": 1764151200},
    BASE | {"event_id": "not-a-uuid"},
    BASE | {"event_type": "scroll"},
    BASE | {"page": "two words"},
    BASE | {"page": ""},
    BASE | {"page": "x" * 65},
    BASE | {"session_id": 7},
    BASE | {"extra": 1},
    {k: v for k, v in BASE.items() if k != "page"},
    ["s1", "click", "rst_1", "menu"],
    "s1",
    None,
]


def test_both_have_the_same_fields_and_rules() -> None:
    model = {n: (f.annotation, f.metadata, f.default) for n, f in ClickEventIn.model_fields.items()}
    fields = ClickEventFields.__pydantic_fields__.items()
    assert {n: (f.annotation, f.metadata, f.default) for n, f in fields} == model


@pytest.mark.parametrize("raw", EVENTS)
def test_both_take_and_refuse_the_same_events(raw: Any) -> None:
    try:
        expected: ClickEventInput | None = ClickEventIn.model_validate(raw).to_input()
    except ValidationError:
        expected = None
    try:
        (event,) = TypeAdapter(list[ClickEventFields]).validate_python([raw])
    except ValidationError:
        assert expected is None
    else:
        assert expected is not None
        assert isinstance(event, ClickEventInput)
        assert vars(event) == vars(expected)


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
    )
    assert body.to_command(received_at, "k-1") == expected
