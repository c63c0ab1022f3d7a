"""The `pipeline` fixtures: an isolated relay + consumer pipeline on the shared services, with
topics of 3 partitions (`pipeline`) or 6 (`wide_pipeline`, for consumer groups)."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.snowflake.connection import SnowflakeConfig
from tests.faults.harness import Pipeline, drop_database


def _pipeline(
    postgres_dsn: str,
    kafka_bootstrap: str,
    fakesnow: SnowflakeConfig,
    workdir: Path,
    partitions: int,
) -> Iterator[Pipeline]:
    assert fakesnow.host, "the fakesnow server is not configured"
    assert fakesnow.port, "the fakesnow server is not configured"
    built = Pipeline(postgres_dsn, kafka_bootstrap, fakesnow.host, fakesnow.port, workdir,
                     partitions=partitions)  # fmt: skip
    yield built
    built.stop_all()
    drop_database(postgres_dsn, built.database)
    built.delete_topics()


@pytest.fixture
def pipeline(
    postgres_dsn: str, kafka_bootstrap: str, fakesnow_server: SnowflakeConfig, tmp_path: Path
) -> Iterator[Pipeline]:
    yield from _pipeline(postgres_dsn, kafka_bootstrap, fakesnow_server, tmp_path, 3)


@pytest.fixture
def wide_pipeline(
    postgres_dsn: str, kafka_bootstrap: str, fakesnow_server: SnowflakeConfig, tmp_path: Path
) -> Iterator[Pipeline]:
    yield from _pipeline(postgres_dsn, kafka_bootstrap, fakesnow_server, tmp_path, 6)
