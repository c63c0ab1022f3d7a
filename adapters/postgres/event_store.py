"""The production event store: eventsourcing's PostgreSQL recorders, configured from a DSN."""

from psycopg.conninfo import conninfo_to_dict


def postgres_event_store_env(dsn: str, pool_size: int = 8, schema: str = "") -> dict[str, str]:
    """eventsourcing reads POSTGRES_* settings, not a DSN: split it."""
    parts = conninfo_to_dict(dsn)
    env = {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": str(parts.get("dbname", "")),
        "POSTGRES_HOST": str(parts.get("host", "localhost")),
        "POSTGRES_PORT": str(parts.get("port", "5432")),
        "POSTGRES_USER": str(parts.get("user", "")),
        "POSTGRES_PASSWORD": str(parts.get("password", "")),
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": str(pool_size),
        "POSTGRES_CONNECT_TIMEOUT": "5",
        # Fail a write that waits this long for the table lock: 503 beats a hung request.
        "POSTGRES_LOCK_TIMEOUT": "5",
        "POSTGRES_PRE_PING": "y",
    }
    if schema:
        env["POSTGRES_SCHEMA"] = schema
    return env
