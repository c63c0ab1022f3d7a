"""KafkaEventPublisher: the relay's EventPublisher on an idempotent confluent-kafka producer,
and its BusCheck: the cluster's id and whether each partition still holds what was confirmed."""

import time
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, Producer, TopicPartition

from adapters.kafka.config import PRODUCER_TUNING, KafkaConnection, quiet_client
from application.ports import DeliveryTimeoutError, OutboundMessage, PublishError

# (topic, partition) -> offset of the last message with a successful delivery report.
Confirmed = dict[tuple[str, int], int]


class KafkaDelivery:
    """Counts the delivery reports of one publish; the first failure wins."""

    def __init__(
        self,
        producer: Producer,
        expected: int,
        confirmed: Confirmed,
        on_failure: Callable[[KafkaException], None],
    ) -> None:
        self._producer = producer
        self._confirmed = confirmed
        self._on_failure = on_failure
        self.remaining = expected
        self.error: KafkaError | None = None

    def on_delivery(self, error: KafkaError | None, message: Message) -> None:
        self.remaining -= 1
        if error is None:
            # Reports come in offset order per partition: the last one is the highest.
            self._confirmed[(message.topic(), message.partition())] = message.offset()  # type: ignore[index,assignment]
        elif self.error is None:
            self.error = error

    def wait(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else 3600.0)
        while self.remaining > 0 and self.error is None:
            if time.monotonic() > deadline:
                raise DeliveryTimeoutError(f"{self.remaining} messages without delivery report")
            try:
                # poll() serves delivery callbacks of every publish, in order.
                self._producer.poll(0.05)
            except KafkaException as error:
                self._on_failure(error)
                raise PublishError(f"the producer failed: {error}") from error
        if self.error is not None:
            self._on_failure(KafkaException(self.error))
            raise PublishError(f"delivery failed: {self.error.str()}")


def _is_fatal(error: KafkaException) -> bool:
    cause = error.args[0] if error.args else None
    return isinstance(cause, KafkaError) and (cause.fatal() or cause.code() == KafkaError._FATAL)


class KafkaEventPublisher:
    def __init__(self, connection: KafkaConnection, overrides: dict[str, Any] | None = None):
        self._connection = connection
        self._config = quiet_client(
            {**connection.client_config(), **PRODUCER_TUNING, **(overrides or {})},
            on_error=self._on_error,
        )
        self._fatal = False
        self._producer = Producer(self._config)
        self._confirmed: Confirmed = {}
        self._watermarks: Consumer | None = None

    def _on_error(self, error: KafkaError) -> None:
        # Broker-down errors are transient and librdkafka retries them; only fatal ones stick.
        if error.fatal():
            self._fatal = True

    def publish(self, messages: Sequence[OutboundMessage]) -> KafkaDelivery:
        self._renew_if_fatal()
        delivery = KafkaDelivery(self._producer, len(messages), self._confirmed, self._failed)
        # The hot loop: bound methods in locals, the queue-full case off the common path.
        produce = self._producer.produce
        on_delivery = delivery.on_delivery
        try:
            for topic, key, value in messages:
                try:
                    produce(topic, value, key, on_delivery=on_delivery)
                except BufferError:
                    self._produce_when_room(topic, key, value, on_delivery)
            self._producer.poll(0)
        except KafkaException as error:
            self._failed(error)
            raise PublishError(f"the producer refused the messages: {error}") from error
        return delivery

    def _failed(self, error: KafkaException) -> None:
        # A fatal error can surface in produce() or a delivery report before any poll() served
        # the error callback: the producer is then replaced at the next publish, never reused.
        self._fatal = self._fatal or _is_fatal(error)

    def _produce_when_room(
        self, topic: str, key: bytes, value: bytes, on_delivery: Callable[..., None]
    ) -> None:
        while True:
            # The local queue is full: serve delivery reports to make room.
            self._producer.poll(0.05)
            try:
                self._producer.produce(topic, value, key, on_delivery=on_delivery)
                return
            except BufferError:
                pass

    def _renew_if_fatal(self) -> None:
        # An idempotent producer that hit a fatal error (e.g. a timed-out sequence) must be
        # replaced; the relay has rewound to its recorded position before calling us again.
        if self._fatal:
            self._fatal = False
            self._producer = Producer(self._config)

    def abandon(self) -> None:
        """Drop every message not yet sent to a broker (this relay lost its lease)."""
        self._producer.purge(in_queue=True, in_flight=False)
        self._producer.poll(0)

    def close(self) -> None:
        self._producer.flush(10)
        self._close_watermarks()

    # --- BusCheck -------------------------------------------------------------------------------

    def cluster(self) -> str:
        return str(self._producer.list_topics(timeout=5).cluster_id)

    def confirmed(self) -> Mapping[str, int]:
        return {
            f"{topic}:{partition}": offset + 1
            for (topic, partition), offset in self._confirmed.items()
        }

    def shortfalls(self, offsets: Mapping[str, int]) -> list[str]:
        if self._watermarks is None:
            # Reads watermarks only; never joins a group.
            self._watermarks = Consumer(
                quiet_client(
                    {**self._connection.client_config(), "group.id": "flowguard-relay-check"}
                )
            )
        short = []
        for key, mark in offsets.items():
            topic, _, partition = key.rpartition(":")
            try:
                _, high = self._watermarks.get_watermark_offsets(
                    TopicPartition(topic, int(partition)), timeout=10, cached=False
                )
            except KafkaException as error:
                if error.args[0].code() != KafkaError.UNKNOWN_TOPIC_OR_PART:
                    raise
                high = -1
            if high < mark:
                short.append(f"{key} (ends at {high}, {mark} confirmed)")
        return short

    def forget(self) -> None:
        """The bus lost what was confirmed (a new cluster at the same address): start over with
        new clients. The old producer's id, sequence numbers and cached partition leaders belong
        to the old cluster; librdkafka can keep waiting on them instead of the new leaders."""
        self._confirmed.clear()
        self._producer.purge(in_queue=True, in_flight=True)
        self._producer.poll(0)
        self._producer = Producer(self._config)
        self._close_watermarks()

    def _close_watermarks(self) -> None:
        if self._watermarks is not None:
            self._watermarks.close()
            self._watermarks = None
