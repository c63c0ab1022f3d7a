"""The relay's fast path gives exactly the envelope the mapper path gives, for the sample app
and for FlowGuard's real domain events (orders with lines and decimals, click sessions)."""

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, ClassVar
from uuid import UUID

import orjson
import pytest
from eventsourcing.application import Application
from eventsourcing.domain import Aggregate, event

from application.codec import StoredEnvelopes, envelope_bytes, is_published
from application.commands import (
    ChangeOrderStatus,
    ClickEventInput,
    OrderLineRequest,
    PlaceOrder,
    RecordClickEvents,
)
from entrypoints.bootstrap import create_container
from entrypoints.settings import Settings
from tests.unit.streaming.sample_app import SampleApp


def _assert_equivalent(app: object) -> int:
    mapper = app.mapper  # type: ignore[attr-defined]
    fast = StoredEnvelopes(mapper)
    published = 0
    for notification in app.recorder.select_notifications(1, 1000):  # type: ignore[attr-defined]
        event = mapper.to_domain_event(notification)
        expected = envelope_bytes(event) if is_published(event) else None
        assert fast.envelope(notification) == expected
        published += expected is not None
    return published


def test_sample_events_match_the_mapper_path() -> None:
    app = SampleApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.place(1, confirmations=2)
    app.click(2, clicks=3)
    assert _assert_equivalent(app) == 6


def test_flowguard_domain_events_match_the_mapper_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLOWGUARD_EVENT_STORE", "memory")
    container = create_container(Settings(_env_file=None))  # type: ignore[call-arg]
    app = container.flowguard_app()
    now = datetime.now(UTC)
    receipt = app.place_order(
        PlaceOrder("u-1", "rst_001", (OrderLineRequest("itm_0001", 2),), "upi", now, "s-1")
    )
    confirmed = app.change_order_status(ChangeOrderStatus(receipt.order_id, "confirmed", now))
    clicks = tuple(
        ClickEventInput("s-1", kind, "rst_001", "menu", item_id="itm_0001", quantity=1)
        for kind in ("impression", "click", "add_to_cart")
    )
    client_ids = (uuid.uuid4(), None, uuid.uuid4())
    clicks = tuple(replace(c, event_id=i) for c, i in zip(clicks, client_ids, strict=True))
    result = app.record_click_events(RecordClickEvents(clicks, now))
    try:
        assert _assert_equivalent(app) == 5
        envelopes = [
            orjson.loads(StoredEnvelopes(app.mapper).envelope(n) or b"null")
            for n in app.recorder.select_notifications(1, 1000)
        ]
        published = [e for e in envelopes if e is not None]
        assert [e["event_id"] for e in published] == [
            str(receipt.event_id),
            str(confirmed.event_id),
            *(str(result.event_ids[i]) for i in range(3)),
        ]
        assert [e["client_event_id"] for e in published[2:]] == [
            None if i is None else str(i) for i in client_ids
        ]
    finally:
        app.close()


class Tricky(Aggregate):
    """Payloads the fast path must not take at face value."""

    class Noted(Aggregate.Created):
        event_type: ClassVar[str] = "order.noted"
        event_id: UUID
        event_time: datetime
        received_at: datetime
        note: str
        nested: dict[str, Any]

    class Upcast(Aggregate.Event):
        event_type: ClassVar[str] = "order.upcast"
        class_version: ClassVar[int] = 2
        event_id: UUID
        event_time: datetime
        received_at: datetime
        amount: Decimal

        @staticmethod
        def upcast_v1_v2(state: dict[str, Any]) -> None:
            state["amount"] = Decimal("1.50")

    @event(Noted)
    def __init__(
        self, event_id: UUID, event_time: datetime, received_at: datetime, note: str, nested: Any
    ) -> None:
        pass

    @event(Upcast)
    def upcast(
        self, event_id: UUID, event_time: datetime, received_at: datetime, amount: Decimal
    ) -> None:
        pass


def test_transcoded_payload_values_text_lookalikes_and_upcasts_match_the_mapper_path() -> None:
    app: Application[UUID] = Application(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    now = datetime.now(UTC)
    note = 'a "_type_" in text, and {"_type_":"uuid_hex","_data_":"00"}'
    for nested in ({"at": now, "id": uuid.uuid4()}, {"plain": [1, {"_x": "y"}]}):
        tricky = Tricky(uuid.uuid4(), now, now, note, nested)
        tricky.upcast(uuid.uuid4(), now, now, Decimal("0.10"))
        app.save(tricky)
    # A class_version above 1 is stored in the state; the mapper pops it (and would upcast).
    stored = app.recorder.select_notifications(1, 10)
    assert all(b"class_version" in n.state for n in stored if n.topic.endswith("Upcast"))
    assert _assert_equivalent(app) == 4
