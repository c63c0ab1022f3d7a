"""Hand-written fakes for the streaming ports (no mocks)."""

from collections.abc import Sequence
from datetime import datetime

from application.ports import BronzeRow, FailedMessage, OutboundMessage, PublishError


class FailingDelivery:
    def wait(self, timeout: float | None = None) -> None:
        raise PublishError("broker unreachable")


class FlakyPublisher:
    """Wraps a real publisher; the first `failures` publishes report failed delivery."""

    def __init__(self, inner: object, failures: int) -> None:
        self.inner = inner
        self.failures = failures
        self.attempts = 0

    def publish(self, messages: Sequence[OutboundMessage]) -> object:
        self.attempts += 1
        if self.failures > 0:
            self.failures -= 1
            return FailingDelivery()
        return self.inner.publish(messages)  # type: ignore[attr-defined]

    def close(self) -> None:
        pass


class FakeWarehouse:
    """BRONZE as dicts; `fail_next` makes the next writes raise, like a lost session."""

    def __init__(self) -> None:
        self.tables: dict[str, list[BronzeRow]] = {"ORDERS_RAW": [], "CLICKS_RAW": []}
        self.failed: dict[str, FailedMessage] = {}
        self.fail_next = 0
        self.merges = 0

    def create_schema(self) -> None:
        pass

    def merge_rows(self, table: str, rows: Sequence[BronzeRow]) -> int:
        if self.fail_next:
            self.fail_next -= 1
            raise ConnectionError("warehouse session lost")
        self.merges += 1
        present = {r.ingestion_id for r in self.tables[table]}
        new = [r for r in rows if r.ingestion_id not in present]
        self.tables[table].extend(new)
        return len(new)

    def record_failures(self, failures: Sequence[FailedMessage], failed_at: datetime) -> None:
        for f in failures:
            self.failed[f"{f.message.topic}:{f.message.partition}:{f.message.offset}"] = f

    def ingestion_ids(self, table: str) -> list[str]:
        return [r.ingestion_id for r in self.tables[table]]

    def failed_ids(self) -> list[str]:
        return list(self.failed)

    def close(self) -> None:
        pass


class FakeDeadLetters:
    def __init__(self) -> None:
        self.sent: list[FailedMessage] = []

    def send(self, failures: Sequence[FailedMessage]) -> None:
        self.sent.extend(failures)
