"""Driving adapter, observability: Prometheus metrics of the gateway, in a registry per app."""

import collections
from collections.abc import Iterable
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, exposition, generate_latest

CONTENT_TYPE = exposition.CONTENT_TYPE_LATEST
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)


class ApiMetrics:
    """One registry per app, so several apps (tests) never clash on metric names."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "flowguard_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "flowguard_http_request_duration_seconds",
            "Time from request arrival to the last byte of the answer.",
            ["method", "route"],
            buckets=LATENCY_BUCKETS,
            registry=self.registry,
        )
        self.events = Counter(
            "flowguard_events",
            "Events received, by event type and outcome (accepted, duplicate, rejected).",
            ["event_type", "outcome"],
            registry=self.registry,
        )
        self.batch_size = Histogram(
            "flowguard_group_commit_batch_size",
            "Events (or commands) committed together in one group-commit transaction.",
            buckets=BATCH_BUCKETS,
            registry=self.registry,
        )

        # The labelled children by (method, route, status): `labels()` validates and locks on
        # every call. The key set is as bounded as the labels themselves.
        self._children: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self._event_children: dict[tuple[str, str], Any] = {}

    def observe_request(self, method: str, route: str, status: int, seconds: float) -> None:
        children = self._children.get((method, route, status))
        if children is None:
            children = (
                self.requests.labels(method, route, str(status)),
                self.latency.labels(method, route),
            )
            self._children[method, route, status] = children
        children[0].inc()
        children[1].observe(seconds)

    def count_events(self, event_types: Iterable[str], outcome: str) -> None:
        # One increment per type, not per event: a batch holds a handful of types.
        for event_type, count in collections.Counter(event_types).items():
            self.count_event(event_type, outcome, count)

    def count_event(self, event_type: str, outcome: str, count: int = 1) -> None:
        child = self._event_children.get((event_type, outcome))
        if child is None:
            child = self._event_children[event_type, outcome] = self.events.labels(
                event_type, outcome
            )
        child.inc(count)

    def observe_batch(self, size: int) -> None:
        self.batch_size.observe(size)

    def render(self) -> bytes:
        return generate_latest(self.registry)
