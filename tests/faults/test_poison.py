"""Poison messages written straight into the topic: dead-lettered with error headers and kept
in BRONZE.FAILED_EVENTS, while the good messages around them keep loading."""

import time

import orjson
from confluent_kafka import Consumer, Producer

from tests.faults.harness import Pipeline, check, wait_for_quiescence, wait_until
from tests.faults.seeder import Seeder

POISON = [b"\x00\xffnot json", b'{"event_id": "x"}', orjson.dumps({"schema_version": 9})]


def _dead_letters(pipeline: Pipeline) -> list[tuple[bytes, dict[str, bytes | None]]]:
    consumer = Consumer(
        {"bootstrap.servers": pipeline.bootstrap, "group.id": "dlq-reader",
         "auto.offset.reset": "earliest"}
    )  # fmt: skip
    consumer.subscribe([pipeline.topics[2]])
    found = []
    deadline = time.monotonic() + 20
    while len(found) < len(POISON) and time.monotonic() < deadline:
        for message in consumer.consume(len(POISON), 1.0):
            if message.error() is None:
                found.append((message.value() or b"", dict(message.headers() or [])))
    consumer.close()
    return found


def test_poison_messages_are_dead_lettered_and_good_ones_keep_loading(pipeline: Pipeline):
    seeder = Seeder(pipeline)
    seeder.seed(100)
    producer = Producer({"bootstrap.servers": pipeline.bootstrap})
    for value in POISON:
        producer.produce(pipeline.topics[1], value, b"poison")
    producer.flush(10)
    pipeline.start_relay()
    pipeline.start_consumer()
    seeder.seed(100)
    wait_for_quiescence(pipeline, 200)
    wait_until(lambda: len(pipeline.failed_events()) == len(POISON), 20, "FAILED_EVENTS")

    verdict = check(pipeline.stored_envelopes(), pipeline.bronze_rows(), seeder.acknowledged)
    seeder.close()
    assert verdict.ok, verdict
    assert verdict.rows == len(seeder.acknowledged) == 200
    errors = dict(pipeline.failed_events())
    assert all(key.startswith(pipeline.topics[1] + ":") for key in errors)
    assert any("not JSON" in error for error in errors.values())
    dead = _dead_letters(pipeline)
    assert sorted(value for value, _ in dead) == sorted(POISON)
    assert all("flowguard.error" in headers for _, headers in dead)
