"""The relay's notification log on eventsourcing's SQLite recorder, read as raw rows.

Same query as `select_notifications`, but plain tuples: no `sqlite3.Row`, no `Notification`,
and the aggregate id formatted straight from the stored hex instead of through `UUID`.
"""

from collections.abc import Sequence
from uuid import UUID

from eventsourcing.sqlite import SQLiteApplicationRecorder

from application.codec import LogRow


class SqliteNotificationLog:
    # In-process: a read-ahead thread would fight the relay for the GIL row by row (measured:
    # a third more CPU per message, 15-25% fewer messages per second).
    read_ahead = False

    def __init__(self, recorder: SQLiteApplicationRecorder) -> None:
        self._recorder = recorder
        self._uuid_ids = recorder.datastore.originator_id_type == "uuid"
        self._select = (
            "SELECT rowid, originator_id, originator_version, topic, state "
            f"FROM {recorder.events_table_name} WHERE rowid>? ORDER BY rowid LIMIT ?"
        )

    def read(self, after: int, limit: int) -> Sequence[LogRow]:
        with self._recorder.datastore.transaction(commit=False) as cursor:
            cursor.sqlite_cursor.row_factory = None
            cursor.execute(self._select, (after, limit))
            rows: list[LogRow] = cursor.fetchall()
        if not self._uuid_ids:
            return rows
        return [(n, _uuid_text(i), v, t, s) for n, i, v, t, s in rows]


def _uuid_text(stored: str) -> str:
    """str(UUID(stored)); eventsourcing stores `uuid.hex`, lowercase 32 digits."""
    if len(stored) == 32 and stored.islower():
        return f"{stored[:8]}-{stored[8:12]}-{stored[12:16]}-{stored[16:20]}-{stored[20:]}"
    return str(UUID(stored))
