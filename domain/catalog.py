"""Catalog value objects: the restaurants and food items an order or click refers to."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Restaurant:
    restaurant_id: str
    name: str
    city: str
    cuisines: tuple[str, ...]
    rating: Decimal


@dataclass(frozen=True)
class FoodItem:
    item_id: str
    restaurant_id: str
    name: str
    category: str
    cuisine: str
    is_veg: bool
    price: Decimal  # INR, 2 decimal places
