"""`trigger`: eventsourcing's `Aggregate.trigger_event`, for events recorded on the ingest's hot
path (a click, an order's status change).

The library constructs each event through its frozen dataclass's `__init__`, one
`object.__setattr__` per field. For a click of twelve fields that was more than half of
recording it (13.7 against 5.2 µs, benchmarks/HISTORY.md). `trigger` gives the event the same
state in the dataclass's own field order, so `vars(event)`, equality and the stored bytes are
those `trigger_event` gives (tests/unit/domain/test_events.py holds the two ways side by side
for every event class that takes this path), then lets the event `mutate` the aggregate as the
library does. Values it cannot place (a field missing or unknown) go to `trigger_event`, which
refuses them in its own words.
"""

import dataclasses
from functools import cache
from typing import Any

from eventsourcing.domain import Aggregate


def trigger(aggregate: Aggregate, event_class: type[Aggregate.Event], /, **values: Any) -> None:
    """`aggregate.trigger_event(event_class, **values)`, without the dataclass constructor.
    Cheapest with `values` in the event's field order (then nothing is rearranged)."""
    timestamp = values.pop("timestamp", None) or event_class.create_timestamp()
    state = {
        "originator_id": aggregate.id,
        "originator_version": aggregate.version + 1,
        "timestamp": timestamp,
        **values,
    }
    names = _field_names(event_class)
    if tuple(state) != names:
        if state.keys() != set(names):
            aggregate.trigger_event(event_class, timestamp=timestamp, **values)
            return
        state = {name: state[name] for name in names}
    event = object.__new__(event_class)
    object.__setattr__(event, "__dict__", state)  # a frozen dataclass: set as its __init__ would
    event.__post_init__()
    event.mutate(aggregate)
    aggregate.pending_events.append(event)


@cache
def _field_names(event_class: type[Aggregate.Event]) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(event_class))
