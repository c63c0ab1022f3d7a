"""The embedded event store: eventsourcing's SQLite recorders on one file."""

from pathlib import Path


def sqlite_event_store_env(path: Path) -> dict[str, str]:
    path.parent.mkdir(parents=True, exist_ok=True)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.sqlite",
        "SQLITE_DBNAME": str(path),
        # Writers queue for the file lock rather than fail at once.
        "SQLITE_LOCK_TIMEOUT": "10",
    }
