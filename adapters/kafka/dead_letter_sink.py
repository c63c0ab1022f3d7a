"""KafkaDeadLetterSink: parks unloadable messages, raw and unchanged, with error headers."""

from collections.abc import Sequence

from confluent_kafka import Producer

from adapters.kafka.config import KafkaConnection, quiet_client
from application.ports import FailedMessage, PublishError


def error_headers(failure: FailedMessage) -> list[tuple[str, str | bytes | None]]:
    source = failure.message
    return [
        ("flowguard.error", failure.error.encode()[:4096]),
        ("flowguard.source.topic", source.topic.encode()),
        ("flowguard.source.partition", str(source.partition).encode()),
        ("flowguard.source.offset", str(source.offset).encode()),
    ]


class KafkaDeadLetterSink:
    def __init__(self, connection: KafkaConnection, topic: str) -> None:
        self.topic = topic
        self._producer = Producer(
            quiet_client({**connection.client_config(), "enable.idempotence": True, "acks": "all"})
        )

    def send(self, failures: Sequence[FailedMessage]) -> None:
        errors: list[str] = []
        for failure in failures:
            self._producer.produce(
                self.topic,
                failure.message.value,
                failure.message.key,
                headers=error_headers(failure),
                on_delivery=lambda err, _m: errors.append(err.str()) if err else None,
            )
        remaining = self._producer.flush(30)
        if remaining or errors:
            raise PublishError(f"dead letters not delivered: {remaining} pending, {errors[:1]}")

    def close(self) -> None:
        self._producer.flush(10)
