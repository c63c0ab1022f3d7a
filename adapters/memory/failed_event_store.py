"""MemoryFailedEventStore: the FailedEventStore port in a list, for tests and the memory set."""

import threading
from collections.abc import Sequence

from application.failed_event_codec import decode, encode
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
                    # Round-trip through the SQL stores' codec so every adapter keeps the same text.
                    self._events.append(decode(encode(event)))

    def list(self, limit: int = 100, offset: int = 0) -> list[FailedEvent]:
        with self._lock:
            return self._events[::-1][offset : offset + limit]

    def count(self) -> int:
        return len(self._events)
