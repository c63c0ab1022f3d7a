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

The clash check probes the primary key only for the first row of each run of one aggregate's
consecutive versions (~5 us a probe, a fifth of PostgreSQL's CPU per event when every row was
probed): stored versions have no gaps, so the rest of the run is free when its first row is.
Should a row be taken all the same (a gap made outside this recorder), the insert fails on the
primary key, and the function redoes it probing every row: the same outcome, less the ids the
failed attempt used.
"""

import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from eventsourcing.persistence import IntegrityError, InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg.rows import tuple_row
from psycopg.sql import SQL, Identifier
from psycopg_pool import PoolTimeout

from adapters.postgres.kept_connection import KeptConnection

# One statement, so one round trip and one implicit transaction (the connection is in autocommit
# mode): the function takes the lock, which is then held until that transaction has committed.
# The rows come in with their request ("unit") and position; the clash check and the insert
# see the same snapshot, taken after the lock, so no clash can appear between the two.
_CREATE_INSERT_FUNCTION = """
CREATE OR REPLACE FUNCTION {function}(
    ids uuid[], versions int8[], topics text[], states bytea[], units int4[], probes bool[],
    OUT clashes int4[], OUT notification_ids int8[]
) LANGUAGE plpgsql AS $fg$
DECLARE
    every_row bool;
BEGIN
    SET LOCAL lock_timeout = '{lock_timeout}s';
    LOCK TABLE {table} IN EXCLUSIVE MODE;
    NOTIFY {channel};
    FOREACH every_row IN ARRAY ARRAY[false, true] LOOP
        BEGIN
            WITH new AS (
                SELECT * FROM unnest(ids, versions, topics, states, units, probes)
                    WITH ORDINALITY
                    AS n(originator_id, originator_version, topic, state, unit, probe, ord)
            ), clash AS (
                -- A primary-key probe per flagged row (LIMIT 1 in LATERAL keeps the planner
                -- from hashing the whole table, which a generic plan did).
                SELECT DISTINCT n.unit FROM new n, LATERAL (
                    SELECT 1 FROM {table} t
                    WHERE t.originator_id = n.originator_id
                        AND t.originator_version = n.originator_version
                    LIMIT 1
                ) taken
                WHERE n.probe OR every_row
            ), ins AS (
                INSERT INTO {table} AS t (originator_id, originator_version, topic, state)
                SELECT n.originator_id, n.originator_version, n.topic, n.state FROM new n
                WHERE n.unit NOT IN (SELECT c.unit FROM clash c) ORDER BY n.ord
                RETURNING t.notification_id
            )
            SELECT (SELECT array_agg(c.unit) FROM clash c),
                   (SELECT array_agg(i.notification_id ORDER BY i.notification_id) FROM ins i)
            INTO clashes, notification_ids;
            RETURN;
        EXCEPTION WHEN unique_violation THEN
            -- An unflagged row was taken after all: probe every row (or, if the clash is
            -- within the rows themselves, fail as the plain insert does).
            IF every_row THEN
                RAISE;
            END IF;
        END;
    END LOOP;
END
$fg$
"""


T = TypeVar("T")
# A connection that broke under a call (a killed backend, a restarted server) is retried at
# once on a new one; a server that is down is not waited out again: the pool has already waited
# POSTGRES_CONNECT_TIMEOUT for a connection, so the caller hears "unavailable" within that
# (eventsourcing's own retry tries ten times, ~50 s with the pool's wait each time).
ATTEMPTS = 3
_select_events = PostgresApplicationRecorder.select_events.__wrapped__  # without its retry


def fail_fast(call: Callable[[], T]) -> T:
    for attempt in range(ATTEMPTS):
        try:
            return call()
        except (InterfaceError, OperationalError) as error:
            if isinstance(error.__cause__, PoolTimeout) or attempt == ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


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
        self._insert_units = SQL("SELECT * FROM {0}(%b, %b, %b, %b, %b, %b)").format(function)
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

    def select_events(self, originator_id: UUID | str, **kwargs: Any) -> list[StoredEvent]:
        """eventsourcing's, failing fast while the server is down (see `fail_fast`)."""
        return fail_fast(lambda: _select_events(self, originator_id, **kwargs))

    def _insert(
        self, units: Sequence[Sequence[StoredEvent]], *, kept: bool = False
    ) -> tuple[set[int], list[int]]:
        return fail_fast(lambda: self._insert_once(units, kept=kept))

    def _insert_once(
        self, units: Sequence[Sequence[StoredEvent]], *, kept: bool
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
    probes: list[bool] = []
    for n, unit in enumerate(units):
        last_id: Any = None
        last_version = 0
        for event in unit:
            originator_id, version = event.originator_id, event.originator_version
            ids.append(originator_id)
            versions.append(version)
            topics.append(event.topic)
            states.append(event.state)
            # An aggregate's stored versions run 1, 2, ... with no gap (each write takes the
            # next one), so the row after a free version of the same aggregate is free too:
            # only the first row of each run is probed. (`is`: the events of one aggregate
            # share its id object; where they do not, a row is probed needlessly, no more.)
            probes.append(originator_id is not last_id or version != last_version + 1)
            last_id, last_version = originator_id, version
        unit_numbers += [n] * len(unit)
    return ids, versions, topics, states, unit_numbers, probes


def _clash(unit: Sequence[StoredEvent]) -> IntegrityError:
    taken = ", ".join(f"{e.originator_id} v{e.originator_version}" for e in unit[:3])
    return IntegrityError(f"an event version is already stored (one of: {taken})")
