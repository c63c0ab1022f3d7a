"""Random (version 4) UUIDs drawn from one `os.urandom` read per 256 ids.

`uuid.uuid4()` reads 16 bytes with `os.urandom`, which releases the GIL around the system
call. In the gateway's event loop that hands the GIL to the group-commit writer thread whenever
it waits for it, and the loop then waits to get it back: a pair of thread switches per order
placed. Reading the bytes in bulk keeps the same source (the OS's CSPRNG) and drops the GIL once
per 256 ids. A forked child starts with a new buffer, so parent and child never share ids.
"""

import os
import threading
from uuid import UUID

_IDS_PER_READ = 256
_SIZE = 16


class _Pool:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._data = b""
        self._at = 0

    def take(self) -> bytes:
        with self._lock:
            at = self._at
            if at >= len(self._data):
                self._data, at = os.urandom(_SIZE * _IDS_PER_READ), 0
            self._at = at + _SIZE
            return self._data[at : at + _SIZE]

    def reset(self) -> None:
        self._lock = threading.Lock()  # a lock held by another thread at fork stays held
        self._data, self._at = b"", 0


_pool = _Pool()
os.register_at_fork(after_in_child=_pool.reset)


def random_uuid() -> UUID:
    """What `uuid.uuid4()` returns, from the pooled random bytes."""
    return UUID(bytes=_pool.take(), version=4)
