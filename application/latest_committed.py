"""The last committed state of recently written aggregates, per process."""

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate

_CONTAINERS = (list, set, dict)


class LatestCommitted:
    """The last committed state of recently written aggregates, so that the next command on
    one (the next click of a session, the next order of a user) needs no read from the store.
    Hands out copies: a command changes what it reads and may fail to commit it."""

    def __init__(self, maxsize: int = 10_000) -> None:
        self._maxsize = maxsize
        self._items: OrderedDict[UUID, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, aggregate_id: UUID) -> Any | None:
        with self._lock:
            aggregate = self._items.get(aggregate_id)
        return _copy(aggregate) if aggregate is not None else None

    def remember(self, aggregates: Iterable[Aggregate]) -> None:
        with self._lock:
            for aggregate in aggregates:
                known = self._items.get(aggregate.id)
                # Commits of one aggregate may finish out of order across threads.
                if known is None or known.version < aggregate.version:
                    self._items[aggregate.id] = aggregate
                self._items.move_to_end(aggregate.id)
            while len(self._items) > self._maxsize:
                self._items.popitem(last=False)

    def forget(self, aggregates: Iterable[Aggregate]) -> None:
        with self._lock:
            for aggregate in aggregates:
                self._items.pop(aggregate.id, None)


def _copy(aggregate: Any) -> Any:
    """A copy a command may change. FlowGuard's aggregates keep only immutable values inside
    their lists, sets and dicts, so copying those containers is enough; copy.deepcopy walked
    every value of a long session (1.5 ms at 100 events)."""
    clone = object.__new__(type(aggregate))
    clone.__dict__.update(
        (name, value.copy() if isinstance(value, _CONTAINERS) else value)
        for name, value in vars(aggregate).items()
    )
    return clone
