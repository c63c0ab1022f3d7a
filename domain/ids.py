"""The ids the aggregates mint for their events: random (version 4) UUIDs, read in bulk.

`uuid.uuid4()` reads 16 bytes from the OS per id, and the read releases the GIL: in the
gateway's event loop that handed the GIL to the group-commit writer thread at every event, and
the loop then waited to get it back (a seventh of a click batch's time in the gateway's
profile). Here the same source (the OS's random generator) is read 4 KiB at a time: one release
per 256 ids. A forked child starts with a buffer of its own, so parent and child never share.
"""

import os
from uuid import UUID, SafeUUID

_IDS_PER_READ = 256
_SIZE = 16
# RFC 4122 version 4: the version nibble 4 and the variant bits 10, as UUID(version=4) sets them.
_KEEP = ~((0xF000 << 64) | (0xC000 << 48))
_SET = (4 << 76) | (0x8000 << 48)


class _Pool:
    """Ids as integers, cut from one read. list.pop and list.extend are single steps under the
    GIL, so threads drawing at once never get the same id and need no lock."""

    def __init__(self) -> None:
        self._ids: list[int] = []

    def take(self) -> int:
        try:
            return self._ids.pop()
        except IndexError:
            data = os.urandom(_SIZE * _IDS_PER_READ)
            fresh = [
                int.from_bytes(data[at : at + _SIZE]) & _KEEP | _SET
                for at in range(0, len(data), _SIZE)
            ]
            taken = fresh.pop()
            self._ids.extend(fresh)
            return taken

    def reset(self) -> None:
        self._ids = []


_pool = _Pool()
os.register_at_fork(after_in_child=_pool.reset)
_new, _set = object.__new__, object.__setattr__
_UNKNOWN = SafeUUID.unknown  # looked up once: an enum member is a property on its class


def new_event_id() -> UUID:
    """A new random UUID, as `uuid.uuid4()` returns one. Built from its integer as
    `UUID.__init__` would, without its argument parsing (which cost as much as the draw)."""
    uuid = _new(UUID)
    _set(uuid, "int", _pool.take())
    _set(uuid, "is_safe", _UNKNOWN)
    return uuid
