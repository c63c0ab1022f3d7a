"""The fast encoder writes what eventsourcing's JSONTranscoder decodes to the same values."""

from collections import OrderedDict
from datetime import date, timedelta, timezone
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

import pytest
from eventsourcing.persistence import (
    DatetimeAsISO,
    DecimalAsStr,
    JSONTranscoder,
    TranscodingNotRegisteredError,
    UUIDAsHex,
)

from application.app import FlowGuardApp
from application.commands import RecordClickEvents
from application.transcoder import FastJSONTranscoder
from tests.unit.application.fakes import NOW, make_app, place
from tests.unit.application.test_stale_latest import ev


def registered(transcoder: JSONTranscoder) -> JSONTranscoder:
    for transcoding in (UUIDAsHex(), DecimalAsStr(), DatetimeAsISO()):
        transcoder.register(transcoding)
    return transcoder


STANDARD, FAST = registered(JSONTranscoder()), registered(FastJSONTranscoder())
NESTED = {"lines": [{"item_id": uuid4(), "price": Decimal("12.50")}], "at": (NOW, 1.5)}
LINE = {"item_id": "itm_1", "unit_price": Decimal("90.00"), "quantity": 2, "deep": {"at": NOW}}
ORDER_LIKE = {"lines": [LINE, LINE, "x", [NOW]], "total_amount": Decimal("180.00"), "n": {}}
STATES: list[Any] = [
    {"event_id": uuid4(), "event_time": NOW, "page": "menu ✓", "position": None, "ok": True},
    {"at": NOW.replace(microsecond=120), "ist": NOW.astimezone(timezone(timedelta(hours=5.5)))},
    NESTED,
    ORDER_LIKE,
    OrderedDict(a=uuid4()),
    {"big": 2**70},
    {"nan": float("nan")},
    {1: "int key"},
    {"huge": 1e300, "tiny": -0.0, "unicode": "\u2028\x00"},
]


@pytest.mark.parametrize("state", STATES)
def test_the_fast_encoding_decodes_to_what_the_standard_one_does(state: Any) -> None:
    assert STANDARD.decode(FAST.encode(state)) == STANDARD.decode(STANDARD.encode(state))


def test_the_fast_encoding_is_the_standard_json_for_event_states() -> None:
    for state in STATES[:4]:
        assert FAST.encode(state) == STANDARD.encode(state)


@pytest.mark.parametrize("value", [{1, 2}, date(2026, 1, 1)])
def test_what_the_standard_encoder_refuses_is_refused(value: Any) -> None:
    with pytest.raises(TranscodingNotRegisteredError):
        FAST.encode({"value": value})


def test_the_app_stores_events_with_it_and_reads_them_back() -> None:
    app: FlowGuardApp = make_app()
    try:
        assert isinstance(app.mapper.transcoder, FastJSONTranscoder)
        receipt = app.place_order(place())
        app.record_click_events(RecordClickEvents((ev("impression"),), NOW))
        assert app.get_order(receipt.order_id).total_amount == receipt.total_amount
        assert isinstance(receipt.order_id, UUID)
    finally:
        app.close()
