"""The BRONZE loader and consumer loop, with the in-process bus and hand-written fakes."""

import threading
import uuid
from collections.abc import Sequence
from datetime import date, datetime

import orjson
import pytest

from adapters.memory.event_publisher import InProcessBus
from application.bronze_loader import (
    BronzeConsumer,
    BronzeLoader,
    ConsumerSettings,
    prepare_batch,
    to_row,
    utc_now,
)
from application.codec import InvalidEnvelopeError, read_envelope
from application.ports import BronzeRow, FailedMessage, InboundMessage, OutboundMessage
from tests.unit.streaming.fakes import FakeDeadLetters, FakeWarehouse

TOPICS = ("raw.orders.v1", "raw.clicks.v1")


def envelope(
    event_type: str = "order.placed",
    event_id: str | None = None,
    client_event_id: str | None = None,
) -> bytes:
    return orjson.dumps(
        {
            "event_id": event_id or str(uuid.uuid4()),
            "client_event_id": client_event_id,
            "event_type": event_type,
            "aggregate_id": str(uuid.uuid4()),
            "aggregate_version": 1,
            "event_time": "2026-11-25T12:30:01.123456Z",
            "received_at": "2026-11-25T12:30:01.200000Z",
            "schema_version": 1,
            "payload": {"seq": 1},
        }
    )


def put(bus: InProcessBus, *values: bytes, topic: str = "raw.orders.v1") -> None:
    bus.publish([OutboundMessage(topic, str(uuid.uuid4()).encode(), v) for v in values])


class Harness:
    def __init__(self, batch_size: int = 100) -> None:
        self.bus = InProcessBus()
        self.warehouse = FakeWarehouse()
        self.dead = FakeDeadLetters()
        self.written_before_commit: list[int] = []
        self.consumer = self.new_consumer(batch_size)

    def new_consumer(self, batch_size: int = 100) -> BronzeConsumer:
        return BronzeConsumer(
            self.bus.source("bronze", TOPICS),
            BronzeLoader(self.warehouse, self.dead),
            ConsumerSettings(batch_size=batch_size, batch_wait=0.05, retry_wait=0.01),
            after_write=self._check_written,
        )

    def _check_written(self, messages: Sequence[InboundMessage]) -> None:
        self.written_before_commit.append(len(self.warehouse.tables["ORDERS_RAW"]))

    def committed(self) -> int:
        return sum(self.bus.committed("bronze", t, p) for t in TOPICS for p in range(3))


def test_good_messages_become_rows_in_their_tables() -> None:
    h = Harness()
    put(h.bus, envelope(), envelope("order.confirmed"))
    put(h.bus, envelope("click.click"), topic="raw.clicks.v1")
    report = h.consumer.step(threading.Event())
    assert report is not None
    assert report.rows_merged == 3
    assert len(h.warehouse.tables["ORDERS_RAW"]) == 2
    row = h.warehouse.tables["CLICKS_RAW"][0]
    assert (row.source_topic, row.event_type) == ("raw.clicks.v1", "click.click")
    assert row.payload == '{"seq":1}'


def test_a_duplicate_within_a_batch_is_merged_once() -> None:
    h = Harness()
    event_id = str(uuid.uuid4())
    put(h.bus, envelope(event_id=event_id), envelope(event_id=event_id))
    report = h.consumer.step(threading.Event())
    assert report is not None
    assert (report.rows_merged, report.duplicates_skipped) == (1, 1)


def test_a_redelivered_batch_inserts_nothing_new() -> None:
    h = Harness()
    values = [envelope() for _ in range(3)]
    put(h.bus, *values)
    h.consumer.step(threading.Event())
    put(h.bus, *values)
    report = h.consumer.step(threading.Event())
    assert report is not None
    assert (report.rows_merged, report.duplicates_skipped) == (0, 3)
    assert len(h.warehouse.ingestion_ids("ORDERS_RAW")) == 3


def test_poison_messages_go_to_dead_letters_and_failed_events_and_loading_continues() -> None:
    h = Harness()
    put(h.bus, b"not json", envelope(), b'{"event_id": 1}')
    report = h.consumer.step(threading.Event())
    assert report is not None
    assert (report.rows_merged, report.dead_letters) == (1, 2)
    assert sorted(f.message.value or b"" for f in h.dead.sent) == [b"not json", b'{"event_id": 1}']
    assert len(h.warehouse.failed_ids()) == 2
    assert h.committed() == 3


def test_offsets_are_committed_only_after_the_write() -> None:
    h = Harness()
    put(h.bus, envelope(), envelope())
    h.consumer.step(threading.Event())
    assert h.written_before_commit == [2]
    assert h.committed() == 2


def test_a_failing_write_is_retried_and_nothing_is_committed_meanwhile() -> None:
    h = Harness()
    h.warehouse.fail_next = 2
    put(h.bus, envelope())
    report = h.consumer.step(threading.Event())
    assert report is not None
    assert report.rows_merged == 1
    assert h.warehouse.merges == 1
    assert h.committed() == 1


def test_stopping_during_a_failing_write_abandons_the_batch_uncommitted() -> None:
    h = Harness()
    h.warehouse.fail_next = 1_000
    put(h.bus, envelope())
    stop = threading.Event()
    stop.set()
    assert h.consumer.step(stop) is None
    assert h.committed() == 0
    h.warehouse.fail_next = 0
    h.consumer = h.new_consumer()
    assert h.consumer.step(threading.Event()) is not None
    assert len(h.warehouse.ingestion_ids("ORDERS_RAW")) == 1


def test_batches_are_bounded_by_size() -> None:
    h = Harness(batch_size=4)
    put(h.bus, *[envelope() for _ in range(10)])
    sizes = []
    while (report := h.consumer.step(threading.Event())) is not None:
        sizes.append(report.messages)
    assert sizes == [4, 4, 2]


def test_a_row_is_the_envelope_with_its_source_and_the_clients_id_last() -> None:
    client_event_id = str(uuid.uuid4())
    value = envelope("click.click", client_event_id=client_event_id)
    message = InboundMessage("raw.clicks.v1", 2, 41, b"k", value)
    now = utc_now()
    row = to_row(message, now)
    sent = orjson.loads(value)
    assert row == BronzeRow(
        sent["event_id"], "click.click", sent["aggregate_id"], 1,
        datetime(2026, 11, 25, 12, 30, 1, 123456), date(2026, 11, 25),
        datetime(2026, 11, 25, 12, 30, 1, 200000), 1, '{"seq":1}',
        "raw.clicks.v1", 2, 41, now, client_event_id,
    )  # fmt: skip


def test_an_envelope_written_before_client_ids_loads_with_none() -> None:
    document = orjson.loads(envelope())
    del document["client_event_id"]
    row = to_row(InboundMessage("raw.orders.v1", 0, 1, None, orjson.dumps(document)), utc_now())
    assert row.client_event_id is None
    assert row.ingestion_id == document["event_id"]


def test_events_sharing_a_clients_id_are_each_their_own_row() -> None:
    # Two orders of two users with one client event id: the server ids keep them apart.
    h = Harness()
    shared = str(uuid.uuid4())
    put(h.bus, envelope(client_event_id=shared), envelope(client_event_id=shared))
    report = h.consumer.step(threading.Event())
    assert report is not None
    assert (report.rows_merged, report.duplicates_skipped) == (2, 0)
    rows = h.warehouse.tables["ORDERS_RAW"]
    assert [r.client_event_id for r in rows] == [shared, shared]
    assert len({r.ingestion_id for r in rows}) == 2


def test_poison_reasons_are_those_of_read_envelope() -> None:
    poison = [None, b"not json", b'{"event_id": 1}', envelope().replace(b'"order.', b'"pay.')]
    messages = [InboundMessage("raw.orders.v1", 0, n, None, v) for n, v in enumerate(poison)]
    batch = prepare_batch(
        [*messages, InboundMessage("raw.orders.v1", 0, 9, None, envelope())], utc_now()
    )
    expected = []
    for message in messages:
        with pytest.raises(InvalidEnvelopeError) as error:
            read_envelope(message.value)
        expected.append(FailedMessage(message, str(error.value)))
    assert batch.failures == expected
    assert len(batch.rows["ORDERS_RAW"]) == 1
