"""Counts straight from the event store, independent of BRONZE, Spark and GOLD: what GOLD must say.

The definitions follow docs/metrics.md: an order belongs to the UTC day of its placement; its
status is the last one recorded within a day's lookahead; GMV is gross (cancelled included)."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from eventsourcing.utils import resolve_topic

from entrypoints.report.data import ReconciledDay

SECTION = 10_000
LOOKAHEAD = timedelta(days=1)


@dataclass
class OrderFacts:
    placed_on: date
    total: Decimal
    statuses: list[tuple[int, date, str]] = field(default_factory=list)  # version, day, status

    def final_status(self) -> str:
        within = [s for s in self.statuses if s[1] <= self.placed_on + LOOKAHEAD]
        return max(within)[2] if within else "placed"


@dataclass
class StoreFacts:
    published: Counter[str] = field(default_factory=Counter)  # by event type
    orders: dict[Any, OrderFacts] = field(default_factory=dict)
    position: int = 0  # the last notification read

    def published_total(self) -> int:
        return sum(self.published.values())

    def daily(self, day: date) -> dict[str, str]:
        placed = [o for o in self.orders.values() if o.placed_on == day]
        delivered = sum(o.final_status() == "delivered" for o in placed)
        gmv = sum((o.total for o in placed), Decimal("0.00"))
        return {"orders": str(len(placed)), "delivered": str(delivered), "gmv": f"{gmv:.2f}"}


@cache
def _event_type(topic: str) -> str | None:
    event_type = getattr(resolve_topic(topic), "event_type", None)
    return event_type if isinstance(event_type, str) else None


def read_store(app: Any, facts: StoreFacts | None = None) -> StoreFacts:
    """One pass over the notification log; only order events are decoded. Given `facts` read
    before, reads on from where they stopped (the log only grows, in order)."""
    facts = StoreFacts() if facts is None else facts
    recorder = app.recorder
    while batch := recorder.select_notifications(facts.position, SECTION, inclusive_of_start=False):
        for notification in batch:
            event_type = _event_type(notification.topic)
            if event_type is None:
                continue
            facts.published[event_type] += 1
            if event_type.startswith("order."):
                _add_order_event(facts, event_type, vars(app.mapper.to_domain_event(notification)))
        facts.position = batch[-1].id
    return facts


def _add_order_event(facts: StoreFacts, event_type: str, event: dict[str, Any]) -> None:
    day = event["event_time"].date()
    if event_type == "order.placed":
        facts.orders[event["originator_id"]] = OrderFacts(day, Decimal(event["total_amount"]))
        facts.orders[event["originator_id"]].statuses.append(
            (event["originator_version"], day, "placed")
        )
    else:
        status = event_type.removeprefix("order.")
        facts.orders[event["originator_id"]].statuses.append(
            (event["originator_version"], day, status)
        )


def reconcile(
    facts: StoreFacts, gold_daily: list[dict[str, Any]], days: list[date]
) -> list[ReconciledDay]:
    """Each day's orders, delivered orders and GMV from the store against DAILY_GMV_METRICS."""
    gold = {row["METRIC_DATE"]: row for row in gold_daily}
    return [
        ReconciledDay(day.isoformat(), facts.daily(day), _gold_figures(gold.get(day.isoformat())))
        for day in days
    ]


def _gold_figures(row: dict[str, Any] | None) -> dict[str, str]:
    if row is None:
        return {"orders": "missing", "delivered": "missing", "gmv": "missing"}
    gmv = Decimal(str(row["GMV"])).quantize(Decimal("0.01"))
    return {
        "orders": str(row["TOTAL_ORDERS"]),
        "delivered": str(row["DELIVERED_ORDERS"]),
        "gmv": f"{gmv:.2f}",
    }
