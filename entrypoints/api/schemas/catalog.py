"""Driving adapter, wire format of the catalog (reference data, read-only)."""

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class RestaurantOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    restaurant_id: str = Field(examples=["rst_001"])
    name: str
    city: str
    cuisines: list[str]
    rating: Decimal


class FoodItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    item_id: str = Field(examples=["itm_0001"])
    restaurant_id: str
    name: str
    category: str
    cuisine: str
    is_veg: bool
    price: Decimal = Field(description="INR, 2 decimal places.")


class RestaurantListOut(BaseModel):
    restaurants: list[RestaurantOut]


class FoodItemListOut(BaseModel):
    items: list[FoodItemOut]
