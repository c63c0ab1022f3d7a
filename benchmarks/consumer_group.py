"""Consumer-group throughput: events/s through one, two and three `flowguard consume` processes
in one group on a 6-partition topic. The members join first; once the group is stable with all
of them, a backlog is produced (faster than any group loads it) and the rate is taken between
10 % and 90 % of it committed. The baseline is the one-member group of the same run: the ratios
are 2/1 and 3/1.

Each member loads into a fakesnow in-process warehouse of its own, so the figure is what the
consumers themselves can do (fetch, validate, stage, MERGE); a shared local warehouse (the
fakesnow server, one process parsing each INSERT) bounds every group to its own rate, which
`--server` measures too.

Usage: python -m benchmarks.consumer_group [--quick] [--server]   (needs KAFKA_BOOTSTRAP_SERVERS)
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from confluent_kafka import ConsumerGroupState, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

from benchmarks.consumer import messages

ROOT = Path(__file__).resolve().parents[1]
PARTITIONS = 6


class Topics:
    def __init__(self, bootstrap: str) -> None:
        self.admin = AdminClient({"bootstrap.servers": bootstrap})
        suffix = uuid.uuid4().hex[:8]
        self.clicks, self.orders = f"bench.clicks.{suffix}", f"bench.orders.{suffix}"

    def create(self) -> None:
        # The orders topic stays empty: every event is a click.
        new = [NewTopic(name, PARTITIONS, 1) for name in (self.clicks, self.orders)]
        for future in self.admin.create_topics(new).values():
            future.result(30)

    def delete(self) -> None:
        for future in self.admin.delete_topics([self.clicks, self.orders]).values():
            future.result(30)


def _payloads(count: int) -> list[bytes]:
    """Made before the members start, so that producing them outruns any group."""
    return [m.value or b"" for m in messages(count)]


def _fill(bootstrap: str, topic: str, payloads: list[bytes]) -> None:
    producer = Producer({"bootstrap.servers": bootstrap, "linger.ms": 20, "compression.type": "lz4",
                         "queue.buffering.max.messages": 500_000})  # fmt: skip
    for n, value in enumerate(payloads):
        producer.produce(topic, value, n.to_bytes(8, "big"))
        if n % 100_000 == 99_999:
            producer.poll(0)
    producer.flush(60)


@contextmanager
def _members(
    count: int, group: str, env: dict[str, str]
) -> Iterator[list[subprocess.Popen[bytes]]]:
    with tempfile.TemporaryDirectory() as tmp:
        processes = []
        for n in range(count):
            member_env = {**env, "FAKESNOW_DB_PATH": f"{tmp}/fs-{n}", "FLOWGUARD_DATA_DIR": tmp}
            command = [sys.executable, "-m", "entrypoints.cli", "consume", "--group", group]
            with Path(tmp, f"member-{n}.log").open("wb") as log:
                processes.append(subprocess.Popen(command, cwd=ROOT, env=member_env,
                                                  stdout=log, stderr=log))  # fmt: skip
        try:
            yield processes
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                process.wait(60)


def _stable(admin: AdminClient, group: str, members: int) -> bool:
    description = admin.describe_consumer_groups([group])[group].result(10)
    assigned = [m for m in description.members if m.assignment.topic_partitions]
    return description.state == ConsumerGroupState.STABLE and len(assigned) == members


def _committed(admin: AdminClient, group: str, topic: str) -> int:
    from confluent_kafka import ConsumerGroupTopicPartitions

    request = ConsumerGroupTopicPartitions(
        group, [TopicPartition(topic, p) for p in range(PARTITIONS)]
    )
    offsets = admin.list_consumer_group_offsets([request])[group].result(10)
    return sum(max(tp.offset, 0) for tp in offsets.topic_partitions)


def group_rate(bootstrap: str, count: int, members: int, env: dict[str, str]) -> float:
    topics, group = Topics(bootstrap), f"bench-{uuid.uuid4().hex[:8]}"
    topics.create()
    payloads = _payloads(count)
    env = {**env, "FLOWGUARD_CLICKS_TOPIC": topics.clicks, "FLOWGUARD_ORDERS_TOPIC": topics.orders}
    try:
        with _members(members, group, env) as processes:
            _wait(lambda: _stable(topics.admin, group, members), processes, f"{group} stable")
            _fill(bootstrap, topics.clicks, payloads)
            started, samples = time.monotonic(), [(0.0, 0)]

            def reached() -> bool:
                done = _committed(topics.admin, group, topics.clicks)
                if done != samples[-1][1]:
                    samples.append((time.monotonic() - started, done))
                return done >= 0.9 * count

            _wait(reached, processes, f"{group} to load 90 % of {count}")
            return _rate(samples, count)
    finally:
        topics.delete()


def _rate(samples: list[tuple[float, int]], count: int) -> float:
    """Events/s between the first commit at or past 10 % and the first at or past 90 %."""
    low = next(s for s in samples if s[1] >= 0.1 * count)
    high = next(s for s in samples if s[1] >= 0.9 * count)
    if high is low:  # one commit covered both: too few batches to measure
        raise RuntimeError(f"one batch took the group past 10 % and 90 %: {samples}")
    print(f"  commits (s, events): {[(round(t, 1), n) for t, n in samples]}", flush=True)
    return (high[1] - low[1]) / (high[0] - low[0])


def _wait(condition: object, processes: list[subprocess.Popen[bytes]], what: str) -> None:
    deadline = time.monotonic() + 900
    while not condition():  # type: ignore[operator]
        if any(process.poll() is not None for process in processes):
            raise RuntimeError(f"a member exited while waiting for {what}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited 900 s for {what}")
        time.sleep(0.1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--server", action="store_true", help="also the shared fakesnow server")
    args = parser.parse_args()
    bootstrap = os.environ["KAFKA_BOOTSTRAP_SERVERS"]
    count = 60_000 if args.quick else 240_000
    base = {**os.environ, "FLOWGUARD_BUS": "kafka", "FLOWGUARD_CONSUMER_BATCH_SIZE": "10000"}
    cases = [("own fakesnow in-process each", {**base, "FLOWGUARD_WAREHOUSE": "fakesnow"}, count)]
    if args.server and os.environ.get("SNOWFLAKE_HOST"):
        shared = {**base, "FLOWGUARD_WAREHOUSE": "snowflake",
                  "SNOWFLAKE_DATABASE": f"BENCH_{uuid.uuid4().hex[:6].upper()}"}  # fmt: skip
        shared["FLOWGUARD_CONSUMER_BATCH_SIZE"] = "100"  # enough commits to measure
        cases.append(("shared fakesnow server", shared, 2_000))
    for name, env, total in cases:
        rates = {}
        for members in (1, 2, 3):
            rates[members] = group_rate(bootstrap, total, members, env)
            ratio, rate = rates[members] / rates[1], f"{rates[members]:,.0f} events/s"
            print(f"consumer group, {name}: {members} member(s) {rate}; "
                  f"ratio to one member {ratio:.2f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
