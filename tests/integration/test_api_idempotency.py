"""Idempotency under real concurrency: 20 simultaneous requests with one key store one event."""

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID, uuid4

import httpx
import psycopg
import pytest

from application.identity import owner
from domain.click_session import ClickSession
from tests.integration.api_fixtures import API, LiveServer, api_database, postgres_app, wait_ready

__all__ = ["api_database"]
CONCURRENCY = 20


@pytest.fixture(scope="module")
def base_url(api_database: str) -> Iterator[str]:
    with LiveServer(postgres_app(api_database)) as url:
        wait_ready(url)
        yield url


def stored_topics(dsn: str, originator_id: UUID) -> list[str]:
    """The topics of every stored event of one aggregate, read straight from PostgreSQL."""
    with psycopg.connect(dsn) as conn:
        tables = conn.execute(
            "SELECT table_name FROM information_schema.columns"
            " WHERE column_name = 'originator_id' AND table_schema = 'public'"
        ).fetchall()
        return [
            topic
            for (table,) in tables
            for (topic,) in conn.execute(
                f'SELECT topic FROM "{table}" WHERE originator_id = %s', (originator_id,)
            )
        ]


def all_at_once(
    base_url: str, path: str, body: dict[str, Any], headers: dict[str, str]
) -> list[Any]:
    with httpx.Client(base_url=base_url, timeout=30) as client:

        def send(_: int) -> httpx.Response:
            return client.post(path, json=body, headers=headers)

        with ThreadPoolExecutor(CONCURRENCY) as pool:
            return list(pool.map(send, range(CONCURRENCY)))


def test_one_key_from_20_concurrent_order_requests_stores_one_order(
    base_url: str, api_database: str
) -> None:
    body = {
        "user_id": "user-idem",
        "restaurant_id": "rst_001",
        "payment_method": "card",
        "lines": [{"item_id": "itm_0002", "quantity": 1}],
    }
    responses = all_at_once(base_url, f"{API}/orders", body, {"Idempotency-Key": str(uuid4())})
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [200] * (CONCURRENCY - 1) + [201]
    assert len({r.text for r in responses}) == 1  # every answer is the original receipt
    order_id = UUID(responses[0].json()["order_id"])
    assert len(stored_topics(api_database, order_id)) == 1


def test_one_event_id_from_20_concurrent_click_requests_stores_one_click(
    base_url: str, api_database: str
) -> None:
    session = f"sess-{uuid4().hex[:10]}"
    click = {
        "event_id": str(uuid4()),
        "session_id": session,
        "event_type": "click",
        "restaurant_id": "rst_003",
        "item_id": "itm_0029",
        "page": "menu",
    }
    responses = all_at_once(base_url, f"{API}/clicks", click, {})
    assert {r.status_code for r in responses} == {202}
    assert sorted(r.json()["duplicate"] for r in responses) == [False] + [True] * (CONCURRENCY - 1)
    assert len({r.json()["event_id"] for r in responses}) == 1  # the one stored event's id
    # No API keys and no user_id: the session is the anonymous user's.
    topics = stored_topics(api_database, ClickSession.create_id(owner(None, None), session))
    assert [t for t in topics if t.endswith("Clicked")] == [topics[-1]]
    assert len(topics) == 2  # the session's opening and the one click
