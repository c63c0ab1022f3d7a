"""What the Luigi tasks share in one process: the container, the lake, and a fingerprint cache.

Tasks are built by Luigi from their parameters alone, so they reach the composition root here;
the CLI installs its container with `use_container` before building."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from entrypoints.bootstrap import Container, create_container
from pipelines.jobs.catalog import CatalogRows
from pipelines.jobs.extract import input_fingerprint
from pipelines.jobs.lake import Lake
from pipelines.jobs.tables import Tables

_state: dict[str, Any] = {}
_lock = threading.Lock()
_spark_lock = threading.Lock()


def use_container(container: Container) -> None:
    with _lock:
        _state.clear()
        _state["container"] = container


def container() -> Container:
    with _lock:
        if "container" not in _state:
            _state["container"] = create_container()
        return _state["container"]  # type: ignore[no-any-return]


def lake() -> Lake:
    return Lake(container().settings().lake_dir)


def tables() -> Tables:
    return container().batch_tables()


def spark() -> Any:
    # Worker threads may ask at once: dependency-injector would start the Resource twice, and
    # the losing generator, once garbage-collected, stops the shared session in its `finally`.
    with _spark_lock:
        return container().spark()


def catalog_rows() -> CatalogRows:
    """The catalog port's restaurants and items, in the transforms' column names."""
    with _lock:
        if "catalog" not in _state:
            _state["catalog"] = _catalog_rows(_state.get("container") or create_container())
        return _state["catalog"]  # type: ignore[no-any-return]


# --- input fingerprints --------------------------------------------------------------------
# complete() runs for every task of every day at scheduling time and again before each run;
# the warehouse is asked once per day per build, and Extract refreshes the entry it measured.


def current_fingerprint(day: date) -> dict[str, Any]:
    cache = _state.setdefault("fingerprints", {})
    if day not in cache:
        cache[day] = input_fingerprint(tables(), day)
    return cache[day]  # type: ignore[no-any-return]


def remember_fingerprint(day: date, fingerprint: dict[str, Any]) -> None:
    _state.setdefault("fingerprints", {})[day] = fingerprint


@contextmanager
def fresh_fingerprints() -> Iterator[None]:
    """One build: forget what the warehouse said before, so late data is seen."""
    _state.pop("fingerprints", None)
    try:
        yield
    finally:
        _state.pop("fingerprints", None)


def _catalog_rows(built: Container) -> CatalogRows:
    catalog = built.catalog()
    restaurants = [
        {
            "RESTAURANT_ID": shop.restaurant_id,
            "RESTAURANT_NAME": shop.name,
            "CITY": shop.city,
            "CUISINE": shop.cuisines[0] if shop.cuisines else None,
        }
        for shop in catalog.restaurants()
    ]
    items = [
        {
            "ITEM_ID": item.item_id,
            "RESTAURANT_ID": item.restaurant_id,
            "ITEM_NAME": item.name,
            "CATEGORY": item.category,
            "CUISINE": item.cuisine,
            "IS_VEG": item.is_veg,
            "PRICE": item.price,
        }
        for item in catalog.items()
    ]
    return CatalogRows(restaurants, items)
