"""BRONZE: the envelopes as the consumer loaded them (docs/contracts.md)."""

from application.tables.declaration import (
    BIGINT,
    DATE,
    TIMESTAMP,
    VARCHAR,
    Column,
    Table,
    column,
    required,
    varchar,
)

_RAW_COLUMNS: tuple[Column, ...] = (
    required("INGESTION_ID", varchar(36), "envelope event_id, minted by the server; MERGE key"),
    required("EVENT_TYPE", varchar(64), "envelope event_type, e.g. order.placed"),
    required("AGGREGATE_ID", varchar(36), "envelope aggregate_id"),
    required("AGGREGATE_VERSION", BIGINT, "envelope aggregate_version, from 1"),
    required("EVENT_TIME", TIMESTAMP, "envelope event_time, UTC, clock-skew corrected"),
    required("EVENT_DATE", DATE, "EVENT_TIME's UTC date; bounds the MERGE and extraction"),
    required("RECEIVED_AT", TIMESTAMP, "envelope received_at, UTC"),
    required("SCHEMA_VERSION", BIGINT, "envelope schema_version"),
    required("PAYLOAD", VARCHAR, "the envelope payload as JSON text"),
    column("SOURCE_TOPIC", varchar(255), "Kafka topic the message came from"),
    column("SOURCE_PARTITION", BIGINT, "Kafka partition"),
    column("SOURCE_OFFSET", BIGINT, "Kafka offset"),
    required("INGESTED_AT", TIMESTAMP, "UTC time the consumer merged the row"),
    # Last: a deployed warehouse gains it by ALTER TABLE ... ADD COLUMN, which appends.
    column("CLIENT_EVENT_ID", VARCHAR, "the id the client sent for the event; tracing only"),
)


def _raw(name: str, what: str) -> Table:
    return Table(
        "BRONZE", name, f"One row per {what} envelope, unique on INGESTION_ID.", _RAW_COLUMNS,
        key=("INGESTION_ID",), day_column="EVENT_DATE",
    )  # fmt: skip


ORDERS_RAW = _raw("ORDERS_RAW", "order")
CLICKS_RAW = _raw("CLICKS_RAW", "click")

FAILED_EVENTS = Table(
    "BRONZE",
    "FAILED_EVENTS",
    "Messages the consumer could not load, once per topic:partition:offset.",
    (
        required("FAILED_ID", varchar(300), "topic:partition:offset"),
        column("RAW_VALUE", VARCHAR, "base64 of the message value"),
        column("RAW_KEY", VARCHAR, "base64 of the message key"),
        required("ERROR", VARCHAR, "why the message could not be loaded"),
        column("SOURCE_TOPIC", varchar(255), "Kafka topic"),
        column("SOURCE_PARTITION", BIGINT, "Kafka partition"),
        column("SOURCE_OFFSET", BIGINT, "Kafka offset"),
        required("FAILED_AT", TIMESTAMP, "UTC time the failure was recorded"),
    ),
    key=("FAILED_ID",),
)

BRONZE_TABLES = (ORDERS_RAW, CLICKS_RAW, FAILED_EVENTS)
