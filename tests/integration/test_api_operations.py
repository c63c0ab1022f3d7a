"""Health, readiness, metrics, auth and the API description, against the real PostgreSQL store."""

from collections.abc import Iterator
from uuid import uuid4

import psycopg
import pytest
from fastapi.testclient import TestClient

from tests.integration.api_fixtures import API, api_database, database_name, postgres_app

__all__ = ["api_database"]
KEY = "s3cret-key"


@pytest.fixture(scope="module")
def client(api_database: str) -> Iterator[TestClient]:
    with TestClient(postgres_app(api_database, api_keys=[KEY, "other-key"])) as client:
        yield client


def click() -> dict[str, str]:
    return {
        "event_id": str(uuid4()),
        "session_id": f"sess-{uuid4().hex[:8]}",
        "event_type": "impression",
        "restaurant_id": "rst_002",
        "item_id": "itm_0015",
        "page": "home",
    }


def test_liveness_and_readiness_answer_200(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").json() == {"status": "ready", "checks": {"event_store": "ok"}}


def test_writes_without_a_key_are_unauthorized(client: TestClient) -> None:
    response = client.post(f"{API}/clicks", json=click())
    assert response.status_code == 401
    assert response.headers["content-type"] == "application/problem+json"


def test_writes_with_a_wrong_key_are_forbidden(client: TestClient) -> None:
    response = client.post(f"{API}/clicks", json=click(), headers={"X-API-Key": "guess"})
    assert response.status_code == 403


def test_writes_with_a_configured_key_are_accepted_and_reads_stay_open(client: TestClient) -> None:
    response = client.post(f"{API}/clicks", json=click(), headers={"X-API-Key": KEY})
    assert response.status_code == 202
    assert client.get(f"{API}/catalog/restaurants").status_code == 200


def test_metrics_count_requests_events_by_type_and_commit_batches(client: TestClient) -> None:
    client.post(f"{API}/clicks", json=click(), headers={"X-API-Key": KEY})
    text = client.get("/metrics").text
    assert (
        'flowguard_http_requests_total{method="POST",route="/api/v1/clicks",status="202"}' in text
    )
    assert "flowguard_http_request_duration_seconds_bucket" in text
    assert 'flowguard_events_total{event_type="impression",outcome="accepted"}' in text
    assert "flowguard_group_commit_batch_size_count" in text


def test_the_catalog_filters_items(client: TestClient) -> None:
    items = client.get(
        f"{API}/catalog/items", params={"restaurant_id": "rst_001", "veg": "true"}
    ).json()["items"]
    assert items
    assert all(i["restaurant_id"] == "rst_001" and i["is_veg"] for i in items)
    searched = client.get(f"{API}/catalog/items", params={"q": "naan"}).json()["items"]
    assert all("naan" in i["name"].lower() for i in searched)
    assert client.get(f"{API}/catalog/items/itm_0001").json()["price"] == "268.00"
    assert client.get(f"{API}/catalog/items/nope").status_code == 404


def test_every_request_body_in_the_api_description_has_an_example(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    bodies = [
        (path, op["requestBody"]["content"]["application/json"]["schema"]["$ref"])
        for path, item in spec["paths"].items()
        for op in item.values()
        if "requestBody" in op
    ]
    assert len(bodies) == 4
    for path, ref in bodies:
        name = ref.split("/")[-1]
        assert name in schemas, f"{path}: {ref} is not in the document"
        assert schemas[name].get("examples"), path


def test_a_store_that_is_down_answers_503_with_retry_after(postgres_dsn: str) -> None:
    name = f"fg_api_down_{uuid4().hex[:8]}"
    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    dsn = psycopg.conninfo.make_conninfo(postgres_dsn, dbname=name)
    with TestClient(postgres_app(dsn, connect_timeout=1)) as client:
        assert client.get("/readyz").status_code == 200
        with psycopg.connect(postgres_dsn, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE "{database_name(dsn)}" WITH (FORCE)')
        ready = client.get("/readyz")
        written = client.post(f"{API}/clicks", json=click())
    assert (ready.status_code, written.status_code) == (503, 503)
    assert written.headers["retry-after"].isdigit()
    assert written.headers["content-type"] == "application/problem+json"
