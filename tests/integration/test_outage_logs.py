"""With the broker down, the relay and the consumer say so once per interval, not once per
reconnect attempt (before: 942 lines of librdkafka's "Connection refused" in 60 s)."""

import os
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from tests.faults.harness import ROOT, wait_until
from tests.faults.seeder import environment

RUN_SECONDS = 8  # librdkafka retries a refused connection every 0.1-1 s: 8 to 80 attempts


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nobody listens once the socket is closed


def _seed(env: dict[str, str]) -> None:
    """Events in the relay's (SQLite) store, so that it has something to publish."""
    from application.commands import ClickEventInput, RecordClickEvents
    from entrypoints.bootstrap import create_container

    with environment(env):
        app = create_container().flowguard_app()
    events = tuple(
        ClickEventInput(session_id=f"outage-{n}", event_type="impression",
                        restaurant_id="rst_001", item_id="itm_0001", page="menu", position=n)
        for n in range(20)
    )  # fmt: skip
    assert app.record_click_events(RecordClickEvents(events, datetime.now(UTC))).accepted == 20
    app.close()


def test_a_broker_outage_is_logged_once_per_interval(tmp_path: Path) -> None:
    env = {**os.environ, "FLOWGUARD_LOCAL_DIR": str(tmp_path), "FLOWGUARD_DATA_DIR": str(tmp_path),
           "FLOWGUARD_EVENT_STORE": "sqlite", "FLOWGUARD_BUS": "kafka",
           "FLOWGUARD_WAREHOUSE": "fakesnow",
           "KAFKA_BOOTSTRAP_SERVERS": f"127.0.0.1:{_closed_port()}"}  # fmt: skip
    _seed(env)
    logs = {role: tmp_path / f"{role}.log" for role in ("relay", "consume")}
    processes = []
    for role, path in logs.items():
        with path.open("wb") as out:
            command = [sys.executable, "-m", "entrypoints.cli", role]
            processes.append(subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out))
    try:
        for path in logs.values():
            wait_until(lambda p=path: "Connection refused" in p.read_text(), 60,
                       f"{path.name} to meet the outage", diagnose=path.read_text)  # fmt: skip
        time.sleep(RUN_SECONDS)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(30)
    for path in logs.values():
        refused = [line for line in path.read_text().splitlines() if "Connection refused" in line]
        # Once from librdkafka's log line and once from its error callback, per 30 s.
        assert 1 <= len(refused) <= 4, "\n".join(refused)
        assert "Traceback" not in path.read_text()
