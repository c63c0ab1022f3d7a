"""A hand-written fake of the FlowGuard HTTP API, just enough for the simulator's driver."""

import json
import uuid
from datetime import UTC, datetime
from typing import Any

import httpx

from tests.unit.simulator.conftest import small_catalog

CLICK_TYPES = {"impression", "click", "add_to_cart", "remove_from_cart", "checkout_started"}
NEXT = {
    "placed": {"confirmed", "cancelled"},
    "confirmed": {"out_for_delivery", "cancelled"},
    "out_for_delivery": {"delivered", "cancelled"},
}


def event_time(body: dict[str, Any], received_at: datetime) -> datetime:
    occurred = datetime.fromisoformat(body["occurred_at"])
    if "sent_at" in body:
        return received_at - (datetime.fromisoformat(body["sent_at"]) - occurred)
    return occurred


class FakeApi:
    """Stores accepted facts by id; answers like the real API does to retries and bad input."""

    def __init__(self, overloaded_first: int = 0, server_ids: bool = False) -> None:
        self.clicks: dict[str, datetime] = {}
        self.orders: dict[str, str] = {}
        # As the API will: the client's order_id is a token; the stored id is the server's.
        self.server_ids = server_ids
        self.minted: dict[str, str] = {}
        self.status_events: set[str] = set()
        self.overloaded = overloaded_first

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        path = request.url.path.removeprefix("/api/v1")
        if path == "/catalog/restaurants":
            restaurants = small_catalog().restaurants
            return httpx.Response(200, json={"restaurants": [vars(r) for r in restaurants]})
        if path == "/catalog/items":
            items = [vars(i) | {"price": str(i.price)} for i in small_catalog().items]
            return httpx.Response(200, json={"items": items})
        if self.overloaded > 0:
            self.overloaded -= 1
            return httpx.Response(503, headers={"Retry-After": "0"})
        body = json.loads(request.content)
        if path == "/clicks/batch":
            return self._batch(body["events"])
        if path == "/orders":
            return self._place(body)
        return self._status(path.split("/")[2], body)

    def _batch(self, events: list[dict[str, Any]]) -> httpx.Response:
        received_at = datetime.now(UTC)
        accepted, duplicates, rejected = 0, 0, []
        for index, event in enumerate(events):
            when = event_time(event, received_at)
            if event["event_type"] not in CLICK_TYPES or when > received_at:
                rejected.append({"index": index, "errors": []})
            elif event["event_id"] in self.clicks:
                duplicates += 1
            else:
                self.clicks[event["event_id"]] = when
                accepted += 1
        return httpx.Response(
            202, json={"accepted": accepted, "duplicates": duplicates, "rejected": rejected}
        )

    def _place(self, body: dict[str, Any]) -> httpx.Response:
        if any(not 1 <= line["quantity"] <= 50 for line in body["lines"]):
            return httpx.Response(422, json={"title": "Unprocessable Content"})
        token = body["order_id"]
        if token in self.minted:
            return httpx.Response(200, json={"order_id": self.minted[token]})
        order_id = str(uuid.uuid4()) if self.server_ids else token
        self.minted[token] = order_id
        self.orders[order_id] = "placed"
        return httpx.Response(201, json={"order_id": order_id})

    def _status(self, order_id: str, body: dict[str, Any]) -> httpx.Response:
        if order_id not in self.orders:
            return httpx.Response(404, json={"title": "Not Found", "detail": "no such order"})
        if body["event_id"] in self.status_events:
            return httpx.Response(200, json={"order_id": order_id})
        if body["status"] not in NEXT.get(self.orders[order_id], set()):
            return httpx.Response(409, json={"title": "Conflict"})
        self.orders[order_id] = body["status"]
        self.status_events.add(body["event_id"])
        return httpx.Response(200, json={"order_id": order_id})
