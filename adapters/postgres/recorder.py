"""FlowGuard's PostgreSQL recorder: eventsourcing's, with a cheaper insert.

eventsourcing's `PostgresApplicationRecorder` sends a transaction's events as one array of a
composite type, which psycopg dumps as text in pure Python (~27 us per event, the largest
single cost of a click batch, paid on the group-commit writer thread while it holds the GIL),
in a pipeline of six statements. This recorder calls one function with the events as binary
arrays (~3 us per event), which keeps everything that makes the notification log safe to tail:
the same table, the EXCLUSIVE table lock per insert transaction (inserts commit in
notification-id order, so a reader never passes a gap that is filled later), the NOTIFY, the
lock timeout.

It also takes several requests' events at once (`insert_units`): under the table lock no other
writer can insert, so one statement can find which requests would clash on a taken version and
insert all the others. A clash then costs its own request a retry, not the whole transaction,
and consumes no notification ids (a rolled-back insert leaves holes in the sequence).
"""

from collections.abc import Sequence
from typing import Any

from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier

from adapters.postgres.kept_connection import KeptConnection

# One statement, so one round trip and one implicit transaction (the connection is in autocommit
# mode): the function takes the lock, which is then held until that transaction has committed.
# The rows come in with their request ("unit") and position; the clash check and the insert
# see the same snapshot, taken after the lock, so no clash can appear between the two.
_CREATE_INSERT_FUNCTION = """
CREATE OR REPLACE FUNCTION {function}(
    ids uuid[], versions int8[], topics text[], states bytea[], units int4[],
    OUT clashes int4[], OUT notification_ids int8[]
) LANGUAGE plpgsql AS $fg$
BEGIN
    SET LOCAL lock_timeout = '{lock_timeout}s';
    LOCK TABLE {table} IN EXCLUSIVE MODE;
    NOTIFY {channel};
    WITH new AS (
        SELECT * FROM unnest(ids, versions, topics, states, units) WITH ORDINALITY
            AS n(originator_id, originator_version, topic, state, unit, ord)
    ), clash AS (
        -- One primary-key probe per row (LIMIT 1 in LATERAL keeps the planner from hashing
        -- the whole table, which a generic plan did: its cost grew with the table).
        SELECT DISTINCT n.unit FROM new n, LATERAL (
            SELECT 1 FROM {table} t
            WHERE t.originator_id = n.originator_id AND t.originator_version = n.originator_version
            LIMIT 1
        ) taken
    ), ins AS (
        INSERT INTO {table} AS t (originator_id, originator_version, topic, state)
        SELECT n.originator_id, n.originator_version, n.topic, n.state FROM new n
        WHERE n.unit NOT IN (SELECT c.unit FROM clash c) ORDER BY n.ord
        RETURNING t.notification_id
    )
    SELECT (SELECT array_agg(c.unit) FROM clash c),
           (SELECT array_agg(i.notification_id ORDER BY i.notification_id) FROM ins i)
    INTO clashes, notification_ids;
END
$fg$
"""


class FlowGuardPostgresRecorder(PostgresApplicationRecorder):
    def __init__(self, datastore: PostgresDatastore, *, events_table_name: str = "stored_events"):
        super().__init__(datastore, events_table_name=events_table_name)
        table = Identifier(datastore.schema, events_table_name)
        function_name = f"fg_insert_{events_table_name}"
        self.check_identifier_length(function_name)
        function = Identifier(datastore.schema, function_name)
        # Created (or replaced) with the table, by eventsourcing's create_table().
        self.sql_create_statements.append(
            SQL(_CREATE_INSERT_FUNCTION).format(
                function=function,
                table=table,
                channel=Identifier(self.channel_name),
                lock_timeout=SQL(str(int(datastore.lock_timeout))),
            )
        )
        self._insert_units = SQL("SELECT * FROM {0}(%b, %b, %b, %b, %b)").format(function)
        # The group-commit writer's connection, kept between its transactions (no pre-ping).
        self._kept = KeptConnection(datastore)

    def insert_events(
        self, stored_events: Sequence[StoredEvent], **kwargs: Any
    ) -> Sequence[int] | None:
        """All or nothing, as eventsourcing's: IntegrityError if a version is taken."""
        if not stored_events:
            return []
        clashes, ids = self._insert([stored_events])
        if clashes:
            raise _clash(stored_events)
        return list(ids)

    def insert_units(self, units: Sequence[Sequence[StoredEvent]]) -> list[BaseException | None]:
        """Insert every unit (one request's events) whose versions are all free, in one
        transaction; the result holds an IntegrityError for each unit that was not inserted."""
        clashes, _ = self._insert(units, kept=True)
        return [_clash(unit) if n in clashes else None for n, unit in enumerate(units)]

    def release_connections(self) -> None:
        """Hand the kept connection back to the pool (before the datastore closes it)."""
        self._kept.close()

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def _insert(
        self, units: Sequence[Sequence[StoredEvent]], *, kept: bool = False
    ) -> tuple[set[int], list[int]]:
        params = _columns(units)
        connection = self._kept.connection() if kept else self.datastore.get_connection()
        with connection as conn, conn.cursor(row_factory=tuple_row) as curs:
            assert conn.autocommit  # the statement is its own transaction
            curs.execute(self._insert_units, params, prepare=True)
            row = curs.fetchone()
        assert row is not None
        return set(row[0] or ()), list(row[1] or ())


def _columns(units: Sequence[Sequence[StoredEvent]]) -> tuple[list[Any], ...]:
    ids: list[Any] = []
    versions: list[int] = []
    topics: list[str] = []
    states: list[bytes] = []
    unit_numbers: list[int] = []
    for n, unit in enumerate(units):
        for event in unit:
            ids.append(event.originator_id)
            versions.append(event.originator_version)
            topics.append(event.topic)
            states.append(event.state)
        unit_numbers += [n] * len(unit)
    return ids, versions, topics, states, unit_numbers


def _clash(unit: Sequence[StoredEvent]) -> IntegrityError:
    taken = ", ".join(f"{e.originator_id} v{e.originator_version}" for e in unit[:3])
    return IntegrityError(f"an event version is already stored (one of: {taken})")
