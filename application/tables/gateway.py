"""The gateway's own table, in the event store's database (SQLite or PostgreSQL)."""

from application.tables.declaration import (
    SERIAL,
    TIMESTAMP_TZ,
    UUID,
    VARCHAR,
    Table,
    required,
)

# The name PostgreSQL has always had (the event store's database holds eventsourcing's tables).
GATEWAY_FAILED_EVENTS = Table(
    None,
    "flowguard_failed_events",
    "Inputs the API refused, kept for GET /failed-events; newest first by seq.",
    (
        required("seq", SERIAL, "order of arrival"),
        required("failed_id", UUID, "deterministic per refused input; a retried add keeps one"),
        required("kind", VARCHAR, "what was refused, e.g. click"),
        required("payload", VARCHAR, "the input as received: JSON text written by orjson"),
        required("errors", VARCHAR, "JSON text: a list of {field, reason}"),
        required("received_at", TIMESTAMP_TZ, "when the request arrived"),
    ),
    key=("failed_id",),
    enforce_key=True,
)
