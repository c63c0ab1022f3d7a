"""One contract for the bus, over the in-process bus and Kafka: what the relay publishes, the
consumer group receives in per-key order, and only committed offsets survive a restart."""

import uuid
from collections.abc import Callable, Iterator

import pytest

from adapters.kafka.config import KafkaConnection
from adapters.kafka.event_publisher import KafkaEventPublisher
from adapters.kafka.message_source import KafkaMessageSource
from adapters.memory.event_publisher import InProcessBus
from application.ports import EventPublisher, InboundMessage, MessageSource, OutboundMessage

SourceFactory = Callable[[str], MessageSource]


@pytest.fixture(params=["inprocess", "kafka"])
def bus(
    request: pytest.FixtureRequest,
) -> Iterator[tuple[EventPublisher, SourceFactory, str]]:
    if request.param == "inprocess":
        memory = InProcessBus()
        yield memory, lambda group: memory.source(group, ["orders"]), "orders"
        return
    bootstrap = request.getfixturevalue("kafka_bootstrap")
    topic = request.getfixturevalue("fresh_kafka_topic")(partitions=3)
    connection = KafkaConnection(bootstrap)
    publisher = KafkaEventPublisher(connection)
    yield publisher, lambda group: KafkaMessageSource(connection, group, [topic]), topic
    publisher.close()


def _messages(topic: str, keys: int, per_key: int) -> list[OutboundMessage]:
    return [
        OutboundMessage(topic, f"agg-{k}".encode(), f"{k}:{n}".encode())
        for n in range(per_key)
        for k in range(keys)
    ]


def _drain(source: MessageSource, expected: int) -> list[InboundMessage]:
    received: list[InboundMessage] = []
    for _ in range(40):
        received += source.poll_batch(1000, 0.5)
        if len(received) >= expected:
            break
    return received


def test_published_messages_arrive_in_order_per_key(bus) -> None:
    publisher, source_for, topic = bus
    publisher.publish(_messages(topic, keys=5, per_key=20)).wait(30)
    source = source_for(f"g-{uuid.uuid4().hex}")
    received = _drain(source, 100)
    source.close()
    assert len(received) == 100
    for k in range(5):
        values = [m.value for m in received if m.key == f"agg-{k}".encode()]
        assert values == [f"{k}:{n}".encode() for n in range(20)]
        assert len({m.partition for m in received if m.key == f"agg-{k}".encode()}) == 1


def test_delivery_is_confirmed_by_wait(bus) -> None:
    publisher, _, topic = bus
    publisher.publish(_messages(topic, keys=1, per_key=3)).wait(30)


def test_a_new_member_resumes_after_the_committed_offsets_only(bus) -> None:
    publisher, source_for, topic = bus
    group = f"g-{uuid.uuid4().hex}"
    publisher.publish(_messages(topic, keys=3, per_key=10)).wait(30)
    first = source_for(group)
    received = _drain(first, 30)
    committed = [m for m in received if m.value and m.value.endswith((b":0", b":1"))]
    first.commit(committed)
    first.close()

    second = source_for(group)
    again = _drain(second, 30 - len(committed))
    second.close()
    values = sorted((m.value or b"") for m in again)
    assert len(values) >= 24
    assert not any(v.endswith((b":0", b":1")) for v in values)
