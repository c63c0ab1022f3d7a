"""Ports: the interfaces the use cases need. Adapters in `adapters/<tech>/` implement them.

Each section below is owned by one area of work; keep edits inside your section.
"""

from __future__ import annotations

# --- Catalog, failed events, idempotency (domain and gateway) -------------------------------
from collections.abc import Sequence
from typing import Protocol

from application.results import FailedEvent
from domain.catalog import FoodItem, Restaurant


class Catalog(Protocol):
    """Reference data: restaurants and their food items with INR prices."""

    def restaurants(self, city: str | None = None) -> list[Restaurant]: ...

    def restaurant(self, restaurant_id: str) -> Restaurant | None: ...

    def items(
        self,
        restaurant_id: str | None = None,
        category: str | None = None,
        veg: bool | None = None,
        query: str | None = None,
    ) -> list[FoodItem]:
        """Items matching every given filter; `query` is a case-insensitive substring of the
        name, category or cuisine."""
        ...

    def item(self, item_id: str) -> FoodItem | None: ...


class FailedEventStore(Protocol):
    """Keeps rejected inputs (invalid click events) so nothing the client sent disappears."""

    def add(self, events: Sequence[FailedEvent]) -> None: ...

    def list(self, limit: int = 100, offset: int = 0) -> list[FailedEvent]:
        """Newest first."""
        ...

    def count(self) -> int: ...


# --- Event publishing and BRONZE loading (streaming) ----------------------------------------
