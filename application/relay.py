"""The outbox relay: follows the event store's notification log in order, publishes envelopes,
and records its position (eventsourcing tracking) only after the bus confirmed delivery.

Why not eventsourcing's ProjectionRunner: it records tracking per event inside
`process_event`, while here a position may be recorded only after an asynchronous delivery
report for every message up to it; and the SQLite recorder does not support `subscribe`.
So the relay reads the notification log directly, in large sections (raw rows where the
store's adapter offers them, else the recorder's `select_notifications`), and keeps its position
with the library's `TrackingRecorder` in the event store's own database.
"""

import logging
import threading
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Mapper, Tracking, TrackingRecorder

from application.codec import LogRow, StoredEnvelopes
from application.notification_log import NotificationLog, RecorderLog
from application.ports import EventPublisher, OutboundMessage, PendingDelivery, PublishError
from application.section_reader import SectionReader

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Topics:
    orders: str = "raw.orders.v1"
    clicks: str = "raw.clicks.v1"

    def names(self) -> list[str]:
        return [self.orders, self.clicks]

    def for_event_type(self, event_type: str) -> str:
        if event_type.startswith("order."):
            return self.orders
        if event_type.startswith("click."):
            return self.clicks
        raise ValueError(f"no topic for event type {event_type!r}")


@dataclass(frozen=True)
class RelaySettings:
    # The library's notification log sections default to 10; the relay reads thousands.
    section_size: int = 5000
    # Sections published but not yet confirmed: 4 keeps producing while a slow broker (or a
    # busy machine) confirms; a crash re-sends at most these, which the consumer dedups.
    max_in_flight: int = 4
    idle_wait: float = 0.05
    retry_wait: float = 1.0
    delivery_timeout: float = 120.0


def _no_hook(notification_id: int) -> None:
    """Default for the fault-injection hook between delivery and tracking."""


class OutboxRelay:
    """Publishes every stored event exactly in notification order, at least once."""

    def __init__(
        self,
        *,
        name: str,
        recorder: ApplicationRecorder,
        mapper: Mapper[Any],
        tracking: TrackingRecorder,
        publisher: EventPublisher,
        topics: Topics | None = None,
        settings: RelaySettings | None = None,
        after_delivery: Callable[[int], None] = _no_hook,
        log: NotificationLog | None = None,
    ) -> None:
        self.name = name
        self._envelopes = StoredEnvelopes(mapper)
        self._tracking = tracking
        self._publisher = publisher
        self._topics = topics or Topics()
        self._settings = settings or RelaySettings()
        self._reader = SectionReader(log or RecorderLog(recorder), self._settings.section_size)
        self._after_delivery = after_delivery
        # Stored event topic -> (bus topic, event type), ("", "") for internal events.
        self._routes: dict[str, tuple[str, str]] = {}
        self._in_flight: deque[tuple[int, int, PendingDelivery]] = deque()
        self._read_position = self.position()
        self.published = 0

    def position(self) -> int:
        """The last notification id whose event (and all before it) is confirmed delivered."""
        return self._tracking.max_tracking_id(self.name) or 0

    def step(self) -> int:
        """Read and publish one section; record what has been confirmed. Returns events read."""
        rows = self._reader.read(self._read_position)
        if rows:
            delivery = self._publisher.publish(self._messages(rows))
            self._in_flight.append((rows[-1][0], len(rows), delivery))
            self._read_position = rows[-1][0]
        while self._in_flight and (
            len(self._in_flight) >= self._settings.max_in_flight or not rows
        ):
            self._confirm_oldest()
        return len(rows)

    def drain(self) -> None:
        """Publish until the log is exhausted and everything read is recorded."""
        while self.step():
            pass

    def run(self, stop: threading.Event) -> None:
        """Loop until `stop` is set; during a bus outage wait and resume from the position."""
        while not stop.is_set():
            try:
                if not self.step():
                    stop.wait(self._settings.idle_wait)
            except PublishError as error:
                log.warning("relay: delivery failed, resuming from the position: %s", error)
                self._recover(stop)
            except Exception as error:  # the store may be down too: same remedy, later
                log.warning(
                    "relay: %s: %s; resuming from the position", type(error).__name__, error
                )
                self._recover(stop)

    def _messages(self, rows: Sequence[LogRow]) -> list[OutboundMessage]:
        # The hot loop: locals instead of attribute lookups, one dict lookup to route.
        messages: list[OutboundMessage] = []
        append = messages.append
        routes = self._routes
        envelope = self._envelopes.from_row
        for row in rows:
            topic, event_type = routes.get(row[3]) or self._route(row[3])
            if topic:
                append(OutboundMessage(topic, row[1].encode(), envelope(row, event_type)))
        return messages

    def _route(self, stored_topic: str) -> tuple[str, str]:
        # Events without an event_type are internal bookkeeping (docs/contracts.md): skipped,
        # but the position still moves past them.
        event_type = self._envelopes.event_type(stored_topic)
        route = (
            ("", "")
            if event_type is None
            else (self._topics.for_event_type(event_type), event_type)
        )
        self._routes[stored_topic] = route
        return route

    def _confirm_oldest(self) -> None:
        last_id, count, delivery = self._in_flight[0]
        delivery.wait(self._settings.delivery_timeout)
        self._in_flight.popleft()
        self._after_delivery(last_id)
        self._tracking.insert_tracking(Tracking(self.name, last_id))
        self.published += count

    def _recover(self, stop: threading.Event) -> None:
        # Everything unconfirmed is read and published again; the consumer dedups by event id.
        self._in_flight.clear()
        self._reader.discard()
        while not stop.wait(self._settings.retry_wait):
            try:
                self._read_position = self.position()
                return
            except Exception as error:  # store still unreachable: keep waiting
                log.warning("relay: position unreadable: %s", type(error).__name__)
