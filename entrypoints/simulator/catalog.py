"""The catalog as the simulator sees it: restaurants and priced items, read from the API."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class SimRestaurant:
    restaurant_id: str
    city: str


@dataclass(frozen=True)
class SimItem:
    item_id: str
    restaurant_id: str
    price: Decimal


@dataclass(frozen=True)
class SimCatalog:
    restaurants: tuple[SimRestaurant, ...]
    items: tuple[SimItem, ...]

    def cities(self) -> list[str]:
        return sorted({r.city for r in self.restaurants})

    def restaurants_in(self, city: str) -> list[SimRestaurant]:
        return [r for r in self.restaurants if r.city == city and self.menu(r.restaurant_id)]

    def menu(self, restaurant_id: str) -> list[SimItem]:
        return self._menus().get(restaurant_id, [])

    def _menus(self) -> dict[str, list[SimItem]]:
        # Cached by hand because frozen dataclasses cannot hold a functools cache attribute.
        cache = self.__dict__.get("_menu_cache")
        if cache is None:
            cache = {}
            for item in self.items:
                cache.setdefault(item.restaurant_id, []).append(item)
            object.__setattr__(self, "_menu_cache", cache)
        return cache


def catalog_from_json(
    restaurants: Sequence[Mapping[str, Any]], items: Sequence[Mapping[str, Any]]
) -> SimCatalog:
    """Build the catalog from the API's `/catalog/restaurants` and `/catalog/items` bodies."""
    return SimCatalog(
        restaurants=tuple(
            SimRestaurant(str(r["restaurant_id"]), str(r.get("city", "unknown")))
            for r in sorted(restaurants, key=lambda r: str(r["restaurant_id"]))
        ),
        items=tuple(
            SimItem(str(i["item_id"]), str(i["restaurant_id"]), Decimal(str(i["price"])))
            for i in sorted(items, key=lambda i: str(i["item_id"]))
        ),
    )
