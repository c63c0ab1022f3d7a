"""The outbox relay against the in-memory event store and the in-process bus."""

import threading

import orjson
import pytest

from adapters.memory.event_publisher import InProcessBus
from application.ports import PublishError
from application.relay import OutboxRelay, RelaySettings
from tests.unit.streaming.fakes import FlakyPublisher
from tests.unit.streaming.sample_app import SampleApp


@pytest.fixture
def app() -> SampleApp:
    app = SampleApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    # In memory, each tracking recorder is its own store: share one, as a database would.
    app.tracking = app.factory.tracking_recorder()  # type: ignore[attr-defined]
    return app


def _relay(app: SampleApp, publisher: object, **kwargs: object) -> OutboxRelay:
    return OutboxRelay(
        name="relay:SampleApp",
        recorder=app.recorder,
        mapper=app.mapper,
        tracking=app.tracking,  # type: ignore[attr-defined]
        publisher=publisher,  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def _envelopes(bus: InProcessBus, topic: str) -> list[dict[str, object]]:
    return [orjson.loads(m.value or b"") for m in bus.messages(topic)]


def test_every_published_event_reaches_its_topic_keyed_by_aggregate(app: SampleApp) -> None:
    order_id = app.place(1, confirmations=2)
    app.click(2, clicks=3)
    bus = InProcessBus()
    _relay(app, bus).drain()
    orders = _envelopes(bus, "raw.orders.v1")
    assert [e["aggregate_version"] for e in orders] == [1, 2, 3]
    assert {m.key for m in bus.messages("raw.orders.v1")} == {str(order_id).encode()}
    assert len(_envelopes(bus, "raw.clicks.v1")) == 3


def test_internal_events_are_skipped_but_the_position_moves_past_them(app: SampleApp) -> None:
    app.click(1, clicks=1)  # notification 1 is the internal Opened event
    bus = InProcessBus()
    relay = _relay(app, bus)
    relay.drain()
    assert [e["aggregate_version"] for e in _envelopes(bus, "raw.clicks.v1")] == [2]
    assert relay.position() == app.recorder.max_notification_id()


def test_a_restarted_relay_resumes_after_its_recorded_position(app: SampleApp) -> None:
    app.place(1)
    bus = InProcessBus()
    _relay(app, bus).drain()
    app.place(2)
    _relay(app, bus).drain()
    seqs = [e["payload"]["seq"] for e in _envelopes(bus, "raw.orders.v1")]  # type: ignore[index]
    assert sorted(seqs) == [1, 2]


def test_the_log_is_read_in_large_sections(app: SampleApp) -> None:
    for seq in range(25):
        app.place(seq)
    bus = InProcessBus()
    relay = _relay(app, bus, settings=RelaySettings(section_size=10))
    assert relay.step() == 10
    assert relay.step() == 10
    assert relay.step() == 5
    assert RelaySettings().section_size >= 1000


def test_the_position_is_not_recorded_until_delivery_is_confirmed(app: SampleApp) -> None:
    app.place(1)
    relay = _relay(app, FlakyPublisher(InProcessBus(), failures=1))
    with pytest.raises(PublishError, match="broker unreachable"):
        relay.drain()
    assert relay.position() == 0


def test_after_failed_deliveries_the_relay_resends_from_its_position(app: SampleApp) -> None:
    for seq in range(5):
        app.place(seq)
    bus = InProcessBus()
    relay = _relay(
        app,
        FlakyPublisher(bus, failures=2),
        settings=RelaySettings(section_size=2, retry_wait=0, idle_wait=0.01),
    )
    stop = threading.Event()
    thread = threading.Thread(target=relay.run, args=(stop,))
    thread.start()
    try:
        while relay.position() < 5:
            stop.wait(0.01)
    finally:
        stop.set()
        thread.join()
    seqs = [e["payload"]["seq"] for e in _envelopes(bus, "raw.orders.v1")]  # type: ignore[index]
    assert sorted(set(seqs)) == [0, 1, 2, 3, 4]


def test_the_fault_hook_runs_after_delivery_and_before_tracking(app: SampleApp) -> None:
    app.place(1)
    seen: list[tuple[int, int]] = []
    relay = _relay(app, InProcessBus())
    relay = _relay(app, InProcessBus(), after_delivery=lambda n: seen.append((n, relay.position())))
    relay.drain()
    assert seen == [(1, 0)]
    assert relay.position() == 1
