"""Hand-written fakes of what the API reads from the container: no database, no event store."""

import threading
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any
from uuid import UUID, uuid4

from application.commands import ChangeOrderStatus, PlaceOrder, RecordClickEvents
from application.errors import NotFound
from application.results import (
    ClickBatchResult,
    FailedEvent,
    OrderReceipt,
    OrderView,
    Rejection,
)
from domain.catalog import FoodItem, Restaurant
from domain.errors import FieldError
from entrypoints.settings import Settings


class FakeGateway:
    """Records commands and keeps refused inputs as failed events; refuses click events whose
    page is "bad"; raises `failure` if set."""

    def __init__(self, failed: "FakeFailedEvents") -> None:
        self.commands: list[Any] = []
        self.failed = failed
        self.failure: Exception | None = None
        self.ready = threading.Event()
        self.ready.set()
        self.observers: list[Callable[[int], None]] = []

    def _run(self, command: Any) -> None:
        self.commands.append(command)
        if self.failure:
            raise self.failure

    async def place_order_async(self, command: PlaceOrder) -> OrderReceipt:
        self._run(command)
        return OrderReceipt(UUID(int=1), "placed", Decimal("10.00"), "INR", UUID(int=2), 1)

    async def change_order_status_async(self, command: ChangeOrderStatus) -> OrderReceipt:
        self._run(command)
        raise NotFound(f"order {command.order_id} not found")

    async def record_click_events_async(self, command: RecordClickEvents) -> ClickBatchResult:
        self._run(command)
        indices = command.indices or range(len(command.events))
        bad = [i for i, e in zip(indices, command.events, strict=True) if e.page == "bad"]
        rejected = [Rejection(i, [FieldError("page", "is bad")]) for i in bad]
        self.failed.add(
            [
                FailedEvent(uuid4(), "click", r.payload, [], command.received_at)
                for r in command.rejected
            ]
        )
        for observe in self.observers:
            observe(len(command.events) - len(bad))
        event_ids = {i: UUID(int=3 + i) for i in indices if i not in bad}
        return ClickBatchResult(len(command.events) - len(bad), 0, rejected, [], event_ids)

    def get_order(self, order_id: UUID) -> OrderView:
        raise NotFound(f"order {order_id} not found")

    def list_orders(self, user_id: str) -> list[OrderView]:
        return []

    def list_failed_events(self, limit: int, offset: int) -> list[FailedEvent]:
        return self.failed.list(limit, offset)

    def count_failed_events(self) -> int:
        return self.failed.count()

    def check_ready(self) -> None:
        if not self.ready.wait(timeout=30):
            raise TimeoutError("never ready")

    def add_batch_observer(self, observe: Callable[[int], None]) -> None:
        self.observers.append(observe)


class FakeCatalog:
    restaurant_ = Restaurant("rst_1", "Dosa Hut", "Pune", ("South Indian",), Decimal("4.2"))
    item_ = FoodItem("itm_1", "rst_1", "Masala Dosa", "Mains", "South Indian", True, Decimal("90"))

    def restaurants(self, city: str | None = None) -> list[Restaurant]:
        return [self.restaurant_]

    def restaurant(self, restaurant_id: str) -> Restaurant | None:
        return self.restaurant_ if restaurant_id == "rst_1" else None

    def items(self, **filters: Any) -> list[FoodItem]:
        return [self.item_]

    def item(self, item_id: str) -> FoodItem | None:
        return self.item_ if item_id == "itm_1" else None


class FakeFailedEvents:
    """The failed-event store, in a list."""

    def __init__(self) -> None:
        self.kept: list[FailedEvent] = []

    def add(self, events: Sequence[FailedEvent]) -> None:
        self.kept.extend(events)

    def list(self, limit: int = 100, offset: int = 0) -> list[FailedEvent]:
        return self.kept[::-1][offset : offset + limit]

    def count(self) -> int:
        return len(self.kept)


class FakeContainer:
    """The four providers `create_app` reads, as plain callables."""

    def __init__(self, api_keys: list[str] | None = None) -> None:
        self.failed = FakeFailedEvents()
        self.gateway = FakeGateway(self.failed)
        self._settings = Settings.model_validate({"FLOWGUARD_API_KEYS": api_keys or []})

    def settings(self) -> Settings:
        return self._settings

    def flowguard_app(self) -> FakeGateway:
        return self.gateway

    def catalog(self) -> FakeCatalog:
        return FakeCatalog()
