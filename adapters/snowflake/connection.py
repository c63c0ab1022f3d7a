"""Snowflake connections: real Snowflake, a fakesnow server, or fakesnow in-process."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import snowflake.connector


@dataclass(frozen=True)
class SnowflakeConfig:
    """How to reach the warehouse. `host` set and `account` unset means a fakesnow server.

    The server keeps one shared DuckDB instance; per-session FAKESNOW_DB_PATH would open a second
    instance on the same files and fail with a file-handle conflict, so it is never sent."""

    database: str = "FLOWGUARD"
    account: str | None = None
    user: str | None = None
    password: str | None = field(default=None, repr=False)
    warehouse: str | None = None
    role: str | None = None
    host: str | None = None
    port: int | None = None
    protocol: str = "https"

    def connect_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "account": self.account or "fakesnow",
            "user": self.user or "fake",
            "password": self.password or "snow",
            "database": self.database,
            "session_parameters": {"CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False},
        }
        for key in ("warehouse", "role", "host", "port"):
            if getattr(self, key) is not None:
                kwargs[key] = getattr(self, key)
        if self.host:
            kwargs["protocol"] = self.protocol
        return kwargs


def connect_snowflake(config: SnowflakeConfig) -> Any:
    """A connection through the real connector (Snowflake, or a fakesnow server)."""
    return snowflake.connector.connect(**config.connect_kwargs())


class EmbeddedFakesnow:
    """In-process fakesnow on a DuckDB directory, without patching the connector globally.

    DuckDB allows one writing process per file, so one instance per process serves every
    connection (each connection gets its own DuckDB cursor)."""

    _instances: dict[Path, Any] = {}
    _lock = threading.Lock()

    def __init__(self, db_path: Path, database: str = "FLOWGUARD") -> None:
        self.db_path = db_path
        self.database = database

    def connect(self, schema: str | None = None) -> Any:
        instance = self._instance()
        # fakesnow creates the database (ATTACH) and schema on connect if they are missing, a
        # check then an act: two threads connecting at once both act, and DuckDB refuses the
        # second (ResourceInUseException; `flowguard up` answered 503 at startup).
        with self._lock:
            return instance.connect(database=self.database, schema=schema)

    def _instance(self) -> Any:
        from fakesnow.instance import FakeSnow

        key = self.db_path.resolve()
        with self._lock:
            if key not in self._instances:
                key.mkdir(parents=True, exist_ok=True)
                self._instances[key] = FakeSnow(db_path=str(key))
            return self._instances[key]
