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
    """`aggregate.trigger_event(event_class, **values)`, without the dataclass constructor."""
    values["originator_id"] = aggregate.id
    values["originator_version"] = aggregate.version + 1
    if values.get("timestamp") is None:
        values["timestamp"] = event_class.create_timestamp()
    try:
        state = {name: values[name] for name in _field_names(event_class)}
    except KeyError:
        state = {}
    if len(state) != len(values):
        aggregate.trigger_event(event_class, **values)
        return
    event = object.__new__(event_class)
    event.__dict__.update(state)
    event.__post_init__()
    event.mutate(aggregate)
    aggregate.pending_events.append(event)


@cache
def _field_names(event_class: type[Aggregate.Event]) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(event_class))
