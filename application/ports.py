"""Ports: the interfaces the use cases need. Adapters in `adapters/<tech>/` implement them.

Each section below is owned by one area of work; keep edits inside your section.
"""

from __future__ import annotations

# --- Catalog, failed events, idempotency (domain and gateway) -------------------------------
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple, Protocol, TypeVar
from uuid import UUID

from eventsourcing.domain import Aggregate

from application.results import FailedEvent
from domain.catalog import FoodItem, Restaurant

A = TypeVar("A", bound=Aggregate)


class UnitOfWork(Protocol):
    """What one use case reads and changes, stored together or not at all (the one
    implementation is application/unit_of_work.py, over the event store)."""

    def get(self, kind: type[A], aggregate_id: UUID) -> A | None:
        """The aggregate, or None if there is none; NotFound if the id is another kind's."""
        ...

    def add(self, *aggregates: Aggregate) -> None:
        """Register new or changed aggregates: `commit` stores their pending events."""
        ...

    def reject(self, *failed: FailedEvent) -> None:
        """Keep inputs refused on their own merits as failed events."""
        ...

    def refuse(self, *failed: FailedEvent) -> None:
        """Keep inputs an aggregate refused on the state this unit read as failed events."""
        ...

    def commit(self) -> None:
        """Keep the failed events, then store every pending event in one transaction."""
        ...


class Catalog(Protocol):
    """Reference data: restaurants and their food items with INR prices."""

    def restaurants(self, city: str | None = None) -> list[Restaurant]: ...

    def restaurant(self, restaurant_id: str) -> Restaurant | None: ...

    def items(
        self,
        restaurant_id: str | None = None,
        category: str | None = None,
        veg: bool | None = None,
        query: str | None = None,
    ) -> list[FoodItem]:
        """Items matching every given filter; `query` is a case-insensitive substring of the
        name, category or cuisine."""
        ...

    def item(self, item_id: str) -> FoodItem | None: ...


class FailedEventStore(Protocol):
    """Keeps rejected inputs (invalid click events) so nothing the client sent disappears."""

    def add(self, events: Sequence[FailedEvent]) -> None: ...

    def list(self, limit: int = 100, offset: int = 0) -> list[FailedEvent]:
        """Newest first."""
        ...

    def count(self) -> int: ...


# --- Event publishing and BRONZE loading (streaming) ----------------------------------------


class OutboundMessage(NamedTuple):
    """One envelope on its way to the bus. A named tuple, not a frozen dataclass: the relay
    builds one per event, and a frozen dataclass's __init__ cost ten times as much."""

    topic: str
    key: bytes
    value: bytes


class PublishError(Exception):
    """At least one message of a publish has no successful delivery report."""


class DeliveryTimeoutError(PublishError):
    """The wait ended before every report came; none failed so far."""


class PendingDelivery(Protocol):
    def wait(self, timeout: float | None = None) -> None:
        """Return once every message of the publish has a successful delivery report; raise
        `DeliveryTimeoutError` if the timeout passed first, `PublishError` if one failed."""
        ...


class EventPublisher(Protocol):
    """Puts envelopes on the bus, in order per key. Kafka, or the in-process bus."""

    def publish(self, messages: Sequence[OutboundMessage]) -> PendingDelivery: ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class InboundMessage:
    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None


class MessageSource(Protocol):
    """A consumer-group member: delivers messages, and commits only when told to."""

    def poll_batch(self, max_messages: int, max_wait: float) -> list[InboundMessage]:
        """Up to `max_messages`, returning early once `max_wait` seconds have passed."""
        ...

    def commit(self, messages: Sequence[InboundMessage]) -> None:
        """Commit, synchronously, the offsets just past the given messages."""
        ...

    def lag(self) -> dict[tuple[str, int], int]:
        """Messages not yet consumed, per (topic, partition) this member owns."""
        ...

    def close(self) -> None: ...


@dataclass(frozen=True)
class FailedMessage:
    """A message that could not be loaded, and why."""

    message: InboundMessage
    error: str


class DeadLetterSink(Protocol):
    def send(self, failures: Sequence[FailedMessage]) -> None:
        """Park the raw messages with error headers; return once they are durable."""
        ...


class BronzeRow(NamedTuple):
    """One row of BRONZE.ORDERS_RAW / CLICKS_RAW (docs/contracts.md), fields in column order.
    A named tuple, not a frozen dataclass: the consumer builds one per message, and the
    dataclass's __init__ cost more than validating the message."""

    ingestion_id: str
    event_type: str
    aggregate_id: str
    aggregate_version: int
    event_time: datetime
    event_date: date
    received_at: datetime
    schema_version: int
    payload: str
    source_topic: str
    source_partition: int
    source_offset: int
    ingested_at: datetime
    client_event_id: str | None = None


class BronzeWarehouse(Protocol):
    """The BRONZE layer: fakesnow in-process, a fakesnow server, or Snowflake."""

    def create_schema(self) -> None:
        """Create the BRONZE schema and tables if missing; idempotent."""
        ...

    def merge_rows(self, table: str, rows: Sequence[BronzeRow]) -> int:
        """Insert rows whose INGESTION_ID is not yet in `table` (ORDERS_RAW or CLICKS_RAW);
        return how many were inserted. Rows must have distinct ids. Re-running converges."""
        ...

    def record_failures(self, failures: Sequence[FailedMessage], failed_at: datetime) -> None:
        """Keep failed messages in BRONZE.FAILED_EVENTS, once per topic:partition:offset."""
        ...

    def ingestion_ids(self, table: str) -> list[str]:
        """Every INGESTION_ID in `table`, duplicates included (for checks and tests)."""
        ...

    def failed_ids(self) -> list[str]: ...

    def close(self) -> None: ...
