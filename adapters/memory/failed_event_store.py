"""MemoryFailedEventStore: the FailedEventStore port in a list, for tests and the memory set."""

import threading
from collections.abc import Sequence
from uuid import UUID

from application.failed_event_codec import StoredFailedEvent, decode, encode
from application.results import FailedEvent


class MemoryFailedEventStore:
    def __init__(self) -> None:
        self._rows: list[StoredFailedEvent] = []
        self._ids: set[UUID] = set()
        self._lock = threading.Lock()

    def add(self, events: Sequence[FailedEvent]) -> None:
        # Encoded as the SQL stores encode, all before any is kept: the same values come back.
        rows = [encode(e) for e in events]
        with self._lock:
            for row in rows:
                if row.failed_id not in self._ids:
                    self._ids.add(row.failed_id)
                    self._rows.append(row)

    def list(self, limit: int = 100, offset: int = 0) -> list[FailedEvent]:
        with self._lock:
            rows = self._rows[::-1][offset : offset + limit]
        return [decode(row) for row in rows]

    def count(self) -> int:
        return len(self._rows)
