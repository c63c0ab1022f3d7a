"""`trigger` and `create`: eventsourcing's `trigger_event` and `_create`, for the events
recorded on the ingest's hot path (a click, a session opened, an order placed or moved on).

The library constructs each event through its frozen dataclass's `__init__`, one
`object.__setattr__` per field. For a click of twelve fields that was more than half of
recording it (13.7 against 5.2 µs, benchmarks/HISTORY.md). These give the event the same state
in the dataclass's own field order, so `vars(event)`, equality and the stored bytes are those
the library's way gives (tests/unit/domain/test_events.py holds the two ways side by side for
every event class that takes this path), then let the event `mutate` the aggregate as the
library does. Values they cannot place (a field missing or unknown) go to the library's way,
which refuses them in its own words.
"""

import dataclasses
from functools import cache
from typing import Any, TypeVar, cast
from uuid import UUID

# get_topic: the topic function _create uses, as eventsourcing.domain has it (the domain imports
# nothing else of the library; the module does not list it as an export).
from eventsourcing.domain import Aggregate, get_topic  # type: ignore[attr-defined]

A = TypeVar("A", bound=Aggregate)


def trigger(aggregate: Aggregate, event_class: type[Aggregate.Event], /, **values: Any) -> None:
    """`aggregate.trigger_event(event_class, **values)`, without the dataclass constructor.
    Cheapest with `values` in the event's field order (then nothing is rearranged)."""
    timestamp = values.pop("timestamp", None) or event_class.create_timestamp()
    event = _event(
        event_class,
        {
            "originator_id": aggregate.id,
            "originator_version": aggregate.version + 1,
            "timestamp": timestamp,
            **values,
        },
    )
    if event is None:
        aggregate.trigger_event(event_class, timestamp=timestamp, **values)
        return
    event.mutate(aggregate)
    aggregate.pending_events.append(event)


def create(
    aggregate_class: type[A], event_class: type[Aggregate.Created], /, *, id: UUID, **values: Any
) -> A:
    """`aggregate_class._create(event_class, id=id, **values)`, without the dataclass
    constructor."""
    timestamp = values.pop("timestamp", None) or event_class.create_timestamp()
    event = _event(
        event_class,
        {
            "originator_id": id,
            "originator_version": aggregate_class.INITIAL_VERSION,
            "timestamp": timestamp,
            "originator_topic": get_topic(aggregate_class),
            **values,
        },
    )
    if event is None:
        return aggregate_class._create(event_class, id=id, timestamp=timestamp, **values)
    aggregate = cast(A, event.mutate(None))
    aggregate.pending_events.append(event)
    return aggregate


E = TypeVar("E", bound=Aggregate.Event)


def _event(event_class: type[E], state: dict[str, Any]) -> E | None:
    """The event with `state` as its fields, or None when `state` does not name them all."""
    names = _field_names(event_class)
    if tuple(state) != names:
        if state.keys() != set(names):
            return None
        state = {name: state[name] for name in names}
    event = object.__new__(event_class)
    object.__setattr__(event, "__dict__", state)  # a frozen dataclass: set as its __init__ would
    event.__post_init__()
    return event


@cache
def _field_names(event_class: type[Aggregate.Event]) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(event_class))
