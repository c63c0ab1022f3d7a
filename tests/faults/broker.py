"""A private single-node KRaft Kafka broker for tests that stop and restart the broker.

The shared broker from `flowguard services up` must never be stopped by a test, so the outage
test starts its own from the same jars (infra/kafka/fetch-jars.sh).
"""

import os
import shutil
import socket
import subprocess
import time
import uuid
from pathlib import Path

from confluent_kafka.admin import AdminClient, NewTopic

ROOT = Path(__file__).resolve().parents[2]


def kafka_libs() -> Path:
    local = Path(os.environ.get("FLOWGUARD_LOCAL_DIR", ROOT / ".local"))
    libs = local / "kafka" / "libs"
    if not (libs / ".resolved").exists():
        subprocess.run(["bash", str(ROOT / "infra/kafka/fetch-jars.sh")], check=True)
    return libs


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class PrivateBroker:
    """Formats a KRaft log dir once; `start` and `stop` may be called repeatedly."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.controller_port = free_port()
        self.bootstrap = f"127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None
        self._classpath = f"{kafka_libs()}/*"
        self._config = self._write_config()
        self._format()

    def _write_config(self) -> Path:
        shutil.rmtree(self.workdir, ignore_errors=True)
        (self.workdir / "logs").mkdir(parents=True)
        lines = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.quorum.voters": f"1@127.0.0.1:{self.controller_port}",
            "listeners": f"PLAINTEXT://127.0.0.1:{self.port},"
            f"CONTROLLER://127.0.0.1:{self.controller_port}",
            "advertised.listeners": f"PLAINTEXT://127.0.0.1:{self.port}",
            "controller.listener.names": "CONTROLLER",
            "listener.security.protocol.map": "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
            "log.dirs": str(self.workdir / "data"),
            "num.partitions": "3",
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "3",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
            "auto.create.topics.enable": "false",
        }
        config = self.workdir / "server.properties"
        config.write_text("".join(f"{k}={v}\n" for k, v in lines.items()))
        return config

    def _java(self, main: str, *args: str) -> list[str]:
        logs = f"-Dkafka.logs.dir={self.workdir / 'logs'}"
        return ["java", "-Xmx512m", logs, "-cp", self._classpath, main, *args]

    def _format(self) -> None:
        cluster = str(uuid.uuid4())[:22].replace("-", "A")
        config = str(self._config)
        cmd = self._java("kafka.tools.StorageTool", "format", "-t", cluster, "-c", config)
        subprocess.run(cmd, check=True, capture_output=True)

    def start(self, timeout: float = 60.0) -> None:
        log = (self.workdir / "logs" / "broker.out").open("ab")
        self.process = subprocess.Popen(
            self._java("kafka.Kafka", str(self._config)), stdout=log, stderr=subprocess.STDOUT
        )
        self._wait_ready(timeout)

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        admin = AdminClient({"bootstrap.servers": self.bootstrap, "log_level": 0})
        while time.monotonic() < deadline:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"private Kafka broker exited; see {self.workdir}/logs")
            try:
                metadata = admin.list_topics(timeout=2)
                if metadata.brokers:
                    return
            except Exception:  # not up yet: the readiness probe retries
                time.sleep(0.3)
        raise TimeoutError(f"private Kafka broker not ready in {timeout}s; see {self.workdir}/logs")

    def create_topics(self, names: list[str], partitions: int = 3) -> None:
        admin = AdminClient({"bootstrap.servers": self.bootstrap})
        futures = admin.create_topics([NewTopic(n, partitions, 1) for n in names])
        for future in futures.values():
            future.result(30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
