"""Clickstream over HTTP against real PostgreSQL: single events, batches, failed events."""

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID, uuid4

import pytest
from fastapi.testclient import TestClient

from tests.integration.api_fixtures import API, api_database, postgres_app

__all__ = ["api_database"]


@pytest.fixture(scope="module")
def client(api_database: str) -> Iterator[TestClient]:
    with TestClient(postgres_app(api_database)) as client:
        yield client


def click(**overrides: Any) -> dict[str, Any]:
    event = {
        "event_id": str(uuid4()),
        "session_id": f"sess-{uuid4().hex[:10]}",
        "user_id": "user-1",
        "event_type": "click",
        "restaurant_id": "rst_001",
        "item_id": "itm_0001",
        "page": "menu",
        "position": 2,
    }
    return event | overrides


def failed_payloads(client: TestClient) -> list[Any]:
    listed = client.get(f"{API}/failed-events", params={"limit": 1000})
    assert listed.status_code == 200, listed.text
    return [item["payload"] for item in listed.json()["items"]]


def test_a_click_is_accepted_with_202_under_an_id_of_the_servers(client: TestClient) -> None:
    event = click()
    response = client.post(f"{API}/clicks", json=event)
    assert response.status_code == 202
    answer = response.json()
    assert answer == {
        "event_id": answer["event_id"],
        "client_event_id": event["event_id"],
        "duplicate": False,
    }
    assert UUID(answer["event_id"]) != UUID(event["event_id"])


def test_a_repeated_event_id_is_a_duplicate_and_not_stored_twice(client: TestClient) -> None:
    event = click()
    first = client.post(f"{API}/clicks", json=event).json()
    again = client.post(f"{API}/clicks", json=event)
    assert again.status_code == 202
    assert again.json() == first | {"duplicate": True}  # the original event's server id


def test_one_event_id_in_two_sessions_is_two_events(client: TestClient) -> None:
    event = click()
    first = client.post(f"{API}/clicks", json=event).json()
    other = client.post(f"{API}/clicks", json=event | {"session_id": "sess-other"}).json()
    assert (first["duplicate"], other["duplicate"]) == (False, False)
    assert first["event_id"] != other["event_id"]


def test_a_click_without_an_event_id_gets_one(client: TestClient) -> None:
    event = click()
    del event["event_id"]
    response = client.post(f"{API}/clicks", json=event)
    assert response.status_code == 202
    assert UUID(response.json()["event_id"])
    assert response.json()["client_event_id"] is None


def test_one_session_id_sent_for_two_users_is_two_sessions(client: TestClient) -> None:
    session = f"sess-{uuid4().hex[:10]}"
    added = click(session_id=session, user_id="user-a", event_type="add_to_cart", quantity=1)
    assert client.post(f"{API}/clicks", json=added).status_code == 202
    # user-b's session of that id has an empty cart: nothing to remove.
    removed = added | {"event_id": str(uuid4()), "user_id": "user-b"}
    response = client.post(f"{API}/clicks", json=removed | {"event_type": "remove_from_cart"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "quantity"


def test_a_single_click_that_fails_the_schema_is_unprocessable_and_kept(
    client: TestClient,
) -> None:
    event = click(position="2")  # integers are strict: a string is refused
    response = client.post(f"{API}/clicks", json=event)
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["position"]
    assert event in failed_payloads(client)


def test_removing_from_an_empty_cart_is_unprocessable_and_kept(client: TestClient) -> None:
    event = click(event_type="remove_from_cart", quantity=1)
    response = client.post(f"{API}/clicks", json=event)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "quantity"
    assert event["event_id"] in [payload.get("event_id") for payload in failed_payloads(client)]


def test_an_event_from_the_future_is_unprocessable(client: TestClient) -> None:
    future = (datetime.now(UTC) + timedelta(minutes=10)).isoformat()
    response = client.post(f"{API}/clicks", json=click(occurred_at=future))
    assert response.status_code == 422


def test_a_batch_stores_the_valid_and_reports_the_invalid_by_index(client: TestClient) -> None:
    session = f"sess-{uuid4().hex[:10]}"
    repeated = click(session_id=session)
    no_type = click(session_id=session)
    del no_type["event_type"]
    events = [
        repeated,
        click(session_id=session, event_type="add_to_cart", quantity=2),
        no_type,
        repeated,
        click(session_id=session, event_type="remove_from_cart", item_id="itm_0002"),
        "not an event",
    ]
    response = client.post(f"{API}/clicks/batch", json={"events": events})
    assert response.status_code == 202
    answer = response.json()
    assert (answer["accepted"], answer["duplicates"]) == (2, 1)
    assert [r["index"] for r in answer["rejected"]] == [2, 4, 5]
    assert answer["rejected"][0]["errors"][0]["field"] == "event_type"
    kept = failed_payloads(client)
    assert no_type in kept
    assert "not an event" in kept  # kept as received


def test_a_batch_over_500_events_is_too_large(client: TestClient) -> None:
    response = client.post(f"{API}/clicks/batch", json={"events": [click()] * 501})
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"


def test_a_body_over_one_megabyte_is_too_large(client: TestClient) -> None:
    body = json.dumps({"events": [click(page="p" * 64)] * 400, "pad": "x" * 1_000_000})
    response = client.post(
        f"{API}/clicks/batch", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_a_body_that_is_not_json_is_an_unsupported_media_type(client: TestClient) -> None:
    response = client.post(
        f"{API}/clicks", content="session_id=s", headers={"content-type": "text/plain"}
    )
    assert response.status_code == 415
    assert response.json()["status"] == 415


def test_broken_json_is_unprocessable(client: TestClient) -> None:
    response = client.post(
        f"{API}/clicks", content="{not json", headers={"content-type": "application/json"}
    )
    assert response.status_code == 422


def test_failed_events_are_listed_newest_first_with_a_total(client: TestClient) -> None:
    events = [{"n": 1}, {"n": 2}]
    client.post(f"{API}/clicks/batch", json={"events": events})
    listed = client.get(f"{API}/failed-events", params={"limit": 2}).json()
    assert [item["payload"] for item in listed["items"]] == [{"n": 2}, {"n": 1}]
    assert listed["total"] >= 2


def test_batch_elements_with_nul_characters_are_kept_not_a_server_error(
    client: TestClient,
) -> None:
    # PostgreSQL text cannot hold NUL; found by the schemathesis run.
    events = [{"session_id": "s\u0000", "event_type": "click", "page": "p", "restaurant_id": "r"}]
    events.append({"note": "\u0000"})
    response = client.post(f"{API}/clicks/batch", json={"events": events})
    assert response.status_code == 202
    assert [r["index"] for r in response.json()["rejected"]] == [0, 1]


def test_metrics_count_batch_duplicates_by_event_type(client: TestClient) -> None:
    event = click(event_type="impression")
    client.post(f"{API}/clicks/batch", json={"events": [event, event]})
    text = client.get("/metrics").text
    assert 'flowguard_events_total{event_type="impression",outcome="duplicate"}' in text


@pytest.mark.parametrize("event_type", [{}, [], 7, None])
def test_an_event_type_of_any_json_type_is_refused_not_a_server_error(
    client: TestClient, event_type: Any
) -> None:
    event = click(event_type=event_type)
    single = client.post(f"{API}/clicks", json=event)
    assert single.status_code == 422, single.text
    batch = client.post(f"{API}/clicks/batch", json={"events": [event]})
    assert batch.status_code == 202, batch.text
    assert [r["index"] for r in batch.json()["rejected"]] == [0]
