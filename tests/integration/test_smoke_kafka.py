"""Smoke test: the Kafka broker carries messages to a consumer group that commits by hand."""

from collections.abc import Callable

from confluent_kafka import Consumer, Message, Producer, TopicPartition


def _consumer(bootstrap: str, group: str) -> Consumer:
    return Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": False,
            "enable.auto.offset.store": False,
        }
    )


def _poll(consumer: Consumer, count: int, attempts: int = 60) -> list[Message]:
    received: list[Message] = []
    for _ in range(attempts):
        message = consumer.poll(1.0)
        if message is not None:
            assert message.error() is None, message.error()
            received.append(message)
        if len(received) == count:
            break
    return received


def _produce(bootstrap: str, topic: str, values: list[bytes]) -> None:
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
    for value in values:
        producer.produce(topic, key=b"order-1", value=value)
    assert producer.flush(30) == 0


def test_kafka_consumer_group_resumes_after_its_manual_commit(
    kafka_bootstrap: str, fresh_kafka_topic: Callable[..., str]
) -> None:
    topic = fresh_kafka_topic()
    group = f"smoke-{topic}"
    _produce(kafka_bootstrap, topic, [b"one", b"two", b"three"])

    first = _consumer(kafka_bootstrap, group)
    first.subscribe([topic])
    messages = _poll(first, 3)
    first.commit(message=messages[-1], asynchronous=False)
    committed = first.committed([TopicPartition(topic, 0)], timeout=10)
    first.close()

    assert [m.value() for m in messages] == [b"one", b"two", b"three"]
    assert committed[0].offset == 3  # the next offset to read

    # The group picks up after its commit: only the new message arrives.
    _produce(kafka_bootstrap, topic, [b"four"])
    second = _consumer(kafka_bootstrap, group)
    second.subscribe([topic])
    resumed = _poll(second, 1)
    second.close()

    assert [m.value() for m in resumed] == [b"four"]
