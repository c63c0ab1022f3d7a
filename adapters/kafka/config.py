"""Kafka client configuration: connection and security settings shared by every client."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from confluent_kafka import KafkaError

# librdkafka's own log lines and errors go here, not to stderr: the processes' logging then
# reports a broker outage once per interval instead of once per reconnect attempt.
CLIENT_LOG = logging.getLogger("flowguard.kafka")


def quiet_client(
    config: dict[str, Any], on_error: Callable[[KafkaError], None] | None = None
) -> dict[str, Any]:
    """`config` with librdkafka's log and error callbacks routed to Python logging."""

    def error_cb(error: KafkaError) -> None:
        CLIENT_LOG.warning("kafka: %s", error.str())
        if on_error is not None:
            on_error(error)

    return {**config, "logger": CLIENT_LOG, "error_cb": error_cb}


@dataclass(frozen=True)
class KafkaConnection:
    """Where the brokers are and how to authenticate. The password never appears in repr."""

    bootstrap_servers: str
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str | None = None
    sasl_username: str | None = None
    sasl_password: str | None = field(default=None, repr=False)

    def client_config(self) -> dict[str, Any]:
        config: dict[str, Any] = {
            "bootstrap.servers": self.bootstrap_servers,
            "security.protocol": self.security_protocol,
        }
        if self.sasl_mechanism:
            config["sasl.mechanism"] = self.sasl_mechanism
            config["sasl.username"] = self.sasl_username or ""
            config["sasl.password"] = self.sasl_password or ""
        return config


# Throughput tuning for the relay's producer (docs/streaming.md explains each value).
PRODUCER_TUNING: dict[str, Any] = {
    "enable.idempotence": True,  # no duplicates or reordering from the producer's own retries
    "acks": "all",
    "linger.ms": 10,  # wait up to 10 ms to fill a batch; the relay sends thousands at once
    "batch.size": 1_048_576,  # 1 MiB per partition batch
    "batch.num.messages": 20_000,
    "compression.type": "lz4",  # cheap on CPU, ~3x on JSON envelopes
    "queue.buffering.max.messages": 500_000,
    "queue.buffering.max.kbytes": 1_048_576,
    # How long librdkafka keeps retrying one message before reporting it failed; the relay then
    # re-reads from its recorded position, so an outage longer than this only costs a re-send.
    "message.timeout.ms": 60_000,
}

CONSUMER_SAFETY: dict[str, Any] = {
    # Offsets move only when the consumer says so, after BRONZE has the rows.
    "enable.auto.commit": False,
    "enable.auto.offset.store": False,
    "auto.offset.reset": "earliest",
    "session.timeout.ms": 6_000,  # the broker minimum: a dead member is replaced fast
    # A member joining or leaving moves only the partitions that must move; the others keep
    # loading through the rebalance. Every member of a group must use the same strategy.
    "partition.assignment.strategy": "cooperative-sticky",
    "fetch.wait.max.ms": 100,
}
