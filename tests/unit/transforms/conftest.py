"""Shared fixtures for the transform tests: one small local Spark session and catalog frames."""

from collections.abc import Iterator

import pytest
from pyspark.sql import DataFrame, SparkSession

from tests.unit.transforms.rows import ITEMS, RESTAURANTS, catalog_frames
from tests.unit.transforms.scenario import Built, build_day


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    session = (
        SparkSession.builder.master("local[2]")
        .appName("flowguard-transform-tests")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.driver.memory", "1g")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    yield session
    session.stop()


@pytest.fixture(scope="session")
def catalog(spark: SparkSession) -> tuple[DataFrame, DataFrame]:
    return catalog_frames(spark, RESTAURANTS, ITEMS)


@pytest.fixture(scope="session")
def built(spark: SparkSession, catalog: tuple[DataFrame, DataFrame]) -> Built:
    return build_day(spark, catalog)
