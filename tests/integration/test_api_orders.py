"""Orders over HTTP against the real PostgreSQL event store: every status code of the resource."""

from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from uuid import uuid4

import pytest
from fastapi.testclient import TestClient

from tests.integration.api_fixtures import API, api_database, postgres_app

__all__ = ["api_database"]
PROBLEM = "application/problem+json"


@pytest.fixture(scope="module")
def client(api_database: str) -> Iterator[TestClient]:
    with TestClient(postgres_app(api_database)) as client:
        yield client


def order(**overrides: Any) -> dict[str, Any]:
    body = {
        "user_id": f"user-{uuid4().hex[:8]}",
        "restaurant_id": "rst_001",
        "payment_method": "upi",
        "lines": [{"item_id": "itm_0001", "quantity": 2}, {"item_id": "itm_0006", "quantity": 3}],
    }
    return body | overrides


def place(client: TestClient, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"Idempotency-Key": key} if key else {}
    return client.post(f"{API}/orders", json=body, headers=headers)


def test_placing_an_order_answers_201_with_a_total_priced_by_the_server(client: TestClient) -> None:
    response = place(client, order())
    assert response.status_code == 201
    receipt = response.json()
    # itm_0001 costs 268.00 and itm_0006 58.00 in data/food_items.json.
    assert Decimal(receipt["total_amount"]) == Decimal("710.00")
    assert receipt["status"] == "placed"
    assert receipt["currency"] == "INR"
    assert receipt["version"] == 1
    assert response.headers["location"] == f"{API}/orders/{receipt['order_id']}"


def test_a_retry_with_the_same_key_answers_200_with_the_original_receipt(
    client: TestClient,
) -> None:
    body, key = order(), f"key-{uuid4()}"
    first = place(client, body, key)
    retry = place(client, body, key)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()


def test_the_same_key_with_another_body_is_a_conflict(client: TestClient) -> None:
    body, key = order(), f"key-{uuid4()}"
    placed = place(client, body, key)
    assert placed.status_code == 201
    response = place(client, body | {"payment_method": "cash"}, key)
    assert response.status_code == 409
    assert response.headers["content-type"] == PROBLEM
    assert placed.json()["order_id"] not in response.text


def test_the_same_key_from_another_user_is_another_order(client: TestClient) -> None:
    key = f"key-{uuid4()}"
    first, second = place(client, order(), key), place(client, order(), key)
    assert (first.status_code, second.status_code) == (201, 201)
    assert first.json()["order_id"] != second.json()["order_id"]


def test_an_item_of_another_restaurant_is_unprocessable_and_names_the_line(
    client: TestClient,
) -> None:
    lines = [{"item_id": "itm_0001", "quantity": 1}, {"item_id": "itm_0300", "quantity": 1}]
    response = place(client, order(lines=lines))
    assert response.status_code == 422
    assert response.headers["content-type"] == PROBLEM
    assert [e["field"] for e in response.json()["errors"]] == ["lines.1.item_id"]


def test_an_unknown_item_is_unprocessable(client: TestClient) -> None:
    response = place(client, order(lines=[{"item_id": "no-such-item", "quantity": 1}]))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lines.0.item_id"


def test_schema_violations_are_reported_field_by_field(client: TestClient) -> None:
    bad = order(payment_method="cheque", lines=[{"item_id": "itm_0001", "quantity": 51}])
    bad["total_amount"] = "1.00"  # the client never sets a price
    response = place(client, bad)
    assert response.status_code == 422
    problem = response.json()
    assert problem["status"] == 422
    assert {e["field"] for e in problem["errors"]} == {
        "payment_method",
        "lines.0.quantity",
        "total_amount",
    }


def test_an_order_moves_along_its_lifecycle_and_keeps_its_history(client: TestClient) -> None:
    order_id = place(client, order()).json()["order_id"]
    for status in ("confirmed", "out_for_delivery", "delivered"):
        response = client.post(f"{API}/orders/{order_id}/status", json={"status": status})
        assert response.status_code == 200, response.text
        assert response.json()["status"] == status
    view = client.get(f"{API}/orders/{order_id}").json()
    assert view["status"] == "delivered"
    assert view["version"] == 4
    assert [h["event_type"] for h in view["history"]] == [
        "order.placed",
        "order.confirmed",
        "order.out_for_delivery",
        "order.delivered",
    ]


def test_cancelling_a_delivered_order_is_a_conflict(client: TestClient) -> None:
    order_id = place(client, order()).json()["order_id"]
    for status in ("confirmed", "out_for_delivery", "delivered"):
        client.post(f"{API}/orders/{order_id}/status", json={"status": status})
    response = client.post(
        f"{API}/orders/{order_id}/status", json={"status": "cancelled", "reason": "late"}
    )
    assert response.status_code == 409
    assert "delivered" in response.json()["detail"]


def test_an_unknown_order_is_not_found(client: TestClient) -> None:
    unknown = uuid4()
    changed = client.post(f"{API}/orders/{unknown}/status", json={"status": "confirmed"})
    read = client.get(f"{API}/orders/{unknown}")
    assert (changed.status_code, read.status_code) == (404, 404)
    assert read.headers["content-type"] == PROBLEM


def test_a_users_orders_are_listed_newest_first(client: TestClient) -> None:
    user = f"user-{uuid4().hex[:8]}"
    first = place(client, order(user_id=user)).json()["order_id"]
    second = place(client, order(user_id=user)).json()["order_id"]
    place(client, order())  # somebody else's
    listed = client.get(f"{API}/orders", params={"user_id": user}).json()
    assert [o["order_id"] for o in listed["orders"]] == [second, first]


def test_listing_orders_needs_a_user_id(client: TestClient) -> None:
    response = client.get(f"{API}/orders")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.user_id"
