"""Processes killed at the worst moment: nothing is lost and nothing is duplicated. And the
negative control, which shows the checker does catch a loss."""

import signal
import subprocess

from confluent_kafka import Consumer, TopicPartition

from tests.faults.harness import Pipeline, check, wait_for_quiescence, wait_until
from tests.faults.seeder import Seeder


def _kafka_messages(pipeline: Pipeline, topic: str) -> int:
    consumer = Consumer({"bootstrap.servers": pipeline.bootstrap, "group.id": "count"})
    try:
        return sum(
            consumer.get_watermark_offsets(TopicPartition(topic, p), timeout=10)[1]
            for p in range(3)
        )
    finally:
        consumer.close()


def _killed(process: subprocess.Popen[bytes]) -> bool:
    return process.poll() == -signal.SIGKILL


def test_relay_killed_after_publishing_before_recording_its_position(pipeline: Pipeline) -> None:
    seeder = Seeder(pipeline)
    seeder.seed(300)
    marker = pipeline.workdir / "relay-fault.marker"
    relay = pipeline.start_killed_once("relay", marker)
    pipeline.start_consumer()
    wait_until(lambda: _killed(relay), 30, "the relay to kill itself after delivery")
    assert marker.exists()

    pipeline.start_killed_once("relay", marker)  # the marker exists: this one runs normally
    seeder.seed(100)
    wait_for_quiescence(pipeline, 400)
    verdict = check(pipeline.stored_envelopes(), pipeline.bronze_rows(), seeder.acknowledged)
    seeder.close()

    assert verdict.ok, verdict
    assert verdict.rows == verdict.expected == len(seeder.acknowledged) == 400
    # The killed relay's section was published twice: the duplicates reached Kafka, not BRONZE.
    assert _kafka_messages(pipeline, pipeline.topics[1]) > 400


def test_consumer_killed_after_merge_before_offset_commit(pipeline: Pipeline) -> None:
    seeder = Seeder(pipeline)
    seeder.seed(300)
    marker = pipeline.workdir / "consumer-fault.marker"
    pipeline.start_relay()
    consumer = pipeline.start_killed_once("consume", marker)
    wait_until(lambda: _killed(consumer), 30, "the consumer to kill itself after its MERGE")
    merged_before_crash = len(pipeline.bronze_rows())
    assert merged_before_crash > 0

    pipeline.start_killed_once("consume", marker)  # re-reads the uncommitted batch, merges again
    seeder.seed(100)
    wait_for_quiescence(pipeline, 400)
    verdict = check(pipeline.stored_envelopes(), pipeline.bronze_rows(), seeder.acknowledged)
    seeder.close()

    assert verdict.ok, verdict
    assert verdict.rows == verdict.expected == len(seeder.acknowledged) == 400


def test_negative_control_an_auto_commit_consumer_killed_mid_batch_loses_events(
    pipeline: Pipeline,
) -> None:
    seeder = Seeder(pipeline)
    seeder.seed(200)
    relay = pipeline.start_relay()
    group = pipeline.env()["FLOWGUARD_CONSUMER_GROUP"]
    marker = pipeline.workdir / "naive.marker"
    naive = pipeline.start(
        "naive", "tests.faults.naive_consumer", pipeline.bootstrap, group, str(marker),
        *pipeline.topics[:2],
    )  # fmt: skip
    wait_until(marker.exists, 40, "the naive consumer to poll a batch")
    naive.send_signal(signal.SIGKILL)
    naive.wait()

    pipeline.start_consumer()  # the correct consumer, resuming from the auto-committed offsets
    seeder.seed(50)
    wait_for_quiescence(pipeline, 1, timeout=40)
    verdict = check(pipeline.stored_envelopes(), pipeline.bronze_rows(), seeder.acknowledged)
    seeder.close()
    relay.terminate()

    # The checker must see the batch the naive consumer took with it, by either id.
    assert not verdict.ok
    assert len(verdict.missing) >= int(marker.read_text()) > 0
    assert len(verdict.acknowledged_lost) == len(verdict.missing)
