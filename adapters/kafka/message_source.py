"""KafkaMessageSource: a consumer-group member that commits only when the loader says so."""

import logging
import os
import socket
import time
from collections.abc import Sequence
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, TopicPartition

from adapters.kafka.config import CONSUMER_SAFETY, KafkaConnection, quiet_client
from application.ports import InboundMessage

log = logging.getLogger(__name__)


def _inbound(message: Message) -> InboundMessage:
    return InboundMessage(
        topic=message.topic() or "",
        partition=message.partition() or 0,
        offset=message.offset() or 0,
        key=message.key(),
        value=message.value(),
    )


def next_offsets(messages: Sequence[InboundMessage]) -> list[TopicPartition]:
    """The offsets to commit: one past the highest message per partition."""
    highest: dict[tuple[str, int], int] = {}
    for m in messages:
        highest[(m.topic, m.partition)] = max(m.offset, highest.get((m.topic, m.partition), -1))
    return [TopicPartition(t, p, offset + 1) for (t, p), offset in highest.items()]


def default_member() -> str:
    """This process's name in its group (Kafka's client.id): host and pid."""
    return f"{socket.gethostname()}-{os.getpid()}"


class KafkaMessageSource:
    def __init__(
        self,
        connection: KafkaConnection,
        group: str,
        topics: Sequence[str],
        overrides: dict[str, Any] | None = None,
    ) -> None:
        self.member = (overrides or {}).get("client.id") or default_member()
        config = {**connection.client_config(), **CONSUMER_SAFETY, **(overrides or {})}
        self._config = quiet_client({**config, "group.id": group, "client.id": self.member})
        self._topics = list(topics)
        self._consumer = self._join()
        self._cluster: str | None = None  # learnt at the first commit: the brokers may be down now

    def _join(self) -> Consumer:
        consumer = Consumer(self._config)
        consumer.subscribe(self._topics)
        return consumer

    def _cluster_id(self) -> str:
        return str(self._consumer.list_topics(timeout=5).cluster_id)

    def poll_batch(self, max_messages: int, max_wait: float) -> list[InboundMessage]:
        deadline = time.monotonic() + max_wait
        batch: list[InboundMessage] = []
        while len(batch) < max_messages:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            wanted = min(max_messages - len(batch), 10_000)
            for message in self._consumer.consume(wanted, remaining):
                self._accept(message, batch)
        return batch

    def _accept(self, message: Message, batch: list[InboundMessage]) -> None:
        error = message.error()
        if error is None:
            batch.append(_inbound(message))
        elif error.fatal():
            raise KafkaException(error)
        elif error.code() != KafkaError._PARTITION_EOF:
            log.warning("consumer: %s", error.str())

    def commit(self, messages: Sequence[InboundMessage]) -> None:
        if not messages or not self._same_cluster():
            return
        try:
            self._consumer.commit(offsets=next_offsets(messages), asynchronous=False)
        except KafkaException as error:
            # Typically a rebalance took the partitions away. The rows are already in BRONZE,
            # so the new owner's redelivery only produces duplicates, which the MERGE skips.
            if error.args and getattr(error.args[0], "fatal", lambda: False)():
                raise
            log.warning("consumer: commit failed, batch will be redelivered: %s", error)

    def _same_cluster(self) -> bool:
        """Whether the brokers are still the cluster this member started on. A broker whose
        storage was formatted anew has new logs and no offsets: positions taken from the old
        ones would skip messages there. So this member starts again from the new cluster's
        committed offsets, and the uncommitted batch is read again (BRONZE keeps one copy)."""
        try:
            cluster = self._cluster_id()
        except KafkaException as error:
            log.warning("consumer: commit skipped, the brokers do not answer: %s", error)
            return False
        if self._cluster is None or cluster == self._cluster:
            self._cluster = cluster
            return True
        log.error(
            "consumer: the brokers are cluster %s, not %s: their topics and offsets are new; "
            "joining the group again from its committed offsets there",
            cluster,
            self._cluster,
        )
        self._consumer.close()
        self._consumer, self._cluster = self._join(), cluster
        return False

    def lag(self) -> dict[tuple[str, int], int]:
        lags: dict[tuple[str, int], int] = {}
        for tp in self._consumer.position(self._consumer.assignment()):
            _, high = self._consumer.get_watermark_offsets(tp, cached=True)
            if high >= 0:
                lags[(tp.topic, tp.partition)] = high - max(tp.offset, 0)
        return lags

    def close(self) -> None:
        self._consumer.close()
