"""Local services: a single-node Apache Kafka broker in KRaft mode (infra/kafka)."""

import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from entrypoints.services.base import INFRA_DIR, Service, ServiceError
from entrypoints.settings import load_settings

if TYPE_CHECKING:
    from confluent_kafka.admin import AdminClient

BOOTSTRAP_VAR = "KAFKA_BOOTSTRAP_SERVERS"
# Client settings an external cluster may need, passed through from the environment.
_CLIENT_VARS = {
    "KAFKA_SECURITY_PROTOCOL": "security.protocol",
    "KAFKA_SASL_MECHANISM": "sasl.mechanism",
    "KAFKA_SASL_USERNAME": "sasl.username",
    "KAFKA_SASL_PASSWORD": "sasl.password",
}


class KafkaService(Service):
    name = "kafka"
    external_vars: ClassVar[tuple[str, ...]] = (BOOTSTRAP_VAR,)
    ready_timeout = 60.0
    stop_grace = 12.0  # a controlled shutdown of a single node takes a few seconds

    @property
    def libs(self) -> Path:
        return self.home / "libs"

    def launch(self) -> tuple[list[str], dict[str, str]]:
        self._ensure_jars()
        # The storage is formatted on the first start only (start-kafka.sh): a restart keeps
        # the topics' messages and the groups' offsets, as PostgreSQL keeps its cluster.
        port, controller_port = self.port("broker"), self.port("controller")
        script = INFRA_DIR / "kafka" / "start-kafka.sh"
        command = ["env", f"KAFKA_LIBS={self.libs}", "bash", str(script), str(self.home)]
        return [*command, str(port), str(controller_port)], {BOOTSTRAP_VAR: f"127.0.0.1:{port}"}

    def _ensure_jars(self) -> None:
        if (self.libs / ".resolved").exists():
            return
        fetch = subprocess.run(
            ["bash", str(INFRA_DIR / "kafka" / "fetch-jars.sh")],
            env={**os.environ, "FLOWGUARD_LOCAL_DIR": str(self.local_dir)},
            capture_output=True,
            text=True,
            check=False,
        )
        if fetch.returncode != 0:
            raise ServiceError(f"kafka: fetching the broker's jars failed:\n{fetch.stderr}")

    def probe(self, env: Mapping[str, str]) -> None:
        self._admin(env).list_topics(timeout=2)

    def prepare(self, env: Mapping[str, str]) -> None:
        from confluent_kafka.cimpl import NewTopic

        settings = load_settings()
        wanted = [settings.orders_topic, settings.clicks_topic, settings.dead_letter_topic]
        admin = self._admin(env)
        existing = admin.list_topics(timeout=10).topics
        new = [
            NewTopic(topic, num_partitions=settings.kafka_topic_partitions, replication_factor=1)
            for topic in wanted
            if topic not in existing
        ]
        for future in admin.create_topics(new, request_timeout=15).values() if new else ():
            future.result(timeout=20)

    def prepare_external(self, env: Mapping[str, str]) -> None:
        self.prepare(env)

    def check(self, env: Mapping[str, str]) -> None:
        metadata = self._admin(env).list_topics(timeout=5)
        if not metadata.brokers:
            raise ServiceError(f"kafka: no broker in the metadata from {env[BOOTSTRAP_VAR]}")

    def external_env(self, environ: Mapping[str, str]) -> dict[str, str]:
        env = super().external_env(environ)
        return env | {k: environ[k] for k in _CLIENT_VARS if env and environ.get(k)}

    def _admin(self, env: Mapping[str, str]) -> "AdminClient":
        from confluent_kafka.admin import AdminClient

        # Failures surface as exceptions; librdkafka's own stderr lines would only be noise.
        config: dict[str, str | int | float | bool] = {
            "bootstrap.servers": env[BOOTSTRAP_VAR],
            "socket.timeout.ms": 5000,
            "log_level": 0,
        }
        config |= {key: env[var] for var, key in _CLIENT_VARS.items() if env.get(var)}
        return AdminClient(config)
