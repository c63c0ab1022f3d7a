"""The Kafka broker stops for 10 s while events flow: the relay waits and resumes, nothing is
skipped, and BRONZE ends up with every event once. Uses a private broker, never the shared one."""

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from adapters.snowflake.connection import SnowflakeConfig
from tests.faults.broker import PrivateBroker
from tests.faults.harness import (
    Pipeline,
    check,
    drop_database,
    wait_for_quiescence,
)
from tests.faults.seeder import Seeder


@pytest.fixture
def broker(tmp_path: Path) -> Iterator[PrivateBroker]:
    private = PrivateBroker(tmp_path / "broker")
    private.start()
    yield private
    private.stop()


def test_a_ten_second_broker_outage_loses_and_duplicates_nothing(
    postgres_dsn: str, broker: PrivateBroker, fakesnow_server: SnowflakeConfig, tmp_path: Path
) -> None:
    assert fakesnow_server.host, "the fakesnow server is not configured"
    pipeline = Pipeline(
        postgres_dsn, broker.bootstrap, fakesnow_server.host, fakesnow_server.port or 0, tmp_path
    )
    try:
        seeder = Seeder(pipeline)
        pipeline.start_relay()
        pipeline.start_consumer()
        flowing = threading.Thread(target=seeder.seed_for, args=(12.0,))
        flowing.start()
        time.sleep(3)
        broker.stop()
        time.sleep(10)
        broker.start()
        flowing.join()
        wait_for_quiescence(pipeline, seeder.next, timeout=60)
        verdict = check(pipeline.stored_envelopes(), pipeline.bronze_rows(), seeder.acknowledged)
        seeder.close()
        assert verdict.ok, verdict
        assert verdict.rows == verdict.expected == len(seeder.acknowledged) == seeder.next
    finally:
        pipeline.stop_all()
        drop_database(postgres_dsn, pipeline.database)
