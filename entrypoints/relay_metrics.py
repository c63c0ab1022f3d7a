"""The relay's Prometheus metrics: position, lag behind the store's head, counts, lease state."""

import logging
import math
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from application.relay import OutboxRelay

log = logging.getLogger("flowguard.relay")


class RelayMetrics(Collector):
    """Read at scrape time from the relay that runs now; counts of the relays this process ran
    before (a lease lost and taken again) carry over."""

    def __init__(self, port: int = 0) -> None:
        self.registry = CollectorRegistry()
        self._relay: OutboxRelay | None = None
        self._published = self._resent = 0
        self._held = False
        self.registry.register(self)
        if port:
            start_http_server(port, registry=self.registry)

    def follow(self, relay: OutboxRelay) -> None:
        if self._relay is not None:
            self._published += self._relay.published
            self._resent += self._relay.resent
        self._relay = relay

    def lease_held(self, held: bool) -> None:
        self._held = held

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        relay = self._relay
        position = relay.confirmed_position if relay else 0
        head = self._head(relay)
        yield _gauge(
            "flowguard_relay_position", "Last notification id confirmed on the bus", position
        )
        yield _gauge("flowguard_relay_head", "The event store's last notification id", head)
        yield _gauge(
            "flowguard_relay_lag", "Notifications not yet confirmed on the bus", head - position
        )
        yield _gauge(
            "flowguard_relay_lease_held", "1 while this relay holds the lease", int(self._held)
        )
        published = self._published + (relay.published if relay else 0)
        resent = self._resent + (relay.resent if relay else 0)
        yield CounterMetricFamily(
            "flowguard_relay_published", "Events confirmed on the bus", published
        )
        yield CounterMetricFamily(
            "flowguard_relay_resent", "Events published again (rewinds)", resent
        )

    @staticmethod
    def _head(relay: OutboxRelay | None) -> float:
        if relay is None:
            return math.nan
        try:
            return relay.head()
        except Exception as error:  # the store is down: the scrape still answers
            log.warning("relay metrics: head unreadable (%s)", type(error).__name__)
            return math.nan


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(name, documentation, value=value)
