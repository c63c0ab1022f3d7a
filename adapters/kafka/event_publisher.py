"""KafkaEventPublisher: the relay's EventPublisher on an idempotent confluent-kafka producer."""

import time
from collections.abc import Callable, Sequence
from typing import Any

from confluent_kafka import KafkaError, Message, Producer

from adapters.kafka.config import PRODUCER_TUNING, KafkaConnection
from application.ports import OutboundMessage, PublishError


class KafkaDelivery:
    """Counts the delivery reports of one publish; the first failure wins."""

    def __init__(self, producer: Producer, expected: int) -> None:
        self._producer = producer
        self.remaining = expected
        self.error: KafkaError | None = None

    def on_delivery(self, error: KafkaError | None, _message: Message) -> None:
        self.remaining -= 1
        if error is not None and self.error is None:
            self.error = error

    def wait(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else 3600.0)
        while self.remaining > 0 and self.error is None:
            if time.monotonic() > deadline:
                raise PublishError(f"{self.remaining} messages without delivery report")
            # poll() serves delivery callbacks of every publish, in order.
            self._producer.poll(0.05)
        if self.error is not None:
            raise PublishError(f"delivery failed: {self.error.str()}")


class KafkaEventPublisher:
    def __init__(self, connection: KafkaConnection, overrides: dict[str, Any] | None = None):
        self._config = {
            **connection.client_config(),
            **PRODUCER_TUNING,
            **(overrides or {}),
            "error_cb": self._on_error,
        }
        self._fatal = False
        self._producer = Producer(self._config)

    def _on_error(self, error: KafkaError) -> None:
        # Broker-down errors are transient and librdkafka retries them; only fatal ones stick.
        if error.fatal():
            self._fatal = True

    def publish(self, messages: Sequence[OutboundMessage]) -> KafkaDelivery:
        self._renew_if_fatal()
        delivery = KafkaDelivery(self._producer, len(messages))
        # The hot loop: bound methods in locals, the queue-full case off the common path.
        produce = self._producer.produce
        on_delivery = delivery.on_delivery
        for topic, key, value in messages:
            try:
                produce(topic, value, key, on_delivery=on_delivery)
            except BufferError:
                self._produce_when_room(topic, key, value, on_delivery)
        self._producer.poll(0)
        return delivery

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

    def close(self) -> None:
        self._producer.flush(10)
