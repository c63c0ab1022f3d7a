"""Hand-written fakes and builders for the application tests."""

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from adapters.catalog.file_catalog import FileCatalog
from application.app import FlowGuardApp
from application.commands import OrderLineRequest, PlaceOrder
from application.results import FailedEvent
from domain.catalog import FoodItem, Restaurant

NOW = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)


def FakeCatalog() -> FileCatalog:  # noqa: N802 - used like the class it used to be
    """The file adapter over two restaurants and three items: its own lookups, no copy."""
    return FileCatalog.of(
        [
            Restaurant("rst_1", "Udupi Bhavan", "Bengaluru", ("South Indian",), Decimal("4.4")),
            Restaurant("rst_2", "Chowpatty", "Mumbai", ("Street Food",), Decimal("4.1")),
        ],
        [
            FoodItem("itm_1", "rst_1", "Masala Dosa", "Mains", "South", True, Decimal("120")),
            FoodItem("itm_2", "rst_1", "Filter Coffee", "Drinks", "South", True, Decimal("40")),
            FoodItem("itm_9", "rst_2", "Vada Pav", "Snacks", "Street", True, Decimal("35.5")),
        ],
    )


class FakeFailedEventStore:
    """Keeps each failed event once by its id, as the SQL stores do (a retried write stores
    nothing twice); `attempts` holds the ids of every `add`, kept or not."""

    def __init__(self) -> None:
        self.events: list[FailedEvent] = []
        self.attempts: list[list[UUID]] = []

    def add(self, events: Sequence[FailedEvent]) -> None:
        self.attempts.append([e.failed_id for e in events])
        kept = {e.failed_id for e in self.events}
        self.events.extend(e for e in events if e.failed_id not in kept)

    def list(self, limit: int = 100, offset: int = 0) -> list[FailedEvent]:
        return self.events[::-1][offset : offset + limit]

    def count(self) -> int:
        return len(self.events)


class BrokenFailedEventStore(FakeFailedEventStore):
    """A failed-event store that cannot write while `down` (a locked or lost database)."""

    def __init__(self) -> None:
        super().__init__()
        self.down = True

    def add(self, events: Sequence[FailedEvent]) -> None:
        if self.down:
            self.attempts.append([e.failed_id for e in events])
            raise OSError("database is locked")
        super().add(events)


def make_app(
    *, group_commit: bool = True, failed_events: FakeFailedEventStore | None = None
) -> FlowGuardApp:
    return FlowGuardApp(
        {"PERSISTENCE_MODULE": "eventsourcing.popo"},
        catalog=FakeCatalog(),
        failed_events=FakeFailedEventStore() if failed_events is None else failed_events,
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


def reads_of(app: FlowGuardApp) -> list[UUID]:
    """The ids the app reads from its event store from now on (a wrapper, not a mock: every
    read still reaches the store)."""
    reads: list[UUID] = []
    repository = app.repository
    get = repository.get

    def reading(aggregate_id: UUID, *args: Any, **kwargs: Any) -> Any:
        reads.append(aggregate_id)
        return get(aggregate_id, *args, **kwargs)

    repository.get = reading  # type: ignore[method-assign]
    return reads
