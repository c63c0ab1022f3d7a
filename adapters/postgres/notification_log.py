"""The relay's notification log on eventsourcing's PostgreSQL recorder, read as raw rows.

Same query as `select_notifications`, but tuple rows instead of dict rows, the aggregate id
as text from the server (its `uuid` output is exactly `str(UUID)`), and no `Notification`.
"""

from collections.abc import Sequence

from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from application.codec import LogRow


class PostgresNotificationLog:
    # Two thirds of a read's wall time is the server's: read the next section ahead.
    read_ahead = True

    def __init__(self, recorder: PostgresApplicationRecorder) -> None:
        self._datastore = recorder.datastore
        self._select = SQL(
            "SELECT notification_id, originator_id::text, originator_version, topic, state "
            "FROM {schema}.{table} WHERE notification_id>%s ORDER BY notification_id LIMIT %s"
        ).format(
            schema=Identifier(recorder.datastore.schema),
            table=Identifier(recorder.events_table_name),
        )

    def read(self, after: int, limit: int) -> Sequence[LogRow]:
        with (
            self._datastore.get_connection() as connection,
            connection.cursor(row_factory=tuple_row) as cursor,
        ):
            cursor.execute(self._select, (after, limit), prepare=True)
            rows: list[LogRow] = cursor.fetchall()
        return rows
