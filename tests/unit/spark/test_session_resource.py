"""The Spark resource stops the shared session on shutdown, never when merely collected."""

import gc
from contextlib import contextmanager
from typing import Any

from adapters.spark.session import SparkConfig, spark_session


class FakeSession:
    def __init__(self) -> None:
        self.stops = 0

    def stop(self) -> None:
        self.stops += 1


def test_shutdown_stops_the_session() -> None:
    session: Any = FakeSession()
    resource: Any = contextmanager(spark_session)(SparkConfig(), build=lambda _: session)
    with resource as started:
        assert started is session
    assert session.stops == 1


def test_a_collected_resource_leaves_the_shared_session_running() -> None:
    session: Any = FakeSession()
    generator = spark_session(SparkConfig(), build=lambda _: session)
    next(generator)
    del generator
    gc.collect()
    assert session.stops == 0
