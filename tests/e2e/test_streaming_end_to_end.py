"""End to end over real processes: HTTP gateway -> PostgreSQL store -> relay -> Kafka ->
consumer -> BRONZE on the fakesnow server. Exactly the accepted events arrive, once each, under
the server's ids, each with the id its client sent."""

import json
import socket
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from uuid import uuid4

import httpx

from tests.faults.harness import Pipeline, check, wait_for_quiescence, wait_until
from tests.faults.pipeline_fixture import pipeline

__all__ = ["pipeline"]

ROOT = Path(__file__).resolve().parents[2]
ORDERS = 40
CLICK_SESSIONS = 30
CLICKS_PER_SESSION = 5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _catalog_lines() -> list[tuple[str, str]]:
    items = json.loads((ROOT / "data/food_items.json").read_text())
    return [(i["restaurant_id"], i["item_id"]) for i in items[:20]]


@dataclass
class Acknowledged:
    """What the API acknowledged: counts by envelope event type, the client ids sent with the
    acknowledged events, and the server's ids its answers named."""

    by_type: Counter[str] = field(default_factory=Counter)
    client_ids: list[str] = field(default_factory=list)
    server_ids: list[str] = field(default_factory=list)


def _post_events(client: httpx.Client) -> Acknowledged:
    """Orders and click batches over HTTP, each event with a client id of its own."""
    acked = Acknowledged()
    lines = _catalog_lines()
    for n in range(ORDERS):
        restaurant, item = lines[n % len(lines)]
        client_id = str(uuid4())
        body = {
            "event_id": client_id,
            "user_id": f"user-{n}",
            "restaurant_id": restaurant,
            "lines": [{"item_id": item, "quantity": 1 + n % 3}],
            "payment_method": "upi",
        }
        response = client.post("/api/v1/orders", json=body)
        assert response.status_code == 201, response.text
        receipt = response.json()
        assert receipt["client_event_id"] == client_id != receipt["event_id"]
        acked.by_type["order.placed"] += 1
        acked.client_ids.append(client_id)
        acked.server_ids.append(receipt["event_id"])
    for s in range(CLICK_SESSIONS):
        restaurant, item = lines[s % len(lines)]
        client_ids = [str(uuid4()) for _ in range(CLICKS_PER_SESSION)]
        events = [
            {"event_id": client_id, "session_id": f"e2e-{s}", "event_type": "impression",
             "restaurant_id": restaurant, "item_id": item, "page": "menu", "position": k}
            for k, client_id in enumerate(client_ids)
        ]  # fmt: skip
        response = client.post("/api/v1/clicks/batch", json={"events": events})
        assert response.status_code == 202, response.text
        assert response.json()["accepted"] == CLICKS_PER_SESSION
        acked.by_type["click.impression"] += CLICKS_PER_SESSION
        acked.client_ids.extend(client_ids)
    return acked


def test_events_posted_over_http_reach_bronze_exactly_once(pipeline: Pipeline) -> None:
    port = _free_port()
    pipeline.start("api", "uvicorn", "entrypoints.api.main:build", "--factory", "--port", str(port))
    relay = pipeline.start_relay()
    consumer = pipeline.start_consumer()
    with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
        wait_until(
            lambda: _ready(client), 60, "the gateway to answer /readyz",
            diagnose=lambda: pipeline.log("api")[-4000:],
        )  # fmt: skip
        acked = _post_events(client)

    total = sum(acked.by_type.values())
    wait_for_quiescence(pipeline, total, timeout=40)
    rows = pipeline.bronze_rows()
    verdict = check(pipeline.stored_envelopes(), rows, acked.client_ids)

    assert verdict.expected == total == len(acked.client_ids)
    assert verdict.loaded_ids == total
    assert verdict.rows == total, "duplicate rows in BRONZE"
    assert verdict.ok, verdict
    assert verdict.counts_by_type == dict(acked.by_type)
    assert set(acked.server_ids) <= {str(row[0]) for row in rows}  # the receipts' ids
    for process in (relay, consumer):  # SIGTERM: finish the step, commit, leave cleanly
        process.terminate()
        assert process.wait(30) == 0


def _ready(client: httpx.Client) -> bool:
    try:
        return client.get("/readyz").status_code == 200
    except httpx.TransportError:
        return False
