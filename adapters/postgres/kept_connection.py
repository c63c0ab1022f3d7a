"""A pooled connection that the group-commit writer keeps between its transactions.

Every checkout from eventsourcing's pool pings the server first (POSTGRES_PRE_PING): a second
round trip per group-commit transaction, and on a busy machine a second wake-up of the server
process to wait for. The writer thread instead keeps the connection it checked out (pinged
then, once). A failure hands it back to the pool, which drops a broken connection, and raises
eventsourcing's error for it, as `PostgresDatastore.get_connection` does, so the recorder's
retry takes a new, pinged connection. Only one caller at a time uses it; another one meanwhile
goes through the pool as before.
"""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from eventsourcing.persistence import (
    DatabaseError,
    DataError,
    IntegrityError,
    InterfaceError,
    InternalError,
    NotSupportedError,
    OperationalError,
    PersistenceError,
    ProgrammingError,
)
from eventsourcing.postgres import PostgresDatastore

# psycopg's errors as eventsourcing's, most specific first (PostgresDatastore.get_connection).
_ERRORS: tuple[tuple[type[psycopg.Error], type[PersistenceError]], ...] = (
    (psycopg.InterfaceError, InterfaceError),
    (psycopg.OperationalError, OperationalError),
    (psycopg.DataError, DataError),
    (psycopg.IntegrityError, IntegrityError),
    (psycopg.InternalError, InternalError),
    (psycopg.ProgrammingError, ProgrammingError),
    (psycopg.NotSupportedError, NotSupportedError),
    (psycopg.DatabaseError, DatabaseError),
    (psycopg.Error, PersistenceError),
)


class KeptConnection:
    def __init__(self, datastore: PostgresDatastore) -> None:
        self._datastore = datastore
        self._conn: Any = None
        self._lock = threading.Lock()

    @contextmanager
    def connection(self) -> Iterator[Any]:
        if not self._lock.acquire(blocking=False):  # in use: the pool, as before
            with self._datastore.get_connection() as conn:
                yield conn
            return
        try:
            if self._conn is None:
                self._conn = self._check_out()
            try:
                yield self._conn
            except BaseException as error:
                self._hand_back()  # it may be broken: the pool checks and keeps or drops it
                if isinstance(error, psycopg.Error):
                    raise _persistence_error(error) from error
                raise
        finally:
            self._lock.release()

    def close(self) -> None:
        with self._lock:
            self._hand_back()

    def _check_out(self) -> Any:
        datastore = self._datastore
        try:
            # Opened as PostgresDatastore.get_connection opens it; pinged by the pool's check.
            timeout = datastore.pool_open_timeout
            datastore.pool.open(timeout is not None, timeout or 30.0)
            return datastore.pool.getconn()
        except psycopg.Error as error:
            raise _persistence_error(error) from error

    def _hand_back(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            self._datastore.pool.putconn(conn)


def _persistence_error(error: psycopg.Error) -> PersistenceError:
    kind = next(ours for theirs, ours in _ERRORS if isinstance(error, theirs))
    return kind(str(error))
