"""The relay's fast path gives exactly the envelope the mapper path gives, for the sample app
and for FlowGuard's real domain events (orders with lines and decimals, click sessions)."""

from datetime import UTC, datetime

import pytest

from application.commands import (
    ChangeOrderStatus,
    ClickEventInput,
    OrderLineRequest,
    PlaceOrder,
    RecordClickEvents,
)
from application.envelope import envelope_bytes, is_published
from application.stored_envelope import StoredEnvelopes
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
    app.change_order_status(ChangeOrderStatus(receipt.order_id, "confirmed", now))
    clicks = tuple(
        ClickEventInput("s-1", kind, "rst_001", "menu", item_id="itm_0001", quantity=1)
        for kind in ("impression", "click", "add_to_cart")
    )
    app.record_click_events(RecordClickEvents(clicks, now))
    try:
        assert _assert_equivalent(app) == 5
    finally:
        app.close()
