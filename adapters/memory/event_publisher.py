"""In-process bus: the embedded EventPublisher and MessageSource, a tiny partitioned log in memory.

It keeps Kafka's semantics that the rest of the code relies on: per-key order on one partition,
offsets, and consumer-group commits that decide where a new member resumes.
"""

import threading
import time
import zlib
from collections.abc import Sequence

from application.ports import FailedMessage, InboundMessage, OutboundMessage, PublishError


class _Delivered:
    """Appending to a list cannot fail half-way, so delivery is confirmed on return."""

    def wait(self, timeout: float | None = None) -> None:
        return None


class InProcessBus:
    def __init__(self, partitions: int = 3) -> None:
        self.partitions = partitions
        self._logs: dict[tuple[str, int], list[InboundMessage]] = {}
        self._committed: dict[tuple[str, str, int], int] = {}
        self._changed = threading.Condition()
        self.closed = False

    def publish(self, messages: Sequence[OutboundMessage]) -> _Delivered:
        with self._changed:
            if self.closed:
                raise PublishError("in-process bus is closed")
            for message in messages:
                self._append(message)
            self._changed.notify_all()
        return _Delivered()

    def _append(self, message: OutboundMessage) -> None:
        partition = zlib.crc32(message.key) % self.partitions
        log = self._logs.setdefault((message.topic, partition), [])
        log.append(InboundMessage(message.topic, partition, len(log), message.key, message.value))

    def close(self) -> None:
        """The bus outlives its publishers; `shutdown` ends it."""

    def shutdown(self) -> None:
        with self._changed:
            self.closed = True
            self._changed.notify_all()

    def messages(self, topic: str) -> list[InboundMessage]:
        with self._changed:
            logs = [log for (name, _), log in sorted(self._logs.items()) if name == topic]
            return [message for log in logs for message in log]

    def source(self, group: str, topics: Sequence[str]) -> "InProcessMessageSource":
        return InProcessMessageSource(self, group, topics)

    def committed(self, group: str, topic: str, partition: int) -> int:
        return self._committed.get((group, topic, partition), 0)

    def commit(self, group: str, topic: str, partition: int, offset: int) -> None:
        with self._changed:
            key = (group, topic, partition)
            self._committed[key] = max(offset, self._committed.get(key, 0))

    def fetch(self, positions: dict[tuple[str, int], int], limit: int) -> list[InboundMessage]:
        with self._changed:
            batch: list[InboundMessage] = []
            for (topic, partition), position in positions.items():
                log = self._logs.get((topic, partition), [])
                batch.extend(log[position : position + limit - len(batch)])
            return batch

    def end_offset(self, topic: str, partition: int) -> int:
        with self._changed:
            return len(self._logs.get((topic, partition), []))

    def wait_for_change(self, timeout: float) -> None:
        with self._changed:
            self._changed.wait(timeout)


class InProcessMessageSource:
    """The single member of its group: it owns every partition of its topics."""

    def __init__(self, bus: InProcessBus, group: str, topics: Sequence[str]) -> None:
        self._bus = bus
        self._group = group
        self._positions = {
            (topic, p): bus.committed(group, topic, p)
            for topic in topics
            for p in range(bus.partitions)
        }

    def poll_batch(self, max_messages: int, max_wait: float) -> list[InboundMessage]:
        deadline = time.monotonic() + max_wait
        batch: list[InboundMessage] = []
        while len(batch) < max_messages and not self._bus.closed:
            fetched = self._bus.fetch(self._positions, max_messages - len(batch))
            for message in fetched:
                self._positions[(message.topic, message.partition)] = message.offset + 1
            batch.extend(fetched)
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                break
            if not fetched:
                self._bus.wait_for_change(remaining)
        return batch

    def commit(self, messages: Sequence[InboundMessage]) -> None:
        for message in messages:
            self._bus.commit(self._group, message.topic, message.partition, message.offset + 1)

    def lag(self) -> dict[tuple[str, int], int]:
        return {
            (topic, p): self._bus.end_offset(topic, p) - position
            for (topic, p), position in self._positions.items()
        }

    def close(self) -> None:
        """Nothing to release: positions not committed are simply forgotten."""


class InProcessDeadLetterSink:
    """Dead letters on the in-process bus; the error itself is kept in BRONZE.FAILED_EVENTS."""

    def __init__(self, bus: InProcessBus, topic: str) -> None:
        self._bus = bus
        self.topic = topic

    def send(self, failures: Sequence[FailedMessage]) -> None:
        self._bus.publish(
            [
                OutboundMessage(self.topic, f.message.key or b"", f.message.value or b"")
                for f in failures
            ]
        )
