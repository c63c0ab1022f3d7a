"""The ids the aggregates mint for their events: random (version 4) UUIDs, read in bulk.

`uuid.uuid4()` reads 16 bytes from the OS per id, and the read releases the GIL: in the
gateway's event loop that handed the GIL to the group-commit writer thread at every event, and
the loop then waited to get it back (a seventh of a click batch's time in the gateway's
profile). Here the same source (the OS's random generator) is read 4 KiB at a time: one release
per 256 ids. A forked child starts with a buffer of its own, so parent and child never share.
"""

import os
import threading
from uuid import UUID

_IDS_PER_READ = 256
_SIZE = 16


class _Pool:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data, self._at = b"", 0

    def take(self) -> bytes:
        with self._lock:
            at = self._at
            if at >= len(self._data):
                self._data, at = os.urandom(_SIZE * _IDS_PER_READ), 0
            self._at = at + _SIZE
            return self._data[at : at + _SIZE]

    def reset(self) -> None:
        self._lock = threading.Lock()  # a lock another thread held at the fork stays held
        self._data, self._at = b"", 0


_pool = _Pool()
os.register_at_fork(after_in_child=_pool.reset)


def new_event_id() -> UUID:
    """A new random UUID, as `uuid.uuid4()` returns one."""
    return UUID(bytes=_pool.take(), version=4)
