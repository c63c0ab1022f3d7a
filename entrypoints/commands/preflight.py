"""Checks a command makes before it starts anything, so a plain mistake is one clear line
(`Refusal`) instead of a traceback or a minute of retries: a taken port, another process on the
same data, a store or a broker that does not answer."""

import errno
import socket
from pathlib import Path
from typing import Any

from entrypoints.commands.errors import Refusal, lock_holder
from entrypoints.commands.running import find_running

BROKER_TIMEOUT_S = 5.0


def port_is_free(host: str, port: int) -> None:
    if port == 0:
        return
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                raise Refusal(
                    f"port {port} on {host} is already in use: stop what listens there, "
                    f"or choose another port with --port"
                ) from None
            raise Refusal(f"cannot listen on {host}:{port}: {error.strerror}") from None


def nobody_else_serves(data_dir: Path, doing: str) -> None:
    running = find_running(data_dir)
    if running is not None:
        raise Refusal(
            f"{running.describe()} already serves {data_dir}; {doing}: stop it first (Ctrl-C in "
            f"its terminal, or `kill {running.pid}`)"
        )


def store_answers(container: Any) -> None:
    """Build the application (it connects to the event store) or refuse in one line."""
    settings = container.settings()
    try:
        container.flowguard_app()
    except Exception as error:
        if settings.event_store != "postgres":
            raise
        raise Refusal(
            f"the event store (PostgreSQL, {dsn_host(settings)}) does not answer "
            f"({type(error).__name__}): start it (`flowguard services up postgres`) or fix "
            "FLOWGUARD_POSTGRES_DSN"
        ) from error


def broker_answers(settings: Any) -> None:
    """With FLOWGUARD_BUS=kafka, one metadata request within a few seconds, or refuse."""
    if settings.bus != "kafka":
        return
    servers = settings.kafka_bootstrap_servers
    if not servers:
        raise Refusal("FLOWGUARD_BUS=kafka needs KAFKA_BOOTSTRAP_SERVERS (host:port,...)")
    from confluent_kafka.admin import AdminClient

    config = {
        "bootstrap.servers": servers,
        "security.protocol": settings.kafka_security_protocol,
        # librdkafka logs each failed connection itself; the one line below says it once.
        "log_level": 0,
        "logger": _SilentLogger(),
    }
    if settings.kafka_sasl_mechanism:
        password = settings.kafka_sasl_password
        config |= {
            "sasl.mechanism": settings.kafka_sasl_mechanism,
            "sasl.username": settings.kafka_sasl_username or "",
            "sasl.password": password.get_secret_value() if password else "",
        }
    try:
        AdminClient(config).list_topics(timeout=BROKER_TIMEOUT_S)
    except Exception as error:
        raise Refusal(
            f"Kafka at {servers} does not answer ({_kafka_reason(error)}): start it "
            "(`flowguard services up kafka`) or fix KAFKA_BOOTSTRAP_SERVERS"
        ) from error


class _SilentLogger:
    def log(self, *_: object) -> None:
        return None

    def __getattr__(self, _name: str) -> Any:
        return lambda *args, **kwargs: None


def _kafka_reason(error: Exception) -> str:
    arg = error.args[0] if error.args else error
    return str(getattr(arg, "str", lambda: arg)()) or type(error).__name__


def dsn_host(settings: Any) -> str:
    from urllib.parse import urlsplit

    dsn = settings.postgres_dsn.get_secret_value() if settings.postgres_dsn else ""
    parts = urlsplit(dsn)
    return f"{parts.hostname or 'localhost'}:{parts.port or 5432}" if parts.scheme else "its DSN"


def warehouse_answers(container: Any) -> None:
    """One connection to the warehouse, or refuse: another process holding the embedded DuckDB
    (named by its pid), or a Snowflake that does not answer."""
    settings = container.settings()
    try:
        connection = container.warehouse_connect()()
        connection.close()
    except Exception as error:
        holder = lock_holder(error)
        if holder is not None:
            raise Refusal(
                f"the embedded warehouse {settings.fakesnow_path} is held by {holder}: stop that "
                "process first (only one process may open it)"
            ) from error
        where = settings.snowflake_host or settings.snowflake_account or "the configured account"
        raise Refusal(
            f"the warehouse ({where}) does not answer ({type(error).__name__}): start it "
            "(`flowguard services up fakesnow`) or fix the SNOWFLAKE_* settings"
        ) from error
