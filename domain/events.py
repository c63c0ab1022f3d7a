"""`trigger` and `create`: eventsourcing's `trigger_event` and `_create`, for the events
recorded on the ingest's hot path (a click, a session opened, an order placed or moved on).

The library copies and completes the keyword arguments, constructs the event through its frozen
dataclass's `__init__` (one `object.__setattr__` per field), then lets it `mutate` the
aggregate, which checks that the event is the aggregate's and its next. For a click that was
three times what recording it costs here (benchmarks/HISTORY.md). These take the event's fields
as one dict, give the event its state in one go, in the dataclass's own field order (so
`vars(event)`, equality and the stored bytes are the library's), and apply it as `mutate` does,
less the two checks, which hold by construction: the event is built from the aggregate's own id
and next version. tests/unit/domain/test_events.py holds the two ways side by side for every
event class that takes this path. Fields that are not the event's, or not in its order, and an
event class with a `mutate` of its own, go the library's way, which refuses wrong fields in its
own words.
"""

import dataclasses
from datetime import datetime
from functools import cache
from typing import Any, TypeVar, cast
from uuid import UUID

# get_topic: the topic function _create uses, as eventsourcing.domain has it (the domain imports
# nothing else of the library; the module does not list it as an export).
from eventsourcing.domain import Aggregate, get_topic  # type: ignore[attr-defined]

A = TypeVar("A", bound=Aggregate)
_new, _set = object.__new__, object.__setattr__  # a frozen dataclass: set as its __init__ would


def trigger(
    aggregate: Aggregate,
    event_class: type[Aggregate.Event],
    fields: dict[str, Any],
    timestamp: datetime | None = None,
) -> None:
    """`aggregate.trigger_event(event_class, timestamp=timestamp, **fields)`."""
    timestamp = timestamp or event_class.create_timestamp()
    version = aggregate.version + 1
    state = {
        "originator_id": aggregate.id,
        "originator_version": version,
        "timestamp": timestamp,
        **fields,
    }
    names, plain_mutate = _shape(event_class)
    # 3 + len(fields): no field overrides what is set here.
    if tuple(state) != names or len(state) != 3 + len(fields) or not plain_mutate:
        aggregate.trigger_event(event_class, timestamp=timestamp, **fields)
        return
    event = _new(event_class)
    _set(event, "__dict__", state)
    event.apply(aggregate)
    aggregate.version = version
    aggregate.modified_on = timestamp
    aggregate.pending_events.append(event)


def create(
    aggregate_class: type[A],
    event_class: type[Aggregate.Created],
    id: UUID,
    fields: dict[str, Any],
    timestamp: datetime | None = None,
) -> A:
    """`aggregate_class._create(event_class, id=id, timestamp=timestamp, **fields)`."""
    timestamp = timestamp or event_class.create_timestamp()
    state = {
        "originator_id": id,
        "originator_version": aggregate_class.INITIAL_VERSION,
        "timestamp": timestamp,
        "originator_topic": get_topic(aggregate_class),
        **fields,
    }
    names, _ = _shape(event_class)  # the event's own mutate runs below, whatever it is
    if tuple(state) != names or len(state) != 4 + len(fields):  # none overridden
        return aggregate_class._create(event_class, id=id, timestamp=timestamp, **fields)
    event = _new(event_class)
    _set(event, "__dict__", state)
    event.__post_init__()  # the library's check of the id a caller gave
    aggregate = cast(A, event.mutate(None))
    aggregate.pending_events.append(event)
    return aggregate


@cache
def _shape(event_class: type[Aggregate.Event]) -> tuple[tuple[str, ...], bool]:
    """The event's field names in order, and whether it mutates as the library's events do
    (one with a `mutate` of its own goes the library's way, so that its `mutate` runs)."""
    names = tuple(field.name for field in dataclasses.fields(event_class))
    return names, event_class.mutate is Aggregate.Event.mutate
