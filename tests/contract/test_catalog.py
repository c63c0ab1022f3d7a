"""Catalog contract: the file adapter over the committed reference data."""

from decimal import Decimal

import pytest

from adapters.catalog.file_catalog import FileCatalog
from entrypoints.settings import PROJECT_ROOT


@pytest.fixture(scope="module")
def catalog() -> FileCatalog:
    return FileCatalog(PROJECT_ROOT / "data")


def test_reference_data_is_large_enough(catalog: FileCatalog) -> None:
    restaurants = catalog.restaurants()
    assert len(restaurants) >= 20
    assert len({r.city for r in restaurants}) >= 3
    assert len(catalog.items()) >= 300


def test_every_item_belongs_to_a_known_restaurant_and_has_a_price(catalog: FileCatalog) -> None:
    for item in catalog.items():
        assert catalog.restaurant(item.restaurant_id) is not None
        assert item.price > 0
        assert item.price == item.price.quantize(Decimal("0.01"))
        assert item.category
        assert item.cuisine


def test_items_filter_by_restaurant_category_veg_and_text(catalog: FileCatalog) -> None:
    first = catalog.restaurants()[0]
    mine = catalog.items(restaurant_id=first.restaurant_id)
    assert mine
    assert {i.restaurant_id for i in mine} == {first.restaurant_id}
    assert all(i.is_veg for i in catalog.items(veg=True))
    assert not any(i.is_veg for i in catalog.items(veg=False))
    assert {i.category for i in catalog.items(category="desserts")} == {"Desserts"}
    assert all("dosa" in i.name.lower() for i in catalog.items(query="DOSA"))
    assert catalog.items(query="DOSA")


def test_lookups_by_id(catalog: FileCatalog) -> None:
    item = catalog.items()[0]
    assert catalog.item(item.item_id) == item
    assert catalog.item("itm_missing") is None
    assert catalog.restaurant("rst_missing") is None
    assert catalog.restaurants(city="Mumbai")
    assert all(r.city == "Mumbai" for r in catalog.restaurants(city="Mumbai"))
