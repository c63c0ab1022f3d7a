"""Two `flowguard serve` processes on one PostgreSQL event store, traffic spread over both.
An Idempotency-Key sent to both gives one order; status changes for one order sent through
both keep its lifecycle valid; neither process's caches refuse (or accept) a change on state
the other one has moved past. Orders are addressed by the `order_id` of their receipt."""

import itertools
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial

import httpx
import pytest

from domain.order import TRANSITIONS, OrderStatus
from tests.faults.harness import ROOT, drop_database, fresh_database, wait_until

ORDERS = "/api/v1/orders"
ORDER = {"user_id": "", "restaurant_id": "rst_001", "payment_method": "upi",
         "lines": [{"item_id": "itm_0001", "quantity": 2}]}  # fmt: skip


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _ready(url: str) -> bool:
    try:
        return httpx.get(f"{url}/readyz", timeout=2).status_code == 200
    except httpx.TransportError:
        return False


@pytest.fixture(scope="module")
def gateways(
    postgres_dsn: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[httpx.Client, httpx.Client]]:
    """One pair for the module: each test works on orders of its own users."""
    tmp_path = tmp_path_factory.mktemp("gateways")
    database = fresh_database(postgres_dsn, "fg_gateways")
    env = {**os.environ, "FLOWGUARD_LOCAL_DIR": str(tmp_path), "FLOWGUARD_DATA_DIR": str(tmp_path),
           "FLOWGUARD_EVENT_STORE": "postgres", "FLOWGUARD_POSTGRES_DSN": database}  # fmt: skip
    processes, clients = [], []
    for name in ("a", "b"):
        port = _free_port()
        log = (tmp_path / f"gateway-{name}.log").open("wb")
        command = [sys.executable, "-m", "entrypoints.cli", "serve", "--port", str(port)]
        processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log))
        clients.append(httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30))
    try:
        for name, client in zip("ab", clients, strict=True):
            wait_until(
                lambda c=client: _ready(str(c.base_url)), 90, f"gateway {name}",
                diagnose=(tmp_path / f"gateway-{name}.log").read_text,
            )  # fmt: skip
        yield clients[0], clients[1]
    finally:
        for process in processes:
            process.terminate()
        for process, client in zip(processes, clients, strict=True):
            process.wait(30)
            client.close()
        drop_database(postgres_dsn, database)


def _place(client: httpx.Client, user: str, key: str | None = None) -> httpx.Response:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(ORDERS, json={**ORDER, "user_id": user}, headers=headers)


def _location(response: httpx.Response) -> str:
    """The order as the receipt names it: its Location, which ends in the receipt's order_id."""
    assert response.status_code in (200, 201), response.text
    location = response.headers["location"]
    assert location.endswith(str(response.json()["order_id"]))
    return location


def _history(client: httpx.Client, location: str) -> list[str]:
    response = client.get(location)
    assert response.status_code == 200, response.text
    return [entry["status"] for entry in response.json()["history"]]


def _valid(history: list[str]) -> bool:
    steps = itertools.pairwise(history)
    return history[0] == "placed" and all(
        OrderStatus(after) in TRANSITIONS[OrderStatus(before)] for before, after in steps
    )


def test_traffic_spread_over_both_gateways_lands_in_one_store(gateways) -> None:
    a, b = gateways
    user = f"spread-{uuid.uuid4().hex[:8]}"
    locations = [_location(_place((a, b)[n % 2], user)) for n in range(20)]
    for client in (a, b):
        listed = client.get(ORDERS, params={"user_id": user})
        assert listed.status_code == 200
        assert len(listed.json()["orders"]) == 20
        assert {_history(client, loc)[0] for loc in locations[:4]} == {"placed"}


def test_one_idempotency_key_sent_to_both_gateways_gives_one_order(gateways) -> None:
    a, b = gateways
    for round_ in range(10):
        user, key = f"idem-{uuid.uuid4().hex[:8]}", f"key-{round_}-{uuid.uuid4().hex}"
        with ThreadPoolExecutor(4) as pool:  # both gateways, twice each, at the same moment
            answers = list(pool.map(partial(_place, user=user, key=key), (a, b, a, b)))
        assert all(r.status_code < 500 for r in answers), [r.text for r in answers]
        assert sorted({r.status_code for r in answers}) in ([200, 201], [201]), [
            (r.status_code, r.text) for r in answers
        ]
        assert len({r.json()["order_id"] for r in answers}) == 1
        listed = b.get(ORDERS, params={"user_id": user}).json()["orders"]
        assert len(listed) == 1
        assert len(_history(a, _location(answers[0]))) == 1


def test_status_changes_through_both_gateways_keep_the_lifecycle_valid(gateways) -> None:
    a, b = gateways
    location = _location(_place(a, f"life-{uuid.uuid4().hex[:8]}"))
    assert _history(a, location) == ["placed"]  # gateway a has now seen (and cached) it placed
    for client, status in ((b, "confirmed"), (a, "out_for_delivery"), (b, "delivered")):
        # Each change is decided on the state the other gateway just moved it to.
        answer = client.post(f"{location}/status", json={"status": status})
        assert answer.status_code == 200, answer.text
    assert _history(a, location) == _history(b, location) == [
        "placed", "confirmed", "out_for_delivery", "delivered"
    ]  # fmt: skip


def test_no_gateway_accepts_a_change_on_state_the_other_moved_past(gateways) -> None:
    a, b = gateways
    location = _location(_place(a, f"stale-{uuid.uuid4().hex[:8]}"))
    assert _history(a, location) == ["placed"]
    assert b.post(f"{location}/status", json={"status": "cancelled"}).status_code == 200
    refused = a.post(f"{location}/status", json={"status": "confirmed"})
    assert refused.status_code == 409, refused.text
    assert _history(a, location) == ["placed", "cancelled"]


def test_racing_status_changes_through_both_gateways_store_exactly_what_was_accepted(
    gateways,
) -> None:
    a, b = gateways
    user = f"race-{uuid.uuid4().hex[:8]}"
    locations = [_location(_place((a, b)[n % 2], user)) for n in range(12)]

    def race(location: str) -> tuple[list[int], list[str]]:
        changes = ((a, "confirmed"), (b, "cancelled"), (b, "confirmed"), (a, "cancelled"))
        with ThreadPoolExecutor(4) as pool:
            answers = pool.map(
                lambda change: change[0].post(f"{location}/status", json={"status": change[1]}),
                changes,
            )
            codes = [r.status_code for r in answers]
        return codes, _history(b, location)

    for codes, history in map(race, locations):
        assert set(codes) <= {200, 409}, codes  # accepted or refused; never a 5xx
        assert _valid(history), history
        assert codes.count(200) == len(history) - 1  # every acceptance stored, nothing more
