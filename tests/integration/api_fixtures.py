"""Fixtures for the API tests: a fresh PostgreSQL database per test module, the app over it,
and a real uvicorn server in a thread for tests that need real concurrent HTTP."""

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from dependency_injector import providers
from fastapi import FastAPI
from psycopg.conninfo import conninfo_to_dict

from entrypoints.api.app import create_app
from entrypoints.api.serving import http_options
from entrypoints.bootstrap import create_container
from entrypoints.settings import Settings
from tests.fixtures.services import postgres_database

API = "/api/v1"


@pytest.fixture(scope="module")
def api_database(postgres_dsn: str) -> Iterator[str]:
    """A database of its own for this module, dropped afterwards."""
    with postgres_database(postgres_dsn, "fg_api") as dsn:
        yield dsn


def postgres_settings(dsn: str, api_keys: list[str] | None = None) -> Settings:
    return Settings.model_validate(
        {
            "FLOWGUARD_EVENT_STORE": "postgres",
            "FLOWGUARD_POSTGRES_DSN": dsn,
            "FLOWGUARD_API_KEYS": api_keys or [],
        }
    )


def postgres_app(
    dsn: str, api_keys: list[str] | None = None, connect_timeout: int | None = None
) -> FastAPI:
    container = create_container(postgres_settings(dsn, api_keys))
    if connect_timeout is not None:
        # eventsourcing retries a lost connection 10 times, each waiting this long for the pool.
        env = container.event_store_env() | {"POSTGRES_CONNECT_TIMEOUT": str(connect_timeout)}
        container.event_store_env.override(providers.Object(env))
    return create_app(container, owns_application=True)


def database_name(dsn: str) -> str:
    return str(conninfo_to_dict(dsn)["dbname"])


class LiveServer:
    """uvicorn serving `app` on a free port, in a thread of this process, with the gateway's
    HTTP protocol and limits (as `flowguard serve` runs it)."""

    def __init__(self, app: FastAPI, settings: Settings | None = None) -> None:
        options = http_options(settings or Settings.model_validate({}))
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", **options)
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=20)


def wait_ready(base_url: str) -> None:
    response = httpx.get(f"{base_url}/readyz", timeout=5)
    assert response.status_code == 200, response.text
