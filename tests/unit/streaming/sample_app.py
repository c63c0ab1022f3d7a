"""A tiny event-sourced application shaped like FlowGuard's (docs/contracts.md meta attributes
and event types), so the streaming path is tested independently of the real domain model."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
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
        client_event_id: UUID | None
        event_time: datetime
        received_at: datetime
        user_id: str
        seq: int

    class Confirmed(Aggregate.Event):
        event_type: ClassVar[str] = "order.confirmed"
        event_id: UUID
        client_event_id: UUID | None
        event_time: datetime
        received_at: datetime
        seq: int

    @event(Placed)
    def __init__(
        self,
        event_id: UUID,
        event_time: datetime,
        received_at: datetime,
        user_id: str,
        seq: int,
        *,
        client_event_id: UUID | None,
    ) -> None:
        self.user_id = user_id
        self.seqs = [seq]

    @event(Confirmed)
    def confirm(
        self,
        event_id: UUID,
        event_time: datetime,
        received_at: datetime,
        seq: int,
        *,
        client_event_id: UUID | None,
    ) -> None:
        self.seqs.append(seq)


class SampleClicks(Aggregate):
    class Opened(Aggregate.Created):
        """Internal bookkeeping, like ClickSession.Opened: no event_type, never published."""

        session_id: str

    class Clicked(Aggregate.Event):
        event_type: ClassVar[str] = "click.click"
        event_id: UUID
        client_event_id: UUID | None
        event_time: datetime
        received_at: datetime
        price: Decimal
        seq: int

    @event(Opened)
    def __init__(self, session_id: str) -> None:
        self.session_id = session_id

    @event(Clicked)
    def click(
        self,
        event_id: UUID,
        event_time: datetime,
        received_at: datetime,
        price: Decimal,
        seq: int,
        *,
        client_event_id: UUID | None,
    ) -> None:
        pass


class SampleApp(Application[UUID]):
    name = "SampleApp"

    def place(self, seq: int, confirmations: int = 0) -> UUID:
        """One order (with a client's event id) and `confirmations` follow-up events (without
        one), each numbered `seq`."""
        now = _now()
        order = SampleOrder(
            uuid.uuid4(), now, now, f"user-{seq}", seq, client_event_id=uuid.uuid4()
        )
        for _ in range(confirmations):
            order.confirm(uuid.uuid4(), now, now, seq, client_event_id=None)
        self.save(order)
        return order.id

    def click(self, seq: int, clicks: int = 1) -> UUID:
        """An internal Opened event, then `clicks` published click events numbered `seq`, each
        with a client's event id."""
        now = _now()
        session = SampleClicks(f"session-{seq}")
        for _ in range(clicks):
            session.click(
                uuid.uuid4(), now, now, Decimal("12.50"), seq, client_event_id=uuid.uuid4()
            )
        self.save(session)
        return session.id
