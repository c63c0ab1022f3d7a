"""Request bodies for the gateway benchmark, built before the clock starts."""

import json
from typing import Any
from uuid import uuid4

import orjson

from entrypoints.settings import PROJECT_ROOT

EVENTS_PER_SESSION = 20
CLICK_TYPES = ("impression", "click", "add_to_cart")


def menu() -> list[tuple[str, list[str]]]:
    items = json.loads((PROJECT_ROOT / "data" / "food_items.json").read_text())
    by_restaurant: dict[str, list[str]] = {}
    for item in items:
        by_restaurant.setdefault(item["restaurant_id"], []).append(item["item_id"])
    return sorted(by_restaurant.items())


def click_events(count: int, tag: str) -> list[dict[str, Any]]:
    """`count` events in sessions of EVENTS_PER_SESSION, each session at one restaurant."""
    restaurants, events = menu(), []
    for n in range(count):
        session, k = divmod(n, EVENTS_PER_SESSION)
        restaurant, items = restaurants[session % len(restaurants)]
        event = {
            "event_id": str(uuid4()),
            "session_id": f"{tag}-s{session}",
            "user_id": f"{tag}-u{session}",
            "event_type": CLICK_TYPES[k % len(CLICK_TYPES)],
            "restaurant_id": restaurant,
            "item_id": items[k % len(items)],
            "page": "menu",
            "position": k,
        }
        events.append(event | ({"quantity": 1} if event["event_type"] == "add_to_cart" else {}))
    return events


def by_session(events: list[dict[str, Any]], connections: int) -> list[list[dict[str, Any]]]:
    """Whole sessions per connection, in order: one shopper never races with itself."""
    lanes: list[list[dict[str, Any]]] = [[] for _ in range(connections)]
    for start in range(0, len(events), EVENTS_PER_SESSION):
        lanes[(start // EVENTS_PER_SESSION) % connections] += events[
            start : start + EVENTS_PER_SESSION
        ]
    return lanes


def single_click_load(count: int, connections: int, tag: str) -> list[list[bytes]]:
    lanes = by_session(click_events(count, tag), connections)
    return [[orjson.dumps(event) for event in lane] for lane in lanes]


def batch_load(count: int, per_request: int, connections: int, tag: str) -> list[list[bytes]]:
    events = click_events(count, tag)
    bodies = [
        orjson.dumps({"events": events[i : i + per_request]})
        for i in range(0, len(events), per_request)
    ]
    return [bodies[c::connections] for c in range(connections)]


def order_load(count: int, connections: int, tag: str) -> list[list[bytes]]:
    restaurants = menu()
    bodies: list[list[bytes]] = [[] for _ in range(connections)]
    for n in range(count):
        restaurant, items = restaurants[n % len(restaurants)]
        lines = [{"item_id": items[(n + j) % len(items)], "quantity": 1 + j} for j in range(2)]
        body = {
            "user_id": f"{tag}-u{n % (connections * 8)}",  # the same user stays on one lane
            "restaurant_id": restaurant,
            "payment_method": "upi",
            "lines": lines,
        }
        bodies[n % connections].append(orjson.dumps(body))
    return bodies
