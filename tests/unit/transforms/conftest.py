"""Shared fixtures for the transform tests: one small local Spark session and catalog frames."""

from collections.abc import Iterator

import pytest
from pyspark.sql import DataFrame, SparkSession

from tests.support.spark import local_spark
from tests.unit.transforms.rows import ITEMS, RESTAURANTS, catalog_frames
from tests.unit.transforms.scenario import Built, build_day


@pytest.fixture(scope="session")
def spark() -> Iterator[SparkSession]:
    session = local_spark()
    yield session
    session.stop()


@pytest.fixture(scope="session")
def catalog(spark: SparkSession) -> tuple[DataFrame, DataFrame]:
    return catalog_frames(spark, RESTAURANTS, ITEMS)


@pytest.fixture(scope="session")
def built(spark: SparkSession, catalog: tuple[DataFrame, DataFrame]) -> Built:
    return build_day(spark, catalog)
