"""Local services: the fakesnow HTTP server, so the real Snowflake connector talks over the wire."""

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

from adapters.snowflake.connection import SnowflakeConfig
from entrypoints.services.base import Service

HOST = "127.0.0.1"


class FakesnowService(Service):
    name = "fakesnow"
    # A real account, or someone else's fakesnow server, replaces ours.
    external_vars: ClassVar[tuple[str, ...]] = ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_HOST")

    @property
    def db_path(self) -> Path:
        return self.home / "db"

    def launch(self) -> tuple[list[str], dict[str, str]]:
        self.db_path.mkdir(parents=True, exist_ok=True)
        port = self.port("http")
        server = "entrypoints.services.fakesnow_server"
        command = [sys.executable, "-m", server, HOST, str(port), str(self.db_path)]
        # No FAKESNOW_DB_PATH for clients: sent at login, it would make the server open a second
        # DuckDB instance on files its shared instance already holds (see fakesnow_server).
        return command, {
            "SNOWFLAKE_HOST": HOST,
            "SNOWFLAKE_PORT": str(port),
            "SNOWFLAKE_PROTOCOL": "http",
        }

    def external_env(self, environ: Mapping[str, str]) -> dict[str, str]:
        if not super().external_env(environ):
            return {}
        names = ("ACCOUNT", "USER", "PASSWORD", "DATABASE", "WAREHOUSE", "ROLE", "HOST", "PORT")
        keys = [f"SNOWFLAKE_{name}" for name in (*names, "PROTOCOL")] + ["FAKESNOW_DB_PATH"]
        return {key: environ[key] for key in keys if environ.get(key)}

    def check(self, env: Mapping[str, str]) -> None:
        import snowflake.connector

        kwargs = config_from_env(env).connect_kwargs()
        with snowflake.connector.connect(**kwargs, login_timeout=5, network_timeout=10) as conn:
            cursor = conn.cursor()
            cursor.execute("SELECT 1")
            cursor.fetchone()


def config_from_env(env: Mapping[str, str]) -> SnowflakeConfig:
    """The connection settings a client builds from these variables (as entrypoints/bootstrap)."""
    port = env.get("SNOWFLAKE_PORT")
    return SnowflakeConfig(
        database=env.get("SNOWFLAKE_DATABASE", "FLOWGUARD"),
        account=env.get("SNOWFLAKE_ACCOUNT"),
        user=env.get("SNOWFLAKE_USER"),
        password=env.get("SNOWFLAKE_PASSWORD"),
        warehouse=env.get("SNOWFLAKE_WAREHOUSE"),
        role=env.get("SNOWFLAKE_ROLE"),
        host=env.get("SNOWFLAKE_HOST"),
        port=int(port) if port else None,
        protocol=env.get("SNOWFLAKE_PROTOCOL", "https"),
    )
