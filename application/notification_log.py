"""The relay's view of the event store: the notification log as raw rows, in sections.

`RecorderLog` reads through any eventsourcing `ApplicationRecorder`; the SQLite and PostgreSQL
adapters read the same rows straight from their tables, without building a `Notification` and a
`UUID` per event (a third of the relay's time went there).
"""

from collections.abc import Sequence
from typing import Protocol

from eventsourcing.persistence import ApplicationRecorder

from application.codec import LogRow
from application.codec.envelopes import row_of


class NotificationLog(Protocol):
    # True when a read mostly waits outside this process (a database server): the relay then
    # reads the next section in a background thread. In-process reads (SQLite, memory) gain
    # nothing from that: they hold the GIL for most of the read and fight the relay's thread.
    read_ahead: bool

    def read(self, after: int, limit: int) -> Sequence[LogRow]:
        """Up to `limit` rows with notification ids above `after`, in notification order."""
        ...


class RecorderLog:
    """Any recorder's `select_notifications`, as rows."""

    read_ahead = False

    def __init__(self, recorder: ApplicationRecorder) -> None:
        self._recorder = recorder

    def read(self, after: int, limit: int) -> Sequence[LogRow]:
        notifications = self._recorder.select_notifications(
            start=after, limit=limit, inclusive_of_start=False
        )
        return [row_of(notification) for notification in notifications]
