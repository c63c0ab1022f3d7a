"""Stored events of placed orders and of their user-index entries, written straight from their
fields.

Every order placed stores two events (`Order.Placed`, `UserOrders.OrderAdded`). The mapper's
way, a copy of the attributes handed to the transcoder, whose loop finds the UUIDs, datetimes
and the lines' Decimals one value at a time, cost ~20 us per order, a fifth of the order's own
work in the gateway (py-spy). These events always have the same attributes in the same order
(their dataclass fields), so here they are tagged by name. The bytes are the mapper's
(tests/unit/application/test_stored_orders.py); anything this does not write exactly as the
mapper would (another transcoder, a cipher or compressor, an unexpected value or attribute)
goes to the next writer.
"""

from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import DecimalAsStr, Mapper, StoredEvent
from eventsourcing.utils import get_topic

from application.transcoder import FastJSONTranscoder, standard_types
from application.user_orders import UserOrders
from domain.order import Order

ToStored = Callable[[DomainEventProtocol[Any]], StoredEvent]
Values = dict[str, Any]

# The events' attributes in their dataclass's field order, which is the stored JSON's order.
_PLACED = (
    "originator_id",
    "originator_version",
    "timestamp",
    "originator_topic",
    "event_id",
    "event_time",
    "received_at",
    "user_id",
    "restaurant_id",
    "session_id",
    "lines",
    "total_amount",
    "currency",
    "payment_method",
    "status",
)
_LINE = ("item_id", "name", "unit_price", "quantity", "line_total")
_ADDED = ("originator_id", "originator_version", "timestamp", "order_id")
_DT, _DEC, _UUID = "datetime_iso", "decimal_str", "uuid_hex"


def stored_order_writer(mapper: Mapper[Any], fallback: ToStored) -> ToStored:
    """`fallback` (a `mapper.to_stored_event`), with placed orders and user-index entries
    written here when the mapper writes plain JSON with the standard transcodings."""
    if not _plain(mapper):
        return fallback
    writers: dict[type, tuple[str, Callable[[Values, str], StoredEvent | None]]] = {
        Order.Placed: (get_topic(Order.Placed), _stored_placed),
        UserOrders.OrderAdded: (get_topic(UserOrders.OrderAdded), _stored_added),
    }

    def to_stored(event: DomainEventProtocol[Any]) -> StoredEvent:
        writer = writers.get(type(event))
        stored = None if writer is None else writer[1](event.__dict__, writer[0])
        return stored if stored is not None else fallback(event)

    return to_stored


def _plain(mapper: Mapper[Any]) -> bool:
    transcoder = mapper.transcoder
    return (
        type(transcoder) is FastJSONTranscoder
        and standard_types(transcoder.types)
        and type(transcoder.types.get(Decimal)) is DecimalAsStr
        and mapper.cipher is None
        and mapper.compressor is None
        and getattr(Order.Placed, "class_version", 1) == 1
        and getattr(UserOrders.OrderAdded, "class_version", 1) == 1
    )


def _stored_placed(values: Values, topic: str) -> StoredEvent | None:
    if tuple(values) != _PLACED or not _placed_values(values):
        return None
    lines = [
        {
            "item_id": line["item_id"],
            "name": line["name"],
            "unit_price": {"_type_": _DEC, "_data_": str(line["unit_price"])},
            "quantity": line["quantity"],
            "line_total": {"_type_": _DEC, "_data_": str(line["line_total"])},
        }
        for line in values["lines"]
    ]
    state = {
        "timestamp": _datetime(values["timestamp"]),
        "originator_topic": values["originator_topic"],
        "event_id": {"_type_": _UUID, "_data_": values["event_id"].hex},
        "event_time": _datetime(values["event_time"]),
        "received_at": _datetime(values["received_at"]),
        "user_id": values["user_id"],
        "restaurant_id": values["restaurant_id"],
        "session_id": values["session_id"],
        "lines": lines,
        "total_amount": {"_type_": _DEC, "_data_": str(values["total_amount"])},
        "currency": values["currency"],
        "payment_method": values["payment_method"],
        "status": values["status"],
    }
    return _stored(values, topic, state)


def _placed_values(values: Values) -> bool:
    """Every value is one written here as the mapper writes it."""
    return (
        type(values["timestamp"]) is datetime
        and type(values["originator_topic"]) is str
        and type(values["event_id"]) is UUID
        and type(values["event_time"]) is datetime
        and type(values["received_at"]) is datetime
        and type(values["user_id"]) is str
        and type(values["restaurant_id"]) is str
        and (values["session_id"] is None or type(values["session_id"]) is str)
        and type(values["lines"]) is list
        and all(_plain_line(line) for line in values["lines"])
        and type(values["total_amount"]) is Decimal
        and type(values["currency"]) is str
        and type(values["payment_method"]) is str
        and type(values["status"]) is str
    )


def _plain_line(line: Any) -> bool:
    return (
        type(line) is dict
        and tuple(line) == _LINE
        and type(line["item_id"]) is str
        and type(line["name"]) is str
        and type(line["unit_price"]) is Decimal
        and type(line["quantity"]) is int
        and type(line["line_total"]) is Decimal
    )


def _stored_added(values: Values, topic: str) -> StoredEvent | None:
    if (
        tuple(values) != _ADDED
        or type(values["timestamp"]) is not datetime
        or type(values["order_id"]) is not UUID
    ):
        return None
    state = {
        "timestamp": _datetime(values["timestamp"]),
        "order_id": {"_type_": _UUID, "_data_": values["order_id"].hex},
    }
    return _stored(values, topic, state)


def _stored(values: Values, topic: str, state: Values) -> StoredEvent | None:
    try:
        encoded = orjson.dumps(state)
    except TypeError:  # an integer beyond 64 bits: the stdlib encoder writes it
        return None
    # StoredEvent's fields set in one go: its frozen __init__ sets them one at a time.
    stored = object.__new__(StoredEvent)
    stored.__dict__.update(
        originator_id=values["originator_id"],
        originator_version=values["originator_version"],
        topic=topic,
        state=encoded,
    )
    return stored


def _datetime(value: datetime) -> Values:
    # orjson writes a UTC datetime as isoformat() does (application/transcoder.py); any other
    # zone is written through isoformat() itself, as the transcoding does.
    return {"_type_": _DT, "_data_": value if value.tzinfo is UTC else value.isoformat()}
