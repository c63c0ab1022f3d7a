"""Sends simulated traffic through the real HTTP API with httpx, concurrently, in the order each
aggregate needs: a day's click batches, then its placements, then each wave of status changes."""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import httpx

from entrypoints.simulator.catalog import SimCatalog, catalog_from_json
from entrypoints.simulator.events import ClickBatch, DayPlan, OrderPlacement, StatusChange
from entrypoints.simulator.outcome import SendOutcome
from entrypoints.simulator.wire import click_body, idempotency_headers, order_body, status_body

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
        for _ in range(1 + order.retried):
            headers = idempotency_headers(order.event_id)
            response = await self._post(f"{API}/orders", order_body(order), headers)
            self._count("orders", response, {201: "placed", 200: "replayed", 422: "rejected"})
        progress(1)

    async def _status(self, change: StatusChange, progress: Progress) -> None:
        path = f"{API}/orders/{change.order_id}/status"
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
        self.outcome.add(f"{kind}.unexpected_{response.status_code}")
        if len(self.errors) < 20:
            self.errors.append(f"{kind}: {response.status_code} {response.text[:300]}")

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
