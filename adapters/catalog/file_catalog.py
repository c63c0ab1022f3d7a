"""FileCatalog: the Catalog port over the JSON reference data in `data/` (or any given lists)."""

import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from domain.catalog import FoodItem, Restaurant


class FileCatalog:
    """Loads restaurants.json and food_items.json once; lookups are dictionary reads."""

    def __init__(self, directory: Path) -> None:
        restaurants = map(_restaurant, _read(directory / "restaurants.json"))
        self._index(restaurants, map(_item, _read(directory / "food_items.json")))

    @classmethod
    def of(cls, restaurants: Iterable[Restaurant], items: Iterable[FoodItem]) -> "FileCatalog":
        """A catalog of the given reference data (tests, tools), with the same lookups."""
        catalog = cls.__new__(cls)
        catalog._index(restaurants, items)
        return catalog

    def _index(self, restaurants: Iterable[Restaurant], items: Iterable[FoodItem]) -> None:
        self._restaurants = {r.restaurant_id: r for r in restaurants}
        self._items = {i.item_id: i for i in items}

    def restaurants(self, city: str | None = None) -> list[Restaurant]:
        return [r for r in self._restaurants.values() if city is None or r.city == city]

    def restaurant(self, restaurant_id: str) -> Restaurant | None:
        return self._restaurants.get(restaurant_id)

    def items(
        self,
        restaurant_id: str | None = None,
        category: str | None = None,
        veg: bool | None = None,
        query: str | None = None,
    ) -> list[FoodItem]:
        needle = query.casefold() if query else None
        return [
            item
            for item in self._items.values()
            if restaurant_id in (None, item.restaurant_id)
            and (category is None or item.category.casefold() == category.casefold())
            and veg in (None, item.is_veg)
            and (needle is None or needle in _text(item))
        ]

    def item(self, item_id: str) -> FoodItem | None:
        return self._items.get(item_id)


def _read(path: Path) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    return rows


def _restaurant(row: dict[str, Any]) -> Restaurant:
    return Restaurant(
        restaurant_id=row["restaurant_id"],
        name=row["name"],
        city=row["city"],
        cuisines=tuple(row["cuisines"]),
        rating=Decimal(row["rating"]),
    )


def _item(row: dict[str, Any]) -> FoodItem:
    return FoodItem(
        item_id=row["item_id"],
        restaurant_id=row["restaurant_id"],
        name=row["name"],
        category=row["category"],
        cuisine=row["cuisine"],
        is_veg=bool(row["is_veg"]),
        price=Decimal(row["price"]),
    )


def _text(item: FoodItem) -> str:
    return f"{item.name} {item.category} {item.cuisine}".casefold()
