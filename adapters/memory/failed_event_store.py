"""MemoryFailedEventStore: the FailedEventStore port in a list, for tests and the memory set."""

import threading
from collections.abc import Sequence

from application.results import FailedEvent


class MemoryFailedEventStore:
    def __init__(self) -> None:
        self._events: list[FailedEvent] = []
        self._ids: set[object] = set()
        self._lock = threading.Lock()

    def add(self, events: Sequence[FailedEvent]) -> None:
        with self._lock:
            for event in events:
                if event.failed_id not in self._ids:
                    self._ids.add(event.failed_id)
                    self._events.append(event)

    def list(self, limit: int = 100, offset: int = 0) -> list[FailedEvent]:
        with self._lock:
            return self._events[::-1][offset : offset + limit]

    def count(self) -> int:
        return len(self._events)
