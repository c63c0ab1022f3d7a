"""PostgreSQL connections are killed (pg_terminate_backend) while the gateway writes: clients
retry with the same event ids, and every acknowledged event reaches BRONZE exactly once (under
an id of the server's, with the client's id as its CLIENT_EVENT_ID)."""

import socket
import threading
import time
import uuid

import httpx
import psycopg

from tests.faults.harness import Pipeline, check, wait_for_quiescence, wait_until


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _post_until_accepted(client: httpx.Client, events: list[dict[str, object]]) -> None:
    for _ in range(100):
        try:
            response = client.post("/api/v1/clicks/batch", json={"events": events})
            if response.status_code == 202:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("a batch was never accepted")


def _write(base_url: str, batches: int, acked: list[str]) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as client:
        for b in range(batches):
            ids = [str(uuid.uuid4()) for _ in range(20)]
            events = [
                {"event_id": i, "session_id": f"pgkill-{b}", "event_type": "impression",
                 "restaurant_id": "rst_001", "item_id": "itm_0001", "page": "menu"}
                for i in ids
            ]  # fmt: skip
            _post_until_accepted(client, events)  # same ids on retry: idempotent
            acked.extend(ids)
            time.sleep(0.1)  # spread the writes over the kill rounds


def _kill_backends(pipeline: Pipeline) -> int:
    with psycopg.connect(pipeline.dsn, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND pid <> pg_backend_pid()",
            (pipeline.database.rsplit("/", 1)[-1],),
        ).fetchall()
    return len(rows)


def test_killing_postgres_connections_while_the_gateway_writes(pipeline: Pipeline) -> None:
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    pipeline.start("api", "uvicorn", "entrypoints.api.main:build", "--factory", "--port", str(port))
    pipeline.start_relay()
    pipeline.start_consumer()
    wait_until(
        lambda: _ready(base_url), 60, "the gateway", diagnose=lambda: pipeline.log("api")[-4000:]
    )
    acked: list[str] = []
    writer = threading.Thread(target=_write, args=(base_url, 40, acked))
    writer.start()
    killed_while_writing = 0
    for _ in range(3):  # three rounds of kills, 1.5 s apart, while the writer is busy
        time.sleep(1.5)
        killed_while_writing += _kill_backends(pipeline) if writer.is_alive() else 0
    writer.join()
    assert killed_while_writing > 0

    wait_for_quiescence(pipeline, len(acked))
    verdict = check(pipeline.stored_envelopes(), pipeline.bronze_rows(), acked)
    assert verdict.ok, verdict
    assert verdict.rows == verdict.expected == len(set(acked)) == 800


def _ready(base_url: str) -> bool:
    try:
        return httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False
