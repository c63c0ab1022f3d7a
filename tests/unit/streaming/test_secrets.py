"""Credentials never show in logs, error text, reprs or metrics."""

import logging

import pytest
from prometheus_client import generate_latest

from adapters.kafka.config import KafkaConnection
from adapters.snowflake.connection import SnowflakeConfig
from application.bronze_loader import LoadReport
from entrypoints.consumer import ConsumerMetrics, RedactSecrets, secret_values
from entrypoints.settings import Settings

SECRET = "s3cr3t-Pa55word"


def _settings(monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("SNOWFLAKE_PASSWORD", SECRET)
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", SECRET + "-kafka")
    monkeypatch.setenv("FLOWGUARD_POSTGRES_DSN", f"postgresql://u:{SECRET}-pg@h/db")
    return Settings()


def test_log_records_are_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    redact = RedactSecrets(secret_values(_settings(monkeypatch)))
    record = logging.LogRecord(
        "x", logging.WARNING, __file__, 1, "login failed for %s", (f"pw={SECRET}-kafka",), None
    )
    redact.filter(record)
    assert SECRET not in record.getMessage()
    assert "***" in record.getMessage()


def test_connection_settings_do_not_show_passwords() -> None:
    kafka = KafkaConnection("b:9092", "SASL_SSL", "PLAIN", "user", SECRET)
    snowflake = SnowflakeConfig(account="acct", user="user", password=SECRET)
    assert SECRET not in repr(kafka)
    assert SECRET not in repr(snowflake)


def test_settings_do_not_show_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(monkeypatch)
    assert SECRET not in repr(settings)
    assert SECRET not in str(settings.model_dump())


def test_metrics_carry_no_secrets() -> None:
    metrics = ConsumerMetrics(member="m1")
    metrics.observe(LoadReport(3, 2, 1, 0), 0.2)
    metrics.update_lag({("raw.orders.v1", 0): 5})
    exposition = generate_latest(metrics.registry).decode()
    assert "flowguard_bronze_rows_merged_total 2.0" in exposition
    assert (
        'flowguard_consumer_lag{member="m1",partition="0",topic="raw.orders.v1"} 5.0' in exposition
    )
    assert SECRET not in exposition
