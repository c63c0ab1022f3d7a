"""The bronze consumer process: bus -> BRONZE with Prometheus metrics and clean shutdown."""

import logging
import os
import socket
import threading
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, start_http_server

from application.bronze_loader import (
    BronzeConsumer,
    BronzeLoader,
    ConsumerSettings,
    LoadReport,
)
from application.ports import InboundMessage, MessageSource
from entrypoints.outages import throttle_outage_logs

log = logging.getLogger("flowguard.consumer")


class ConsumerMetrics:
    def __init__(self, registry: CollectorRegistry | None = None, member: str = "") -> None:
        self.registry = registry or CollectorRegistry()
        self.member = member or f"{socket.gethostname()}-{os.getpid()}"
        r = self.registry
        self.lag = Gauge(
            "flowguard_consumer_lag",
            "Messages behind, per partition this member owns",
            ["topic", "partition", "member"],
            registry=r,
        )
        self.member_lag = Gauge(
            "flowguard_consumer_member_lag", "Messages behind on all its partitions", ["member"],
            registry=r,
        )  # fmt: skip
        self.partitions = Gauge(
            "flowguard_consumer_partitions", "Partitions this member owns", ["member"], registry=r
        )
        self._owned: set[tuple[str, int]] = set()
        self.rows = Counter("flowguard_bronze_rows_merged", "Rows inserted into BRONZE", registry=r)
        self.duplicates = Counter(
            "flowguard_bronze_duplicates_skipped", "Rows already in BRONZE", registry=r
        )
        self.dead = Counter("flowguard_dead_letters", "Messages dead-lettered", registry=r)
        self.batch = Histogram(
            "flowguard_batch_seconds",
            "Write latency of one batch",
            buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
            registry=r,
        )

    def observe(self, report: LoadReport, seconds: float) -> None:
        self.rows.inc(report.rows_merged)
        self.duplicates.inc(report.duplicates_skipped)
        self.dead.inc(report.dead_letters)
        self.batch.observe(seconds)

    def update_lag(self, lags: dict[tuple[str, int], int]) -> None:
        # Partitions a rebalance moved to another member leave this member's series.
        for topic, partition in self._owned - set(lags):
            self.lag.remove(topic, str(partition), self.member)
        self._owned = set(lags)
        for (topic, partition), lag in lags.items():
            self.lag.labels(topic, str(partition), self.member).set(lag)
        self.member_lag.labels(self.member).set(sum(lags.values()))
        self.partitions.labels(self.member).set(len(lags))


class RedactSecrets(logging.Filter):
    """Replaces every configured secret by *** in any log record, whoever logs it."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if s and len(s) >= 4]

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        for secret in self.secrets:
            message = message.replace(secret, "***")
        record.msg, record.args = message, None
        return True


def secret_values(settings: Any) -> list[str]:
    values = [settings.snowflake_password, settings.kafka_sasl_password, settings.postgres_dsn]
    secrets = [v.get_secret_value() for v in values if v is not None]
    return [*secrets, *settings.api_keys]


def install_redaction(settings: Any) -> None:
    redact = RedactSecrets(secret_values(settings))
    for handler in logging.getLogger().handlers:
        handler.addFilter(redact)


AfterWrite = Callable[[Sequence[InboundMessage]], None]


def build_consumer(
    container: Any,
    settings: ConsumerSettings,
    metrics: ConsumerMetrics,
    source: MessageSource,
    after_write: AfterWrite | None = None,
) -> BronzeConsumer:
    hooks = {"after_write": after_write} if after_write else {}
    return BronzeConsumer(
        source,
        BronzeLoader(container.bronze_warehouse(), container.dead_letter_sink()),
        settings,
        on_report=metrics.observe,
        **hooks,
    )


def create_schema_when_ready(container: Any, stop: threading.Event) -> bool:
    """BRONZE must exist before loading; a warehouse that is down at start-up is waited for."""
    while not stop.is_set():
        warehouse = container.bronze_warehouse()
        try:
            warehouse.create_schema()
            return True
        except Exception as error:
            log.warning("consumer: warehouse not ready (%s); retrying", type(error).__name__)
            stop.wait(1.0)
        finally:
            warehouse.close()
    return False


def run_consumer(
    container: Any,
    stop: threading.Event,
    settings: ConsumerSettings,
    metrics_port: int = 0,
    after_write: AfterWrite | None = None,
) -> None:
    """Load until `stop`. `after_write` runs after each batch is written and before its commit."""
    throttle_outage_logs()
    if not create_schema_when_ready(container, stop):
        return
    source: MessageSource = container.message_source()
    metrics = ConsumerMetrics(member=getattr(source, "member", ""))
    if metrics_port:
        start_http_server(metrics_port, registry=metrics.registry)
    consumer = build_consumer(container, settings, metrics, source, after_write)
    log.info("consumer: started (batch %d, %.2fs)", settings.batch_size, settings.batch_wait)
    try:
        while not stop.is_set():
            consumer.step(stop)
            metrics.update_lag(source.lag())
    finally:
        source.close()
        log.info("consumer: stopped")
