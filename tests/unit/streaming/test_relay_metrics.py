"""The relay's metrics: position, head, lag, counts and lease state, read at scrape time."""

from prometheus_client import generate_latest

from adapters.memory.event_publisher import InProcessBus
from application.relay import OutboxRelay
from entrypoints.relay_metrics import RelayMetrics
from tests.unit.streaming.sample_app import SampleApp


def _relay(app: SampleApp) -> OutboxRelay:
    return OutboxRelay(
        name="relay", recorder=app.recorder, mapper=app.mapper,
        tracking=app.tracking,  # type: ignore[attr-defined]
        publisher=InProcessBus(),
    )  # fmt: skip


def _samples(metrics: RelayMetrics) -> dict[str, float]:
    lines = generate_latest(metrics.registry).decode().splitlines()
    return {ln.split()[0]: float(ln.split()[1]) for ln in lines if not ln.startswith("#")}


def test_position_head_lag_counts_and_lease_state() -> None:
    app = SampleApp(env={"PERSISTENCE_MODULE": "eventsourcing.popo"})
    app.tracking = app.factory.tracking_recorder()  # type: ignore[attr-defined]
    metrics = RelayMetrics()
    assert _samples(metrics)["flowguard_relay_lease_held"] == 0
    app.place(1, confirmations=1)
    relay = _relay(app)
    metrics.follow(relay)
    metrics.lease_held(True)
    assert _samples(metrics)["flowguard_relay_lag"] == 2
    relay.drain()
    app.place(2)
    samples = _samples(metrics)
    assert samples["flowguard_relay_position"] == 2
    assert samples["flowguard_relay_head"] == 3
    assert samples["flowguard_relay_lag"] == 1
    assert samples["flowguard_relay_published_total"] == 2
    assert samples["flowguard_relay_lease_held"] == 1
    metrics.follow(_relay(app))  # the lease lost and taken again: counts carry over
    assert _samples(metrics)["flowguard_relay_published_total"] == 2
