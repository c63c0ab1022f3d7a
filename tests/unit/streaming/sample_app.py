"""A tiny event-sourced application shaped like FlowGuard's (docs/contracts.md meta attributes
and event types), so the streaming path is tested independently of the real domain model."""

import uuid
from datetime import UTC, datetime
from typing import ClassVar
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event


def _now() -> datetime:
    return datetime.now(UTC)


class SampleOrder(Aggregate):
    class Placed(Aggregate.Created):
        event_type: ClassVar[str] = "order.placed"
        event_id: UUID
        event_time: datetime
        received_at: datetime
        user_id: str
        seq: int

    class Confirmed(Aggregate.Event):
        event_type: ClassVar[str] = "order.confirmed"
        event_id: UUID
        event_time: datetime
        received_at: datetime
        seq: int

    @event(Placed)
    def __init__(
        self, event_id: UUID, event_time: datetime, received_at: datetime, user_id: str, seq: int
    ) -> None:
        self.user_id = user_id
        self.seqs = [seq]

    @event(Confirmed)
    def confirm(
        self, event_id: UUID, event_time: datetime, received_at: datetime, seq: int
    ) -> None:
        self.seqs.append(seq)


class SampleClicks(Aggregate):
    class Started(Aggregate.Created):
        event_type: ClassVar[str] = "click.impression"
        event_id: UUID
        event_time: datetime
        received_at: datetime
        session_id: str
        seq: int

    @event(Started)
    def __init__(
        self, event_id: UUID, event_time: datetime, received_at: datetime, session_id: str, seq: int
    ) -> None:
        self.session_id = session_id


class SampleApp(Application[UUID]):
    name = "SampleApp"

    def place(self, seq: int, confirmations: int = 0) -> UUID:
        """One order and `confirmations` follow-up events, each numbered `seq`."""
        now = _now()
        order = SampleOrder(uuid.uuid4(), now, now, f"user-{seq}", seq)
        for _ in range(confirmations):
            order.confirm(uuid.uuid4(), now, now, seq)
        self.save(order)
        return order.id

    def click(self, seq: int) -> UUID:
        now = _now()
        session = SampleClicks(uuid.uuid4(), now, now, f"session-{seq}", seq)
        self.save(session)
        return session.id
