"""The `pipeline` fixture: an isolated relay + consumer pipeline on the shared services."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.snowflake.connection import SnowflakeConfig
from tests.faults.harness import Pipeline, drop_database


@pytest.fixture
def pipeline(
    postgres_dsn: str, kafka_bootstrap: str, fakesnow_server: SnowflakeConfig, tmp_path: Path
) -> Iterator[Pipeline]:
    assert fakesnow_server.host, "the fakesnow server is not configured"
    assert fakesnow_server.port, "the fakesnow server is not configured"
    built = Pipeline(
        postgres_dsn, kafka_bootstrap, fakesnow_server.host, fakesnow_server.port, tmp_path
    )
    yield built
    built.stop_all()
    drop_database(postgres_dsn, built.database)
    built.delete_topics()
