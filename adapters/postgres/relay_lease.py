"""PostgresRelayLease: one active relay per event store, the others standing by.

The lease is a session-level advisory lock on a connection of its own: PostgreSQL releases it
the moment that session ends (a killed process closes its socket; a vanished host is found out
by TCP keepalives within about 10 s). Each holding also bumps a fencing token in
`flowguard_relay_lease`; the relay checks the token before every section it publishes, and the
bus marks it records are written only while the token is still its own.
"""

import contextlib
import hashlib
import os
import socket
from typing import Any

import orjson
import psycopg
from psycopg.types.json import Jsonb

from adapters.postgres.event_store import schema_lock
from application.relay import BusMarks

# The server drops a dead client's session, and so the lock, after ~5 + 2 x 2 s of silence.
_SESSION_SETTINGS = {"tcp_keepalives_idle": 5, "tcp_keepalives_interval": 2,
                     "tcp_keepalives_count": 2}  # fmt: skip

_TABLE = """
CREATE TABLE IF NOT EXISTS flowguard_relay_lease (
    name text PRIMARY KEY,
    token bigint NOT NULL,
    holder text NOT NULL,
    acquired_at timestamptz NOT NULL,
    cluster text,
    marks jsonb
)"""


def _lock_key(name: str) -> int:
    # A stable signed 64-bit key per relay name.
    digest = hashlib.sha256(f"flowguard.relay:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class PostgresRelayLease:
    def __init__(self, dsn: str, name: str = "relay", holder: str | None = None) -> None:
        self._dsn = dsn
        self._name = name
        self._key = _lock_key(name)
        self.holder_name = holder or f"{socket.gethostname()}-{os.getpid()}"
        self._connection: psycopg.Connection[Any] | None = None
        self.token = 0
        self._table_ready = False  # created at the first attempt: the store may be down now

    def _ensure_table(self) -> None:
        if not self._table_ready:
            with schema_lock(self._dsn), psycopg.connect(self._dsn, connect_timeout=10) as conn:
                conn.execute(_TABLE)
            self._table_ready = True

    def _connect(self) -> psycopg.Connection[Any]:
        if self._connection is None or self._connection.closed:
            options = " ".join(f"-c {k}={v}" for k, v in _SESSION_SETTINGS.items())
            self._connection = psycopg.connect(
                self._dsn, autocommit=True, connect_timeout=5, options=options,
                keepalives=1, keepalives_idle=5, keepalives_interval=2, keepalives_count=2,
            )  # fmt: skip
            self.token = 0
        return self._connection

    def acquire(self) -> bool:
        if self.token and self.held():
            return True
        try:
            self._ensure_table()
            connection = self._connect()
            row = connection.execute("SELECT pg_try_advisory_lock(%s)", (self._key,)).fetchone()
            if not row or not row[0]:
                return False
            self.token = self._take(connection)
            return True
        except psycopg.Error:
            self._drop()
            raise

    def _take(self, connection: psycopg.Connection[Any]) -> int:
        row = connection.execute(
            "INSERT INTO flowguard_relay_lease AS l (name, token, holder, acquired_at) "
            "VALUES (%s, 1, %s, now()) ON CONFLICT (name) DO UPDATE "
            "SET token = l.token + 1, holder = EXCLUDED.holder, acquired_at = now() "
            "RETURNING token",
            (self._name, self.holder_name),
        ).fetchone()
        assert row is not None
        return int(row[0])

    def held(self) -> bool:
        if not self.token:
            return False
        try:
            row = (
                self._connect_held()
                .execute("SELECT token FROM flowguard_relay_lease WHERE name = %s", (self._name,))
                .fetchone()
            )
        except psycopg.Error:
            self._drop()
            return False
        return row is not None and int(row[0]) == self.token

    def _connect_held(self) -> psycopg.Connection[Any]:
        # Never reconnect here: a new session does not hold the lock.
        if self._connection is None or self._connection.closed:
            raise psycopg.OperationalError("the lease's session is gone")
        return self._connection

    def holder(self) -> str:
        with psycopg.connect(self._dsn, autocommit=True, connect_timeout=5) as connection:
            row = connection.execute(
                "SELECT holder || ' (token ' || token || ', since ' || acquired_at || ')' "
                "FROM flowguard_relay_lease WHERE name = %s",
                (self._name,),
            ).fetchone()
        return str(row[0]) if row else ""

    def marks(self) -> BusMarks | None:
        row = (
            self._connect_held()
            .execute(
                "SELECT cluster, marks FROM flowguard_relay_lease WHERE name = %s", (self._name,)
            )
            .fetchone()
        )
        if row is None or row[0] is None:
            return None
        offsets = row[1] if isinstance(row[1], dict) else orjson.loads(row[1] or "{}")
        return BusMarks(str(row[0]), {str(k): int(v) for k, v in offsets.items()})

    def record_marks(self, marks: BusMarks) -> bool:
        try:
            cursor = self._connect_held().execute(
                "UPDATE flowguard_relay_lease SET cluster = %s, marks = %s "
                "WHERE name = %s AND token = %s",
                (marks.cluster, Jsonb(dict(marks.offsets)), self._name, self.token),
            )
        except psycopg.Error:
            self._drop()
            return False
        return cursor.rowcount == 1

    def release(self) -> None:
        if self._connection is not None and not self._connection.closed:
            with contextlib.suppress(psycopg.Error):
                self._connection.execute("SELECT pg_advisory_unlock_all()")
        self._drop()

    def _drop(self) -> None:
        if self._connection is not None:
            self._connection.close()
        self._connection = None
        self.token = 0
