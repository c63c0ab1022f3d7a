"""Three consumers share one group on 6-partition topics while events flow: one is SIGKILLed
mid-flight, one is added back, and a fourth joins and leaves to force more rebalances. BRONZE
ends with every event once, in per-aggregate order; each member exports its own lag."""

import signal
import socket
import threading

from tests.faults.harness import Pipeline, check, wait_for_quiescence, wait_until
from tests.faults.metrics import scrape, total
from tests.faults.seeder import Seeder

PARTITIONS = 6


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Member:
    def __init__(self, pipeline: Pipeline, name: str) -> None:
        self.name = name
        self.port = _free_port()
        self.process = pipeline.start_consumer("--metrics-port", str(self.port), name=name)

    def partitions(self) -> float:
        return total(scrape(self.port), "flowguard_consumer_partitions")

    def lag_series(self) -> list[str]:
        return [k for k in scrape(self.port) if k.startswith("flowguard_consumer_lag{")]


def test_a_consumer_group_loses_and_duplicates_nothing_through_kills_and_rebalances(
    wide_pipeline: Pipeline,
) -> None:
    pipeline = wide_pipeline
    seeder = Seeder(pipeline)
    seeder.seed(100)
    pipeline.start_relay()
    members = [Member(pipeline, f"consumer-{n}") for n in range(3)]
    # 2 topics x 6 partitions over 3 members: the group spreads them, 4 each.
    wait_until(
        lambda: [m.partitions() for m in members] == [4.0, 4.0, 4.0], 90,
        "three members owning four partitions each", diagnose=lambda: pipeline.log("consumer-0"),
    )  # fmt: skip
    assert all(len(m.lag_series()) == 4 for m in members)  # lag per partition, per member

    flowing = threading.Event()
    flowing.set()
    writer = threading.Thread(target=seeder.seed_while, args=(flowing, 20, 0.25))
    writer.start()
    try:
        loaded = len(pipeline.bronze_rows())
        wait_until(lambda: len(pipeline.bronze_rows()) > loaded, 60, "loading to go on")
        members[0].process.send_signal(signal.SIGKILL)  # mid-flight: wherever it is
        members.append(Member(pipeline, "consumer-3"))  # one added back
        wait_until(lambda: members[3].partitions() > 0, 90, "the new member to get partitions")
        extra = Member(pipeline, "consumer-4")  # a join and a leave: two more rebalances
        wait_until(lambda: extra.partitions() > 0, 90, "the fifth member to get partitions")
        extra.process.terminate()
        assert extra.process.wait(30) == 0
    finally:
        flowing.clear()
        writer.join()

    wait_for_quiescence(pipeline, seeder.next, timeout=180)
    verdict = check(pipeline.stored_envelopes(), pipeline.bronze_rows())
    seeder.close()
    assert verdict.ok, verdict
    assert verdict.rows == verdict.expected == seeder.next
    # The survivors and the new member own all 12 partitions again.
    wait_until(
        lambda: sum(m.partitions() for m in members[1:]) == 2 * PARTITIONS, 60,
        "the three live members to own every partition",
    )  # fmt: skip
