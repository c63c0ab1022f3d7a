"""The embedded event store: eventsourcing's SQLite recorders on one file."""

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def sqlite_event_store_env(path: Path) -> dict[str, str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        # Writers queue for the file lock rather than fail at once.
        "SQLITE_LOCK_TIMEOUT": "10",
    }


@contextmanager
def schema_lock(path: Path) -> Iterator[None]:
    """One schema creator at a time per file: processes starting together on a new file race
    on eventsourcing's tracking-table migration row (an IntegrityError at start)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.with_name(path.name + ".schema-lock").open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
