"""The relay under a lease, and against a bus that lost what it had confirmed (fakes)."""

from collections.abc import Mapping

import orjson
import pytest

from adapters.memory.event_publisher import InProcessBus
from application.ports import DeliveryTimeoutError
from application.relay import BusLostError, BusMarks, LeaseLostError, OutboxRelay, RelaySettings
from tests.unit.streaming.sample_app import SampleApp


class FakeLease:
    def __init__(self) -> None:
        self.ours = True
        self.saved: BusMarks | None = None

    def acquire(self) -> bool:
        return self.ours

    def held(self) -> bool:
        return self.ours

    def holder(self) -> str:
        return "someone"

    def marks(self) -> BusMarks | None:
        return self.saved

    def record_marks(self, marks: BusMarks) -> bool:
        if self.ours:
            self.saved = marks
        return self.ours

    def release(self) -> None:
        self.ours = False


class FakeBusCheck:
    """The in-process bus's logs, seen as a cluster that can be formatted anew."""

    def __init__(self, bus: InProcessBus, cluster: str = "A") -> None:
        self.bus = bus
        self.id = cluster

    def cluster(self) -> str:
        return self.id

    def confirmed(self) -> Mapping[str, int]:
        return {
            f"{topic}:{p}": self.bus.end_offset(topic, p)
            for topic in ("raw.orders.v1", "raw.clicks.v1")
            for p in range(self.bus.partitions)
            if self.bus.end_offset(topic, p)
        }

    def shortfalls(self, offsets: Mapping[str, int]) -> list[str]:
        ends = self.confirmed()
        return [key for key, mark in offsets.items() if ends.get(key, 0) < mark]

    def forget(self) -> None:
        pass

    def format_anew(self, cluster: str) -> None:
        self.bus = InProcessBus()
        self.id = cluster


@pytest.fixture
def app() -> SampleApp:
    app = SampleApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.tracking = app.factory.tracking_recorder()  # type: ignore[attr-defined]
    return app


def _relay(
    app: SampleApp, check: FakeBusCheck, lease: FakeLease, **settings: object
) -> OutboxRelay:
    return OutboxRelay(
        name="relay", recorder=app.recorder, mapper=app.mapper,
        tracking=app.tracking,  # type: ignore[attr-defined]
        publisher=_Publisher(check), lease=lease, bus=check,
        settings=RelaySettings(**settings),  # type: ignore[arg-type]
    )  # fmt: skip


class _Publisher:
    """Publishes to whatever bus the check currently sees (it may be formatted anew)."""

    def __init__(self, check: FakeBusCheck) -> None:
        self.check = check

    def publish(self, messages: object) -> object:
        return self.check.bus.publish(messages)  # type: ignore[arg-type]

    def close(self) -> None:
        pass


def _seqs(bus: InProcessBus) -> list[int]:
    return sorted(
        orjson.loads(m.value or b"")["payload"]["seq"] for m in bus.messages("raw.orders.v1")
    )


def test_a_relay_that_lost_its_lease_publishes_nothing_more(app: SampleApp) -> None:
    check, lease = FakeBusCheck(InProcessBus()), FakeLease()
    relay = _relay(app, check, lease)
    app.place(1)
    relay.drain()
    lease.ours = False  # another relay took over
    app.place(2)
    with pytest.raises(LeaseLostError):
        relay.drain()
    assert _seqs(check.bus) == [1]


def test_marks_are_recorded_with_the_lease_and_refused_once_it_is_lost(app: SampleApp) -> None:
    check, lease = FakeBusCheck(InProcessBus()), FakeLease()
    relay = _relay(app, check, lease)
    app.place(1)
    relay.drain()
    relay.check_bus()
    assert lease.saved is not None
    assert sum(lease.saved.offsets.values()) == 1
    lease.ours = False
    with pytest.raises(LeaseLostError):
        relay.check_bus()


def test_a_broker_formatted_anew_gets_every_event_again(app: SampleApp) -> None:
    check, lease = FakeBusCheck(InProcessBus()), FakeLease()
    relay = _relay(app, check, lease)
    for seq in range(3):
        app.place(seq)
    relay.drain()
    relay.check_bus()
    check.format_anew("B")  # same address, empty logs, a new cluster id
    app.place(3)
    relay.check_bus()
    relay.drain()
    assert _seqs(check.bus) == [0, 1, 2, 3]
    assert relay.resent == 3
    assert relay.position() == app.recorder.max_notification_id()


def test_a_partition_that_lost_confirmed_messages_is_noticed(app: SampleApp) -> None:
    check, lease = FakeBusCheck(InProcessBus()), FakeLease()
    relay = _relay(app, check, lease, on_bus_loss="stop")
    app.place(1)
    relay.drain()
    relay.check_bus()
    check.bus = InProcessBus()  # same cluster id, but the topic was emptied
    with pytest.raises(BusLostError, match="end before messages already confirmed"):
        relay.check_bus()


class _Void:
    """A publish into a broker that will never confirm it (a formatted broker, stale leaders)."""

    def __init__(self) -> None:
        self.waited: list[float | None] = []

    def wait(self, timeout: float | None = None) -> None:
        self.waited.append(timeout)
        raise DeliveryTimeoutError("no delivery report yet")


class _VoidThenBus(_Publisher):
    """The first publish goes into the void; the broker is then seen formatted anew."""

    def __init__(self, check: FakeBusCheck) -> None:
        super().__init__(check)
        self.void: _Void | None = None

    def publish(self, messages: object) -> object:
        if self.void is None:
            self.void = _Void()
            self.check.format_anew("B")
            return self.void
        return super().publish(messages)


def test_a_delivery_waiting_on_a_formatted_broker_gives_way_at_the_next_bus_check(
    app: SampleApp,
) -> None:
    check, lease = FakeBusCheck(InProcessBus()), FakeLease()
    publisher = _VoidThenBus(check)
    relay = OutboxRelay(
        name="relay", recorder=app.recorder, mapper=app.mapper,
        tracking=app.tracking,  # type: ignore[attr-defined]
        publisher=publisher, lease=lease, bus=check,
        settings=RelaySettings(delivery_timeout=3600.0, bus_check_interval=0.01),
    )  # fmt: skip
    lease.saved = BusMarks("A")  # what the relay confirmed before the broker went away
    for seq in range(3):
        app.place(seq)
    relay.drain()
    assert publisher.void is not None
    assert publisher.void.waited
    assert max(t or 0 for t in publisher.void.waited) <= 0.01
    assert _seqs(check.bus) == [0, 1, 2]  # published again to the new cluster, not waited out
    assert lease.saved is not None
    assert lease.saved.cluster == "B"
