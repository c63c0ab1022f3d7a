"""Sends simulated traffic through the real HTTP API with httpx, concurrently, in the order each
aggregate needs: a day's click batches, then its placements, then each wave of status changes."""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpx

from entrypoints.simulator.catalog import SimCatalog, catalog_from_json
from entrypoints.simulator.events import ClickBatch, DayPlan, OrderPlacement, StatusChange
from entrypoints.simulator.outcome import SendOutcome
from entrypoints.simulator.wire import (
    click_body,
    idempotency_headers,
    order_body,
    status_body,
    status_path,
)

API = "/api/v1"
RETRYABLE = frozenset({429, 502, 503, 504})
ATTEMPTS = 8
Progress = Callable[[int], None]


class ApiDriver:
    """One driver per target deployment. `progress(n)` is told how many events were sent."""

    def __init__(self, client: httpx.AsyncClient, concurrency: int = 16) -> None:
        self.client = client
        self.limit = asyncio.Semaphore(concurrency)
        self.outcome = SendOutcome()
        self.errors: list[str] = []
        # The client's order id -> the id in the server's receipt, which status changes address.
        self.order_ids: dict[Any, str] = {}

    async def fetch_catalog(self) -> SimCatalog:
        restaurants = await self._get(f"{API}/catalog/restaurants")
        items = await self._get(f"{API}/catalog/items")
        return catalog_from_json(restaurants["restaurants"], items["items"])

    async def send_day(self, plan: DayPlan, progress: Progress = lambda _: None) -> None:
        await self._all(self._clicks(b, progress) for b in plan.click_batches)
        await self._all(self._order(o, progress) for o in plan.orders)
        for wave in plan.status_waves:
            await self._all(self._status(c, progress) for c in wave)

    async def _clicks(self, batch: ClickBatch, progress: Progress) -> None:
        body = {"events": [click_body(event) for event in batch.events]}
        for _ in range(1 + batch.retried):
            response = await self._post(f"{API}/clicks/batch", body)
            if response.status_code == 202:
                answer = response.json()
                self.outcome.add("clicks.accepted", answer["accepted"])
                self.outcome.add("clicks.duplicates", answer["duplicates"])
                self.outcome.add("clicks.rejected", len(answer["rejected"]))
            else:
                self._unexpected("clicks", response)
        progress(len(batch.events))

    async def _order(self, order: OrderPlacement, progress: Progress) -> None:
        names = {201: "placed", 200: "replayed", 422: "rejected", 409: "key_reused"}
        for _ in range(1 + order.retried):
            headers = idempotency_headers(order.event_id)
            response = await self._post(f"{API}/orders", order_body(order), headers)
            self._count("orders", response, names)
            if response.status_code in (200, 201):
                self.order_ids[order.order_id] = str(response.json()["order_id"])
        progress(1)

    async def _status(self, change: StatusChange, progress: Progress) -> None:
        order_id = self.order_ids.get(change.order_id)
        if order_id is None:  # its placement was not stored: nothing to change
            self.outcome.add("status.skipped")
            progress(1)
            return
        path = status_path(order_id)
        for _ in range(1 + change.retried):
            headers = idempotency_headers(change.event_id)
            response = await self._post(path, status_body(change), headers)
            self._count("status", response, {200: "changed", 409: "refused"})
        progress(1)

    def _count(self, kind: str, response: httpx.Response, names: dict[int, str]) -> None:
        if response.status_code in names:
            self.outcome.add(f"{kind}.{names[response.status_code]}")
        else:
            self._unexpected(kind, response)

    def _unexpected(self, kind: str, response: httpx.Response) -> None:
        key = f"{kind}.unexpected_{response.status_code}"
        self.outcome.add(key)
        if self.outcome.counts[key] == 1:  # the first of each kind stands for the rest
            self.errors.append(f"{kind}: {response.status_code} {_problem(response)}")

    async def _all(self, jobs: Iterable[Awaitable[None]]) -> None:
        await asyncio.gather(*jobs)

    async def _get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        response = await self.client.get(path, params=params)
        response.raise_for_status()
        return response.json()

    async def _post(
        self, path: str, body: dict[str, Any], headers: dict[str, str] | None = None
    ) -> httpx.Response:
        """POST with the backoff a real client has: overload and network errors are retried
        with the same body, so they can only ever produce duplicates, never loss."""
        async with self.limit:
            for attempt in range(ATTEMPTS):
                self.outcome.requests += 1
                try:
                    response = await self.client.post(path, json=body, headers=headers)
                except httpx.TransportError:
                    if attempt == ATTEMPTS - 1:
                        raise
                else:
                    if response.status_code not in RETRYABLE or attempt == ATTEMPTS - 1:
                        return response
                self.outcome.transport_retries += 1
                await asyncio.sleep(min(2.0, 0.05 * 2**attempt))
        raise AssertionError("unreachable")


def _problem(response: httpx.Response) -> str:
    """One line of an error answer: a problem's title and detail, else the start of the body."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and ("title" in body or "detail" in body):
        text = f"{body.get('title', '')}: {body.get('detail', '')}".strip(": ")
    else:
        text = response.text
    line = " ".join(text.split())
    return line[:160] + ("…" if len(line) > 160 else "")
