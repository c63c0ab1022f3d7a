"""Relay throughput: messages/s from a pre-filled event store to Kafka, against the raw
confluent-kafka producer rate for the same envelopes (the baseline, measured in the same run).

Usage: python -m benchmarks.relay [--quick] [--store sqlite|postgres]
(needs KAFKA_BOOTSTRAP_SERVERS; postgres, the production store, also FLOWGUARD_POSTGRES_DSN:
it fills a new database there and drops it afterwards)
"""

import argparse
import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from confluent_kafka import Producer
from confluent_kafka.admin import AdminClient, NewTopic
from psycopg.conninfo import make_conninfo

from adapters.kafka.config import PRODUCER_TUNING, KafkaConnection
from adapters.kafka.event_publisher import KafkaEventPublisher
from adapters.postgres.event_store import postgres_event_store_env
from adapters.postgres.notification_log import PostgresNotificationLog
from adapters.postgres.relay_lease import PostgresRelayLease
from adapters.sqlite.notification_log import SqliteNotificationLog
from adapters.sqlite.relay_lease import SqliteRelayLease
from application.codec import envelope_bytes
from application.notification_log import NotificationLog
from application.relay import OutboxRelay, RelayLease, Topics
from tests.fixtures.services import postgres_database
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
    lease = _lease(app)
    assert lease.acquire()
    relay = OutboxRelay(
        name="bench", recorder=app.recorder, mapper=app.mapper,
        tracking=app.factory.tracking_recorder(), publisher=publisher, topics=topics,
        log=_log(app), lease=lease, bus=publisher,  # as entrypoints/bootstrap.py wires it
    )  # fmt: skip
    started = time.perf_counter()
    relay.check_bus()
    relay.drain()
    relay.check_bus()
    elapsed = time.perf_counter() - started
    publisher.close()
    lease.release()
    return relay.published / elapsed, relay.published


def _lease(app: SampleApp) -> RelayLease:
    env = app.env
    if env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
        dsn = make_conninfo(
            dbname=env["POSTGRES_DBNAME"], host=env["POSTGRES_HOST"], port=env["POSTGRES_PORT"],
            user=env["POSTGRES_USER"], password=env["POSTGRES_PASSWORD"],
        )  # fmt: skip
        return PostgresRelayLease(dsn)
    return SqliteRelayLease(Path(env["SQLITE_DBNAME"]))


def _log(app: SampleApp) -> NotificationLog:
    if app.env.get("PERSISTENCE_MODULE") == "eventsourcing.postgres":
        return PostgresNotificationLog(app.recorder)  # type: ignore[arg-type]
    return SqliteNotificationLog(app.recorder)  # type: ignore[arg-type]


@contextmanager
def _store_env(store: str) -> Iterator[dict[str, str]]:
    if store == "sqlite":
        with tempfile.TemporaryDirectory() as tmp:
            yield {"PERSISTENCE_MODULE": "eventsourcing.sqlite", "SQLITE_DBNAME": f"{tmp}/es.db"}
        return
    with postgres_database(os.environ["FLOWGUARD_POSTGRES_DSN"], "relay_bench") as dsn:
        yield postgres_event_store_env(dsn)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--store", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    orders = 4_000 if args.quick else 40_000
    with _store_env(args.store) as env:
        app = SampleApp(env=env)
        _fill(app, orders)
        topics = _topics(bootstrap)
        rate, count = relay_rate(bootstrap, app, topics)
        baseline = raw_producer_rate(bootstrap, app, topics.orders)
        app.close()
    print(f"relay ({args.store} store): {count} events, {rate:,.0f} msg/s (target 50,000)")
    print(f"baseline raw producer: {baseline:,.0f} msg/s; relay/baseline = {rate / baseline:.2f}")


if __name__ == "__main__":
    main()
