"""The HTTP edges of the gateway, over fakes: guards, error mapping, batch bookkeeping, probes."""

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from application.errors import StoreUnavailable
from entrypoints.api.app import create_app
from tests.unit.api.fakes import FakeContainer

API = "/api/v1"
CLICK = {"session_id": "s1", "event_type": "click", "restaurant_id": "rst_1", "page": "menu"}


@pytest.fixture
def container() -> FakeContainer:
    return FakeContainer()


@pytest.fixture
def client(container: FakeContainer) -> Iterator[TestClient]:
    with TestClient(create_app(container), raise_server_exceptions=False) as client:
        yield client


def test_a_chunked_body_over_one_megabyte_is_refused_before_parsing(
    client: TestClient, container: FakeContainer
) -> None:
    chunks = (b"x" * 100_000 for _ in range(11))  # no Content-Length: sent chunked
    response = client.post(
        f"{API}/clicks/batch", content=chunks, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413
    assert container.gateway.commands == []


def test_a_write_without_a_content_type_is_an_unsupported_media_type(client: TestClient) -> None:
    response = client.post(f"{API}/clicks", content=b'{"a": 1}')
    assert response.status_code == 415


def test_a_json_subtype_is_accepted(client: TestClient) -> None:
    response = client.post(
        f"{API}/clicks",
        content=b'{"session_id": "s1", "event_type": "click", "restaurant_id": "r", "page": "p"}',
        headers={"content-type": "application/vnd.flowguard+json; charset=utf-8"},
    )
    assert response.status_code == 202


def test_the_server_stamps_received_at_on_every_command(
    client: TestClient, container: FakeContainer
) -> None:
    client.post(f"{API}/clicks", json=CLICK)
    (command,) = container.gateway.commands
    assert command.received_at.tzinfo is not None


def test_an_idempotency_key_on_a_click_becomes_a_stable_event_id(client: TestClient) -> None:
    headers = {"Idempotency-Key": "retry-me"}
    first = client.post(f"{API}/clicks", json=CLICK, headers=headers).json()
    second = client.post(f"{API}/clicks", json=CLICK, headers=headers).json()
    assert first["event_id"] == second["event_id"]


def test_rejections_keep_the_index_the_client_sent(
    client: TestClient, container: FakeContainer
) -> None:
    events = [{"page": "x"}, CLICK, CLICK | {"page": "bad"}, 7]
    answer = client.post(f"{API}/clicks/batch", json={"events": events}).json()
    assert answer["accepted"] == 1
    assert [r["index"] for r in answer["rejected"]] == [0, 2, 3]
    # The use case decided the two schema-valid events and kept the two the schema refused.
    (command,) = container.gateway.commands
    assert (len(command.events), command.indices) == (2, (1, 2))
    assert [f.payload for f in container.failed.kept] == [{"page": "x"}, 7]


def test_a_single_click_that_fails_the_schema_is_kept_as_a_failed_event(
    client: TestClient, container: FakeContainer
) -> None:
    response = client.post(f"{API}/clicks", json=CLICK | {"position": "3"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "position"
    assert [f.payload for f in container.failed.kept] == [CLICK | {"position": "3"}]


@pytest.mark.parametrize(
    "body",
    [
        b'{"session_id": NaN}',
        b'{"quantity": Infinity}',
        b'{"page": "\\ud800"}',
        b'{"x": 1e400}',
        b"[" * 33 + b"]" * 33,
        b'{"events": ' + b"[" * 40 + b"]" * 40 + b"}",
    ],
)
def test_json_the_stores_cannot_keep_is_refused_at_the_edge(
    client: TestClient, container: FakeContainer, body: bytes
) -> None:
    for path in ("clicks", "clicks/batch", "orders"):
        response = client.post(
            f"{API}/{path}", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code == 422, path
        assert response.json()["errors"][0]["field"] == "(body)"
    assert container.gateway.commands == []


def test_json_nested_32_deep_is_accepted_by_the_edge(client: TestClient) -> None:
    deep = b"[" * 30 + b"7" + b"]" * 30  # 32 levels with the body and its list
    body = b'{"events": [' + deep + b"]}"
    response = client.post(
        f"{API}/clicks/batch", content=body, headers={"content-type": "application/json"}
    )
    assert response.status_code == 202


def test_a_method_a_path_does_not_serve_is_405_with_every_allowed_method(
    client: TestClient,
) -> None:
    response = client.put(f"{API}/orders", json={})
    assert response.status_code == 405
    assert response.headers["allow"] == "GET, OPTIONS, POST"
    assert client.delete(f"{API}/clicks").headers["allow"] == "OPTIONS, POST"


def test_options_lists_every_method_of_a_path(client: TestClient) -> None:
    response = client.options(f"{API}/orders")
    assert response.status_code == 204
    assert response.headers["allow"] == "GET, OPTIONS, POST"
    status = client.options(f"{API}/orders/0b6a3c1e-5d2f-4f7e-9a51-3c2b1d0e9f87/status")
    assert status.headers["allow"] == "OPTIONS, POST"


def test_a_store_that_cannot_commit_is_a_503_with_retry_after(
    client: TestClient, container: FakeContainer
) -> None:
    container.gateway.failure = StoreUnavailable("connection refused")
    response = client.post(f"{API}/orders", json=order())
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"


def test_an_unexpected_error_is_a_500_problem_never_a_2xx(
    client: TestClient, container: FakeContainer
) -> None:
    container.gateway.failure = RuntimeError("bug")
    response = client.post(f"{API}/clicks", json=CLICK)
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert "bug" not in response.text


def test_readiness_gives_up_on_a_store_that_hangs(
    client: TestClient, container: FakeContainer
) -> None:
    container.gateway.ready.clear()
    try:
        assert client.get("/readyz").status_code == 503
    finally:
        container.gateway.ready.set()


def test_commit_batches_reach_the_metrics(client: TestClient) -> None:
    client.post(f"{API}/clicks/batch", json={"events": [CLICK, CLICK]})
    assert "flowguard_group_commit_batch_size_sum 2.0" in client.get("/metrics").text


def test_unknown_paths_are_problems_with_a_bounded_metric_label(client: TestClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert 'route="unmatched"' in client.get("/metrics").text


@pytest.mark.parametrize("keys", [["secret", "garbage"], ["garbage", "secret"]])
def test_an_api_key_sent_twice_is_refused_whatever_the_order(keys: list[str]) -> None:
    container = FakeContainer(api_keys=["secret"])
    with TestClient(create_app(container), raise_server_exceptions=False) as client:
        headers = [("x-api-key", key) for key in keys] + [("content-type", "application/json")]
        for path in ("clicks", "clicks/batch", "orders"):
            response = client.post(f"{API}/{path}", content=b"{}", headers=headers)
            assert response.status_code == 400, path
            assert "x-api-key" in response.json()["detail"]
    assert container.gateway.commands == []


def test_an_api_key_holder_is_the_callers_scope() -> None:
    container = FakeContainer(api_keys=["secret", "other"])
    with TestClient(create_app(container)) as client:
        client.post(f"{API}/orders", json=order(), headers={"x-api-key": "secret"})
        client.post(f"{API}/orders", json=order(), headers={"x-api-key": "other"})
    first, second = (c.caller for c in container.gateway.commands)
    assert first is not None
    assert second not in (None, first)
    assert "secret" not in first


def order() -> dict[str, object]:
    return {
        "user_id": "u1",
        "restaurant_id": "rst_1",
        "payment_method": "cash",
        "lines": [{"item_id": "itm_1", "quantity": 1}],
    }


def test_a_batch_is_counted_by_event_type_and_outcome(client: TestClient) -> None:
    impression = CLICK | {"event_type": "impression"}
    client.post(f"{API}/clicks/batch", json={"events": [CLICK, impression, CLICK]})
    client.post(f"{API}/clicks/batch", json={"events": [CLICK, CLICK | {"page": "bad"}]})
    text = client.get("/metrics").text
    assert 'flowguard_events_total{event_type="click",outcome="accepted"} 3.0' in text
    assert 'flowguard_events_total{event_type="impression",outcome="accepted"} 1.0' in text
    assert 'flowguard_events_total{event_type="click",outcome="rejected"} 1.0' in text
