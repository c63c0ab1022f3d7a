"""Stored events of recorded clicks (and of the sessions they open), written straight from
their fields.

`Mapper.to_stored_event` copies an event's attributes, pops two, and hands the rest to the
transcoder, whose loop finds the UUIDs and datetimes among them: ~6 us per click event, a fifth
of a click batch's CPU (py-spy). A recorded click always has the same attributes in the same
order (its dataclass fields), so here they are tagged by name. The bytes are the mapper's
(tests/unit/application/test_stored_clicks.py); anything this does not write exactly as the
mapper would (another transcoder, a cipher or compressor, an unexpected value) goes to the
mapper.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

import orjson
from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.utils import get_topic

from application.transcoder import FastJSONTranscoder, standard_types
from domain.click_session import EVENT_CLASSES, ClickSession

ToStored = Callable[[DomainEventProtocol[Any]], StoredEvent]
# Every recorded click's attributes, in its dataclass's field order (quantity: cart events).
_LAYOUT = (
    "originator_id",
    "originator_version",
    "timestamp",
    "event_id",
    "event_time",
    "received_at",
    "session_id",
    "user_id",
    "item_id",
    "restaurant_id",
    "page",
    "position",
)
_LAYOUTS = (_LAYOUT, (*_LAYOUT, "quantity"))  # quantity: cart events
_OPENED_LAYOUT = (
    "originator_id",
    "originator_version",
    "timestamp",
    "originator_topic",
    "session_id",
)
_Times = tuple["_TaggedTimes", "_TaggedTimes", "_TaggedTimes", "_TaggedTimes"]


def stored_event_writer(mapper: Mapper[Any]) -> ToStored:
    """`mapper.to_stored_event`, with recorded clicks and opened sessions written here when
    the mapper writes plain JSON with the standard transcodings (and their classes are at
    version 1: the mapper writes a later class version into the state)."""
    transcoder = mapper.transcoder
    if (
        type(transcoder) is not FastJSONTranscoder
        or not standard_types(transcoder.types)
        or mapper.cipher is not None
        or mapper.compressor is not None
    ):
        return mapper.to_stored_event
    to_stored_event = mapper.to_stored_event
    # The timestamps, event times and arrival times of clicks; the timestamps of sessions.
    times = (_TaggedTimes(), _TaggedTimes(), _TaggedTimes(), _TaggedTimes())
    writers: dict[type, tuple[str, Callable[[Any, str, _Times], StoredEvent | None]]] = {
        cls: (get_topic(cls), _stored_click) for cls in EVENT_CLASSES.values()
    }
    writers[ClickSession.Opened] = (get_topic(ClickSession.Opened), _stored_opened)
    writers = {cls: w for cls, w in writers.items() if getattr(cls, "class_version", 1) == 1}

    def to_stored(event: DomainEventProtocol[Any]) -> StoredEvent:
        writer = writers.get(type(event))
        stored = None if writer is None else writer[1](event, writer[0], times)
        return stored if stored is not None else to_stored_event(event)

    return to_stored


class _TaggedTimes:
    """The tagged form of the last datetime seen: a batch's events share their `timestamp`
    and `received_at`, and mostly their `event_time` (the same object when the client sent
    no times), so each is written once per batch, not once per event."""

    def __init__(self) -> None:
        self._last: tuple[object, dict[str, str] | None] = (None, None)

    def tagged(self, value: object) -> dict[str, str] | None:
        """As DatetimeAsISO writes `value`; None if it is not a datetime."""
        last = self._last  # one read and one write of a tuple: safe across threads
        if last[0] is value:
            return last[1]
        tagged = None
        if type(value) is datetime:
            tagged = {"_type_": "datetime_iso", "_data_": value.isoformat()}
        self._last = (value, tagged)
        return tagged


def _stored_opened(event: Any, topic: str, times: _Times) -> StoredEvent | None:
    values = event.__dict__
    if tuple(values) != _OPENED_LAYOUT:
        return None
    originator_id, originator_version, timestamp, originator_topic, session_id = values.values()
    tagged = times[3].tagged(timestamp)
    if tagged is None or type(originator_topic) is not str or type(session_id) is not str:
        return None
    state = {"timestamp": tagged, "originator_topic": originator_topic, "session_id": session_id}
    return _stored(originator_id, originator_version, topic, orjson.dumps(state))


def _stored_click(event: Any, topic: str, times: _Times) -> StoredEvent | None:
    values = event.__dict__
    keys = tuple(values)
    if keys not in _LAYOUTS:
        return None
    # In the layout's order (checked above), each value looked up once.
    (
        originator_id,
        originator_version,
        timestamp,
        event_id,
        event_time,
        received_at,
        session_id,
        user_id,
        item_id,
        restaurant_id,
        page,
        position,
        *quantity,
    ) = values.values()
    # Only values written here as the mapper writes them: a UUID, strings, None, integers
    # (and datetimes, which `_TaggedTimes` checks).
    if not (
        type(event_id) is UUID
        and type(session_id) is str
        and (user_id is None or type(user_id) is str)
        and (item_id is None or type(item_id) is str)
        and type(restaurant_id) is str
        and type(page) is str
        and (position is None or type(position) is int)
        and (not quantity or type(quantity[0]) is int)
    ):
        return None
    state = {
        "timestamp": times[0].tagged(timestamp),
        "event_id": {"_type_": "uuid_hex", "_data_": event_id.hex},
        "event_time": times[1].tagged(event_time),
        "received_at": times[2].tagged(received_at),
        "session_id": session_id,
        "user_id": user_id,
        "item_id": item_id,
        "restaurant_id": restaurant_id,
        "page": page,
        "position": position,
    }
    if quantity:
        state["quantity"] = quantity[0]
    if state["timestamp"] is None or state["event_time"] is None or state["received_at"] is None:
        return None
    try:
        encoded = orjson.dumps(state)
    except TypeError:  # an integer beyond 64 bits: the stdlib encoder writes it
        return None
    return _stored(originator_id, originator_version, topic, encoded)


def _stored(originator_id: Any, originator_version: Any, topic: str, state: bytes) -> StoredEvent:
    # StoredEvent's fields set straight into its __dict__: its frozen __init__ (one
    # object.__setattr__ per field) cost as much as the JSON.
    stored = object.__new__(StoredEvent)
    fields = stored.__dict__
    fields["originator_id"] = originator_id
    fields["originator_version"] = originator_version
    fields["topic"] = topic
    fields["state"] = state
    return stored
