"""Hostile and awkward clients (issue 19), on SQLite and PostgreSQL, through the short path and
through FastAPI's path: what the API acknowledged lands in BRONZE once, and no client can break
another client's data or make the gateway answer 5xx."""

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID, uuid4

import httpx
import pytest

from application.user_orders import UserOrders
from domain.click_session import ClickSession
from tests.integration.hostile_support import (
    PATHS,
    STORES,
    Gateway,
    failing_failed_events,
    gateway,
)

COMBINATIONS = list(itertools.product(STORES, PATHS))


@pytest.fixture(scope="module", params=COMBINATIONS, ids=[f"{s}, {p}" for s, p in COMBINATIONS])
def hostile(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, postgres_dsn: str
) -> Iterator[Gateway]:
    store, path = request.param
    with gateway(store, path, tmp_path_factory.mktemp("hostile"), postgres_dsn) as running:
        yield running


@pytest.fixture
def api(hostile: Gateway) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{hostile.url}/api/v1", timeout=30) as client:
        yield client


def order(user: str, **fields: Any) -> dict[str, Any]:
    body = {"user_id": user, "restaurant_id": "rst_001", "payment_method": "upi",
            "lines": [{"item_id": "itm_0001", "quantity": 1}]}  # fmt: skip
    return body | fields


def click(session: str, user: str | None = None, **fields: Any) -> dict[str, Any]:
    body = {
        "session_id": session,
        "user_id": user,
        "event_type": "add_to_cart",
        "restaurant_id": "rst_001",
        "item_id": "itm_0001",
        "page": "menu",
        "quantity": 1,
    }
    return {k: v for k, v in body.items() if v is not None} | fields  # fmt: skip


def fresh(prefix: str) -> str:
    return f"{prefix}-{uuid4().hex[:8]}"


# --- 1. acknowledged facts are never lost ------------------------------------------------------


def test_two_orders_with_one_client_event_id_are_two_bronze_rows(
    hostile: Gateway, api: httpx.Client
) -> None:
    shared = str(uuid4())
    receipts = [
        api.post("/orders", json=order(fresh("u"), order_id=str(uuid4()), event_id=shared))
        for _ in range(2)
    ]
    assert [r.status_code for r in receipts] == [201, 201]
    ids = {r.json()["event_id"] for r in receipts}
    rows = [r for r in hostile.to_bronze() if r["CLIENT_EVENT_ID"] == shared]
    assert len(rows) == 2
    assert {r["INGESTION_ID"] for r in rows} == ids
    assert shared not in ids  # the server's ids, never the client's


def test_two_clicks_in_two_sessions_with_one_event_id_are_two_bronze_rows(
    hostile: Gateway, api: httpx.Client
) -> None:
    shared = str(uuid4())
    user = fresh("u")
    for session in (fresh("s"), fresh("s")):
        answer = api.post("/clicks", json=click(session, user, event_id=shared))
        assert answer.status_code == 202
        assert answer.json()["client_event_id"] == shared
    rows = [r for r in hostile.to_bronze() if r["CLIENT_EVENT_ID"] == shared]
    assert len(rows) == 2
    assert len({r["INGESTION_ID"] for r in rows}) == len({r["AGGREGATE_ID"] for r in rows}) == 2


def test_the_same_click_resent_in_its_session_is_one_bronze_row(
    hostile: Gateway, api: httpx.Client
) -> None:
    event = click(fresh("s"), fresh("u"), event_id=str(uuid4()))
    first, again = (api.post("/clicks", json=event).json() for _ in range(2))
    assert again == first | {"duplicate": True}
    rows = [r for r in hostile.to_bronze() if r["CLIENT_EVENT_ID"] == event["event_id"]]
    assert [r["INGESTION_ID"] for r in rows] == [first["event_id"]]


# --- 3. no request can lock another client out ---------------------------------------------------


def test_an_order_id_chosen_as_a_users_index_id_is_only_a_token(api: httpx.Client) -> None:
    user = fresh("u")
    index_id = str(UserOrders.create_id(user))
    hostile = api.post("/orders", json=order(user, order_id=index_id))
    assert hostile.status_code == 201
    assert hostile.json()["order_id"] != index_id
    assert hostile.json()["client_order_id"] == index_id
    follow_up = api.post("/orders", json=order(user))
    assert follow_up.status_code == 201
    listed = api.get("/orders", params={"user_id": user}).json()["orders"]
    assert {o["order_id"] for o in listed} == {
        hostile.json()["order_id"],
        follow_up.json()["order_id"],
    }


def test_an_order_id_chosen_as_a_sessions_id_leaves_the_session_alone(api: httpx.Client) -> None:
    user, session = fresh("u"), fresh("s")
    assert api.post("/clicks", json=click(session, user)).status_code == 202
    session_id = str(ClickSession.create_id(f"user:{user}", session))
    assert api.post("/orders", json=order(user, order_id=session_id)).status_code == 201
    assert api.post("/clicks", json=click(session, user)).status_code == 202
    assert api.get(f"/orders/{session_id}").status_code == 404  # another kind: never a 500


def test_status_changes_on_an_id_of_another_kind_are_404(api: httpx.Client) -> None:
    user = fresh("u")
    api.post("/orders", json=order(user))
    index_id = UserOrders.create_id(user)
    answer = api.post(f"/orders/{index_id}/status", json={"status": "cancelled"})
    assert answer.status_code == 404


# --- 4. idempotency keys are scoped to their caller -------------------------------------------


def test_another_users_idempotency_key_is_another_request(api: httpx.Client) -> None:
    key = {"Idempotency-Key": fresh("key")}
    first = api.post("/orders", json=order(fresh("u")), headers=key)
    second = api.post("/orders", json=order(fresh("u")), headers=key)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["order_id"] != second.json()["order_id"]
    assert first.json()["order_id"] not in second.text


def test_a_key_reused_by_its_user_with_another_body_reveals_no_order(api: httpx.Client) -> None:
    user, key = fresh("u"), {"Idempotency-Key": fresh("key")}
    first = api.post("/orders", json=order(user), headers=key)
    assert api.post("/orders", json=order(user), headers=key).json() == first.json()
    conflict = api.post("/orders", json=order(user, payment_method="card"), headers=key)
    assert conflict.status_code == 409
    assert first.json()["order_id"] not in conflict.text


# --- 5. a 5xx stored nothing, a 2xx stored everything -----------------------------------------


@pytest.mark.parametrize(("store", "path"), COMBINATIONS)
def test_a_batch_answered_503_stored_none_of_its_events(
    store: str, path: str, tmp_path: Path, postgres_dsn: str
) -> None:
    failing = []
    with gateway(
        store, path, tmp_path, postgres_dsn,
        customise=lambda container: failing.append(failing_failed_events(container)),
    ) as running, httpx.Client(base_url=f"{running.url}/api/v1", timeout=30) as api:  # fmt: skip
        session, user = fresh("s"), fresh("u")
        batch = {"events": [click(session, user), {"page": "bad one"}, click(session, user)]}
        before = running.stored_events()
        refused = api.post("/clicks/batch", json=batch)
        assert refused.status_code == 503
        assert refused.headers["retry-after"]
        assert running.stored_events() == before  # not the two valid events, not the session
        failing[0].broken.clear()
        for _ in range(2):  # the client's retry, then a second one: failed events kept once
            assert api.post("/clicks/batch", json=batch).status_code == 202
        kept = api.get("/failed-events").json()
        assert [item["payload"] for item in kept["items"]] == [{"page": "bad one"}]
        assert running.stored_events() == before + 1 + 4  # the session, and two per batch


@pytest.mark.parametrize(
    "body",
    [
        b'{"events": [' + b"[" * 600 + b"]" * 600 + b"]}",
        b'{"events": [{"session_id": "s", "position": NaN}]}',
        b'{"events": [{"session_id": "s", "position": Infinity}]}',
        b'{"events": [{"session_id": "s\\ud800", "page": "p"}]}',
    ],
    ids=["600 deep", "NaN", "Infinity", "lone surrogate"],
)
def test_json_the_stores_cannot_keep_is_refused_with_nothing_stored(
    hostile: Gateway, api: httpx.Client, body: bytes
) -> None:
    before = hostile.stored_events()
    failed_before = api.get("/failed-events").json()["total"]
    for path in ("/clicks/batch", "/clicks", "/orders"):
        answer = api.post(path, content=body, headers={"content-type": "application/json"})
        assert answer.status_code == 422, (path, answer.text)
    assert hostile.stored_events() == before
    assert api.get("/failed-events").json()["total"] == failed_before


def test_every_failed_event_the_edge_accepted_is_served_back(api: httpx.Client) -> None:
    deep: Any = "bottom"
    for _ in range(30):  # with the body, its list and the element: 32 levels
        deep = [deep]
    awkward = [{"page": "nul\u0000byte"}, {"page": "ünï 🍛 \u2028"}, deep, {"n": 2**63 - 1}, None]
    answer = api.post("/clicks/batch", json={"events": awkward})
    assert answer.status_code == 202
    assert [r["index"] for r in answer.json()["rejected"]] == [0, 1, 2, 3, 4]
    page = api.get("/failed-events", params={"limit": 1000})
    assert page.status_code == 200
    served = [item["payload"] for item in page.json()["items"]]
    assert all(element in served for element in awkward)


# --- 9. the corrected event time stays in bounds ------------------------------------------------


@pytest.mark.parametrize(
    "times",
    [
        {"occurred_at": "2000-01-01T00:00:00Z", "sent_at": "2099-12-31T00:00:00Z"},
        {"occurred_at": "2099-12-31T00:00:00Z", "sent_at": "2000-01-01T00:00:00Z"},
        {"occurred_at": "2099-01-01T00:00:00Z"},
    ],
)
def test_a_skew_correction_out_of_bounds_is_refused(
    hostile: Gateway, api: httpx.Client, times: dict[str, str]
) -> None:
    before = hostile.stored_events()
    assert api.post("/orders", json=order(fresh("u"), **times)).status_code == 422
    answer = api.post("/clicks", json=click(fresh("s"), fresh("u"), **times))
    assert answer.status_code == 422
    assert hostile.stored_events() == before


# --- 10, 12. headers, methods and identifiers --------------------------------------------------


@pytest.mark.parametrize(("store", "path"), COMBINATIONS)
def test_an_api_key_sent_twice_is_refused_on_every_path(
    store: str, path: str, tmp_path: Path, postgres_dsn: str
) -> None:
    with (
        gateway(store, path, tmp_path, postgres_dsn, FLOWGUARD_API_KEYS=["good"]) as running,
        httpx.Client(base_url=f"{running.url}/api/v1", timeout=30) as api,
    ):
        placed = api.post("/orders", json=order(fresh("u")), headers={"x-api-key": "good"})
        assert placed.status_code == 201
        status = f"/orders/{placed.json()['order_id']}/status"
        writes = [
            ("/clicks", click(fresh("s"))),
            ("/clicks/batch", {"events": [click("s")]}),
            ("/orders", order(fresh("u"))),
            (status, {"status": "confirmed"}),
        ]
        for first, second in (("good", "garbage"), ("garbage", "good")):
            headers = [("x-api-key", first), ("x-api-key", second)]
            for target, body in writes:
                answer = api.post(target, json=body, headers=headers)
                assert answer.status_code == 400, (target, answer.text)


def test_a_single_click_that_fails_the_schema_is_kept_as_a_failed_event(
    api: httpx.Client,
) -> None:
    element = click(fresh("s"), page="no spaces allowed")
    assert api.post("/clicks", json=element).status_code == 422
    served = [item["payload"] for item in api.get("/failed-events").json()["items"]]
    assert element in served


@pytest.mark.parametrize("quantity", ["2", True, 1.0])
def test_a_quantity_that_is_not_an_integer_is_refused(api: httpx.Client, quantity: Any) -> None:
    lines = [{"item_id": "itm_0001", "quantity": quantity}]
    assert api.post("/orders", json=order(fresh("u"), lines=lines)).status_code == 422
    assert api.post("/clicks", json=click(fresh("s"), quantity=quantity)).status_code == 422


def test_methods_are_answered_by_what_the_path_serves(api: httpx.Client) -> None:
    put = api.put("/orders", json=order("u"))
    assert (put.status_code, put.headers["allow"]) == (405, "GET, OPTIONS, POST")
    options = api.options("/orders")
    assert (options.status_code, options.headers["allow"]) == (204, "GET, OPTIONS, POST")


def test_an_identifier_with_a_next_line_character_is_refused(api: httpx.Client) -> None:
    assert api.post("/clicks", json=click("s\u0085t")).status_code == 422
    assert api.post("/orders", json=order("u\u0085v")).status_code == 422


def test_ids_in_answers_are_the_servers(api: httpx.Client) -> None:
    client_order, client_event = uuid4(), uuid4()
    placed = api.post("/orders", json=order(fresh("u"), order_id=str(client_order),
                                            event_id=str(client_event)))  # fmt: skip
    receipt = placed.json()
    assert UUID(receipt["order_id"]) != client_order
    assert placed.headers["location"].endswith(receipt["order_id"])
    assert (receipt["client_order_id"], receipt["client_event_id"]) == (
        str(client_order),
        str(client_event),
    )
    view = api.get(f"/orders/{receipt['order_id']}").json()
    assert view["client_order_id"] == str(client_order)
    assert view["history"][0]["client_event_id"] == str(client_event)
