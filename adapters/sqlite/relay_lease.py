"""SqliteRelayLease: the embedded store keeps a single relay, and says so to a second one.

A SQLite file lives on one host and takes one writer at a time, so there is no standby: the
first relay holds an exclusive lock on `<store>.relay-lock` for its lifetime, and another relay
on the same file is refused with a message naming the holder. The bus marks are kept in
`<store>.relay-bus.json` beside it.
"""

import fcntl
import json
import os
import socket
from pathlib import Path
from typing import IO

from application.relay import BusMarks, RelayRefusedError


class SqliteRelayLease:
    def __init__(self, store: Path) -> None:
        self._lock_path = store.with_name(store.name + ".relay-lock")
        self._marks_path = store.with_name(store.name + ".relay-bus.json")
        self._lock: IO[str] | None = None

    def acquire(self) -> bool:
        if self._lock is not None:
            return True
        self._lock_path.parent.mkdir(parents=True, exist_ok=True)
        lock = self._lock_path.open("a+")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            holder = lock.read().strip() or "another process"
            lock.close()
            raise RelayRefusedError(
                f"a relay ({holder}) already publishes from this SQLite store "
                f"({self._lock_path.parent}); "
                "SQLite runs a single relay. Stop that one first, or use PostgreSQL "
                "(FLOWGUARD_EVENT_STORE=postgres) to run a standby relay beside the active one"
            ) from None
        lock.truncate(0)
        lock.write(f"pid {os.getpid()} on {socket.gethostname()}\n")
        lock.flush()
        self._lock = lock
        return True

    def held(self) -> bool:
        return self._lock is not None

    def holder(self) -> str:
        return self._lock_path.read_text().strip() if self._lock_path.exists() else ""

    def marks(self) -> BusMarks | None:
        try:
            saved = json.loads(self._marks_path.read_text())
        except (OSError, ValueError):
            return None
        return BusMarks(
            str(saved["cluster"]), {str(k): int(v) for k, v in saved["offsets"].items()}
        )

    def record_marks(self, marks: BusMarks) -> bool:
        if self._lock is None:
            return False
        scratch = self._marks_path.with_suffix(".tmp")
        scratch.write_text(json.dumps({"cluster": marks.cluster, "offsets": dict(marks.offsets)}))
        scratch.replace(self._marks_path)
        return True

    def release(self) -> None:
        if self._lock is not None:
            fcntl.flock(self._lock, fcntl.LOCK_UN)
            self._lock.close()
            self._lock = None
