"""The outbox relay: follows the event store's notification log in order, publishes envelopes,
and records its position (eventsourcing tracking) only after the bus confirmed delivery.

Why not eventsourcing's ProjectionRunner: it records tracking per event inside
`process_event`, while here a position may be recorded only after an asynchronous delivery
report for every message up to it; and the SQLite recorder does not support `subscribe`.
So the relay reads the notification log directly, in large sections (raw rows where the
store's adapter offers them, else the recorder's `select_notifications`), and keeps its position
with the library's `TrackingRecorder` in the event store's own database.

Several relays may run on one event store: a `RelayLease` lets one publish and keeps the others
waiting. A `BusCheck` lets the relay notice a bus that lost messages it had confirmed (a broker
whose storage was formatted anew, a topic deleted and created again).
"""

import logging
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from eventsourcing.persistence import ApplicationRecorder, Mapper, Tracking, TrackingRecorder

from application.codec import LogRow, StoredEnvelopes
from application.notification_log import NotificationLog, RecorderLog
from application.ports import (
    DeliveryTimeoutError,
    EventPublisher,
    OutboundMessage,
    PendingDelivery,
    PublishError,
)
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
    # How often the bus is compared with what was confirmed on it, and the marks recorded.
    bus_check_interval: float = 5.0
    # What to do when the bus lost confirmed messages: publish everything again from the first
    # event (the consumer drops what BRONZE already has), or stop and say so.
    on_bus_loss: Literal["republish", "stop"] = "republish"


@dataclass(frozen=True)
class BusMarks:
    """What a relay has confirmed on the bus: its cluster, and per "topic:partition" the offset
    just past the last confirmed message. A healthy log never ends before its mark."""

    cluster: str
    offsets: Mapping[str, int] = field(default_factory=dict)

    def merged(self, newer: Mapping[str, int]) -> "BusMarks":
        offsets = dict(self.offsets)
        for key, offset in newer.items():
            offsets[key] = max(offset, offsets.get(key, 0))
        return BusMarks(self.cluster, offsets)


class RelayLease(Protocol):
    """Who may publish: at most one relay per event store holds the lease at a time. The
    bus marks live with the lease, and recording them is fenced: a lost lease refuses them."""

    def acquire(self) -> bool:
        """Try once to take the lease (or keep it); True while this relay holds it. Raises
        `RelayRefusedError` where a second relay is not supported (SQLite)."""
        ...

    def held(self) -> bool:
        """Whether the lease is still ours: one round trip, False once it was lost."""
        ...

    def holder(self) -> str:
        """Who holds the lease now, for the standby's log line ("" when nobody)."""
        ...

    def marks(self) -> BusMarks | None: ...

    def record_marks(self, marks: BusMarks) -> bool:
        """Keep `marks` with the lease; False (nothing kept) when the lease is no longer ours."""
        ...

    def release(self) -> None: ...


class BusCheck(Protocol):
    """The bus as the relay checks it: its identity, and whether it still holds the messages
    the relay confirmed."""

    def cluster(self) -> str: ...

    def confirmed(self) -> Mapping[str, int]:
        """Per "topic:partition", the offset past the last message confirmed since the start."""
        ...

    def shortfalls(self, offsets: Mapping[str, int]) -> list[str]:
        """The partitions whose log now ends before the given offset."""
        ...

    def forget(self) -> None:
        """Drop the offsets confirmed so far and whatever is still unsent: the relay publishes
        everything again, from the first event."""
        ...


class RelayRefusedError(Exception):
    """This relay may not run at all here (a second relay on a store that allows one)."""


class LeaseLostError(Exception):
    """Another relay holds the lease now: this one must not publish again."""


class BusLostError(Exception):
    """The bus no longer holds messages that were confirmed, and the relay is told to stop."""


class FreeLease:
    """The lease of a relay that runs alone (the in-memory store, unit tests)."""

    def __init__(self) -> None:
        self._marks: BusMarks | None = None

    def acquire(self) -> bool:
        return True

    def held(self) -> bool:
        return True

    def holder(self) -> str:
        return ""

    def marks(self) -> BusMarks | None:
        return self._marks

    def record_marks(self, marks: BusMarks) -> bool:
        self._marks = marks
        return True

    def release(self) -> None:
        return None


def _no_hook(notification_id: int) -> None:
    """Default for the hook between delivery and tracking."""


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
        lease: RelayLease | None = None,
        bus: BusCheck | None = None,
    ) -> None:
        self.name = name
        self._recorder = recorder
        self._envelopes = StoredEnvelopes(mapper)
        self._tracking = tracking
        self._publisher = publisher
        self._topics = topics or Topics()
        self._settings = settings or RelaySettings()
        self._reader = SectionReader(log or RecorderLog(recorder), self._settings.section_size)
        self._after_delivery = after_delivery
        self._lease = lease or FreeLease()
        self._bus = bus
        # Stored event topic -> (bus topic, event type), ("", "") for internal events.
        self._routes: dict[str, tuple[str, str]] = {}
        self._in_flight: deque[tuple[int, int, PendingDelivery]] = deque()
        self.confirmed_position = self.position()
        # The last notification confirmed in this pass: behind the recorded position while
        # everything is published again after a bus lost messages.
        self._delivered = self.confirmed_position
        self._read_position = self.confirmed_position
        self._next_check = 0.0
        self.published = 0
        self.resent = 0

    def position(self) -> int:
        """The last notification id whose event (and all before it) is confirmed delivered."""
        return self._tracking.max_tracking_id(self.name) or 0

    def head(self) -> int:
        """The event store's last notification id."""
        return self._recorder.max_notification_id() or 0

    def step(self) -> int:
        """Read and publish one section; record what has been confirmed. Returns events read, or
        1 when nothing was read but the bus was found lost (everything is to be read again)."""
        start = self._read_position
        rows = self._reader.read(start)
        if rows:
            if not self._lease.held():
                raise LeaseLostError("the lease is no longer ours (another relay holds it)")
            delivery = self._publisher.publish(self._messages(rows))
            self._in_flight.append((rows[-1][0], len(rows), delivery))
            self._read_position = rows[-1][0]
        while self._in_flight and (
            len(self._in_flight) >= self._settings.max_in_flight or not rows
        ):
            self._confirm_oldest()
        return len(rows) or int(self._read_position < start)

    def drain(self) -> None:
        """Publish until the log is exhausted and everything read is recorded."""
        while self.step():
            pass

    def run(self, stop: threading.Event) -> None:
        """Loop until `stop` is set; during a bus or store outage wait and resume from the
        position. Raises `LeaseLostError` when another relay took over, and `BusLostError` when
        told to stop on a bus that lost confirmed messages."""
        while not stop.is_set():
            try:
                self._check_bus_when_due()
                if not self.step():
                    stop.wait(self._settings.idle_wait)
            except (LeaseLostError, BusLostError):
                raise
            except PublishError as error:
                log.warning("relay: delivery failed, resuming from the position: %s", error)
                self._recover(stop)
            except Exception as error:  # the store may be down too: same remedy, later
                log.warning(
                    "relay: %s: %s; resuming from the position", type(error).__name__, error
                )
                self._recover(stop)

    def check_bus(self) -> None:
        """Compare the bus with the marks kept with the lease; re-publish from the first event
        (or raise `BusLostError`) when it lost messages; else record the marks, fenced."""
        if self._bus is None:
            return
        cluster = self._bus.cluster()
        saved = self._lease.marks()
        reason = _loss(saved, cluster, self._bus) if saved else None
        if reason:
            self._bus_lost(reason, cluster)
            return
        marks = (saved if saved else BusMarks(cluster)).merged(self._bus.confirmed())
        if not self._lease.record_marks(marks):
            raise LeaseLostError("the lease is no longer ours (another relay holds it)")

    def _check_bus_when_due(self) -> None:
        now = time.monotonic()
        if now < self._next_check:
            return
        self._next_check = now + self._settings.bus_check_interval
        try:
            self.check_bus()
        except (LeaseLostError, BusLostError):
            raise
        except Exception as error:  # a bus that does not answer: publishing waits for it anyway
            log.warning("relay: the bus could not be checked (%s); trying again", error)
            self._next_check = now + self._settings.retry_wait

    def _bus_lost(self, reason: str, cluster: str) -> None:
        if self._settings.on_bus_loss == "stop":
            raise BusLostError(f"{reason}; stopping (the events after it were never re-published)")
        log.error(
            "relay: %s; publishing every event again from the first (BRONZE keeps one copy)",
            reason,
        )
        self._in_flight.clear()
        self._reader.discard()
        self.resent += self._read_position
        self._read_position = self._delivered = 0
        if self._bus is not None:
            self._bus.forget()
        if not self._lease.record_marks(BusMarks(cluster)):
            raise LeaseLostError("the lease is no longer ours (another relay holds it)")

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
        if not self._await(delivery):
            return  # the bus was found lost meanwhile: everything is published again
        self._in_flight.popleft()
        self._after_delivery(last_id)
        self._delivered = last_id
        # After a re-publish from the first event, positions already recorded stay as they are.
        if last_id > self.confirmed_position:
            self._tracking.insert_tracking(Tracking(self.name, last_id))
            self.confirmed_position = last_id
        self.published += count

    def _await(self, delivery: PendingDelivery) -> bool:
        """Wait for `delivery`, checking the bus while it is due: messages sent to a broker that
        came back formatted anew may never be confirmed, and waiting for their timeout would
        hold up the re-publish. False when the check found the bus lost."""
        deadline = time.monotonic() + self._settings.delivery_timeout
        while True:
            left = deadline - time.monotonic()
            try:
                delivery.wait(max(0.0, min(left, self._settings.bus_check_interval)))
                return True
            except DeliveryTimeoutError:
                if left <= self._settings.bus_check_interval:
                    raise
            self._check_bus_when_due()
            if not self._in_flight or self._in_flight[0][2] is not delivery:
                return False

    def _recover(self, stop: threading.Event) -> None:
        # Everything unconfirmed is read and published again; the consumer dedups by event id.
        self.resent += sum(count for _, count, _ in self._in_flight)
        self._in_flight.clear()
        self._reader.discard()
        while not stop.wait(self._settings.retry_wait):
            try:
                self.confirmed_position = self.position()
                self._read_position = min(self._delivered, self.confirmed_position)
                self._next_check = 0.0  # an outage may hide a broker that came back empty
                return
            except Exception as error:  # store still unreachable: keep waiting
                log.warning("relay: position unreadable: %s", type(error).__name__)


def _loss(saved: BusMarks, cluster: str, bus: BusCheck) -> str | None:
    """Why the bus no longer holds what `saved` says was confirmed on it, or None."""
    if saved.cluster != cluster:
        return (
            f"the bus is cluster {cluster}, but the messages confirmed so far went to cluster "
            f"{saved.cluster} (a broker whose storage was formatted anew?)"
        )
    short = bus.shortfalls(saved.offsets)
    if short:
        return f"partitions {', '.join(short[:6])} end before messages already confirmed on them"
    return None
