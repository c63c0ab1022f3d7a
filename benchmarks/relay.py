"""Relay throughput: messages/s from a pre-filled SQLite event store to Kafka, against the raw
confluent-kafka producer rate for the same envelopes (the baseline, measured in the same run).

Usage: python -m benchmarks.relay [--quick]   (needs KAFKA_BOOTSTRAP_SERVERS)
"""

import argparse
import os
import tempfile
import time
import uuid

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic

from adapters.kafka.config import PRODUCER_TUNING, KafkaConnection
from adapters.kafka.event_publisher import KafkaEventPublisher
from adapters.sqlite.notification_log import SqliteNotificationLog
from application.envelope import envelope_bytes
from application.relay import OutboxRelay, Topics
from tests.unit.streaming.sample_app import SampleApp


def _fill(app: SampleApp, orders: int) -> None:
    for seq in range(orders):
        app.place(seq, confirmations=4)  # five events per order, one save


def _topics(bootstrap: str) -> Topics:
    suffix = uuid.uuid4().hex[:8]
    topics = Topics(orders=f"bench.orders.{suffix}", clicks=f"bench.clicks.{suffix}")
    admin = AdminClient({"bootstrap.servers": bootstrap})
    for future in admin.create_topics([NewTopic(t, 3, 1) for t in topics.names()]).values():
        future.result(30)
    return topics


def raw_producer_rate(bootstrap: str, app: SampleApp, topic: str) -> float:
    """Baseline: the same envelopes, pre-encoded, through a bare producer with the same tuning."""
    events = [app.mapper.to_domain_event(n) for n in app.recorder.select_notifications(1, 10**7)]
    payloads = [(str(vars(e)["originator_id"]).encode(), envelope_bytes(e)) for e in events]
    producer = Producer({"bootstrap.servers": bootstrap, **PRODUCER_TUNING})
    started = time.perf_counter()
    for key, value in payloads:
        while True:
            try:
                producer.produce(topic, value, key)
                break
            except BufferError:
                producer.poll(0.05)
    producer.flush(60)
    return len(payloads) / (time.perf_counter() - started)


def relay_rate(bootstrap: str, app: SampleApp, topics: Topics) -> tuple[float, int]:
    publisher = KafkaEventPublisher(KafkaConnection(bootstrap))
    relay = OutboxRelay(
        name="bench", recorder=app.recorder, mapper=app.mapper,
        tracking=app.factory.tracking_recorder(), publisher=publisher, topics=topics,
        log=SqliteNotificationLog(app.recorder),  # as bootstrap wires it for SQLite
    )  # fmt: skip
    started = time.perf_counter()
    relay.drain()
    elapsed = time.perf_counter() - started
    publisher.close()
    return relay.published / elapsed, relay.published


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    orders = 4_000 if args.quick else 40_000
    with tempfile.TemporaryDirectory() as tmp:
        app = SampleApp(
            env={"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": f"{tmp}/es.db"}
        )
        _fill(app, orders)
        topics = _topics(bootstrap)
        rate, count = relay_rate(bootstrap, app, topics)
        baseline = raw_producer_rate(bootstrap, app, topics.orders)
    print(f"relay: {count} events, {rate:,.0f} msg/s (target 50,000)")
    print(f"baseline raw producer: {baseline:,.0f} msg/s; relay/baseline = {rate / baseline:.2f}")


if __name__ == "__main__":
    main()
