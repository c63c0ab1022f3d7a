"""The imperfections of real clients: retries, late sessions and invalid events."""

import random
from dataclasses import replace
from datetime import timedelta
from typing import TYPE_CHECKING
from uuid import uuid5

from entrypoints.simulator.events import OrderLine, OrderPlacement

if TYPE_CHECKING:
    from entrypoints.simulator.events import ClickEvent
    from entrypoints.simulator.plan import TrafficConfig
    from entrypoints.simulator.sessions import Session


def retried(config: "TrafficConfig", rng: random.Random) -> bool:
    """Whether the client times out and sends the same request again (same ids and keys)."""
    return rng.random() < config.retry_share


def late(session: "Session", config: "TrafficConfig") -> bool:
    """Whether the device was offline and uploads the session with the next day's traffic."""
    return random.Random(f"late:{session.session_id}").random() < config.late_share


def invalid_click(
    session: "Session", config: "TrafficConfig", rng: random.Random
) -> list["ClickEvent"]:
    """Sometimes a buggy client sends an unknown event type or a time far in the future."""
    if not session.events or rng.random() >= config.invalid_share * 5:
        return []
    last = session.events[-1]
    event_id = uuid5(last.event_id, "invalid")
    if rng.random() < 0.5:
        return [replace(last, event_id=event_id, event_type="hover", valid=False)]
    future = last.occurred_at + timedelta(days=400)
    return [replace(last, event_id=event_id, occurred_at=future, skew=timedelta(0), valid=False)]


def invalid_order(
    placement: OrderPlacement, config: "TrafficConfig", rng: random.Random
) -> list[OrderPlacement]:
    """Sometimes a client sends an order with a quantity the domain refuses (0 or over 50)."""
    if rng.random() >= config.invalid_share * 3:
        return []
    first = placement.lines[0]
    bad = OrderLine(first.item_id, rng.choice((0, 51)), first.unit_price)
    order_id = uuid5(placement.order_id, "invalid")
    return [replace(placement, order_id=order_id, event_id=uuid5(order_id, "placed"),
                    lines=(bad,), valid=False, retried=False)]  # fmt: skip
