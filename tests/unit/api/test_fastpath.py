"""The short path to the hot write routes answers every request exactly as FastAPI alone does:
the same status, headers and body, and the same commands reach the use cases. And it is taken:
a plainly valid hot request never reaches FastAPI's routing."""

from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.middleware import Middleware
from starlette.types import ASGIApp, Receive, Scope, Send

from application.errors import NotFound, StoreUnavailable
from entrypoints.api.app import create_app
from entrypoints.api.fastpath import ShortPath
from tests.unit.api.fakes import FakeContainer

API = "/api/v1"
KEY = "secret-key"
EVENT_ID = "0b6a3c1e-5d2f-4f7e-9a51-3c2b1d0e9f87"  # a generated id would differ between runs
CLICK = {"session_id": "s1", "event_type": "click", "restaurant_id": "rst_1", "page": "menu"}
CLICK |= {"event_id": EVENT_ID}
ORDER = {
    "user_id": "u1",
    "restaurant_id": "rst_1",
    "payment_method": "upi",
    "lines": [{"item_id": "itm_1", "quantity": 2}],
}
# (path, body as JSON or raw bytes, headers)
REQUESTS: list[tuple[str, Any, dict[str, str]]] = [
    ("clicks", CLICK, {}),
    ("clicks", CLICK | {"event_id": None}, {"Idempotency-Key": "k-1"}),
    ("clicks", CLICK, {"Idempotency-Key": "k" * 201}),
    ("clicks", CLICK, {"Idempotency-Key": ""}),
    ("clicks", CLICK, {"Idempotency-Key": "a", "idempotency-key": "b"}),
    ("clicks", CLICK | {"quantity": True, "event_type": "add_to_cart", "item_id": "itm_1"}, {}),
    ("clicks", b'{"session_id": "s\\ud800"}', {}),
    ("clicks", b"[" * 40 + b"]" * 40, {}),
    ("clicks", CLICK | {"page": "bad"}, {}),
    ("clicks", CLICK | {"extra": 1}, {}),
    ("clicks", CLICK | {"position": "3"}, {}),
    ("clicks", b'{"session_id": ', {}),
    ("clicks", b'{"session_id": NaN}', {}),
    ("clicks", [CLICK], {}),
    ("clicks", CLICK, {"content-type": "text/plain"}),
    ("clicks", CLICK, {"content-type": "application/vnd.flowguard+json; charset=utf-8"}),
    ("clicks", CLICK, {"content-length": "1000001"}),
    ("clicks/batch", {"events": [CLICK, CLICK | {"page": "bad"}, {"page": "x"}, 7]}, {}),
    ("clicks/batch", {"events": [CLICK] * 501}, {}),
    ("clicks/batch", {"events": []}, {}),
    ("clicks/batch", {"events": [CLICK]}, {"Idempotency-Key": "k-2"}),
    ("orders", ORDER, {}),
    ("orders", ORDER | {"order_id": "0b6a3c1e-5d2f-4f7e-9a51-3c2b1d0e9f88"}, {}),
    ("orders", ORDER, {"Idempotency-Key": "o-1"}),
    ("orders", ORDER | {"lines": []}, {}),
    ("orders", ORDER | {"lines": [{"item_id": "itm_1", "quantity": 2.0}]}, {}),
]


def without_short_path(app: FastAPI) -> FastAPI:
    taken = [m for m in app.user_middleware if m.cls is ShortPath]
    assert len(taken) == 1
    app.user_middleware.remove(taken[0])
    return app


class CountsRouting:
    """Innermost: counts the requests that reach FastAPI's routing."""

    reached: list[str] = []

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.reached.append(scope["path"])
        await self.app(scope, receive, send)


def answers(
    container: FakeContainer, short_path: bool, requests: list[tuple[str, Any, dict[str, str]]]
) -> list[tuple[int, dict[str, str], bytes]]:
    app = create_app(container)
    app = app if short_path else without_short_path(app)
    out = []
    with TestClient(app, raise_server_exceptions=False) as client:
        for path, body, extra in requests:
            sent = {"content": body} if isinstance(body, bytes) else {"json": body}
            headers = {"content-type": "application/json", **extra}
            response = client.post(f"{API}/{path}", headers=headers, **sent)  # type: ignore[arg-type]
            kept = {k: v for k, v in response.headers.items() if k != "date"}
            out.append((response.status_code, kept, response.content))
        counted = client.get("/metrics").text.splitlines()  # requests by route and status
        out += [
            (0, {}, line.encode())
            for line in counted
            if line.startswith("flowguard_http_requests_total")
        ]
    return out


def commands(container: FakeContainer) -> list[Any]:
    return [
        (type(c).__name__, getattr(c, "events", None), getattr(c, "idempotency_key", None))
        for c in container.gateway.commands
    ]


def test_every_request_gets_the_answer_fastapi_gives() -> None:
    fast, slow = FakeContainer(), FakeContainer()
    assert answers(fast, True, REQUESTS) == answers(slow, False, REQUESTS)
    assert commands(fast) == commands(slow)
    assert [f.payload for f in fast.failed.kept] == [f.payload for f in slow.failed.kept]


def test_a_plainly_valid_hot_request_never_reaches_fastapis_routing() -> None:
    container = FakeContainer()
    app = create_app(container)
    app.user_middleware.append(Middleware(CountsRouting))  # innermost
    CountsRouting.reached.clear()
    plain = [("clicks", CLICK, {}), ("clicks/batch", {"events": [CLICK]}, {})]
    plain += [("orders", ORDER, {"Idempotency-Key": "o-2"})]
    with TestClient(app) as client:
        for path, body, headers in plain:
            assert client.post(f"{API}/{path}", json=body, headers=headers).status_code < 300
        assert CountsRouting.reached == []
        client.post(f"{API}/clicks/batch", json={"events": []})  # invalid: FastAPI answers
    assert CountsRouting.reached == [f"{API}/clicks/batch"]
    assert len(container.gateway.commands) == 3


@pytest.mark.parametrize("key", [None, "wrong", KEY])
def test_api_keys_are_checked_as_fastapi_checks_them(key: str | None) -> None:
    headers = {"X-API-Key": key} if key else {}
    requests = [("clicks", CLICK, headers), ("orders", ORDER, headers)]
    fast, slow = FakeContainer(api_keys=[KEY]), FakeContainer(api_keys=[KEY])
    assert answers(fast, True, requests) == answers(slow, False, requests)
    assert len(fast.gateway.commands) == (2 if key == KEY else 0)


@pytest.mark.parametrize(
    "failure", [StoreUnavailable("down"), NotFound("gone"), RuntimeError("bug")]
)
def test_use_case_errors_go_through_the_apps_handlers(failure: Exception) -> None:
    requests = [
        ("clicks", CLICK, {}),
        ("clicks/batch", {"events": [CLICK]}, {}),
        ("orders", ORDER, {}),
    ]
    fast, slow = FakeContainer(), FakeContainer()
    fast.gateway.failure = slow.gateway.failure = failure
    assert answers(fast, True, requests) == answers(slow, False, requests)
