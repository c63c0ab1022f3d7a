"""What the Luigi tasks of one process depend on, as one typed object: `BatchContext`.

Why a process-wide slot rather than constructor injection: Luigi builds tasks from their
parameters alone. `requires()` constructs the upstream tasks, Luigi caches instances by parameter
values, and a worker re-creates tasks the scheduler names; a dependency passed as a parameter
would have to be serialisable and would become part of the task's identity. So the composition
root (`entrypoints/bootstrap.py`) builds the context, the entry point installs it once
(`use_container`), and tasks read it through `current()`. Nothing here creates a container:
a task run without one installed fails, naming what is missing."""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from pyspark.sql import SparkSession

from application.ports import Catalog
from entrypoints.bootstrap import Container
from entrypoints.settings import WarehouseKind
from pipelines.jobs.catalog import CatalogRows
from pipelines.jobs.extract import input_fingerprint
from pipelines.jobs.lake import Lake
from pipelines.jobs.tables import Tables


@dataclass
class BatchContext:
    """The lake, the warehouse's tables, Spark and the catalog, plus a fingerprint cache."""

    lake: Lake
    tables: Tables
    catalog: Catalog
    start_spark: Callable[[], SparkSession]
    # False for the embedded warehouse: its DuckDB files admit one process.
    shared_warehouse: bool = True
    _fingerprints: dict[date, dict[str, Any]] = field(default_factory=dict)
    _spark_lock: threading.Lock = field(default_factory=threading.Lock)

    def spark(self) -> SparkSession:
        # Worker threads may ask at once: dependency-injector would start the Resource twice, and
        # the losing generator, once garbage-collected, stops the shared session in its `finally`.
        with self._spark_lock:
            return self.start_spark()

    @cached_property
    def catalog_rows(self) -> CatalogRows:
        """The catalog port's restaurants and items, in the transforms' column names."""
        return _catalog_rows(self.catalog)

    # complete() runs for every task of every day at scheduling time and again before each run:
    # the warehouse is asked once per day per build, and Extract refreshes the entry it measured.
    def current_fingerprint(self, day: date) -> dict[str, Any]:
        if day not in self._fingerprints:
            self._fingerprints[day] = input_fingerprint(self.tables, day)
        return self._fingerprints[day]

    def remember_fingerprint(self, day: date, fingerprint: dict[str, Any]) -> None:
        self._fingerprints[day] = fingerprint

    @contextmanager
    def fresh_fingerprints(self) -> Iterator[None]:
        """One build: forget what the warehouse said before, so late data is seen."""
        self._fingerprints.clear()
        try:
            yield
        finally:
            self._fingerprints.clear()


def from_container(container: Container) -> BatchContext:
    """The context the composition root's providers describe."""
    return BatchContext(
        lake=Lake.from_uri(container.settings().lake_uri),
        tables=container.batch_tables(),
        catalog=container.catalog(),
        start_spark=container.spark,
        shared_warehouse=container.settings().warehouse != WarehouseKind.FAKESNOW,
    )


_installed: list[BatchContext] = []
_install_lock = threading.Lock()


def install(context: BatchContext) -> None:
    with _install_lock:
        _installed[:] = [context]


def use_container(container: Container) -> None:
    """Install the context of `container` for this process's tasks (the CLI, the demo, tests)."""
    install(from_container(container))


def current() -> BatchContext:
    """The installed context; a task run outside an entry point gets a clear error."""
    with _install_lock:
        if not _installed:
            raise RuntimeError(
                "no batch context installed: an entry point calls "
                "pipelines.tasks.context.use_container(container) before running tasks"
            )
        return _installed[0]


def _catalog_rows(catalog: Catalog) -> CatalogRows:
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
