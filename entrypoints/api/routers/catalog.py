"""Driving adapter, catalog: restaurants and food items (read-only reference data)."""

from typing import Annotated

from fastapi import APIRouter, Query

from application.errors import NotFound
from entrypoints.api.deps import CatalogDep
from entrypoints.api.openapi import problem_responses
from entrypoints.api.routers import API_PREFIX
from entrypoints.api.schemas.catalog import (
    FoodItemListOut,
    FoodItemOut,
    RestaurantListOut,
    RestaurantOut,
)
from entrypoints.api.schemas.common import Id, Text

router = APIRouter(prefix=f"{API_PREFIX}/catalog", tags=["catalog"])
Filter = Annotated[Id | None, Query()]
Search = Annotated[Text | None, Query(min_length=1, max_length=64)]


@router.get("/restaurants", responses=problem_responses(422))
def list_restaurants(catalog: CatalogDep, city: Search = None) -> RestaurantListOut:
    restaurants = [RestaurantOut.model_validate(r) for r in catalog.restaurants(city)]
    return RestaurantListOut(restaurants=restaurants)


@router.get("/items", responses=problem_responses(422))
def list_items(
    catalog: CatalogDep,
    restaurant_id: Filter = None,
    category: Search = None,
    veg: bool | None = None,
    q: Search = None,
) -> FoodItemListOut:
    """Items matching every given filter; `q` searches name, category and cuisine."""
    items = catalog.items(restaurant_id=restaurant_id, category=category, veg=veg, query=q)
    return FoodItemListOut(items=[FoodItemOut.model_validate(i) for i in items])


@router.get("/items/{item_id}", responses=problem_responses(404))
def get_item(item_id: str, catalog: CatalogDep) -> FoodItemOut:
    item = catalog.item(item_id)
    if item is None:
        raise NotFound(f"no food item {item_id!r}")
    return FoodItemOut.model_validate(item)
