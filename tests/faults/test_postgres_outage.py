"""PostgreSQL is stopped under a running gateway: every write answers 503 with Retry-After at
once (the first one included), stores nothing, and the gateway recovers by itself when the
server is back. A private cluster, so the shared one is never stopped."""

import os
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import psycopg
import pytest

from entrypoints.services.postgres import DSN_VAR, PostgresService

ROOT = Path(__file__).resolve().parents[2]
# The bound the issue sets on the first answer with the server gone; the gateway's own bound is
# its pool wait (POSTGRES_CONNECT_TIMEOUT, 3 s).
FIRST_ANSWER_WITHIN = 5.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def postgres(tmp_path: Path) -> Iterator[PostgresService]:
    service = PostgresService(tmp_path / "local")
    service.up({})
    yield service
    service.down()


def clicks(session: str) -> dict[str, object]:
    event = {"session_id": session, "event_type": "impression", "restaurant_id": "rst_001",
             "item_id": "itm_0001", "page": "menu"}  # fmt: skip
    return {"events": [event | {"event_id": str(uuid.uuid4())} for _ in range(5)]}


ORDER = {"user_id": "u-outage", "restaurant_id": "rst_001", "payment_method": "upi",
         "lines": [{"item_id": "itm_0001", "quantity": 1}]}  # fmt: skip


def stored_events(dsn: str) -> int:
    with psycopg.connect(dsn, connect_timeout=5) as conn:
        row = conn.execute("SELECT count(*) FROM flowguardapp_events").fetchone()
    return int(row[0]) if row else 0


def test_with_postgres_gone_writes_fail_fast_and_the_gateway_recovers(
    postgres: PostgresService, tmp_path: Path
) -> None:
    dsn = postgres.recorded_env()[DSN_VAR]
    port = free_port()
    env = {**os.environ, "FLOWGUARD_EVENT_STORE": "postgres", DSN_VAR: dsn,
           "FLOWGUARD_API_KEYS": "[]", "FLOWGUARD_DATA_DIR": str(tmp_path / "data")}  # fmt: skip
    command = [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)]
    with (tmp_path / "api.log").open("wb") as log:
        gateway = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        with httpx.Client(timeout=30) as client:
            _until(lambda: client.post(f"{base}/clicks/batch", json=clicks("before")).status_code
                   == 202, "the gateway to accept writes")  # fmt: skip
            before = stored_events(dsn)
            postgres.down()

            started = time.monotonic()
            first = client.post(f"{base}/clicks/batch", json=clicks("during-0"))
            assert time.monotonic() - started < FIRST_ANSWER_WITHIN
            answers = [first] + [
                client.post(f"{base}/clicks/batch", json=clicks(f"during-{n}")) for n in (1, 2)
            ]
            answers += [client.post(f"{base}/orders", json=ORDER) for _ in range(2)]
            for answer in answers:
                assert answer.status_code == 503, answer.text
                assert answer.headers["retry-after"]

            postgres.up({})
            _until(lambda: client.post(f"{base}/clicks/batch", json=clicks("after")).status_code
                   == 202, "the gateway to recover")  # fmt: skip
            assert client.post(f"{base}/orders", json=ORDER).status_code == 201
        # Nothing of the refused requests was stored: the ones before, after, and the order.
        # after: a session opened and 5 clicks; the order: placed, the index opened and added.
        assert stored_events(dsn) == before + 6 + 3
    finally:
        gateway.terminate()
        gateway.wait(timeout=30)


def _until(check: object, what: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():  # type: ignore[operator]
                return
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")
