"""The negative control's consumer: auto-commit on, the very trap the real consumer avoids.
It polls a batch, writes a marker, then pretends to be slow before writing; the test kills it
in that gap. Usage: python -m tests.faults.naive_consumer BOOTSTRAP GROUP MARKER TOPIC..."""

import sys
import time
from pathlib import Path

from confluent_kafka import Consumer


def main(bootstrap: str, group: str, marker: str, topics: list[str]) -> None:
    consumer = Consumer(
        {
            "bootstrap.servers": bootstrap,
            "group.id": group,
            "auto.offset.reset": "earliest",
            "enable.auto.commit": True,
            "auto.commit.interval.ms": 100,
            "session.timeout.ms": 6000,
        }
    )
    consumer.subscribe(topics)
    polled = 0
    while polled == 0:
        polled = len(consumer.consume(10_000, 2.0))
    # Offsets of the polled batch are now auto-committed in the background...
    time.sleep(1.0)
    Path(marker).write_text(str(polled))
    # ...while the "write" has not happened yet: the test SIGKILLs us here.
    time.sleep(60)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
