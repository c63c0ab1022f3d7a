"""The broker restarts while events flow and the consumer is behind. `flowguard services down
kafka` then `up kafka` keeps the topics' messages and the group's offsets, so nothing is lost and
nothing is re-sent. A broker that comes back empty (its storage formatted anew: a new cluster id
on the same address, as every `services up` did before) is noticed: the relay publishes
everything again and the consumer starts over on the new cluster, so BRONZE still ends with
every event once."""

import os
import shutil
import subprocess
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from confluent_kafka.admin import AdminClient

from adapters.snowflake.connection import SnowflakeConfig
from entrypoints.services.kafka import BOOTSTRAP_VAR
from tests.faults.broker import kafka_libs
from tests.faults.harness import (
    PYTHON,
    ROOT,
    Pipeline,
    check,
    create_topics,
    drop_database,
    wait_for_quiescence,
    wait_until,
)
from tests.faults.seeder import Seeder


class LocalServices:
    """`python -m entrypoints.services` on a local directory of the test's own."""

    def __init__(self, local_dir: Path) -> None:
        self.local_dir = local_dir
        (local_dir / "kafka").mkdir(parents=True)
        (local_dir / "kafka" / "libs").symlink_to(kafka_libs())
        self.env = {k: v for k, v in os.environ.items() if k != BOOTSTRAP_VAR}
        self.env["FLOWGUARD_LOCAL_DIR"] = str(local_dir)

    def run(self, *args: str) -> None:
        command = [PYTHON, "-m", "entrypoints.services", *args]
        done = subprocess.run(command, cwd=ROOT, env=self.env, capture_output=True, text=True,
                              timeout=180, check=False)  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr

    def restart(self, keep_data: bool) -> None:
        self.run("down", "kafka")
        if not keep_data:
            shutil.rmtree(self.local_dir / "kafka" / "data")
        self.run("up", "kafka")

    def bootstrap(self) -> str:
        lines = (self.local_dir / "services.env").read_text().splitlines()
        return next(line.split("=", 1)[1] for line in lines if line.startswith(BOOTSTRAP_VAR))

    def log(self) -> str:
        return (self.local_dir / "kafka" / "kafka.log").read_text(errors="replace")


@pytest.fixture
def services(tmp_path: Path) -> Iterator[LocalServices]:
    local = LocalServices(tmp_path / "services")
    local.run("up", "kafka")
    yield local
    local.run("down", "kafka")


def _cluster(bootstrap: str) -> str:
    return str(AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=10).cluster_id)


def _confirmed_on_bus(pipeline: Pipeline) -> int:
    """How many messages the relay has recorded as confirmed on the bus (its marks)."""
    with psycopg.connect(pipeline.database, autocommit=True) as connection:
        row = connection.execute("SELECT marks FROM flowguard_relay_lease").fetchone()
    return sum((row[0] or {}).values()) if row else 0


def _restart_behind(pipeline: Pipeline, seeder: Seeder, restart: Callable[[], None]) -> None:
    """As in the kill-and-count run of issue 23: the consumer is behind, the relay is past the
    events it has not loaded yet, and the broker restarts while events keep coming."""
    seeder.seed(150)  # on the bus, not in BRONZE
    wait_until(lambda: _confirmed_on_bus(pipeline) >= seeder.next, 60, "the relay to confirm them")
    flowing = threading.Thread(target=seeder.seed_for, args=(4.0,))
    flowing.start()
    restart()
    flowing.join()
    consumer = pipeline.start_consumer()
    wait_for_quiescence(pipeline, seeder.next, timeout=120)
    verdict = check(pipeline.stored_envelopes(), pipeline.bronze_rows())
    assert verdict.ok, verdict
    assert verdict.rows == verdict.expected == seeder.next
    consumer.terminate()
    assert consumer.wait(30) == 0


def test_a_restarted_broker_keeps_its_data_and_one_formatted_anew_is_noticed(
    services: LocalServices, postgres_dsn: str, fakesnow_server: SnowflakeConfig, tmp_path: Path
) -> None:
    assert fakesnow_server.host, "the fakesnow server is not configured"
    bootstrap = services.bootstrap()
    cluster = _cluster(bootstrap)
    pipeline = Pipeline(
        postgres_dsn, bootstrap, fakesnow_server.host, fakesnow_server.port or 0, tmp_path
    )
    try:
        seeder = Seeder(pipeline)
        seeder.seed(150)
        pipeline.start_relay()
        consumer = pipeline.start_consumer()
        wait_for_quiescence(pipeline, seeder.next, timeout=90)  # the group committed offsets
        consumer.terminate()
        assert consumer.wait(30) == 0

        # `services down kafka`, then `up kafka`: the same storage, messages and offsets.
        _restart_behind(pipeline, seeder, lambda: services.restart(keep_data=True))
        assert services.bootstrap() == bootstrap
        assert _cluster(bootstrap) == cluster
        assert services.log().count("flowguard services: starting kafka") == 2  # appended
        assert "publishing every event again" not in pipeline.log("relay")

        # What `services up` did before: the storage formatted anew, a new cluster id.
        def format_anew() -> None:
            services.restart(keep_data=False)
            create_topics(bootstrap, pipeline.topics)

        _restart_behind(pipeline, seeder, format_anew)
        assert _cluster(bootstrap) != cluster
        assert "publishing every event again from the first" in pipeline.log("relay")
        seeder.close()
    finally:
        pipeline.stop_all()
        drop_database(postgres_dsn, pipeline.database)
