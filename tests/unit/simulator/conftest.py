"""A small hand-written catalog: three cities, twelve restaurants, ten items each."""

from decimal import Decimal

import pytest

from entrypoints.simulator.catalog import SimCatalog, SimItem, SimRestaurant


def small_catalog() -> SimCatalog:
    restaurants = tuple(
        SimRestaurant(f"rest-{n:02d}", ("Bengaluru", "Mumbai", "Delhi")[n % 3]) for n in range(12)
    )
    items = tuple(
        SimItem(f"item-{r:02d}-{i:02d}", f"rest-{r:02d}", Decimal(99 + 20 * i) + Decimal("0.50"))
        for r in range(12)
        for i in range(10)
    )
    return SimCatalog(restaurants, items)


@pytest.fixture
def catalog() -> SimCatalog:
    return small_catalog()
