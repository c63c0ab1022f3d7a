"""Hand-written fakes and builders for the application tests."""

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from application.app import FlowGuardApp
from application.commands import OrderLineRequest, PlaceOrder
from application.results import FailedEvent
from domain.catalog import FoodItem, Restaurant

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


class FakeCatalog:
    def __init__(self) -> None:
        self._restaurants = {
            r.restaurant_id: r
            for r in [
                Restaurant("rst_1", "Udupi Bhavan", "Bengaluru", ("South Indian",), Decimal("4.4")),
                Restaurant("rst_2", "Chowpatty", "Mumbai", ("Street Food",), Decimal("4.1")),
            ]
        }
        self._items = {
            i.item_id: i
            for i in [
                FoodItem("itm_1", "rst_1", "Masala Dosa", "Mains", "South", True, Decimal("120")),
                FoodItem("itm_2", "rst_1", "Filter Coffee", "Drinks", "South", True, Decimal("40")),
                FoodItem("itm_9", "rst_2", "Vada Pav", "Snacks", "Street", True, Decimal("35.5")),
            ]
        }  # fmt: skip

    def restaurants(self, city: str | None = None) -> list[Restaurant]:
        return [r for r in self._restaurants.values() if city in (None, r.city)]

    def restaurant(self, restaurant_id: str) -> Restaurant | None:
        return self._restaurants.get(restaurant_id)

    def items(
        self,
        restaurant_id: str | None = None,
        category: str | None = None,
        veg: bool | None = None,
        query: str | None = None,
    ) -> list[FoodItem]:
        return [i for i in self._items.values() if restaurant_id in (None, i.restaurant_id)]

    def item(self, item_id: str) -> FoodItem | None:
        return self._items.get(item_id)


class FakeFailedEventStore:
    def __init__(self) -> None:
        self.events: list[FailedEvent] = []

    def add(self, events: Sequence[FailedEvent]) -> None:
        self.events.extend(events)

    def list(self, limit: int = 100, offset: int = 0) -> list[FailedEvent]:
        return self.events[::-1][offset : offset + limit]

    def count(self) -> int:
        return len(self.events)


def make_app(*, group_commit: bool = True) -> FlowGuardApp:
    return FlowGuardApp(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"},
        catalog=FakeCatalog(),
        failed_events=FakeFailedEventStore(),
        group_commit=group_commit,
    )


def place(**overrides: object) -> PlaceOrder:
    fields: dict[str, object] = {
        "user_id": "usr_1",
        "restaurant_id": "rst_1",
        "lines": (OrderLineRequest("itm_1", 2), OrderLineRequest("itm_2", 1)),
        "payment_method": "upi",
        "received_at": NOW,
    }
    fields.update(overrides)
    return PlaceOrder(**fields)  # type: ignore[arg-type]


def stored_events(app: FlowGuardApp) -> int:
    return app.recorder.max_notification_id() or 0
