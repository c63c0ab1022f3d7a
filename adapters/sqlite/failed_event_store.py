"""SqliteFailedEventStore: the FailedEventStore port in an embedded SQLite file."""

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from pathlib import Path

from adapters.sqlite.event_store import schema_lock
from application.errors import StoreUnavailable
from application.failed_event_codec import decode, encode
from application.results import FailedEvent

SCHEMA = """
CREATE TABLE IF NOT EXISTS failed_events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    failed_id TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    errors TEXT NOT NULL,
    received_at TEXT NOT NULL
)
"""
COLUMNS = "failed_id, kind, payload, errors, received_at"


class SqliteFailedEventStore:
    def __init__(self, path: Path | str) -> None:
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # One connection shared by the API's threads, serialised by a lock.
        self._db = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._lock = threading.Lock()
        # Switching a new file to WAL fails at once ("database is locked") while another
        # process does the same: processes starting together take turns.
        guard = nullcontext() if str(path) == ":memory:" else schema_lock(Path(path))
        with guard, self._lock:
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(SCHEMA)

    def add(self, events: Sequence[FailedEvent]) -> None:
        rows = [encode(e) for e in events]
        with self._lock, _unavailable_on_error():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                self._db.executemany(
                    f"INSERT OR IGNORE INTO failed_events ({COLUMNS}) VALUES (?, ?, ?, ?, ?)", rows
                )
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def list(self, limit: int = 100, offset: int = 0) -> list[FailedEvent]:
        query = f"SELECT {COLUMNS} FROM failed_events ORDER BY seq DESC LIMIT ? OFFSET ?"
        with self._lock, _unavailable_on_error():
            return [decode(row) for row in self._db.execute(query, (limit, offset))]

    def count(self) -> int:
        with self._lock:
            (n,) = self._db.execute("SELECT count(*) FROM failed_events").fetchone()
        return int(n)

    def close(self) -> None:
        self._db.close()


@contextmanager
def _unavailable_on_error() -> Iterator[None]:
    try:
        yield
    except sqlite3.OperationalError as error:  # locked, disk full, file gone
        raise StoreUnavailable(f"failed-events store: {error}") from error
