"""The BRONZE loader: a batch of bus messages becomes one idempotent MERGE per table, bad
messages become dead letters, and offsets are committed only after all of that succeeded."""

import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import orjson

from application.codec import SCHEMA_VERSION, InvalidEnvelopeError, read_envelope
from application.ports import (
    BronzeRow,
    BronzeWarehouse,
    DeadLetterSink,
    FailedMessage,
    InboundMessage,
    MessageSource,
)

log = logging.getLogger(__name__)

ORDERS_TABLE = "ORDERS_RAW"
CLICKS_TABLE = "CLICKS_RAW"


def table_for(event_type: str) -> str:
    return ORDERS_TABLE if event_type.startswith("order.") else CLICKS_TABLE


def utc_now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class PreparedBatch:
    rows: dict[str, list[BronzeRow]] = field(default_factory=dict)
    failures: list[FailedMessage] = field(default_factory=list)
    duplicates_in_batch: int = 0


def to_row(message: InboundMessage, ingested_at: datetime) -> BronzeRow:
    """The BRONZE row of one message; InvalidEnvelopeError says why there is none."""
    envelope = read_envelope(message.value)
    return BronzeRow(
        envelope.event_id, envelope.event_type, envelope.aggregate_id,
        envelope.aggregate_version, envelope.event_time, envelope.event_time.date(),
        envelope.received_at, SCHEMA_VERSION, orjson.dumps(envelope.payload).decode(),
        message.topic, message.partition, message.offset, ingested_at, envelope.client_event_id,
    )  # fmt: skip


def prepare_batch(messages: Sequence[InboundMessage], ingested_at: datetime) -> PreparedBatch:
    """Validate and route; keep the first copy of an event id seen twice in one batch."""
    batch = PreparedBatch()
    seen: set[str] = set()
    for message in messages:
        try:
            row = to_row(message, ingested_at)
        except InvalidEnvelopeError as error:
            batch.failures.append(FailedMessage(message, str(error)))
            continue
        if row.ingestion_id in seen:
            batch.duplicates_in_batch += 1
            continue
        seen.add(row.ingestion_id)
        batch.rows.setdefault(table_for(row.event_type), []).append(row)
    return batch


@dataclass(frozen=True)
class LoadReport:
    messages: int
    rows_merged: int
    duplicates_skipped: int
    dead_letters: int


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a batch is loaded.

    A batch allocates a few containers per message (parsed JSON, rows, Arrow and DataFrame
    columns), so the collector ran many times per batch, each full pass walking every live
    object: a fifth to a third of the batch time in the consumer benchmark. None of it is
    cyclic (reference counting frees it), and whatever cycles others make wait one batch.
    """
    if not gc.isenabled():  # someone else paused it: theirs to resume
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


class BronzeLoader:
    def __init__(
        self,
        warehouse: BronzeWarehouse,
        dead_letters: DeadLetterSink,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self._warehouse = warehouse
        self._dead_letters = dead_letters
        self._clock = clock

    def load(self, messages: Sequence[InboundMessage]) -> LoadReport:
        """Write one batch; raises if any part failed (then nothing may be committed)."""
        with _collector_paused():
            return self._load(messages)

    def _load(self, messages: Sequence[InboundMessage]) -> LoadReport:
        now = self._clock()
        batch = prepare_batch(messages, now)
        merged = duplicates = 0
        for table, rows in sorted(batch.rows.items()):
            inserted = self._warehouse.merge_rows(table, rows)
            merged += inserted
            duplicates += len(rows) - inserted
        if batch.failures:
            self._warehouse.record_failures(batch.failures, now)
            self._dead_letters.send(batch.failures)
        return LoadReport(
            messages=len(messages),
            rows_merged=merged,
            duplicates_skipped=duplicates + batch.duplicates_in_batch,
            dead_letters=len(batch.failures),
        )


@dataclass(frozen=True)
class ConsumerSettings:
    batch_size: int = 5000
    batch_wait: float = 1.0  # seconds: a batch closes when full or this old
    retry_wait: float = 1.0


def _no_hook(messages: Sequence[InboundMessage]) -> None:
    """Default for the fault-injection hook between the write and the commit."""


class BronzeConsumer:
    """poll -> load (retrying while the warehouse fails) -> commit, until stopped."""

    def __init__(
        self,
        source: MessageSource,
        loader: BronzeLoader,
        settings: ConsumerSettings | None = None,
        after_write: Callable[[Sequence[InboundMessage]], None] = _no_hook,
        on_report: Callable[[LoadReport, float], None] = lambda report, seconds: None,
    ) -> None:
        self._source = source
        self._loader = loader
        self._settings = settings or ConsumerSettings()
        self._after_write = after_write
        self._on_report = on_report

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            self.step(stop)

    def step(self, stop: threading.Event) -> LoadReport | None:
        settings = self._settings
        messages = self._source.poll_batch(settings.batch_size, settings.batch_wait)
        if not messages:
            return None
        started = time.monotonic()
        report = self._load_until_written(messages, stop)
        if report is None:
            log.info("consumer: stopping; abandoned an unwritten batch of %d", len(messages))
            return None
        self._after_write(messages)
        self._source.commit(messages)
        self._on_report(report, time.monotonic() - started)
        return report

    def _load_until_written(
        self, messages: Sequence[InboundMessage], stop: threading.Event
    ) -> LoadReport | None:
        # The same batch is retried until written: skipping it would lose it, and moving on
        # would let a later commit cover it.
        while True:
            try:
                return self._loader.load(messages)
            except Exception as error:  # any failed write is retried, never skipped
                log.warning("consumer: write failed, retrying: %s: %s", type(error).__name__, error)
                if stop.wait(self._settings.retry_wait):
                    return None
