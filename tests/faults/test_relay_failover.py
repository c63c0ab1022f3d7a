"""Two relays on one PostgreSQL event store: one publishes under the lease, the other stands by.
SIGKILL the active one and the standby takes over, losing nothing (what it re-sends, BRONZE
keeps once); a relay whose lease is taken from it stops publishing. SQLite refuses a second."""

import os
import re
import signal
import socket
import subprocess
import threading
from datetime import datetime
from pathlib import Path

import psycopg

from tests.faults.harness import PYTHON, ROOT, Pipeline, check, wait_for_quiescence, wait_until
from tests.faults.metrics import scrape
from tests.faults.seeder import Seeder


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Relay:
    def __init__(self, pipeline: Pipeline, name: str) -> None:
        self.pipeline = pipeline
        self.name = name
        self.port = _free_port()
        self.process = pipeline.start_relay("--metrics-port", str(self.port), name=name)

    def metric(self, name: str) -> float:
        return scrape(self.port).get(name, -1.0)

    def holds_lease(self) -> bool:
        return self.metric("flowguard_relay_lease_held") == 1.0

    def standing_by(self) -> bool:
        return "standing by" in self.pipeline.log(self.name)

    def published(self) -> float:
        return self.metric("flowguard_relay_published_total")

    def took_lease_at(self) -> datetime:
        lines = [
            line
            for line in self.pipeline.log(self.name).splitlines()
            if "holding the lease" in line
        ]
        return datetime.strptime(lines[-1][:23], "%Y-%m-%d %H:%M:%S,%f")


def _start_pair(pipeline: Pipeline) -> tuple[Relay, Relay]:
    active = Relay(pipeline, "relay-a")
    wait_until(
        active.holds_lease,
        60,
        "relay-a to hold the lease",
        diagnose=lambda: pipeline.log("relay-a"),
    )
    standby = Relay(pipeline, "relay-b")
    wait_until(
        standby.standing_by, 60, "relay-b to stand by", diagnose=lambda: pipeline.log("relay-b")
    )
    return active, standby


def test_the_standby_takes_over_within_ten_seconds_of_a_sigkill_and_nothing_is_lost(
    pipeline: Pipeline,
) -> None:
    seeder = Seeder(pipeline)
    seeder.seed(200)
    active, standby = _start_pair(pipeline)
    pipeline.start_consumer()
    flowing = threading.Event()
    flowing.set()
    writer = threading.Thread(target=seeder.seed_while, args=(flowing,))
    writer.start()
    try:
        wait_until(lambda: active.published() > 200, 60, "relay-a to publish")
        assert standby.published() == 0
        active.process.send_signal(signal.SIGKILL)
        killed_at = datetime.now()
        wait_until(
            standby.holds_lease,
            60,
            "relay-b to take the lease",
            diagnose=lambda: pipeline.log("relay-b"),
        )
        wait_until(lambda: standby.published() > 0, 60, "relay-b to publish")
    finally:
        flowing.clear()
        writer.join()
    takeover = (standby.took_lease_at() - killed_at).total_seconds()
    print(f"relay takeover: {takeover:.2f} s from SIGKILL to the standby holding the lease")
    assert takeover < 10

    wait_for_quiescence(pipeline, seeder.next, timeout=90)
    verdict = check(pipeline.stored_envelopes(), pipeline.bronze_rows())
    seeder.close()
    assert verdict.ok, verdict
    assert verdict.rows == verdict.expected == seeder.next


def _terminate_lease_session(pipeline: Pipeline) -> int:
    """What a network partition or a DBA does: the active relay's lease session ends."""
    database = pipeline.database.rsplit("/", 1)[-1]
    with psycopg.connect(pipeline.dsn, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_database d "
            "ON d.oid = l.database WHERE l.locktype = 'advisory' AND d.datname = %s "
            "AND l.granted",
            (database,),
        ).fetchall()
    return len(rows)


def test_a_relay_that_lost_its_lease_stops_publishing(pipeline: Pipeline) -> None:
    seeder = Seeder(pipeline)
    seeder.seed(100)
    active, standby = _start_pair(pipeline)
    pipeline.start_consumer()
    wait_until(lambda: active.published() >= 100, 60, "relay-a to publish")

    assert _terminate_lease_session(pipeline) == 1
    seeder.seed(100)  # relay-a must check its lease before publishing these: it lost it
    wait_until(
        standby.holds_lease,
        60,
        "relay-b to take the lease",
        diagnose=lambda: pipeline.log("relay-b"),
    )
    wait_until(
        lambda: "stopped publishing and standing by" in pipeline.log("relay-a"), 60,
        "relay-a to notice", diagnose=lambda: pipeline.log("relay-a"),
    )  # fmt: skip
    published_by_a = active.published()
    assert not active.holds_lease()
    assert active.process.poll() is None  # alive, standing by

    seeder.seed(300)
    wait_for_quiescence(pipeline, seeder.next, timeout=90)
    assert active.published() == published_by_a  # nothing more from the relay without lease
    assert standby.published() >= 300
    verdict = check(pipeline.stored_envelopes(), pipeline.bronze_rows())
    seeder.close()
    assert verdict.ok, verdict
    assert verdict.rows == verdict.expected == seeder.next


def test_sqlite_keeps_a_single_relay_and_refuses_a_second_one(tmp_path: Path) -> None:
    env = {**os.environ, "FLOWGUARD_LOCAL_DIR": str(tmp_path), "FLOWGUARD_DATA_DIR": str(tmp_path),
           "FLOWGUARD_EVENT_STORE": "sqlite", "FLOWGUARD_BUS": "inprocess"}  # fmt: skip
    command = [PYTHON, "-m", "entrypoints.cli", "relay"]
    log = (tmp_path / "first.log").open("wb")
    first = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        wait_until(
            lambda: "holding the lease" in (tmp_path / "first.log").read_text(), 60,
            "the first relay to start", diagnose=(tmp_path / "first.log").read_text,
        )  # fmt: skip
        second = subprocess.run(
            command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False
        )
    finally:
        first.terminate()
        first.wait(30)
    assert second.returncode == 2
    assert re.search(
        r"already publishes from this SQLite store .*SQLite runs a single relay", second.stderr
    )
    assert f"pid {first.pid}" in second.stderr
    assert "Traceback" not in second.stderr
