"""The relay process: the outbox relay loop on the configured event store and bus.

Several relay processes may share one event store: the one holding the lease publishes, the
others stand by and take over when it dies (PostgreSQL; SQLite runs one relay and refuses a
second). `--metrics-port` exports the relay's position, lag, counts and lease state.
"""

import logging
import signal
import threading
from typing import Any

from application.relay import LeaseLostError, OutboxRelay, RelayLease, RelayRefusedError
from entrypoints.outages import throttle_outage_logs
from entrypoints.relay_metrics import RelayMetrics

log = logging.getLogger("flowguard.relay")

LEASE_POLL = 1.0  # seconds between a standby's attempts to take the lease
# A new holder waits this long before publishing: a holder that lost its lease while alive
# checks it before each section, so by then it has stopped.
TAKEOVER_GRACE = 1.0

__all__ = ["RelayRefusedError", "run_relay", "stop_on_signals"]


def stop_on_signals(stop: threading.Event) -> None:
    """SIGTERM and SIGINT ask the loops to finish their current step and return."""
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())


def _build_when_store_answers(container: Any, stop: threading.Event) -> OutboxRelay | None:
    # Building the application talks to the store; a store that is down (or a connection that
    # is killed) at start-up means wait and try again, as during operation.
    while not stop.is_set():
        try:
            relay: OutboxRelay = container.relay()
            return relay
        except Exception as error:
            log.warning("relay: cannot start yet (%s: %s); retrying", type(error).__name__, error)
            container.flowguard_app.reset()
            stop.wait(1.0)
    return None


def _hold_lease(
    lease: RelayLease, stop: threading.Event, metrics: RelayMetrics, lost: bool = False
) -> bool:
    """Wait until this relay holds the lease; False when stopped first. A relay that just lost
    it waits a few rounds first, so that a standby takes over rather than the loser again."""
    standing_by = False
    if lost:
        stop.wait(3 * LEASE_POLL)
    while not stop.is_set():
        try:
            if lease.acquire():
                metrics.lease_held(True)
                if standing_by:
                    stop.wait(TAKEOVER_GRACE)
                log.info("relay: holding the lease; publishing")
                return not stop.is_set()
            if not standing_by:
                log.info("relay: standing by; the lease is held by %s", lease.holder())
                standing_by = True
        except RelayRefusedError:
            raise
        except Exception as error:  # the store is down: a standby keeps waiting
            log.warning("relay: lease unavailable (%s: %s)", type(error).__name__, error)
        stop.wait(LEASE_POLL)
    return False


def _publish_while_held(container: Any, relay: OutboxRelay, stop: threading.Event,
                        metrics: RelayMetrics) -> bool:  # fmt: skip
    """Run until stopped (False) or until the lease is lost (True: stand by again)."""
    metrics.follow(relay)
    log.info("relay: starting after notification %d", relay.position())
    try:
        relay.run(stop)
        return False
    except LeaseLostError as error:
        log.error("relay: %s; stopped publishing and standing by", error)
        _abandon(container)
        metrics.lease_held(False)
        return True
    finally:
        log.info("relay: stopped at notification %d", relay.confirmed_position)


STOP_GRACE = 5.0  # seconds a stopping relay waits for deliveries before dropping the rest


def _abandon_if_stuck(container: Any, stop: threading.Event, done: threading.Event) -> None:
    """A stop during a broker outage would wait for deliveries that cannot come: after a grace,
    drop what the producer still holds (the next relay sends it again from the position)."""

    def watch() -> None:
        stop.wait()
        if not done.wait(STOP_GRACE):
            _abandon(container)

    threading.Thread(target=watch, name="relay-stop", daemon=True).start()


def _abandon(container: Any) -> None:
    """Drop what the publisher holds unsent (only Kafka's producer holds any)."""
    abandon = getattr(container.event_publisher(), "abandon", None)
    if abandon is not None:
        abandon()


def run_relay(container: Any, stop: threading.Event, metrics_port: int = 0) -> None:
    """Stand by for the lease, publish while holding it, until `stop`. Raises
    `RelayRefusedError` when this store allows no second relay, `BusLostError` when the bus
    lost confirmed messages and the relay is set to stop then."""
    throttle_outage_logs()
    metrics = RelayMetrics(metrics_port)
    lease: RelayLease = container.relay_lease()
    lost, done = False, threading.Event()
    _abandon_if_stuck(container, stop, done)
    try:
        while not stop.is_set():
            # Built before the lease is held, so a standby's takeover does not wait for it.
            if _build_when_store_answers(container, stop) is None:
                return
            if not _hold_lease(lease, stop, metrics, lost):
                return
            relay = _build_when_store_answers(container, stop)
            lost = relay is not None and _publish_while_held(container, relay, stop, metrics)
            if not lost:
                return
    finally:
        done.set()
        lease.release()
        container.event_publisher().close()
